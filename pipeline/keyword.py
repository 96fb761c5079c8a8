"""Keyword search at archive scale: BM25 over postings in memory-mapped segment files.

DuckDB's fts index cannot follow inserts (it was rebuilt whole after every ingest) and `match_bm25`
scores every passage for each query; postings kept in DuckDB tables followed inserts, but reading a
common term's postings back cost tens of milliseconds. Here the analysis is still fts's own, in SQL
(its tokenizer expression, its Snowball `stem()`, our stop words, the fields heading, text and
terms; a query's words go through the same Snowball stemmer in PyStemmer), and so is BM25
(`tests/test_keyword.py` checks the scores against `match_bm25`); the postings are written to files
by the search index (`index.py`), a segment per sync or per 200,000 rows of one, under the index's
row numbers.

A segment is four files: its terms (DuckDB's `hash()` of the stem, sorted), where each term's
postings start, and the postings, rows ascending within a term: row (int32) and term frequency
(uint16). A query looks its terms up in each segment (a binary search) and reads their postings as
array slices. Rows whose passage changed or left stay in the segments until the index is written
anew; the index's live flags drop them, and document frequencies are counted over live rows only.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import numpy as np

from .dutch import stop_words
from .store import listed, load_extension

STEMMER = "dutch"
# fts's `tokenize` with our options: lower case, accents stripped, and digits kept (its default pattern drops
# them, and dossier numbers and years must stay searchable)
IGNORE = r"(\.|[^a-z0-9à-ÿ])+"
FIELDS = ("heading", "text", "terms")
PART = {"terms": np.uint64, "starts": np.int64, "rows": np.int32, "tf": np.uint16}


def tokens_sql(expr: str) -> str:
    """The words of a SQL string expression, as fts's `tokenize` splits them (a list, with an empty string
    where the text starts or ends with a separator). The pattern leaves single spaces only, so a plain split
    on ' ' (twice as fast) gives fts's split on whitespace."""
    return f"string_split({spaced_sql(expr)}, ' ')"


def spaced_sql(expr: str) -> str:
    """A SQL string expression's words (`tokens_sql`) in one string, a single space between them."""
    return f"regexp_replace(lower(strip_accents(CAST({expr} AS VARCHAR))), '{IGNORE}', ' ', 'g')"


@cache
def analysis() -> str:
    """What the postings depend on besides the passages: a change writes the index anew."""
    words = "\n".join(sorted(stop_words())).encode()
    return json.dumps({"stemmer": STEMMER, "ignore": IGNORE, "fields": FIELDS,
                       "stopwords": hashlib.sha256(words).hexdigest()[:16], "duckdb": duckdb.__version__})


def postings(con: duckdb.DuckDBPyConnection, rows: str, lo: int, hi: int) -> dict[str, np.ndarray]:
    """The postings of rows lo..hi (`rows`: FROM and WHERE of them, `q.row` with passages `p`) as a part for
    `write()` (`terms`, `counts`, and `rows` and `tf` sorted by term and row), and each row's length in terms
    (`lens`). Each distinct word is stemmed once."""
    load_extension(con, "fts")  # stem()
    # The fields joined by a space (no word spans two of them) are cut at spaces, and each distinct piece is
    # analysed once: lower case, accents and the pattern act per character, so the pieces' words are fts's
    # words, at half the cost of analysing every occurrence (which took a third of the build at 1M rows).
    fields = f"concat_ws(' ', {', '.join('p.' + f for f in FIELDS)})"
    con.execute(f"""CREATE OR REPLACE TEMP TABLE kw_pieces AS SELECT row, piece FROM (
        SELECT q.row, unnest(string_split({fields}, ' ')) AS piece FROM {rows}) WHERE piece <> ''""")
    # stop words leave with the distinct pieces' words, before the join back to every occurrence
    con.execute(f"""CREATE OR REPLACE TEMP TABLE kw_terms AS SELECT piece, hash(stem(w, '{STEMMER}')) AS term FROM (
        SELECT piece, unnest({tokens_sql('piece')}) AS w FROM (SELECT DISTINCT piece FROM kw_pieces))
        WHERE w <> '' AND w NOT IN (SELECT sw FROM keyword_stopwords)""")
    con.execute("""CREATE OR REPLACE TEMP TABLE kw_postings AS
        SELECT t.term, p.row::INTEGER AS row, least(count(*), 65535)::USMALLINT AS tf
        FROM kw_pieces p JOIN kw_terms t USING (piece) GROUP BY ALL""")
    runs = con.execute("SELECT term, count(*) AS n FROM kw_postings GROUP BY term ORDER BY term").fetchnumpy()
    p = con.execute("SELECT row, tf FROM kw_postings ORDER BY term, row").fetchnumpy()  # the terms fetched once each
    for table in ("kw_pieces", "kw_terms", "kw_postings"):
        con.execute(f"DROP TABLE {table}")
    out = {"terms": np.asarray(runs["term"], np.uint64), "counts": np.asarray(runs["n"], np.int64),
           "rows": np.asarray(p["row"], np.int32), "tf": np.asarray(p["tf"], np.uint16)}
    out["lens"] = np.bincount(out["rows"] - lo, weights=out["tf"], minlength=hi - lo).astype(np.uint32)
    return out


