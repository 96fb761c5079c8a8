"""`kst web`: a small local site over one database, on 127.0.0.1 only.

Pages: a search box with results, a paper with its findings marked (pipeline.render), and the
open and overdue commitments by ministry and month. Each request opens the database read-only
and closes it again, so `kst ingest` can write between requests; while it writes, a page says so.
The encoder is loaded once, on the first semantic query.
"""
from __future__ import annotations

import datetime as dt
import html
from functools import lru_cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlparse

from pipeline import findings
from pipeline.render import page, paper_html
from pipeline.search import MODES, Filters, highlights, search
from pipeline.store import DatabaseError, connect, embedding_model

NAV = ('<nav><a href="/">search</a> · <a href="/commitments">commitments</a> · '
       '<a href="/commitments?overdue=1">overdue</a></nav>')


@lru_cache(maxsize=2)
def _embedder(model: str):
    from pipeline.embed import Embedder

    return Embedder(model)


def _marked(snippet: str, query: str) -> str:
    parts, last = [], 0
    for a, b in highlights(snippet, query):
        parts += [html.escape(snippet[last:a]), f"<mark>{html.escape(snippet[a:b])}</mark>"]
        last = b
    return "".join(parts) + html.escape(snippet[last:])


def search_page(con, q: str, mode: str, doc_type: str, day: dt.date) -> str:
    types = "".join(f'<option{" selected" if t == doc_type else ""}>{html.escape(t)}</option>'
                    for t in findings.values(con, "doc_type"))
    modes = "".join(f'<option{" selected" if m == mode else ""}>{m}</option>' for m in MODES)
    form = (f'<form action="/"><input name="q" size="50" value="{html.escape(q)}" autofocus> '
            f'<select name="mode">{modes}</select> <select name="type"><option value="">all types</option>{types}'
            '</select> <button>search</button></form>')
    body = [NAV, "<h1>Kamerstukken</h1>", form]
    if q:
        info = embedding_model(con)
        embedder = _embedder(info["model"]) if info and mode != "keyword" else None
        hits = search(con, q, mode=mode, limit=20, filters=Filters(doc_type=doc_type or None), embedder=embedder)
        if not hits:
            body.append(f"<p>No results for <b>{html.escape(q)}</b>.</p>")
        body.append('<ol class="hits">')
        for h in hits:
            also = f"<br><small>also in {html.escape(', '.join(h.also))}</small>" if h.also else ""
            body.append(f'<li><a href="/doc/{quote(h.doc_id)}">{html.escape(h.title or h.source_path)}</a> '
                        f'<small>{h.doc_date or ""} · p. {h.page} · {html.escape(h.heading or "")}</small>'
                        f"<p>{_marked(h.snippet, q)}</p>{also}</li>")
        body.append("</ol>")
    else:
        body.append(overview(con, day))
    return page(f"kst: {q}" if q else "kst", "".join(body))


def as_of(params: dict) -> dt.date:
    try:
        return dt.date.fromisoformat(params.get("as_of", ""))
    except ValueError:
        return dt.date.today()


def overview(con, day: dt.date) -> str:
    """Open commitments with a deadline, by ministry (rows) and month due (columns); overdue in red."""
    rows = findings.open_by_ministry_month(con, day)
    if not rows:
        return "<p>No open commitments with a deadline.</p>"
    months = sorted({r["month"] for r in rows})
    ministries = sorted({r["ministry"] for r in rows})
    cell = {(r["ministry"], r["month"]): r for r in rows}
    head = "".join(f"<th>{m}</th>" for m in months)
    lines = []
    for name in ministries:
        tds = []
        for m in months:
            r = cell.get((name, m))
            style = ' style="background:#f8c4c4"' if r and r["overdue"] else ""
            link = f"/commitments?ministry={quote(name)}&open=1&as_of={day}"
            tds.append(f'<td{style}><a href="{link}">{r["open"]}</a></td>' if r else "<td></td>")
        lines.append(f"<tr><th>{html.escape(name)}</th>{''.join(tds)}</tr>")
    return (f"<h2>Open commitments by ministry and month due</h2><p>as of {day}; red: overdue</p>"
            f'<table class="months"><tr><th></th>{head}</tr>{"".join(lines)}</table>')


def commitments_page(con, params: dict) -> str:
    ministry = params.get("ministry") or None
    overdue = bool(params.get("overdue"))
    rows = findings.commitments(con, open_only=bool(params.get("open")), overdue=overdue, as_of=as_of(params),
                                ministry=ministry)
    trs = "".join(
        f"<tr><td>{r['deadline'] or html.escape(r['deadline_text'] or '')}</td>"
        f"<td>{'kept' if r['kept'] else (str(r['days_overdue']) + ' days' if r['days_overdue'] else 'open')}</td>"
        f"<td>{html.escape(r['text'])}</td><td><a href=\"/doc/{quote(r['doc_id'])}\">"
        f"{html.escape(r['title'] or r['doc_id'])}</a> ({r['doc_date']})</td><td>{html.escape(r['sender'] or '')}</td></tr>"
        for r in rows)
    title = ("Overdue" if overdue else "Open" if params.get("open") else "All") + " commitments" + \
        (f" of {ministry}" if ministry else "") + f" as of {as_of(params)}"
    return page(title, f"{NAV}<h1>{html.escape(title)}</h1><p>{len(rows)} promises</p><table><tr><th>deadline</th>"
                       f"<th>status</th><th>promise</th><th>paper</th><th>ministry</th></tr>{trs}</table>")


class Handler(BaseHTTPRequestHandler):
    db: str

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        url = urlparse(self.path)
        params = {k: v[0] for k, v in parse_qs(url.query).items()}
        try:
            con = connect(self.db, read_only=True, wait=5)
        except DatabaseError as exc:
            return self._send(HTTPStatus.SERVICE_UNAVAILABLE, page("busy", f"{NAV}<p>{html.escape(str(exc))}</p>"))
        try:
            if url.path == "/":
                mode = params.get("mode", "hybrid")
                self._send(HTTPStatus.OK, search_page(con, params.get("q", "").strip(),
                                                      mode if mode in MODES else "hybrid", params.get("type", ""),
                                                      as_of(params)))
            elif url.path == "/commitments":
                self._send(HTTPStatus.OK, commitments_page(con, params))
            elif url.path.startswith("/doc/"):
                p = findings.paper(con, findings.find_document(con, url.path[len("/doc/"):]))
                self._send(HTTPStatus.OK, page(p.meta.get("title") or p.doc_id,
                                               NAV + paper_html(p, href=lambda d: f"/doc/{quote(d)}")))
            else:
                self._send(HTTPStatus.NOT_FOUND, page("not found", f"{NAV}<p>No page {html.escape(url.path)}.</p>"))
        except findings.NotFound as exc:
            self._send(HTTPStatus.NOT_FOUND, page("not found", f"{NAV}<p>{html.escape(str(exc))}</p>"))
        finally:
            con.close()

    def _send(self, status: HTTPStatus, body: str) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (http.server's signature)
        pass  # the terminal shows the address once; a request log would bury it


def make_server(db: str, port: int) -> ThreadingHTTPServer:
    handler = type("KstHandler", (Handler,), {"db": db})
    return ThreadingHTTPServer(("127.0.0.1", port), handler)


def serve_site(db: str, port: int) -> None:
    server = make_server(db, port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
