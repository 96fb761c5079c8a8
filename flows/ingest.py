"""The Prefect ingest flow: per-document tasks over pipeline.ingest, one writer to DuckDB.

Runs without a Prefect server (ephemeral mode). The flow adds orchestration only:
tasks, retries of transient failures, prepared documents cached in `cache/` beside the
database (Prefect result storage), and a markdown artifact with the summary.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from functools import lru_cache
from pathlib import Path
from typing import Callable

if os.environ.get("PREFECT_HOME"):  # Prefect creates only the last part of the path
    Path(os.environ["PREFECT_HOME"]).expanduser().mkdir(parents=True, exist_ok=True)

from prefect import flow, settings, task  # noqa: E402  (imported once PREFECT_HOME exists)
from prefect.artifacts import create_markdown_artifact  # noqa: E402
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy  # noqa: E402
from prefect.settings import temporary_settings  # noqa: E402
from prefect.states import Completed  # noqa: E402

from pipeline import ingest, store
from pipeline.embed import Embedder
from pipeline.errors import IngestError
from pipeline.metadata import sidecar_stamp
from pipeline.timelimit import TimedPreparer

# Progress reporting for the command line: a callable cannot be a flow parameter.
observers: list[Callable[[ingest.Outcome, int], None]] = []


@lru_cache(maxsize=None)
def _preparer(seconds: float):
    """One time-limited worker process per Python process (our local Dask workers included: task_runner
    makes them non-daemonic). A daemonic worker of an external cluster may not start processes: there
    only the task's timeout applies (the flow stops waiting; the worker thread runs on)."""
    if seconds <= 0 or mp.current_process().daemon:
        return ingest.safe_prepare
    return TimedPreparer(seconds, ingest.safe_prepare)


class Overrun(Exception):
    """A document over the time limit: a failed task, so it is neither cached nor retried."""


def _content_key(context, parameters) -> str:
    # The same bytes under the same extraction and rules give the same result, as long as the file has the
    # same path and sidecars: a prepared document carries both (the cache beside the database is shared by
    # every database in that folder).
    stamp = sidecar_stamp(Path(parameters["path"]))
    return f"prepare-{parameters['sha']}-{ingest.pipeline_version()}-{stamp}"


def _transient(task, task_run, state) -> bool:
    try:
        state.result()
    except (Overrun, TimeoutError):
        return False
    except Exception:
        return True
    return False


@task(name="prepare-document", retries=2, retry_delay_seconds=1, retry_condition_fn=_transient,
      cache_key_fn=_content_key, persist_result=True)
def prepare_task(path: str, sha: str, seconds: float) -> ingest.Prepared | IngestError:
    # Bad input comes back as a value (cached: it stays bad); an overrun fails; anything else raised is retried.
    result = _preparer(seconds)(path)
    if isinstance(result, IngestError) and result.stage == "timeout":
        raise Overrun(result.message)
    return result


@lru_cache(maxsize=None)
def _embedder(model: str | None) -> Embedder:
    return Embedder(model)  # loaded once per worker process


@task(name="embed-document", retries=2, retry_delay_seconds=1)
def embed_task(prepared: ingest.Prepared | IngestError, model: str | None,
               embedded: frozenset[str]) -> ingest.Prepared | IngestError:
    if isinstance(prepared, IngestError):
        return prepared
    return ingest.embed_prepared(prepared, _embedder(model), embedded)


def _prepare_many(jobs: list[ingest.Job], model: str | None = None, on_dask: bool = False):
    """Prepared documents in order; results are cached by content hash (run_batch computed it) and
    pipeline version. On Dask the workers embed what the database has not embedded yet, and the
    writer only stores."""
    seconds = ingest.time_limit()
    task_ = prepare_task
    if on_dask and seconds > 0:
        # A backstop for daemonic workers. Not on the default runner: its tasks queue for the one
        # time-limited process, and the queueing would count against them.
        task_ = prepare_task.with_options(timeout_seconds=2 * seconds + 30)
    prepared = [task_.submit(job.path, job.sha, seconds) for job in jobs]
    embedded = [embed_task.submit(f, model, job.embedded) for f, job in zip(prepared, jobs)] if on_dask else prepared
    for prep, fut in zip(prepared, embedded):
        try:
            prep.result()  # a failed preparation raises here; its embed task never runs and has no result
            yield fut.result()
        except (Overrun, TimeoutError) as exc:
            yield IngestError("timeout", str(exc) or "no result within the time limit; the document was skipped")
        except Exception as exc:  # retries exhausted
            yield IngestError("extract", f"{type(exc).__name__}: {exc}")


