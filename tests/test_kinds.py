"""Document kinds, and the Kamer's turns in papers of questions and answers (sample papers of our own)."""
from pathlib import Path

import pytest

from pipeline.ingest import prepare

CORPUS = Path(__file__).resolve().parent.parent / "corpus"

KINDS = {
    "2024-06-20_lerarentekort-voortgang.txt": "brief",
    "2025-03-12_hwbp-voortgang.pdf": "brief",
    "2025-04-17_natuurherstel-stikstof.txt": "brief",
    "2025-03-12_motie-van-der-graaf-waterschappen.txt": "motie",
    "2025-05-22_verslag-schriftelijk-overleg-drinkwater.txt": "verslag schriftelijk overleg",
    "2025-04-03_nota-naar-aanleiding-van-het-verslag-waterwet.txt": "nota naar aanleiding van het verslag",
    "2025-06-05_rapport-evaluatie-waterschapsverkiezingen.txt": "rapport",
    "2025-02-13_besluitenlijst-procedurevergadering-iw.txt": "besluitenlijst",
    "2025-03-12_bijlage-planning-dijkversterkingen.txt": "bijlage",
    "2025-05-28_antwoorden-kamervragen-gemalen.pdf": "antwoord kamervragen",
}


@pytest.mark.parametrize("name", KINDS)
def test_kind(name):
    assert prepare(CORPUS / name).document.meta.doc_type == KINDS[name]


TITLES = {
    "2025-03-12_hwbp-voortgang.pdf": "Voortgang Hoogwaterbeschermingsprogramma en afhandeling moties",
    "2025-05-28_antwoorden-kamervragen-gemalen.pdf":
        "Vragen van het lid Bamenga (D66) over de energiekosten van gemalen",  # not its first heading, "Vraag 1"
    "2025-04-03_nota-naar-aanleiding-van-het-verslag-waterwet.txt":
        "Wijziging van de Waterwet in verband met de versterking van de regionale keringen",  # not "Ontvangen …"
    "2025-02-13_besluitenlijst-procedurevergadering-iw.txt":
        "Besluitenlijst procedurevergadering vaste commissie voor Infrastructuur en Waterstaat",
    "2025-04-17_natuurherstel-stikstof.txt": "Problematiek rondom stikstof en PAS",
}


@pytest.mark.parametrize("name", TITLES)
def test_title(name):
    assert prepare(CORPUS / name).document.meta.title == TITLES[name]


BODY = "De Kamer,\ngehoord de beraadslaging,\nverzoekt de regering de Kamer te informeren,\nen gaat over tot de orde van de dag.\n"


@pytest.mark.parametrize("head, title", [
    # printed as a Kamerstuk: the name in capitals, the dossier's title wrapped over lines
    ("Tweede Kamer der Staten-Generaal\n\n2\n\nVergaderjaar 2024–2025\n\n36 600 XII\n\nVaststelling van de "
     "begrotingsstaten van het\nMinisterie van Infrastructuur en\nWaterstaat (XII) voor het jaar 2025\n\nNr. 14\n\n"
     "MOTIE VAN DE LEDEN DE WIT EN VAN DER LAAN\nVoorgesteld 5 november 2024\n",
     "Motie van de leden De Wit en Van der Laan — Vaststelling van de begrotingsstaten van het Ministerie van "
     "Infrastructuur en Waterstaat (XII) voor het jaar 2025"),
    # the number and the name on one line, c.s.
    ("27 625 Waterbeleid\n\nNr. 733 MOTIE VAN HET LID ANNE DE BOER C.S.\nVoorgesteld 12 maart 2025\n",
     "Motie van het lid Anne de Boer c.s. — Waterbeleid"),
    # as submitted (OCR): its id on a line of its own, the dossier's title under it
    ("12 maart 2025\n\n27625-734\nWaterbeleid\n\nMOTIE VAN HET LID VERBEEK\nPlenair debat - Waterbeleid\n",
     "Motie van het lid Verbeek — Waterbeleid"),
    # as the Kamer's site names it, with its subject
    ("27625-735\n\nMOTIE VAN DE LEDEN VERBEEK EN DE WIT\nMotie van de leden Verbeek (CDA) en De Wit (VVD) over "
     "het\nherstel van de regionale keringen\n",
     "Motie van de leden Verbeek (CDA) en De Wit (VVD) over het herstel van de regionale keringen"),
])
def test_a_motion_is_titled_by_its_movers_and_subject(tmp_path, head, title):
    path = tmp_path / "motie.txt"
    path.write_text(head + BODY, encoding="utf-8")
    prepared = prepare(path)
    meta = prepared.document.meta
    assert (meta.doc_type, meta.title) == ("motie", title)
    assert meta.own_id and not prepared.analysis.citations  # its own id, in its head, is no citation


@pytest.mark.parametrize("heading, ok", [("Vraag 1", False), ("Tweede Kamer der Staten-Generaal2", False),
                                         ("Vergaderjaar 2023–2024 Aanhangsel van de Handelingen", False),
                                         ("Ontvangen 3 april 2025", False), ("Stand van zaken dijkversterking", True)])
def test_lines_that_are_never_a_title(heading, ok):
    from pipeline.metadata import is_title
    assert is_title(heading) is ok


def commitments(name):
    return [(c.kind, str(c.deadline), c.text) for c in prepare(CORPUS / name).analysis.commitments]


def test_verslag_commits_only_the_minister():
    assert commitments("2025-05-22_verslag-schriftelijk-overleg-drinkwater.txt") == [
        ("new", "2025-12-21", "Over de uitkomsten informeer ik uw Kamer in het najaar van 2025."),
        ("new", "2025-07-03", "Het tijdpad voor de vergunningverlening stuur ik u voor het zomerreces."),
        ("new", "2025-12-31", "Met de nieuwe Beleidsnota Drinkwater, die ik u eind 2025 zal toezenden, geef ik "
                              "invulling aan de motie van het lid Kröger c.s."),
    ]


def test_nota_skips_the_quoted_questions():
    assert commitments("2025-04-03_nota-naar-aanleiding-van-het-verslag-waterwet.txt") == [
        ("new", "2025-06-30", "De regering zal uw Kamer voor 1 juli 2025 informeren over de kosten voor de provincies."),
        ("new", "2027-03-31", "Uw Kamer ontvangt de evaluatie in het eerste kwartaal van 2027."),
    ]


def test_rapport_lists_motions_and_literature_notes():
    p = prepare(CORPUS / "2025-06-05_rapport-evaluatie-waterschapsverkiezingen.txt")
    assert [(m.movers, m.ref) for m in p.analysis.motions] == [
        (["Van der Graaf"], "36200-XII-48"), (["Bisschop", "Grinwis"], "29689-1117")]
    assert [n.number for n in p.document.footnotes] == [1, 2, 3]
    assert "Literatuurlijst" in p.document.text and p.analysis.commitments == []


def test_answers_to_kamervragen_as_pdf():
    """The question asks the minister to inform the Kamer; only the answers commit."""
    name = "2025-05-28_antwoorden-kamervragen-gemalen.pdf"
    assert [(k, d) for k, d, _ in commitments(name)] == [("new", "2025-07-03"), ("new", "2026-12-31")]
    p = prepare(CORPUS / name)
    assert [(m.movers, m.ref, m.disposition) for m in p.analysis.motions] == [(["Kröger"], "27625-663", "uitgevoerd")]
    assert [n.number for n in p.document.footnotes] == [1, 2, 3] and not p.document.checks.warnings
