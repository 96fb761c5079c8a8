"""Keyword search at archive scale: BM25 over postings kept in DuckDB tables, in step with the passages.

DuckDB's fts index cannot follow inserts: it was rebuilt whole after every ingest (minutes at a million
passages), and `match_bm25` scores every passage of the table for each query (a second at a million).
These tables hold the same analysis and the same BM25 (`tests/test_keyword.py` checks the scores
against `match_bm25`): fts's tokenizer expression and its Snowball stemmer (`stem()`), our stop words,
the fields heading, text and terms. They are brought up to date with the passages that were added,
changed or removed only, in one transaction, so that the index is never behind the rows it serves.

A query reads the postings of its own terms only, and scores them with numpy: the postings are kept
sorted by term, so DuckDB's zone maps skip the rest. Rows appended since the last sort are read whole;
when they grow past a tenth of the table it is written again sorted.

Tables (derived state, rebuilt from the passages when the analysis changes):
- `keyword_rows`: one row per passage (doc number, passage_id, a hash of its indexed fields, its
  paper's date and type, its length in terms);
- `keyword_terms`: term, term number, document frequency;
- `keyword_postings`: term number, doc number, term frequency, the doc's length;
- `keyword_stopwords`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

import duckdb
import numpy as np

from .dutch import stop_words
from .store import load_extension, transaction, word_table

STEMMER = "dutch"
# fts's `tokenize` with our options: lower case, accents stripped, and digits kept (its default pattern drops
# them, and dossier numbers and years must stay searchable)
IGNORE = r"(\.|[^a-z0-9à-ÿ])+"
FIELDS = ("heading", "text", "terms")
RESORT = 0.1  # write the postings again, sorted, when the unsorted rows pass this share

TABLES = """
CREATE TABLE IF NOT EXISTS keyword_rows (doc INTEGER, passage_id VARCHAR, key UBIGINT, doc_id VARCHAR,
    doc_date DATE, doc_type VARCHAR, len INTEGER);
CREATE TABLE IF NOT EXISTS keyword_terms (term VARCHAR, term_id INTEGER, df INTEGER);
CREATE TABLE IF NOT EXISTS keyword_postings (term_id INTEGER, doc INTEGER, tf INTEGER, len INTEGER);
"""


def tokens_sql(expr: str) -> str:
    """The words of a SQL string expression, as fts's `tokenize` splits them (a list)."""
    return (f"string_split_regex(regexp_replace(lower(strip_accents(CAST({expr} AS VARCHAR))), "
            f"'{IGNORE}', ' ', 'g'), '\\s+')")


def _analysis() -> str:
    """What the postings depend on besides the passages: a change re-indexes everything."""
    words = "\n".join(sorted(stop_words())).encode()
    return json.dumps({"stemmer": STEMMER, "ignore": IGNORE, "fields": FIELDS,
                       "stopwords": hashlib.sha256(words).hexdigest()[:16], "duckdb": duckdb.__version__})


