"""Unattended batch runs: pruning, time limits, retries, crash safety, scheduling and Dask."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from benchmarks.generate import generate
from conftest import CORPUS
from flows.ingest import deployment, summary_markdown
from pipeline import ingest, store
from pipeline.errors import IngestError
from pipeline.ingest import Outcome, Summary, run_batch
from pipeline.timelimit import TimedPreparer


def count(db: Path, table: str = "documents") -> int:
    con = store.connect(db, read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_a_vanished_file_is_reported_then_pruned(tmp_path, embedder):
    box, db = tmp_path / "inbox", tmp_path / "k.duckdb"
    box.mkdir()
    for name in ("2025-04-17_natuurherstel-stikstof.txt", "2024-11-14_ondermijning-voortgang.txt"):
        shutil.copy(CORPUS / name, box / name)
    run_batch([box], db, embedder)
    (box / "2025-04-17_natuurherstel-stikstof.txt").unlink()
    reported = run_batch([box], db, embedder)
    assert [(Path(o.path).name, o.status) for o in reported.outcomes if o.status == "missing"] == [
        ("2025-04-17_natuurherstel-stikstof.txt", "missing")]
    assert count(db) == 2
    pruned = run_batch([box], db, embedder, prune=True)
    assert pruned.count("pruned") == 1 and count(db) == 1
    con = store.connect(db, read_only=True)
    for table in ("passages", "citations", "footnotes", "blocks", "commitments", "motions"):  # nothing of it is left
        assert con.execute(f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
                           ).fetchone()[0] == 0, table


def test_a_document_over_the_time_limit_fails_and_the_batch_goes_on(tmp_path, embedder, monkeypatch):
    monkeypatch.setenv("KST_DOC_TIMEOUT", "0.001")
    summary = run_batch([CORPUS / "2025-03-12_hwbp-voortgang.pdf", CORPUS / "2024-06-20_lerarentekort-voortgang.txt"],
                        tmp_path / "k.duckdb", embedder)
    assert {(o.status, o.stage) for o in summary.outcomes} == {("failed", "timeout")}
    monkeypatch.setenv("KST_DOC_TIMEOUT", "120")
    again = run_batch([CORPUS / "2024-06-20_lerarentekort-voortgang.txt"], tmp_path / "k.duckdb", embedder)
    assert again.count("new") == 1


def test_the_worker_is_replaced_after_an_overrun():
    with TimedPreparer(0.001, ingest.safe_prepare) as slow:
        assert slow(str(CORPUS / "2025-03-12_hwbp-voortgang.pdf")).stage == "timeout"
        slow.seconds = 120
        assert slow(str(CORPUS / "2025-03-12_hwbp-voortgang.pdf")).document.pages == 2


def test_transient_failures_are_retried(tmp_path, monkeypatch):
    """A first attempt that raises (a file briefly unreadable) is retried by the Prefect task."""
    from flows import ingest as flow
    calls = []
    real = ingest.safe_prepare

    def flaky(path):
        calls.append(path)
        if len(calls) == 1:
            raise OSError("resource temporarily unavailable")
        return real(path)

    monkeypatch.setenv("KST_DOC_TIMEOUT", "0")  # prepare in this process, where the stand-in lives
    monkeypatch.setattr(ingest, "safe_prepare", flaky)
    flow._preparer.cache_clear()
    summary = flow.run([str(CORPUS / "2025-04-17_natuurherstel-stikstof.txt")], str(tmp_path / "k.duckdb"))
    flow._preparer.cache_clear()
    assert summary.count("new") == 1 and len(calls) == 2


def test_the_same_bytes_elsewhere_are_not_served_from_the_cache_of_another_path(tmp_path):
    """Two folders hold the same letter with different manifests; two databases in one folder share the
    prepared-document cache beside them. Each database stores its own file's path and sidecar date."""
    from flows import ingest as flow
    name = "2025-04-17_natuurherstel-stikstof.txt"
    stored = {}
    for folder, date in (("a", "2025-04-17"), ("b", "2025-04-18")):
        box = tmp_path / folder
        box.mkdir()
        shutil.copy(CORPUS / name, box / name)
        (box / "manifest.json").write_text(f'{{"{name}": {{"date": "{date}"}}}}', encoding="utf-8")
        summary = flow.run([str(box)], str(tmp_path / f"{folder}.duckdb"))
        assert summary.count("new") == 1
        con = store.connect(tmp_path / f"{folder}.duckdb", read_only=True)
        stored[folder] = con.execute("SELECT source_path, CAST(doc_date AS VARCHAR) FROM documents").fetchall()
        con.close()
    assert stored == {"a": [(str(tmp_path / "a" / name), "2025-04-17")], "b": [(str(tmp_path / "b" / name), "2025-04-18")]}


CRASHING = textwrap.dedent("""
    import sys
    from pipeline.ingest import run_batch
    run_batch([sys.argv[1]], sys.argv[2], on_outcome=lambda o, n: print(o.status, flush=True))
""")


