"""Analyst views on a small fixture: a commitment kept in a later letter, one overdue, a motion across letters."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from pipeline import store
from pipeline.ingest import run_batch
from pipeline.topics import store_topics

MAART = """Geachte voorzitter,
Met deze brief informeer ik u over de subsidieregeling voor buurthuizen.
Ik zal uw Kamer voor de zomer informeren over de evaluatie van de subsidieregeling voor buurthuizen.
Daarnaast stuur ik u voor 1 mei 2024 een overzicht van de wachtlijsten bij de jeugdzorg.
Met de nieuwe regeling geef ik uitvoering aan de motie Bosman (31000-7).
"""
SEPTEMBER = """Geachte voorzitter,
Zoals toegezegd in mijn brief van 1 maart (Kamerstuk 31 000, nr. 10) informeer ik u hierbij over de evaluatie van de subsidieregeling voor buurthuizen.
De motie Bosman (31000-7) beschouw ik hiermee als afgedaan.
"""


@pytest.fixture(scope="module")
def con(tmp_path_factory, embedder):
    box = tmp_path_factory.mktemp("letters")
    (box / "maart.txt").write_text(MAART, encoding="utf-8")
    (box / "september.txt").write_text(SEPTEMBER, encoding="utf-8")
    (box / "manifest.json").write_text(json.dumps({
        "maart.txt": {"date": "2024-03-01", "dossier": "31000", "ondernummer": "10", "sender": "Ministerie van VWS"},
        "september.txt": {"date": "2024-09-01", "sender": "Ministerie van VWS"}}), encoding="utf-8")
    db = tmp_path_factory.mktemp("db") / "v.duckdb"
    assert run_batch([box], db, embedder).ok
    c = store.connect(db)
    c.execute("SET VARIABLE as_of = DATE '2024-10-01'")
    yield c
    c.close()


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_the_kept_commitment_is_linked(con):
    assert rows(con, "SELECT text, kept_on, method, late FROM commitments_kept") == [(
        "Ik zal uw Kamer voor de zomer informeren over de evaluatie van de subsidieregeling voor buurthuizen.",
        dt.date(2024, 9, 1), "citation+wording", True)]


def test_open_commitments_and_days_overdue(con):
    assert rows(con, "SELECT text, deadline, overdue, days_overdue FROM commitments_open") == [(
        "Daarnaast stuur ik u voor 1 mei 2024 een overzicht van de wachtlijsten bij de jeugdzorg.",
        dt.date(2024, 4, 30), True, 154)]


def test_as_of_is_the_analysts_to_set(con):
    con.execute("SET VARIABLE as_of = DATE '2024-04-01'")
    try:
        assert rows(con, "SELECT overdue, days_overdue FROM commitments_open") == [(False, None)]
    finally:
        con.execute("SET VARIABLE as_of = DATE '2024-10-01'")


def test_commitments_by_month(con):
    assert rows(con, "SELECT month, sender, kind, commitments FROM commitments_by_month ORDER BY month") == [
        (dt.date(2024, 3, 1), "Ministerie van VWS", "new", 2),
        (dt.date(2024, 9, 1), "Ministerie van VWS", "fulfilment", 1)]


def test_motions_by_disposition(con):
    assert rows(con, "SELECT month, disposition, motions FROM motions_by_disposition ORDER BY month") == [
        (dt.date(2024, 3, 1), "uitgevoerd", 1), (dt.date(2024, 9, 1), "afgedaan", 1)]


def test_one_motion_with_its_history(con):
    (key, movers, letters, first, latest, strongest, history), = rows(
        con, "SELECT motion_key, movers, letters, first_seen, latest_disposition, strongest_disposition, history "
             "FROM motion_history")
    assert (key, movers, letters, first, latest, strongest) == (
        "31000-7", ["Bosman"], 2, dt.date(2024, 3, 1), "afgedaan", "afgedaan")
    assert [h["disposition"] for h in history] == ["uitgevoerd", "afgedaan"]


def test_citation_graph_and_most_cited_dossiers(con):
    assert rows(con, "SELECT citing_date, cited_id, times FROM citation_graph ORDER BY citing_date, cited_id") == [
        (dt.date(2024, 3, 1), "31000-7", 1), (dt.date(2024, 9, 1), "31000-10", 1), (dt.date(2024, 9, 1), "31000-7", 1)]
    assert rows(con, "SELECT * FROM dossiers_most_cited") == [("31000", 2, 3, 2)]


def test_documents_by_month(con):
    assert rows(con, "SELECT month, doc_type, documents FROM documents_by_month ORDER BY month") == [
        (dt.date(2024, 3, 1), "brief", 1), (dt.date(2024, 9, 1), "brief", 1)]


def test_topic_trends_on_the_corpus(corpus_db):
    c = store.connect(corpus_db)
    before = rows(c, "SELECT * FROM passage_topics ORDER BY doc_id, seq")
    store_topics(c)  # a re-run gives the same topics
    assert rows(c, "SELECT * FROM passage_topics ORDER BY doc_id, seq") == before
    shares = rows(c, "SELECT month, round(sum(share), 6) FROM topic_trends GROUP BY 1")
    assert shares and all(s == 1.0 for _, s in shares)
    assert len(rows(c, "SELECT * FROM topics")) >= 2
    c.close()


def test_export_writes_every_relation(corpus_db, tmp_path):
    c = store.connect(corpus_db, read_only=True)
    written = {p.stem for p in store.export(c, tmp_path)}
    assert written == {name for name, _ in store.relations(c)}
    assert c.execute(f"SELECT count(*) FROM '{tmp_path / 'commitments.parquet'}'").fetchone()[0] == \
        c.execute("SELECT count(*) FROM commitments").fetchone()[0]
