"""The search notebook runs top to bottom against a database, shows its plots inline, saves them, and is
stored without outputs."""
from __future__ import annotations

import nbformat
from nbclient import NotebookClient

from conftest import ROOT

NOTEBOOK = ROOT / "notebooks" / "semantic_search.ipynb"


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and not c.get("execution_count") for c in nb.cells if c.cell_type == "code")


PLOTS = ("commitments_per_month.png", "open_commitments.png", "topics.png")


def test_notebook_runs(corpus_db, monkeypatch, tmp_path):
    monkeypatch.setenv("KST_DB", str(corpus_db))
    monkeypatch.setenv("KST_FIGURES", str(tmp_path))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("open commitments with a deadline" in o.get("text", "") for o in outputs)
    images = [o for o in outputs if o.output_type == "display_data" and "image/png" in o.get("data", {})]
    assert len(images) == len(PLOTS), "every plot is shown inline"
    for name in PLOTS:
        assert (tmp_path / name).stat().st_size > 10_000, name
