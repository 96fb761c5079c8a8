"""Ingest as plain functions: discover files, prepare each (extract, segment), store it.

Prefect (flows/ingest.py) is a thin layer over these; tests call them directly.
"""
from __future__ import annotations

import contextlib
import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from . import store
from .config import config
from .deadlines import calendar_end
from .embed import Embedder
from .errors import IngestError
from .extract import SUPPORTED, extract, read_bytes, sha256
from .model import Analysis, Document, Passage
from .passages import make_passages, readable, text_hash
from .index import SearchIndex
from .search import update_index
from .links import store_links
from .timelimit import TimedPreparer
from .topics import store_topics

SIDECARS = ("manifest.json",)
# what decides the stored facts besides our own code and rules
LIBRARIES = ("pdfplumber", "pdfminer.six", "spacy", "spacy-lookups-data")
NOT_DATA_PATH = {"cli.py", "__init__.py", "__main__.py"}  # a CLI change must not re-extract the archive


@lru_cache(maxsize=1)
def pipeline_version() -> str:
    """Changes whenever extraction or segmentation code, rules or the libraries they use change:
    a re-run then re-processes."""
    h = hashlib.sha256()
    files = [f for pkg in ("pipeline", "models") for f in resources.files(pkg).iterdir()
             if f.is_file() and f.name not in NOT_DATA_PATH and not f.name.endswith((".pyc", ".sql"))]
    for f in sorted(files, key=lambda f: (f.parent.name, f.name)):
        h.update(f.name.encode())
        h.update(f.read_bytes())
    for lib in LIBRARIES:
        h.update(f"{lib}=={metadata.version(lib)}".encode())
    return h.hexdigest()[:12]


@dataclass
class Outcome:
    path: str
    status: str  # new | changed | unchanged | moved | failed | skipped | missing | pruned
    doc_id: str | None = None
    stage: str | None = None
    error: str | None = None
    counts: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # from the conservation check: stored, but suspect
    notes: list[str] = field(default_factory=list)  # what the user should know, said once per run (Summary.notes)


@dataclass(frozen=True)
class Job:
    """One file to prepare: its content hash (the flow's cache key) and the text hashes of passages the
    database already embedded in the version it replaces, which a Dask worker need not embed again."""
    path: str
    sha: str
    embedded: frozenset[str] = frozenset()


@dataclass
class Prepared:
    path: str
    document: Document
    analysis: Analysis
    passages: list[Passage] | None = None  # made (and mostly embedded) on a Dask worker, else by the writer


def is_sidecar(path: Path) -> bool:
    return path.name in SIDECARS or path.name.endswith(".meta.json")


def discover(paths: list[str | Path]) -> tuple[list[Path], list[Outcome]]:
    """Files to ingest, and outcomes for what cannot be (missing paths, unsupported files)."""
    files: list[Path] = []
    early: list[Outcome] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            for f in sorted(x for x in p.rglob("*") if x.is_file() or x.is_symlink() and not x.exists()):
                if is_sidecar(f) or f.name.startswith("."):
                    continue
                if f.suffix.lower() in SUPPORTED:
                    files.append(f.resolve() if f.exists() else f.absolute())  # a dead link fails when read
                else:
                    early.append(Outcome(str(f.resolve()), "skipped", error=f"not .pdf or .txt ({f.suffix or 'no extension'})"))
        elif (p.is_file() or p.is_symlink()) and p.suffix.lower() in SUPPORTED:
            files.append(p.resolve() if p.exists() else p.absolute())
        elif p.is_file():
            early.append(Outcome(str(p.resolve()), "failed", stage="read",
                                 error=f"unsupported file type {p.suffix or '(none)'}: expected .pdf or .txt"))
        else:
            early.append(Outcome(str(p.absolute()), "failed", stage="read", error="no such file or folder"))
    return list(dict.fromkeys(files)), early


def prepare(path: str | Path) -> Prepared:
    """Extract and segment one file: pure, no database. Raises IngestError."""
    from .segment import analyse  # here: spaCy (and torch under it) costs seconds, and an unchanged run needs none

    p = Path(path)
    document = extract(p)
    try:
        analysis = analyse(document)
    except IngestError:
        raise
    except Exception as exc:  # a rule that breaks on odd text must not stop the batch
        raise IngestError("segment", f"{type(exc).__name__}: {exc}") from exc
    return Prepared(str(p), document, analysis)


