"""DuckDB storage: the schema, one transaction per document, and the extensions.

Table names and columns are a public contract (see docs/schema.md): analysts and
the scorers read them directly.
"""
from __future__ import annotations

import contextlib
import functools
import datetime as dt
import importlib.util
import json
import logging
import re
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from .config import config
from .model import Analysis, Document, Passage

log = logging.getLogger("kamerstukken")

# 1: kamerstukken 0.1 (no schema_version recorded); 2: commitments.deadline_basis, passages.glossary and
# anchor_seq, the lexicon table; 3: passages.sentence_embeddings (SMALLINT[dim][]); 4: passages.sentence_vectors
# (BLOB) in its place; 5: passages.answer_seqs. SCHEMA's and ensure_passages' statements migrate an older database
# when it is opened to write.
SCHEMA_VERSION = 5
SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    doc_id VARCHAR PRIMARY KEY, source_path VARCHAR NOT NULL, sha256 VARCHAR NOT NULL,
    pipeline_version VARCHAR NOT NULL, shape VARCHAR, doc_type VARCHAR, doc_date DATE, title VARCHAR,
    kenmerk VARCHAR, dossier VARCHAR, ondernummer VARCHAR, sender VARCHAR, pages INTEGER,
    text VARCHAR, ingested_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS blocks (
    doc_id VARCHAR, seq INTEGER, kind VARCHAR, page INTEGER, text VARCHAR,
    char_start INTEGER, char_end INTEGER, PRIMARY KEY (doc_id, seq));
CREATE TABLE IF NOT EXISTS footnotes (
    doc_id VARCHAR, number INTEGER, text VARCHAR, page INTEGER, anchor INTEGER);
CREATE TABLE IF NOT EXISTS furniture (doc_id VARCHAR, kind VARCHAR, text VARCHAR, page INTEGER);
CREATE TABLE IF NOT EXISTS document_checks (
    doc_id VARCHAR PRIMARY KEY, shape VARCHAR, input_chars INTEGER, coverage DOUBLE, excess DOUBLE,
    body_share DOUBLE, footnotes INTEGER, longest_footnote INTEGER, numbering_gaps INTEGER[],
    empty_pages INTEGER[], orphan_markers INTEGER[], warnings VARCHAR[]);
CREATE TABLE IF NOT EXISTS citations (
    doc_id VARCHAR, citation_id VARCHAR, kind VARCHAR, dossier VARCHAR, addition VARCHAR,
    ondernummer VARCHAR, vergaderjaar VARCHAR, chamber VARCHAR, raw VARCHAR, location VARCHAR,
    footnote INTEGER, page INTEGER, sentence VARCHAR, passage_seq INTEGER, char_start INTEGER, char_end INTEGER);
CREATE TABLE IF NOT EXISTS motions (
    doc_id VARCHAR, motion_seq INTEGER, movers VARCHAR[], cs BOOLEAN, ref VARCHAR,
    disposition VARCHAR, n_mentions INTEGER, sentence VARCHAR);
CREATE TABLE IF NOT EXISTS motion_mentions (
    doc_id VARCHAR, motion_seq INTEGER, disposition VARCHAR, sentence VARCHAR, passage_seq INTEGER,
    char_start INTEGER, char_end INTEGER);
CREATE TABLE IF NOT EXISTS motion_texts (
    doc_id VARCHAR PRIMARY KEY, movers VARCHAR[], cs BOOLEAN, considerations VARCHAR[], dictum VARCHAR);
CREATE TABLE IF NOT EXISTS commitments (
    doc_id VARCHAR, seq INTEGER, actor VARCHAR, kind VARCHAR, text VARCHAR, deadline_text VARCHAR,
    deadline DATE, page INTEGER, passage_seq INTEGER, char_start INTEGER, char_end INTEGER, deadline_basis VARCHAR);
