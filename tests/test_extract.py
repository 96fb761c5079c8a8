"""Extraction: text shapes, hyphenation, the PDF round trip, metadata and bad input."""
from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path

import pytest

from conftest import CORPUS
from pipeline.errors import IngestError
from pipeline.extract import extract
from pipeline.extract_text import decode, detect_shape
from pipeline.layout import hyphen_vocabulary, join_lines
from tools.letters import parse_letter, render


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("lines, expected", [
    (["de samenwerkingsaf-", "spraken zijn gemaakt"], "de samenwerkingsafspraken zijn gemaakt"),
    (["in Noord-", "Holland en Zuid-Holland"], "in Noord-Holland en Zuid-Holland"),
    (["Kamerstuk 36 200-", "XVI, nr. 87"], "Kamerstuk 36 200-XVI, nr. 87"),
    (["het zorg-", "en welzijnsdomein"], "het zorg- en welzijnsdomein"),
    (["de regio-", "indelingen; elders regio-indelingen"], "de regio-indelingen; elders regio-indelingen"),
    (["een zin", "die doorloopt"], "een zin die doorloopt"),
    (["een streepje -", "los"], "een streepje - los"),
])
def test_line_end_hyphenation(lines, expected):
    assert join_lines(lines, hyphen_vocabulary("\n".join(lines))) == expected


@pytest.mark.parametrize("text, shape", [
    ("Tekst[footnoteRef:1] meer.\n[1:  Kst. 31 765, nr. 884.]", "word-export"),
    ("Tekst<sup>1</sup> meer.\n\n<sup>1</sup> Zie Kamerstuk 31765.", "markdown-from-pdf"),
    ("Een regel\nnog een regel.3\n3 Zie ook\f2\nverder", "pdf-text"),
    ("Een lange alinea die doorloopt tot ver voorbij de regelbreedte van een pagina, zoals een tekstverwerker "
     "alinea's op een regel zet wanneer niemand de tekst heeft afgebroken.\n" * 3, "plain"),
])
def test_detect_shape(text, shape):
    assert detect_shape(text) == shape


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_in_every_common_encoding_is_read(encoding):
    text = "Geachte voorzitter, het geïnvesteerde bedrag is € 5."
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):  # as Word writes "Unicode text": with its byte order mark
        data = "\ufeff".encode(encoding) + data
    assert decode(data) == text


@pytest.mark.parametrize("text", [
    "Geachte voorzitter, het geïnvesteerde bedrag van één miljoen gaat naar Curaçao en naar de coöperatie.",
    "De evaluatie (zie bijlage) volgt vóór de zomer; daarna besluit ik over de ruimtelijke inpassing.",
    "Er komt één regeling voor zeeën en rivieren.",  # é and ë: in cp1252 Mac Roman's bytes are Ž and ‘
    "Gemeenten ontvangen het geld in één keer.",
])
def test_mac_roman_is_read_as_mac_roman_and_cp1252_stays_cp1252(text):
    assert decode(text.encode("mac_roman")) == text
    assert decode(text.encode("cp1252")) == text


@pytest.mark.parametrize("data, message", [
    (b"", "empty file"),
    (b"   \n\t ", "empty file"),
    (b"\x81\x8d\x8f\x90\x9d" * 5, "not UTF-8"),
    ("tekst".encode("utf-16-le"), "not a text file"),  # UTF-16 without its byte order mark
])
def test_bad_text_gives_a_clear_error(data, message):
    with pytest.raises(IngestError, match=message):
        decode(data)


# -- the sample corpus, shape by shape --------------------------------------------------------------

