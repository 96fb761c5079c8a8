"""Ingest end to end on the sample corpus: rows per table, bad input, re-runs and transactions."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from pipeline import ingest, store
from pipeline.ingest import run_batch


def test_every_sample_document_is_stored(con):
    names = {Path(p).name for (p,) in con.execute("SELECT source_path FROM documents").fetchall()}
    assert names == {p.name for p in CORPUS.iterdir() if p.suffix in (".pdf", ".txt")}


@pytest.mark.parametrize("table", ["blocks", "footnotes", "citations", "motions", "commitments"])
def test_the_database_holds_exactly_the_golden_analysis(con, table):
    # tests/golden holds each paper's analysis, compared exactly by test_golden; the database must store all of it
    golden = [json.loads(p.read_text(encoding="utf-8")) for p in (ROOT / "tests" / "golden").glob("*.json")]
    assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == sum(len(g[table]) for g in golden)


def test_motions_with_each_disposition(con):
    rows = con.execute("SELECT disposition, count(*) FROM motions GROUP BY 1").fetchall()
    assert {d for d, _ in rows} == {"afgedaan", "uitgevoerd", "genoemd"}


def test_a_motion_document_has_its_text(con):
    movers, cs, considerations, dictum = con.execute(
        "SELECT movers, cs, considerations, dictum FROM motion_texts").fetchone()
    assert movers == ["Van der Graaf", "Grinwis", "Kröger"] and cs
    assert len(considerations) == 3 and dictum.startswith("verzoekt de regering")


def test_rows_point_back_into_the_document(con):
    rows = con.execute("""SELECT c.text, c.char_start, c.char_end, d.text FROM commitments c
                          JOIN documents d USING (doc_id)""").fetchall()
    assert rows
    for sentence, start, end, text in rows:
        assert text[start:end] == sentence


def test_commitment_deadlines_in_the_pdf(con):
    rows = dict(con.execute("""SELECT c.deadline_text, CAST(c.deadline AS VARCHAR) FROM commitments c
                               JOIN documents d USING (doc_id) WHERE d.source_path LIKE '%hwbp%.pdf'
                               AND c.kind = 'new'""").fetchall())
    assert rows == {"voor het zomerreces van 2025": "2025-07-03", "in het najaar van 2025": "2025-12-21",
                    "medio september": "2025-09-20", "voor 1 juni 2025": "2025-05-31"}


@pytest.fixture()
def inbox(tmp_path):
    box = tmp_path / "inbox"
    box.mkdir()
    shutil.copy(CORPUS / "2024-11-14_ondermijning-voortgang.txt", box / "goed.txt")
    (box / "leeg.txt").write_bytes(b"")
    (box / "latin.txt").write_bytes("Geachte voorzitter,\nHet geïnvesteerde bedrag is € 5 miljoen.\n".encode("cp1252"))
    (box / "onleesbaar.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 20)
    (box / "kapot.pdf").write_bytes((CORPUS / "2025-03-12_hwbp-voortgang.pdf").read_bytes()[:2000])
    (box / "notities.docx").write_bytes(b"PK\x03\x04")
    return box


def test_bad_input_is_recorded_and_the_batch_goes_on(tmp_path, inbox, embedder):
    db = tmp_path / "k.duckdb"
    missing = tmp_path / "bestaat-niet.pdf"
    summary = run_batch([inbox, missing], db, embedder)
    by_name = {Path(o.path).name: o for o in summary.outcomes}
    assert by_name["goed.txt"].status == "new"
    assert by_name["latin.txt"].status == "new"
    assert (by_name["leeg.txt"].status, by_name["leeg.txt"].error) == ("failed", "empty file")
    assert by_name["onleesbaar.txt"].error.startswith("not UTF-8")
    assert by_name["kapot.pdf"].error.startswith("corrupt or truncated PDF")
    assert by_name["bestaat-niet.pdf"].error == "no such file or folder"
    assert by_name["notities.docx"].status == "skipped"
    assert not summary.ok
    con = store.connect(db)
    errors = {Path(p).name: (stage, err) for p, stage, err in
              con.execute("SELECT path, stage, error FROM ingest_errors").fetchall()}
    assert set(errors) == {"leeg.txt", "onleesbaar.txt", "kapot.pdf", "bestaat-niet.pdf"}
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2


def test_unsupported_file_named_explicitly_fails(tmp_path, inbox, embedder):
    summary = run_batch([inbox / "notities.docx"], tmp_path / "k.duckdb", embedder)
    assert summary.outcomes[0].status == "failed" and "unsupported file type .docx" in summary.outcomes[0].error


def test_second_run_stores_nothing_new(tmp_path, embedder):
    db = tmp_path / "k.duckdb"
    first = run_batch([CORPUS], db, embedder)
    con = store.connect(db)
    before = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in store.DOC_TABLES}
    con.close()
    second = run_batch([CORPUS], db, embedder)
    documents = len([p for p in CORPUS.iterdir() if p.suffix in (".pdf", ".txt")])
    assert first.count("new") == documents and second.count("unchanged") == documents
    assert second.count("new") == second.count("changed") == second.count("failed") == 0
    con = store.connect(db)
    assert before == {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in store.DOC_TABLES}


def test_a_changed_file_replaces_its_rows(tmp_path, embedder):
    db = tmp_path / "k.duckdb"
    f = tmp_path / "brief.txt"
    shutil.copy(CORPUS / "2025-04-17_natuurherstel-stikstof.txt", f)
    run_batch([f], db, embedder)
    f.write_text(f.read_text(encoding="utf-8").replace("Kamerstuk 35 334, nr. 271.", "Kamerstuk 35 334, nr. 999."),
                 encoding="utf-8")
    summary = run_batch([f], db, embedder)
    assert summary.outcomes[0].status == "changed"
    con = store.connect(db)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
    ids = {c for (c,) in con.execute("SELECT citation_id FROM citations").fetchall()}
    assert "35334-999" in ids and "35334-271" not in ids


def test_a_failing_store_leaves_no_half_document(tmp_path, embedder, monkeypatch):
    db = tmp_path / "k.duckdb"
    real = store._insert

    def broken(con, table, rows):
        if table == "passages":
            raise RuntimeError("disk full")
        real(con, table, rows)

    monkeypatch.setattr(store, "_insert", broken)
    summary = run_batch([CORPUS / "2025-04-17_natuurherstel-stikstof.txt"], db, embedder)
    assert summary.outcomes[0].status == "failed" and summary.outcomes[0].stage == "store"
    con = store.connect(db)
    for table in ("documents", *store.DOC_TABLES):
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM ingest_errors").fetchone()[0] == 1


def test_a_new_pipeline_version_reprocesses(tmp_path, embedder, monkeypatch):
    db = tmp_path / "k.duckdb"
    f = CORPUS / "2025-04-17_natuurherstel-stikstof.txt"
    run_batch([f], db, embedder)
    monkeypatch.setattr(ingest, "pipeline_version", lambda: "another-version")
    assert run_batch([f], db, embedder).outcomes[0].status == "changed"
    assert run_batch([f], db, embedder).outcomes[0].status == "unchanged"


def test_workers_embed_only_what_the_database_has_not(tmp_path, embedder):
    """A changed document on Dask: the worker skips passages the stored version already embedded."""
    db = tmp_path / "k.duckdb"
    f = tmp_path / "brief.txt"
    shutil.copy(CORPUS / "2025-04-17_natuurherstel-stikstof.txt", f)
    run_batch([f], db, embedder)
    text = f.read_text(encoding="utf-8")
    f.write_text(text.replace("Kamerstuk 35 334, nr. 271.", "Kamerstuk 35 334, nr. 999."), encoding="utf-8")
    encoded: list[str] = []

    class Counting:
        def __getattr__(self, name):
            return getattr(embedder, name)

        def encode(self, texts, kind="passage"):
            encoded.extend(texts)
            return embedder.encode(texts, kind=kind)

    def on_workers(jobs):
        return (ingest.embed_prepared(ingest.prepare(job.path), Counting(), job.embedded) for job in jobs)

    summary = run_batch([f], db, embedder, prepare_many=on_workers)
    assert summary.outcomes[0].status == "changed"
    assert encoded and all("nr. 999" in t for t in encoded)
    con = store.connect(db)
    total, missing = con.execute("SELECT count(*), count(*) FILTER (embedding IS NULL) FROM passages").fetchone()
    assert total > len(encoded) and missing == 0


def test_footnote_passages_link_to_the_passage_holding_their_marker(con):
    rows = con.execute("""
        SELECT b.kind, f.char_start BETWEEN b.char_start AND b.char_end FROM passages f
        JOIN passages b ON b.doc_id = f.doc_id AND b.seq = f.anchor_seq WHERE f.kind = 'footnote'""").fetchall()
    anchored = con.execute("SELECT count(*) FROM footnotes WHERE anchor IS NOT NULL").fetchone()[0]
    assert len(rows) == anchored > 20 and set(rows) == {("body", True)}