ALTER TABLE commitments ADD COLUMN IF NOT EXISTS deadline_basis VARCHAR;
CREATE TABLE IF NOT EXISTS commitment_links (
    doc_id VARCHAR, seq INTEGER, fulfilled_by_doc VARCHAR, fulfilled_by_seq INTEGER, method VARCHAR, similarity DOUBLE);
CREATE TABLE IF NOT EXISTS topics (topic INTEGER PRIMARY KEY, label VARCHAR, top_terms VARCHAR[]);
CREATE TABLE IF NOT EXISTS passage_topics (doc_id VARCHAR, seq INTEGER, topic INTEGER, weight DOUBLE);
CREATE TABLE IF NOT EXISTS ingest_errors (
    path VARCHAR, sha256 VARCHAR, stage VARCHAR, error VARCHAR, "at" TIMESTAMP);
"""
VIEWS = Path(__file__).with_name("views.sql")
DOC_TABLES = ("blocks", "footnotes", "furniture", "document_checks", "citations", "motions", "motion_mentions",
              "motion_texts", "commitments", "passages", "passage_topics")


def listed(values: list[str]) -> tuple[str, str]:
    """A SQL list of strings and its one parameter: the strings joined by NUL and split again in SQL. A
    Python list as the parameter costs two failed `import pandas` per element where pandas is absent
    (DuckDB's check for pandas values): 3.5 ms for 50 strings, against 0.4 joined, and minutes for 400,000."""
    return "string_split(?, chr(0))", "\0".join(v.replace("\0", " ") for v in values)


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection):
    """One transaction: all of the block is stored, or (on any error, a kill included) none of it."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


@functools.cache
def extension_path(name: str) -> Path:
    """The signed extension shipped in the PyPI package duckdb-extension-NAME (looked up once: a keyword
    query loads fts for its stemmer)."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"package duckdb-extension-{name} is not installed")
    path = Path(spec.submodule_search_locations[0]) / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.is_file():
        raise RuntimeError(f"{path} missing: duckdb-extension-{name} must match duckdb {duckdb.__version__}")
    return path


_loaded: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # extensions loaded, per connection