EXPECTED = {
    "2024-06-20_lerarentekort-voortgang.txt": ("word-export", dt.date(2024, 6, 20), "Voortgang aanpak lerarentekort", None, 5),
    "2024-11-14_ondermijning-voortgang.txt": ("markdown-from-pdf", dt.date(2024, 11, 14),
                                              "Voortgang aanpak ondermijnende criminaliteit", "5891234", 5),
    "2025-04-17_natuurherstel-stikstof.txt": ("pdf-text", dt.date(2025, 4, 17), "Problematiek rondom stikstof en PAS", None, 5),
    "2025-03-12_hwbp-voortgang.pdf": ("pdf", dt.date(2025, 3, 12),
                                      "Voortgang Hoogwaterbeschermingsprogramma en afhandeling moties",
                                      "IENW/BSK-2025/41873", 6),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_document(name):
    shape, date, title, kenmerk, notes = EXPECTED[name]
    doc = extract(CORPUS / name)
    assert (doc.shape, doc.meta.date, doc.meta.title, doc.meta.kenmerk) == (shape, date, title, kenmerk)
    assert [n.number for n in doc.footnotes] == list(range(1, notes + 1))
    # every footnote has its marker in the body, in order
    anchors = [n.anchor for n in doc.footnotes]
    assert None not in anchors and anchors == sorted(anchors)
    # no markup or furniture left in the body
    assert not re.search(r"<sup>|\[footnoteRef|\*\*|Pagina \d+ van|^#", doc.text, re.M)
    for f in doc.furniture:
        if f.kind != "letterhead":
            assert f.text not in doc.text


def test_markdown_letterhead_repeated_per_page_is_furniture():
    doc = extract(CORPUS / "2024-11-14_ondermijning-voortgang.txt")
    assert doc.text.count("Retouradres") == 0
    assert doc.text.count("Ons kenmerk") == 0
    assert doc.meta.sender == "Ministerie van Justitie en Veiligheid"


def test_pdf_text_kamerstuk_header():
    meta = extract(CORPUS / "2025-04-17_natuurherstel-stikstof.txt").meta
    assert (meta.dossier, meta.ondernummer, meta.doc_type) == ("35334", "287", "brief")
    assert meta.sender == "Ministerie van Landbouw, Visserij, Voedselzekerheid en Natuur"


@pytest.mark.parametrize("line, date", [
    ("Datum 12 maart 2025", dt.date(2025, 3, 12)), ("Datum 12 mrt. 2025", dt.date(2025, 3, 12)),
    ("Datum: 12-03-2025", dt.date(2025, 3, 12)), ("Datum 3/10/2024", dt.date(2024, 10, 3)),
    ("Den Haag, 1 okt 2024", dt.date(2024, 10, 1)), ("Datum 31 februari 2025", None),
    # an Aanhangsel's answer is dated by its receipt, inline, wrapped as the PDF wraps it
    ("Antwoord van Minister Dijkhuizen (Infrastructuur en Waterstaat) (ontvangen 17 juli\n2024).",
     dt.date(2024, 7, 17)),
])
def test_dates_as_papers_write_them(tmp_path, line, date):
    f = tmp_path / "brief.txt"
    f.write_text(f"{line}\nGeachte voorzitter,\nDit is de brief.\n", encoding="utf-8")
    assert extract(f).meta.date == date


def test_sidecar_overrides(tmp_path):
    f = tmp_path / "brief.txt"
    f.write_text("Datum 1 mei 2024\nGeachte voorzitter,\nDit is de brief.\n", encoding="utf-8")
    assert extract(f).meta.date == dt.date(2024, 5, 1)
    (tmp_path / "brief.txt.meta.json").write_text('{"date": "2024-05-03", "type": "rapport"}', encoding="utf-8")
    meta = extract(f).meta
    assert (meta.date, meta.doc_type) == (dt.date(2024, 5, 3), "rapport")


# -- PDF round trip ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    letter = parse_letter((CORPUS / "src" / "hwbp-voortgang.letter").read_text(encoding="utf-8"))
    path = tmp_path_factory.mktemp("pdf") / "letter.pdf"
    return letter, render(letter, path), extract(path)


def test_round_trip_fixture_has_the_hard_cases(rendered):
    _, r, _ = rendered
    assert r.pages >= 2 and r.split_notes and r.hyphenated and r.broken_paragraphs


def test_round_trip_body(rendered):
    letter, _, doc = rendered
    ratio = difflib.SequenceMatcher(None, fold(letter.body_text()), fold(doc.text)).ratio()
    assert ratio >= 0.98


def test_round_trip_footnotes(rendered):
    letter, r, doc = rendered
    assert {n.number: fold(n.text) for n in doc.footnotes} == letter.notes
    assert all(n.anchor is not None for n in doc.footnotes)


def test_round_trip_hyphenation_undone(rendered):
    _, r, doc = rendered
    for word in r.hyphenated:
        assert word in doc.text


def test_round_trip_no_furniture_in_body(rendered):
    _, _, doc = rendered
    assert "Pagina" not in doc.text and "Kenmerk IENW" not in doc.text
    assert "Ministerie van Infrastructuur en Waterstaat" not in doc.text.split("\n\n")[0]
    assert {f.kind for f in doc.furniture} >= {"running"}


# -- bad PDFs ---------------------------------------------------------------------------------------

def _image_only_pdf(path: Path) -> None:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.add_page()
    for i in range(20):  # a scan: shapes, no text layer
        pdf.rect(20, 20 + 10 * i, 150, 6, style="F")
    pdf.output(str(path))


def _encrypted_pdf(path: Path) -> None:
    from fpdf import FPDF
    pdf = FPDF()
    pdf.set_encryption(owner_password="eigenaar", user_password="geheim")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(text="Vertrouwelijk")
    pdf.output(str(path))


@pytest.mark.parametrize("make, message", [
    (_image_only_pdf, "no text layer \\(scanned\\?\\); OCR is not supported"),
    (_encrypted_pdf, "encrypted PDF"),
    (lambda p: p.write_bytes((CORPUS / "2025-03-12_hwbp-voortgang.pdf").read_bytes()[:3000]), "corrupt or truncated PDF"),
    (lambda p: p.write_bytes(b"dit is geen pdf"), "not a PDF"),
])
def test_bad_pdf_gives_its_own_error(tmp_path, make, message):
    path = tmp_path / "bad.pdf"
    make(path)
    with pytest.raises(IngestError, match=message):
        extract(path)


@pytest.mark.parametrize("note_pt", [11.0, 9.5, 7.0])
def test_pdf_notes_in_any_size(tmp_path, note_pt):
    """Notes set in the body's size, a little smaller or much smaller; the one continued on the
    next page whole, and a year opening a continued line no note number."""
    letter = parse_letter((CORPUS / "src" / "hwbp-voortgang.letter").read_text(encoding="utf-8"))
    path = tmp_path / "letter.pdf"
    render(letter, path, note_pt=note_pt)
    doc = extract(path)
    assert {n.number: " ".join(n.text.split()) for n in doc.footnotes} == {
        k: " ".join(v.split()) for k, v in letter.notes.items()}
    assert not doc.checks.warnings


@pytest.mark.parametrize("column_x", [155, 143])  # 143: the column 8.5 points right of the justified body
def test_pdf_colofon_column_beside_the_body(tmp_path, column_x):
    """The Rijksoverheid template: a column of small print (Datum, Kenmerk, Pagina) beside the body."""
    from fpdf import FPDF
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    bodies = ["Geachte voorzitter, Met deze brief informeer ik u over de dijkversterkingen in het rivierengebied. " * 4,
              "Daarnaast werk ik met de provincies aan een nieuwe verdeling van de middelen voor de kaden. " * 4]
    for page, body in enumerate(bodies, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 10)
        pdf.set_xy(25, 60)
        pdf.multi_cell(115, 5, body)
        pdf.set_font("Helvetica", "", 7)
        for i, t in enumerate(["Datum", "12 maart 2025", "Kenmerk", "IENW/BSK-2025/12345", f"Pagina {page} van 2"]):
            pdf.text(column_x, 62 + i * 8, t)
    path = tmp_path / "kolom.pdf"
    pdf.output(str(path))
    doc = extract(path)
    assert [b.text.split()[0] for b in doc.blocks] == ["Geachte", "Daarnaast"]
    assert not any(w in doc.text for w in ("Kenmerk", "Pagina", "IENW"))
    assert (doc.meta.date, doc.meta.kenmerk) == (dt.date(2025, 3, 12), "IENW/BSK-2025/12345")
    assert {f.text for f in doc.furniture if f.kind == "colofon"} >= {"Datum", "Kenmerk", "Pagina 2 van 2"}


def _lines_over_a_paragraph(tmp_path, lines: list[tuple[str, float, str]], y: float, paragraph: str):
    """A PDF of lines (style, top, text) set one by one, then a paragraph of roman text from `y`."""
    from fpdf import FPDF
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    for style, top, text in lines:
        pdf.set_font("Helvetica", style, 10)
        pdf.text(25, top, text)
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(25, y)
    pdf.multi_cell(150, 5, paragraph)
    path = tmp_path / "kop.pdf"
    pdf.output(str(path))
    return extract(path)


def test_pdf_bold_heading_as_long_as_the_body_lines_ends_at_the_paragraph_under_it(tmp_path):
    from fpdf import FPDF
    heading = "Het Landelijk Programma Oeverversterking Grote Rivieren 2025-2032 (LPOG)"
    probe = FPDF(format="A4", unit="mm")
    probe.set_font("Helvetica", "B", 10)
    assert probe.get_string_width(heading) > 0.85 * 150  # no short line: only its weight ends it
    doc = _lines_over_a_paragraph(tmp_path, [("B", 40, heading)], 42,
                                  "In het programma staan de oevers die voor 2032 worden versterkt. " * 4)
    assert [(b.kind, b.text.split()[-1]) for b in doc.blocks][:2] == [("heading", "(LPOG)"), ("paragraph", "versterkt.")]


def test_pdf_a_label_in_lower_case_under_a_bold_heading_opens_its_own_block(tmp_path):
    """A BNC-fiche: "4. Beoordeling …" in bold, "a) Bevoegdheid" in italic right under it, then its text. A line
    in lower case goes on the line above, but not one that opens with a label: the heading stays a heading
    and the lettered part is a block of its own (before, all of it was one heading of 400 characters)."""
    doc = _lines_over_a_paragraph(tmp_path, [("B", 40, "4. Beoordeling bevoegdheid en subsidiariteit"),
                                             ("I", 45.5, "a) Bevoegdheid")], 47.5,
                                  "Het kabinet beoordeelt de bevoegdheid van de Unie voor dit voorstel als positief. " * 3)
    assert [(b.kind, b.text[:20]) for b in doc.blocks][:2] == [
        ("heading", "4. Beoordeling bevoe"), ("list_item", "a) Bevoegdheid Het k")]


def test_pdf_table_in_small_print_above_the_notes_stays_in_the_body(tmp_path):
    """Answers to Kamervragen set a table in the notes' size below an answer, the page's note far below it:
    the table is body, not the rest of the note on the page before."""
    from fpdf import FPDF
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)

    def body(y, lines, marker=None):
        pdf.set_font("Helvetica", "", 10)
        for i, t in enumerate(lines):
            pdf.text(25, y + 5 * i, t)
        if marker:
            pdf.set_font("Helvetica", "", 6)
            pdf.text(25 + pdf.get_string_width(lines[-1]) * 10 / 6 + 0.5, y + 5 * (len(lines) - 1) - 1.5, marker)

    def small(y, rows):
        pdf.set_font("Helvetica", "", 7)
        for i, t in enumerate(rows):
            pdf.text(25, y + 3.5 * i, t)

    pdf.add_page()
    body(40, ["Vraag 1", "Kent u het bericht over de sluiting van het zwembad in Meppel?"], marker="1")
    body(55, ["Antwoord 1", "Ja. De gemeente heeft mij over de sluiting vooraf ingelicht."])
    small(270, ["1 Dagblad van het Noorden, 3 februari 2025, Zwembad Meppel gaat dicht"])
    pdf.add_page()
    body(40, ["Vraag 2", "Hoeveel zwembaden sloten de afgelopen jaren hun deuren?"], marker="2")
    body(55, ["Antwoord 2", "De cijfers van de branchevereniging staan hieronder:"])
    small(68, ["Sluitingen per jaar", "Jaar 2022 2023 2024", "Binnenbaden 4 7 9", "Buitenbaden 2 3 5"])
    small(270, ["2 Branchevereniging Zwembaden, Jaarcijfers 2024"])
    path = tmp_path / "antwoorden.pdf"
    pdf.output(str(path))
    doc = extract(path)
    assert {n.number: " ".join(n.text.split()) for n in doc.footnotes} == {
        1: "Dagblad van het Noorden, 3 februari 2025, Zwembad Meppel gaat dicht",
        2: "Branchevereniging Zwembaden, Jaarcijfers 2024"}
    assert "Binnenbaden 4 7 9" in doc.text


