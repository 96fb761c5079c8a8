"""Topics over body passages with scikit-learn: TF-IDF and NMF, deterministic (fixed seed, nndsvd start)."""
from __future__ import annotations

import math

import duckdb

from .dutch import stop_words
from .store import transaction

MIN_PASSAGES = 12  # fewer than this: no topics, the tables stay empty
TOP_TERMS = 8


def n_topics(n_passages: int) -> int:
    return max(2, min(20, round(math.sqrt(n_passages / 2))))


def compute_topics(texts: list[str], k: int, seed: int = 0):
    """(top terms per topic, (topic, weight) per text)."""
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer
    vec = TfidfVectorizer(stop_words=sorted(stop_words()), token_pattern=r"(?u)\b[^\W\d_]{3,}\b", sublinear_tf=True,
                          min_df=2 if len(texts) > 50 else 1, max_df=0.5)
    m = vec.fit_transform(texts)
    k = min(k, m.shape[1], m.shape[0])
    model = NMF(n_components=k, init="nndsvd", random_state=seed, max_iter=500)
    w = model.fit_transform(m)
    vocab = vec.get_feature_names_out()
    terms = [[vocab[i] for i in row.argsort()[::-1][:TOP_TERMS]] for row in model.components_]
    return terms, [(int(row.argmax()), float(row.max())) for row in w]


def store_topics(con: duckdb.DuckDBPyConnection) -> int:
    rows = con.execute("SELECT doc_id, seq, heading || ' ' || text FROM passages WHERE kind = 'body' "
                       "ORDER BY doc_id, seq").fetchall()
    terms, assigned = compute_topics([r[2] for r in rows], n_topics(len(rows))) if len(rows) >= MIN_PASSAGES else ([], [])
    with transaction(con):
        con.execute("DELETE FROM topics")
        con.execute("DELETE FROM passage_topics")
        if terms:
            con.executemany("INSERT INTO topics VALUES (?, ?, ?)", [(i, " / ".join(t[:3]), t) for i, t in enumerate(terms)])
            con.executemany("INSERT INTO passage_topics VALUES (?, ?, ?, ?)",
                            [(r[0], r[1], topic, round(weight, 6)) for r, (topic, weight) in zip(rows, assigned)])
    k = len(terms)
    return k
