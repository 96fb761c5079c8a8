"""One page pair of a letter of our own, written as each converter writes it: the same notes come back.

Rows are the habits seen in poppler, pdfplumber, pypdfium2 and pdfminer output: note numbers glued to
the note text or not, markers glued, spaced or alone on a line, form feeds or none, the page foot
("Pagina 1 van 2") glued to the next running header, a note glued onto the body line above it.
"""
import pytest

from pipeline.compounds import rejoin
from pipeline.extract import extract
from pipeline.extract_text import parse
from pipeline.layout import HEADING, assemble

HEADER = "Ministerie van Infrastructuur en Waterstaat"
P1 = ["Geachte voorzitter,",
      "Met deze brief informeer ik u over de voortgang van het programma dijkversterking. Zoals toegezegd in",
      "het commissiedebat{m1} stuur ik u voor het zomerreces de eerste evaluatie. Daarmee geef ik invulling",
      "aan de motie van het lid Bakker c.s.{m2} Ook verken ik met de waterschappen de verdere aanpak."]
P2 = ["De waterschappen ronden de planstudies voor 168 kilometer dijk af in 2026. Ik beschouw de motie",
      "Bakker c.s. hiermee als afgedaan.{m3} Over de kosten informeer ik u in het najaar.",
      "Hoogachtend,"]
NOTES1 = ["Kamerstuk 27 625, nr. 641.", "Kamerstukken II 2024/25, 32 698, nr. 112."]
NOTES2 = ["Kst. 32698-112."]
WANT = [(1, NOTES1[0]), (2, NOTES1[1]), (3, NOTES2[0])]


def page(lines, notes, first, number, glue, marker):
    body = "\n".join(lines).format(**{f"m{first + i}": marker(first + i) for i in range(len(notes))})
    foot = "\n".join(f"{first + i}{glue}{t}" for i, t in enumerate(notes))
    return f"{HEADER}\n\n{body}\n{foot}\nPagina {number} van 2"


def letter(glue="", marker=str, feed="\f", foot_glued=False):
    text = page(P1, NOTES1, 1, 1, glue, marker) + feed + page(P2, NOTES2, 3, 2, glue, marker)
    if foot_glued:  # pypdfium2: "Pagina 1 van 2Ministerie van …"
        text = text.replace(f"Pagina 1 van 2{feed}{HEADER}", f"Pagina 1 van 2{HEADER}")
    return text


CASES = {
    "pdftotext": letter(),
    "pdftotext-nopgbrk": letter(feed="\n\n"),
    "pdfplumber-noff": letter(feed="\n"),
    "spaced-numbers": letter(glue=" "),
    "spaced-markers": letter(marker=lambda n: f" {n}"),
    "pypdfium2": letter(feed="\n", foot_glued=True),
    "markers-alone": letter(marker=lambda n: f"\n{n}\n"),
    "kerned-page-foot": letter(feed="\n\n").replace("Pagina", "P agina"),
}


@pytest.mark.parametrize("name", CASES)
def test_every_converter_gives_the_same_notes(name):
    lay = parse(CASES[name])
    text, blocks, notes = assemble(lay.body, lay.notes)
    assert [(n.number, n.text) for n in notes] == WANT
    assert all(n.anchor is not None for n in notes)
    assert "Pagina" not in text and HEADER not in text and "32 698" not in text
    assert "Ook verken ik met de waterschappen" in text and "Over de kosten informeer ik u" in text


def test_note_glued_onto_the_body_line_above():
    # pdftotext undoes "ge-" at a line end by joining the next line in reading order: the first note.
    lines = letter().split("\n")
    i = lines.index("1" + NOTES1[0])
    lines[i - 1:i + 1] = [lines[i - 1] + "schappen1" + NOTES1[0]]
    lay = parse("\n".join(lines))
    _, _, notes = assemble(lay.body, lay.notes)
    assert [(n.number, n.text) for n in notes] == WANT


def test_a_line_end_hyphen_pypdfium2_marks_and_joins_is_read_as_the_line_end_it_was():
    # pypdfium2 writes U+FFFE for a hyphen that ended a line, and runs the two lines together
    text = letter(feed="\n", foot_glued=True).replace(
        "de motie van het lid Bakker c.s.", "de motie van het lid Bakker\uFFFEVos c.s.").replace(
        "de verdere aanpak", "de ver\uFFFEdere aanpak")
    lay = parse(text)
    body, _, notes = assemble(lay.body, lay.notes)
    assert "Bakker-Vos c.s." in body and "de verdere aanpak" in rejoin(body)
    assert [(n.number, n.text) for n in notes] == WANT


@pytest.mark.parametrize("name", [n for n in CASES if n not in ("spaced-markers", "markers-alone")])
def test_a_last_note_the_converter_lost_is_named_by_its_marker(name):
    # the numbering has no gap to show it: the marker glued on after the last note read does (a marker set
    # apart from its word is too weak a sign to name a note by)
    lost = CASES[name].replace(f"3{NOTES2[0]}", "").replace(f"3 {NOTES2[0]}", "")
    assert parse(CASES[name]).orphan_markers == []
    assert parse(lost).orphan_markers == [3]


def test_one_glued_digit_in_a_paper_without_notes_names_nothing():
    assert parse("Geachte voorzitter,\n\nDe fase1 van het programma loopt tot de zomer.\n\nHoogachtend,").orphan_markers == []


def test_a_body_line_opening_with_a_number_is_no_note():
    text = letter().replace("De waterschappen ronden", "3 waterschappen ronden")
    lay = parse(text)
    _, _, notes = assemble(lay.body, lay.notes)
    assert [(n.number, n.text) for n in notes] == WANT


def test_no_form_feed_no_page_numbers_does_not_swallow_the_body():
    text = letter(feed="\n").replace("Pagina 1 van 2\n", "").replace("\nPagina 2 van 2", "")
    lay = parse(text)
    body, _, notes = assemble(lay.body, lay.notes)
    assert [(n.number, n.text) for n in notes] == WANT
    assert "De waterschappen ronden de planstudies" in body


@pytest.mark.parametrize("split, joined", [
    ("Ik be schouw de motie", "Ik beschouw de motie"),
    ("hiermee als afge - daan.", "hiermee als afgedaan."),
    ("en kele weken", "enkele weken"),
    # two words that are words stay apart
    ("ver weg van de kust", "ver weg van de kust"),
    ("zorg en welzijn", "zorg en welzijn"),
    ("beschouw de motie", "beschouw de motie"),
    # a converter that joined the lines but kept the hyphen
    ("de vergunnin-gen van onderne-mingen", "de vergunningen van ondernemingen"),
    ("de emissiefacto-ren per huisvestings-systeem", "de emissiefactoren per huisvestingssysteem"),  # compounds
    # hyphens that belong to the word stay
    ("niet-werkende en medisch-inhoudelijke", "niet-werkende en medisch-inhoudelijke"),
    ("de ggz-instelling, het ICT-systeem, de cao-onderhandelingen", "de ggz-instelling, het ICT-systeem, de cao-onderhandelingen"),
    ("een auto-ongeluk in Noord-Holland, per e-mail", "een auto-ongeluk in Noord-Holland, per e-mail"),
])
def test_rejoin_split_words(split, joined):
    assert rejoin(split) == joined


def test_a_note_repeated_on_several_pages_is_no_running_footer():
    from pipeline.layout import furniture_lines
    pages = [["Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 1", "Datum 5 oktober 2022", "Tekst.",
              f"{n} Motie Bakker, Kamerstuk 27 625, nr. 641"] for n in (3, 8, 12)]
    for p, page in enumerate(pages):
        page[0] = page[0][:-1] + str(p + 1)
    furn = furniture_lines(pages)
    assert {(p, 0) for p in range(3)} <= furn  # the running header, its page number counting with the pages
    assert {(p, 1) for p in range(3)} <= furn  # the same line on every page
    assert not {(p, 3) for p in range(3)} & furn  # notes 3, 8 and 12 with the same text


def test_a_number_above_a_note_is_no_page_number_and_a_stuk_named_once_no_page_foot():
    """pdftotext -layout: a note's raised number on a line of its own at the foot, its text below it; the
    note cites a Kamerstuk as a Kamerstuk's page foot reads. The paper's own foot recurs."""
    from pipeline.layout import furniture_lines
    own = "Tweede Kamer, vergaderjaar 2024–2025, 36 600 VII, nr. 12"
    pages = [["Tekst van de brief.", "4", "Tweede Kamer, vergaderjaar 2021–2022, 35 925 VII, nr. 88", f"{own} 1"],
             ["Meer tekst van de brief.", f"{own} 2"]]
    assert furniture_lines(pages) == {(0, 3), (1, 1)}
    assert furniture_lines([["Tekst.", own]]) == {(0, 1)}  # one page: its foot, as there is nothing to repeat


def test_numbering_that_starts_again_is_read_and_named():
    from pipeline.checks import check
    from pipeline.model import Document
    annex = (letter().replace("Geachte voorzitter,", "Bijlage bij de brief").replace("27 625", "36 410 XII")
             .replace("De waterschappen ronden", "De provincies ronden").replace("Bakker c.s. hiermee", "Bakker hiermee")
             .replace("Hoogachtend,", "Met vriendelijke groet,"))
    text = letter() + "\f" + annex.replace("32 698", "35 334").replace("32698", "35334")
    lay = parse(text)
    body, _, notes = assemble(lay.body, lay.notes)
    assert [n.number for n in notes] == [1, 2, 3, 1, 2, 3]
    assert notes[3].text == "Kamerstuk 36 410 XII, nr. 641." and notes[5].text == "Kst. 35334-112."
    doc = Document("x.txt", "0" * 64, "pdf-text", body, [], notes)
    assert any("starts again at 1 (1×)" in w for w in check(text, doc).warnings)


