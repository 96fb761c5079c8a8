"""Search over passages: keyword (BM25, `keyword.py`), semantic (cosine, `vectors.py`), hybrid (weighted RRF).

The query text is always a bound parameter, never part of the SQL text.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from importlib import metadata

import duckdb

from .config import config
from .citations import find_citations, parse_id
from .compounds import candidates, expand, lexicon
from . import keyword
from .dutch import stop_words
from .embed import Embedder
from .model import SEARCH_MODES
from .store import DatabaseError, embedding_model, transaction, word_table
from .vectors import VectorIndex

MODES = SEARCH_MODES


def settings() -> dict:
    return config().search


def update_index(con: duckdb.DuckDBPyConnection) -> None:
    """The keyword index and the query's compound lexicon, after passages changed."""
    store_lexicon(con)
    keyword.sync(con)


def store_lexicon(con: duckdb.DuckDBPyConnection) -> None:
    """The compound lexicon, so that a query splits its words without loading spaCy's lemma data;
    written again only when spacy-lookups-data changes."""
    version = f"spacy-lookups-data {metadata.version('spacy-lookups-data')}"
    if con.execute("SELECT value FROM settings WHERE key = 'lexicon'").fetchone() == (version,):
        return
    with transaction(con):
        word_table(con, "lexicon", "word", lexicon())
        con.execute("INSERT OR REPLACE INTO settings VALUES ('lexicon', ?)", [version])


DOC = "(d.doc_id = ? OR d.source_path LIKE '%/' || ? OR d.source_path = ?)"  # a doc_id or a file name


@dataclass
class Filters:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    doc_type: str | None = None
    doc: str | None = None  # a doc_id or a file name

    def sql(self) -> tuple[str, list]:
        where, args = [], []
        if self.date_from:
            where.append("d.doc_date >= ?")
            args.append(self.date_from)
        if self.date_to:
            where.append("d.doc_date <= ?")
            args.append(self.date_to)
        if self.doc_type:
            where.append("d.doc_type = ?")
            args.append(self.doc_type)
        if self.doc:
            where.append(DOC)
            args += [self.doc, self.doc, self.doc]
        return (" AND ".join(where) or "TRUE"), args

    def doc_ids(self, con: duckdb.DuckDBPyConnection) -> list[str] | None:
        """The papers `doc` names (None: any paper)."""
        if not self.doc:
            return None
        return [d for (d,) in con.execute(f"SELECT doc_id FROM documents d WHERE {DOC}", [self.doc] * 3).fetchall()]


@dataclass
class Hit:
    doc_id: str
    source_path: str
    title: str | None
    doc_date: str | None
    page: int | None
    text: str
    score: float
    heading: str | None
    kind: str
    passage_id: str
    char_start: int
    char_end: int
    snippet: str
    also: list[str] = field(default_factory=list)  # the same passage in other files of the same paper

    def to_json(self) -> dict:
        return asdict(self)


def citation_ids(query: str) -> list[str]:
    """Canonical ids a query names: "31765-884", "Kst. 31 765, nr. 884", "TZ202412-36"."""
    query = re.sub(r"\b(?:tz\d{6}-\d+|\d{4}z\d{5})\b", lambda m: m.group(0).upper(), query, flags=re.I)
    return list(dict.fromkeys(c.citation_id for c in find_citations(query) if parse_id(c.citation_id)))


def _citing(con, ids: list[str], filt: str, args: list, k: int) -> list[tuple[str, float]]:
    """Passages that cite one of `ids`: in their text, or in a footnote whose marker they hold."""
    q = ",".join("?" * len(ids))
    sql = f"""
        SELECT DISTINCT p.passage_id, 1.0::DOUBLE AS score, p.kind = 'footnote' AS in_note, p.seq FROM citations c
        JOIN passages p ON p.doc_id = c.doc_id
        LEFT JOIN footnotes f ON f.doc_id = c.doc_id AND f.number = c.footnote
        JOIN documents d ON d.doc_id = p.doc_id
        WHERE c.citation_id IN ({q}) AND {filt} AND (
            (c.footnote IS NULL AND p.kind = 'body' AND c.char_start >= p.char_start AND c.char_start < p.char_end)
            OR (c.footnote IS NOT NULL AND p.kind = 'body' AND f.anchor >= p.char_start AND f.anchor <= p.char_end)
            OR (c.footnote IS NOT NULL AND p.footnote = c.footnote))
        ORDER BY in_note, p.passage_id LIMIT ?"""
    return [(pid, score) for pid, score, _, _ in con.execute(sql, [*ids, *args, k]).fetchall()]


