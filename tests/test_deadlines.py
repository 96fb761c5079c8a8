"""Deadline wording resolved against the document date: (sentence, document date, text, deadline)."""
from __future__ import annotations

import datetime as dt

import pytest

from pipeline.deadlines import find_deadline, recesses

D = dt.date
JULY = D(2025, 7, 4)

CASES = [
    ("Ik stuur u de evaluatie voor september 2025.", JULY, "voor september 2025", D(2025, 8, 31)),
    ("U ontvangt het rapport in september.", JULY, "in september", D(2025, 9, 30)),
    ("U ontvangt het rapport in maart.", JULY, "in maart", D(2026, 3, 31)),
    ("Het besluit volgt september 2026.", JULY, "september 2026", D(2026, 9, 30)),
    ("Begin oktober stuur ik u een overzicht.", JULY, "Begin oktober", D(2025, 10, 10)),
    ("Medio november informeer ik u.", JULY, "Medio november", D(2025, 11, 20)),
    ("Eind augustus is de rapportage klaar.", JULY, "Eind augustus", D(2025, 8, 31)),
    ("Ik informeer u eind 2025 over de stand.", JULY, "eind 2025", D(2025, 12, 31)),
    ("Het plan is uiterlijk eind dit jaar gereed.", JULY, "uiterlijk eind dit jaar", D(2025, 12, 31)),
    ("Voor het einde van het jaar volgt een brief.", JULY, "Voor het einde van het jaar", D(2025, 12, 31)),
    ("In het eerste kwartaal van 2024 volgt de wet.", JULY, "In het eerste kwartaal van 2024", D(2024, 3, 31)),
    ("In het derde kwartaal van 2026 volgt de wet.", JULY, "In het derde kwartaal van 2026", D(2026, 9, 30)),
    ("uiterlijk aan het einde van het vierde kwartaal van 2022", JULY,
     "uiterlijk aan het einde van het vierde kwartaal van 2022", D(2022, 12, 31)),
    ("In Q2 2026 verschijnt de monitor.", JULY, "Q2 2026", D(2026, 6, 30)),
    ("In het voorjaar stuur ik u het plan.", JULY, "In het voorjaar", D(2026, 6, 20)),
    ("In de zomer stuur ik u het plan.", D(2025, 3, 1), "In de zomer", D(2025, 9, 22)),
    ("Hierover informeer ik u in het najaar.", JULY, "in het najaar", D(2025, 12, 21)),
    ("In de winter volgt de evaluatie.", JULY, "In de winter", D(2026, 3, 20)),
    ("in het najaar van 2026", JULY, "in het najaar van 2026", D(2026, 12, 21)),
    ("Ik informeer u voor het zomerreces.", D(2025, 5, 1), "voor het zomerreces", D(2025, 7, 3)),
    ("Ik informeer u vóór het zomerreces van 2023.", D(2022, 10, 5), "vóór het zomerreces van 2023", D(2023, 7, 6)),
    ("Ik informeer u voor het kerstreces.", D(2023, 11, 1), "voor het kerstreces", D(2023, 12, 21)),
    ("Ik informeer u voor de zomer.", D(2024, 3, 1), "voor de zomer", D(2024, 7, 4)),
    ("De regeling gaat in voor 1 januari 2024.", JULY, "voor 1 januari 2024", D(2023, 12, 31)),
    ("Ik informeer u ruim voor het sluiten van de regeling (1 december 2025).", JULY,
     "voor het sluiten van de regeling (1 december 2025)", D(2025, 11, 30)),
    ("in de eerste helft van volgend jaar", JULY, "in de eerste helft van volgend jaar", D(2026, 6, 30)),
    ("in de tweede helft van 2026", JULY, "in de tweede helft van 2026", D(2026, 12, 31)),
    ("Het onderzoek is klaar in 2027.", JULY, "in 2027", D(2027, 12, 31)),
    ("Ik stuur u binnen drie maanden een reactie.", JULY, "binnen drie maanden", D(2025, 10, 4)),
    ("Ik stuur u binnen 6 weken een reactie.", JULY, "binnen 6 weken", D(2025, 8, 15)),
    # number words and month abbreviations come from text2num and dateparser's Dutch locale
    ("Ik stuur u binnen zeven weken een reactie.", JULY, "binnen zeven weken", D(2025, 8, 22)),
    ("Binnen elf maanden volgt de evaluatie.", JULY, "Binnen elf maanden", D(2026, 6, 4)),
    ("De regeling gaat in voor 1 sep. 2025.", JULY, "voor 1 sep. 2025", D(2025, 8, 31)),
    ("Het rapport verschijnt in mrt. 2026.", JULY, "in mrt. 2026", D(2026, 3, 31)),
]