def _setting(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    row = con.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def stats(con: duckdb.DuckDBPyConnection) -> dict | None:
    """Passages indexed, their summed length and the next doc number, as the last sync left them; None
    before the first."""
    value = _setting(con, "keyword_stats")
    return json.loads(value) if value else None


def sync(con: duckdb.DuckDBPyConnection) -> dict:
    """Bring the postings up to date with the passages; returns passages added and removed."""
    load_extension(con, "fts")  # stem()
    analysis = _analysis()
    with transaction(con):  # a run killed half-way leaves the index as it was, whole
        con.execute(TABLES)
        if _setting(con, "keyword_analysis") != analysis:
            for table in ("keyword_rows", "keyword_terms", "keyword_postings"):
                con.execute(f"DELETE FROM {table}")
            # what earlier versions kept: DuckDB's fts index, rebuilt whole at each ingest
            con.execute("DROP SCHEMA IF EXISTS fts_main_passages CASCADE")
            con.execute("DROP TABLE IF EXISTS fts_stopwords")
            word_table(con, "keyword_stopwords", "sw", stop_words())
            con.execute("INSERT OR REPLACE INTO settings VALUES ('keyword_analysis', ?)", [analysis])
        removed = _remove(con)
        fresh = not con.execute("SELECT count(*) FROM keyword_postings").fetchone()[0]
        added = _add(con)
        _resort(con, fresh)
        n, total, end = con.execute("SELECT count(*), coalesce(sum(len), 0), coalesce(max(doc) + 1, 0) "
                                    "FROM keyword_rows").fetchone()
        con.execute("INSERT OR REPLACE INTO settings VALUES ('keyword_stats', ?)",
                    [json.dumps({"passages": n, "length": int(total), "end": end})])
    return {"added": added, "removed": removed}


def _current(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"""CREATE OR REPLACE TEMP TABLE kw_current AS
        SELECT p.passage_id, hash({', '.join(f"coalesce(p.{f}, '')" for f in FIELDS)}) AS key, p.doc_id,
               d.doc_date, d.doc_type
        FROM passages p JOIN documents d USING (doc_id)""")


def _remove(con: duckdb.DuckDBPyConnection) -> int:
    """Postings of passages that changed (fields, date or type) or left."""
    _current(con)
    con.execute("""CREATE OR REPLACE TEMP TABLE kw_gone AS SELECT r.doc FROM keyword_rows r WHERE NOT EXISTS (
        SELECT 1 FROM kw_current c WHERE c.passage_id = r.passage_id AND c.key = r.key
          AND c.doc_date IS NOT DISTINCT FROM r.doc_date AND c.doc_type IS NOT DISTINCT FROM r.doc_type)""")
    gone = con.execute("SELECT count(*) FROM kw_gone").fetchone()[0]
    if gone:
        con.execute("""UPDATE keyword_terms t SET df = t.df - g.n FROM (
            SELECT term_id, count(*) AS n FROM keyword_postings WHERE doc IN (SELECT doc FROM kw_gone)
            GROUP BY term_id) g WHERE t.term_id = g.term_id""")
        con.execute("DELETE FROM keyword_postings WHERE doc IN (SELECT doc FROM kw_gone)")
        con.execute("DELETE FROM keyword_rows WHERE doc IN (SELECT doc FROM kw_gone)")
    con.execute("DROP TABLE kw_gone")
    return gone


def _add(con: duckdb.DuckDBPyConnection) -> int:
    con.execute("""CREATE OR REPLACE TEMP TABLE kw_new AS
        SELECT (SELECT coalesce(max(doc) + 1, 0) FROM keyword_rows) + row_number() OVER (ORDER BY c.passage_id) - 1
               AS doc, c.*
        FROM kw_current c WHERE NOT EXISTS (SELECT 1 FROM keyword_rows r WHERE r.passage_id = c.passage_id)""")
    added = con.execute("SELECT count(*) FROM kw_new").fetchone()[0]
    if added:
        words = " UNION ALL ".join(f"SELECT n.doc, unnest({tokens_sql('p.' + f)}) AS w FROM kw_new n "
                                   "JOIN passages p USING (passage_id)" for f in FIELDS)
        con.execute(f"""CREATE OR REPLACE TEMP TABLE kw_words AS
            SELECT doc, stem(w, '{STEMMER}') AS term FROM ({words})
            WHERE w IS NOT NULL AND w <> '' AND w NOT IN (SELECT sw FROM keyword_stopwords)""")
        con.execute("""INSERT INTO keyword_terms
            SELECT term, (SELECT coalesce(max(term_id) + 1, 0) FROM keyword_terms) + row_number() OVER (ORDER BY term)
                   - 1, 0
            FROM (SELECT DISTINCT term FROM kw_words) w
            WHERE NOT EXISTS (SELECT 1 FROM keyword_terms t WHERE t.term = w.term)""")
        con.execute("""CREATE OR REPLACE TEMP TABLE kw_tf AS
            SELECT t.term_id, w.doc, count(*)::INTEGER AS tf FROM kw_words w JOIN keyword_terms t USING (term)
            GROUP BY ALL""")
        con.execute("CREATE OR REPLACE TEMP TABLE kw_len AS SELECT doc, sum(tf)::INTEGER AS len FROM kw_tf GROUP BY doc")
        con.execute("""INSERT INTO keyword_postings
            SELECT f.term_id, f.doc, f.tf, l.len FROM kw_tf f JOIN kw_len l USING (doc) ORDER BY f.term_id, f.doc""")
        con.execute("""UPDATE keyword_terms t SET df = t.df + n.n FROM (
            SELECT term_id, count(*) AS n FROM kw_tf GROUP BY term_id) n WHERE t.term_id = n.term_id""")
        con.execute("""INSERT INTO keyword_rows
            SELECT n.doc, n.passage_id, n.key, n.doc_id, n.doc_date, n.doc_type, coalesce(l.len, 0)
            FROM kw_new n LEFT JOIN kw_len l USING (doc)""")
        for table in ("kw_words", "kw_tf", "kw_len"):
            con.execute(f"DROP TABLE {table}")
    con.execute("DROP TABLE kw_new")
    con.execute("DROP TABLE kw_current")
    return added


def _resort(con: duckdb.DuckDBPyConnection, fresh: bool) -> None:
    """Postings appended after the last sort are read whole by every query: past a tenth, sort again."""
    total = con.execute("SELECT count(*) FROM keyword_postings").fetchone()[0]
    done = total if fresh else min(int(_setting(con, "keyword_sorted") or 0), total)
    if total - done > RESORT * total:
        con.execute("CREATE OR REPLACE TEMP TABLE kw_sorted AS SELECT * FROM keyword_postings ORDER BY term_id, doc")
        con.execute("DELETE FROM keyword_postings")
        con.execute("INSERT INTO keyword_postings SELECT * FROM kw_sorted")
        con.execute("DROP TABLE kw_sorted")
        done = total
    con.execute("INSERT OR REPLACE INTO settings VALUES ('keyword_sorted', ?)", [str(done)])


def search(con: duckdb.DuckDBPyConnection, text: str, k: int, k1: float, b: float,
           date_from: dt.date | None = None, date_to: dt.date | None = None, doc_type: str | None = None,
           doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
    """The k best passages for `text` by BM25 (fts's formula), best first; the filters apply before the cut."""
    load_extension(con, "fts")  # stem()
    counts = stats(con)
    words = con.execute(f"SELECT DISTINCT stem(unnest({tokens_sql('?')}), '{STEMMER}')", [text]).fetchall()
    # one word at a time: an equality is checked against each row group's min and max, the rest skipped
    terms = [row for (w,) in words if w for row in
             con.execute("SELECT term_id, df FROM keyword_terms WHERE term = ? AND df > 0", [w]).fetchall()]
    if not terms or not counts or not counts["passages"]:
        return []
    n, avgdl, end = counts["passages"], counts["length"] / counts["passages"], counts["end"]
    docs, weights = [], []
    for term_id, df in terms:
        # likewise (an IN list would be read as a join over every posting)
        p = con.execute(f"SELECT doc, tf, len FROM keyword_postings WHERE term_id = {int(term_id)}").fetchnumpy()
        tf = p["tf"].astype(np.float64)
        idf = np.log10((n - df + 0.5) / (df + 0.5) + 1)  # DuckDB's log() is base 10, and fts scores with it
        docs.append(p["doc"])
        weights.append(idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * (p["len"] / avgdl)))))
    scores = np.bincount(np.concatenate(docs), np.concatenate(weights), minlength=end)
    where, args = [], []
    for cond, value in (("doc_date >= ?", date_from), ("doc_date <= ?", date_to), ("doc_type = ?", doc_type)):
        if value is not None:
            where.append(cond)
            args.append(value)
    if doc_ids is not None:
        where.append("doc_id IN (SELECT unnest(?::VARCHAR[]))")
        args.append(doc_ids)
    if where:
        allowed = np.zeros(end, dtype=bool)
        allowed[con.execute(f"SELECT doc FROM keyword_rows WHERE {' AND '.join(where)}", args).fetchnumpy()["doc"]] = True
        scores[~allowed] = 0
    # the k best; ties go to the passage indexed first (within one sync, in passage_id order)
    found = np.flatnonzero(scores)
    if len(found) > k:
        found = found[scores[found] >= np.partition(scores[found], len(found) - k)[len(found) - k]]
    best = found[np.argsort(-scores[found], kind="stable")[:k]]
    ids = dict(con.execute(f"SELECT doc, passage_id FROM keyword_rows WHERE doc IN ({','.join(map(str, best))})")
               .fetchall()) if len(best) else {}
    return [(ids[d], float(scores[d])) for d in map(int, best)]