def _one_page():
    """An A4 page to set text on by coordinates, with no page break of its own."""
    from fpdf import FPDF
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    return pdf


def test_a_raised_note_number_opens_its_note_whatever_its_text_opens_with(tmp_path):
    """A note may open with a figure ("15 miljoen euro …", "2,5% van de subsidie"): its raised number
    still opens it, where plain text cannot tell "3 2,5%" from a line of figures."""
    pdf = _one_page()
    said = ["Welk budget is er voor onderzoek naar veilige versleuteling?",
            "Het programma loopt tot 2027 en wordt door de departementen gezamenlijk betaald.",
            "Hoe hoog is de vrije ruimte van de werkkostenregeling voor een werkgever?"]
    notes = ["Zie de brief van 3 maart 2025 over digitale weerbaarheid.",
             "15 miljoen euro gaat naar regionale proeftuinen, brief van 4 april 2025.",
             "2,5% van de subsidie is bestemd voor de uitvoeringskosten van de provincies."]
    for n, (t, label) in enumerate(zip(said, ["Vraag 1", "Antwoord 1", "Vraag 2"]), start=1):
        pdf.set_font("Helvetica", "", 10)
        pdf.text(25, 28 + 12 * n, label)
        pdf.text(25, 34 + 12 * n, t)
        x = 25 + pdf.get_string_width(t) + 0.3
        pdf.set_font("Helvetica", "", 6)
        pdf.text(x, 34 + 12 * n - 0.8, str(n))
    for n, t in enumerate(notes, start=1):
        pdf.set_font("Helvetica", "", 4.5)
        pdf.text(25, 262 + 4 * n - 0.5, str(n))
        pdf.set_font("Helvetica", "", 7)
        pdf.text(27, 262 + 4 * n, t)
    path = tmp_path / "antwoorden.pdf"
    pdf.output(str(path))
    assert {n.number: " ".join(n.text.split()) for n in extract(path).footnotes} == dict(enumerate(notes, start=1))


