"""The keyword half of the search index: fts's BM25 to the last digit, kept in step with every change,
filters before the cut."""
from __future__ import annotations

import datetime as dt
import shutil

import duckdb
import pytest

from conftest import CORPUS
from pipeline import index, keyword, store
from pipeline.dutch import stop_words
from pipeline.ingest import run_batch
from pipeline.search import Filters, settings

QUERIES = ["waterschappen en dijken", "lerarentekort in de grote steden", "de minister informeert de Kamer",
           "motie van het lid", "31765 884", "2025", "rekenkundige ondergrens", "zoetwater", "Financiën", "zzzqx"]


def _fts(con, query: str, k: int, where: str = "TRUE", args=()) -> list[tuple[str, float]]:
    """DuckDB's own fts index over the same passages, with the options the pipeline used before."""
    return con.execute(f"""
        SELECT passage_id, score FROM (
            SELECT p.passage_id, fts_main_passages.match_bm25(p.passage_id, ?, k := ?, b := ?) AS score
            FROM passages p JOIN documents d USING (doc_id) WHERE {where})
        WHERE score IS NOT NULL ORDER BY score DESC, passage_id LIMIT ?""",
                       [query, settings()["bm25_k1"], settings()["bm25_b"], *args, k]).fetchall()


def _build_fts(con) -> None:
    store.load_extension(con, "fts")
    con.execute(f"PRAGMA create_fts_index('passages', 'passage_id', {', '.join(repr(f) for f in keyword.FIELDS)}, "
                f"stemmer='dutch', stopwords='keyword_stopwords', ignore='{keyword.IGNORE}', strip_accents=1, "
                "lower=1, overwrite=1)")


def _ours(con, query: str, k: int, **filters) -> list[tuple[str, float]]:
    found = index.SearchIndex.open(con)
    rows = found.keyword(keyword.query_terms(con, query), k, settings()["bm25_k1"], settings()["bm25_b"],
                         found.allowed(con, **filters))
    return [(found.record(r)["passage_id"], s) for r, s in rows]


def _same(ours, theirs) -> None:
    """The same scores in the same order, and the same passages with each score. Among equal scores the index
    puts the passage stored first, fts the lower passage_id; which of those a cut keeps differs alike."""
    assert len(ours) == len(theirs)
    # scores summed in float32: equal to fts's float64 to about seven digits
    assert all(abs(a - b) <= 1e-6 * max(1.0, abs(b)) for (_, a), (_, b) in zip(ours, theirs))
    last = theirs[-1][1] if theirs else None
    for score in {s for _, s in theirs} - {last}:
        near = [i for i, (_, s) in enumerate(theirs) if abs(s - score) <= 1e-6 * max(1.0, abs(score))]
        assert {ours[i][0] for i in near} == {theirs[i][0] for i in near}


@pytest.fixture()
def box_db(tmp_path, embedder):
    box = tmp_path / "box"
    box.mkdir()
    for name in ("2024-06-20_lerarentekort-voortgang.txt", "2024-11-14_ondermijning-voortgang.txt",
                 "2025-03-12_motie-van-der-graaf-waterschappen.txt"):
        shutil.copy(CORPUS / name, box / name)
    db = tmp_path / "k.duckdb"
    assert run_batch([box], db, embedder).ok
    return box, db


def test_scores_equal_duckdb_fts_match_bm25(corpus_db, tmp_path):
    db = tmp_path / "copy.duckdb"
    shutil.copy(corpus_db, db)
    con = store.connect(db)
    index.sync(con)  # the files beside a copy of the database are written anew
    _build_fts(con)
    for query in QUERIES:
        _same(_ours(con, query, 20), _fts(con, query, 20))
    when = {"date_from": dt.date(2025, 3, 1), "date_to": dt.date(2025, 5, 31)}
    for query in QUERIES[:4]:  # the filters apply before the cut, as a WHERE clause does for fts
        _same(_ours(con, query, 5, **when), _fts(con, query, 5, "d.doc_date BETWEEN ? AND ?", list(when.values())))
        _same(_ours(con, query, 5, doc_type="motie"), _fts(con, query, 5, "d.doc_type = 'motie'"))


