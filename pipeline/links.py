"""Cross-letter links: which later letter keeps which earlier commitment.

A `fulfilment` in a later letter is linked to an earlier `new` commitment when
they share a toezegging number, or when the later letter cites the earlier one
(its Kamerstuk id) and the two sentences are alike in wording (TF-IDF cosine).
Open and kept status is computed from these links, not assumed.
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

from .dutch import stop_words
from .store import transaction

MIN_SIMILARITY = 0.12  # over the letters' own vocabulary; with a citation of the earlier letter


@dataclass
class Link:
    doc_id: str
    seq: int
    fulfilled_by_doc: str
    fulfilled_by_seq: int
    method: str  # toezegging | citation+wording
    similarity: float


def _similarity(a: list[str], b: list[str]) -> list[list[float]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    vec = TfidfVectorizer(stop_words=sorted(stop_words()), token_pattern=r"(?u)\b[^\W\d_]{3,}\b", sublinear_tf=True)
    m = vec.fit_transform(a + b)
    return cosine_similarity(m[:len(a)], m[len(a):]).tolist()


def find_links(con: duckdb.DuckDBPyConnection) -> list[Link]:
    rows = con.execute("""SELECT c.doc_id, c.seq, c.kind, c.text, c.char_start, c.char_end, d.doc_date,
                                 d.dossier || '-' || d.ondernummer AS paper
                          FROM commitments c JOIN documents d USING (doc_id)""").fetchall()
    anchors: dict[str, list[tuple[int, int]]] = {}
    for doc_id, number, anchor in con.execute("SELECT doc_id, number, anchor FROM footnotes WHERE anchor IS NOT NULL"
                                              ).fetchall():
        anchors.setdefault(doc_id, []).append((number, anchor))
    cited: dict[str, set[str]] = {}
    tz_by_sentence: dict[tuple[str, str], set[str]] = {}
    tz_by_note: dict[tuple[str, int], set[str]] = {}
    for doc_id, cid, kind, sentence, note in con.execute(
            "SELECT doc_id, citation_id, kind, sentence, footnote FROM citations").fetchall():
        cited.setdefault(doc_id, set()).add(cid)
        if kind == "toezegging":
            if note is None:
                tz_by_sentence.setdefault((doc_id, sentence), set()).add(cid)
            else:
                tz_by_note.setdefault((doc_id, note), set()).add(cid)

    def toezeggingen(doc_id, text, start, end) -> set[str]:
        """Toezegging numbers in the sentence or in a footnote whose marker stands in it."""
        found = set(tz_by_sentence.get((doc_id, text), set()))
        for number, anchor in anchors.get(doc_id, []):
            if start <= anchor <= end:
                found |= tz_by_note.get((doc_id, number), set())
        return found

    fulfilments = [(r[0], r[1], r[3], r[6], cited.get(r[0], set()), toezeggingen(r[0], r[3], r[4], r[5]))
                   for r in rows if r[2] == "fulfilment"]
    promises = [(r[0], r[1], r[3], r[6], r[7], toezeggingen(r[0], r[3], r[4], r[5])) for r in rows if r[2] == "new"]
    if not fulfilments or not promises:
        return []
    sims = _similarity([f[2] for f in fulfilments], [p[2] for p in promises])
    links: list[Link] = []
    taken: set[tuple[str, int]] = set()
    for i, (fdoc, fseq, _, fdate, cites, ftz) in enumerate(fulfilments):
        best = None
        for j, (pdoc, pseq, _, pdate, paper, ptz) in enumerate(promises):
            if pdoc == fdoc or (pdoc, pseq) in taken or (fdate and pdate and pdate >= fdate):
                continue
            if ftz & ptz:
                candidate = (2.0 + sims[i][j], "toezegging")
            elif paper and paper in cites and sims[i][j] >= MIN_SIMILARITY:
                candidate = (sims[i][j], "citation+wording")
            else:
                continue
            if best is None or candidate[0] > best[0]:
                best = (*candidate, pdoc, pseq, sims[i][j])
        if best:
            taken.add((best[2], best[3]))
            links.append(Link(best[2], best[3], fdoc, fseq, best[1], round(best[4], 3)))
    return links


def store_links(con: duckdb.DuckDBPyConnection) -> int:
    links = find_links(con)
    with transaction(con):
        con.execute("DELETE FROM commitment_links")
        if links:
            con.executemany("INSERT INTO commitment_links VALUES (?, ?, ?, ?, ?, ?)",
                            [(x.doc_id, x.seq, x.fulfilled_by_doc, x.fulfilled_by_seq, x.method, x.similarity)
                             for x in links])
    return len(links)