UNRESOLVED = [
    # wording that names no deadline, or whose recess is not on record: NULL, never a guess
    ("Ik zal zo spoedig mogelijk na het zomerreces de rapportage sturen.", JULY, None),
    ("Na de zomer kom ik hierop terug.", JULY, None),
    ("Na afloop van de pilot informeer ik u.", JULY, None),
    ("U hoort zo spoedig mogelijk van mij.", JULY, None),
    ("Ik stuur u binnen enkele weken een reactie.", JULY, None),
    ("In september kunt u de meting verwachten.", None, "In september"),
    ("Op 18 juni jl. is dit besproken.", JULY, None),
]


@pytest.mark.parametrize("sentence, ref, text, expected", CASES)
def test_resolved(sentence, ref, text, expected):
    found = find_deadline(sentence, ref)
    assert found is not None
    assert (found.text, found.date) == (text, expected)


@pytest.mark.parametrize("sentence, ref, text", UNRESOLVED)
def test_unresolved_is_null(sentence, ref, text):
    found = find_deadline(sentence, ref)
    assert (found.text if found else None) == text
    assert found is None or found.date is None


def test_every_recess_row_has_a_source_and_sane_dates():
    rows = recesses()
    assert rows
    for r in rows:
        assert r.source.strip()
        assert r.first_day < r.last_day


@pytest.mark.parametrize("sentence, ref, expected, basis", [
    ("Ik informeer u voor het zomerreces.", D(2025, 5, 1), D(2025, 7, 3), "calendar"),
    ("Ik informeer u voor het kerstreces.", D(2024, 6, 20), D(2024, 12, 19), "projected"),  # 2024's not on record
    ("Ik informeer u voor het kerstreces.", D(2030, 1, 1), D(2030, 12, 19), "projected"),
    ("Ik informeer u voor het zomerreces van 2027.", JULY, D(2027, 7, 1), "projected"),
    ("Hierover informeer ik u in het najaar.", JULY, D(2025, 12, 21), "rule"),
])
def test_each_deadline_says_how_it_was_resolved(sentence, ref, expected, basis):
    found = find_deadline(sentence, ref)
    assert (found.date, found.basis) == (expected, basis)


def test_the_projection_reproduces_the_calendar():
    # the projection rules, applied to the years on record, give the recesses on record
    from pipeline.deadlines import tables
    for r in recesses():
        rule = tables()["projection"][r.name]
        month, day = map(int, rule["from"].split("-"))
        start = D(r.first_day.year, month, day)
        start += dt.timedelta(days=(4 - start.weekday()) % 7)
        assert (start, start + dt.timedelta(days=rule["days"])) == (r.first_day, r.last_day), r


@pytest.mark.parametrize("name", ["zomerreces", "kerstreces", "meireces", "herfstreces", "voorjaarsreces"])
def test_the_calendar_reaches_a_year_past_today(name):
    # known or projected, every recess resolves for papers dated up to a year from today
    from pipeline.deadlines import tables
    wording = next(w for w, n in tables()["recess"].items() if n == name)
    for ref in (dt.date.today(), dt.date.today() + dt.timedelta(days=365)):
        found = find_deadline(f"Ik informeer u voor het {wording}.", ref)
        assert found.date and found.date > ref and found.basis in ("calendar", "projected")