def test_notes_between_paragraphs_on_a_page_from_form_feeds():
    body = "\n".join(P1).format(m1="1", m2="2")
    rest = "\n".join(f"Zin {i} van de volgende alinea loopt door tot het einde van de regel en verder." for i in range(12))
    text = f"{body}\n1{NOTES1[0]}\n2{NOTES1[1]}\n{rest}\fPagina 2"
    lay = parse(text)
    body_text, _, notes = assemble(lay.body, lay.notes)
    assert [(n.number, n.text) for n in notes] == WANT[:2]
    assert "Zin 11 van de volgende alinea" in body_text


def test_a_lost_note_leaves_a_gap_the_check_names():
    from pipeline.extract import extract
    text = letter(feed="\n").replace("2Kamerstukken II 2024/25, 32 698, nr. 112.\n", "")
    import tempfile
    from pathlib import Path
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "brief.txt"
        path.write_text(text, encoding="utf-8")
        doc = extract(path)
    assert [n.number for n in doc.footnotes] == [1, 3]
    assert "footnote numbers missing: 2" in doc.checks.warnings


ANSWERS = ["Vraag 1", "Kent u het bericht «Minder sprinters in de spits»1?", "", "Antwoord 1", "Ja.", "",
           "Vraag 2", "Deelt u de zorg over de drukte op de perrons van",
           "Utrecht Centraal en Amersfoort Centraal in de komende winter, nu er minder treinen rijden?", "",
           "Antwoord 2", "Ik deel die zorg. De vervoerder heeft, zoals aangekondigd, in",
           "Utrecht extra treinstellen ingezet.", "1 NRC, 3 maart 2025, «Minder sprinters in de spits».",
           "Pagina 1 van 1"]


def _with_marker_2() -> str:
    """The answers with a second note's marker glued on, its note still to be set."""
    return "\n".join(ANSWERS).replace("Utrecht extra treinstellen ingezet.", "Utrecht extra treinstellen ingezet.2")


def test_a_marker_before_a_question_mark_leaves_the_question_numbers_alone():
    # "…spits»1?": a marker not taken where the question mark follows it was taken from "Vraag 1"
    lay = parse("\n".join(ANSWERS))
    body, blocks, notes = assemble(lay.body, lay.notes)
    assert [(n.number, n.text) for n in notes] == [(1, "NRC, 3 maart 2025, «Minder sprinters in de spits».")]
    assert body[notes[0].anchor - 1] == "»"
    assert "Vraag 1" in [b.text for b in blocks if b.kind == "heading"]


@pytest.mark.parametrize("line", ["perrons van", "aangekondigd, in"])
def test_a_line_ending_in_an_article_preposition_or_conjunction_is_no_heading(line):
    lay = parse("\n".join(ANSWERS))
    _, blocks, _ = assemble(lay.body, lay.notes)
    assert not [b for b in blocks if b.kind == "heading" and b.text.endswith(line)]
    assert any(line in b.text and b.kind == "paragraph" for b in blocks)


@pytest.mark.parametrize("ref", ["4410327–1120003-CZ.", "2025D04711.", "2025Z03456, zie ook het verslag."])
def test_a_note_that_is_a_reference_number_is_a_note_of_its_own(ref):
    text = _with_marker_2()
    text = text.replace("\nPagina 1 van 1", f"\n\n2 {ref}\nPagina 1 van 1")
    lay = parse(text)
    _, _, notes = assemble(lay.body, lay.notes)
    assert [(n.number, n.text) for n in notes] == [(1, "NRC, 3 maart 2025, «Minder sprinters in de spits»."), (2, ref)]


NOTE1 = "1 NRC, 3 maart 2025, «Minder sprinters in de spits»."
AMOUNT_NOTE = "12 miljoen euro extra voor materieel, zie de begroting 2025."


@pytest.mark.parametrize("shape, note", [
    ("opening its line", f"2 {AMOUNT_NOTE}"),
    ("a percentage", "2 1,5% van de treinen reed in de spits niet."),
    ("number alone on its line (pdftotext -layout)", f"2\n    {AMOUNT_NOTE}"),
])
def test_a_note_that_opens_with_an_amount_is_a_note(shape, note):
    text = _with_marker_2()
    text = text.replace(f"{NOTE1}\n", f"{NOTE1}\n{note}\n")
    lay = parse(text)
    _, _, notes = assemble(lay.body, lay.notes)
    assert [n.number for n in notes] == [1, 2] and notes[1].text == " ".join(note.split()[1:])


@pytest.mark.parametrize("tail, split", [
    (f" 2 {AMOUNT_NOTE}", True),  # pypdfium2 ran the two notes together
    (" en 2 500 reizigers per dag.", False),  # a group of thousands is no note's number
])
def test_notes_run_together_part_at_a_number_before_an_amount(tail, split):
    text = _with_marker_2()
    text = text.replace(NOTE1, NOTE1[:-1] + tail)
    lay = parse(text)
    _, _, notes = assemble(lay.body, lay.notes)
    assert [n.number for n in notes] == ([1, 2] if split else [1])
    if split:
        assert notes[1].text == AMOUNT_NOTE


@pytest.mark.parametrize("later", ["zoals in bijlage 1 van de regeling", "zoals artikel 3.1 van de regeling voorschrijft"])
def test_a_marker_alone_on_its_line_before_a_number_further_on(later):
    # "…spits»?" / "1" / "Antwoord 1" … "bijlage 1 van", "artikel 3.1 van": the note's marker is the first
    # candidate, and neither the number of a label line ("Vraag 1", "Antwoord 1") nor decimals are one
    preamble = ["Vragen van het lid Verbeek aan de Minister van Infrastructuur en Waterstaat over het bericht",
                "«Minder sprinters in de spits» (ingezonden 4 maart 2025).", "",
                "Antwoord van Minister Jansen (Infrastructuur en Waterstaat) (ontvangen 20 maart 2025).", ""]
    text = "\n".join(preamble + ANSWERS).replace("spits»1?", "spits»?\n1").replace(
        "Utrecht extra treinstellen ingezet.", f"Utrecht extra treinstellen ingezet, {later}.")
    lay = parse(text)
    body, blocks, notes = assemble(lay.body, lay.notes)
    assert body[:notes[0].anchor].rstrip().endswith("spits»?")
    assert later in body
    assert {"Vraag 1", "Antwoord 1"} <= {b.text for b in blocks if b.kind == "heading"}


def test_a_short_question_under_its_label_is_no_heading():
    lines = ["Vraag 3", "Hoeveel treinen rijden er in de zomer minder?", "", "Antwoord 3",
             "Ongeveer een op de tien, zoals de vervoerder in de dienstregeling heeft aangekondigd aan de reizigers.",
             "", "Wat gaan we doen", "", "Ik informeer u voor het zomerreces over de voortgang van de aanpak."]
    lay = parse("\n".join(lines))
    _, blocks, _ = assemble(lay.body, lay.notes)
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["Hoeveel treinen rijden er in de zomer minder?"] == "paragraph"
    assert kinds["Vraag 3"] == kinds["Antwoord 3"] == kinds["Wat gaan we doen"] == "heading"


@pytest.mark.parametrize("indent", [0, 25])
def test_full_lines_ending_in_a_name_are_no_headings_in_an_indented_layout(indent):
    """pdftotext -layout sets a printed Kamerstuk's text 25 spaces in: a line is full or short as its text
    is long, not its margin."""
    answer = ["De bevoorrading wordt jaarlijks gevolgd in de landelijke Rapportage",
              "Voorraden van het Centraal Bureau en in de Europese Verkenning Energie",
              "Aanbod van alle nationale beheerders samen, tot tien jaar vooruit, en waar",
              "nodig grijpt het kabinet in. Ik deel de stelling daarom niet."]
    lines = ["Vraag 2", "Hoe kijkt u aan tegen het oordeel van de sector dat de bevoorrading een", "blinde vlek is?",
             "", "Antwoord 2", *answer]
    lay = parse("\n".join(" " * indent + ln for ln in lines))
    _, blocks, _ = assemble(lay.body, lay.notes)
    assert [b.text for b in blocks if b.kind == "heading"] == ["Vraag 2", "Antwoord 2"]
    assert " ".join(answer) in [b.text for b in blocks]


# A one-page motion of our own as poppler writes a printed Kamerstuk: the masthead, the text, the signers,
# then the printer's colophon and the page foot that names the motion.
MOTION = ["Tweede Kamer der Staten-Generaal", "Vergaderjaar 2024–2025", "", "27 625 Waterbeleid", "", "Nr. 731",
          "MOTIE VAN HET LID DE WIT", "Voorgesteld 12 maart 2025", "De Kamer,", "gehoord de beraadslaging,",
          "constaterende dat waterschappen de planning van de dijkversterkingen pas na Kamerstuk 27 625, nr. 702",
          "hebben herzien;", "verzoekt de regering de Kamer jaarlijks over de voortgang te informeren,",
          "en gaat over tot de orde van de dag.", "De Wit", "", "kst-27625-731", "ISSN 0921 - 7371",
          "’s-Gravenhage 2025", "", "Tweede Kamer, vergaderjaar 2024–2025, 27 625, nr. 731"]


def _read(tmp_path, lines, name="motie.txt"):
    from pipeline.extract import extract
    path = tmp_path / name
    path.write_text("\n".join(lines), encoding="utf-8")
    return extract(path)


def test_the_colophon_of_a_one_page_paper_is_furniture_and_its_own_id_no_citation(tmp_path):
    from pipeline.segment import analyse
    doc = _read(tmp_path, MOTION)
    assert doc.meta.own_id == "27625-731"
    assert not any(s in doc.text for s in ("kst-27625", "ISSN", "Gravenhage", "vergaderjaar 2024–2025, 27"))
    assert {"kst-27625-731", "ISSN 0921 - 7371", "’s-Gravenhage 2025"} <= {f.text for f in doc.furniture}
    assert "en gaat over tot de orde van de dag." in doc.text
    assert [c.citation_id for c in analyse(doc).citations] == ["27625-702"]