def test_the_index_follows_each_change_and_equals_a_fresh_build(box_db, embedder, tmp_path):
    box, db = box_db
    con = store.connect(db)
    assert index.sync(con) == {"added": 0, "removed": 0}  # the ingest brought it up to date
    con.close()
    (box / "2024-11-14_ondermijning-voortgang.txt").unlink()  # one paper leaves,
    shutil.copy(CORPUS / "2025-04-17_natuurherstel-stikstof.txt", box / "n.txt")  # one comes,
    lerarentekort = box / "2024-06-20_lerarentekort-voortgang.txt"  # and one changes
    lerarentekort.write_text(lerarentekort.read_text(encoding="utf-8").replace("leraren", "docenten"),
                             encoding="utf-8")
    assert run_batch([box], db, embedder, prune=True).ok
    con = store.connect(db)
    found = index.SearchIndex.open(con)
    passages = con.execute("SELECT count(*) FROM passages").fetchone()[0]
    assert found.n == passages  # the rows of passages that changed or left are dead (or the files written anew)
    fresh = tmp_path / "fresh.duckdb"
    shutil.copy(db, fresh)  # without the files beside it: written anew
    other = store.connect(fresh)
    assert index.sync(other) == {"added": passages, "removed": 0}
    assert index.SearchIndex.open(other).rows == passages
    for query in QUERIES + ["docenten", "leraren", "ondermijning", "stikstof"]:
        _same(_ours(con, query, 10), _ours(other, query, 10))
    stored = {p for (p,) in con.execute("SELECT passage_id FROM passages").fetchall()}
    assert all({p for p, _ in _ours(con, q, 50)} <= stored for q in QUERIES + ["ondermijning"])
    _build_fts(other)  # and both equal fts over what is stored now
    for query in QUERIES:
        _same(_ours(con, query, 10), _fts(other, query, 10))


def test_segments_are_merged_past_the_limit_and_search_the_same(box_db, embedder, monkeypatch, tmp_path):
    box, db = box_db
    monkeypatch.setattr(index, "MAX_SEGMENTS", 2)
    con = store.connect(db)
    assert len(index.Meta.read(index.folder_of(con)).segments) == 1
    con.close()
    for name in ("2025-04-17_natuurherstel-stikstof.txt", "2025-05-22_verslag-schriftelijk-overleg-drinkwater.txt"):
        shutil.copy(CORPUS / name, box / name)  # a night's letter: a segment of its own
        assert run_batch([box], db, embedder).ok
    con = store.connect(db)
    meta = index.Meta.read(index.folder_of(con))
    assert len(meta.segments) == 3
    new = con.execute("SELECT doc_id FROM documents WHERE source_path LIKE '%2025-04-17_natuurherstel%'").fetchone()[0]
    assert new in {p.split(":")[0] for p, _ in _ours(con, "stikstof", 50)}  # found in the newest segment
    index.sync(con)  # the next sync merges the small segments (here all three)
    merged = index.Meta.read(index.folder_of(con))
    assert [(s["rows"], s["end"]) for s in merged.segments] == [(meta.segments[-1]["end"],) * 2]
    assert sorted(p.name for p in index.folder_of(con).glob("s*.*")) == sorted(
        f"{s['name']}.{part}" for s in merged.segments for part in keyword.PART)  # the merged ones are gone
    fresh = tmp_path / "fresh.duckdb"
    shutil.copy(db, fresh)
    other = store.connect(fresh)
    index.sync(other)  # one segment, written anew
    _build_fts(other)
    for query in QUERIES + ["stikstof"]:
        _same(_ours(con, query, 10), _ours(other, query, 10))
        _same(_ours(con, query, 10), _fts(other, query, 10))


def test_a_changed_analysis_or_an_older_database_is_indexed_anew(box_db):
    _, db = box_db
    con = store.connect(db)
    before = _ours(con, "waterschappen", 10)
    _build_fts(con)  # what earlier versions kept beside the passages
    con.execute("CREATE TABLE keyword_postings (term_id INTEGER, doc INTEGER, tf INTEGER, len INTEGER)")
    folder = index.folder_of(con)
    meta = index.Meta.read(folder)
    meta.analysis = "{}"
    meta.write(folder)
    assert index.SearchIndex.open(con) is None
    assert index.sync(con)["added"] == con.execute("SELECT count(*) FROM passages").fetchone()[0]
    assert not con.execute("SELECT count(*) FROM duckdb_schemas() WHERE schema_name = 'fts_main_passages'"
                           ).fetchone()[0]
    assert not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'keyword_postings'").fetchone()[0]
    assert _ours(con, "waterschappen", 10) == before


