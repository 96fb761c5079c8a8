"""Tune hybrid search's fusion on query sets, with the relevance rule of ../shared/eval/retrieval.py.

    python -m tools.tune_fusion DB QUERIES [DB QUERIES ...] [--tune N]

Each pair is a database and a query file (JSON lines: query, relevant: [{doc, contains}]).
The keyword and semantic lists are fetched once per query; every setting of the grid is then
ranked on the first N pairs (the development sets, default all): first by on how many of them
hybrid scores at least as well as keyword and semantic alone, then by mean MRR@10. Every pair is
reported, so that a held-out set shows whether the chosen weights carry.
"""
from __future__ import annotations

import argparse
import itertools
import json
import re
import sys
from pathlib import Path

from pipeline import search as S
from pipeline.embed import Embedder
from pipeline.index import SearchIndex
from pipeline.store import connect

GRID = {"fusion": ["spread", "scores", "ranks"], "rrf_k": [1, 5, 10, 15, 20, 60], "keyword_weight": [1.0],
        "semantic_weight": [0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 8.0], "footnote_weight": [0.25, 0.5, 1.0],
        "preamble_weight": [0.25, 0.5, 1.0]}


def grid():
    for values in itertools.product(*GRID.values()):
        cfg = dict(zip(GRID, values))
        if cfg["fusion"] == "ranks" or cfg["rrf_k"] == GRID["rrf_k"][0]:  # rrf_k counts for ranks only
            yield cfg


def fold(text: str) -> str:
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text or "")
    return re.sub(r"\s+", " ", text).casefold()


def lists(db: str, queries: list[dict], depth: int) -> list[dict]:
    """Per query: the citation, keyword and semantic rankings, and which passages are relevant."""
    con = connect(db, read_only=True)
    found = SearchIndex.open(con, S.settings()["vector_probe"])
    every = found.allowed(con, None, None, None, None)
    emb = Embedder(found.meta.model)
    vectors = emb.encode([q["query"] for q in queries], kind="query")
    rows = con.execute("SELECT p.passage_id, d.source_path, p.text FROM passages p JOIN documents d USING (doc_id)")
    passages = {pid: (Path(src).name, fold(text)) for pid, src, text in rows.fetchall()}
    kinds = dict(con.execute("SELECT passage_id, kind FROM passages WHERE kind <> 'body'").fetchall())

    def named(ranked: list[tuple[int, float]]) -> list[tuple[str, float]]:
        return [(found.passage_id(row), score) for row, score in ranked]

    out = []
    for q, vec in zip(queries, vectors):
        ids = S.citation_ids(q["query"])
        relevant = {pid for pid, (name, text) in passages.items()
                    if any(name == r["doc"] and fold(r["contains"]) in text for r in q["relevant"])}
        if not relevant:  # a mistyped `contains` would score as a miss of search's
            print(f"{db}: no passage holds what {q['query']!r} asks for ({q['relevant']}): "
                  "check the query file", file=sys.stderr)
        out.append({"query": q["query"], "relevant": relevant, "kinds": kinds,
                    "exact": S._citing(con, ids, "TRUE", [], depth) if ids else [],
                    "keyword": named(S._phrased(con, found, q["query"],
                                                S._keyword(found, S._terms(con, q["query"], found), depth, every))),
                    "semantic": named(found.nearest(vec, depth, every))})
    con.close()
    return out


def read_queries(path: str) -> list[dict]:
    """A query file: JSON lines of query and relevant ([{doc, contains}])."""
    return [json.loads(ln) for ln in Path(path).read_text(encoding="utf-8").splitlines() if ln.strip()]


def rank(entry: dict, ranked: list[tuple[str, float]]) -> int | None:
    seen = {pid for pid, _ in entry["exact"]}
    order = [pid for pid, _ in entry["exact"]] + [pid for pid, _ in ranked if pid not in seen]
    return next((i for i, pid in enumerate(order[:10], 1) if pid in entry["relevant"]), None)


def mrr(entries: list[dict], fuse) -> float:
    return sum(1 / r for e in entries if (r := rank(e, fuse(e)))) / len(entries)


def modes(cfg: dict) -> dict:
    weights = S.damping(cfg)

    def hybrid(e: dict) -> list[tuple[str, float]]:
        damped = {pid: weights[kind] for pid, kind in e["kinds"].items() if kind in weights}
        return S._fuse([(cfg["keyword_weight"], e["keyword"]), (cfg["semantic_weight"], e["semantic"])],
                       cfg["fusion"], cfg["rrf_k"], damped)

    return {"keyword": lambda e: e["keyword"], "semantic": lambda e: e["semantic"], "hybrid": hybrid}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="+", help="DB QUERIES [DB QUERIES ...]")
    ap.add_argument("--tune", type=int, default=None, help="tune on the first N pairs (default: all)")
    a = ap.parse_args()
    if len(a.pairs) % 2:
        ap.error("give databases and query files in pairs")
    depth = S.settings()["depth"]
    sets = []
    for db, qfile in zip(a.pairs[::2], a.pairs[1::2]):
        sets.append((Path(qfile).name, lists(db, read_queries(qfile), depth)))
    tune = sets[:a.tune or len(sets)]
    current = S.settings()
    print("current settings:", {k: current[k] for k in GRID})
    for name, entries in sets:
        print(f"  {name}: " + ", ".join(f"{m} {mrr(entries, f):.3f}" for m, f in modes(current).items()))
    single = [max(mrr(e, lambda x: x["keyword"]), mrr(e, lambda x: x["semantic"])) for _, e in tune]
    results = []
    for cfg in grid():
        scores = [mrr(e, modes(cfg)["hybrid"]) for _, e in tune]
        ahead = sum(h >= s - 1e-9 for h, s in zip(scores, single))
        results.append((ahead, sum(scores) / len(scores), cfg))
    results.sort(key=lambda r: (-r[0], -r[1]))
    print(f"best on {', '.join(n for n, _ in tune)} (sets where hybrid >= both single modes, mean hybrid MRR@10):")
    for ahead, score, cfg in results[:8]:
        per = ", ".join(f"{n} {mrr(e, modes(cfg)['hybrid']):.3f}" for n, e in sets)
        shown = {k: v for k, v in cfg.items() if k != "rrf_k" or cfg["fusion"] == "ranks"}
        print(f"  {ahead}/{len(tune)} {score:.3f}  {shown}  [{per}]")
    best = modes(results[0][2])
    print("queries not first under the best setting (keyword, semantic, hybrid rank):")
    for name, entries in sets:
        for e in entries:
            ranks = [rank(e, f(e)) for f in best.values()]
            if ranks[2] != 1:
                print(f"  {name}: {ranks}  {e['query']}")


if __name__ == "__main__":
    main()
