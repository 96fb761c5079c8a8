"""Semantic search at archive scale: the passages' vectors in files beside the database, memory-mapped.

Each passage is one row: the list it falls in (`lists`: its nearest of a set of centroids, an inverted
file), its vector in int8 (`codes`, scaled per dimension) and in float16 (`vectors`), its document's
date and type (so that filters apply inside the scan) and a live flag. A query ranks the centroids,
takes the nearest lists until they hold `vector_candidates` rows the filters let through, ranks those
rows on their int8 codes, and scores the best of them again on their float16 vectors. The centroids
(spherical k-means over a sample of the vectors) and the int8 scales are trained when the files are
written anew (`centroids.npz`). Numpy converts int8 to float32 some forty times faster than float16.

Derived state: `passages.embedding` stays the record, and `vector_rows` in the database maps rows
to passages. `sync` brings the files up to date after an ingest, touching only what changed: rows
are appended for new passages (files first, then the rows that point into them, so that a crash
leaves at most unreferenced rows, cut off by the next sync) and marked dead for passages that changed
or left. When half the rows are dead, or the rows have grown fourfold since the centroids were trained,
the files are written anew, under a new generation recorded in both the files and the database, so
that files never serve a database they were not written for.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from .store import embedding_model, transaction

NO_DATE = np.iinfo(np.int32).min
EPOCH = dt.date(1970, 1, 1)
FILES = {"lists": np.uint16, "codes": np.int8, "vectors": np.float16, "dates": np.int32, "types": np.uint8, "live": np.uint8}
BATCH = 50_000
MAX_LISTS = 4096
SAMPLE = 32  # vectors per centroid the k-means is trained on
GROWTH = 4  # train again once the rows have grown this many times since the last training
RESCORE = 200  # rows ranked on their codes that are scored again on their float16 vectors (at least 4 k)
ROWS = """CREATE TABLE IF NOT EXISTS vector_rows (row BIGINT PRIMARY KEY, passage_id VARCHAR, doc_id VARCHAR,
    text_hash VARCHAR, doc_date DATE, doc_type VARCHAR)"""


def folder_of(con: duckdb.DuckDBPyConnection) -> Path | None:
    """`NAME.duckdb.vectors/` beside the database file (None for an in-memory database)."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    return Path(f"{path}.vectors") if path else None


