"""The conservation check: a document that lost text, read a body as a note or skipped notes says so."""
from pathlib import Path

import pytest

from pipeline.checks import check
from pipeline.extract import extract
from pipeline.model import Document, Footnote, Furniture

SOURCE = ("Ministerie van Financiën\nGeachte voorzitter,\nIk stuur u voor de zomer de evaluatie van de regeling.1\n"
          "1 Kamerstuk 31 935, nr. 80.\nPagina 1 van 1")
BODY = "Geachte voorzitter,\n\nIk stuur u voor de zomer de evaluatie van de regeling."
FURNITURE = [Furniture("running", "Ministerie van Financiën", 1), Furniture("page_number", "Pagina 1 van 1", 1)]


def doc(text=BODY, notes=(Footnote(1, "Kamerstuk 31 935, nr. 80.", 1, 40),), furniture=FURNITURE):
    return Document("x.txt", "0" * 64, "pdf-text", text, [], list(notes), list(furniture))


def test_a_whole_document_passes():
    c = check(SOURCE, doc())
    assert c.coverage == 1.0 and c.excess == 0.0 and c.warnings == []


@pytest.mark.parametrize("broken, warning", [
    (dict(text="Geachte voorzitter,"), "in no body, footnote or furniture"),
    (dict(furniture=FURNITURE + [Furniture("running", "Ministerie van Financiën", 1)]), "more letters came out"),
    (dict(text="", notes=[Footnote(1, "Kamerstuk 31 935, nr. 80. " + BODY, 1)]), "the body holds only"),
    (dict(notes=[Footnote(2, "Kamerstuk 31 935, nr. 80.", 1, 40)]), "footnote numbers missing: 1"),
])
def test_each_fault_is_named(broken, warning):
    c = check(SOURCE, doc(**broken))
    assert any(warning in w for w in c.warnings), c.warnings


def test_a_note_that_reads_like_paragraphs():
    long_note = "Zie de bijlage. " * 120
    c = check(SOURCE.replace("80.", "80. " + long_note), doc(notes=[Footnote(1, "Kamerstuk 31 935, nr. 80. " + long_note, 1, 40)]))
    assert any("footnote 1 is" in w for w in c.warnings)


def test_empty_pdf_pages_are_named():
    assert "no text on page 2 (scanned?)" in check(SOURCE, doc(), empty_pages=[2]).warnings


def test_every_sample_paper_is_conserved():
    for path in sorted(Path(__file__).parent.parent.joinpath("corpus").glob("*.*")):
        if path.suffix in (".txt", ".pdf"):
            c = extract(path).checks
            assert c.coverage >= 0.99 and not c.warnings, (path.name, c)


def test_raised_markers_without_notes_are_named():
    assert "note markers 3, 4 have no footnote" in check(SOURCE, doc(), orphan_markers=[3, 4]).warnings


def test_notes_lost_after_the_last_one_read_are_counted():
    """Markers found for some of them only (6 and 9): the numbers between are missing as well."""
    c = check(SOURCE, doc(), orphan_markers=[6, 9])
    assert "footnote numbers missing: 2, 3, 4, 5, 6, 7, 8, 9" in c.warnings and c.numbering_gaps == list(range(2, 10))
