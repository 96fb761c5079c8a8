"""Trust under faults: every input kind a user can produce, databases kst must not touch, renames,
runs killed with SIGKILL, and fuzzing. Each test adds to FAULTS, which conftest prints as a summary."""
from __future__ import annotations

import codecs
import hashlib
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CORPUS, FAULTS, ROOT, CountingEmbedder
from pipeline import store
from pipeline.errors import IngestError
from pipeline.extract import extract
from pipeline.ingest import run_batch
from pipeline.search import search

LETTER = "Geachte voorzitter,\n\nHierover informeer ik uw Kamer vóór 1 juli 2025 over de dijkversterking.\n"
PDF = CORPUS / "2025-03-12_hwbp-voortgang.pdf"
ROOT_USER = os.geteuid() == 0


def _write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def _encrypted_pdf(path: Path, user_password: str) -> Path:
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(PDF))
    writer.encrypt(user_password=user_password, owner_password="eigenaar")
    writer.write(path)
    return path


def _image_page_pdf(path: Path) -> Path:
    """The sample letter with a page that holds only a picture (a scan) in the middle."""
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter
    scan = FPDF()
    scan.add_page()
    scan.set_fill_color(120, 120, 120)
    scan.rect(20, 20, 170, 250, style="F")
    scan_path = path.with_suffix(".scan.pdf")
    scan.output(str(scan_path))
    writer = PdfWriter()
    pages = PdfReader(PDF).pages
    writer.add_page(pages[0])
    writer.add_page(PdfReader(scan_path).pages[0])
    for page in pages[1:]:
        writer.add_page(page)
    writer.write(path)
    return path


# (name, how to make it in tmp_path, expected): "ok" with a test of the document, or the error's words
INPUTS = [
    ("utf-8", lambda d: _write(d / "a.txt", LETTER), lambda doc: "dijkversterking" in doc.text),
    ("utf-8 with BOM", lambda d: _write(d / "a.txt", codecs.BOM_UTF8 + LETTER.encode()),
     lambda doc: doc.text.startswith("Geachte")),
    ("utf-16 le with BOM", lambda d: _write(d / "a.txt", LETTER.encode("utf-16")), lambda doc: "vóór" in doc.text),
    ("utf-16 be with BOM", lambda d: _write(d / "a.txt", codecs.BOM_UTF16_BE + LETTER.encode("utf-16-be")),
     lambda doc: "vóór" in doc.text),
    ("cp1252", lambda d: _write(d / "a.txt", LETTER.encode("cp1252")), lambda doc: "vóór" in doc.text),
    ("mixed line endings", lambda d: _write(d / "a.txt", LETTER.replace("\n\n", "\r\n\r\n", 1).replace(".\n", ".\r")),
     lambda doc: "\r" not in doc.text and "dijkversterking" in doc.text),
    ("NUL bytes in text", lambda d: _write(d / "a.txt", LETTER.encode() + b"\x00\x00"), "control characters"),
    ("a glyph pdftotext could not map", lambda d: _write(d / "a.txt", LETTER.replace("\n\n", " \x08\n\n", 1)),
     lambda doc: "\ufffd" in doc.text and any("could not map" in w for w in doc.checks.warnings)),
    ("control characters throughout", lambda d: _write(d / "a.txt", LETTER.replace(" ", " \x08")), "control characters"),
    ("random bytes as .txt", lambda d: _write(d / "a.txt", random.Random(1).randbytes(4000)), "not"),
    ("random bytes as .pdf", lambda d: _write(d / "a.pdf", random.Random(2).randbytes(4000)), "not a PDF"),
    ("empty file", lambda d: _write(d / "a.txt", b""), "empty file"),
    ("whitespace only", lambda d: _write(d / "a.txt", " \n\t\n"), "empty file"),
    ("truncated PDF", lambda d: _write(d / "a.pdf", PDF.read_bytes()[:3000]), ""),
    ("PDF whose xref offset is wrong", lambda d: _write(d / "a.pdf", re.sub(rb"startxref\s+\d+", b"startxref\n12345",
                                                                            PDF.read_bytes())),
     lambda doc: doc.pages == 2),
    ("PDF without its xref keyword", lambda d: _write(d / "a.pdf", PDF.read_bytes().replace(b"startxref", b"startxrfe")),
     "corrupt or truncated PDF"),
    ("encrypted PDF, no user password", lambda d: _encrypted_pdf(d / "a.pdf", ""), lambda doc: doc.pages == 2),
    ("encrypted PDF with a user password", lambda d: _encrypted_pdf(d / "a.pdf", "geheim"), "encrypted"),
    ("a scanned page among text pages", lambda d: _image_page_pdf(d / "a.pdf"),
     lambda doc: doc.checks.empty_pages == [2] and any("page 2" in w for w in doc.checks.warnings)),
    ("a 30 MB text over a 20 MB limit", lambda d: _write(d / "a.txt", LETTER * 400_000), "over the limit"),
    ("name with spaces and non-ASCII", lambda d: _write(d / "brief van één minister.txt", LETTER),
     lambda doc: doc.source_path.endswith("één minister.txt")),
    ("name with a newline", lambda d: _write(d / "brief\nnieuw.txt", LETTER), lambda doc: "\n" in doc.source_path),
    ("a symlink loop", lambda d: (d / "a.txt").symlink_to(d / "a.txt") or d / "a.txt", "symbolic link"),
    ("a directory named x.pdf", lambda d: (d / "x.pdf").mkdir() or d / "x.pdf", "cannot read"),
    pytest.param("an unreadable file", lambda d: (_write(d / "a.txt", LETTER).chmod(0) or d / "a.txt"),
                 "cannot read", marks=pytest.mark.skipif(ROOT_USER, reason="root reads every file")),
]


