"""Shared fixtures: the sample corpus ingested once, an embedder loaded once, ../shared when present."""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

import pytest

# Under pytest-xdist each worker has a Prefect home of its own: two ephemeral servers on one SQLite file collide.
if worker := os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["PREFECT_HOME"] = f"{os.environ.get('PREFECT_HOME') or Path.home() / '.prefect'}-{worker}"

from pipeline.embed import Embedder as _Embedder  # noqa: E402

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# as kst sets it: on a busy machine (two test workers, Dask's among them) Prefect's 20 s are too few to start
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

# what the fault suite (tests/test_faults.py) tried, printed at the end of the run
FAULTS: Counter = Counter()

needs_shared = pytest.mark.skipif(not (SHARED / "gold").is_dir(), reason="../shared is not present")


class CountingEmbedder(_Embedder):
    """A stand-in model: deterministic vectors from a hash; counts what it is asked to embed."""

    def __init__(self, name: str = "test-hash-8", dim: int = 8):
        super().__init__(name)
        self._dim = dim
        self.encoded: list[str] = []

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def max_tokens(self) -> int:
        return 256

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def encode(self, texts, kind="passage"):
        self.encoded.extend(texts)
        return [[b / 255 for b in hashlib.sha256(t.encode()).digest()[:self._dim]] for t in texts]



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


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # an xdist worker hands its counts to the controller
        session.config.workeroutput["faults"] = dict(FAULTS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    FAULTS.update(getattr(node, "workeroutput", {}).get("faults", {}))


def pytest_terminal_summary(terminalreporter):
    if FAULTS:
        terminalreporter.section("fault suite")
        terminalreporter.write_line(
            f"{FAULTS['input kinds tried']} input kinds tried, {FAULTS['input kinds handled']} handled; "
            f"{FAULTS['bad databases refused untouched']} bad databases refused untouched; "
            f"{FAULTS['kill -9 trials survived']} kill -9 trials survived with nothing lost and search working after; "
            f"{FAULTS['fuzz cases run']} mutated PDFs and {FAULTS['property examples']} property examples run")
