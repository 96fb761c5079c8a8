"""docs/schema.md describes every relation in the database, and every column of it."""
from __future__ import annotations

import re

from conftest import ROOT
from pipeline import store


def documented() -> dict[str, str]:
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z_]+)`\s*$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def test_every_relation_is_documented(corpus_db):
    con = store.connect(corpus_db, read_only=True)
    missing = {name for name, _ in store.relations(con)} - set(documented())
    assert not missing, f"not in docs/schema.md: {sorted(missing)}"


def test_every_column_is_documented(corpus_db):
    con = store.connect(corpus_db, read_only=True)
    docs = documented()
    for name, _ in store.relations(con):
        for column, *_ in con.execute(f'DESCRIBE "{name}"').fetchall():
            assert f"| `{column}` |" in docs[name], f"{name}.{column} is not in docs/schema.md"


def test_documented_relations_exist(corpus_db):
    con = store.connect(corpus_db, read_only=True)
    assert set(documented()) <= {name for name, _ in store.relations(con)}


def test_every_section_has_an_example_query():
    for name, body in documented().items():
        assert "```sql" in body, name
