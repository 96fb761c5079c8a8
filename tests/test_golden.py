"""The full analysis of every sample paper in corpus/, compared exactly with its golden file.

The golden files were reviewed by hand once. After a deliberate change, regenerate them with
`KST_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py` and review the diff before committing.
"""
from __future__ import annotations

import dataclasses
import json
import os

import pytest

from conftest import CORPUS, ROOT
from pipeline.ingest import prepare

GOLDEN = ROOT / "tests" / "golden"
PAPERS = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".pdf", ".txt"))


def snapshot(name: str) -> dict:
    prepared = prepare(CORPUS / name)
    doc, analysis = prepared.document, prepared.analysis
    meta = {k: str(v) if v is not None else None for k, v in dataclasses.asdict(doc.meta).items()}
    return {
        "shape": doc.shape, "pages": doc.pages, "meta": meta,
        "blocks": [[b.kind, b.page, b.start, b.end, b.text[:70]] for b in doc.blocks],
        "footnotes": [[f.number, f.page, f.anchor, f.text] for f in doc.footnotes],
        "furniture": sorted({(f.kind, f.text) for f in doc.furniture}),
        "citations": [[c.citation_id, c.kind, c.raw, c.start, c.footnote] for c in analysis.citations],
        "motions": [[m.movers, m.cs, m.ref, m.disposition, [x.sentence for x in m.mentions]] for m in analysis.motions],
        "motion_text": dataclasses.asdict(analysis.motion_text) if analysis.motion_text else None,
        "commitments": [[c.kind, c.actor, c.deadline_text, str(c.deadline) if c.deadline else None, c.deadline_basis,
                         c.text] for c in analysis.commitments],
        "checks": {"coverage": doc.checks.coverage, "warnings": doc.checks.warnings},
    }


@pytest.mark.parametrize("name", PAPERS)
def test_analysis_matches_the_golden_file(name):
    got = json.loads(json.dumps(snapshot(name), ensure_ascii=False))
    path = GOLDEN / f"{name}.json"
    if os.environ.get("KST_UPDATE_GOLDEN"):
        path.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    for part in expected:  # part by part, so that a failure names what changed
        assert got[part] == expected[part], part
    assert got.keys() == expected.keys()


def test_every_paper_has_a_golden_file_and_no_file_is_stale():
    assert sorted(p.name[:-len(".json")] for p in GOLDEN.glob("*.json")) == PAPERS
