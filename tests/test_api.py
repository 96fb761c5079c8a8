"""The four public verbs, end to end on a sample paper, and the typed kinds they return."""
from __future__ import annotations

import pytest

from pipeline import api as kst
from conftest import CORPUS, CountingEmbedder
from pipeline.model import CitationKind, CommitmentKind, DeadlineBasis, Disposition, Shape


def test_read_analyse_ingest_search(tmp_path):
    doc = kst.read(CORPUS / "2025-04-17_natuurherstel-stikstof.txt")
    assert doc.shape is Shape.PDF_TEXT and doc.meta.dossier == "35334"
    found = kst.analyse(doc)
    assert {m.disposition for m in found.motions} == {Disposition.UITGEVOERD, Disposition.GENOEMD, Disposition.AFGEDAAN}
    assert {c.kind for c in found.commitments} == {CommitmentKind.NEW, CommitmentKind.FULFILMENT}
    assert {c.deadline_basis for c in found.commitments if c.deadline} == {DeadlineBasis.RULE}
    assert CitationKind.ZAAK in {c.kind for c in found.citations}
    summary = kst.ingest([CORPUS / "2025-04-17_natuurherstel-stikstof.txt"], tmp_path / "k.duckdb", CountingEmbedder())
    assert summary.ok and summary.count("new") == 1
    hits = kst.search(tmp_path / "k.duckdb", "rekenkundige ondergrens", mode="keyword", limit=3)
    assert hits and "rekenkundige ondergrens" in hits[0].text


@pytest.mark.parametrize("make", [
    lambda: __import__("pipeline.model", fromlist=["Commitment"]).Commitment("t", "promise", "ik", None, None, 0, 1),
    lambda: __import__("pipeline.model", fromlist=["Block"]).Block("table", "t", 1, 0, 1),
])
def test_an_unknown_kind_fails_where_it_is_made(make):
    with pytest.raises(ValueError):
        make()


def test_kinds_store_and_serialise_as_their_values():
    import json
    assert json.dumps([CommitmentKind.NEW, Disposition.AFGEDAAN]) == '["new", "afgedaan"]'
    assert CommitmentKind("fulfilment") == "fulfilment"
