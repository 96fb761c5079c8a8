"""The kst command line, through the Prefect flow in ephemeral mode (no server)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS

KST = Path(sys.executable).parent / "kst"


def kst(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KST), *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    box = tmp_path_factory.mktemp("inbox")
    for name in ("2025-03-12_hwbp-voortgang.pdf", "2024-06-20_lerarentekort-voortgang.txt", "manifest.json"):
        shutil.copy(CORPUS / name, box / name)
    (box / "leeg.txt").write_bytes(b"")
    db = tmp_path_factory.mktemp("db") / "k.duckdb"
    return db, box, kst("ingest", str(box), "--db", str(db))


def test_ingest_summary_and_exit_code(ingested):
    _, _, run = ingested
    assert run.returncode == 1, run.stderr[-2000:]
    assert "documents: 2 new, 0 changed, 0 unchanged, 1 failed" in run.stdout
    assert "leeg.txt: read: empty file" in run.stdout.replace("\n", " ")


def test_second_ingest_is_unchanged(ingested):
    db, box, _ = ingested
    (box / "leeg.txt").unlink()
    run = kst("ingest", str(box), "--db", str(db))
    assert run.returncode == 0, run.stderr[-2000:]
    assert "documents: 0 new, 0 changed, 2 unchanged, 0 failed" in run.stdout


def test_search_json_contract(ingested):
    db, _, _ = ingested
    run = kst("search", "regionale aanpak lerarentekort", "--db", str(db), "--limit", "3", "--json")
    assert run.returncode == 0, run.stderr[-2000:]
    hits = json.loads(run.stdout)
    assert 0 < len(hits) <= 3
    for key in ("doc_id", "source_path", "title", "doc_date", "page", "text", "score"):
        assert key in hits[0]
    assert hits[0]["doc_date"] == "2024-06-20"


def test_stats(ingested):
    db, _, _ = ingested
    run = kst("stats", "--db", str(db))
    assert run.returncode == 0 and "commitments" in run.stdout and "brief" in run.stdout


def test_bad_mode_and_missing_db(tmp_path):
    assert kst("search", "x", "--db", str(tmp_path / "geen.duckdb")).returncode == 2
    assert kst("search", "x", "--mode", "fuzzy", "--db", str(tmp_path / "geen.duckdb")).returncode == 2


def test_a_suspect_document_is_named_and_stored(tmp_path):
    """Stored, but named: a note the text lost (the check's figures are in document_checks)."""
    (tmp_path / "brief.txt").write_text(
        "Geachte voorzitter,\nIk stuur u voor de zomer de evaluatie van de regeling.1 Daarna volgt het besluit.3\n"
        "1 Kamerstuk 31 935, nr. 80.\n3 Kamerstuk 31 935, nr. 81.\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    run = kst("ingest", str(tmp_path / "brief.txt"), "--db", str(db))
    assert run.returncode == 0, run.stderr[-2000:]
    out = " ".join(run.stdout.split())
    assert "documents: 1 new" in out and "suspect" in out and "brief.txt: footnote numbers missing: 2" in out
