"""Search over passages: keyword (BM25, `keyword.py`) and semantic (cosine) over the search index beside
the database (`index.py`), and hybrid (the two rankings fused by their normalised scores or their ranks, `_fuse`).

The query text is always a bound parameter, never part of the SQL text.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path

import duckdb
import numpy as np

from .acronyms import expansions, known as known_acronyms
from .config import config
from .citations import find_citations, parse_id
from .compounds import candidates, expand, known, lexicon, lexicon_version, write_lexicon
from . import index, keyword
from .dutch import stop_words
from .embed import Embedder
from .model import SEARCH_MODES
from .index import PASSAGE_FIELDS, RECORD_FIELDS, SearchIndex, best_sentences
from .store import SENTENCE_LISTS, SENTENCE_TYPE, DatabaseError, embedding_model, passage_id

MODES = SEARCH_MODES
SCAN_BATCH = 10_000  # rows a scan without the index scores at a time


def settings() -> dict:
    return config().search


def update_index(con: duckdb.DuckDBPyConnection) -> None:
    """The search index and the query's compound lexicon beside it, after passages changed."""
    index.sync(con)
    store_lexicon(con)


def store_lexicon(con: duckdb.DuckDBPyConnection) -> None:
    """The compound lexicon beside the database, so that a query splits its words without loading spaCy's
    lemma data; written again only when spacy-lookups-data changes."""
    if (folder := index.folder_of(con)) is None or not folder.is_dir():
        return
    version = f"spacy-lookups-data {metadata.version('spacy-lookups-data')}"
    if lexicon_version(folder / "lexicon") != version:
        write_lexicon(folder / "lexicon", version)
    # where earlier versions kept it
    con.execute("DROP TABLE IF EXISTS lexicon")
    con.execute("DELETE FROM settings WHERE key = 'lexicon'")


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
    passages: list[str] = field(default_factory=list)  # those `text` joins: an answer's, of which `passage_id` ranked

    def to_json(self) -> dict:
        return asdict(self)


def citation_ids(query: str) -> list[str]:
    """Canonical ids a query names: "31765-884", "Kst. 31 765, nr. 884", "TZ202412-36"."""
    if not any(c.isdigit() for c in query):  # every id has a number; the patterns need not load (15 ms cold)
        return []
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
            (c.footnote IS NULL AND p.kind <> 'footnote' AND c.char_start >= p.char_start AND c.char_start < p.char_end)
            OR (c.footnote IS NOT NULL AND p.kind <> 'footnote' AND f.anchor >= p.char_start AND f.anchor <= p.char_end)
            OR (c.footnote IS NOT NULL AND p.footnote = c.footnote))
        ORDER BY in_note, p.passage_id LIMIT ?"""
    return [(pid, score) for pid, score, _, _ in con.execute(sql, [*ids, *args, k]).fetchall()]


def _terms(con, query: str, found: SearchIndex | None):
    """The query's keyword terms, its compounds' parts and its acronyms' long forms included (read in SQL,
    before the scoring, which may run on another thread)."""
    if found is None:
        raise DatabaseError("the search index beside the database is missing or behind its passages (an "
                            "ingest did not finish, or the file was copied without NAME.duckdb.index/): "
                            "run kst ingest again to bring it up to date")
    longs = " ".join(long for _, long in expansions(query, known_acronyms()))  # "UWV" finds the name spelled out
    return keyword.query_terms(con, f"{query} {longs} {expand(query, _known(found.folder, query))}")


def _keyword(found: SearchIndex, terms, k: int, allowed) -> list[tuple[int, float]]:
    cfg = settings()
    return found.keyword(terms, k, cfg["bm25_k1"], cfg["bm25_b"], allowed)


def _phrased(con, found: SearchIndex, query: str, ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The keyword list with the query's word pairs counted where a passage says them together
    (`keyword.phrased`, `phrase_weight`), read from the index's records of the rows ranked."""
    cfg = settings()
    wanted = keyword.pairs(keyword.stems(con, [query])[0]) if cfg["phrase_weight"] and ranked else set()
    if not wanted:  # a query of one word: no passage's text to read
        return ranked
    at = PASSAGE_FIELDS.index
    texts = keyword.stems(con, [f"{f[at('heading')] or ''} {f[at('text')]}"
                                for f in (found.fields(row, at("text") + 1) for row, _ in ranked)])
    words = sorted({w for pair in wanted for w in pair})
    idf = dict(zip(words, found.idf(keyword.hashes(con, words), cfg["bm25_k1"]).tolist()))
    return keyword.phrased(ranked, wanted, texts, idf, cfg["phrase_weight"])