def test_sigkill_mid_ingest_loses_nothing_stored_and_leaves_nothing_half(tmp_path):
    box, db = tmp_path / "inbox", tmp_path / "k.duckdb"
    generate(box, 12)
    proc = subprocess.Popen([sys.executable, "-c", CRASHING, str(box), str(db)], stdout=subprocess.PIPE, text=True)
    stored = 0
    for line in proc.stdout:
        stored += line.strip() == "new"
        if stored == 3:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    con = store.connect(db)
    kept = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert kept >= 3
    for table in store.DOC_TABLES:  # no row of a document that is not stored whole
        assert con.execute(f"SELECT count(*) FROM {table} WHERE doc_id NOT IN (SELECT doc_id FROM documents)"
                           ).fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM documents d WHERE NOT EXISTS "
                       "(SELECT 1 FROM passages p WHERE p.doc_id = d.doc_id)").fetchone()[0] == 0
    con.close()
    rest = run_batch([box], db)
    assert rest.count("unchanged") == kept and rest.count("new") == 12 - kept and count(db) == 12


def test_the_scheduled_deployment():
    d = deployment("/data/inbox", "/data/k.duckdb", "0 6 * * 1-5", prune=True)
    assert d.parameters == {"paths": ["/data/inbox"], "db": "/data/k.duckdb", "model": None, "prune": True,
                            "skip_if_busy": True}
    assert d.schedules[0].schedule.cron == "0 6 * * 1-5"
    assert d.concurrency_limit == 1 and d.concurrency_options.collision_strategy == "CANCEL_NEW"
    every = deployment("/data/inbox", "/data/k.duckdb", "0 6 * * 1-5", interval=600)
    assert every.schedules[0].schedule.interval.total_seconds() == 600


def test_kst_serve_without_a_server_says_what_to_do(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    run = subprocess.run([str(Path(sys.executable).parent / "kst"), "serve", "--inbox", str(tmp_path)],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 2 and "prefect server start" in run.stderr


def test_run_summary_artifact():
    md = summary_markdown(Summary([Outcome("/a.pdf", "new", counts={"citations": 3}),
                                   Outcome("/b.pdf", "failed", stage="extract", error="encrypted PDF")]))
    assert "| 1 | 0 | 0 | 0 | 1 |" in md and "`/b.pdf`: extract: encrypted PDF" in md  # new changed unchanged moved failed


def test_ingest_errors_cross_process_boundaries():
    import pickle
    err = pickle.loads(pickle.dumps(IngestError("timeout", "too slow")))
    assert (err.stage, err.message) == ("timeout", "too slow")


def test_the_flow_on_a_local_dask_cluster(tmp_path):
    from flows.ingest import run, task_runner
    box = tmp_path / "inbox"
    generate(box, 6)
    db = tmp_path / "k.duckdb"
    summary = run([str(box)], str(db), runner=task_runner("dask"))
    assert summary.count("new") == 6 and summary.ok, [o for o in summary.outcomes if o.status != "new"]
    con = store.connect(db, read_only=True)
    from pipeline.passages import sentence_texts, text_hash
    texts = {h for (h,) in con.execute("SELECT text_hash FROM passages").fetchall()}
    texts |= {text_hash(t) for row in con.execute("SELECT heading, text, glossary FROM passages").fetchall()
              for t in sentence_texts(*row)}
    cached = {h for (h,) in con.execute("SELECT text_hash FROM embedding_cache").fetchall()}
    assert texts == cached and len(texts) > 0  # passages and sentences embedded on the workers, cached by the writer


def test_dask_workers_stop_a_document_over_the_time_limit(tmp_path, monkeypatch):
    from flows.ingest import run, task_runner
    monkeypatch.setenv("KST_DOC_TIMEOUT", "0.001")
    summary = run([str(CORPUS / "2025-03-12_hwbp-voortgang.pdf")], str(tmp_path / "k.duckdb"),
                  runner=task_runner("dask"))
    [outcome] = summary.outcomes
    # The worker's own time-limited process gave up, not the flow's backstop (2 × limit + 30 s).
    assert (outcome.status, outcome.stage) == ("failed", "timeout") and "0.001 s" in outcome.error


def test_prepared_documents_are_cached_by_content_and_version(tmp_path, monkeypatch):
    """A rebuilt database does not extract again: the flow's results live in cache/ beside it."""
    from flows import ingest as flow
    calls = []
    real = ingest.safe_prepare
    monkeypatch.setenv("KST_DOC_TIMEOUT", "0")
    monkeypatch.setattr(ingest, "safe_prepare", lambda p: calls.append(p) or real(p))
    flow._preparer.cache_clear()
    db = tmp_path / "data" / "k.duckdb"
    doc = str(CORPUS / "2025-04-17_natuurherstel-stikstof.txt")
    assert flow.run([doc], str(db)).count("new") == 1
    db.unlink()
    assert flow.run([doc], str(db)).count("new") == 1
    flow._preparer.cache_clear()
    assert len(calls) == 1
    assert any((tmp_path / "data" / "cache").iterdir())
    monkeypatch.setattr(ingest, "pipeline_version", lambda: "rules-changed")
    db.unlink()
    flow.run([doc], str(db))
    flow._preparer.cache_clear()
    assert len(calls) == 2