def load_extension(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """LOAD by path, once per connection (a keyword query needs fts's stemmer)."""
    done = _loaded.setdefault(con, set())
    if name not in done:
        con.execute(f"LOAD '{extension_path(name)}'")
        done.add(name)


def word_table(con: duckdb.DuckDBPyConnection, table: str, column: str, words) -> None:
    """A one-column table of words (`listed`: binding 400,000 list items as a parameter takes minutes)."""
    strings, value = listed(sorted(words))
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT unnest({strings}) AS {column}", [value])


def quiet(con: duckdb.DuckDBPyConnection) -> None:
    """No progress bars on stderr (under Jupyter DuckDB refuses the setting without ipywidgets, and draws none),
    and no Python variable read as a table when a table is missing (a missing table is a CatalogException)."""
    con.execute("SET python_enable_replacements = false")
    try:
        con.execute("SET enable_progress_bar = false")
    except duckdb.InvalidInputException:
        pass


class DatabaseError(Exception):
    """A database kst cannot or must not use; the message is one line that says what to do."""


class Busy(DatabaseError):
    """Another process holds the database (DuckDB: one writer or several readers)."""


def connect(path: str | Path, read_only: bool = False, wait: float = 0.0) -> duckdb.DuckDBPyConnection:
    """A connection to a kamerstukken database. Refuses, untouched, a path that is no DuckDB file, the
    database of another application and one written by a newer kamerstukken; migrates an older one.

    DuckDB lets one process write or several read. While another process holds the file, this waits
    up to `wait` seconds (saying so once, on the `kamerstukken` logger), then raises DatabaseError."""
    p = Path(path)
    if p.is_dir():
        raise DatabaseError(f"{path} is a directory; give a .duckdb file")
    if read_only and not p.is_file():
        raise DatabaseError(f"no database at {path}: run kst ingest first")
    if not read_only:
        p.parent.mkdir(parents=True, exist_ok=True)
    deadline, warned = time.monotonic() + wait, False
    while True:
        try:
            # bounded, so that building the indexes of a million passages stays near a gigabyte (it spills to disk)
            con = duckdb.connect(str(path), read_only=read_only, config={"memory_limit": config().memory})
            break
        except duckdb.IOException as exc:
            message = str(exc).splitlines()[0]
            if "lock" not in message.lower():
                raise DatabaseError(f"{path} cannot be opened as a DuckDB database ({message})") from None
            pid = m[1] if (m := re.search(r"\(PID (\d+)\)", str(exc))) else "?"
            if time.monotonic() >= deadline:
                doing = "being written" if read_only else "in use"
                raise Busy(f"{path} is {doing} by another process (PID {pid}); try again when it is done, "
                                    f"or use --wait SECONDS" + (f" (waited {wait:g} s)" if wait else "")) from None
            if not warned:
                log.warning("%s is in use by another process (PID %s); waiting up to %g s", path, pid, wait)
                warned = True
            time.sleep(min(0.25, max(0.0, deadline - time.monotonic())))
        except (duckdb.ParserException, duckdb.InvalidInputException) as exc:
            raise DatabaseError(f"KST_MEMORY={config().memory} is not a memory limit DuckDB reads "
                                f"({str(exc).splitlines()[0]})") from None
        except duckdb.Error as exc:
            raise DatabaseError(f"{path} cannot be opened as a DuckDB database ({str(exc).splitlines()[0]})") from None
    quiet(con)
    try:
        _check_ours(con, path)
        if not read_only:
            con.execute(SCHEMA)
            con.execute("INSERT OR REPLACE INTO settings VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    except BaseException:
        con.close()
        raise
    return con


def _check_ours(con: duckdb.DuckDBPyConnection, path: str | Path) -> None:
    # one catalog query (information_schema's views took 20 ms of every cold command)
    columns = con.execute("SELECT table_name, column_name FROM duckdb_columns() "
                          "WHERE schema_name = 'main' AND database_name = current_database()").fetchall()
    tables = {t for t, _ in columns}
    if not tables:
        return  # new and empty
    ours = {"doc_id", "sha256", "pipeline_version"} <= {c for t, c in columns if t == "documents"}
    if not ours or "settings" not in tables:
        raise DatabaseError(f"{path} is a DuckDB database of another application (tables: "
                            f"{', '.join(sorted(tables)[:5])}{' …' if len(tables) > 5 else ''}); kst leaves it untouched")
    row = con.execute("SELECT value FROM settings WHERE key = 'schema_version'").fetchone()
    if row and int(row[0]) > SCHEMA_VERSION:
        raise DatabaseError(f"{path} was written by a newer kamerstukken (schema {row[0]}, this one reads up to "
                            f"{SCHEMA_VERSION}); upgrade kamerstukken")


PASSAGE_COLUMNS = """doc_id VARCHAR, seq INTEGER, passage_id VARCHAR, kind VARCHAR, footnote INTEGER, page INTEGER, heading VARCHAR,
    text VARCHAR, char_start INTEGER, char_end INTEGER, terms VARCHAR, text_hash VARCHAR, embedding FLOAT[{dim}], glossary VARCHAR, anchor_seq INTEGER,
    sentence_vectors BLOB, answer_seqs INTEGER[]"""
# Sentence vectors are stored as int16 (their values lie in [-1, 1]; cosine similarity does not see the scale),
# one after another in a BLOB, little-endian. At a million synthetic passages, as lists of float arrays they took
# 20 GB in DuckDB; as SMALLINT[dim][] 7.3 GB, and the index build spent 41 s of its 123 turning those lists into
# numpy arrays, against 23 s reading BLOBs of the same bytes.
SENTENCE_SCALE = 32767
SENTENCE_TYPE = np.dtype("<i2")


def passage_id(doc_id: str, seq: int) -> str:
    """`passages.passage_id`: the document's id and the passage's place in it."""
    return f"{doc_id}:{seq}"


def sentence_blob(vectors: list[list[float]] | None) -> bytes | None:
    """Sentence vectors as stored in `passages.sentence_vectors` (NULL: none)."""
    if not vectors:
        return None
    return np.rint(np.asarray(vectors, dtype=np.float32) * SENTENCE_SCALE).astype(SENTENCE_TYPE).tobytes()


def sentence_matrix(blob: bytes | None, dim: int) -> np.ndarray:
    """The int16 sentence vectors of a `passages.sentence_vectors` value, a row each."""
    return np.frombuffer(blob or b"", dtype=SENTENCE_TYPE).reshape(-1, dim)


# schema 3 kept them as lists of int16 arrays: the same values, written out as BLOBs in SQL
SENTENCE_LISTS = """CASE WHEN len(sentence_embeddings) > 0 THEN from_hex(array_to_string(list_transform(
    flatten(sentence_embeddings), x -> printf('%02x%02x', x::INTEGER & 255, (x::INTEGER >> 8) & 255)), '')) END"""


def embedding_model(con: duckdb.DuckDBPyConnection) -> dict | None:
    row = con.execute("SELECT value FROM settings WHERE key = 'embedding_model'").fetchone()
    return json.loads(row[0]) if row else None


def ensure_passages(con: duckdb.DuckDBPyConnection, model: str, dim: int, backend: str) -> dict | None:
    """Create the passages table for this model; returns the model recorded before when it was another."""
    old = embedding_model(con)
    new = {"model": model, "dim": dim, "backend": backend}
    con.execute(f"CREATE TABLE IF NOT EXISTS passages ({PASSAGE_COLUMNS.format(dim=dim)})")
    if con.execute("SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() AND "
                   "table_name = 'passages' AND column_name = 'sentence_embeddings'").fetchone()[0]:
        log.warning("converting the sentence vectors of %s passages to the form of schema %d (about a minute per "
                    "60,000 passages)", con.execute("SELECT count(*) FROM passages").fetchone()[0], SCHEMA_VERSION)
        with transaction(con):  # schema 3
            con.execute(f"ALTER TABLE passages ALTER sentence_embeddings SET DATA TYPE BLOB USING {SENTENCE_LISTS}")
            con.execute("ALTER TABLE passages RENAME sentence_embeddings TO sentence_vectors")
    for column in ("glossary VARCHAR", "anchor_seq INTEGER",  # databases of 0.1.0
                   "sentence_vectors BLOB",  # schema 4
                   "answer_seqs INTEGER[]"):  # schema 5
        con.execute(f"ALTER TABLE passages ADD COLUMN IF NOT EXISTS {column}")
    con.execute(VIEWS.read_text(encoding="utf-8"))
    con.execute("CREATE TABLE IF NOT EXISTS embedding_cache (text_hash VARCHAR, model VARCHAR, embedding FLOAT[], "
                "PRIMARY KEY (text_hash, model))")
    if old is None:
        con.execute("INSERT INTO settings VALUES ('embedding_model', ?)", [json.dumps(new)])
    return old if old and (old["model"], old["dim"]) != (model, dim) else None


def replace_embeddings(con: duckdb.DuckDBPyConnection, model: str, dim: int, backend: str,
                       vectors: dict[tuple[str, int], tuple[str, list[float], list[list[float]]]]) -> None:
    """Swap in embeddings of another model (its dimension may differ) in one transaction."""
    with transaction(con):
        mark_stale(con)  # the search index beside the database holds the old model's vectors
        con.execute(f"CREATE TABLE passages_new ({PASSAGE_COLUMNS.format(dim=dim)})")
        rows = con.execute("SELECT doc_id, seq, passage_id, kind, footnote, page, heading, text, char_start, char_end, terms, "
                           "glossary, anchor_seq, answer_seqs FROM passages").fetchall()
        _insert(con, "passages_new", [(*r[:-3], *vectors[(r[0], r[1])][:2], *r[-3:-1], sentence_blob(vectors[(r[0], r[1])][2]),
                                       r[-1]) for r in rows])
        con.execute("DROP TABLE passages")
        con.execute("ALTER TABLE passages_new RENAME TO passages")
        con.execute("INSERT OR REPLACE INTO settings VALUES ('embedding_model', ?)",
                    [json.dumps({"model": model, "dim": dim, "backend": backend})])


@dataclass
class StoredDoc:
    doc_id: str
    sha256: str
    pipeline_version: str


def known(con: duckdb.DuckDBPyConnection, source_path: str) -> list[StoredDoc]:
    return [StoredDoc(*r) for r in con.execute(
        "SELECT doc_id, sha256, pipeline_version FROM documents WHERE source_path = ?", [source_path]).fetchall()]


def remove_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    """delete_document in a transaction of its own."""
    with transaction(con):
        delete_document(con, doc_id)
        mark_stale(con)


def move_document(con: duckdb.DuckDBPyConnection, doc_id: str, source_path: str) -> None:
    """A renamed or moved file: its document keeps everything, under the new path."""
    con.execute("UPDATE documents SET source_path = ? WHERE doc_id = ?", [source_path, doc_id])


def mark_stale(con: duckdb.DuckDBPyConnection) -> None:
    """The collection changed: the keyword and vector indexes, links and topics are out of date until
    derived again. Set in the transaction of the change, cleared when all are done, so a killed run is seen."""
    con.execute("INSERT OR REPLACE INTO settings VALUES ('derived', 'stale')")


def is_stale(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM settings WHERE key = 'derived'").fetchone()[0] > 0


def mark_derived(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DELETE FROM settings WHERE key = 'derived'")


def delete_document(con: duckdb.DuckDBPyConnection, doc_id: str) -> None:
    for table in DOC_TABLES:
        con.execute(f"DELETE FROM {table} WHERE doc_id = ?", [doc_id])
    con.execute("DELETE FROM documents WHERE doc_id = ?", [doc_id])


def write_document(con: duckdb.DuckDBPyConnection, doc: Document, analysis: Analysis,
                   passages: list[Passage], version: str, replaces: list[str] = ()) -> None:
    """Store a document whole or not at all, replacing older versions of the same file."""
    with transaction(con):
        mark_stale(con)
        for old in {*replaces, doc.doc_id}:
            delete_document(con, old)
        m = doc.meta
        con.execute("INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", [
            doc.doc_id, doc.source_path, doc.sha256, version, doc.shape, m.doc_type, m.date, m.title,
            m.kenmerk, m.dossier, m.ondernummer, m.sender, doc.pages, doc.text, dt.datetime.now()])
        _insert(con, "blocks", [(doc.doc_id, i, b.kind, b.page, b.text, b.start, b.end) for i, b in enumerate(doc.blocks)])
        _insert(con, "footnotes", [(doc.doc_id, f.number, f.text, f.page, f.anchor) for f in doc.footnotes])
        _insert(con, "furniture", [(doc.doc_id, f.kind, f.text, f.page) for f in doc.furniture])
        if doc.checks:
            k = doc.checks
            _insert(con, "document_checks", [(doc.doc_id, k.shape, k.input_chars, k.coverage, k.excess, k.body_share,
                                               k.footnotes, k.longest_footnote, k.numbering_gaps, k.empty_pages,
                                               k.orphan_markers, k.warnings)])
        _insert(con, "citations", [
            (doc.doc_id, c.citation_id, c.kind, c.dossier, c.addition, c.ondernummer, c.vergaderjaar, c.chamber,
             c.raw, "footnote" if c.footnote is not None else "body", c.footnote, c.page, c.sentence,
             _passage_of_citation(passages, c), c.start, c.end)
            for c in analysis.citations])
        _insert(con, "motions", [
            (doc.doc_id, i, mo.movers, mo.cs, mo.ref, mo.disposition, len(mo.mentions), mo.mentions[0].sentence)
            for i, mo in enumerate(analysis.motions)])
        _insert(con, "motion_mentions", [
            (doc.doc_id, i, mm.disposition, mm.sentence, _passage_at(passages, mm.start), mm.start, mm.end)
            for i, mo in enumerate(analysis.motions) for mm in mo.mentions])
        if analysis.motion_text:
            t = analysis.motion_text
            _insert(con, "motion_texts", [(doc.doc_id, t.movers, t.cs, t.considerations, t.dictum)])
        _insert(con, "commitments", [
            (doc.doc_id, i, c.actor, c.kind, c.text, c.deadline_text, c.deadline, doc.page_at(c.start),
             _passage_at(passages, c.start), c.start, c.end, c.deadline_basis) for i, c in enumerate(analysis.commitments)])
        _insert(con, "passages", [
            (doc.doc_id, p.seq, passage_id(doc.doc_id, p.seq), p.kind, p.footnote, p.page, p.heading, p.text, p.start, p.end,
             p.terms, p.text_hash, p.embedding, p.glossary, p.anchor_seq, sentence_blob(p.sentence_embeddings),
             p.answer_seqs)
            for p in passages])


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    if rows:
        con.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)


def _passage_at(passages: list[Passage], offset: int) -> int | None:
    for p in passages:
        if p.kind != "footnote" and p.start <= offset < p.end:
            return p.seq
    return None


def _passage_of_citation(passages: list[Passage], c) -> int | None:
    """A footnote's citation lives in that footnote's passage; offsets are then into the footnote text."""
    if c.footnote is None:
        return _passage_at(passages, c.start)
    return next((p.seq for p in passages if p.footnote == c.footnote), None)


def relations(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, 'table' | 'view') of every relation in the main schema."""
    return [(n, "view" if t == "VIEW" else "table") for n, t in con.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main' "
        "ORDER BY table_type, table_name").fetchall()]


EXPORT_MANIFEST = "kst-export.json"


EXPORT_FORMATS = ("parquet", "csv")


def export(con: duckdb.DuckDBPyConnection, out: Path, fmt: str = "parquet") -> list[Path]:
    """Every table and view as NAME.parquet (or NAME.csv) in `out`. A file there that an earlier export did not write
    (`kst-export.json` lists those) is never overwritten: the export is refused before it writes anything."""
    if out.exists() and not out.is_dir():
        raise DatabaseError(f"{out} is a file, not a folder; give a folder to export to")
    manifest = out / EXPORT_MANIFEST
    ours = set(json.loads(manifest.read_text(encoding="utf-8"))) if manifest.is_file() else set()
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"format must be one of {', '.join(EXPORT_FORMATS)}")
    names = [name for name, _ in relations(con)]
    foreign = [f"{n}.{fmt}" for n in names if (out / f"{n}.{fmt}").exists() and f"{n}.{fmt}" not in ours]
    if foreign:
        raise DatabaseError(f"{out / foreign[0]} exists and was not written by kst export; "
                            "export to another folder or move it away")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in names:
        path = out / f"{name}.{fmt}"
        con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{str(path).replace(chr(39), chr(39) * 2)}' (FORMAT {fmt})")
        written.append(path)
    manifest.write_text(json.dumps(sorted(ours | {p.name for p in written}), indent=1), encoding="utf-8")
    return written


def record_error(con: duckdb.DuckDBPyConnection, path: str, sha: str | None, stage: str, error: str) -> None:
    con.execute("INSERT INTO ingest_errors VALUES (?,?,?,?,?)", [path, sha, stage, error, dt.datetime.now()])