@cache
def _worker() -> ThreadPoolExecutor:
    """One thread: hybrid search scores keywords there (numpy lets go of the GIL) while this one embeds the
    query and reads the vector index."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="kst-keyword")


@cache
def _blas():
    """BLAS's thread pool: held to one thread while the keyword thread runs beside it (two cores shared by
    three threads took longer than one thread doing both)."""
    from threadpoolctl import ThreadpoolController
    return ThreadpoolController()


def _known(folder: Path, query: str) -> set[str] | None:
    """The lexicon's words among those the query's compounds may split into (looked up in the file beside
    the database); None, meaning the whole lexicon, when this process has it loaded (a long-lived one
    loads it once, `compounds.lexicon()`, 0.8 s) or the database has no lexicon file."""
    if lexicon.cache_info().currsize:
        return None
    words = candidates(query)
    if not words:
        return set()
    return known(folder / "lexicon", words) if (folder / "lexicon").is_file() else None


def vector_sql(vector: list[float], dim: int) -> str:
    """A query vector as a SQL literal: binding a 384-float list as a parameter costs more than the search.
    Only numbers reach the SQL text (each value goes through float())."""
    return f"[{','.join(repr(float(x)) for x in vector)}]::FLOAT[{int(dim)}]"


def _columns(con) -> set[str]:
    """The passages table's columns: a database opened read-only keeps its schema's until an ingest migrates it."""
    return {c for (c,) in con.execute("SELECT column_name FROM duckdb_columns() WHERE "
                                      "database_name = current_database() AND table_name = 'passages'").fetchall()}


def _semantic(con, vector: list[float], dim: int, filt: str, args: list, k: int) -> list[tuple[str, float]]:
    """A scan of the stored vectors, scoring a passage as the index does: by its vector or its best sentence.
    A database opened read-only before an ingest migrated it keeps them in the form of its schema (3: lists;
    2: none)."""
    columns = _columns(con)
    sentences = ("p.sentence_vectors" if "sentence_vectors" in columns else
                 SENTENCE_LISTS if "sentence_embeddings" in columns else "NULL::BLOB")
    q = np.asarray(vector, dtype=np.float32)
    q /= max(float(np.linalg.norm(q)), 1e-12)
    literal = vector_sql(vector, dim)
    ids, scores = [], []
    end = con.execute("SELECT coalesce(max(rowid) + 1, 0) FROM passages").fetchone()[0]
    for at in range(0, end, SCAN_BATCH):  # a result holds its rows in memory: a whole table's sentences, gigabytes
        rows = con.execute(f"""SELECT p.passage_id, array_cosine_similarity(p.embedding, {literal}), {sentences}
            FROM passages p JOIN documents d ON d.doc_id = p.doc_id
            WHERE p.rowid >= {at} AND p.rowid < {at + SCAN_BATCH} AND {filt}""", args).fetchall()
        blobs = [b or b"" for _, _, b in rows]
        codes = np.frombuffer(b"".join(blobs), dtype=SENTENCE_TYPE).reshape(-1, dim)
        counts = np.array([len(b) for b in blobs], dtype=np.int64) // (SENTENCE_TYPE.itemsize * dim)
        ids += [pid for pid, _, _ in rows]
        scores.append(np.maximum(np.array([s for _, s, _ in rows], np.float32), best_sentences(codes, counts, q)))
    scores = np.concatenate(scores) if scores else np.zeros(0, np.float32)
    top = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
    tied = np.flatnonzero(scores >= scores[top].min()) if len(top) else top  # ties at the cut go by passage_id
    return sorted(((ids[i], float(scores[i])) for i in tied), key=lambda x: (-x[1], x[0]))[:k]


def _shares(ranked: list[tuple[str, float]], fusion: str, rrf_k: int) -> list[tuple[str, float]]:
    """What each passage of one ranking brings to the fusion: its score on the scale from three spreads below
    the ranking's mean (0) to three above (1), as Qdrant's distribution-based score fusion sets it (`spread`);
    its score min-max normalised over the ranking (`scores`); or its reciprocal rank (`ranks`). Min-max
    sets a list's scale by two passages, its first and its last; the spread by all of them."""
    if fusion == "ranks":
        return [(pid, 1.0 / (rrf_k + rank)) for rank, (pid, _) in enumerate(ranked, start=1)]
    if not ranked:
        return []
    scores = np.array([s for _, s in ranked], dtype=np.float64)
    if fusion == "spread":  # scores all alike sit at the mean, the scale's middle (a lone match: half its weight)
        low, high, alike = scores.mean() - 3 * scores.std(), scores.mean() + 3 * scores.std(), 0.5
    else:
        low, high, alike = scores.min(), scores.max(), 1.0
    shares = (scores - low) / (high - low) if high > low else np.full_like(scores, alike)
    return list(zip((pid for pid, _ in ranked), shares.tolist()))


