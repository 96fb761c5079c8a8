"""The search index beside the database (`NAME.duckdb.index/`): one row per passage, memory-mapped,
for semantic and keyword search and for the hits they return.

Per row: the list it falls in (`lists`: its nearest of a set of centroids, an inverted file), its
vector in int8 (`codes`, scaled per dimension) and in float16 (`vectors`), the vectors of its sentences
in int16 as stored (`sentences`, ending at `sent_ends`), its document's date and
type (so that filters apply inside the scan), its length in terms (BM25), its record (the fields a
hit shows, JSON, in `records`, ending at `ends`) and a live flag. The keyword postings are segment
files under the same row numbers (`keyword.py`).

A semantic query ranks the centroids, takes the nearest lists until they hold as many rows the filters
let through as `vector_probe` lists hold on average, ranks those on their int8 codes, and scores the
best of them again: the better of their float16 vector and their best sentence. The centroids (spherical k-means over a sample of the vectors) and the int8
scales are trained when the files are written anew (`centroids.npz`). Numpy converts int8 to float32
some forty times faster than float16. A hit is read from its record: DuckDB spends milliseconds on
each row it fetches from a compressed column, a slice of a file costs microseconds.

Derived state: `passages` stays the record, and `index_rows` in the database maps rows to passages.
`sync` brings the files up to date after an ingest, touching only what changed: rows are appended for
new passages, with one postings segment (files first, then the rows that point into them, so that a
crash leaves at most unreferenced rows and segments, cut off by the next sync), and marked dead for
passages that changed or left. A large sync writes a segment per POSTINGS_BATCH rows; the smaller
segments of nightly syncs are merged into one past MAX_SEGMENTS of them. When half
the rows are dead, the rows have grown fourfold since the centroids were trained, or the keyword
analysis changed, the files are written anew, under a new generation recorded in both the files and
the database, so that files never serve a database they were not written for.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import duckdb
import numpy as np

from . import keyword
from .dutch import stop_words
from .store import SENTENCE_SCALE, SENTENCE_TYPE, embedding_model, listed, transaction, word_table

FORMAT = 3  # 1: vectors only, in NAME.duckdb.vectors/ with the keyword postings in DuckDB tables; 2: no sentences
NO_DATE = np.iinfo(np.int32).min
EPOCH = dt.date(1970, 1, 1)
# one fixed-size value per row ("live" last: a row counts once its flag is written); `records` is their bytes
FILES = {"lists": np.uint16, "codes": np.int8, "vectors": np.float16, "dates": np.int32, "types": np.uint8,
         "lens": np.uint32, "ends": np.uint64, "sent_ends": np.uint64, "live": np.uint8}
WIDE = ("codes", "vectors")  # dim values per row
BATCH = 50_000
POSTINGS_BATCH = 200_000
MAX_LISTS = 4096
MAX_SEGMENTS = 8
SAMPLE = 32  # vectors per centroid the k-means is trained on
GROWTH = 4  # train again once the rows have grown this many times since the last training
TOP_GROUPS = 3  # a new row's list is sought among the centroids of this many nearest groups of them
CHUNK = 1024  # rows scored on their codes at a time
SENTENCE_BATCH = 5_000  # rows whose sentence vectors are read from the database at a time
QUEUED = 4  # writes waiting for the disk at most
RESCORE = 200  # rows ranked on their codes that are scored again on their float16 vectors (at least 4 k)
ROWS = """CREATE TABLE IF NOT EXISTS index_rows (row BIGINT PRIMARY KEY, passage_id VARCHAR, doc_id VARCHAR,
    key UBIGINT, doc_date DATE, doc_type VARCHAR)"""
# what a row depends on: a passage whose key, date or type changed gets a new row (text_hash stands for the
# text, title and heading: hashing the text itself at each sync read every passage's text, 30 s at 3M). The
# pipeline's version stands for how its sentences were read (or whether they were): a new version may embed
# them anew under the same text, and hashing the sentence vectors would read gigabytes at each sync.
KEY = ("hash(p.text_hash, p.heading, p.terms, p.page, p.kind, p.char_start, p.char_end, d.source_path, d.title, "
       "d.pipeline_version)")
PASSAGE_FIELDS = ("passage_id", "doc_id", "page", "heading", "kind", "char_start", "char_end", "text")
# a hit's fields; answer_seqs last, so that the records of an index written before it was kept read as none
RECORD_FIELDS = (*PASSAGE_FIELDS, "source_path", "title", "doc_date", "answer_seqs")
RECORD = (f"json_array({', '.join(f'p.{f}' for f in PASSAGE_FIELDS)}, d.source_path, d.title, "
          "CAST(d.doc_date AS VARCHAR), p.answer_seqs)::VARCHAR")
EARLIER = ("vector_rows", "keyword_rows", "keyword_terms", "keyword_postings")  # tables of format 1


PATH = "SELECT path FROM duckdb_databases() WHERE database_name = current_database()"


def _folder(path: str | None) -> Path | None:
    return Path(f"{path}.index") if path else None


def folder_of(con: duckdb.DuckDBPyConnection) -> Path | None:
    """`NAME.duckdb.index/` beside the database file (None for an in-memory database)."""
    return _folder(con.execute(PATH).fetchone()[0])


def _generation(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT value FROM settings WHERE key = 'index_generation'").fetchone()
    return row[0] if row else None


@dataclass
class Meta:
    model: str
    dim: int
    types: list[str]
    generation: str  # also in settings.index_generation: files and rows written together, or not used
    trained_on: int  # rows when the centroids were trained
    analysis: str  # keyword.analysis() the postings were written with
    # {"name", "rows", "end"}: postings of `rows` rows, the last before `end`
    segments: list[dict] = field(default_factory=list)
    format: int = FORMAT

    @classmethod
    def read(cls, folder: Path) -> Meta | None:
        try:
            return cls(**json.loads((folder / "meta.json").read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def write(self, folder: Path) -> None:
        tmp = folder / "meta.json.tmp"
        tmp.write_text(json.dumps(self.__dict__), encoding="utf-8")
        tmp.replace(folder / "meta.json")


def _usable(meta: Meta | None, info: dict | None, generation: str | None) -> bool:
    """The files were written for this model, analysis and these rows (`generation`: not, say, beside a
    database restored from a backup older than their last rewrite)."""
    return (meta is not None and info is not None and meta.format == FORMAT and meta.generation == generation
            and (meta.model, meta.dim) == (info["model"], info["dim"]) and meta.analysis == keyword.analysis())


def _lists(rows: int) -> int:
    return max(1, min(MAX_LISTS, int(np.sqrt(rows))))


def _train(sample: np.ndarray, k: int, rounds: int = 10) -> dict[str, np.ndarray]:
    """k centroids for cosine similarity, by spherical k-means (unit-length centroids, assignment by dot
    product; scikit-learn's KMeans is Euclidean, and took ten times as long on a million passages here),
    and per dimension the scale that maps the sample's largest value to 127."""
    rng = np.random.default_rng(7)
    k = min(k, len(sample))
    centroids = sample[rng.choice(len(sample), k, replace=False)]
    for _ in range(rounds):
        nearest = np.argmax(sample @ centroids.T, axis=1)
        # each list's sum over the sample in list order (np.add.at took half the training)
        order = np.argsort(nearest, kind="stable")
        held = np.bincount(nearest, minlength=k)
        empty = held == 0
        sums = np.zeros_like(centroids)
        sums[~empty] = np.add.reduceat(sample[order], np.r_[0, np.cumsum(held)[:-1]][~empty])
        sums[empty] = sample[rng.choice(len(sample), int(empty.sum()))]  # an empty list starts again elsewhere
        centroids = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    return {"centroids": centroids.astype(np.float32),
            "scale": (127 / np.maximum(np.abs(sample).max(axis=0), 1e-6)).astype(np.float32)}


def _untrained(dim: int) -> dict[str, np.ndarray]:
    return {"centroids": np.zeros((0, dim), dtype=np.float32), "scale": np.ones(dim, dtype=np.float32)}


def _sample(con: duckdb.DuckDBPyConnection, dim: int, rows: int, total: int) -> np.ndarray:
    """About `rows` stored vectors to train the centroids on, spread over the table by a hash of their
    row id (the same rows each time; DuckDB reads only those rows' vectors, where a reservoir sample read
    them all, 6 s at 1M)."""
    flat = con.execute(f"""SELECT unnest(embedding) AS x FROM (
        SELECT embedding FROM passages WHERE hash(rowid) % {max(1, total // max(rows, 1))} = 0
        LIMIT {int(rows)})""").fetchnumpy()["x"]
    return np.asarray(flat, dtype=np.float32).reshape(-1, dim)


def _groups(centroids: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """The centroids in about √k groups (spherical k-means over the centroids themselves): the centres of the
    groups and each group's centroids."""
    if len(centroids) <= 4 * TOP_GROUPS:
        return np.zeros((0, centroids.shape[1]), np.float32), []
    centres = _train(centroids, int(np.sqrt(len(centroids))))["centroids"]
    of = np.argmax(centroids @ centres.T, axis=1)
    return centres, [np.flatnonzero(of == g) for g in range(len(centres))]


def _nearest_list(vectors: np.ndarray, centroids: np.ndarray, groups) -> np.ndarray:
    """Each vector's nearest centroid, sought among the centroids of its TOP_GROUPS nearest groups: comparing
    every vector with every centroid costs N·√N products (15 s of a 1M build); this costs a fifth of that at
    1M, and 98.8 % of the rows there got the list an exhaustive search gives (the others one a hair
    further)."""
    centres, members = groups
    if not len(centres):
        return np.argmax(vectors @ centroids.T, axis=1)
    top = np.argpartition(-(vectors @ centres.T), TOP_GROUPS - 1, axis=1)[:, :TOP_GROUPS]
    best = np.full(len(vectors), -np.inf, np.float32)
    lists = np.zeros(len(vectors), np.int64)
    for g, held in enumerate(members):
        rows = np.flatnonzero((top == g).any(axis=1))
        if not len(rows) or not len(held):
            continue
        scores = vectors[rows] @ centroids[held].T
        i = scores.argmax(axis=1)
        found = scores[np.arange(len(rows)), i]
        better = found > best[rows]
        best[rows[better]] = found[better]
        lists[rows[better]] = held[i[better]]
    return lists


def _codes(vectors: np.ndarray, scale: np.ndarray) -> np.ndarray:
    scaled = vectors * scale
    np.rint(scaled, out=scaled)  # in place: half the time of a new array per step
    return np.clip(scaled, -127, 127, out=scaled).astype(np.int8)


def _encode(vectors: np.ndarray, trained, groups) -> dict[str, np.ndarray]:
    return {"lists": _nearest_list(vectors, trained["centroids"], groups).astype(np.uint16),
            "codes": _codes(vectors, trained["scale"]),
            "vectors": vectors.astype(np.float16)}


_opened: dict[Path, tuple] = {}
_DECODER = json.JSONDecoder()


class SearchIndex:
    """The files opened read-only, memory-mapped: opening reads the metadata and counts the live rows."""

    def __init__(self, folder: Path, meta: Meta, probe: int):
        self.folder, self.meta, self.probe = folder, meta, probe
        self.rows = (folder / "live").stat().st_size
        arrays = {name: keyword.mapped(folder / name, t) for name, t in FILES.items()}
        for name in FILES:
            wide = meta.dim if name in WIDE else 1
            array = arrays[name][: self.rows * wide]
            setattr(self, name, array.reshape(self.rows, meta.dim) if wide > 1 else array)
        size = int(self.ends[-1]) if self.rows else 0
        self.records = keyword.mapped(folder / "records", np.uint8)[:size]
        size = int(self.sent_ends[-1]) if self.rows else 0
        self.sentences = keyword.mapped(folder / "sentences", SENTENCE_TYPE)[:size * meta.dim].reshape(size, meta.dim)
        with np.load(folder / "centroids.npz") as trained:
            self.centroids, self.scale = trained["centroids"], trained["scale"]
        self.segments = [keyword.Segment.open(folder, s["name"]) for s in meta.segments]
        alive = self.live.astype(bool)
        self.n = int(alive.sum())
        self.alive = None if self.n == self.rows else alive  # None: no row is dead
        lens = self.lens if self.alive is None else self.lens[alive]
        self.avgdl = float(lens.sum(dtype=np.float64)) / self.n if self.n else 0.0
        self.norms: dict[tuple[float, float], np.ndarray] = {}  # keyword.norm() per (k1, b), at first use

    @classmethod
    def open(cls, con: duckdb.DuckDBPyConnection, probe: int = 40) -> SearchIndex | None:
        """The index of this database, or None when it has none or it is behind the passages (an ingest
        that did not finish)."""
        try:  # one round trip: this runs before every search
            path, info, generation, indexed, stored = con.execute(f"""SELECT ({PATH}),
                (SELECT value FROM settings WHERE key = 'embedding_model'),
                (SELECT value FROM settings WHERE key = 'index_generation'),
                (SELECT count(*) FROM index_rows), (SELECT count(*) FROM passages)""").fetchone()
        except duckdb.CatalogException:
            return None
        folder = _folder(path)
        meta = Meta.read(folder) if folder and info else None
        if not _usable(meta, json.loads(info) if info else None, generation):
            return None
        if indexed != stored:
            return None
        try:  # a long-lived process keeps the index it opened while the files stay as they were
            stamp = (folder, probe, meta.generation, *((f.stat().st_mtime_ns, f.stat().st_size)
                                                             for f in (folder / "meta.json", folder / "live")))
            if _opened.get(folder, (None,))[0] != stamp:
                _opened[folder] = (stamp, cls(folder, meta, probe))
        except (OSError, ValueError):  # files deleted or cut short by hand: the next ingest writes them anew
            return None
        return _opened[folder][1]

    def _record(self, row: int) -> str:
        return bytes(self.records[int(self.ends[row - 1]) if row else 0:int(self.ends[row])]).decode()

    def record(self, row: int) -> dict:
        """The fields a hit shows of the passage in `row`."""
        return dict(zip(RECORD_FIELDS, json.loads(self._record(row))))

    def fields(self, row: int, n: int) -> list:
        """The first `n` fields of the record in `row` (PASSAGE_FIELDS), decoded without the rest: the text."""
        record, pos, out = self._record(row), 1, []
        for _ in range(n):
            value, pos = _DECODER.raw_decode(record, pos)
            out.append(value)
            pos += 1  # the comma
        return out

    def passage_id(self, row: int) -> str:
        return self.fields(row, 1)[0]

    def kind(self, row: int) -> str:
        return self.fields(row, PASSAGE_FIELDS.index("kind") + 1)[-1]

    def near(self, row: int, offset: int, passage_id: str) -> dict | None:
        """The record of `passage_id` when it is the live row `offset` rows from `row`: a document's passages
        are rows in their order, unless one of them changed since (None: read it from the database)."""
        at = row + offset
        if 0 <= at < self.rows and self.live[at] and self.passage_id(at) == passage_id:
            return self.record(at)
        return None

    def allowed(self, con: duckdb.DuckDBPyConnection, date_from: dt.date | None = None,
                date_to: dt.date | None = None, doc_type: str | None = None,
                doc_ids: list[str] | None = None) -> np.ndarray | None:
        """The live rows the filters let through (None: every row)."""
        if not (date_from or date_to or doc_type or doc_ids is not None):
            return self.alive
        allowed = self.live.astype(bool)
        if date_from:
            allowed &= (self.dates >= (date_from - EPOCH).days) & (self.dates != NO_DATE)
        if date_to:
            allowed &= (self.dates <= (date_to - EPOCH).days) & (self.dates != NO_DATE)
        if doc_type:
            allowed &= self.types == (self.meta.types.index(doc_type) if doc_type in self.meta.types else -1)
        if doc_ids is not None:
            only = np.zeros(self.rows, dtype=bool)
            ids, value = listed(doc_ids)
            only[con.execute(f"SELECT row FROM index_rows WHERE doc_id IN (SELECT unnest({ids}))",
                             [value]).fetchnumpy()["row"].astype(np.int64)] = True
            allowed &= only
        return allowed

    @staticmethod
    def _best(scores: np.ndarray, rows: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k best rows, best first; ties go to the lower row."""
        if len(scores) > k:
            cut = np.argpartition(-scores, k - 1)[:k]
            keep = scores >= scores[cut].min()
            scores, rows = scores[keep], rows[keep]
        order = np.lexsort((rows, -scores))[:k]
        return [(int(r), float(s)) for r, s in zip(rows[order], scores[order])]

    def keyword(self, terms: np.ndarray, k: int, k1: float, b: float,
                allowed: np.ndarray | None) -> list[tuple[int, float]]:
        """The k best rows for `terms` (`keyword.query_terms()`) by BM25 among those `allowed` (see `allowed()`)."""
        if not self.n:
            return []
        if (k1, b) not in self.norms:
            self.norms[(k1, b)] = keyword.norm(self.lens, self.avgdl, k1, b)
        scores = keyword.score(self.segments, terms, self.alive, self.norms[(k1, b)], self.n, k1, self.rows)
        if allowed is not None:
            scores[~allowed] = 0
        # a threshold from every 64th score: the rows above it hold the k best (ties included), checked, else
        # all scored rows; selecting among a million scores directly is slow when many are equal
        sample = scores[::64]
        rank = min(len(sample), k // 64 + 3)
        floor = np.partition(sample, len(sample) - rank)[len(sample) - rank] if rank else 0.0
        found = np.flatnonzero(scores >= max(floor, np.nextafter(0, 1)))
        if len(found) < k and floor > 0:
            found = np.flatnonzero(scores > 0)
        return self._best(scores[found], found, k)

    def idf(self, terms: np.ndarray, k1: float) -> np.ndarray:
        """Each term's BM25 idf over the live rows (`keyword.idfs`)."""
        return keyword.idfs(self.segments, terms, self.alive, self.n, k1)

    @cached_property
    def by_list(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows in order of their list, where each list starts, and each list's live rows."""
        order = np.argsort(self.lists, kind="stable")
        bounds = np.searchsorted(self.lists[order], np.arange(len(self.centroids) + 1))
        held = np.bincount(self.lists if self.alive is None else self.lists[self.alive], minlength=len(self.centroids))
        return order, bounds, held

    def _rough(self, rows: np.ndarray, scaled: np.ndarray) -> np.ndarray:
        """The rows' int8 codes times the scaled query, CHUNK rows at a time: converting them all to float32 at
        once wrote tens of megabytes to fresh pages per query, three times as slow."""
        out = np.empty(len(rows), np.float32)
        codes = np.empty((CHUNK, self.meta.dim), np.int8)
        floats = np.empty((CHUNK, self.meta.dim), np.float32)
        for start in range(0, len(rows), CHUNK):
            part = rows[start:start + CHUNK]
            np.take(self.codes, part, axis=0, out=codes[:len(part)])
            floats[:len(part)] = codes[:len(part)]
            np.matmul(floats[:len(part)], scaled, out=out[start:start + len(part)])
        return out

    def nearest(self, vector: list[float], k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        """The k rows nearest to `vector` (cosine) among those `allowed` (see `allowed()`)."""
        if not self.rows or not len(self.centroids):
            return []
        q = np.asarray(vector, dtype=np.float32)
        order, bounds, held = self.by_list
        if allowed is not self.alive:
            held = np.bincount(self.lists[allowed], minlength=len(self.centroids))
        # the nearest lists, until they hold as many rows the filters let through as `probe` lists hold on
        # average (a share of the rows, so that recall holds as the collection grows)
        nearest = np.argsort(-(self.centroids @ q))
        want = max(self.probe * self.n // len(self.centroids), 4 * k)
        enough = int(np.searchsorted(np.cumsum(held[nearest]), want)) + 1
        near = np.concatenate([order[bounds[c]:bounds[c + 1]] for c in nearest[:enough]])
        if allowed is not None:
            near = near[allowed[near]]
        if not len(near):
            return []
        near = np.sort(near)  # rows ascending: the reads run forward through the file
        rough = self._rough(near, q / self.scale)
        keep = min(len(near), max(RESCORE, 4 * k))
        near = np.sort(near[np.argpartition(-rough, keep - 1)[:keep]] if keep < len(near) else near)
        return self._best(np.maximum(self.vectors[near].astype(np.float32) @ q, self._best_sentence(near, q)), near, k)

    def _best_sentence(self, rows: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Each row's best sentence score (-1 for a row without sentence vectors)."""
        ends = self.sent_ends[rows].astype(np.int64)
        starts = np.where(rows > 0, self.sent_ends[np.maximum(rows - 1, 0)].astype(np.int64), 0)
        counts = ends - starts
        # the sentence numbers of every row, one after another: each row's run starts at its first sentence
        first = np.repeat(starts - np.r_[0, np.cumsum(counts)[:-1]], counts)
        return best_sentences(self.sentences[first + np.arange(len(first))], counts, q)


def best_sentences(codes: np.ndarray, counts: np.ndarray, q: np.ndarray) -> np.ndarray:
    """Per row, the best score of its sentences against the unit vector `q`, given the rows' int16 sentence
    vectors one after another and how many each row has (-1 for a row without)."""
    out = np.full(len(counts), -1.0, np.float32)
    having = counts > 0
    if len(codes):
        scores = codes.astype(np.float32) @ (np.asarray(q, np.float32) / SENTENCE_SCALE)
        out[having] = np.maximum.reduceat(scores, np.r_[0, np.cumsum(counts[having])[:-1]])
    return out


class _Appender:
    """Appends to the files on a thread of its own, in order, while DuckDB and numpy go on with the next rows
    (at a million passages the disk took a minute to write the index's 7.7 GB). The files count once `close()`
    has synced them: only then does sync() record their rows in the database, and the next sync cuts off what
    a killed one appended beyond those."""

    def __init__(self, folder: Path):
        self.folder, self.files, self.queued = folder, {}, deque()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kst-index-writer")

    def write(self, name: str, data: bytes) -> None:
        self.queued.append(self.pool.submit(self._write, name, data))
        while len(self.queued) > QUEUED:  # bounded: each holds a batch's bytes
            self.queued.popleft().result()

    def _write(self, name: str, data: bytes) -> None:
        if name not in self.files:
            self.files[name] = open(self.folder / name, "ab")
        self.files[name].write(data)

    def close(self) -> None:
        try:
            while self.queued:
                self.queued.popleft().result()
            for f in self.files.values():
                f.flush()
                os.fsync(f.fileno())
        finally:
            for f in self.files.values():
                f.close()
            self.pool.shutdown()


PENDING = "pending q JOIN passages p ON p.rowid = q.rid"


def _rows(con: duckdb.DuckDBPyConnection, start: int, stop: int) -> str:
    """The condition on `PENDING` for rows start to stop. The rows are numbered in the table's order and the
    range of their passages' rowids is spelled out, so that DuckDB reads just those row groups: joined on
    passage_id alone, it read every passage's vectors for every batch, as passage ids (their doc_id is a hash)
    are not in the table's order."""
    lo, hi = con.execute("SELECT min(rid), max(rid) FROM pending WHERE row >= ? AND row < ?", [start, stop]).fetchone()
    return f"q.row >= {int(start)} AND q.row < {int(stop)} AND p.rowid BETWEEN {int(lo)} AND {int(hi)}"


def _append_sentences(con: duckdb.DuckDBPyConnection, out: _Appender, start: int, stop: int) -> None:
    """The sentence vectors of rows start to stop, SENTENCE_BATCH rows at a time (their bytes as stored)."""
    for at in range(start, stop, SENTENCE_BATCH):
        blobs = con.execute(f"""SELECT p.sentence_vectors FROM {PENDING} WHERE {_rows(con, at, min(at + SENTENCE_BATCH, stop))}
            AND p.sentence_vectors IS NOT NULL ORDER BY q.row""").fetchall()
        out.write("sentences", b"".join(b for (b,) in blobs))


def _append(out: _Appender, arrays: dict[str, np.ndarray], records: bytes) -> None:
    out.write("records", records)
    for name in FILES:
        out.write(name, np.ascontiguousarray(arrays[name], dtype=FILES[name]).tobytes())


def _truncate(folder: Path, meta: Meta, rows: int) -> None:
    """Cut the files to the rows `index_rows` knows: what a killed sync appended after them goes, and so do
    segments it wrote and files no segment lists."""
    for name, t in FILES.items():
        with open(folder / name, "ab") as f:
            f.truncate(rows * np.dtype(t).itemsize * (meta.dim if name in WIDE else 1))
    for name, within, size in (("ends", "records", 1), ("sent_ends", "sentences", SENTENCE_TYPE.itemsize * meta.dim)):
        ends = np.memmap(folder / name, dtype=np.uint64, mode="r") if rows else [0]
        with open(folder / within, "ab") as f:
            f.truncate(int(ends[-1]) * size)
        del ends
    for s in [s for s in meta.segments if s["end"] > rows]:
        meta.segments.remove(s)
    meta.write(folder)
    listed = {s["name"] for s in meta.segments}
    for path in folder.iterdir():
        if path.suffix.lstrip(".") in keyword.PART and path.stem not in listed:
            path.unlink()


def _kill(con: duckdb.DuckDBPyConnection, folder: Path) -> int:
    """Rows whose passage changed (key, date or type) or left: flagged dead in the file, then forgotten."""
    con.execute(f"""CREATE OR REPLACE TEMP TABLE dead AS SELECT v.row FROM index_rows v WHERE NOT EXISTS (
        SELECT 1 FROM passages p JOIN documents d USING (doc_id) WHERE p.passage_id = v.passage_id
          AND {KEY} = v.key AND d.doc_date IS NOT DISTINCT FROM v.doc_date
          AND d.doc_type IS NOT DISTINCT FROM v.doc_type)""")
    dead = con.execute("SELECT row FROM dead").fetchnumpy()["row"]
    if len(dead):
        live = np.memmap(folder / "live", dtype=np.uint8, mode="r+")
        live[np.asarray(dead, dtype=np.int64)] = 0
        live.flush()
        del live
        con.execute("DELETE FROM index_rows WHERE row IN (SELECT row FROM dead)")
    con.execute("DROP TABLE dead")
    return len(dead)


def _merge(folder: Path, meta: Meta) -> None:
    """The small segments (of fewer than POSTINGS_BATCH rows) merged into one, once there are more than
    MAX_SEGMENTS of them: a query looks each term up in every segment."""
    small = [s for s in meta.segments if s["rows"] < POSTINGS_BATCH]
    if len(small) <= MAX_SEGMENTS:
        return
    name = f"s{uuid.uuid4().hex[:12]}"
    keyword.write(folder, name, [keyword.segment_part(keyword.Segment.open(folder, s["name"])) for s in small])
    meta.segments = [s for s in meta.segments if s not in small] + [
        {"name": name, "rows": sum(s["rows"] for s in small), "end": max(s["end"] for s in small)}]
    meta.write(folder)
    for s in small:
        keyword.remove(folder, s["name"])


def _anew(con: duckdb.DuckDBPyConnection, folder: Path, info: dict, total: int) -> Meta:
    """Empty files under a new generation, with centroids trained on the passages there are; what earlier
    formats kept beside the passages goes."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(folder.with_suffix(".vectors"), ignore_errors=True)
    folder.mkdir()
    generation = uuid.uuid4().hex
    with transaction(con):
        for table in EARLIER:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        con.execute("DROP SCHEMA IF EXISTS fts_main_passages CASCADE")
        con.execute("DELETE FROM settings WHERE key IN ('vector_generation', 'keyword_analysis', 'keyword_stats', "
                    "'keyword_sorted')")
        con.execute("DELETE FROM index_rows")
        word_table(con, "keyword_stopwords", "sw", stop_words())
        con.execute("INSERT OR REPLACE INTO settings VALUES ('index_generation', ?)", [generation])
    k = _lists(total)
    np.savez(folder / "centroids.npz", **(_train(_sample(con, info["dim"], SAMPLE * k, total), k)
                                         if total else _untrained(info["dim"])))
    return Meta(info["model"], info["dim"], [], generation, total, keyword.analysis())


def sync(con: duckdb.DuckDBPyConnection) -> dict:
    """Bring the files beside the database up to date with its passages; returns rows added and removed."""
    folder, info = folder_of(con), embedding_model(con)
    if folder is None or info is None:
        return {"added": 0, "removed": 0}
    con.execute(ROWS)
    meta = Meta.read(folder)
    end = con.execute("SELECT coalesce(max(row) + 1, 0) FROM index_rows").fetchone()[0]
    removed = 0
    usable = _usable(meta, info, _generation(con))
    if usable:
        _truncate(folder, meta, end)
        removed = _kill(con, folder)
    live, total = con.execute("SELECT (SELECT count(*) FROM index_rows), (SELECT count(*) FROM passages)").fetchone()
    if not usable or 2 * live < end or total > GROWTH * meta.trained_on:
        # no files yet, files of another format, model, analysis or generation, half the rows dead, or
        # centroids trained on a far smaller collection: written anew
        meta, end = _anew(con, folder, info, total), 0
    else:
        _merge(folder, meta)
    with np.load(folder / "centroids.npz") as f:
        trained = dict(f)
    groups = _groups(trained["centroids"])
    # rows in the table's order (`rid`: the passage's rowid); ties go to the lower row, the passage stored first
    con.execute(f"""CREATE OR REPLACE TEMP TABLE pending AS
        SELECT ? + row_number() OVER (ORDER BY p.rowid) - 1 AS row, p.passage_id, p.doc_id, {KEY} AS key,
               d.doc_date, d.doc_type, p.rowid AS rid
        FROM passages p JOIN documents d USING (doc_id)
        WHERE NOT EXISTS (SELECT 1 FROM index_rows v WHERE v.passage_id = p.passage_id)""", [end])
    added = con.execute("SELECT count(*) FROM pending").fetchone()[0]
    # the postings first, a segment per chunk of several row groups (DuckDB gives each row group a thread)
    lens = np.zeros(added, np.uint32)
    for start in range(end, end + added, POSTINGS_BATCH):
        stop = min(start + POSTINGS_BATCH, end + added)
        batch = keyword.postings(con, f"{PENDING} WHERE {_rows(con, start, stop)}", start, stop)
        name = f"s{uuid.uuid4().hex[:12]}"
        keyword.write(folder, name, [(batch["terms"], batch["counts"], batch["rows"], batch["tf"])])
        meta.segments.append({"name": name, "rows": stop - start, "end": stop})
        lens[start - end:stop - end] = batch["lens"]
    offset, sent_offset = (int(np.memmap(folder / name, dtype=np.uint64, mode="r")[-1]) if end else 0
                           for name in ("ends", "sent_ends"))
    out = _Appender(folder)
    try:
        for start in range(end, end + added, BATCH):
            stop = min(start + BATCH, end + added)
            batch = _rows(con, start, stop)
            flat = con.execute(f"""SELECT unnest(embedding) AS x FROM (
                SELECT p.embedding FROM {PENDING} WHERE {batch} ORDER BY q.row)""").fetchnumpy()["x"]
            vectors = np.asarray(flat, dtype=np.float32).reshape(-1, info["dim"])
            rows = con.execute(f"""SELECT coalesce(datediff('day', DATE '1970-01-01', q.doc_date), {NO_DATE})::INTEGER AS day,
                       q.doc_type, {RECORD} AS record,
                       coalesce(octet_length(p.sentence_vectors), 0) // {SENTENCE_TYPE.itemsize * info['dim']} AS sentences
                FROM {PENDING} JOIN documents d ON d.doc_id = q.doc_id WHERE {batch} ORDER BY q.row""").fetchnumpy()
            records = [r.encode() for r in rows["record"]]
            ends = offset + np.cumsum([len(r) for r in records], dtype=np.uint64)
            offset = int(ends[-1])
            sent_ends = sent_offset + np.cumsum(rows["sentences"], dtype=np.uint64)
            sent_offset = int(sent_ends[-1])
            meta.types += sorted({t for t in rows["doc_type"] if isinstance(t, str)} - set(meta.types))
            meta.write(folder)
            _append_sentences(con, out, start, stop)
            _append(out, {
                **_encode(vectors, trained, groups), "dates": rows["day"],
                "types": np.array([meta.types.index(t) if isinstance(t, str) else 255 for t in rows["doc_type"]], np.uint8),
                "lens": lens[start - end:stop - end], "ends": ends, "sent_ends": sent_ends,
                "live": np.ones(stop - start, dtype=np.uint8)}, b"".join(records))
    finally:
        out.close()
    meta.write(folder)
    con.execute("INSERT INTO index_rows SELECT * EXCLUDE (rid) FROM pending")  # the files hold these rows now
    con.execute("DROP TABLE pending")
    return {"added": added, "removed": removed}