def test_pdf_notes_with_tiny_numbers_and_a_note_in_larger_type(tmp_path):
    """A ministry's letter: note numbers in 4-point type raised beside 6.5-point text (they overlap its line
    by less than half its height), and one note, a pasted link, in a type larger than the body's."""
    pdf = _one_page()
    said = ["De gemeenten hebben de eerste rapportage over de laadpalen in het voorjaar ontvangen.",
            "Daarnaast is de subsidieregeling voor buurtbatterijen met een jaar verlengd.",
            "Over de resultaten van de proef met slim laden informeer ik uw Kamer in het najaar."]
    notes = [["Kamerstuk 31 239, nr. 412, over de voortgang van de laadinfrastructuur in de", "regio's."],
             ["https://www.rijksoverheid.nl/documenten/rapporten/2025/01/15/laadpalen"],
             ["Kamerstuk 32 813, nr. 1502."]]
    for n, t in enumerate(said, start=1):
        pdf.set_font("Helvetica", "", 9)
        pdf.text(25, 40 + 6 * n, t)
        pdf.set_font("Helvetica", "", 6)
        pdf.text(25 + pdf.get_string_width(t) + 0.3, 40 + 6 * n - 1.0, str(n))
    for n in range(1, 12):  # the body's type is the page's most common
        pdf.set_font("Helvetica", "", 9)
        pdf.text(25, 70 + 6 * n, "Het netbeheer blijft een gedeelde opgave van Rijk, provincies en gemeenten.")
    y = 255
    for n, lines in enumerate(notes, start=1):
        size = 9.75 if n == 2 else 6.5
        pdf.set_font("Helvetica", "", 5.25 if n == 2 else 4)
        pdf.text(25, y - (1.5 if n == 2 else 1.2), str(n))
        pdf.set_font("Helvetica", "", size)
        for line in lines:
            pdf.text(27, y, line)
            y += size * 0.45
    path = tmp_path / "brief.pdf"
    pdf.output(str(path))
    doc = extract(path)
    assert {n.number: " ".join(n.text.split()) for n in doc.footnotes} == {
        n: " ".join(lines) for n, lines in enumerate(notes, start=1)}
    assert "Kamerstuk" not in doc.text and "rijksoverheid.nl" not in doc.text