def _fuse(lists: list[tuple[float, list[tuple[str, float]]]], fusion: str, rrf_k: int,
          damped: dict[str, float] | None = None) -> list[tuple[str, float]]:
    """The weighted sum of the rankings' shares (`_shares`); a passage in `damped` (a footnote, a preamble)
    counts that many times."""
    damped = damped or {}
    scores: dict[str, float] = {}
    for weight, ranked in lists:
        for pid, share in _shares(ranked, fusion, rrf_k):
            scores[pid] = scores.get(pid, 0.0) + weight * damped.get(pid, 1.0) * share
    return sorted(scores.items(), key=lambda x: (-x[1], x[0]))


def damping(cfg: dict) -> dict[str, float]:
    """How much a passage of each kind that is no part of the paper's argument counts in hybrid search."""
    return {"footnote": cfg["footnote_weight"], "preamble": cfg["preamble_weight"]}


def query_terms(query: str) -> list[str]:
    """The query's words a reader would look for in a hit: no stop words, cut to a stem-like prefix."""
    stops = stop_words()
    return sorted({w[:6] for w in re.findall(r"\w{3,}", query.lower()) if w not in stops}, key=len, reverse=True)


def _marker(query: str) -> re.Pattern | None:
    """Whole words that start like a query term (Dutch stems drop endings)."""
    terms = query_terms(query)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, terms))})\w*", re.I) if terms else None


def highlights(text: str, query: str) -> list[tuple[int, int]]:
    """Character spans of the whole words in `text` that start like a query term."""
    marker = _marker(query)
    return [m.span() for m in marker.finditer(text)] if marker else []


def _snippet(text: str, query: str, width: int = 240) -> str:
    """About `width` characters of whole words around the first query term, on one line."""
    text = " ".join(text.split())
    first = marker.search(text) if (marker := _marker(query)) else None
    pos = first.start() if first else 0
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
    out: list[tuple[Hit, set[str]]] = []
    for h in hits:
        words = set(re.findall(r"\w+", h.text.lower()))
        for kept, other in out:
            if (kept.doc_id != h.doc_id and (kept.title, kept.doc_date) == (h.title, h.doc_date)
                    and len(words & other) >= 0.8 * max(len(words), len(other), 1)):
                kept.also.append(h.source_path)
                break
        else:
            out.append((h, words))
    return [h for h, _ in out]


def search(con: duckdb.DuckDBPyConnection, query: str, mode: str = "hybrid", limit: int = 10,
           filters: Filters | None = None, embedder: Embedder | None = None,
           index: SearchIndex | None = None) -> list[Hit]:
    """Passages best first, from the search index beside the database (`index`: one opened before, as a
    long-lived process keeps it). Semantic search without an up-to-date index scans the stored vectors,
    slower but never wrong; keyword search says to run the ingest again."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}")
    if not query.strip():
        return []
    filters = filters or Filters()
    cfg = settings()
    depth = max(limit, cfg["depth"])
    found = index or SearchIndex.open(con, cfg["vector_probe"])
    allowed = found.allowed(con, filters.date_from, filters.date_to, filters.doc_type, filters.doc_ids(con)) \
        if found else None
    rows: dict[str, int] = {}  # the index's rows of the passages ranked, whose records the hits read

    def named(found_rows: list[tuple[int, float]]) -> list[tuple[str, float]]:
        out = []
        for row, score in found_rows:
            pid = found.passage_id(row)
            rows[pid] = row
            out.append((pid, score))
        return out

    filt, args = filters.sql()
    ranked: list[tuple[str, float]] = []
    exact = _citing(con, ids, filt, args, depth) if (ids := citation_ids(query)) else []
    if mode == "keyword":
        ranked = named(_phrased(con, found, query, _keyword(found, _terms(con, query, found), depth, allowed)))
    else:
        scoring = _worker().submit(_keyword, found, _terms(con, query, found), depth, allowed) \
            if mode == "hybrid" else None
        info = {"model": found.meta.model, "dim": found.meta.dim} if found else embedding_model(con)
        if info is None:
            return []
        embedder = embedder or Embedder(info["model"])
        if embedder.name != info["model"]:
            raise ValueError(f"the database was embedded with {info['model']}, not {embedder.name}")
        with _blas().limit(limits=1, user_api="blas") if scoring else contextlib.nullcontext():
            vector = embedder.encode([query], kind="query")[0]
            sem = named(found.nearest(vector, depth, allowed)) if found else _semantic(con, vector, info["dim"],
                                                                                         filt, args, depth)
        if scoring is None:
            ranked = sem
        else:
            lists = [(cfg["keyword_weight"], named(_phrased(con, found, query, scoring.result()))),
                     (cfg["semantic_weight"], sem)]
            weights = damping(cfg)
            damped = {pid: weights[kind] for pid, row in rows.items() if (kind := found.kind(row)) in weights}
            ranked = _fuse(lists, cfg["fusion"], cfg["rrf_k"], damped)
    seen = {pid for pid, _ in exact}
    ranked = [(pid, 1.0 + s) for pid, s in exact] + [(pid, s) for pid, s in ranked if pid not in seen]
    # twice the hits asked for, as copies of one passage in two files fold into one; an answer's passages fold too
    return _fold(_hits(con, ranked[:3 * limit], query, 2 * limit, found, rows))[:limit]


def _stored(con, ids: list[str]) -> dict[str, dict]:
    """Passages read from the database (hits the index did not return: citations, a scan), with the fields
    of the index's records."""
    if not ids:
        return {}
    # Two steps: a filter on passage_id alone reads that one column; the rows are then read by their rowid,
    # which DuckDB finds without a scan. Filtered in one step, every passage's text would be decompressed.
    found = [r for (r,) in con.execute(f"SELECT rowid FROM passages WHERE passage_id IN ({','.join('?' * len(ids))})",
                                       ids).fetchall()]
    if not found:
        return {}
    answer = "answer_seqs" if "answer_seqs" in _columns(con) else "NULL::INTEGER[] AS answer_seqs"  # schema 4, read-only
    columns = ", ".join([*PASSAGE_FIELDS, answer])
    rows = con.execute(f"""
        SELECT p.* EXCLUDE (answer_seqs), d.source_path, d.title, CAST(d.doc_date AS VARCHAR), p.answer_seqs
        FROM ({' UNION ALL '.join(f'SELECT {columns} FROM passages WHERE rowid = {int(r)}' for r in found)}) p
        JOIN documents d ON d.doc_id = p.doc_id""").fetchall()
    return {r[0]: dict(zip(RECORD_FIELDS, r)) for r in rows}