def summary_markdown(summary: ingest.Summary) -> str:
    t = summary.totals()
    statuses = ("new", "changed", "unchanged", "moved", "failed", "skipped", "missing", "pruned")
    lines = ["| " + " | ".join(statuses) + " |", "|" + "---|" * len(statuses),
             "| " + " | ".join(str(summary.count(s)) for s in statuses) + " |", "",
             ", ".join(f"{k}: {v}" for k, v in t.items())]
    failed = [o for o in summary.outcomes if o.status == "failed"]
    if failed:
        lines += ["", "Failed:", *(f"- `{o.path}`: {o.stage}: {o.error}" for o in failed)]
    suspect = [(o.path, w) for o in summary.outcomes for w in o.warnings]
    if suspect:
        lines += ["", "Suspect (stored; see document_checks):", *(f"- `{p}`: {w}" for p, w in suspect)]
    if notes := summary.notes():
        lines += ["", "Notes:", *(f"- {n}" for n in notes)]
    return "\n".join(lines)


@flow(name="kst-ingest", log_prints=False)
def ingest_flow(paths: list[str], db: str, model: str | None = None, prune: bool = False,
                on_dask: bool = False, skip_if_busy: bool = False):
    """`skip_if_busy` (scheduled runs): when another process holds the database, end at once in a
    Completed state named Skipped, with the reason as its message and artifact, instead of waiting."""
    if skip_if_busy:
        try:
            store.connect(db).close()
        except store.Busy as exc:
            message = f"skipped: {exc}"
            create_markdown_artifact(message, key="kst-ingest-summary", description="kst ingest summary")
            return Completed(name="Skipped", message=message)

    def notify(outcome: ingest.Outcome, total: int) -> None:
        for fn in observers:
            fn(outcome, total)

    summary = ingest.run_batch(paths, db, model, on_outcome=notify, prune=prune,
                               prepare_many=lambda jobs: _prepare_many(jobs, model, on_dask))
    create_markdown_artifact(summary_markdown(summary), key="kst-ingest-summary", description="kst ingest summary")
    return {"outcomes": [o.__dict__ for o in summary.outcomes]}


def task_runner(kind: str = "default", address: str | None = None, workers: int = 2):
    """Prefect's default (threads in this process), or Dask: a cluster at `address`, else a local one."""
    if kind == "default":
        return None
    if kind != "dask":
        raise ValueError("task runner must be default or dask")
    import dask
    from prefect_dask import DaskTaskRunner
    # Non-daemonic workers may start the time-limited extraction process (see _preparer).
    dask.config.set({"distributed.worker.daemon": False})
    if address:
        return DaskTaskRunner(address=address)
    return DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})


def run(paths: list[str], db: str, model: str | None = None, prune: bool = False,
        on_outcome: Callable[[ingest.Outcome, int], None] | None = None, runner=None) -> ingest.Summary:
    """Run the flow; `runner` is a task runner from task_runner() (None: Prefect's default)."""
    if on_outcome:
        observers.append(on_outcome)
    flow_ = ingest_flow.with_options(task_runner=runner) if runner is not None else ingest_flow
    try:
        with temporary_settings(updates={settings.PREFECT_RESULTS_LOCAL_STORAGE_PATH: str(ingest.cache_dir(db))}):
            result = flow_(paths=[str(p) for p in paths], db=str(db), model=model, prune=prune,
                           on_dask=runner is not None)
    finally:
        if on_outcome:
            observers.remove(on_outcome)
    return ingest.Summary([ingest.Outcome(**o) for o in result["outcomes"]])


def deployment(inbox: str, db: str, cron: str, model: str | None = None, prune: bool = False,
               interval: float | None = None):
    """The ingest flow on a schedule (cron, or every `interval` seconds), for `kst serve` (needs a Prefect
    server: PREFECT_API_URL). One run at a time: the server cancels a run due while another runs, and a
    run that finds the database held by another process (a manual `kst ingest`) is skipped."""
    schedule = {"interval": interval} if interval else {"cron": cron}
    return ingest_flow.to_deployment(
        name="kst-ingest-inbox", **schedule,
        concurrency_limit=ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW),
        parameters={"paths": [inbox], "db": db, "model": model, "prune": prune, "skip_if_busy": True},
        description=f"Ingest {inbox} into {db}")