def test_a_colophon_glued_to_the_next_pages_label_is_cut_from_it(tmp_path):
    # pdfplumber: "ISSN 0921 - 7398’s-Gravenhage 2025Tweede Kamer, …, Aanhangsel 1Antwoord 2"
    lines = ["Vraag 1", "Kent u het bericht «Minder sprinters in de spits»?", "", "Antwoord 1", "Ja.", "",
             "Vraag 2", "Hoeveel treinen vallen er in de winter uit?", "", "ah-tk-20242025-1234",
             "ISSN 0921 - 7398’s-Gravenhage 2025Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 1Antwoord 2",
             "Ongeveer een op de tien, zoals de vervoerder in de dienstregeling heeft aangekondigd.", "",
             "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 2Vraag 3", "Wanneer rijden zij weer?", "",
             "Antwoord 3", "In het voorjaar."]
    doc = _read(tmp_path, lines, "antwoord.txt")
    assert not any(s in doc.text for s in ("ah-tk", "ISSN", "Gravenhage", "Aanhangsel"))
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert {"Antwoord 2", "Vraag 3"} <= set(headings)


def test_a_kamerstuk_named_as_a_page_foot_names_it_mid_page_is_a_citation():
    # only at a page's foot is "Tweede Kamer, vergaderjaar …, nr. N" the foot; mid-page it is a reference
    lines = ["Geachte voorzitter,", "", "In de brief over de voortgang, gepubliceerd als",
             "Tweede Kamer, vergaderjaar 2023–2024, 27 625, nr. 650", "heb ik de planning toegelicht.", "",
             "Hoogachtend,", "", "de minister"]
    lay = parse("\n".join(lines))
    body, _, _ = assemble(lay.body, lay.notes)
    assert "27 625, nr. 650" in body


@pytest.mark.parametrize("field", ["Volgcommissie(s): EZK, LVVN", "Besluit: Voor kennisgeving aangenomen",
                                   "Griffier: M. de Vries", "Activiteitnummer: 2025A01234"])
def test_a_field_of_a_decision_lists_item_is_no_heading(field):
    lines = ["3. Agendapunt: Voortgang van het Hoogwaterbeschermingsprogramma", "",
             "Zaak: Brief regering - minister van Infrastructuur en Waterstaat - 12 maart 2025", "", field, "",
             "4. Agendapunt: Planning van de dijkversterkingen", "",
             "Noot: De planning wordt jaarlijks herzien door de waterschappen en de minister."]
    lay = parse("\n".join(lines))
    _, blocks, _ = assemble(lay.body, lay.notes)
    kinds = {b.text: b.kind for b in blocks}
    assert kinds[field] == "paragraph"


@pytest.mark.parametrize("number", ["1481", "36 200 IX", "Nr. 309", "29 984"])
@pytest.mark.parametrize("explicit", [True, False])  # set bold in a PDF or "###" in markdown, or a short line
def test_a_papers_number_in_its_masthead_is_no_heading(number, explicit):
    """The paper's number names no section: the passages under it would all carry it as their heading."""
    body = "\n\n".join(["Tweede Kamer der Staten-Generaal", (HEADING if explicit else "") + number,
                         "Vragen van het lid Van Dam (CDA) aan de minister van Infrastructuur en Waterstaat over de "
                         "sluiting van de brug bij Zaltbommel (ingezonden 3 maart 2025).",
                         HEADING + "Vraag 1", "Bent u bekend met het bericht over de sluiting?"])
    _, blocks, _ = assemble(body, [])
    assert {b.text: b.kind for b in blocks}[number] == "paragraph"
    assert "Vraag 1" in [b.text for b in blocks if b.kind == "heading"]


# The masthead of an Aanhangsel as converters write it: on lines of their own, the phrase on one line or
# wrapped, in markdown bold; then a body sentence that opens with the masthead's last words.
ANSWER_MASTHEADS = [
    ["Tweede Kamer der Staten-Generaal", "Vergaderjaar 2024–2025 Aanhangsel van de Handelingen",
     "Vragen gesteld door de leden der Kamer, met de daarop door de regering gegeven antwoorden"],
    ["Tweede Kamer der Staten-Generaal2", "Vergaderjaar 2024–2025  Aanhangsel van de Handelingen",
     "Vragen gesteld door de leden der Kamer, met de daarop door de", "regering gegeven antwoorden"],
    ["#### Vergaderjaar 2024–2025 Aanhangsel van de Handelingen", "",
     "**Vragen gesteld door de leden der Kamer, met de daarop door de**", "**regering gegeven antwoorden**"],
]


@pytest.mark.parametrize("masthead", ANSWER_MASTHEADS)
def test_an_aanhangsels_masthead_is_furniture_and_heads_no_passage(tmp_path, masthead):
    lines = [*masthead, "", "2417", "", "Vragen van het lid Van Dam (CDA) aan de minister van Infrastructuur en",
             "Waterstaat over de sluiting van de brug bij Zaltbommel (ingezonden 3 maart 2025).", "",
             "Vraag 1", "", "Kent u de door de minister in het overleg van maart genoemde en door de",
             "regering gegeven antwoorden over de brug?", "", "Antwoord 1", "", "Ja."]
    doc = _read(tmp_path, lines, "antwoord.txt")
    assert doc.meta.doc_type == "antwoord kamervragen"
    assert not any(s in doc.text for s in ("Staten-Generaal", "Vergaderjaar", "leden der Kamer"))
    assert "door de regering gegeven antwoorden over de brug?" in doc.text  # the sentence stays whole
    assert not any(b.kind == "heading" and not b.text.startswith(("Vraag", "Antwoord")) for b in doc.blocks)


def test_a_kamerstuks_masthead_is_furniture_and_its_dossier_still_titles_it(tmp_path):
    doc = _read(tmp_path, MOTION)
    assert {"Tweede Kamer der Staten-Generaal", "Vergaderjaar 2024–2025"} <= {f.text for f in doc.furniture}
    assert not any(b.kind == "heading" and ("Vergaderjaar" in b.text or "Staten-Generaal" in b.text)
                   for b in doc.blocks)
    assert doc.meta.doc_type == "motie" and "Waterbeleid" in doc.meta.title


# (the letter's text as a converter wrote it, what the body reads, the notes anchored): a marker glued to a
# year or to an acronym the paper also writes alone, or set after a year, is found where no plain one is;
# an acronym with a digit that stands nowhere alone ("HB2") keeps it.
WEAK = [
    ({"commissiedebat1 stuur": "commissiedebat van 12 juni 20241 stuur"}, "12 juni 2024 stuur", {1, 2, 3}),
    ({"Bakker c.s.2 Ook": "het HWBP2 Ook", "De waterschappen ronden": "De waterschappen van het HWBP ronden"},
     "het HWBP Ook", {1, 2, 3}),
    ({"hiermee als afgedaan.3 Over": "hiermee sinds 2025 3 als afgedaan. Over"}, "sinds 2025 als afgedaan.",
     {1, 2, 3}),
    ({"Bakker c.s.2 Ook": "Bakker c.s. volgens de HB2 norm. Ook"}, "volgens de HB2 norm.", {1, 3}),
    # a year, then the marker before a comma
    ({"hiermee als afgedaan.3 Over": "hiermee per 1 mei 2025 3, als afgedaan. Over"}, "per 1 mei 2025, als afgedaan.",
     {1, 2, 3}),
    # a span of years, the marker glued on or set after it
    ({"Bakker c.s.2 Ook": "Bakker c.s. in de plannen 2022-20272, Ook"}, "in de plannen 2022-2027, Ook", {1, 2, 3}),
    ({"Bakker c.s.2 Ook": "Bakker c.s. in de plannen 2022-2027 2, Ook"}, "in de plannen 2022-2027, Ook", {1, 2, 3}),
]


@pytest.mark.parametrize("changes, reads, anchored", WEAK)
def test_a_marker_glued_to_a_year_or_acronym_is_found_where_no_plain_one_is(changes, reads, anchored):
    text = letter()
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    lay = parse(text)
    body, _, notes = assemble(lay.body, lay.notes)
    assert reads in body
    assert {n.number for n in notes if n.anchor is not None} == anchored


@pytest.mark.parametrize("group", ["[2 3 ]", "[2, 3]", "[2,3 ]"])
def test_two_notes_at_one_place_in_markdown_are_both_anchored_there(tmp_path, group):
    lines = ["#### Vergaderjaar 2024–2025 Aanhangsel van de Handelingen", "", "### 2417", "",
             "**Vraag 1**", "", "Kent u het bericht over de sluis?[1 ]", "", "**Antwoord 1**", "",
             f"Ja. De regels staan in de waterwet en de beleidsregel.{group} Verder is het beheerplan bekend.", "",
             "1 NOS, 2 oktober 2024, «Sluis bij Terneuzen dicht».", "2 Waterwet, artikel 5.",
             "3 Beleidsregel sluizen 2022."]
    doc = _read(tmp_path, lines, "antwoord.txt")
    assert "de beleidsregel. Verder is het beheerplan" in doc.text
    at = {n.number: n.anchor for n in doc.footnotes}
    assert at[2] == at[3] == doc.text.index(" Verder")


