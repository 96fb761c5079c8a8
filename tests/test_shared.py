"""The shared letters and their gold, through the scorer the project is judged by (skipped without ../shared)."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SHARED, CountingEmbedder, needs_shared
from pipeline.extract import extract
from pipeline.ingest import run_batch

pytestmark = needs_shared


SETS = [("corpus", "gold"), ("corpus-pdf", "gold-pdf"), ("corpus-variants", "gold-variants")]
KINDS = ("footnotes", "citations", "motions", "commitments")


def score(db: Path, gold: Path) -> dict:
    run = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(db), str(gold), "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


@pytest.fixture(scope="module", params=SETS, ids=[c for c, _ in SETS])
def scored(request, tmp_path_factory):
    corpus, gold = request.param
    db = tmp_path_factory.mktemp("shared") / "s.duckdb"
    # the scores read extraction and rules only: a hash stands in for the embedding model
    assert run_batch([SHARED / corpus], db, CountingEmbedder()).ok
    return score(db, SHARED / gold)


@pytest.fixture()
def total(scored):
    return scored["total"]


def ratio(field: str) -> float:
    right, n = map(int, field.split("/"))
    return right / n


@pytest.mark.parametrize("kind", KINDS)
def test_f1(total, kind):
    assert total[kind]["f1"] >= 0.98


def test_motion_dispositions(total):
    assert ratio(total["motions"]["disposition"]) >= 0.95


def test_commitment_kinds_and_deadlines(total):
    c = total["commitments"]
    assert ratio(c["kind"]) >= 0.95 and ratio(c["deadline"]) >= 0.95


def test_no_converter_falls_behind(scored):
    """Each converter's text on its own (corpus-variants names end in .CONVERTER.txt)."""
    per: dict[str, dict[str, list[int]]] = {}
    for name, rows in scored["documents"].items():
        converter = name.split(".")[-2] if name.count(".") > 1 else "as given"
        for kind in KINDS:
            acc = per.setdefault(converter, {}).setdefault(kind, [0, 0, 0])
            for i, key in enumerate(("tp", "pred", "gold")):
                acc[i] += rows[kind][key]
    for converter, kinds in per.items():
        for kind, (tp, pred, gold) in kinds.items():
            f1 = 2 * tp / (pred + gold) if pred + gold else 1.0
            assert f1 >= 0.95, (converter, kind, tp, pred, gold)


@pytest.mark.parametrize("folder", [c for c, _ in SETS])
def test_conservation_on_every_shared_document(folder):
    gold_dir = SHARED / dict(SETS)[folder]
    for path in sorted((SHARED / folder).glob("*.*")):
        if path.suffix not in (".txt", ".pdf"):
            continue
        doc = extract(path)
        assert doc.checks.coverage >= 0.99 and not doc.checks.warnings, (path.name, doc.checks)
        gold = json.loads((gold_dir / (path.name.rsplit(".", 1)[0] + ".gold.json")).read_text(encoding="utf-8"))
        want = {g["n"]: g["text"] for g in gold["footnotes"]}
        for note in doc.footnotes:
            # no note longer than its gold text by more than a sentence, and each anchored at its marker
            assert len(note.text) <= len(want.get(note.number, "")) + 200, (path.name, note.number, note.text[:200])
            assert note.anchor is not None, (path.name, note.number)


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


@pytest.mark.parametrize("folder", ["real/answers", "real/answers-pdf"])
def test_every_note_of_the_real_answers_is_anchored_at_its_marker(folder):
    paths = [p for p in sorted((SHARED / folder).glob("*.*")) if p.suffix in (".txt", ".pdf")]
    notes = [(p.name, n) for p in paths for n in extract(p).footnotes]
    assert notes and all(n.anchor is not None for _, n in notes), [(f, n.number) for f, n in notes if n.anchor is None]
