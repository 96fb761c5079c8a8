"""Reading the findings back: a paper with its marked spans, commitments and motions as rows.

The read side of the store for the command line and the local site; plain functions over a
connection, returning plain data. Filters are bound parameters; an unknown filter value is an
error that lists the values the database holds, never an empty answer.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from .model import Disposition


class NotFound(LookupError):
    """A filter value or paper the database does not hold; the message is one line that says what it does hold."""


@dataclass
class Mark:
    """A finding's span in the text of the body (`footnote` None) or of one footnote."""
    start: int
    end: int
    kind: str  # commitment | fulfilment | motion | citation
    label: str  # what the reader sees beside the span: a deadline, a disposition, a canonical id
    footnote: int | None = None
    link: str | None = None  # doc_id of the cited paper, when the database holds it


@dataclass
class Paper:
    doc_id: str
    meta: dict
    blocks: list[tuple[str, int, int]]  # kind, start, end in `text`
    text: str
    footnotes: list[tuple[int, str]]
    marks: list[Mark] = field(default_factory=list)
    commitments: list[dict] = field(default_factory=list)
    motions: list[dict] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)


def _rows(con: duckdb.DuckDBPyConnection, sql: str, args: list | None = None) -> list[dict]:
    cur = con.execute(sql, args or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


UNKNOWN = "onbekend"  # the sender of a paper that names none, as the views write it


def values(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    """The distinct values of documents.doc_type or documents.sender, for choices and messages."""
    assert column in ("doc_type", "sender")
    return [v for (v,) in con.execute(f"SELECT DISTINCT coalesce({column}, '{UNKNOWN}') FROM documents "
                                      "ORDER BY 1").fetchall()]


def check_value(con: duckdb.DuckDBPyConnection, column: str, value: str | None, option: str) -> None:
    if value is not None and value not in (known := values(con, column)):
        raise NotFound(f"{option} {value!r} is not in the database; it holds: {', '.join(known) or 'nothing yet'}")


def find_document(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    """The doc_id of a paper named by doc_id, file name, path or its own canonical id (`27625-702`)."""
    rows = con.execute("""SELECT doc_id FROM documents
        WHERE doc_id = $r OR source_path = $r OR source_path LIKE '%/' || $r
           OR (dossier IS NOT NULL AND ondernummer IS NOT NULL AND dossier || '-' || ondernummer = $r)
        ORDER BY doc_date DESC NULLS LAST, source_path""", {"r": ref}).fetchall()
    if not rows:
        raise NotFound(f"no paper {ref!r} in the database: give a doc_id, a file name or an id such as 27625-702 "
                       "(kst search finds papers by their words)")
    return rows[0][0]


OWN_ID = "d.dossier || '-' || d.ondernummer"  # a paper's own canonical id, as its citations write it
KEPT = "SELECT doc_id, seq, any_value(fulfilled_by_doc) AS fulfilled_by_doc FROM commitment_links GROUP BY ALL"


def paper(con: duckdb.DuckDBPyConnection, doc_id: str) -> Paper:
    meta = _rows(con, """SELECT doc_id, source_path, title, doc_type, CAST(doc_date AS VARCHAR) AS doc_date, sender,
        kenmerk, dossier, ondernummer, pages FROM documents WHERE doc_id = ?""", [doc_id])[0]
    text = con.execute("SELECT text FROM documents WHERE doc_id = ?", [doc_id]).fetchone()[0] or ""
    blocks = con.execute("SELECT kind, char_start, char_end FROM blocks WHERE doc_id = ? ORDER BY seq",
                         [doc_id]).fetchall()
    footnotes = con.execute("SELECT number, text FROM footnotes WHERE doc_id = ? ORDER BY number", [doc_id]).fetchall()
    p = Paper(doc_id, meta, blocks, text, footnotes)
    p.commitments = _rows(con, f"""SELECT c.seq, c.kind, c.actor, c.text, c.deadline_text,
            CAST(c.deadline AS VARCHAR) AS deadline, c.deadline_basis, c.page, c.char_start, c.char_end,
            l.fulfilled_by_doc IS NOT NULL AS kept
        FROM commitments c LEFT JOIN ({KEPT}) l ON l.doc_id = c.doc_id AND l.seq = c.seq
        WHERE c.doc_id = ? ORDER BY c.seq""", [doc_id])
    p.motions = _rows(con, """SELECT mm.motion_seq, mm.disposition, mm.sentence, mm.char_start, mm.char_end,
            m.movers, m.cs, m.ref
        FROM motion_mentions mm JOIN motions m ON m.doc_id = mm.doc_id AND m.motion_seq = mm.motion_seq
        WHERE mm.doc_id = ? ORDER BY mm.char_start""", [doc_id])
    p.citations = _rows(con, f"""SELECT c.citation_id, c.kind, c.raw, c.footnote, c.page, c.char_start, c.char_end,
            (SELECT min(d.doc_id) FROM documents d WHERE {OWN_ID} = c.citation_id AND d.doc_id <> c.doc_id) AS link
        FROM citations c WHERE c.doc_id = ? ORDER BY c.footnote NULLS FIRST, c.char_start""", [doc_id])
    for c in p.commitments:
        if c["char_start"] is not None:
            due = f"due {c['deadline']}" if c["deadline"] else (c["deadline_text"] or "no date")
            label = "kept promise" if c["kind"] == "fulfilment" else f"commitment · {due}" + (" · kept" if c["kept"] else "")
            p.marks.append(Mark(c["char_start"], c["char_end"], "fulfilment" if c["kind"] == "fulfilment"
                                else "commitment", label))
    for m in p.motions:
        if m["char_start"] is not None:
            p.marks.append(Mark(m["char_start"], m["char_end"], "motion",
                                f"motion · {m['disposition']}" + (f" · {m['ref']}" if m["ref"] else "")))
    for c in p.citations:
        if c["char_start"] is not None:
            p.marks.append(Mark(c["char_start"], c["char_end"], "citation", c["citation_id"], c["footnote"], c["link"]))
    return p


def commitments(con: duckdb.DuckDBPyConnection, open_only: bool = False, overdue: bool = False,
                as_of: dt.date | None = None, ministry: str | None = None) -> list[dict]:
    """New commitments (promises), oldest deadline first; `overdue` implies `open_only`."""
    check_value(con, "sender", ministry, "--ministry")
    as_of = as_of or dt.date.today()
    return _rows(con, f"""SELECT c.doc_id, d.title, CAST(d.doc_date AS VARCHAR) AS doc_date, d.sender, c.text,
            c.deadline_text, CAST(c.deadline AS VARCHAR) AS deadline, c.deadline_basis,
            l.fulfilled_by_doc IS NOT NULL AS kept,
            CASE WHEN l.fulfilled_by_doc IS NULL AND c.deadline < $as_of
                 THEN date_diff('day', c.deadline, $as_of) END AS days_overdue
        FROM commitments c JOIN documents d USING (doc_id)
        LEFT JOIN ({KEPT}) l ON l.doc_id = c.doc_id AND l.seq = c.seq
        WHERE c.kind = 'new'
          AND ($ministry IS NULL OR coalesce(d.sender, $unknown) = $ministry)
          AND (NOT $open OR l.fulfilled_by_doc IS NULL)
          AND (NOT $overdue OR (l.fulfilled_by_doc IS NULL AND c.deadline < $as_of))
        ORDER BY c.deadline NULLS LAST, d.doc_date, c.doc_id, c.seq""",
                 {"as_of": as_of, "ministry": ministry, "open": open_only or overdue, "overdue": overdue,
                  "unknown": UNKNOWN})


def motions(con: duckdb.DuckDBPyConnection, disposition: str | None = None) -> list[dict]:
    """Motions named in the papers, per paper, newest first."""
    if disposition is not None and disposition not in (known := [d.value for d in Disposition]):
        raise NotFound(f"--disposition {disposition!r} is not one of: {', '.join(known)}")
    return _rows(con, """SELECT m.doc_id, d.title, CAST(d.doc_date AS VARCHAR) AS doc_date, m.ref, m.movers, m.cs,
            m.disposition, m.sentence
        FROM motions m JOIN documents d USING (doc_id)
        WHERE $disposition IS NULL OR m.disposition = $disposition
        ORDER BY d.doc_date DESC NULLS LAST, m.doc_id, m.motion_seq""", {"disposition": disposition})


def open_by_ministry_month(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> list[dict]:
    """Open commitments with a deadline, counted by ministry and month due, and how many are overdue."""
    return _rows(con, """SELECT coalesce(d.sender, $unknown) AS ministry,
            strftime(date_trunc('month', c.deadline), '%Y-%m') AS month, count(*) AS open,
            count(*) FILTER (WHERE c.deadline < $as_of) AS overdue
        FROM commitments c JOIN documents d USING (doc_id)
        WHERE c.kind = 'new' AND c.deadline IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM commitment_links l WHERE l.doc_id = c.doc_id AND l.seq = c.seq)
        GROUP BY ALL ORDER BY 1, 2""", {"as_of": as_of, "unknown": UNKNOWN})
