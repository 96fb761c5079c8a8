"""`kst serve` end to end, as the README has it: a local Prefect server, the flow served on a short
schedule, scheduled runs that complete with their artifact, and a run that finds the database held by
another process skipped with a message. No two runs of the deployment ever overlap."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import CORPUS
from test_lock import hold

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(url: str, path: str, body: dict | None = None):
    req = urllib.request.Request(f"{url}{path}", data=json.dumps(body or {}).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def until(what, seconds: float, step: float = 1.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := what():
            return found
        time.sleep(step)
    return None


def stop(proc: subprocess.Popen) -> None:
    with_group = os.getpgid(proc.pid)
    os.killpg(with_group, signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(with_group, signal.SIGKILL)
        proc.wait()


@pytest.fixture()
def server(tmp_path):
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    log = open(tmp_path / "server.log", "w")
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"

    def healthy():
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    try:
        assert until(healthy, 180), (tmp_path / "server.log").read_text()[-3000:]
        yield url, env
    finally:
        stop(proc)
        log.close()


def test_scheduled_runs_complete_and_a_busy_database_skips_a_run(server, tmp_path):
    url, env = server
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(CORPUS / "2024-06-20_lerarentekort-voortgang.txt", inbox)
    db = tmp_path / "k.duckdb"
    subprocess.run([str(BIN / "kst"), "stats", "--db", str(db)], capture_output=True)  # nothing there yet
    import duckdb
    duckdb.connect(str(db)).close()  # an empty database, so that a reader can hold it
    reader = hold(db, read_only=True, seconds=600)  # a notebook has the database open
    log = open(tmp_path / "serve.log", "w")
    serve = subprocess.Popen([str(BIN / "kst"), "serve", "--inbox", str(inbox), "--interval", "5", "--db", str(db)],
                             env={**env, "PREFECT_API_URL": url}, stdout=log, stderr=subprocess.STDOUT,
                             start_new_session=True)
    try:
        def runs():
            return api(url, "/flow_runs/filter", {"sort": "EXPECTED_START_TIME_ASC"})

        def final(name: str):
            return [r for r in runs() if r["state"] and r["state"]["name"] == name]

        skipped = until(lambda: final("Skipped"), 240)
        assert skipped, (tmp_path / "serve.log").read_text()[-3000:]
        assert f"skipped: {db} is in use by another process (PID {reader.pid})" in skipped[0]["state"]["message"]
        reader.kill()
        reader.wait()
        completed = until(lambda: final("Completed"), 300)
        assert completed, (tmp_path / "serve.log").read_text()[-3000:]
        artifacts = api(url, "/artifacts/filter", {"artifacts": {"key": {"any_": ["kst-ingest-summary"]}}})
        summaries = [a["data"] for a in artifacts]
        assert any(s.startswith("skipped: ") for s in summaries)
        assert any("| 1 | 0 | 0 |" in s for s in summaries), summaries  # new | changed | unchanged
        # one run at a time: the runs that ran never overlap; a run due while another ran was cancelled, saying why
        everything = runs()
        ran = sorted((r["start_time"], r["end_time"]) for r in everything
                     if r["state"]["name"] in ("Completed", "Skipped") and r["end_time"])
        assert all(end <= nxt for (_, end), (nxt, _) in zip(ran, ran[1:])), ran
        long_run = next((r["start_time"], r["end_time"]) for r in everything if r["state"]["name"] == "Completed")
        overlapping = [r for r in everything if r["state"]["name"] == "Cancelled"
                       and long_run[0] <= r["expected_start_time"] <= long_run[1]]
        assert overlapping and all(r["state"]["message"] == "Deployment concurrency limit reached."
                                   for r in overlapping), everything
    finally:
        stop(serve)
        log.close()
        if reader.poll() is None:
            reader.kill()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