@pytest.mark.parametrize("name, make, expected", INPUTS, ids=lambda v: v if isinstance(v, str) else "")
def test_every_input_kind_is_read_or_refused_in_one_line(tmp_path, monkeypatch, name, make, expected):
    monkeypatch.setenv("KST_MAX_FILE_MB", "20")
    path = make(tmp_path)
    FAULTS["input kinds tried"] += 1
    if callable(expected):
        doc = extract(path)
        assert expected(doc)
    else:
        with pytest.raises(IngestError) as caught:
            extract(path)
        assert expected in str(caught.value) and "\n" not in str(caught.value)
    FAULTS["input kinds handled"] += 1


def test_a_batch_of_bad_inputs_stores_the_good_ones(tmp_path):
    box = tmp_path / "box"
    box.mkdir()
    shutil.copy(CORPUS / "2025-04-17_natuurherstel-stikstof.txt", box / "goed.txt")
    _write(box / "leeg.txt", b"")
    _write(box / "kapot.pdf", b"%PDF-1.4 kapot")
    (box / "lus.txt").symlink_to(box / "lus.txt")
    summary = run_batch([box], tmp_path / "k.duckdb", CountingEmbedder())
    by_name = {Path(o.path).name: o for o in summary.outcomes}
    assert by_name["goed.txt"].status == "new"
    assert {n: by_name[n].status for n in ("leeg.txt", "kapot.pdf", "lus.txt")} == dict.fromkeys(
        ("leeg.txt", "kapot.pdf", "lus.txt"), "failed")
    con = store.connect(tmp_path / "k.duckdb", read_only=True)
    assert con.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 3


# -- databases kst must not use -----------------------------------------------------------------

def _foreign(path: Path) -> Path:
    import duckdb
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE documents (id INTEGER, name VARCHAR)")
    con.close()
    return path


def _newer(path: Path) -> Path:
    store.connect(path).close()
    import duckdb
    con = duckdb.connect(str(path))
    con.execute("UPDATE settings SET value = '99' WHERE key = 'schema_version'")
    con.close()
    return path


