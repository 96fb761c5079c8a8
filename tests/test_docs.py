"""Every example in README.md and docs/schema.md runs: the SQL against a real database, the library
example in a folder of its own, the command lines through `kst`, and the synopsis against `--help`."""
from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT
from pipeline import store

README = ROOT / "README.md"
SCHEMA = ROOT / "docs" / "schema.md"
KST = Path(sys.executable).parent / "kst"


def blocks(source: Path | str, lang: str) -> list[str]:
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    return re.findall(rf"^\s*```{lang}\n(.*?)^\s*```", text, flags=re.M | re.S)


def section(path: Path, heading: str) -> str:
    text = path.read_text(encoding="utf-8")
    return text[text.index(heading):].split("\n## ", 1)[0]


SQL = [(p.name, i, b) for p in (README, SCHEMA) for i, b in enumerate(blocks(p, "sql"))]


def test_there_are_examples_to_run():
    assert len(SQL) > 20 and len(blocks(README, "python")) == 1


@pytest.mark.parametrize("name, i, sql", SQL, ids=[f"{n}-{i}" for n, i, _ in SQL])
def test_sql_example_runs(corpus_db, name, i, sql):
    con = store.connect(corpus_db, read_only=True)
    doc_id = con.execute("SELECT doc_id FROM documents WHERE source_path LIKE '%hwbp-voortgang.pdf'").fetchone()[0]
    for statement in filter(str.strip, sql.split(";")):
        con.execute(statement, [doc_id] * statement.count("?")).fetchall()


def test_library_example_runs(tmp_path, monkeypatch):
    shutil.copy(CORPUS / "2025-03-12_hwbp-voortgang.pdf", tmp_path / "brief.pdf")
    (tmp_path / "inbox").mkdir()
    shutil.copy(CORPUS / "2024-06-20_lerarentekort-voortgang.txt", tmp_path / "inbox")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(blocks(README, "python")[0], scope)  # noqa: S102 (our own README)
    assert scope["doc"].blocks and scope["found"].commitments and scope["hits"]


def synopsis() -> list[list[str]]:
    text = blocks(section(README, "## Command line"), "sh")[0]
    lines = re.sub(r"\n\s+\[", " [", text).splitlines()  # continuation lines
    return [shlex.split(line.split("#")[0]) for line in lines if line.startswith("kst ")]


@pytest.mark.parametrize("words", synopsis(), ids=lambda w: w[1])
def test_synopsis_matches_help(words):
    help_text = subprocess.run([str(KST), words[1], "--help"], capture_output=True, text=True,
                               env={"COLUMNS": "200", "PATH": ""}).stdout
    for option in re.findall(r"--[a-z-]+", " ".join(words)):
        assert option in help_text, f"kst {words[1]}: {option} is in the README, not in --help"


def examples() -> list[list[str]]:
    text = blocks(section(README, "## Command line"), "sh")[1]
    return [shlex.split(line) for line in text.splitlines() if line.startswith("kst ")]


def test_every_command_of_the_readme_is_shown_by_example():
    assert {w[1] for w in examples()} >= {"ingest", "search", "commitments", "motions", "show", "export"}


@pytest.mark.parametrize("words", examples(), ids=lambda w: w[1])
def test_command_example_runs(corpus_db, tmp_path, words):
    db = tmp_path / "kamerstukken.duckdb"
    shutil.copy(corpus_db, db)
    shutil.copytree(f"{corpus_db}.index", f"{db}.index")  # the search index beside it
    args = [str(db) if w == "data/kamerstukken.duckdb" else str(tmp_path / w[5:]) if w.startswith("data/") else
            str(ROOT / w) if w == "corpus" else w for w in words[1:]]
    run = subprocess.run([str(KST), *args], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() and "no results" not in run.stdout