@pytest.mark.parametrize("signature", [
    ["De voorzitter van de commissie, Hamstra", "De griffier van de commissie, Ter Veer"],
    ["De voorzitter van de commissie,", "Hamstra", "De adjunct-griffier van de commissie,", "Ter Veer"],
])
def test_a_lijst_van_vragens_signature_heads_nothing_and_ends_before_the_first_question(signature):
    lines = ["De vaste commissie voor Infrastructuur en Waterstaat heeft een aantal vragen voorgelegd aan de",
             "Minister van Infrastructuur en Waterstaat over de begroting van het ministerie voor het jaar 2026.",
             "De Minister heeft deze vragen beantwoord bij brief van 27 oktober 2025.", *signature, "1",
             "Hoeveel sluizen worden in 2026 gerenoveerd, en welke liggen in Zeeland?",
             "In 2026 worden vier sluizen gerenoveerd, waarvan twee in Zeeland. De planning staat in de bijlage.",
             "2", "Wanneer is de renovatie van de sluis bij Terneuzen klaar?",
             "De renovatie is naar verwachting in het voorjaar van 2027 klaar, zoals de aannemer heeft gemeld.",
             "3", "Wat kost de renovatie van de vier sluizen samen, en uit welk fonds wordt zij betaald?",
             "De renovatie kost samen 212 miljoen euro en wordt uit het Mobiliteitsfonds betaald."]
    lay = parse("\n".join(lines))
    _, blocks, _ = assemble(lay.body, lay.notes)
    assert not [b.text for b in blocks if b.kind == "heading" and ("commissie" in b.text or b.text == "Hamstra")]
    assert any(b.text.startswith("1 Hoeveel sluizen") for b in blocks)
    assert any(b.text.endswith("Ter Veer") for b in blocks)


@pytest.mark.parametrize("stamp", ["Vastgesteld 30 oktober 2025", "Voorgesteld 12 maart 2025", "Ontvangen 3 april 2025",
                                   "Voorgesteld tijdens het Wetgevingsoverleg van 12 februari 2024",
                                   "Den Haag, 17 april 2025", "’s-Gravenhage, 2 juni 2025",
                                   "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", "14 februari 2024",
                                   "woensdag 3 april 2009", "Voorgesteld"])
def test_a_papers_date_stamp_or_addressee_heads_nothing(stamp):
    body = "\n\n".join(["27 625 Waterbeleid", stamp, "De Kamer, gehoord de beraadslaging, verzoekt de regering de "
                        "Kamer jaarlijks over de voortgang van de dijkversterkingen te informeren."])
    _, blocks, _ = assemble(body, [])
    assert {b.text: b.kind for b in blocks}[stamp] == "paragraph"


def _aanhangsel(apart: str) -> str:
    """Two pages of answers to Kamervragen as pdftotext writes them: each note's raised number on a line of
    its own, `apart` from its text (raw: a blank line or the colophon between; -layout: the text indented
    on the next line); note 3 cites a Kamerstuk in the form of a Kamerstuk's page foot."""
    def note(n, text):
        return [f"{' ' * 20 if apart == 'layout' else ''}{n}", *([""] if apart == "raw" else []),
                f"{' ' * 24 if apart == 'layout' else ''}{text}"]
    first = ["Vraag 1", "Kent u het bericht «Bibliotheek in Emmen sluit op zaterdag»?1", "",
             "Antwoord 1", "Ja. De gemeente heeft de openingstijden ingekort om te besparen.", "",
             *note(1, "Dagblad van het Noorden, 2 april 2025, «Bibliotheek in Emmen sluit op zaterdag»"), "",
             "ah-tk-20242025-1234", "ISSN 0921 - 7398", "’s-Gravenhage 2025", "",
             "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel", "", "1"]
    second = ["Vraag 2", "Hoeveel bibliotheken gingen sinds 2020 dicht?2", "", "Antwoord 2",
              "Volgens de monitor van de koepel sloten er veertien vestigingen.3", "",
              *note(2, "Koninklijke Bibliotheek, Bibliotheekmonitor 2024"),
              *note(3, "Tweede Kamer, vergaderjaar 2022–2023, 33 846, nr. 92"), "",
              "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel", "", "2"]
    return "\n".join(first) + "\n\f" + "\n".join(second) + "\n"


@pytest.mark.parametrize("apart", ["raw", "layout"])
def test_a_note_number_on_a_line_of_its_own_opens_its_note(apart):
    lay = parse(_aanhangsel(apart))
    body, _, notes = assemble(lay.body, lay.notes)
    assert [(n.number, " ".join(n.text.split())) for n in notes] == [
        (1, "Dagblad van het Noorden, 2 april 2025, «Bibliotheek in Emmen sluit op zaterdag»"),
        (2, "Koninklijke Bibliotheek, Bibliotheekmonitor 2024"),
        (3, "Tweede Kamer, vergaderjaar 2022–2023, 33 846, nr. 92")]
    assert "Bibliotheekmonitor" not in body and "33 846" not in body
    assert body.rstrip().endswith("veertien vestigingen.")


def test_notes_a_converter_ran_together_and_a_web_address_under_a_running_sentence():
    """pypdfium2 writes a page's notes on one line, and note 1 here is a web address under a sentence that
    runs on to the next page."""
    text = "\n".join([
        "Vraag 1", "Kent u de website van de bibliotheek in Emmen?1", "", "Antwoord 1",
        "Ja. De bibliotheek meldt daar dat zij op zaterdag dicht is, omdat de gemeente de",
        "1 https://www.bibliotheekemmen.nl/openingstijden",
        "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 1\fsubsidie voor dit jaar heeft verlaagd.", "",
        "Vraag 2", "Hoeveel bibliotheken gingen sinds 2020 dicht?2", "", "Antwoord 2",
        "Volgens de monitor van de koepel sloten er veertien vestigingen.3",
        "2 Koninklijke Bibliotheek, Bibliotheekmonitor 2024. 3 Tweede Kamer, vergaderjaar 2022–2023, 33 846, nr. 92",
        "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel 2"])
    lay = parse(text)
    body, _, notes = assemble(lay.body, lay.notes)
    assert [(n.number, n.text) for n in notes] == [
        (1, "https://www.bibliotheekemmen.nl/openingstijden"), (2, "Koninklijke Bibliotheek, Bibliotheekmonitor 2024."),
        (3, "Tweede Kamer, vergaderjaar 2022–2023, 33 846, nr. 92")]
    assert "de gemeente de subsidie voor dit jaar heeft verlaagd" in " ".join(body.split())


def _numbers_after(feed: str) -> str:
    """A ministry letter as plain pdftotext writes it when the note numbers are set small beside their notes:
    the first notes' texts stand above the others, their numbers after them at the page foot, a body sentence
    running on above them; on page 2 a note of two lines, its number after it."""
    first = ["Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur", "",
             "Geachte voorzitter,", "In mijn brief van 3 maart jl. 1, heb ik de aanpak van de stikstofbank",
             "toegelicht. Met het programma 2 bundelen we de inzet van provincies, en we sluiten aan op",
             "de Europese regels voor natuurherstel 3. De provincies hebben de eerste vergunningen",
             "verleend en", "Kamerstuk 35 334, nr. 201.", "Kamerstuk 35 334, nr. 187.", "3",
             "Verordening (EU) 2024/1991 inzake natuurherstel.", "1", "2", "", "Pagina 1 van 2"]
    second = ["Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur", "",
              "werken de ruimte die vrijkomt toe aan de boeren die meedoen. Het Planbureau rekent de",
              "opbrengst van de bank na (zie het rapport Stikstofruimte 4) en daarmee sta ik aan de lat.",
              "Planbureau voor de Leefomgeving. Stikstofruimte in de provincies, zie",
              "https://www.pbl.nl/publicaties/stikstofruimte-provincies.", "", "4", "", "Pagina 2 van 2"]
    return "\n".join(first) + feed + "\n".join(second) + "\n"


@pytest.mark.parametrize("feed", ["\f", "\n\n"])
def test_notes_whose_numbers_stand_after_them_at_the_page_foot(feed):
    lay = parse(_numbers_after(feed))
    body, _, notes = assemble(lay.body, lay.notes)
    assert [(n.number, " ".join(n.text.split())) for n in notes] == [
        (1, "Kamerstuk 35 334, nr. 201."), (2, "Kamerstuk 35 334, nr. 187."),
        (3, "Verordening (EU) 2024/1991 inzake natuurherstel."),
        (4, "Planbureau voor de Leefomgeving. Stikstofruimte in de provincies, zie "
            "https://www.pbl.nl/publicaties/stikstofruimte-provincies.")]
    assert all(n.anchor is not None for n in notes)
    assert "35 334" not in body and "Planbureau voor de Leefomgeving" not in body
    assert "vergunningen verleend en werken de ruimte" in " ".join(body.split())


def test_a_bare_page_number_under_a_sentence_is_no_note():
    """A one-page letter's page number under its last sentence, with a "1" in the body: no note."""
    lay = parse("\n".join(["Geachte voorzitter,", "Fase 1 van het programma loopt tot de zomer, zoals ik u schreef.",
                           "Ik stuur u het verslag van fase 1.", "", "1", ""]))
    assert lay.notes == []


def test_bare_page_numbers_end_the_pages_of_a_text_without_form_feeds():
    """pdftotext -nopgbrk of a fiche whose pages are numbered bare: each number stands between blank lines,
    and each note's number stands on a line of its own above its text."""
    pages = []
    for n, (body, note) in enumerate([("De Commissie stelt een verordening voor over betaaltermijnen 1.",
                                       "Voorstel COM(2023) 533 voor een verordening betaaltermijnen."),
                                      ("Het kabinet steunt het doel van het voorstel 2, met kanttekeningen.",
                                       "Richtlijn 2011/7/EU betreffende bestrijding van betalingsachterstand."),
                                      ("Het voorstel raakt ook de positie van het mkb 3, zo blijkt uit de analyse.",
                                       "SEO Economisch Onderzoek, Betaalgedrag in Nederland, 2022.")], start=1):
        pages.append(f"{body}\nDe gevolgen voor de rijksbegroting zijn na {n} jaar te overzien.\n\n{n}\n{note}\n\n{n}\n")
    lay = parse("\n".join(pages))
    body, _, notes = assemble(lay.body, lay.notes)
    assert [n.number for n in notes] == [1, 2, 3] and notes[2].text.startswith("SEO Economisch Onderzoek")
    assert "COM(2023) 533" not in body and "na 3 jaar te overzien." in body