def passages_of(doc: Document, embedder: Embedder) -> list[Passage]:
    return make_passages(doc, embedder.count_tokens, min(embedder.max_tokens, config().passage_tokens),
                         embedder.max_tokens, config().search["sentence_vectors"])


def _texts(passages: list[Passage]) -> dict[str, str]:
    """Every text the encoder reads of these passages, by its hash (the embedding cache's key)."""
    return {**{p.text_hash: p.embed_text for p in passages},
            **{text_hash(t): t for p in passages for t in p.sentence_texts}}


def _fill(passages: list[Passage], vectors: dict[str, list[float]]) -> None:
    for p in passages:
        p.embedding = vectors[p.text_hash]
        p.sentence_embeddings = [vectors[text_hash(t)] for t in p.sentence_texts]


def embed_prepared(prepared: Prepared, embedder: Embedder, embedded: frozenset[str] = frozenset()) -> Prepared:
    """Passages with embeddings, without the database: for Dask workers. Passages whose text is in
    `embedded` are left to the writer, which has them in its cache."""
    passages = passages_of(prepared.document, embedder)
    todo = [p for p in passages if p.text_hash not in embedded]
    texts = _texts(todo)
    _fill(todo, dict(zip(texts, embedder.encode(list(texts.values()), kind="passage"))))
    prepared.passages = passages
    return prepared


def embed_passages(con: duckdb.DuckDBPyConnection, passages: list[Passage], embedder: Embedder) -> int:
    """Fill in the embeddings of passages and their sentences, from the cache where this model already
    embedded the same text, and cache what is new (passages embedded elsewhere included); returns how many
    texts were embedded here."""
    texts = _texts(passages)
    cached: dict[str, list[float]] = {}
    for start in range(0, len(texts), 1000):
        hashes = list(texts)[start:start + 1000]
        cached.update(con.execute("SELECT text_hash, embedding FROM embedding_cache WHERE model = ? AND text_hash IN "
                                  f"({','.join('?' * len(hashes))})", [embedder.name, *hashes]).fetchall())
    fresh = {}
    for p in passages:
        if p.embedding is not None:
            fresh.update(zip([p.text_hash, *map(text_hash, p.sentence_texts)], [p.embedding, *(p.sentence_embeddings or [])]))
    todo = {h: t for h, t in texts.items() if h not in cached and h not in fresh}
    fresh.update(zip(todo, embedder.encode(list(todo.values()), kind="passage")))
    fresh = {h: v for h, v in fresh.items() if h not in cached}
    if fresh:
        con.executemany("INSERT OR IGNORE INTO embedding_cache VALUES (?, ?, ?)",
                        [(h, embedder.name, v) for h, v in fresh.items()])
    _fill(passages, {**cached, **fresh})
    return len(todo)