def _keyword(con, query: str, filters: Filters, k: int) -> list[tuple[str, float]]:
    if keyword.stats(con) is None:
        raise DatabaseError("the keyword index is not built yet (the first ingest was interrupted): "
                            "run kst ingest again to finish it")
    cfg = settings()
    return keyword.search(con, f"{query} {expand(query, _known(con, query))}", k, cfg["bm25_k1"], cfg["bm25_b"],
                          filters.date_from, filters.date_to, filters.doc_type, filters.doc_ids(con))


def _known(con, query: str) -> set[str] | None:
    """The lexicon's words among those the query's compounds may split into (a lookup of some 20 ms);
    None, meaning the whole lexicon, when this process has it loaded (a long-lived one loads it once,
    `compounds.lexicon()`, 0.8 s) or the database has none."""
    if lexicon.cache_info().currsize:
        return None
    words = sorted(candidates(query))
    if not words:
        return set()
    try:
        return {w for (w,) in con.execute("SELECT word FROM lexicon WHERE word IN (SELECT unnest(?::VARCHAR[]))",
                                          [words]).fetchall()}
    except duckdb.CatalogException:  # a database indexed before the lexicon was stored
        return None


def vector_sql(vector: list[float], dim: int) -> str:
    """A query vector as a SQL literal: binding a 384-float list as a parameter costs more than the search.
    Only numbers reach the SQL text (each value goes through float())."""
    return f"[{','.join(repr(float(x)) for x in vector)}]::FLOAT[{int(dim)}]"


def _semantic(con, vector: list[float], dim: int, filt: str, args: list, k: int) -> list[tuple[str, float]]:
    sql = f"""
        SELECT p.passage_id, array_cosine_similarity(p.embedding, {vector_sql(vector, dim)}) AS score
        FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE {filt}
        ORDER BY score DESC, p.passage_id LIMIT ?"""
    return con.execute(sql, [*args, k]).fetchall()


def _fuse(lists: list[tuple[float, list[tuple[str, float]]]], rrf_k: int) -> list[tuple[str, float]]:
    scores: dict[str, float] = {}
    for weight, ranked in lists:
        for rank, (pid, _) in enumerate(ranked, start=1):
            scores[pid] = scores.get(pid, 0.0) + weight / (rrf_k + rank)
    return sorted(scores.items(), key=lambda x: (-x[1], x[0]))


def query_terms(query: str) -> list[str]:
    """The query's words a reader would look for in a hit: no stop words, cut to a stem-like prefix."""
    stops = stop_words()
    return sorted({w[:6] for w in re.findall(r"\w{3,}", query.lower()) if w not in stops}, key=len, reverse=True)


