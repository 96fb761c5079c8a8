"""The Prefect ingest flow: per-document tasks over pipeline.ingest, one writer to DuckDB.

Runs without a Prefect server (ephemeral mode). The flow adds orchestration only:
tasks, retries of transient failures, and a markdown artifact with the summary.
"""
from __future__ import annotations

from typing import Callable

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

from pipeline import ingest
from pipeline.errors import IngestError

# Progress reporting for the command line: a callable cannot be a flow parameter.
observers: list[Callable[[ingest.Outcome, int], None]] = []


@task(name="prepare-document", retries=2, retry_delay_seconds=1)
def prepare_task(path: str) -> ingest.Prepared | IngestError:
    # Bad input comes back as a value (no retry); anything else raised is retried.
    return ingest.safe_prepare(path)


def _prepare_many(paths: list[str]):
    futures = [prepare_task.submit(p) for p in paths]
    for fut in futures:
        try:
            yield fut.result()
        except Exception as exc:  # retries exhausted
            yield IngestError("extract", f"{type(exc).__name__}: {exc}")


def summary_markdown(summary: ingest.Summary) -> str:
    t = summary.totals()
    lines = ["| new | changed | unchanged | failed | skipped |", "|---|---|---|---|---|",
             f"| {summary.count('new')} | {summary.count('changed')} | {summary.count('unchanged')} | "
             f"{summary.count('failed')} | {summary.count('skipped')} |", "",
             ", ".join(f"{k}: {v}" for k, v in t.items())]
    failed = [o for o in summary.outcomes if o.status == "failed"]
    if failed:
        lines += ["", "Failed:", *(f"- `{o.path}`: {o.stage}: {o.error}" for o in failed)]
    return "\n".join(lines)


@flow(name="kst-ingest", log_prints=False)
def ingest_flow(paths: list[str], db: str, model: str | None = None) -> dict:
    def notify(outcome: ingest.Outcome, total: int) -> None:
        for fn in observers:
            fn(outcome, total)

    summary = ingest.run_batch(paths, db, model, prepare_many=_prepare_many, on_outcome=notify)
    create_markdown_artifact(summary_markdown(summary), key="kst-ingest-summary", description="kst ingest summary")
    return {"outcomes": [o.__dict__ for o in summary.outcomes]}


def run(paths: list[str], db: str, model: str | None = None,
        on_outcome: Callable[[ingest.Outcome, int], None] | None = None) -> ingest.Summary:
    if on_outcome:
        observers.append(on_outcome)
    try:
        result = ingest_flow(paths=[str(p) for p in paths], db=str(db), model=model)
    finally:
        if on_outcome:
            observers.remove(on_outcome)
    return ingest.Summary([ingest.Outcome(**o) for o in result["outcomes"]])