@cache
def _stemmer():
    import Stemmer
    return Stemmer.Stemmer("dutch_porter")


def stems(con: duckdb.DuckDBPyConnection, texts: list[str]) -> list[list[str | None]]:
    """Each text's words in order, as the postings know them: split in SQL as the postings' are, stemmed by
    PyStemmer's dutch_porter, the Snowball stemmer fts calls 'dutch' (the same stem for every word of the
    lexicon, `tests/test_keyword.py`; loading fts took 40 ms of a cold query); a stop word, which the
    postings leave out, is None."""
    if not texts:
        return []
    strings, value = listed(texts)
    # one string back, not a list of lists: DuckDB's conversion of nested lists to Python took half the time
    (spaced,) = con.execute(f"SELECT array_to_string(list_transform({strings}, t -> {spaced_sql('t')}), chr(0))",
                            [value]).fetchone()
    stops, stemmer = stop_words(), _stemmer()
    out = []
    for text in spaced.split("\0"):
        words = [w for w in text.split(" ") if w]
        found = iter(stemmer.stemWords([w for w in words if w not in stops]))
        out.append([None if w in stops else next(found) for w in words])
    return out


def hashes(con: duckdb.DuckDBPyConnection, words: list[str]) -> np.ndarray:
    """The postings' terms of stemmed words (DuckDB's `hash()`), in the words' order."""
    if not words:
        return np.zeros(0, np.uint64)
    strings, value = listed(words)
    (out,) = con.execute(f"SELECT list_transform({strings}, w -> hash(w))", [value]).fetchone()
    return np.asarray(out, np.uint64)


def query_terms(con: duckdb.DuckDBPyConnection, text: str) -> np.ndarray:
    """The distinct terms of a query, as the postings know them (`stems`)."""
    return hashes(con, sorted({w for w in stems(con, [text])[0] if w}))


def pairs(words: list[str | None]) -> set[tuple[str, str]]:
    """A text's neighbouring words (`stems`): two that stand together or with one stop word between them
    ("gegevens worden doorgegeven", not "blind voor die vlek")."""
    found = [(i, w) for i, w in enumerate(words) if w]
    return {(a, b) for (i, a), (j, b) in zip(found, found[1:]) if j - i <= 2}


def phrased(ranked: list[tuple[int, float]], wanted: set[tuple[str, str]], texts: list[list[str | None]],
            idf: dict[str, float], weight: float) -> list[tuple[int, float]]:
    """`ranked` (row, BM25) best first again, each row's score raised by `weight` times the smaller idf of
    each pair of the query's neighbouring words (`wanted`, its `pairs`) that are neighbours in its text
    (`texts`, the rows' `stems`). BM25 sees words apart: the passages of one paper share its subject's words,
    and the one that says "blinde vlek" or "lokale organisaties" as the query does is the likelier answer."""
    raised = [(row, score + weight * sum(min(idf[a], idf[b]) for a, b in wanted & pairs(text)))
              for (row, score), text in zip(ranked, texts)]
    return sorted(raised, key=lambda x: (-x[1], x[0]))


def mapped(path: Path, dtype) -> np.ndarray:
    """A file memory-mapped read-only, as a plain array (slicing a np.memmap builds a memmap each time)."""
    return np.asarray(np.memmap(path, dtype=dtype, mode="r")) if path.stat().st_size else np.zeros(0, dtype)


@dataclass
class Segment:
    terms: np.ndarray
    starts: np.ndarray
    rows: np.ndarray
    tf: np.ndarray

    @classmethod
    def open(cls, folder: Path, name: str) -> Segment:
        return cls(*(mapped(folder / f"{name}.{part}", t) for part, t in PART.items()))

    def postings(self, term: np.uint64) -> tuple[np.ndarray, np.ndarray]:
        i = int(np.searchsorted(self.terms, term))
        if i == len(self.terms) or self.terms[i] != term:
            return self.rows[:0], self.tf[:0]
        return self.rows[self.starts[i]:self.starts[i + 1]], self.tf[self.starts[i]:self.starts[i + 1]]


