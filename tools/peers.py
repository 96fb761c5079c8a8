"""Search quality beside two plain keyword peers over the same passages, with the relevance rule of
../shared/eval/retrieval.py.

    python -m tools.peers DB QUERIES [DB QUERIES ...]

Per pair (a database and its query file) it prints MRR@10 of our keyword, semantic and hybrid search
(`tools.tune_fusion`, current settings) and of two peers that index each passage's heading and text as
they stand: SQLite FTS5 (unicode61 without diacritics, BM25, any of the query's words) and DuckDB fts
(`match_bm25` with its Dutch Snowball stemmer). The peers see the passages our search ranks, so a gap is
the search's and not the segmentation's.
"""
from __future__ import annotations

import argparse
import re
import sqlite3
from pathlib import Path

import duckdb

from pipeline import search as S
from pipeline.store import connect, load_extension
from tools.tune_fusion import lists, modes, mrr, read_queries

WORD = re.compile(r"\w+")


def passages(db: str) -> list[tuple[str, str]]:
    con = connect(db, read_only=True)
    rows = con.execute("SELECT passage_id, coalesce(heading, '') || ' ' || text FROM passages ORDER BY passage_id")
    out = rows.fetchall()
    con.close()
    return out


def fts5(rows: list[tuple[str, str]], queries: list[str], k: int = 10) -> list[list[str]]:
    con = sqlite3.connect(":memory:")
    con.execute("CREATE VIRTUAL TABLE p USING fts5(pid UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')")
    con.executemany("INSERT INTO p VALUES (?, ?)", rows)
    out = []
    for q in queries:
        words = " OR ".join(f'"{w}"' for w in WORD.findall(q))
        out.append([pid for (pid,) in con.execute(
            "SELECT pid FROM p WHERE p MATCH ? ORDER BY bm25(p) LIMIT ?", (words, k))] if words else [])
    return out


def duckdb_fts(rows: list[tuple[str, str]], queries: list[str], k: int = 10) -> list[list[str]]:
    con = duckdb.connect()
    load_extension(con, "fts")
    con.execute("CREATE TABLE p (pid VARCHAR, body VARCHAR)")
    con.executemany("INSERT INTO p VALUES (?, ?)", rows)
    con.execute("PRAGMA create_fts_index('p', 'pid', 'body', stemmer='dutch')")
    return [[pid for (pid,) in con.execute(
        "SELECT pid FROM (SELECT pid, fts_main_p.match_bm25(pid, ?) AS s FROM p) WHERE s IS NOT NULL "
        "ORDER BY s DESC, pid LIMIT ?", [q, k]).fetchall()] for q in queries]


def scores(db: str, queries: list[dict]) -> dict[str, float]:
    """MRR@10 of our three modes and of the two peers on one set."""
    cfg = S.settings()
    entries = lists(db, queries, cfg["depth"])
    out = {m: mrr(entries, f) for m, f in modes(cfg).items()}
    rows, asked = passages(db), [q["query"] for q in queries]
    plain = [{**e, "exact": []} for e in entries]  # our lookup of cited ids is not the peers'
    for name, peer in (("sqlite fts5", fts5), ("duckdb fts", duckdb_fts)):
        found = {e["query"]: [(pid, 0.0) for pid in hits] for e, hits in zip(entries, peer(rows, asked))}
        out[name] = mrr(plain, lambda e: found[e["query"]])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="+", help="DB QUERIES [DB QUERIES ...]")
    a = ap.parse_args()
    if len(a.pairs) % 2:
        ap.error("give databases and query files in pairs")
    for db, qfile in zip(a.pairs[::2], a.pairs[1::2]):
        queries = read_queries(qfile)
        print(f"{Path(qfile).name} ({len(queries)} queries): "
              + ", ".join(f"{m} {v:.3f}" for m, v in scores(db, queries).items()))


if __name__ == "__main__":
    main()
