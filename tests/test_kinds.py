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