def write(folder: Path, name: str, parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]) -> None:
    """One segment from parts in row order, each (distinct terms, their posting counts, rows, tf) grouped
    by term: each part's postings are copied to their term's place (a counting sort, never a sort of all
    postings), so that rows stay ascending within a term."""
    terms = np.unique(np.concatenate([p[0] for p in parts])) if parts else np.zeros(0, np.uint64)
    counts = np.zeros(len(terms), np.int64)
    places = [np.searchsorted(terms, p[0]) for p in parts]
    for place, part in zip(places, parts):
        counts[place] += part[1]
    starts = np.r_[0, np.cumsum(counts)].astype(np.int64)
    total = int(starts[-1])
    if len(parts) == 1:  # already in order
        out = {"rows": parts[0][2], "tf": parts[0][3]}
    else:
        out = {part: np.memmap(folder / f"{name}.{part}", dtype=PART[part], mode="w+", shape=(total,)) if total
               else np.zeros(0, PART[part]) for part in ("rows", "tf")}
        cursor = starts[:-1].copy()
        for place, (_, n, rows, tf) in zip(places, parts):
            local = np.r_[0, np.cumsum(n)[:-1]]  # where each term's run starts within the part
            dest = np.repeat(cursor[place] - local, n) + np.arange(len(rows))
            out["rows"][dest] = rows
            out["tf"][dest] = tf
            cursor[place] += n
    for part, array in (("terms", terms), ("starts", starts), *out.items()):
        if isinstance(array, np.memmap):
            array.flush()
        else:
            (folder / f"{name}.{part}").write_bytes(np.ascontiguousarray(array, PART[part]).tobytes())


def segment_part(seg: Segment) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A stored segment as a part for `write()` (merging segments)."""
    return seg.terms, np.diff(seg.starts), seg.rows, seg.tf


def remove(folder: Path, name: str) -> None:
    for p in PART:
        (folder / f"{name}.{p}").unlink(missing_ok=True)


def norm(lens: np.ndarray, avgdl: float, k1: float, b: float) -> np.ndarray:
    """Each row's part of BM25's denominator, k1·(1 − b + b·len/avgdl): the same for every query."""
    return (k1 * ((1 - b) + b * (lens / avgdl))).astype(np.float32)


def _postings(segments: list[Segment], term: np.uint64, live: np.ndarray | None) -> list[tuple[np.ndarray, np.ndarray]]:
    """A term's postings in each segment; `live` (None: all rows) drops rows whose passage changed or left."""
    found = [s.postings(term) for s in segments]
    if live is not None:
        kept = [live[rows] > 0 for rows, _ in found]
        found = [(rows[k], tf[k]) for (rows, tf), k in zip(found, kept)]
    return found


def _idf(n: int, df: int, k1: float) -> np.float32:
    """fts's idf, with DuckDB's base-10 log, times k1 + 1: the most one term adds to a row's BM25."""
    return np.float32(np.log10((n - df + 0.5) / (df + 0.5) + 1) * (k1 + 1))


def idfs(segments: list[Segment], terms: np.ndarray, live: np.ndarray | None, n: int, k1: float) -> np.ndarray:
    """Each term's `_idf` over the live rows."""
    return np.array([_idf(n, sum(len(rows) for rows, _ in _postings(segments, t, live)), k1) for t in terms],
                    np.float32)


def score(segments: list[Segment], terms: np.ndarray, live: np.ndarray | None, norms: np.ndarray, n: int,
          k1: float, size: int) -> np.ndarray:
    """BM25 of every row (fts's formula, `_idf`; `norms` from `norm()`), zero where no term occurs, in float32
    (a third of the time of float64). `live` (None: all rows) drops rows whose passage changed or left, from
    the scores and from the document frequencies."""
    scores = np.zeros(size, np.float32)
    for term in terms:
        found = _postings(segments, term, live)
        df = sum(len(rows) for rows, _ in found)
        if not df:
            continue
        idf = _idf(n, df, k1)
        for rows, tf in found:  # a segment at a time: no copy of a common term's postings
            tf = tf.astype(np.float32)
            # a row occurs once in a term's postings, so an indexed add is exact (and faster than np.bincount)
            scores[rows] += idf * tf / (tf + norms[rows])
    return scores