def highlights(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans of the whole words in `text` that start like a query term (Dutch stems drop endings)."""
    terms = query_terms(query)
    return [(m.start(), m.end()) for m in re.finditer(r"\w+", text)
            if any(m.group().lower().startswith(t) for t in terms)]


def _snippet(text: str, query: str, width: int = 240) -> str:
    """About `width` characters of whole words around the first query term, on one line."""
    text = " ".join(text.split())
    spans = highlights(text, query)
    pos = spans[0][0] if spans else 0
    start = max(0, pos - width // 3)
    if start:  # to the start of a word
        start = text.rfind(" ", 0, start) + 1
    end = start + width
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _fold(hits: list[Hit]) -> list[Hit]:
    """The same passage of the same paper stored twice (a letter as .txt and as .pdf) is one hit; the
    other copies are listed in `also`."""
    out: list[Hit] = []
    for h in hits:
        words = set(re.findall(r"\w+", h.text.lower()))
        for kept in out:
            other = set(re.findall(r"\w+", kept.text.lower()))
            if (kept.doc_id != h.doc_id and (kept.title, kept.doc_date) == (h.title, h.doc_date)
                    and len(words & other) >= 0.8 * max(len(words), len(other), 1)):
                kept.also.append(h.source_path)
                break
        else:
            out.append(h)
    return out


def search(con: duckdb.DuckDBPyConnection, query: str, mode: str = "hybrid", limit: int = 10,
           filters: Filters | None = None, embedder: Embedder | None = None,
           index: VectorIndex | None = None) -> list[Hit]:
    """Passages best first. Semantic neighbours come from the vector index beside the database when it is
    up to date (`index`: one opened before, as a long-lived process keeps it), else from a scan of the
    stored vectors."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    if not query.strip():
        return []
    filters = filters or Filters()
    filt, args = filters.sql()
    cfg = settings()
    depth = max(limit, cfg["depth"])
    ranked: list[tuple[str, float]] = []
    exact = _citing(con, ids, filt, args, depth) if (ids := citation_ids(query)) else []
    if mode == "keyword":
        ranked = _keyword(con, query, filters, depth)
    elif mode in ("semantic", "hybrid"):
        info = embedding_model(con)
        if info is None:
            return []
        embedder = embedder or Embedder(info["model"])
        if embedder.name != info["model"]:
            raise ValueError(f"the database was embedded with {info['model']}, not {embedder.name}")
        vector = embedder.encode([query], kind="query")[0]
        index = index or (None if filters.doc else VectorIndex.open(con, cfg["vector_candidates"]))
        sem = (index.query(vector, depth, filters.date_from, filters.date_to, filters.doc_type) if index and not filters.doc
               else _semantic(con, vector, info["dim"], filt, args, depth))
        if mode == "semantic":
            ranked = sem
        else:
            kw = _keyword(con, query, filters, depth)
            ranked = _fuse([(cfg["keyword_weight"], kw), (cfg["semantic_weight"], sem)], cfg["rrf_k"])
    seen = {pid for pid, _ in exact}
    ranked = [(pid, 1.0 + s) for pid, s in exact] + [(pid, s) for pid, s in ranked if pid not in seen]
    return _fold(_hits(con, ranked[:2 * limit], query))[:limit]


HIT_COLUMNS = "passage_id, doc_id, page, text, heading, kind, char_start, char_end"


def _hits(con, ranked: list[tuple[str, float]], query: str) -> list[Hit]:
    if not ranked:
        return []
    ids = [pid for pid, _ in ranked]
    # Two steps: a filter on passage_id alone reads that one column; the rows are then read by their rowid,
    # which DuckDB finds without a scan. Filtered in one step, every passage's text would be decompressed.
    found = [r for (r,) in con.execute(f"SELECT rowid FROM passages WHERE passage_id IN ({','.join('?' * len(ids))})",
                                       ids).fetchall()]
    if not found:
        return []
    rows = con.execute(f"""
        SELECT p.passage_id, p.doc_id, d.source_path, d.title, CAST(d.doc_date AS VARCHAR), p.page, p.text,
               p.heading, p.kind, p.char_start, p.char_end
        FROM ({' UNION ALL '.join(f'SELECT {HIT_COLUMNS} FROM passages WHERE rowid = {int(r)}' for r in found)}) p
        JOIN documents d ON d.doc_id = p.doc_id""").fetchall()
    by_id = {r[0]: r for r in rows}
    out = []
    for pid, score in ranked:
        if pid not in by_id:  # an index a killed run left behind: the next ingest brings it up to date
            continue
        r = by_id[pid]
        out.append(Hit(r[1], r[2], r[3], r[4], r[5], r[6], round(float(score), 6), r[7], r[8], pid, r[9], r[10],
                       _snippet(r[6], query)))
    return out
