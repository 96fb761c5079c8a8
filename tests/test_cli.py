"""The kst command line, through the Prefect flow in ephemeral mode (no server)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS

KST = Path(sys.executable).parent / "kst"


def kst(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(KST), *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    box = tmp_path_factory.mktemp("inbox")
    for name in ("2025-03-12_hwbp-voortgang.pdf", "2024-06-20_lerarentekort-voortgang.txt", "manifest.json"):
        shutil.copy(CORPUS / name, box / name)
    (box / "leeg.txt").write_bytes(b"")
    db = tmp_path_factory.mktemp("db") / "k.duckdb"
    return db, box, kst("ingest", str(box), "--db", str(db))


def test_ingest_summary_and_exit_code(ingested):
    _, _, run = ingested
    assert run.returncode == 1, run.stderr[-2000:]
    assert "documents: 2 new, 0 changed, 0 unchanged, 1 failed" in run.stdout
    assert "leeg.txt: read: empty file" in run.stdout.replace("\n", " ")


def test_second_ingest_is_unchanged(ingested):
    db, box, _ = ingested
    (box / "leeg.txt").unlink()
    run = kst("ingest", str(box), "--db", str(db))
    assert run.returncode == 0, run.stderr[-2000:]
    assert "documents: 0 new, 0 changed, 2 unchanged, 0 failed" in run.stdout


def test_an_unchanged_folder_starts_neither_prefect_nor_spacy(ingested):
    db, box, _ = ingested
    probe = ("import sys\nfrom kst.cli import main\nsys.argv = ['kst', 'ingest', sys.argv[1], '--db', sys.argv[2]]\n"
             "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
             "print(code, sorted(m for m in ('prefect', 'spacy', 'torch') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", probe, str(box), str(db)], capture_output=True, text=True, timeout=300)
    assert run.stdout.splitlines()[-1] == "0 []", run.stdout + run.stderr[-2000:]
    assert "0 new, 0 changed, 2 unchanged" in run.stdout


def test_search_json_contract(ingested):
    db, _, _ = ingested
    run = kst("search", "regionale aanpak lerarentekort", "--db", str(db), "--limit", "3", "--json")
    assert run.returncode == 0, run.stderr[-2000:]
    hits = json.loads(run.stdout)
    assert 0 < len(hits) <= 3
    for key in ("doc_id", "source_path", "title", "doc_date", "page", "text", "score"):
        assert key in hits[0]
    assert hits[0]["doc_date"] == "2024-06-20"


def test_stats(ingested):
    db, _, _ = ingested
    run = kst("stats", "--db", str(db))
    assert run.returncode == 0 and "commitments" in run.stdout and "brief" in run.stdout


def test_bad_mode_and_missing_db(tmp_path):
    assert kst("search", "x", "--db", str(tmp_path / "geen.duckdb")).returncode == 2
    assert kst("search", "x", "--mode", "fuzzy", "--db", str(tmp_path / "geen.duckdb")).returncode == 2


def test_a_suspect_document_is_named_and_stored(tmp_path):
    """Stored, but named: a note the text lost (the check's figures are in document_checks)."""
    (tmp_path / "brief.txt").write_text(
        "Geachte voorzitter,\nIk stuur u voor de zomer de evaluatie van de regeling.1 Daarna volgt het besluit.3\n"
        "1 Kamerstuk 31 935, nr. 80.\n3 Kamerstuk 31 935, nr. 81.\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    run = kst("ingest", str(tmp_path / "brief.txt"), "--db", str(db))
    assert run.returncode == 0, run.stderr[-2000:]
    out = " ".join(run.stdout.split())
    assert "documents: 1 new" in out and "suspect" in out and "brief.txt: footnote numbers missing: 2" in out


def test_search_prints_titles_marked_words_and_says_when_nothing_is_found(ingested):
    db, _, _ = ingested
    run = kst("search", "regionale aanpak lerarentekort", "--db", str(db), "--limit", "2", "--mode", "keyword")
    assert run.returncode == 0, run.stderr[-2000:]
    first = run.stdout.splitlines()[0]
    assert first.startswith("1. Voortgang aanpak lerarentekort · 2024-06-20 · p. 1")
    run = kst("search", "xyzzyqwerty", "--db", str(db), "--mode", "keyword")
    assert run.returncode == 0 and run.stdout.strip() == "no results for 'xyzzyqwerty' (keyword)"


@pytest.mark.parametrize("args, message", [
    (("search", "x", "--type", "brieven"), "--type 'brieven' is not in the database; it holds: brief"),
    (("search", "x", "--doc", "geen.pdf"), "no paper 'geen.pdf' in the database"),
    (("search", "x", "--from", "2025-13-01"), "--from '2025-13-01' is not a date; write YYYY-MM-DD"),
    (("search", "x", "--limit", "0"), "Invalid value for '--limit'"),
    (("search", "x", "--mode", "fuzzy"), "'fuzzy' is not one of 'hybrid', 'keyword', 'semantic'"),
    (("motions", "--disposition", "weg"), "'weg' is not one of 'afgedaan', 'uitgevoerd', 'genoemd'"),
    (("commitments", "--ministry", "Ministerie van Nergens"), "--ministry 'Ministerie van Nergens' is not in"),
    (("export", "out", "--format", "xml"), "'xml' is not one of 'parquet', 'csv'"),
    (("ingest", "x", "--task-runner", "ray"), "'ray' is not one of 'default', 'dask'"),
    (("show", "nergens"), "no paper 'nergens' in the database"),
    (("nosuchcommand",), "No such command 'nosuchcommand'"),
])
def test_every_error_is_one_line_with_exit_status_2(ingested, args, message):
    db, _, _ = ingested
    run = kst(*args, "--db", str(db))
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1 and message in run.stderr and "Traceback" not in run.stderr, run.stderr


def test_a_memory_limit_duckdb_cannot_read_is_one_line(ingested, monkeypatch):
    db, _, _ = ingested
    monkeypatch.setenv("KST_MEMORY", "veel")
    run = kst("stats", "--db", str(db))
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "KST_MEMORY=veel is not a memory limit DuckDB reads" in run.stderr


@pytest.mark.parametrize("command", ["ingest", "serve", "search", "commitments", "motions", "show", "web",
                                     "export", "stats"])
def test_every_help_has_an_example(command):
    run = kst(command, "--help")
    assert run.returncode == 0 and "Examples:" in run.stdout and f"kst {command}" in run.stdout.split("Examples:")[1]


def test_commitments_and_motions_answer_without_sql(ingested):
    db, _, _ = ingested
    run = kst("commitments", "--overdue", "--as-of", "2025-10-01", "--json", "--db", str(db))
    rows = json.loads(run.stdout)
    assert rows and all(r["days_overdue"] > 0 and not r["kept"] for r in rows)
    assert [r["deadline"] for r in rows] == sorted(r["deadline"] for r in rows)
    assert any(r["text"].startswith("Daarnaast stuur ik uw Kamer voor 1 juni 2025") for r in rows)
    later = json.loads(kst("commitments", "--open", "--as-of", "2024-01-01", "--json", "--db", str(db)).stdout)
    assert len(later) >= len(rows) and all(r["days_overdue"] is None for r in later)
    motions = json.loads(kst("motions", "--disposition", "afgedaan", "--json", "--db", str(db)).stdout)
    assert motions and {m["disposition"] for m in motions} == {"afgedaan"}
    assert "27625-655" in {m["ref"] for m in motions}
    table = kst("commitments", "--db", str(db))
    assert table.returncode == 0 and "commitments" in table.stdout and "promise" in table.stdout


def test_show_names_the_paper_and_its_findings(ingested, tmp_path):
    db, _, _ = ingested
    run = kst("show", "2025-03-12_hwbp-voortgang.pdf", "--db", str(db))
    assert run.returncode == 0, run.stderr
    out = " ".join(run.stdout.split())
    assert "title Voortgang Hoogwaterbeschermingsprogramma en afhandeling moties" in out
    assert "due 2025-05-31: Daarnaast stuur ik uw Kamer voor 1 juni 2025" in out
    assert "afgedaan: 27625-655" in out and "36410-XII-41" in out
    page = tmp_path / "p.html"
    assert kst("show", "2025-03-12_hwbp-voortgang.pdf", "--html", str(page), "--db", str(db)).returncode == 0
    assert "commitment · due 2025-05-31" in page.read_text(encoding="utf-8")


def test_export_csv(ingested, tmp_path):
    db, _, _ = ingested
    run = kst("export", str(tmp_path / "out"), "--format", "csv", "--db", str(db))
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "out" / "commitments.csv").read_text(encoding="utf-8").startswith("doc_id,seq,actor,kind")


def test_an_encoder_not_on_this_machine_is_one_line(tmp_path):
    (tmp_path / "brief.txt").write_text("Geachte voorzitter,\n\nIn het najaar informeer ik u.\n", encoding="utf-8")
    run = kst("ingest", str(tmp_path / "brief.txt"), "--db", str(tmp_path / "k.duckdb"), "--model", "nergens/geen-model")
    assert run.returncode == 2 and run.stderr.count("\n") == 1, run.stderr
    assert "encoder 'nergens/geen-model' is not on this machine" in run.stderr