def test_a_heading_left_at_one_pages_foot_is_body_not_page_foot():
    page1 = "\n".join(["Geachte voorzitter,", "", "Met deze brief stuur ik u de voortgangsrapportage over de bodemdaling.", "",
                       "Vervolgstappen", "", "Pagina 1 van 2"])
    page2 = "\n".join(["De provincies werken de gebiedsplannen in 2026 uit.", "", "Hoogachtend,", "", "Pagina 2 van 2"])
    lay = parse(page1 + "\f" + page2)
    assert "Vervolgstappen" in lay.body and "Vervolgstappen" not in [f[1] for f in lay.furniture]


def test_lines_left_in_the_body_that_read_as_notes_are_named():
    """What a converter's shape hid from the reader is named, not lost without a word: note lines left in
    the body, their markers in it. Numbered headings with references to them are no notes."""
    from pipeline.extract_text import _notes_left
    from pipeline.layout import RawFootnote
    page = ["1 Inleiding", "De aanpak staat in hoofdstuk 2 en de kosten in de bijlage 3. Zie ook de brief 4.",
            "2 Aanpak", "3 Kamerstuk 35 334, nr. 201.", "4 Zie https://www.rijksoverheid.nl/stikstof"]
    assert _notes_left([page], [], "\n".join(page)) == [3, 4]
    assert _notes_left([page[:3]], [], "\n".join(page[:3])) == []
    # numbers set apart at a page's foot, after the last note read; a numbered list's numbers are no notes
    foot = ["De provincies ronden de plannen af 5 en de waterschappen volgen 6.", "Hoogachtend,", "5", "6"]
    listed = ["Vraag", "5", "Hoeveel kilometer dijk is afgekeurd?", "6", "Wanneer is die versterkt?",
              *["Het antwoord volgt in de brief over de voortgang van het programma."] * 6]
    read = [RawFootnote(4, "Kamerstuk 35 334, nr. 201.", 1)]
    assert _notes_left([foot], read, "\n".join(foot)) == [5, 6]
    assert _notes_left([listed], read, "\n".join([foot[0], *listed])) == []


@pytest.mark.parametrize("feed", ["\f", "\n\n"])
def test_a_run_of_note_numbers_above_their_texts(feed):
    """Plain pdftotext of the same template may write the numbers of a page's notes in a run above their
    texts; a note of the page before that ends open does not take them."""
    first = ["Geachte voorzitter,", "Zoals aangegeven in de brief van 4 juli 1 is de inzet ongewijzigd.",
             "1 Kamerstukken II 2023/24, 29 665, nr. 410", "Pagina 1 van 2"]
    second = ["De Commissie stelt een herziening van de richtlijn voor 2 en de lidstaten meten mee 3.",
              "Het RIVM werkt de meetmethode uit met de andere lidstaten, te beginnen bij de grote",
              "luchthavens. Daarover informeer ik u na de zomer.", "2", "3", "Kamerstukken II 2023/24, 29 665, nr. 432.",
              "https://ec.europa.eu/commission/presscorner/detail/nl/ip_24_1234", "Pagina 2 van 2"]
    lay = parse("\n".join(first) + feed + "\n".join(second) + "\n")
    body, _, notes = assemble(lay.body, lay.notes)
    assert [(n.number, n.text) for n in notes] == [
        (1, "Kamerstukken II 2023/24, 29 665, nr. 410"), (2, "Kamerstukken II 2023/24, 29 665, nr. 432."),
        (3, "https://ec.europa.eu/commission/presscorner/detail/nl/ip_24_1234")]
    assert "nr. 432" not in body and body.rstrip().endswith("na de zomer.")


def test_a_note_under_its_bare_number_is_no_earlier_note_going_on():
    """pdftotext -raw: note 1 ends with a web address (no full stop), and note 3 on the next page opens in
    lower case under its number; it is note 3, not the rest of note 1."""
    first = ["Geachte voorzitter,", "Het overzicht van de regio's staat op de website van het programma.1 De",
             "1", "Zie https://www.regiodeals.nl/overzicht/", "Pagina 1 van 2"]
    second = ["provincies voeren de regiodeals uit.2 Daarbij sluiten zij aan op de akkoorden in de zorg.3",
              "Over de voortgang informeer ik u in het voorjaar.", "2", "Kamerstuk 29 697, nr. 112.", "3",
              "zoals het Integraal Zorgakkoord en het Gezond en Actief Leven Akkoord.", "Pagina 2 van 2"]
    lay = parse("\n".join(first) + "\f" + "\n".join(second) + "\n")
    assert [(n.number, n.text) for n in lay.notes] == [
        (1, "Zie https://www.regiodeals.nl/overzicht/"), (2, "Kamerstuk 29 697, nr. 112."),
        (3, "zoals het Integraal Zorgakkoord en het Gezond en Actief Leven Akkoord.")]


def test_a_side_column_as_pdftotext_layout_sets_it_is_furniture():
    """-layout sets a ministry letter's side column far indented between the body's lines, and its first line on
    the body line that shares its baseline. Every page here: "Ministerie van Justitie en Veiligheid", "Ons
    kenmerk" and a number, one of them glued onto a body line."""
    col = " " * 84
    pages = []
    for n, words in enumerate(["gemeenten", "provincies", "waterschappen"], start=1):
        pages.append("\n".join([
            f"De {words} werken mee aan de aanpak van ondermijning in de haven.    Ministerie van Justitie",
            f"{col}en Veiligheid",
            f"Zij delen sinds {2020 + n} hun informatie met de politie en het Openbaar Ministerie in het",
            f"{col}Ons kenmerk",
            f"regionale informatie- en expertisecentrum, zodat {n * 40} signalen sneller worden opgepakt.",
            f"{col}JenV-DGO / 6123456",
            "", f"{' ' * 80}Pagina {n} van 3"]))
    lay = parse("\f".join(pages))
    assert not any(w in lay.body for w in ("Ministerie van Justitie", "en Veiligheid", "Ons kenmerk", "6123456"))
    assert "in de haven. Zij delen sinds 2021 hun informatie met de politie" in " ".join(lay.body.split())
    assert sum(f[1] == "Ons kenmerk" for f in lay.furniture) == 3


def test_a_note_that_ends_with_a_web_address_ends_there():
    """pdfminer.six writes page 1's colofon column after the notes; the last note ends with a web address,
    no full stop, and the column's lines are not its rest."""
    colofon = ["Directoraat-generaal Wonen", "Bezoekadres", "Turfmarkt 147", "2511 DP Den Haag", "Postadres",
               "Postbus 20011", "2500 EA Den Haag", "Overheidsidentificatienr", "00000001003214369000",
               "T 070 426 6426 (algemeen)", "Ons kenmerk", "2025-0000456789"]
    page = ["Geachte voorzitter,", "De bouw van woningen blijft achter bij de plannen.1 Gemeenten melden vooral",
            "tekorten aan netcapaciteit.2 Daarover informeer ik u in het najaar.",
            "1 Kamerstuk 32 847, nr. 1101.", "2 Zie de monitor op https://www.volkshuisvestingnederland.nl/monitor/",
            *colofon, "Pagina 1 van 1"]
    lay = parse("\n".join(page) + "\n")
    assert [(n.number, n.text) for n in lay.notes] == [
        (1, "Kamerstuk 32 847, nr. 1101."), (2, "Zie de monitor op https://www.volkshuisvestingnederland.nl/monitor/")]


def test_a_note_whose_marker_is_glued_to_an_acronym_is_read_above_the_next():
    """Note 2's marker is glued to an acronym the letter writes nowhere else ("DSA2"), so it is not found as a
    marker; note 2 stands right above note 3, and it is note 2, not body."""
    first = ["Geachte voorzitter,", "Met deze brief informeer ik u over het toezicht op online platforms.1 De",
             "1 Kamerstuk 26 643, nr. 1120.", "Pagina 1 van 2"]
    second = ["toezichthouders beginnen met de grote platforms (via de DSA2), en daarna met de kleinere",
              "aanbieders.3 Over de eerste resultaten informeer ik u in het najaar.",
              "2 Digital Services Act, Verordening (EU) 2022/2065", "3 Autoriteit Consument en Markt, Jaarplan 2025.",
              "Pagina 2 van 2"]
    lay = parse("\n".join(first) + "\f" + "\n".join(second) + "\n")
    body, _, notes = assemble(lay.body, lay.notes)
    assert [n.number for n in notes] == [1, 2, 3] and notes[1].text == "Digital Services Act, Verordening (EU) 2022/2065"
    assert "Verordening (EU) 2022/2065" not in body


def test_a_run_of_note_numbers_above_as_many_lines_without_a_full_stop():
    first = ["Geachte voorzitter,", "Het RIVM heeft de metingen afgerond, zoals gemeld in de brief van 4 juli 1 over",
             "de stand van zaken. De resultaten volgen.", "1 Kamerstukken II 2023/24, 29 665, nr. 410", "Pagina 1 van 2"]
    second = ["De sector heeft een taskforce ingesteld 2 en de Kamer stelde er vragen over 3, die zijn beantwoord.",
              "Over de aanpak informeer ik u in het voorjaar van 2026, als de eerste metingen bekend zijn.",
              "2", "3", "Kamerstukken II 2023/24, 29 665, nr. 414", "Kamerstukken II 2023/24, Aanhangsel, nr. 1694",
              "Pagina 2 van 2"]
    lay = parse("\n".join(first) + "\f" + "\n".join(second) + "\n")
    assert [(n.number, n.text) for n in lay.notes][1:] == [
        (2, "Kamerstukken II 2023/24, 29 665, nr. 414"), (3, "Kamerstukken II 2023/24, Aanhangsel, nr. 1694")]


