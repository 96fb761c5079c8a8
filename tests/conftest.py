"""Shared fixtures: the sample corpus ingested once, an embedder loaded once, ../shared when present."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

needs_shared = pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="../shared is not present")


@pytest.fixture(scope="session")
def embedder():
    from pipeline.embed import Embedder
    return Embedder()


@pytest.fixture(scope="session")
def corpus_db(tmp_path_factory, embedder):
    """The sample corpus ingested (without Prefect) into a fresh database."""
    from pipeline.ingest import run_batch
    db = tmp_path_factory.mktemp("db") / "corpus.duckdb"
    summary = run_batch([CORPUS], db, embedder)
    assert summary.ok, [o for o in summary.outcomes if o.status == "failed"]
    return db


@pytest.fixture()
def con(corpus_db):
    from pipeline.store import connect
    c = connect(corpus_db, read_only=True)
    yield c
    c.close()