def test_pdf_title_wrapped_onto_a_bold_line_is_no_heading(tmp_path):
    """A decision list: "3. Agendapunt:" in roman, its title in bold, wrapped onto bold lines of their own.
    The wrapped lines go on the agenda item's paragraph; the bold section title above it stays a heading."""
    from fpdf import FPDF
    pdf = FPDF(format="A4", unit="mm")
    pdf.add_page()
    y = 40

    def line(x, style, text):
        pdf.set_font("Helvetica", style, 10)
        pdf.text(x, y, text)

    rows = [(70, "B", "Wet- en regelgeving", 10),
            (25, "", "3. Agendapunt:", 0), (52, "B", "Wijziging van de Wet op de waterschappen houdende invoering van", 5),
            (52, "B", "een digitale stempas voor de verkiezingen van het algemeen bestuur van de", 5),
            (52, "B", "waterschappen", 8),
            (30, "", "Besluit: Aanmelden voor plenaire behandeling.", 5)]
    for x, style, text, step in rows:
        line(x, style, text)
        y += step
    path = tmp_path / "besluitenlijst.pdf"
    pdf.output(str(path))
    doc = extract(path)
    headings = [b.text for b in doc.blocks if b.kind == "heading"]
    assert headings == ["Wet- en regelgeving"]
    item = next(b.text for b in doc.blocks if b.text.startswith("3. Agendapunt"))
    assert item.endswith("van het algemeen bestuur van de waterschappen")