def test_a_note_number_behind_its_note_beside_the_page_number():
    """pdftotext -raw of an answer whose pages are numbered bare: on page 2 note 3's number stands after the
    notes, its text running on from note 2, and the page number under it. Two bare numbers at one foot: the
    one that counts with the pages is the page number."""
    pages = [["Antwoord 1", "Het project is beoordeeld volgens de OESO-afspraken.1 Die gelden voor elke polis.", "",
              "1", "Kamerstuk 26 485, nr. 380.", "", "1"],
             ["Antwoord 2", "Het herstelplan is openbaar2 en de voortgang staat op de website.3 Daar wordt elk",
              "kwartaal over gerapporteerd.", "", "2", "Kamerstuk 26 485, nr. 407", "www.voorbeeld.nl/herstelplan/",
              "3", "", "2"],
             ["Antwoord 3", "Het kabinet volgt de monitoring van het project.", "", "3"]]
    lay = parse("\f".join("\n".join(p) for p in pages) + "\n")
    assert [(n.number, n.text) for n in lay.notes] == [
        (1, "Kamerstuk 26 485, nr. 380."), (2, "Kamerstuk 26 485, nr. 407"), (3, "www.voorbeeld.nl/herstelplan/")]


def test_a_marker_before_a_closing_quote():
    lay = parse("\n".join(["Geachte voorzitter,", "De Commissie publiceerde haar “Strategie voor betalingen 1”. Het",
                           "kabinet steunt die.", "1 COM(2020) 592 final.", "Pagina 1 van 1"]))
    body, _, notes = assemble(lay.body, lay.notes)
    assert notes[0].anchor is not None and "betalingen”." in body


def test_a_note_number_set_apart_at_the_foot_of_a_text_without_page_ends_is_named():
    """pdftotext -nopgbrk of a one-page fiche: the note's number stands on a line of its own over its text,
    and with no sure page foot the note is not read (it could be body), but it is named, not lost in silence."""
    lay = parse("\n".join(["Fiche: herziening van de betaalrichtlijn", "",
                           "In 2020 publiceerde de Commissie haar “Strategie voor betalingen 1”. De strategie",
                           "beoogt snellere betalingen binnen de Unie.", "", "1",
                           "Mededeling van de Commissie over een strategie voor betalingen (COM(2020) 592).", ""]))
    assert lay.notes == [] and lay.orphan_markers == [1]


AANHANGSEL_PAGES = [
    (["Vraag 1", "Hoeveel gemalen in Zeeland zijn ouder dan vijftig jaar?", "Antwoord 1",
      "Het waterschap telt 38 gemalen van voor 1975, zo blijkt uit de inventarisatie.1 Ik informeer",
      "uw Kamer na de zomer over de planning van hun vervanging."],
     [(1, "Kamerstuk 27 625, nr. 702.")]),
    (["Vraag 2", "Welke gemalen worden als eerste vervangen?", "Antwoord 2",
      "Het waterschap vervangt eerst de gemalen bij Yerseke en Kapelle, volgens het plan",
      "van aanpak2 en de afspraken uit het bestuurlijk overleg.3"],
     [(2, "Kamerstukken II 2024/25, 27 625, nr. 715."), (3, "Kamerstuk 35 925 XII, nr. 48")]),
    (["Vraag 3", "Wat kost de vervanging?", "Antwoord 3",
      "De kosten worden geraamd op 140 miljoen euro, zoals het HWBP eerder meldde.4"],
     [(4, "Hoogwaterbeschermingsprogramma, Programmaplan 2025–2030, p. 17.")]),
    (["Vraag 4", "Wanneer is de vervanging klaar?", "Antwoord 4",
      "Het waterschap verwacht de laatste gemalen in 2031 op te leveren.5"],
     [(5, "Waterschap Scheldestromen, Meerjarenprogramma 2025, bijlage 2.")]),
]
PRINTER = ["ah-tk-20242025-2417", "ISSN 0921 - 7398", "’s-Gravenhage 2025"]
FOOT = "Tweede Kamer, vergaderjaar 2024–2025, Aanhangsel"


def _answers_without_feeds(pages, converter: str) -> str:
    """Answers to Kamervragen as a converter without form feeds writes them. pdftotext -nopgbrk: each note's
    number set apart above the notes' texts (the printer's colophon between them on the first page), then the
    running foot and the page number under it, so a note's number can count with the pages ("1" on page 1,
    "3" on page 3 in a longer paper). pdfplumber: notes numbered on their line, the foot ending the
    colophon's line with its page number."""
    out = ["Tweede Kamer der Staten-Generaal", "", "Vergaderjaar 2024–2025", "", "Aanhangsel van de Handelingen",
           "", "2417", "Vragen van het lid Van Dam (CDA) aan de minister van Infrastructuur en Waterstaat over",
           "de gemalen in Zeeland (ingezonden 3 maart 2025).", "Antwoord van minister Madlener (Infrastructuur",
           "en Waterstaat) (ontvangen 14 april 2025)."]
    for p, (body, notes) in enumerate(pages, start=1):
        printer = PRINTER if p == 1 else []
        if converter == "pdftotext-nopgbrk":
            numbers = [str(n) for n, _ in notes]
            out += [*body, "", *numbers, ""] + ([*printer, ""] if printer else []) + [t for _, t in notes]
            out += ["", FOOT] + (["", str(p), ""] if len(pages) > 1 else [""])
        else:
            out += [*body, *(f"{n} {t}" for n, t in notes), *printer[:-1],
                    " ".join([*printer[-1:], FOOT] + ([str(p)] if len(pages) > 1 else []))]
    return "\n".join(out)


@pytest.mark.parametrize("converter", ["pdftotext-nopgbrk", "pdfplumber-noff"])
@pytest.mark.parametrize("pages", [1, 2, 3, 4])
def test_the_aanhangsels_running_foot_ends_its_page_in_a_text_without_form_feeds(converter, pages):
    """One to four pages: a one-page paper has no page number, two pages count too few to tell page numbers
    by counting alone, note 1 on page 1 and note 3 in a run on page 2 count with the pages, and four running
    feet recur often enough to be taken for the next page's header."""
    shown = AANHANGSEL_PAGES[:pages]
    lay = parse(_answers_without_feeds(shown, converter))
    body, _, notes = assemble(lay.body, lay.notes)
    assert [(n.number, n.text) for n in notes] == [note for _, page_notes in shown for note in page_notes]
    assert all(n.anchor is not None for n in notes) and lay.orphan_markers == []
    assert "Vraag 2" not in " ".join(n.text for n in notes)  # no question ran on into a note
    assert "ISSN" not in body and "27 625" not in body
    assert "Ik informeer uw Kamer na de zomer over de planning" in " ".join(body.split())


@pytest.mark.parametrize("opening", ["mr. drs. P.J. van Wijk", "bol.com en andere webwinkels bieden de dienst aan."])
def test_a_wrapped_note_whose_last_line_stops_short_takes_no_lines_from_the_next_page(opening):
    """A note that wraps and ends short of the line above it, without a full stop (a web page's title), is
    ended: the next page's signature ("mr. …") or a sentence opening with a name written in lower case stays
    in the body. A note the page's foot cut off mid-line goes on above the next page's notes."""
    def letter(note1: str, above_note2: str) -> str:
        page1 = ["Geachte voorzitter,", "", "Met deze brief informeer ik u over de voortgang van de aanpak van",
                 "onlinefraude, zoals toegezegd in het commissiedebat.1", "", note1, "", "Pagina 1 van 2"]
        page2 = ["De banken en de politie werken daarin samen.2", "", "De minister van Justitie en Veiligheid,", "",
                 above_note2, "", "2 Kamerstuk 29 517, nr. 251.", "", "Pagina 2 van 2"]
        return "\n".join(page1) + "\f" + "\n".join(page2)

    ended = parse(letter("1 Fraudehelpdesk, Jaaroverzicht 2024: online oplichting in cijfers | Fraudehelpdesk\n"
                         "Nederland", opening))
    assert [" ".join(n.text.split()) for n in ended.notes] == [
        "Fraudehelpdesk, Jaaroverzicht 2024: online oplichting in cijfers | Fraudehelpdesk Nederland",
        "Kamerstuk 29 517, nr. 251."]
    assert opening in ended.body
    cut_off = parse(letter("1 Fraudehelpdesk, Jaaroverzicht 2024: online oplichting in cijfers, tabel 3 en de",
                           "toelichting bij de cijfers per provincie."))
    assert " ".join(cut_off.notes[0].text.split()).endswith("tabel 3 en de toelichting bij de cijfers per provincie.")


@pytest.mark.parametrize("bullet", ["•", "\uf0b7", "(cid:129)"])
def test_a_list_set_line_under_line_is_read_item_by_item(tmp_path, bullet):
    """pdfplumber and pdftotext set a list's items right under one another, without a blank line; pdfminer.six
    and pdfplumber write a symbol font's bullet they cannot map as "(cid:129)". Each item is a list item, and
    a bullet read as one is no character the converter lost."""
    lines = ["Geachte voorzitter,", "", "Met deze brief informeer ik u over de aanpak van de wachtlijsten in de",
             "jeugdhulp. Het kabinet zet daarbij drie stappen:", f"{bullet} de regio's maken afspraken over de inkoop",
             f"{bullet} de gemeenten delen hun wachttijden per maand", f"{bullet} de inspectie kijkt mee bij de",
             "  zwaarste zorg", "", "Daarna volgt in het najaar een evaluatie."]
    doc = _read(tmp_path, lines, "brief.txt")
    assert [b.text for b in doc.blocks if b.kind == "list_item"] == [
        "de regio's maken afspraken over de inkoop", "de gemeenten delen hun wachttijden per maand",
        "de inspectie kijkt mee bij de zwaarste zorg"]
    assert not doc.checks.warnings


