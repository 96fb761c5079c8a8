"""Citations: (raw text, expected canonical ids) tables, things that are not citations, and id round trips."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.citations import find_citations, format_id, parse_id

CASES = [
    # kamerstukken, all the shapes of the gold README
    ("Kst. 31 765, nr. 884", ["31765-884"]),
    ("Kst. 31 765, nr. 884.", ["31765-884"]),
    ("Kamerstuk 31765, nummer 516", ["31765-516"]),
    ("Kamerstukken II 2024/25, 32 793, nr. 794", ["32793-794"]),
    ("36200-XVI-87", ["36200-XVI-87"]),
    ("36200-XVI-87 (begrotingsbehandeling VWS 2022)", ["36200-XVI-87"]),
    ("Kamerstuk 36740 XVI, nr. 16", ["36740-XVI-16"]),
    ("Kamerstuk 33570-XVI, nummer 318", ["33570-XVI-318"]),
    ("Kst. 36 200 XVI, nr. 87.", ["36200-XVI-87"]),
    ("Zie Kamerstuk 35 925 XVI, nummer 167.", ["35925-XVI-167"]),
    ("Kamerstukken II 2023/24, 36 410 XII, nr. 34.", ["36410-XII-34"]),
    ("Kamerstukken I 2019/20, 35 300, nr. 12", ["35300-12"]),
    ("Kamerstukken II 2019/20, 21 501-20, nr. 1500", ["21501-20-1500"]),
    ("Kst. 25 295, nr. 1, p. 3", ["25295-1"]),
    ("Kamerstukken II 2022/23, 29 689, nr. 1, p. 7", ["29689-1"]),
    ("Kamerstukken II 2022/23, 29 689, nr. 1, blz. 7", ["29689-1"]),
    ("Kamerstuk 36 600 VIII, nr. 12", ["36600-VIII-12"]),
    ("Kamerstuk 36 600-VIII, nr. 12", ["36600-VIII-12"]),
    ("Kamerstuk 21 501-32, nr. 1500", ["21501-32-1500"]),
    ("Kamerstuk 36 410 A, nr. 5", ["36410-A-5"]),
    ("Kamerstukken II 2021/22, 35 925 VII, nr. 8", ["35925-VII-8"]),
    ("Kamerstukken II 2024–2025, 27 625, nr. 702", ["27625-702"]),
    ("Kst. 27 923, nr. 480.", ["27923-480"]),
    # lists and ranges
    ("nrs. 12 en 13", []),
    ("Kamerstukken I 2019/20, 35 300, nrs. 12 en 13", ["35300-12", "35300-13"]),
    ("Kamerstuk 29 282, nrs. 12, 13 en 14", ["29282-12", "29282-13", "29282-14"]),
    ("Kamerstuk 29 282, nrs. 12 t/m 14", ["29282-12", "29282-13", "29282-14"]),
    ("Kamerstuk 29 282, nrs. 12-14", ["29282-12", "29282-13", "29282-14"]),
    ("Kamerstukken 29 214 en 31 765, nr. 95", ["29214", "31765-95"]),
    ("Kamerstuk 31765, nummer 516 en Kamerstuk 29689, nummer 1132.", ["31765-516", "29689-1132"]),
    ("Kst. 31 765, nr. 820 en TZ202412-36.", ["31765-820", "TZ202412-036"]),
    ("Kamerstukken 27 923 en 31 293", ["27923", "31293"]),
    ("de Kamerstukken 27 625 en 31 710, nr. 98", ["27625", "31710-98"]),
    # dossier only, and a reference without its number
    ("Kamerstukken 29 214", ["29214"]),
    ("Kamerstuk 31016, nr.", ["31016"]),
    ("Kamerstuk 31 016", ["31016"]),
    # officielebekendmakingen slugs and bare hyphenated ids
    ("kst-32802-73", ["32802-73"]),
    ("kst-36600-VIII-12", ["36600-VIII-12"]),
    ("zie 29754-145 voor de brief", ["29754-145"]),
    ("een brief over de analyses (36 471-64) op 7 juni", ["36471-64"]),
    ("de motie (21 501-02-2498)", ["21501-02-2498"]),
    ("(31200 XI, nr. 65)", ["31200-XI-65"]),
    ("de motie Van Toorenburg-Dijsselbloem (31200 XI, nr. 65)", ["31200-XI-65"]),
    ("32 802, nr. 73", ["32802-73"]),
    # older papers: a dossier of four digits glued to the session
    ("(Kamerstukken II, Zitting 1961-1962-6587, nr. 4, blz. 12)", ["6587-4"]),
    ("Kamerstukken II, zitting 1964-1965 - 7813, Nr. 2", ["7813-2"]),
    ("Kamerstukken, Zitting 1959-1960-5721", ["5721"]),
    # a dossier alone in brackets after its title (decision lists, agendas)
    ("Wijziging van de Waterwet (36 418) - 36418-5", ["36418", "36418-5"]),
    ("Jaarverslag Defensie 2024 (36 740-X)", ["36740-X"]),
    # zaak numbers
    ("Kst. 2024Z16781.", ["2024Z16781"]),
    ("2024Z04512", ["2024Z04512"]),
    ("zaaknummer 2019Z12345 en 2020Z00001", ["2019Z12345", "2020Z00001"]),
    # toezegging numbers, zero-padded
    ("TZ202501-097", ["TZ202501-097"]),
    ("TZ202412-36", ["TZ202412-036"]),
    ("TZ202403-7", ["TZ202403-007"]),
    ("Toezegging TZ202410-031;", ["TZ202410-031"]),
    ("TZ202503-1123", ["TZ202503-1123"]),
    # Handelingen and Staatscourant
    ("Handelingen II 2022/23, nr. 50, item 7", ["handelingen:II:2022-2023:50:7"]),
    ("Handelingen I 2019/20, nr. 3, item 4", ["handelingen:I:2019-2020:3:4"]),
    ("Handelingen II 2023/24, nr. 71", ["handelingen:II:2023-2024:71"]),
    ("Stcrt. 2019, 34862", ["stcrt:2019:34862"]),
    ("Stcrt. 2023, nr. 29817", ["stcrt:2023:29817"]),
    ("Staatscourant 2021, 12345", ["stcrt:2021:12345"]),
    # mixed sentences
    ("Zie ook de brief (Kamerstuk 27 625, nr. 689) en 2025Z01234.", ["27625-689", "2025Z01234"]),
    ("Kamerstukken II 2023/24, 28 684, nr. 745 en Handelingen II 2023/24, nr. 71, item 9.",
     ["28684-745", "handelingen:II:2023-2024:71:9"]),
    ("In de brief van 14 april (Kst. 31 765, nr. 913) staat", ["31765-913"]),
    ("TZ202502-14, gedaan tijdens het commissiedebat Water (2025Z01234).", ["TZ202502-014", "2025Z01234"]),
]

NOT_CITATIONS = [
    "Postbus 20018, 2500 EA DEN HAAG",
    "telefoon 070-3407911",
    "een bedrag van € 2,4 miljard",
    "op 5 oktober 2022",
    "in de periode 2021-2025",
    "kenmerk 3437506-1035324-Z",
    "zo'n 9.700 voltijdsbanen",
    "Parnassusplein 5 2511 VX Den Haag",
    "het Meerjarenbeleidsplan 2024-2027",
    "in Q2 2025 en 1-meting",
    "artikel 3.1, lid 2",
    "38.000 kilo cocaïne",
    "nr. 12",
    "tussen de 10 000-12 000 euro per jaar",
    "(postcode 25 123-4 en verder)",
    "het tekort (25 000) en de reserve (31 475 euro)",
    "in de tabel (41 250)",
    "Zitting 1958-1959",
]


@pytest.mark.parametrize("raw, expected", CASES)
def test_canonical_ids(raw, expected):
    assert [c.citation_id for c in find_citations(raw)] == expected


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_not_a_citation(text):
    assert find_citations(text) == []


def test_fields_are_kept_apart_from_the_id():
    c = find_citations("Kamerstukken II 2024/25, 36 200 XVI, nr. 87")[0]
    assert (c.citation_id, c.dossier, c.addition, c.ondernummer, c.vergaderjaar, c.chamber) == \
        ("36200-XVI-87", "36200", "XVI", "87", "2024-2025", "II")
    assert c.raw == "Kamerstukken II 2024/25, 36 200 XVI, nr. 87"
    old = find_citations("Kamerstukken II, Zitting 1961-1962-6587, nr. 4")[0]
    assert (old.dossier, old.ondernummer, old.vergaderjaar, old.chamber) == ("6587", "4", "1961-1962", "II")


def test_offsets_point_at_the_raw_text():
    text = "Eerder (Kst. 31 765, nr. 884) en later."
    c = find_citations(text)[0]
    assert text[c.start:c.end] == "Kst. 31 765, nr. 884"


ids = st.one_of(
    st.builds(lambda d, a, n: format_id({"kind": "kamerstuk", "dossier": str(d), "addition": a, "num": n}),
              st.integers(10000, 99999), st.sampled_from([None, "XVI", "VIII", "A", "XII"]), st.integers(1, 9999)),
    st.builds(lambda d: format_id({"kind": "dossier", "dossier": str(d), "addition": None, "num": None}),
              st.integers(10000, 99999)),
    st.builds(lambda y, n: f"{y}Z{n:05d}", st.integers(1995, 2030), st.integers(0, 99999)),
    st.builds(lambda y, m, n: format_id({"kind": "toezegging", "month": f"{y}{m:02d}", "num": n}),
              st.integers(2000, 2030), st.integers(1, 12), st.integers(1, 9999)),
)


@given(ids)
def test_every_canonical_id_parses_back_to_itself(cid):
    fields = parse_id(cid)
    assert fields is not None
    assert format_id(fields) == cid


@given(st.integers(10000, 99999), st.sampled_from(["", " XVI", "-XVI", " A"]), st.integers(1, 999))
def test_written_forms_resolve_to_the_same_id(dossier, addition, num):
    d = f"{str(dossier)[:2]} {str(dossier)[2:]}"
    raws = [f"Kst. {d}{addition}, nr. {num}", f"Kamerstuk {dossier}{addition}, nummer {num}"]
    found = {c.citation_id for raw in raws for c in find_citations(raw)}
    assert len(found) == 1
    assert parse_id(found.pop())["num"] == num


# Forms from older papers, OCR and other tools; numbers as Eerste Kamer letters; page references dropped.
MORE_FORMS = [
    ("Kamerstukken II, 2008/09, 31700.VIII, 32", ["31700-VIII-32"]),
    ("Kamerstukken Tweede Kamer 31-700 XII nr 6", ["31700-XII-6"]),
    ("Kamerstuk TK 31.700XII, 6", ["31700-XII-6"]),
    ("TK 2008-2009, 31473, nummer 25, bladzijde 5 - 6", ["31473-25"]),
    ("Kamerstukken 2, 2008-2009, 31459, 22", ["31459-22"]),
    ("Kamerstukken EK, 2014-2015, 31 145, AA", ["31145-AA"]),
    ("Kamerstukken I 2021/22, 35 925, nr. E", ["35925-E"]),
    ("Kamerstukken I 1979/80, 15 516, nr. 42e, blz. 7", ["15516-42E"]),
    ("Kamerstukken II, 31 700-IIB, nr 2", ["31700-IIB-2"]),
    ("Kamerstukken II 2015/16, 34 356 (R2064), nr. 3", ["34356-3"]),
    ("Kamerstukken II, 1999-2000, 26 271, nr. 6, p. 15-16; nr. 7, p. 5-6.", ["26271-6", "26271-7"]),
    ("Kamerstukken II 2020/21, 35 625, nr. 4, p. 12 en 13, en nr. 6", ["35625-4", "35625-6"]),
    ("Voortgang uitvoering moties 30420, nrs 100 en 101", ["30420-100", "30420-101"]),
    ("zie 31700 VII nr. 72", ["31700-VII-72"]),
    ("Nederlandse bilaterale lening IMF - 21501-07-1398", ["21501-07-1398"]),
    ("Kamerstukken II 2023/24, 36.496, nr. 54", ["36496-54"]),
    ("kamerstukken II 1986/87, 19 700 hoofdstuk XV, nr. 2", ["19700-XV-2"]),
    # the compact id after a prefix
    ("Zie Kamerstuk 32605-217, de beleidsbrief", ["32605-217"]),
    ("Kamerstuk 36200-XVI-87 en 36200-XVI-88", ["36200-XVI-87", "36200-XVI-88"]),
    ("Kamerstukken II 2024/25, 21501-07-1400.", ["21501-07-1400"]),
    ("Kamerstukken 21 501-02, 2732", ["21501-02"]),
    # a rijkswet's dossier alone; a number glued on where plain pdftotext dropped a line-end hyphen
    ("belastingverdrag - 34417-(R2068)", ["34417"]),
    ("de begroting (36200-XVI87) en", ["36200-XVI-87"]),
    ("Geannoteerde agenda Eurogroep - 21501-071400", ["21501-07-1400"]),
    ("zie 31765-12345 of 21501-0714000", []),
    # not citations: a year range, a date, an amount
    ("in de periode 2008-2009 nam het aantal toe", []),
    ("op 12 345 adressen, nr. onbekend", []),
]


@pytest.mark.parametrize("raw, expected", MORE_FORMS)
def test_more_written_forms(raw, expected):
    assert [c.citation_id for c in find_citations(raw)] == expected
