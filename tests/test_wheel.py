"""The built wheel works outside the checkout: rules load as package data, `kst ingest` stores a letter."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv

from conftest import CORPUS, ROOT


def test_the_wheel_works_from_a_clean_virtualenv(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # nothing of the checkout, its egg-info too
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(dist)], check=True, capture_output=True)
    wheel = next(dist.glob("kamerstukken-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    py = env_dir / "bin" / "python"
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          env=env, capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
                   env=env, check=True, capture_output=True)
    # The dependencies come from this environment's site-packages, added (after the install, so that pip
    # does not take the checkout's editable install for this wheel) as a plain path: its .pth files, that
    # editable install among them, are not run.
    with open(f"{site}/deps.pth", "w", encoding="utf-8") as fh:
        fh.write(sysconfig.get_paths()["purelib"] + "\n")
    work = tmp_path / "elsewhere"
    work.mkdir()
    probe = ("import json, pipeline, models; from pipeline.citations import find_citations; "
             "from pipeline.rules import SHAPES, load; [load(n) for n in SHAPES]; "
             "print(json.dumps([pipeline.__file__, models.__file__, "
             "[c.citation_id for c in find_citations('Kamerstuk 31 765, nr. 884')]]))")
    out = subprocess.run([str(py), "-c", probe], cwd=work, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    lib, data, ids = json.loads(out.stdout)
    assert lib.startswith(site) and data.startswith(site) and ids == ["31765-884"]
    run = subprocess.run([str(env_dir / "bin" / "kst"), "ingest", str(CORPUS / "2025-04-17_natuurherstel-stikstof.txt"),
                          "--db", str(work / "k.duckdb")], cwd=work, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "1 new" in run.stdout
