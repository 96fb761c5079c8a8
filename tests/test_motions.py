"""Motions: mentions with movers and dispositions, grouping across a letter, and motion documents."""
from __future__ import annotations

import pytest

from pipeline.model import Sentence
from pipeline.motions import disposition, find_mentions, group, movers_at, parse_motion_document

MOVERS = [
    ("motie van het lid Claassen c.s. als afgedaan", "motie van het lid ", (["Claassen"], True)),
    ("motie Jansen/Slagt-Tichelman om", "motie ", (["Jansen", "Slagt-Tichelman"], False)),
    ("motie Pouw-Verweij en Tielen hiermee", "motie ", (["Pouw-Verweij", "Tielen"], False)),
    ("motie van Lid de Korte (Kamerstuk", "motie van Lid ", (["de Korte"], False)),
    ("motie De Korte om op korte termijn", "motie ", (["De Korte"], False)),
    ("motie Van Toorenburg-Dijsselbloem (31200 XI, nr. 65)", "motie ", (["Van Toorenburg-Dijsselbloem"], False)),
    ("motie Kröger/Bamenga over", "motie ", (["Kröger", "Bamenga"], False)),
    ("motie van de leden Soepboer en Vijlbrief over", "motie van de leden ", (["Soepboer", "Vijlbrief"], False)),
    ("motie-Van Nispen wordt", "motie-", (["Van Nispen"], False)),
    ("motie van het lid Van der Graaf c.s. wordt", "motie van het lid ", (["Van der Graaf"], True)),
    ("motie en toezegging", "motie ", ([], False)),
    # a converter dropped the hyphen where the name broke over two lines
    ("motie BakkerVos,7 blijft de keuze", "motie ", (["Bakker-Vos"], False)),
]


@pytest.mark.parametrize("text, head, expected", MOVERS)
def test_movers(text, head, expected):
    movers, cs, _ = movers_at(text, len(head))
    assert (movers, cs) == expected


DISPOSITIONS = [
    ("Hiermee beschouw ik de motie van het lid Claassen c.s. als afgedaan.", "afgedaan"),
    ("Ik beschouw de motie Claassen hiermee als afgedaan.", "afgedaan"),
    ("Hiermee beschouw ik de motie van Lid de Korte (Kamerstuk 36740 XVI, nr. 16) als afgehandeld.", "afgedaan"),
    ("De motie Mutluer/Ellian beschouw ik hiermee als afgehandeld.", "afgedaan"),
    ("Met deze stap is de motie-Vedder afgedaan.", "afgedaan"),
    ("Hiermee wordt invulling gegeven aan de motie Jansen/Slagt-Tichelman.", "uitgevoerd"),
    ("Daarmee geef ik tevens invulling aan motie De Korte.", "uitgevoerd"),
    ("Hiermee geven we uitvoering aan de motie van het lid Bergkamp c.s.", "uitgevoerd"),
    ("Met de regeling voer ik de motie Soepboer uit.", "uitgevoerd"),
    ("Met de nieuwe dienstregeling is de motie van het lid Bamenga c.s. uitgevoerd.", "uitgevoerd"),
    ("Daarmee is de motie-Van der Graaf nog niet uitgevoerd.", "genoemd"),
    ("Is de motie van het lid Bamenga c.s. inmiddels uitgevoerd?", "genoemd"),
    ("De motie-Pijpelink betrek ik bij de uitwerking.", "genoemd"),
    ("In de motie van het lid Bromet wordt gevraagd om een onderzoek.", "genoemd"),
]


@pytest.mark.parametrize("sentence, expected", DISPOSITIONS)
def test_disposition(sentence, expected):
    assert disposition(sentence) == expected


def _mentions(sentences: list[str], refs: dict[int, str] | None = None):
    out, pos = [], 0
    for i, s in enumerate(sentences):
        ref = [(pos + len(s), refs[i])] if refs and i in refs else []
        out.extend(find_mentions(Sentence(pos, pos + len(s), s), ref))
        pos += len(s) + 1
    return out


def test_one_motion_per_ref_with_the_strongest_disposition():
    motions = group(_mentions([
        "Dit sluit aan bij de motie Claassen die verzoekt om een brief.",
        "Daarbij doet deze motie ook een tweede verzoek.",
        "Hiermee beschouw ik deze motie als afgedaan.",
        "De motie van het lid Claassen c.s. over zeggenschap noem ik hier ook.",
    ], refs={0: "31765-890", 3: "29282-598"}))
    assert [(m.movers, m.ref, m.disposition) for m in motions] == [
        (["Claassen"], "31765-890", "afgedaan"), (["Claassen"], "29282-598", "genoemd")]


def test_the_motion_of_the_kamer_is_the_one_named_before():
    motions = group(_mentions([
        "U vroeg naar de motie van het lid Jansen c.s. over de spreiding van subsidies.",
        "Bij de beoordeling wordt al conform de motie van uw Kamer gehandeld.",
    ], refs={0: "36410-VIII-82"}))
    assert [(m.movers, m.ref, m.disposition) for m in motions] == [(["Jansen"], "36410-VIII-82", "uitgevoerd")]
    assert group(_mentions(["Er wordt conform de motie van uw Kamer gehandeld."])) == []