@pytest.mark.parametrize("bullet", ["·", "•", "\uf0b7"])
def test_a_short_item_over_a_wrapped_paragraph_ends_where_its_line_ends(tmp_path, bullet):
    """A list's item that titles what follows ("· Regionale samenwerking") and the paragraph wrapped under
    it, without a blank line between them, as pdftotext and pdfplumber set them: the item ends at its short
    line, as the letter's own text reads it; an item whose first line is full goes on."""
    paragraph = ["Met de regionale tafels is een stevige beweging op gang gebracht. In de regio's wordt volop gewerkt",
                 "aan betere toegankelijkheid van de jeugdhulp, via samenwerking en nieuwe initiatieven. We zijn",
                 "hiermee op de goede weg."]
    lines = ["Geachte voorzitter,", "", *paragraph[:1], *paragraph[1:], "", f"{bullet} Regionale samenwerking",
             *paragraph, "", f"{bullet} De inspectie kijkt in het voorjaar mee bij de zwaarste zorg en bij de",
             "wachtlijsten van de jeugdhulp in de regio's."]
    doc = _read(tmp_path, lines, "brief.txt")
    assert [b.text for b in doc.blocks if b.kind == "list_item"] == [
        "Regionale samenwerking",
        "De inspectie kijkt in het voorjaar mee bij de zwaarste zorg en bij de wachtlijsten van de jeugdhulp in de regio's."]
    assert [b.text for b in doc.blocks].count(" ".join(paragraph)) == 2


def test_a_glyph_the_converter_could_not_map_inside_a_line_is_named(tmp_path):
    doc = _read(tmp_path, ["Geachte voorzitter,", "", "De kosten stijgen met 4 (cid:13) 6 procent per jaar."], "brief.txt")
    assert "(cid:" not in doc.text and doc.checks.warnings == ["1 character the converter could not map (shown as �)"]


def test_a_list_items_first_line_set_apart_by_pdfminer_joins_the_rest_of_the_item(tmp_path):
    lines = ["Geachte voorzitter,", "", "Het kabinet zet drie stappen.", "",
             "• De regio's maken in het voorjaar afspraken over de", "",
             "inkoop van jeugdhulp en delen hun wachttijden.", "",
             "• De inspectie kijkt mee.", "", "dat gebeurt bij de zwaarste zorg."]
    doc = _read(tmp_path, lines, "brief.txt")
    assert [b.text for b in doc.blocks if b.kind == "list_item"] == [
        "De regio's maken in het voorjaar afspraken over de inkoop van jeugdhulp en delen hun wachttijden.",
        "De inspectie kijkt mee."]


def _pages(*pages: list[str]) -> str:
    return "\f".join("\n".join([*lines, "", f"Pagina {p} van {len(pages)}"]) for p, lines in enumerate(pages, start=1))


def test_notes_a_converter_lost_on_one_page_do_not_take_the_later_pages_notes_with_them():
    """pdftotext wrote page 2's notes above a figure's labels, where no zone can be told from the body: the
    notes of page 3 on are still read, and the two lost are named."""
    page1 = ["Geachte voorzitter,", "", "Met deze brief informeer ik u over ultrafijn stof rond luchthavens.1",
             "", "1 Kamerstukken II 2024/25, 30 175, nr. 480."]
    page2 = ["De sector heeft een taskforce ingesteld2 en werkgroepen gestart.3", "",
             "2", "Kamerstukken II 2024/25, 29 665, nr. 520", "3", "Kamerstukken II 2024/25, Aanhangsel, nr. 1702", "",
             "Begeleidingscommissie met", "onafhankelijk voorzitter", "Leden: de luchthaven, de vakbond,",
             "werkgevers en de sector", "Werkgroep", "Blootstelling", "en gezondheid", "Leden: idem",
             "Coördinatiegroep", "Leden: deskundigen van", "luchtvaartmaatschappijen", "en afhandelaars"]
    page3 = ["Het RIVM meet de uitstoot rond vier regionale luchthavens.4", "",
             "4 Kamerstukken II 2024/25, 31 936, nr. 1102."]
    page4 = ["Over de uitkomsten informeer ik u in het najaar.5", "", "5 Kamerstukken II 2024/25, 31 936, nr. 1110."]
    lay = parse(_pages(page1, page2, page3, page4))
    assert [n.number for n in lay.notes] == [1, 4, 5]
    assert lay.notes[1].text == "Kamerstukken II 2024/25, 31 936, nr. 1102."


def test_notes_whose_texts_stand_apart_above_a_numbered_note_and_their_numbers_after_it():
    """pdftotext: two notes' texts, a line each and none ending a sentence, then a note with its number
    above it, then the two numbers; set apart from the body by a blank line, or right under it."""
    page1 = ["In antwoord op Kamervragen1 en tijdens het commissiedebat2 is toegezegd de Kamer te informeren.",
             "Het onderzoek naar zeer zorgwekkende stoffen heeft vertraging opgelopen.3", "",
             "Kamerstukken II 2023/24, 31 936, nr. 1020", "Kamerstukken II 2023/24, Aanhangsel, nr. 2051",
             "3", "Kamerstukken II 2024/25, 31 936, nr. 1099", "1", "2"]
    page2 = ["Het RIVM rondt het onderzoek in 2026 af,4 zoals de bestuursovereenkomst5 vraagt.6",
             "Kamerstukken II 2024/25, 31 936, nr. 1105", "Kamerstukken II 2024/25, 35 334, nr. 90", "6",
             "Kamerstukken II 2024/25, 29 665, nr. 540", "4", "5"]
    lay = parse(_pages(page1, page2))
    assert [(n.number, n.text) for n in lay.notes] == [
        (1, "Kamerstukken II 2023/24, 31 936, nr. 1020"), (2, "Kamerstukken II 2023/24, Aanhangsel, nr. 2051"),
        (3, "Kamerstukken II 2024/25, 31 936, nr. 1099"), (4, "Kamerstukken II 2024/25, 31 936, nr. 1105"),
        (5, "Kamerstukken II 2024/25, 35 334, nr. 90"), (6, "Kamerstukken II 2024/25, 29 665, nr. 540")]


def test_a_reference_ends_a_note_whose_number_stands_apart_from_its_text():
    """A note that is a Kamerstuk ("Kamerstuk 26 485, nr. 380") ends without a full stop: where pdftotext sets
    the numbers apart, above the texts or after them, it still ends the note, so the next text is a note of
    its own and not the rest of this one."""
    page1 = ["Geachte voorzitter,", "", "De kredietverzekering toetst elk project aan het beleid1 en maakt dat",
             "openbaar.2", "", "1", "2", "", "Kamerstuk 26 485, nr. 380",
             "Het actuele transparantiebeleid is te raadplegen op de website van de kredietverzekeraar:",
             "Beleidsdocumenten, transparantie en mvo (kredietverzekeraar.nl)"]
    page2 = ["Zoals in de tweede voortgangsbrief3 is opgenomen, werken Rijk en regio samen aan de",
             "leefomgeving rond de luchthaven. Een van de acht opgaven uit de bestuursovereenkomst4 betreft5",
             "Kamerstukken II 2023/24, 31 936, nr. 1104", "Kamerstukken II 2023/24, 35 334, nrs. 92 en 94",
             "5", "Kamerstukken II 2024/25, 29 665, nr. 541", "3", "4"]
    lay = parse(_pages(page1, page2))
    assert [(n.number, " ".join(n.text.split())) for n in lay.notes] == [
        (1, "Kamerstuk 26 485, nr. 380"),
        (2, "Het actuele transparantiebeleid is te raadplegen op de website van de kredietverzekeraar: "
            "Beleidsdocumenten, transparantie en mvo (kredietverzekeraar.nl)"),
        (3, "Kamerstukken II 2023/24, 31 936, nr. 1104"), (4, "Kamerstukken II 2023/24, 35 334, nrs. 92 en 94"),
        (5, "Kamerstukken II 2024/25, 29 665, nr. 541")]


def test_a_note_opening_with_an_amount_after_a_skipped_number_and_that_number_behind_the_zone():
    """pdftotext -raw: note 2's number written behind the zone, its text run on from note 1's, and note 3
    opening with an amount under its bare number ("3" / "10 miljoen euro …"), which is no note 10."""
    page = ["Geachte voorzitter,", "", "Het Amerikaanse standaardeninstituut1 en het Nederlandse onderzoekscentrum2",
            "werken aan nieuwe standaarden, waarvoor NWO geld toekende3 en waarover in Amsterdam een conferentie4",
            "werd gehouden.", "",
            "1", "", "Post-Quantum Cryptography | CSRC (nist.gov)", "CWI draagt bij aan twee standaarden voor versleuteling",
            "3", "10 miljoen euro toegekend voor onderzoek naar cybersecurity | NWO", "4",
            "Conferentie over quantumveilige cryptografie, 7 en 8 november 2023, Amsterdam | PKI", "Consortium", "2"]
    lay = parse(_pages(page))
    assert [(n.number, " ".join(n.text.split())) for n in lay.notes] == [
        (1, "Post-Quantum Cryptography | CSRC (nist.gov)"), (2, "CWI draagt bij aan twee standaarden voor versleuteling"),
        (3, "10 miljoen euro toegekend voor onderzoek naar cybersecurity | NWO"),
        (4, "Conferentie over quantumveilige cryptografie, 7 en 8 november 2023, Amsterdam | PKI Consortium")]