@pytest.mark.parametrize("make, words", [
    (lambda d: (d / "db").mkdir() or d / "db", "is a directory"),
    (lambda d: _write(d / "k.duckdb", b"dit is geen database"), "cannot be opened as a DuckDB database"),
    (lambda d: _write(d / "k.duckdb", b""), "cannot be opened as a DuckDB database"),
    (lambda d: _foreign(d / "k.duckdb"), "another application"),
    (lambda d: _newer(d / "k.duckdb"), "newer kamerstukken"),
], ids=["directory", "not duckdb", "0 bytes", "another application", "newer schema"])
def test_a_database_kst_must_not_use_is_refused_untouched(tmp_path, make, words):
    path = make(tmp_path)
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    for read_only in (True, False):
        with pytest.raises(store.DatabaseError, match=words):
            store.connect(path, read_only=read_only)
    assert (hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None) == before
    run = subprocess.run([sys.executable, "-m", "kst", "search", "dijk", "--db", str(path)], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and words in run.stderr
    FAULTS["bad databases refused untouched"] += 1


def test_an_older_database_is_migrated(tmp_path):
    db = tmp_path / "k.duckdb"
    run_batch([CORPUS / "2025-04-17_natuurherstel-stikstof.txt"], db, CountingEmbedder())
    import duckdb
    con = duckdb.connect(str(db))  # back to what kamerstukken 0.1 wrote
    con.execute("DELETE FROM settings WHERE key = 'schema_version'")
    con.execute("ALTER TABLE commitments DROP COLUMN deadline_basis")
    con.close()
    con = store.connect(db)
    assert con.execute("SELECT value FROM settings WHERE key = 'schema_version'").fetchone() == (
        str(store.SCHEMA_VERSION),)
    assert "deadline_basis" in {c for (c,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'commitments'").fetchall()}


# -- renames and interrupted runs ------------------------------------------------------------------

def test_a_renamed_file_keeps_its_document(tmp_path):
    box, db = tmp_path / "box", tmp_path / "k.duckdb"
    box.mkdir()
    shutil.copy(CORPUS / "2025-04-17_natuurherstel-stikstof.txt", box / "brief.txt")
    model = CountingEmbedder()
    first = run_batch([box], db, model).outcomes[0]
    (box / "brief.txt").rename(box / "brief-hernoemd.txt")
    model.encoded.clear()
    summary = run_batch([box], db, model, prune=True)
    assert [(Path(o.path).name, o.status, o.doc_id) for o in summary.outcomes] == [
        ("brief-hernoemd.txt", "moved", first.doc_id)]
    assert model.encoded == []  # nothing embedded again
    con = store.connect(db, read_only=True)
    assert con.execute("SELECT source_path FROM documents").fetchall() == [(str(box / "brief-hernoemd.txt"),)]


def test_derived_state_left_stale_by_a_killed_run_is_rebuilt(tmp_path):
    box, db = tmp_path / "box", tmp_path / "k.duckdb"
    box.mkdir()
    shutil.copy(CORPUS / "2025-04-17_natuurherstel-stikstof.txt", box / "brief.txt")
    run_batch([box], db, CountingEmbedder())
    con = store.connect(db)  # as a first run killed between the documents and the search index leaves it
    shutil.rmtree(f"{db}.index")
    store.mark_stale(con)
    con.close()
    con = store.connect(db, read_only=True)  # a search meanwhile says what to do, in one line
    with pytest.raises(store.DatabaseError, match="run kst ingest again"):
        search(con, "rekenkundige ondergrens", mode="keyword")
    con.close()
    assert [o.status for o in run_batch([box], db, CountingEmbedder()).outcomes] == ["unchanged"]
    con = store.connect(db, read_only=True)
    assert not store.is_stale(con) and search(con, "rekenkundige ondergrens", mode="keyword")


def test_a_database_copied_without_its_search_index_gets_it_back_from_the_next_ingest(tmp_path):
    box, db, copy = tmp_path / "box", tmp_path / "k.duckdb", tmp_path / "kopie.duckdb"
    box.mkdir()
    shutil.copy(CORPUS / "2025-04-17_natuurherstel-stikstof.txt", box / "brief.txt")
    run_batch([box], db, CountingEmbedder())
    shutil.copy(db, copy)  # the file alone, as a backup or a colleague's copy
    con = store.connect(copy, read_only=True)
    with pytest.raises(store.DatabaseError, match="copied without NAME.duckdb.index/.*run kst ingest again"):
        search(con, "rekenkundige ondergrens", mode="keyword")
    assert search(con, "rekenkundige ondergrens", mode="semantic", embedder=CountingEmbedder())  # a scan
    con.close()
    assert [o.status for o in run_batch([box], copy, CountingEmbedder()).outcomes] == ["unchanged"]
    con = store.connect(copy, read_only=True)
    assert search(con, "rekenkundige ondergrens", mode="keyword")


KILLER = """
import sys
from conftest import CountingEmbedder
from pipeline.ingest import run_batch
run_batch([sys.argv[1]], sys.argv[2], CountingEmbedder())
"""


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(x) for x in out.split()]


def _alive(pid: int) -> bool:
    state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    return state != "Z"


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def test_sigkill_at_any_moment_loses_nothing_and_search_works_after(tmp_path):
    box = tmp_path / "box"
    shutil.copytree(CORPUS, box, ignore=shutil.ignore_patterns("src", "*.md"))
    clean = tmp_path / "clean.duckdb"
    run_batch([box], clean, CountingEmbedder())
    expected = store.connect(clean, read_only=True).execute(
        "SELECT source_path, sha256 FROM documents ORDER BY 1").fetchall()
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'tests'}{os.pathsep}{ROOT}"}
    rng = random.Random(int(os.environ.get("KST_FAULT_SEED", "7")))
    for trial in range(4):
        db = tmp_path / f"killed-{trial}.duckdb"
        proc = subprocess.Popen([sys.executable, "-c", KILLER, str(box), str(db)], env=env, cwd=ROOT,
                                start_new_session=True)
        time.sleep(rng.uniform(3.0, 12.0))
        children = _children(proc.pid)  # the worker that prepares documents under a time limit
        os.kill(proc.pid, signal.SIGKILL)  # the parent alone: its worker must not outlive it
        proc.wait()
        time.sleep(1)
        assert [c for c in children if Path(f"/proc/{c}").exists() and _alive(c)] == []
        os.killpg(proc.pid, signal.SIGKILL) if _group_alive(proc.pid) else None
        if db.exists():  # what was stored is whole: every stored document has its rows
            con = store.connect(db)  # (killed before its schema was made, the file has no tables yet)
            assert con.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                               "(SELECT 1 FROM passages p WHERE p.doc_id = d.doc_id)").fetchone()[0] == 0
            con.close()
        summary = run_batch([box], db, CountingEmbedder())  # the next run finishes the work
        assert summary.ok
        con = store.connect(db, read_only=True)
        assert con.execute("SELECT source_path, sha256 FROM documents ORDER BY 1").fetchall() == expected
        assert not store.is_stale(con) and search(con, "rekenkundige ondergrens", mode="keyword")
        con.close()
        FAULTS["kill -9 trials survived"] += 1