def test_filters_by_paper_hold_in_search(con):
    from pipeline.search import search
    name = "2025-03-12_motie-van-der-graaf-waterschappen.txt"
    hits = search(con, "waterschappen", mode="keyword", filters=Filters(doc=name))
    assert hits and all(h.source_path.endswith(name) for h in hits)
    assert search(con, "waterschappen", mode="keyword", filters=Filters(doc="geen-zo-n-bestand.txt")) == []


def test_a_query_is_stemmed_as_fts_stems_the_index():
    """The query's stems come from PyStemmer (no fts extension in a cold process), the postings' from fts's
    stem(): the two must agree on every Dutch word form spaCy knows, or a query would miss its passages."""
    from pipeline.compounds import vocabulary
    words = sorted(vocabulary())
    assert len(words) > 100_000
    con = duckdb.connect()
    store.load_extension(con, "fts")
    store.word_table(con, "words", "w", words)
    theirs = dict(con.execute("SELECT w, stem(w, 'dutch') FROM words").fetchall())
    ours = dict(zip(words, keyword._stemmer().stemWords(words)))
    assert len(theirs) == len(words)
    assert [w for w in words if ours[w] != theirs[w]] == []
    text = "De Staatssecretaris informeert de Kamer vóór 1 juli 2026 over café-subsidies (zie 31765-884)."
    fts = con.execute(f"SELECT DISTINCT hash(stem(w, 'dutch')) AS t FROM (SELECT unnest({keyword.tokens_sql('?')}) AS w) "
                      "WHERE w <> '' AND NOT list_contains(?, w)", [text, sorted(stop_words())]).fetchnumpy()["t"]  # as the postings'
    assert len(fts) == 11  # de, vóór, over left out
    assert sorted(keyword.query_terms(con, text)) == sorted(fts)


def test_stems_of_many_texts_split_each_as_the_postings_do():
    """`stems` sends its texts as one string (`store.listed`): each text still comes back on its own, empty
    ones and one holding the separator included, split as `tokens_sql` splits it."""
    con = duckdb.connect()
    texts = ["De Minister informeert de Kamer, vóór 1 juli.", "", "a\0b  c", "...", "Één-twee drie"]
    stops = stop_words()
    split = [[w for w in con.execute(f"SELECT {keyword.tokens_sql('?')}", [t]).fetchone()[0] if w] for t in texts]
    got = keyword.stems(con, texts)
    assert [len(words) for words in got] == [len(words) for words in split] == [8, 0, 3, 0, 3]
    assert [[w is None for w in words] for words in got] == [[w in stops for w in words] for words in split]
    assert keyword.stems(con, []) == [] and len(keyword.hashes(con, [])) == 0


@pytest.mark.parametrize("query, texts, order", [
    # the pair said together raises the passage above one with more BM25
    ("blinde vlek", ["de vlek is blind, de weg is lang", "een blinde vlek"], [1, 0]),
    # stop words between the words do not part them
    ("gegevens doorgegeven", ["gegevens over adressen zijn doorgegeven", "gegevens worden doorgegeven"], [1, 0]),
    # two stop words between them part them; so does the other order, and a query of one word has no pair
    ("blinde vlek", ["de vlek is blind", "blind voor die vlek"], [0, 1]),
    ("blinde vlek", ["de vlek is blind", "vlek blinde"], [0, 1]),
    ("vlek", ["de vlek is groot", "een blinde vlek"], [0, 1]),
])
def test_phrases_count_where_the_query_s_neighbouring_words_are_neighbours(query, texts, order):
    con = duckdb.connect()
    asked = keyword.stems(con, [query])[0]
    ranked = [(0, 5.0), (1, 4.0)]
    idf = {w: 1.0 for t in [asked, *keyword.stems(con, texts)] for w in t if w}
    assert [row for row, _ in keyword.phrased(ranked, keyword.pairs(asked), keyword.stems(con, texts), idf, 2.0)] == order