def test_note_numbers_mixed_with_their_texts_at_the_foot_pair_in_order_and_an_unsure_foot_is_named(tmp_path):
    """Plain pdftotext sets note numbers apart from their texts at a page's foot in no fixed order, the texts
    in theirs: the texts pair with the numbers sorted. A foot that could open at two lines (the body above
    runs on into a note's first line) is not read, and its note is named; the later pages' notes are still
    read. A bare "1" on a page that names its number elsewhere is a note's number, and under a number a web
    address may go on (pdftotext -layout)."""
    page1 = ["Geachte voorzitter,", "", "Het beheer van de duinen staat beschreven in het beheerplan1 dat de",
             "provincie in het voorjaar heeft vastgesteld en dat de",
             "https://www.voorbeeldprovincie.nl/documenten/beheerplan-duinen-2025", "1"]
    page2 = ["De waterschappen stellen hun peilbesluiten op2 en nemen daarin de nieuwe ramingen3 mee. Het",
             "Rijk ondersteunt hen daarbij met een handreiking.4", "",
             "Kamerstukken II 2024/25, 27 625, nr. 688", "Kamerstukken II 2024/25, 35 325, nr. 9", "4",
             "Waar in deze brief sprake is van peilbesluiten, worden ook de tijdelijke besluiten",
             "van de waterschappen bedoeld.", "2", "3"]
    page3 = ["Drinkwaterbedrijven en de industrie5 overleggen met de Vewin6 over het terugdringen van",
             "Bkl = Besluit kwaliteit leefomgeving; Bal = Besluit activiteiten", "Leefomgeving", "6",
             "Vereniging van drinkwaterbedrijven in Nederland", "5"]
    page4 = ["het gebruik. Over de voortgang rapporteren wij jaarlijks aan de Kamer, zoals de wet7 voorschrijft.",
             "", "https://wetten.voorbeeld.nl/regeling/BWBR0041313/2024-01-01%", "7", "", "20bijlage/1"]
    (tmp_path / "brief.txt").write_text(_pages(page1, page2, page3, page4), encoding="utf-8")
    doc = extract(tmp_path / "brief.txt")
    assert [(n.number, " ".join(n.text.split())) for n in doc.footnotes] == [
        (1, "https://www.voorbeeldprovincie.nl/documenten/beheerplan-duinen-2025"),
        (2, "Kamerstukken II 2024/25, 27 625, nr. 688"), (3, "Kamerstukken II 2024/25, 35 325, nr. 9"),
        (4, "Waar in deze brief sprake is van peilbesluiten, worden ook de tijdelijke besluiten van de "
            "waterschappen bedoeld."),
        (6, "Vereniging van drinkwaterbedrijven in Nederland"),
        (7, "https://wetten.voorbeeld.nl/regeling/BWBR0041313/2024-01-01% 20bijlage/1")]
    assert "Bkl = Besluit kwaliteit leefomgeving" in doc.text and doc.checks.numbering_gaps == [5]


def test_a_note_ending_in_a_reference_takes_no_signature_on_the_next_page():
    """A note whose last line is a reference ("…, nr. 640") is whole: the signature opening in lower case on
    the next page ("drs. …") is the letter's, not the note's rest."""
    page1 = ["Geachte voorzitter,", "", "De afspraken staan in de eerdere brief over de landbouw.1", "",
             "1", "", "Kamerstukken II 2024/25, 27 625, nr. 640"]
    page2 = ["Hoogachtend,", "", "DE STAATSSECRETARIS VAN INFRASTRUCTUUR EN WATERSTAAT,", "", "drs. A.B. de Vries"]
    lay = parse(_pages(page1, page2))
    assert [(n.number, n.text) for n in lay.notes] == [(1, "Kamerstukken II 2024/25, 27 625, nr. 640")]
    assert "drs. A.B. de Vries" in lay.body


def test_a_note_whose_number_stands_after_it_opens_under_the_bodys_last_sentence():
    """pdftotext: a web address, its number after it at the page foot. Under a body sentence that ends, or
    under a body line running on into the next ("… rond het" / "IJsselmeer. Het …"), the note is the web
    address alone; before, the body lines above it went into the note."""
    page1 = ["Geachte voorzitter,", "", "De provincies stellen een gebiedsprogramma op1 en het Rijk bewaakt de regels voor",
             "het bouwen buiten de dijken rond het", "IJsselmeer. Het Besluit kwaliteit leefomgeving wordt in 2026",
             "https://www.voorbeeld.nl/omgevingswet/evaluatie-buitendijks", "1"]
    page2 = ["geëvalueerd. Het programma beschrijft de aanpak van diffuse bodemverontreiniging2 per gebied.",
             "20. We herijken de aanpak van bestaande verontreiniging. Dit doen we om de risico's",
             "te beperken; geheel saneren is vaak geen optie.",
             "https://www.voorbeeld.nl/nieuws/2025/06/12/aanpak-bodemverontreiniging", "2"]
    lay = parse(_pages(page1, page2))
    assert [(n.number, n.text) for n in lay.notes] == [
        (1, "https://www.voorbeeld.nl/omgevingswet/evaluatie-buitendijks"),
        (2, "https://www.voorbeeld.nl/nieuws/2025/06/12/aanpak-bodemverontreiniging")]
    assert "geheel saneren is vaak geen optie." in lay.body and "leefomgeving wordt in 2026" in lay.body


def test_a_marker_glued_to_an_acronym_that_its_note_spells_out():
    """pdftotext: "(zoals DEMNET1" / ")": a marker glued to an acronym the body writes nowhere else, which could
    be part of a name ("COVID19"); the note that spells the acronym out ("… (DEMNET), zie …") makes it a marker."""
    page = ["Geachte voorzitter,", "", "De aandacht voor dementie leidde tot mooie initiatieven (zoals DEMNET1",
            ") die de zorg thuis verbeteren. Die lijn zetten wij door.", "1",
            "Dementienetwerk Noord. Zorg dichtbij voor mensen met dementie (DEMNET), zie",
            "https://www.voorbeeld.nl/projecten/demnet."]
    lay = parse(_pages(page))
    body, _, notes = assemble(lay.body, lay.notes)
    assert [n.number for n in notes] == [1] and notes[0].anchor is not None
    assert notes[0].text.startswith("Dementienetwerk Noord.") and "DEMNET1" not in body


def test_a_numbered_parts_title_heads_its_text_in_every_text_reading():
    """A BNC-fiche as pdftotext writes it: "4. Beoordeling …" is a title, which only the PDF sets in bold: a
    lettered part or a paragraph's full first line stands under it. The lettered parts are items with their
    text, as the PDF reader reads them; a list's items ("1. …" over "2. …"), or a numbered sentence going on
    in a short line, stay items."""
    lines = ["Het Europees Parlement heeft zich nog niet uitgesproken over het voorstel van de Commissie voor",
             "de nieuwe betaalregels.", "4. Beoordeling bevoegdheid, subsidiariteit en proportionaliteit",
             "a) Bevoegdheid",
             "Het oordeel van het kabinet ten aanzien van de bevoegdheid is positief. Het voorstel is gebaseerd",
             "op artikel 114 van het Verdrag.", "b) Subsidiariteit",
             "Het oordeel van het kabinet over de subsidiariteit van het voorstel is positief. Dit voorstel ziet",
             "op betalingen binnen de Unie.", "De Commissie noemt drie stappen:", "1. Ontvangen binnen zes maanden;",
             "2. Verzenden binnen twaalf maanden.", "5. We voeren de maatregelen uit van de richtlijn (KRW)",
             "Stroomgebiedbeheerplannen 2022-2027 uiterlijk in 2027, zoals afgesproken met de regio."]
    body, blocks, _ = assemble(parse(_pages(lines)).body, [])
    kinds = [(b.kind, b.text.split()[0]) for b in blocks]
    assert ("heading", "4.") in kinds and ("list_item", "a)") in kinds and ("list_item", "b)") in kinds
    assert ("list_item", "1.") in kinds and ("list_item", "5.") in kinds
    assert not any(kind == "heading" and word in ("1.", "2.", "5.") for kind, word in kinds)


@pytest.mark.parametrize("under, want", [
    ("Het kabinet vergoedt de opslag van CO -emissies onder de Noordzee,", "opslag van CO2-emissies onder"),
    ("Voor CO zijn ook andere vervoersmogelijk-", "Voor CO2 zijn ook andere vervoersmogelijkheden, zoals"),
    ("De uitstoot van methaan uit de veehouderij daalt, en die van CO", "daalt, en die van CO2 zoals"),
    ("Zowel CO als NO dalen dit jaar, zo meldt het planbureau in zijn", "Zowel CO als NO dalen dit jaar, zo meldt "
     "het planbureau in zijn 2 zoals"),  # two formulas: whose subscript it is, is not known; left as found
])
def test_a_subscript_pdfplumber_set_under_its_formula_goes_back(under, want):
    """pdfplumber sets CO2's subscript on a line of its own under the line, a space where it stood: the digit
    goes back after the one formula of the line above, and a word hyphenated across it is whole again."""
    rest = "heden, zoals vervoer per schip naar een opslagveld." if under.endswith("-") else \
        "zoals eerder gemeld in de voortgangsbrief."
    lines = ["Geachte voorzitter,", "", "In deze brief ga ik in op de voortgang van het klimaatbeleid.", "",
             under, "2", rest, "", "Hoogachtend,"]
    body, _, _ = assemble(parse(_pages(lines)).body, [])
    flat = " ".join(body.split())
    assert want in flat, flat
    assert flat.count(" 2 ") == ("NO" in under)
