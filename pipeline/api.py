"""The public verbs: read, analyse, ingest, search (see the package docstring).

They live here, not in the package itself, because the stages `pipeline.ingest` and
`pipeline.search` share their names."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

    from .embed import Embedder
    from .ingest import Summary
    from .model import Analysis, Document
    from .search import Filters, Hit

__all__ = ["read", "analyse", "ingest", "search"]


def read(path: str | Path) -> Document:
    """A .pdf or .txt file as a Document; bad input raises IngestError with a one-line reason."""
    from .extract import extract
    return extract(Path(path))


def analyse(document: Document) -> Analysis:
    """Citations, motions and commitments of a Document."""
    from .segment import analyse as run
    return run(document)


def ingest(paths: list[str | Path], db: str | Path, model: str | Embedder | None = None,
           prune: bool = False) -> Summary:
    """Files and folders into a DuckDB database: unchanged files are skipped, bad ones recorded."""
    from .ingest import run_batch
    return run_batch(paths, db, model, prune=prune)


def search(db: str | Path | duckdb.DuckDBPyConnection, query: str, mode: str = "hybrid", limit: int = 10,
           filters: Filters | None = None) -> list[Hit]:
    """Passages best first, from a database file (opened read-only) or an open connection."""
    from .search import search as run
    from .store import connect
    if isinstance(db, (str, Path)):
        con = connect(db, read_only=True)
        try:
            return run(con, query, mode, limit, filters)
        finally:
            con.close()
    return run(db, query, mode, limit, filters)
