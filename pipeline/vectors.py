"""Semantic search at archive scale: the passages' vectors in files beside the database, memory-mapped.

Each passage is one row: the sign bits of its vector after centring (`codes`), the vector itself in
float16 (`vectors`), its document's date and type (so that filters apply inside the scan) and a
live flag. A query ranks every row by Hamming distance over the bits (milliseconds per million
rows), then scores the best candidates exactly on their float16 vectors.

Derived state: `passages.embedding` stays the record, and `vector_rows` in the database maps rows
to passages. `sync` brings the files up to date after an ingest, touching only what changed: rows
are appended for new passages (files first, then the rows that point into them, so that a crash
leaves at most unreferenced rows, cut off by the next sync) and marked dead for passages that changed
or left. When half the rows are dead the files are written anew, under a new generation recorded in
both the files and the database, so that files never serve a database they were not written for.
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
FILES = {"codes": np.uint64, "vectors": np.float16, "dates": np.int32, "types": np.uint8, "live": np.uint8}
BATCH = 50_000
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


def _width(dim: int) -> int:
    return (dim + 63) // 64  # uint64 words of sign bits per row


def _codes(vectors: np.ndarray, mean: np.ndarray) -> np.ndarray:
    bits = np.packbits((vectors - mean) > 0, axis=1)
    words = _width(vectors.shape[1]) * 8
    if bits.shape[1] < words:
        bits = np.pad(bits, ((0, 0), (0, words - bits.shape[1])))
    return bits.view(np.uint64)


@dataclass
class Meta:
    model: str
    dim: int
    mean: list[float]
    types: list[str]
    generation: str  # also in settings.vector_generation: files and rows written together, or not used

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
        self.codes = arrays["codes"][: self.rows * _width(meta.dim)].reshape(self.rows, _width(meta.dim))
        self.vectors = arrays["vectors"][: self.rows * meta.dim].reshape(self.rows, meta.dim)
        self.dates, self.types = arrays["dates"][: self.rows], arrays["types"][: self.rows]
        self.live = arrays["live"][: self.rows]
        self.mean = np.asarray(meta.mean, dtype=np.float32)

    @classmethod
    def open(cls, con: duckdb.DuckDBPyConnection, candidates: int = 5000) -> VectorIndex | None:
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
        distance = np.bitwise_count(self.codes ^ _codes(q[None, :], self.mean)).sum(axis=1, dtype=np.int32)
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
        pool = np.flatnonzero(allowed)
        if not len(pool):
            return []
        c = min(len(pool), max(self.candidates, 4 * k))
        near = pool[np.argpartition(distance[pool], c - 1)[:c]] if c < len(pool) else pool
        near.sort()  # memory order: the float16 rows are read front to back
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
    per_row = {"codes": _width(dim) * 8, "vectors": dim * 2, "dates": 4, "types": 1, "live": 1}
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
    if not usable or 2 * con.execute("SELECT count(*) FROM vector_rows").fetchone()[0] < end:
        # no files yet, files of another model or generation, or half the rows dead: written anew
        shutil.rmtree(folder, ignore_errors=True)
        generation = uuid.uuid4().hex
        with transaction(con):
            con.execute("DELETE FROM vector_rows")
            con.execute("INSERT OR REPLACE INTO settings VALUES ('vector_generation', ?)", [generation])
        meta, end = None, 0
    else:
        generation = meta.generation
    folder.mkdir(exist_ok=True)
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
        if meta is None:  # the centre of the passages: sign bits that split them, not the space around them
            meta = Meta(info["model"], info["dim"], vectors.mean(axis=0).tolist(), [], generation)
        keys = con.execute("SELECT doc_date, doc_type FROM pending WHERE row >= ? AND row < ? ORDER BY row",
                           [start, start + BATCH]).fetchall()
        meta.types += sorted({t for _, t in keys if t is not None} - set(meta.types))
        meta.write(folder)
        _append(folder, {
            "codes": _codes(vectors, np.asarray(meta.mean, dtype=np.float32)),
            "vectors": vectors.astype(np.float16),
            "dates": np.array([(d - EPOCH).days if d else NO_DATE for d, _ in keys], dtype=np.int32),
            "types": np.array([meta.types.index(t) if t is not None else 255 for _, t in keys], dtype=np.uint8),
            "live": np.ones(len(keys), dtype=np.uint8)})
    (meta or Meta(info["model"], info["dim"], [0.0] * info["dim"], [], generation)).write(folder)
    con.execute("INSERT INTO vector_rows SELECT * FROM pending")  # the files hold these rows now
    con.execute("DROP TABLE pending")
    return {"added": added, "removed": removed}
