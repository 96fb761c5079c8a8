"""The DuckDB file lock between real processes: a writer waits (bounded, saying so) for readers to let
go, a reader is told in one line who writes; with --wait it waits. No traceback, nothing lost."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS

KST = Path(sys.executable).parent / "kst"
LETTER = "2024-06-20_lerarentekort-voortgang.txt"


def kst(*args: str, **env: str) -> subprocess.CompletedProcess:
    import os
    return subprocess.run([str(KST), *args], capture_output=True, text=True, timeout=600, env={**os.environ, **env})


def hold(db: Path, read_only: bool, seconds: float) -> subprocess.Popen:
    """Another process with the database open, for `seconds`; returns once it holds the file."""
    proc = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; "
                             "c = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'r'); print('held', flush=True); "
                             "time.sleep(float(sys.argv[3])); c.close()", str(db), "r" if read_only else "w",
                             str(seconds)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    box = tmp_path_factory.mktemp("inbox")
    shutil.copy(CORPUS / LETTER, box / LETTER)
    path = tmp_path_factory.mktemp("db") / "k.duckdb"
    run = kst("ingest", str(box), "--db", str(path))
    assert run.returncode == 0, run.stderr[-2000:]
    return path, box


def one_line(run: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1, run.stderr
    return run.stderr.strip()


def test_a_reader_is_told_who_writes_in_one_line(db):
    path, _ = db
    writer = hold(path, read_only=False, seconds=60)
    try:
        run = kst("search", "lerarentekort", "--db", str(path), "--mode", "keyword")
        assert run.returncode == 2
        assert f"is being written by another process (PID {writer.pid}); try again when it is done, or use " \
               "--wait SECONDS" in one_line(run)
        for command in (("stats",), ("commitments",), ("show", LETTER), ("export", str(path.parent / "x"))):
            assert kst(*command, "--db", str(path)).returncode == 2, command
    finally:
        writer.kill()
        writer.wait()


def test_a_reader_with_wait_gets_its_answer_once_the_writer_is_done(db):
    path, _ = db
    writer = hold(path, read_only=False, seconds=2)
    run = kst("search", "lerarentekort", "--db", str(path), "--mode", "keyword", "--json", "--wait", "60")
    writer.wait()
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)
    assert f"note {path} is in use by another process (PID {writer.pid}); waiting up to 60 s" in \
           " ".join(run.stderr.split())


def test_a_writer_waits_for_a_reader_then_stores_everything(db, tmp_path):
    path, box = db
    (box / "tweede.txt").write_text("Geachte voorzitter,\n\nVoor de zomer stuur ik u de evaluatie van de regeling.\n",
                                    encoding="utf-8")
    reader = hold(path, read_only=True, seconds=10)  # longer than kst's start on a busy machine
    run = kst("ingest", str(box), "--db", str(path))
    reader.wait()
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"(PID {reader.pid}); waiting up to 120 s" in " ".join(run.stderr.split())
    assert "documents: 1 new, 0 changed, 1 unchanged, 0 failed" in run.stdout
    (box / "tweede.txt").unlink()


def test_a_writer_gives_up_after_its_wait_in_one_line_and_leaves_the_database_as_it_was(db):
    path, box = db
    before = path.read_bytes()
    (box / "derde.txt").write_text("Geachte voorzitter,\n\nIn het najaar informeer ik u over de voortgang.\n",
                                   encoding="utf-8")
    reader = hold(path, read_only=True, seconds=60)
    try:
        run = kst("ingest", str(box), "--db", str(path), "--wait", "1")
        assert run.returncode == 2
        assert f"is in use by another process (PID {reader.pid}); try again when it is done, or use --wait " \
               "SECONDS (waited 1 s)" in " ".join(run.stderr.split())
        assert "Traceback" not in run.stderr
    finally:
        reader.kill()
        reader.wait()
        (box / "derde.txt").unlink()
    assert path.read_bytes() == before
    run = kst("search", "lerarentekort", "--db", str(path), "--mode", "keyword", "--json")
    assert run.returncode == 0 and json.loads(run.stdout)