def _generation(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT value FROM settings WHERE key = 'vector_generation'").fetchone()
    return row[0] if row else None


def _usable(meta: Meta | None, info: dict, con: duckdb.DuckDBPyConnection) -> bool:
    """The files were written for this model and these rows (not, say, beside a database restored from a
    backup older than their last rewrite)."""
    return meta is not None and (meta.model, meta.dim) == (info["model"], info["dim"]) and \
        meta.generation == _generation(con)


def _lists(rows: int) -> int:
    return max(1, min(MAX_LISTS, int(np.sqrt(rows))))


def _train(sample: np.ndarray, k: int, rounds: int = 10) -> dict[str, np.ndarray]:
    """k centroids for cosine similarity, by spherical k-means (unit-length centroids, assignment by dot
    product; scikit-learn's KMeans is Euclidean, and took ten times as long on a million passages here),
    and per dimension the scale that maps the sample's largest value to 127."""
    rng = np.random.default_rng(7)
    centroids = sample[rng.choice(len(sample), k, replace=False)]
    for _ in range(rounds):
        nearest = np.argmax(sample @ centroids.T, axis=1)
        sums = np.zeros_like(centroids)
        np.add.at(sums, nearest, sample)
        empty = np.bincount(nearest, minlength=k) == 0
        sums[empty] = sample[rng.choice(len(sample), int(empty.sum()))]  # an empty list starts again elsewhere
        centroids = sums / np.maximum(np.linalg.norm(sums, axis=1, keepdims=True), 1e-12)
    return {"centroids": centroids.astype(np.float32),
            "scale": (127 / np.maximum(np.abs(sample).max(axis=0), 1e-6)).astype(np.float32)}


def _untrained(dim: int) -> dict[str, np.ndarray]:
    return {"centroids": np.zeros((0, dim), dtype=np.float32), "scale": np.ones(dim, dtype=np.float32)}


def _sample(con: duckdb.DuckDBPyConnection, dim: int, rows: int) -> np.ndarray:
    """Stored vectors to train the centroids on, drawn at random (the same draw for the same rows)."""
    flat = con.execute(f"""SELECT unnest(embedding) AS x FROM (
        SELECT embedding FROM passages USING SAMPLE reservoir({int(rows)} ROWS) REPEATABLE (7))""").fetchnumpy()["x"]
    return np.asarray(flat, dtype=np.float32).reshape(-1, dim)


def _encode(vectors: np.ndarray, trained) -> dict[str, np.ndarray]:
    return {"lists": np.argmax(vectors @ trained["centroids"].T, axis=1).astype(np.uint16),
            "codes": np.clip(np.rint(vectors * trained["scale"]), -127, 127).astype(np.int8),
            "vectors": vectors.astype(np.float16)}


@dataclass
class Meta:
    model: str
    dim: int
    types: list[str]
    generation: str  # also in settings.vector_generation: files and rows written together, or not used
    trained_on: int  # rows when the centroids were trained

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


class VectorIndex:
    """The files opened read-only, memory-mapped: opening costs no more than reading the metadata."""

    def __init__(self, con: duckdb.DuckDBPyConnection, folder: Path, meta: Meta, candidates: int):
        self.con, self.meta, self.candidates = con, meta, candidates
        self.rows = (folder / "live").stat().st_size
        arrays = {name: np.memmap(folder / name, dtype=t, mode="r") if self.rows else np.zeros(0, t)
                  for name, t in FILES.items()}
        self.lists = arrays["lists"][: self.rows]
        self.codes = arrays["codes"][: self.rows * meta.dim].reshape(self.rows, meta.dim)
        with np.load(folder / "centroids.npz") as trained:
            self.centroids, self.scale = trained["centroids"], trained["scale"]
        self.vectors = arrays["vectors"][: self.rows * meta.dim].reshape(self.rows, meta.dim)
        self.dates, self.types = arrays["dates"][: self.rows], arrays["types"][: self.rows]
        self.live = arrays["live"][: self.rows]

    @classmethod
    def open(cls, con: duckdb.DuckDBPyConnection, candidates: int = 20000) -> VectorIndex | None:
        """The index of this database, or None when it has none or it is behind the passages (an ingest
        that did not finish): the caller then scans the stored vectors, slower but never wrong."""
        folder = folder_of(con)
        info = embedding_model(con)
        meta = Meta.read(folder) if folder and info else None
        if not _usable(meta, info, con):
            return None
        try:
            indexed, stored = con.execute("SELECT (SELECT count(*) FROM vector_rows), "
                                          "(SELECT count(*) FROM passages)").fetchone()
        except duckdb.CatalogException:
            return None
        return cls(con, folder, meta, candidates) if indexed == stored else None

    def query(self, vector: list[float], k: int, date_from: dt.date | None = None, date_to: dt.date | None = None,
              doc_type: str | None = None, doc_id: str | None = None) -> list[tuple[str, float]]:
        """The k passages nearest to `vector` (cosine) among those the filters let through."""
        if not self.rows:
            return []
        q = np.asarray(vector, dtype=np.float32)
        allowed = self.live.astype(bool)
        if date_from:
            allowed &= (self.dates >= (date_from - EPOCH).days) & (self.dates != NO_DATE)
        if date_to:
            allowed &= (self.dates <= (date_to - EPOCH).days) & (self.dates != NO_DATE)
        if doc_type:
            code = self.meta.types.index(doc_type) if doc_type in self.meta.types else -1
            allowed &= self.types == code
        if doc_id:
            rows = self.con.execute("SELECT row FROM vector_rows WHERE doc_id = ?", [doc_id]).fetchnumpy()["row"]
            only = np.zeros(self.rows, dtype=bool)
            only[np.asarray(rows, dtype=np.int64)] = True
            allowed &= only
        # the nearest lists, until they hold enough rows the filters let through
        order = np.argsort(-(self.centroids @ q))
        held = np.cumsum(np.bincount(self.lists[allowed], minlength=len(self.centroids))[order])
        probe = np.zeros(len(self.centroids), dtype=bool)
        probe[order[: int(np.searchsorted(held, max(self.candidates, 4 * k))) + 1]] = True
        near = np.flatnonzero(allowed & probe[self.lists])
        if not len(near):
            return []
        rough = self.codes[near].astype(np.float32) @ (q / self.scale)
        keep = min(len(near), max(RESCORE, 4 * k))
        near = np.sort(near[np.argpartition(-rough, keep - 1)[:keep]]) if keep < len(near) else near
        scores = self.vectors[near].astype(np.float32) @ q
        best = np.argsort(-scores, kind="stable")[:k]
        rows = [int(r) for r in near[best]]
        ids = dict(self.con.execute(f"SELECT row, passage_id FROM vector_rows WHERE row IN ({','.join(map(str, rows))})")
                   .fetchall())
        return [(ids[r], float(s)) for r, s in zip(rows, scores[best]) if r in ids]


def _append(folder: Path, arrays: dict[str, np.ndarray]) -> None:
    for name in FILES:  # live last: a row counts once its flag is written
        with open(folder / name, "ab") as f:
            f.write(np.ascontiguousarray(arrays[name], dtype=FILES[name]).tobytes())
            f.flush()
            os.fsync(f.fileno())


def _truncate(folder: Path, rows: int, dim: int) -> None:
    """Cut the files to the rows `vector_rows` knows: what a killed sync appended after them goes."""
    per_row = {"lists": 2, "codes": dim, "vectors": dim * 2, "dates": 4, "types": 1, "live": 1}
    for name, size in per_row.items():
        path = folder / name
        with open(path, "ab") as f:
            f.truncate(rows * size)


def _kill(con: duckdb.DuckDBPyConnection, folder: Path) -> int:
    """Rows whose passage changed (text, date or type) or left: flagged dead in the file, then forgotten."""
    con.execute("""CREATE OR REPLACE TEMP TABLE dead AS SELECT v.row FROM vector_rows v WHERE NOT EXISTS (
        SELECT 1 FROM passages p JOIN documents d USING (doc_id) WHERE p.passage_id = v.passage_id
          AND p.text_hash IS NOT DISTINCT FROM v.text_hash AND d.doc_date IS NOT DISTINCT FROM v.doc_date
          AND d.doc_type IS NOT DISTINCT FROM v.doc_type)""")
    dead = con.execute("SELECT row FROM dead").fetchnumpy()["row"]
    if len(dead):
        live = np.memmap(folder / "live", dtype=np.uint8, mode="r+")
        live[np.asarray(dead, dtype=np.int64)] = 0
        live.flush()
        del live
        con.execute("DELETE FROM vector_rows WHERE row IN (SELECT row FROM dead)")
    con.execute("DROP TABLE dead")
    return len(dead)


def sync(con: duckdb.DuckDBPyConnection) -> dict:
    """Bring the files beside the database up to date with its passages; returns rows added and removed."""
    folder, info = folder_of(con), embedding_model(con)
    if folder is None or info is None:
        return {"added": 0, "removed": 0}
    con.execute(ROWS)
    meta = Meta.read(folder)
    end = con.execute("SELECT coalesce(max(row) + 1, 0) FROM vector_rows").fetchone()[0]
    removed = 0
    usable = _usable(meta, info, con)
    if usable:
        _truncate(folder, end, info["dim"])
        removed = _kill(con, folder)
    live, total = con.execute("SELECT (SELECT count(*) FROM vector_rows), (SELECT count(*) FROM passages)").fetchone()
    if not usable or 2 * live < end or total > GROWTH * meta.trained_on:
        # no files yet, files of another model or generation, half the rows dead, or centroids trained on
        # a far smaller collection: written anew
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        generation = uuid.uuid4().hex
        with transaction(con):
            con.execute("DELETE FROM vector_rows")
            con.execute("INSERT OR REPLACE INTO settings VALUES ('vector_generation', ?)", [generation])
        meta, end = Meta(info["model"], info["dim"], [], generation, total), 0
        k = _lists(total)
        np.savez(folder / "centroids.npz", **(_train(_sample(con, info["dim"], min(total, SAMPLE * k)), k)
                                             if total else _untrained(info["dim"])))
    with np.load(folder / "centroids.npz") as f:
        trained = dict(f)
    con.execute("""CREATE OR REPLACE TEMP TABLE pending AS
        SELECT ? + row_number() OVER (ORDER BY p.doc_id, p.seq) - 1 AS row, p.passage_id, p.doc_id, p.text_hash,
               d.doc_date, d.doc_type
        FROM passages p JOIN documents d USING (doc_id)
        WHERE NOT EXISTS (SELECT 1 FROM vector_rows v WHERE v.passage_id = p.passage_id)""", [end])
    added = con.execute("SELECT count(*) FROM pending").fetchone()[0]
    for start in range(end, end + added, BATCH):
        flat = con.execute("""SELECT unnest(embedding) AS x FROM (
            SELECT p.embedding FROM pending q JOIN passages p USING (passage_id) WHERE q.row >= ? AND q.row < ?
            ORDER BY q.row)""", [start, start + BATCH]).fetchnumpy()["x"]
        vectors = np.asarray(flat, dtype=np.float32).reshape(-1, info["dim"])
        keys = con.execute("SELECT doc_date, doc_type FROM pending WHERE row >= ? AND row < ? ORDER BY row",
                           [start, start + BATCH]).fetchall()
        meta.types += sorted({t for _, t in keys if t is not None} - set(meta.types))
        meta.write(folder)
        _append(folder, {
            **_encode(vectors, trained),
            "dates": np.array([(d - EPOCH).days if d else NO_DATE for d, _ in keys], dtype=np.int32),
            "types": np.array([meta.types.index(t) if t is not None else 255 for _, t in keys], dtype=np.uint8),
            "live": np.ones(len(keys), dtype=np.uint8)})
    meta.write(folder)
    con.execute("INSERT INTO vector_rows SELECT * FROM pending")  # the files hold these rows now
    con.execute("DROP TABLE pending")
    return {"added": added, "removed": removed}