def _parts(pid: str, record: dict) -> list[str]:
    """The passages a hit on `pid` shows, in order: an answer cut at the encoder's limit or by a heading inside
    it whole (its passages are consecutive), else the passage."""
    return [passage_id(record["doc_id"], seq) for seq in record.get("answer_seqs") or ()] or [pid]


def _joined(parts: list[dict]) -> str:
    """An answer's passages as one text, with the headings inside it (a table's caption) where they start."""
    out = [parts[0]["text"]]
    for before, part in zip(parts, parts[1:]):
        head = part["heading"] or ""
        head = head.removeprefix(f"{before['heading']} > ") if before["heading"] else head
        out.append(f"{head}\n\n{part['text']}" if head and head != before["heading"] else part["text"])
    return "\n\n".join(out)


def _hits(con, ranked: list[tuple[str, float]], query: str, enough: int, found: SearchIndex | None = None,
          rows: dict[str, int] | None = None) -> list[Hit]:
    """Up to `enough` hits, one per answer: a question and its answer are one passage unless the answer is too
    long for the encoder or a heading inside it starts another, and then a reader still wants the answer whole,
    not two hits of its halves. `rows`: the index's rows of the passages ranked; the others are read from the
    database."""
    rows = rows or {}
    records = _stored(con, [pid for pid, _ in ranked if pid not in rows])
    shown: dict[str, tuple[str, float]] = {}  # by an answer's first passage: the passage of it ranked first
    for pid, score in ranked:
        if len(shown) == enough:
            break
        if pid in rows:
            records[pid] = found.record(rows[pid])
        if (r := records.get(pid)) is not None:  # None: an index a killed run left behind, the next ingest mends it
            shown.setdefault(_parts(pid, r)[0], (pid, score))
    wanted = []  # parts whose records were not read: from the index rows beside the one ranked, else the database
    for pid, _ in shown.values():
        parts = _parts(pid, records[pid])
        for part in parts:
            if part in records:
                continue
            near = found.near(rows[pid], parts.index(part) - parts.index(pid), part) if pid in rows else None
            if near:
                records[part] = near
            else:
                wanted.append(part)
    records.update(_stored(con, wanted))
    out = []
    for pid, score in shown.values():
        r = records[pid]
        whole = [records[part] for part in _parts(pid, r) if part in records]
        out.append(Hit(r["doc_id"], r["source_path"], r["title"], r["doc_date"], whole[0]["page"],
                       _joined(whole), round(float(score), 6), whole[0]["heading"], r["kind"],
                       pid, whole[0]["char_start"], whole[-1]["char_end"], _snippet(r["text"], query),
                       passages=[w["passage_id"] for w in whole]))
    return out
