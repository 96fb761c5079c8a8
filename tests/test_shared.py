"""The shared letters and their gold, through the scorer the project is judged by (skipped without ../shared)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHARED, needs_shared
from pipeline.extract import extract
from pipeline.ingest import run_batch

pytestmark = needs_shared


def score(db: Path, gold: Path) -> dict:
    run = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(db), str(gold), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)["total"]


@pytest.fixture(scope="module", params=[("corpus", "gold"), ("corpus-pdf", "gold-pdf")])
def total(request, tmp_path_factory, embedder):
    corpus, gold = request.param
    db = tmp_path_factory.mktemp("shared") / "s.duckdb"
    assert run_batch([SHARED / corpus], db, embedder).ok
    return score(db, SHARED / gold)


def ratio(field: str) -> float:
    right, n = map(int, field.split("/"))
    return right / n


def test_footnotes(total):
    assert total["footnotes"]["f1"] >= 0.98


def test_citations(total):
    assert total["citations"]["f1"] >= 0.95


def test_motions(total):
    assert total["motions"]["f1"] >= 0.90 and ratio(total["motions"]["disposition"]) >= 0.90


def test_commitments(total):
    c = total["commitments"]
    assert c["f1"] >= 0.80 and ratio(c["kind"]) >= 0.90 and ratio(c["deadline"]) >= 0.90


def test_metadata(total):
    for key in ("date", "title", "kenmerk"):
        assert ratio(total["metadata"][key]) == 1.0


@pytest.mark.parametrize("pdf", sorted((SHARED / "real-pdf").glob("*.pdf")), ids=lambda p: p.name)
def test_real_pdfs_have_no_furniture_in_the_body(pdf):
    doc = extract(pdf)
    assert doc.blocks
    for block in doc.blocks:
        assert not re.fullmatch(r"(pagina\s+)?\d{1,3}(\s+van\s+\d+)?", block.text.strip(), re.I)
    running = {f.text for f in doc.furniture if f.kind == "running"}
    assert not any(b.text.strip() in running for b in doc.blocks)
