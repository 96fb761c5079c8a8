"""The converter matrix: a PDF read directly and the text seven converters make of it give the same facts.

Our own sample PDFs (and ../shared/corpus-pdf when present) go through poppler's pdftotext (plain,
-layout, -nopgbrk), pdfplumber (pages joined by form feeds or by newlines), pypdfium2 and
pdfminer.six. pdftotext comes from Debian's poppler-utils (`make system-deps`); without it those
three rows skip.
"""
from __future__ import annotations

import difflib
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED
from pipeline.ingest import prepare

PDFS = sorted(CORPUS.glob("*.pdf")) + sorted((SHARED / "corpus-pdf").glob("*.pdf"))


def pdftotext(*flags):
    def convert(pdf: Path) -> str:
        if not shutil.which("pdftotext"):
            pytest.skip("pdftotext is not installed (make system-deps)")
        return subprocess.run(["pdftotext", *flags, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return convert


def pdfplumber_pages(joiner):
    def convert(pdf: Path) -> str:
        import pdfplumber
        with pdfplumber.open(pdf) as doc:
            return joiner.join(page.extract_text() or "" for page in doc.pages)
    return convert


def pypdfium2_text(pdf: Path) -> str:
    import pypdfium2
    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return "\f".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def pdfminer_text(pdf: Path) -> str:
    from pdfminer.high_level import extract_text
    return extract_text(str(pdf))


CONVERTERS = {
    "pdftotext": pdftotext(), "pdftotext-layout": pdftotext("-layout"), "pdftotext-nopgbrk": pdftotext("-nopgbrk"),
    "pdfplumber": pdfplumber_pages("\f"), "pdfplumber-noff": pdfplumber_pages("\n"),
    "pypdfium2": pypdfium2_text, "pdfminer": pdfminer_text,
}


def facts(path: Path) -> dict:
    p = prepare(path)
    return {
        "footnotes": [(n.number, n.text) for n in p.document.footnotes],
        "citations": sorted({c.citation_id for c in p.analysis.citations}),
        "motions": sorted((sorted(m.movers), m.ref or "", m.disposition) for m in p.analysis.motions),
        "commitments": [(c.kind, c.deadline, c.text) for c in p.analysis.commitments],
    }


@pytest.fixture(scope="module", params=PDFS, ids=lambda p: p.name)
def direct(request):
    return request.param, facts(request.param)


def similar(a: str, b: str) -> bool:
    norm = lambda t: " ".join(t.split()).casefold()  # noqa: E731
    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio() >= 0.9


@pytest.mark.parametrize("converter", CONVERTERS)
def test_every_converter_gives_what_the_pdf_gives(direct, converter, tmp_path):
    pdf, want = direct
    txt = tmp_path / f"{pdf.stem}.{converter}.txt"
    txt.write_text(CONVERTERS[converter](pdf), encoding="utf-8")
    manifest = pdf.parent / "manifest.json"
    if manifest.is_file():  # the PDF's date, for deadlines
        import json
        entry = json.loads(manifest.read_text(encoding="utf-8")).get(pdf.name)
        if entry:
            (tmp_path / f"{txt.name}.meta.json").write_text(json.dumps(entry), encoding="utf-8")
    got = facts(txt)
    assert [n for n, _ in got["footnotes"]] == [n for n, _ in want["footnotes"]]
    assert all(similar(a, b) for (_, a), (_, b) in zip(got["footnotes"], want["footnotes"])), got["footnotes"]
    assert got["citations"] == want["citations"]
    assert got["motions"] == want["motions"]
    assert [(k, d) for k, d, _ in got["commitments"]] == [(k, d) for k, d, _ in want["commitments"]]
    assert all(similar(a, b) for (_, _, a), (_, _, b) in zip(got["commitments"], want["commitments"]))