def embedded_texts(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> frozenset[str]:
    """Text hashes of the stored passages of these documents (embedded with the database's model)."""
    if not doc_ids:
        return frozenset()
    return frozenset(h for (h,) in con.execute(
        f"SELECT DISTINCT text_hash FROM passages WHERE doc_id IN ({','.join('?' * len(doc_ids))})", doc_ids).fetchall())


def status_of(con: duckdb.DuckDBPyConnection, path: Path, sha: str) -> tuple[str, list[str]]:
    """'unchanged', 'changed', 'new' or 'moved' (the same bytes stored under a name that is gone: a rename)
    for a file, and the doc_ids a store would replace (for 'moved', the document that moves)."""
    rows = store.known(con, str(path))
    version = pipeline_version()
    if any(r.sha256 == sha and r.pipeline_version == version for r in rows):
        return "unchanged", []
    same = con.execute("SELECT source_path, doc_id FROM documents WHERE sha256 = ? AND pipeline_version = ?",
                       [sha, version]).fetchone()
    if same and not rows:
        # the same bytes under another name: a copy stays stored once; a rename keeps its document
        return ("unchanged", []) if Path(same[0]).exists() else ("moved", [same[1]])
    return ("changed" if rows else "new"), [r.doc_id for r in rows]


def needs_preparing(paths: list[str | Path], db: str | Path) -> bool:
    """Whether a file of `paths` is new or changed for `db`: a caller can leave its task machinery
    unstarted on a run with nothing to extract. A file that cannot be read needs no preparing: the
    batch records it."""
    if not Path(db).is_file():
        return True
    files, _ = discover(paths)
    con = store.connect(db, read_only=True, wait=config().wait)
    try:
        for f in files:
            try:
                sha = file_sha(f)
            except IngestError:
                continue
            if status_of(con, f, sha)[0] in ("new", "changed"):
                return True
        return False
    finally:
        con.close()


def save(con: duckdb.DuckDBPyConnection, prepared: Prepared, embedder: Embedder, status: str,
         replaces: list[str]) -> Outcome:
    doc, analysis = prepared.document, prepared.analysis
    passages = prepared.passages if prepared.passages is not None else passages_of(doc, embedder)
    embed_passages(con, passages, embedder)
    store.write_document(con, doc, analysis, passages, pipeline_version(), replaces)
    counts = {"passages": len(passages), "footnotes": len(doc.footnotes), "citations": len(analysis.citations),
              "motions": len(analysis.motions), "commitments": len(analysis.commitments)}
    notes = [f"dated past the recess calendar (ends {calendar_end()}): their recess deadlines are projected "
             "(deadline_basis 'projected'); add the recesses to models/recesses.csv"] \
        if doc.meta.date and doc.meta.date > calendar_end() else []
    return Outcome(prepared.path, status, doc.doc_id, counts=counts,
                   warnings=list(doc.checks.warnings) if doc.checks else [], notes=notes)


def fail(con: duckdb.DuckDBPyConnection, path: str, exc: BaseException, sha: str | None = None) -> Outcome:
    stage = exc.stage if isinstance(exc, IngestError) else "store"
    message = exc.message if isinstance(exc, IngestError) else f"{type(exc).__name__}: {exc}"
    store.record_error(con, path, sha, stage, message)
    return Outcome(path, "failed", stage=stage, error=message)


def file_sha(path: Path) -> str:
    return sha256(read_bytes(path))


def open_db(db: str | Path, embedder: Embedder) -> duckdb.DuckDBPyConnection:
    """Open the database for writing; passages embedded by another model are embedded again."""
    con = store.connect(db, wait=config().wait)
    recorded = store.embedding_model(con)
    # The model is loaded only when there is embedding to do: a re-run over unchanged files stays cheap.
    dim = recorded["dim"] if recorded and recorded["model"] == embedder.name else embedder.dim
    if store.ensure_passages(con, embedder.name, dim, embedder.backend_name):
        reembed_all(con, embedder)
    return con


def reembed_all(con: duckdb.DuckDBPyConnection, embedder: Embedder) -> int:
    rows = con.execute("SELECT p.doc_id, p.seq, d.title, p.heading, p.text, coalesce(p.glossary, '') FROM passages p "
                       "JOIN documents d USING (doc_id)").fetchall()
    passages = []
    for doc_id, seq, title, heading, text, glossary in rows:
        passages.append((doc_id, readable(Passage(seq, 0, heading, text, 0, 0, glossary=glossary), title,
                                          config().search["sentence_vectors"])))
    embed_passages(con, [p for _, p in passages], embedder)
    store.replace_embeddings(con, embedder.name, embedder.dim, embedder.backend_name,
                             {(doc_id, p.seq): (p.text_hash, p.embedding, p.sentence_embeddings) for doc_id, p in passages})
    return len(passages)


def derive(con: duckdb.DuckDBPyConnection) -> None:
    """What depends on the whole collection, recomputed after documents change (each part atomic;
    the stale mark goes when all are done, so that a run killed half-way is finished by the next)."""
    update_index(con)
    store_links(con)
    store_topics(con)
    store.mark_derived(con)


@dataclass
class Summary:
    outcomes: list[Outcome]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    def totals(self) -> dict:
        keys = ("passages", "footnotes", "citations", "motions", "commitments")
        return {k: sum(o.counts.get(k, 0) for o in self.outcomes) for k in keys}

    @property
    def ok(self) -> bool:
        return not self.count("failed")

    def notes(self) -> list[str]:
        counts = Counter(n for o in self.outcomes for n in o.notes)
        return [f"{k} document{'s' if k > 1 else ''} {note}" for note, k in counts.items()]


def safe_prepare(path: str | Path) -> Prepared | IngestError:
    """prepare() with bad input as a value, so a batch can go on."""
    try:
        return prepare(path)
    except IngestError as exc:
        return exc


def cache_dir(db: str | Path) -> Path:
    """Where the flow keeps prepared documents (Prefect result storage): `cache/` beside the database."""
    return Path(db).resolve().parent / "cache"


def time_limit() -> float:
    """Seconds one document may take to prepare ($KST_DOC_TIMEOUT; 0 turns the limit off)."""
    return config().doc_timeout


def vanished(con: duckdb.DuckDBPyConnection, paths: list[str | Path], files: list[Path]) -> list[tuple[str, str]]:
    """(doc_id, source_path) of stored documents under the given folders whose file is gone."""
    folders = [str(Path(p).resolve()) + "/" for p in paths if Path(p).is_dir()]
    present = {str(f) for f in files}
    return [(doc_id, path) for doc_id, path in con.execute("SELECT doc_id, source_path FROM documents").fetchall()
            if any(path.startswith(f) for f in folders) and path not in present and not Path(path).exists()]


def run_batch(paths: list[str | Path], db: str | Path, model: str | Embedder | None = None,
              prepare_many: Callable[[list[Job]], Iterable[Prepared | BaseException]] | None = None,
              on_outcome: Callable[[Outcome, int], None] | None = None, prune: bool = False) -> Summary:
    """Ingest files and folders into `db`: unchanged files are skipped, each document is stored in
    one transaction, a failure is recorded in ingest_errors and the batch goes on. Stored documents
    whose file left a given folder are reported as missing, and deleted with `prune`.

    `prepare_many` maps Jobs to prepared documents (or errors) in order: Prefect tasks, a Dask
    cluster or, by default, a worker process with a time limit per document.
    `on_outcome(outcome, total)` reports progress."""
    files, early = discover(paths)
    embedder = model if isinstance(model, Embedder) else Embedder(model)
    con = open_db(db, embedder)
    outcomes: list[Outcome] = []

    def report(o: Outcome) -> None:
        outcomes.append(o)
        if on_outcome:
            on_outcome(o, len(files) + len(early))

    try:
        for o in early:
            if o.status == "failed":
                store.record_error(con, o.path, None, o.stage or "read", o.error or "")
            report(o)
        todo: list[tuple[Job, str, list[str]]] = []  # job, status, doc_ids it replaces
        for f in files:
            try:
                sha = file_sha(f)
            except IngestError as exc:
                report(fail(con, str(f), exc))
                continue
            status, replaces = status_of(con, f, sha)
            if status == "unchanged":
                report(Outcome(str(f), "unchanged"))
            elif status == "moved":  # before anything is pruned, so that a renamed paper is never lost
                store.move_document(con, replaces[0], str(f))
                report(Outcome(str(f), "moved", replaces[0]))
            else:
                todo.append((Job(str(f), sha), status, replaces))
        with contextlib.ExitStack() as stack:
            if prepare_many is None:
                limit = time_limit()
                preparer = stack.enter_context(TimedPreparer(limit, safe_prepare)) if limit > 0 and todo else safe_prepare
                prepare_many = lambda jobs: (preparer(job.path) for job in jobs)  # noqa: E731
            else:  # a caller's preparer may embed (Dask workers): tell it what the stored versions hold
                todo = [(replace(job, embedded=embedded_texts(con, replaces)), status, replaces)
                        for job, status, replaces in todo]
            for (job, status, replaces), res in zip(todo, prepare_many([job for job, _, _ in todo])):
                if isinstance(res, BaseException):
                    report(fail(con, job.path, res, job.sha))
                    continue
                try:
                    report(save(con, res, embedder, status, replaces))
                except Exception as exc:  # a store failure is this document's, not the batch's
                    report(fail(con, job.path, exc, job.sha))
        for doc_id, path in vanished(con, paths, files):
            if prune:
                store.remove_document(con, doc_id)
            report(Outcome(path, "pruned" if prune else "missing", doc_id))
        if store.is_stale(con):
            derive(con)
        elif SearchIndex.open(con) is None:  # its folder deleted, or the database copied without it
            update_index(con)
    finally:
        con.close()
    return Summary(outcomes)