# -- fuzzing ---------------------------------------------------------------------------------------

def test_mutated_pdfs_are_read_or_refused(tmp_path):
    """Flipped bytes, truncations and duplicated objects of the sample PDFs, a fixed budget, seed printed."""
    seed = int(os.environ.get("KST_FUZZ_SEED", "20261129"))
    budget = int(os.environ.get("KST_FUZZ_CASES", "40"))
    rng = random.Random(seed)
    sources = [PDF.read_bytes(), (CORPUS / "2025-05-28_antwoorden-kamervragen-gemalen.pdf").read_bytes()]
    print(f"mutation fuzzer: seed {seed}, {budget} cases (KST_FUZZ_SEED, KST_FUZZ_CASES)")
    for case in range(budget):
        data = bytearray(rng.choice(sources))
        how = rng.choice(("flip", "truncate", "duplicate"))
        if how == "flip":
            for _ in range(rng.randint(1, 40)):
                data[rng.randrange(len(data))] = rng.randrange(256)
        elif how == "truncate":
            data = data[:rng.randrange(8, len(data))]
        else:
            start = data.find(b" obj", rng.randrange(len(data) // 2))
            if start > 0:
                end = data.find(b"endobj", start)
                data[end:end] = data[start - 8:end]
        path = _write(tmp_path / f"case-{case}.pdf", bytes(data))
        try:
            doc = extract(path)
            assert 0 <= min((b.start for b in doc.blocks), default=0) and all(
                b.end <= len(doc.text) for b in doc.blocks), (seed, case, how)
        except IngestError as exc:
            assert "\n" not in str(exc), (seed, case, how)
        FAULTS["fuzz cases run"] += 1


# -- properties ------------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings, strategies as st  # noqa: E402

from pipeline.citations import find_citations  # noqa: E402
from pipeline.deadlines import find_deadline  # noqa: E402
from pipeline.segment import analyse  # noqa: E402

# words and marks of papers, mixed with anything: the rules must hold on text they were not written for
PIECES = st.sampled_from(["Kamerstuk", "Kst.", "31 765,", "nr.", "884", "Kamerstukken II", "2024/25,", "36200-XVI-87",
                          "2024Z16781", "TZ202501-097", "motie", "van het lid", "Van der Graaf", "c.s.", "als afgedaan",
                          "Ik", "informeer", "uw Kamer", "voor het zomerreces", "in het najaar", "binnen", "zeven",
                          "weken", "Vraag 1", "Antwoord 1", ".", ",", "\n", "\n\n", "\f", "1", "²", "<sup>2</sup>",
                          "[footnoteRef:1]", "[1: Kst. 27 625, nr. 655.]", "Pagina 1 van 2", "—", "«", "»"])
TEXT = st.one_of(st.lists(PIECES | st.text(max_size=12), max_size=120).map(" ".join), st.text(max_size=400))
PROPERTY = settings(max_examples=int(os.environ.get("KST_PROPERTY_EXAMPLES", "120")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@PROPERTY
@given(TEXT)
def test_citations_lie_inside_the_text(text):
    for c in find_citations(text):
        assert 0 <= c.start < c.end <= len(text) and c.citation_id
    FAULTS["property examples"] += 1


@PROPERTY
@given(TEXT, st.dates())
def test_deadlines_lie_inside_the_sentence(text, ref):
    found = find_deadline(text, ref)
    assert found is None or (0 <= found.start < found.end <= len(text) and text[found.start:found.end].strip())
    FAULTS["property examples"] += 1


@PROPERTY
@given(TEXT)
def test_the_text_reader_reads_or_refuses_and_accounts_for_every_letter(text):
    try:
        doc = extract(Path("brief.txt"), text.encode("utf-8"))
    except IngestError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(0 <= b.start <= b.end <= len(doc.text) for b in doc.blocks)
        assert doc.checks.coverage >= 0.99 or doc.checks.warnings  # never a silent loss
        found = analyse(doc)
        assert all(0 <= c.start <= c.end <= len(doc.text) for c in found.commitments)
    FAULTS["property examples"] += 1


# -- security --------------------------------------------------------------------------------------

HOSTILE = ["'; DROP TABLE documents; --", "x' OR '1'='1", "motie\" OR 1=1 --", "%", "_", "?", "$1", "\\",
           "dijk AND NOT water", "keyword_postings", "\u202eomgekeerd", "a\x00b", "é" * 5000]


def _fingerprint(db: Path) -> list:
    con = store.connect(db, read_only=True)
    tables = con.execute("SELECT table_schema, table_name FROM information_schema.tables ORDER BY 1, 2").fetchall()
    rows = [(s, t, con.execute(f'SELECT count(*) FROM "{s}"."{t}"').fetchone()[0]) for s, t in tables]
    con.close()
    return rows


def test_search_text_and_filters_never_reach_sql(tmp_path):
    from pipeline.search import Filters
    db = tmp_path / "k.duckdb"
    model = CountingEmbedder()
    run_batch([CORPUS / "2025-04-17_natuurherstel-stikstof.txt"], db, model)
    before = _fingerprint(db)
    con = store.connect(db, read_only=True)
    for text in HOSTILE:
        for filters in (Filters(), Filters(doc_type=text), Filters(doc=text)):
            for mode in ("keyword", "semantic", "hybrid"):
                search(con, text, mode=mode, filters=filters, embedder=model)
    con.close()
    assert _fingerprint(db) == before


def _offline(*cmd: str) -> list[str]:
    """A command in a network namespace of its own: loopback only (the ephemeral Prefect server), no way out."""
    return ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "offline", *cmd]


@pytest.mark.skipif(shutil.which("unshare") is None or shutil.which("ip") is None
                    or subprocess.run(["unshare", "-n", "true"]).returncode != 0,
                    reason="unshare -n (a network namespace) is not available")
def test_ingest_and_search_need_no_network(tmp_path):
    db = tmp_path / "k.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    kst = [sys.executable, "-m", "kst"]
    ingest = subprocess.run([*_offline(*kst, "ingest", str(CORPUS / "2025-04-17_natuurherstel-stikstof.txt"),
                             "--db", str(db))], env=env, cwd=ROOT, capture_output=True, text=True)
    assert ingest.returncode == 0, ingest.stderr[-2000:]
    found = subprocess.run(_offline(*kst, "search", "rekenkundige ondergrens", "--db", str(db), "--json"),
                           env=env, cwd=ROOT, capture_output=True, text=True)
    assert found.returncode == 0 and "rekenkundige ondergrens" in found.stdout, found.stderr[-2000:]


def test_an_export_never_overwrites_a_file_it_did_not_write(tmp_path):
    db, out = tmp_path / "k.duckdb", tmp_path / "export"
    run_batch([CORPUS / "2025-04-17_natuurherstel-stikstof.txt"], db, CountingEmbedder())
    con = store.connect(db, read_only=True)
    store.export(con, out)
    store.export(con, out)  # its own files: written again
    mine = _write(out / "documents.parquet", b"an analyst's own file")
    (out / "kst-export.json").write_text('["citations.parquet"]', encoding="utf-8")
    with pytest.raises(store.DatabaseError, match="was not written by kst export"):
        store.export(con, out)
    assert mine.read_bytes() == b"an analyst's own file"
    with pytest.raises(store.DatabaseError, match="is a file, not a folder"):
        store.export(con, mine)