@pytest.mark.parametrize("glyph", ["•", "\uf0b7", "\uf0a7"])  # the last two: Word's Symbol and Wingdings bullets
def test_bulleted_items_are_list_items_without_their_glyph(tmp_path, glyph):
    path = tmp_path / "brief.txt"
    path.write_text("Geachte voorzitter,\n\nDe volgende maatregelen hebben nog geen dekking:\n\n"
                    f"{glyph} Een regeling voor de opschaling van deelmobiliteit in kleine kernen;\n\n"
                    f"{glyph} Extra inzet op handhaving van de zero-emissiezones.\n", encoding="utf-8")
    items = [b.text for b in extract(path).blocks if b.kind == "list_item"]
    assert items == ["Een regeling voor de opschaling van deelmobiliteit in kleine kernen;",
                     "Extra inzet op handhaving van de zero-emissiezones."]


def test_a_colofon_block_read_between_paragraphs_is_furniture(tmp_path):
    """pdftotext reads a ministry letter's side column ("Ons kenmerk" and its number) after each page's
    first paragraph: a block of lines on every page is furniture wherever it stands; a label the paper
    repeats on its own ("Toelichting") is not."""
    pages = [f"Paragraaf {n} gaat over de voortgang van de dijkversterking in het {n}e traject van de Lek.\n\n"
             "Ons kenmerk\nWS/DV-2025/4411\n\n"
             f"De aannemer heeft voor traject {n} een nieuwe planning ingediend bij het waterschap.\n\n"
             "Toelichting\n\n"
             "De omwonenden zijn op een informatieavond over de gewijzigde planning ingelicht.\n\n"
             "Het waterschap verwacht dat de werkzaamheden binnen de begroting blijven.\n\n"
             "De provincie volgt de voortgang via de halfjaarlijkse rapportage van het programma."
             for n in range(1, 5)]
    path = tmp_path / "brief.txt"
    path.write_text("Geachte voorzitter,\n\n" + "\f".join(pages) + "\n", encoding="utf-8")
    doc = extract(path)
    assert "Ons kenmerk" not in doc.text and "WS/DV-2025/4411" not in doc.text
    assert doc.text.count("Toelichting") == 4 and doc.text.count("nieuwe planning") == 4
    assert sum(f.text == "Ons kenmerk" for f in doc.furniture) == 4


@pytest.mark.parametrize("head, kenmerk", [
    ("Ons kenmerk\nIENW/BSK-2025/12345", "IENW/BSK-2025/12345"),
    ("Ons kenmerk\nDGKE-EM / 95061234\nBijlage(n)", "DGKE-EM / 95061234"),  # spaces round the slash
    ("Ons kenmerk\nDGBI – I&K/ 26844711", "DGBI – I&K/ 26844711"),
    ("Kenmerk: 2025-0000123456.", "2025-0000123456"),
    ("Uw kenmerk\nOns kenmerk\nGeen", None),
])
def test_a_kenmerk_as_ministries_write_it(head, kenmerk):
    from pipeline.metadata import extract_metadata
    assert extract_metadata(head, "Geachte voorzitter,", []).kenmerk == kenmerk


def test_a_pdfs_list_set_line_under_line_is_read_item_by_item(tmp_path):
    """Word sets a list's items at the body's line pitch: each bullet opens an item of its own."""
    pdf = _one_page()
    pdf.set_font("Helvetica", "", 10)
    lines = ["Geachte voorzitter,", "", "Het kabinet zet bij de aanpak van de wachtlijsten drie stappen:",
             "\u00b7 de regio's maken afspraken over de inkoop", "\u00b7 de gemeenten delen hun wachttijden",
             "\u00b7 de inspectie kijkt mee bij de zwaarste zorg", "",
             "Daarna volgt in het najaar een evaluatie van de aanpak in alle regio's."]
    for i, line in enumerate(lines):
        pdf.text(25, 40 + 5 * i, line)
    path = tmp_path / "brief.pdf"
    pdf.output(str(path))
    doc = extract(path)
    assert [b.text for b in doc.blocks if b.kind == "list_item"] == [
        "de regio's maken afspraken over de inkoop", "de gemeenten delen hun wachttijden",
        "de inspectie kijkt mee bij de zwaarste zorg"]