def test_a_mention_without_movers_counts_when_a_paper_is_cited_for_it():
    motions = group(_mentions(["Ik ga in op de gerelateerde motie en toezegging."], refs={0: "31765-820"}))
    assert [(m.movers, m.ref, m.disposition) for m in motions] == [([], "31765-820", "genoemd")]


def test_a_members_own_motion_counts_when_a_paper_is_cited_for_it():
    motions = group(_mentions(["Kunt u bij de uitwerking van onze motie ook de wachtlijsten betrekken?"],
                              refs={0: "25424-691"}))
    assert [(m.movers, m.ref) for m in motions] == [([], "25424-691")]


def test_a_bare_motion_without_ref_or_movers_is_not_a_motion():
    assert group(_mentions(["Een motie is een verzoek van de Kamer."])) == []


MOTION_DOC = """27 625 Waterbeleid
Nr. 999 MOTIE VAN DE LEDEN DE GROOT EN VAN DER PLAS
De Kamer,
gehoord de beraadslaging,
constaterende dat de zoetwatervoorraad in droge zomers tekortschiet;
overwegende dat buffers in de regio snel te realiseren zijn;
verzoekt de regering, een investeringsplan voor regionale buffers op te stellen,
en gaat over tot de orde van de dag."""


def test_motion_document():
    parsed = parse_motion_document(MOTION_DOC)
    assert parsed.movers == ["De Groot", "Van der Plas"]
    assert parsed.cs is False
    assert [c.split()[0] for c in parsed.considerations] == ["constaterende", "overwegende"]
    assert parsed.dictum.startswith("verzoekt de regering, een investeringsplan")


def test_a_motion_as_submitted_without_the_closing_formula_and_with_a_later_co_signer():
    """The form as a member submits it: no "en gaat over tot de orde van de dag" yet, the signature under the
    dictum, and the members who signed later on a line of the form."""
    parsed = parse_motion_document(
        "MOTIE VAN HET LID DE GROOT\n\nDe Kamer,\n\ngehoord de beraadslaging,\n\nconstaterende dat peilbesluiten "
        "lang op zich laten wachten;\n\nverzoekt de regering de waterschappen een termijn te stellen voor\n"
        "hun peilbesluiten,\n\nDe Groot\n\nLater toegevoegde medeindiener(s): Van der Plas, Bikker\n")
    assert parsed.movers == ["De Groot", "Van der Plas", "Bikker"]
    assert parsed.considerations == ["constaterende dat peilbesluiten lang op zich laten wachten"]
    assert parsed.dictum == "verzoekt de regering de waterschappen een termijn te stellen voor hun peilbesluiten,"


def test_a_letter_is_not_a_motion_document():
    assert parse_motion_document("Geachte voorzitter,\n\nIn de motie van het lid X wordt gevraagd …") is None


@pytest.mark.parametrize("sentence, want", [
    ("Nederland heeft conform de motie van het lid Ceder in de Raad steun uitgesproken.", "uitgevoerd"),
    ("Het kabinet heeft, conform motie Bikker/Omtzigt, in EU-kader aangedrongen op maatregelen.", "uitgevoerd"),
    ("Conform de motie van het lid Ceder zal ik de Raad vragen om steun.", "genoemd"),
    ("De leden vragen of de regering conform de motie wil handelen.", "genoemd"),
    ("Het kabinet handelt daarmee conform de motie van de leden Jansen en De Vries.", "uitgevoerd"),
    ("Bij de toekenning wordt al conform de motie van uw Kamer gehandeld.", "uitgevoerd"),
    ("Het kabinet handelt op dit punt niet conform de motie-Jansen.", "genoemd"),
])
def test_acted_in_accordance_with_a_motion(sentence, want):
    assert disposition(sentence) == want


@pytest.mark.parametrize("sentence, want", [
    ("In het kader van motie-Simons c.s. zijn er in december jl. op ambtelijk niveau gesprekken gevoerd.", "uitgevoerd"),
    ("Het kabinet zal hierop ingaan, mede in het kader van de aangenomen motie van het lid Ceder.", "genoemd"),
])
def test_acted_within_the_frame_of_a_motion(sentence, want):
    assert disposition(sentence) == want


def test_a_motion_document_as_submitted():
    """OCR'd as submitted: the id on a line of its own, signatures with a first name, a decomposed "ğ"."""
    from pipeline.extract_text import decode
    from pipeline.metadata import extract_metadata
    text = decode(("36410-V-51\n\n14 februari 2024\nMOTIE VAN DE LEDEN BAKKER EN GU\u0308NDOG\u0306AN\n"
                   "De Kamer,\ngehoord de beraadslaging,\nverzoekt de regering de waterschappen te steunen,\n"
                   "en gaat over tot de orde van de dag.\nOlger Bakker\nGündog\u0306an\n").encode("utf-8"))
    assert (extract_metadata(text, text, []).dossier, extract_metadata(text, text, []).ondernummer) == ("36410-V", "51")
    assert parse_motion_document(text).movers == ["Olger Bakker", "Gündoğan"]
