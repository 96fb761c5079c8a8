"""Commitments (toezeggingen) of the document's author, sentence by sentence.

A sentence is a `fulfilment` when it says an earlier promise is kept now, a `new`
commitment when the author (ik, wij, het kabinet) or a passive addressed to the
Kamer announces a future act. Rules are data: models/commitments.toml.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .compounds import rejoin
from .deadlines import find_deadline
from .model import Commitment
from .rules import load



@dataclass(frozen=True)
class Rules:
    actors: tuple[tuple[str, re.Pattern], ...]
    fulfilment: tuple[re.Pattern, ...]
    new: tuple[re.Pattern, ...]
    with_deadline: tuple[re.Pattern, ...]
    in_letter: re.Pattern
    later: re.Pattern
    exclude: tuple[re.Pattern, ...]


@lru_cache(maxsize=None)
def rules() -> Rules:
    d = load("commitments.toml")

    def comp(ps):
        return tuple(re.compile(p, re.I) for p in ps)

    new = d["new"]
    return Rules(tuple((k, re.compile(v, re.I)) for k, v in d["actor"].items()), comp(d["fulfilment"]["patterns"]),
                 comp(new["patterns"]), comp(new.get("with_deadline", [])),
                 re.compile(new["in_letter"], re.I), re.compile(new["later"], re.I),
                 comp(d["exclude"]["patterns"]))


def actor(sentence: str) -> str:
    found = [(m.start(), name) for name, rx in rules().actors for m in [rx.search(sentence)] if m]
    return min(found)[1] if found else "passive"


def classify(sentence: str, has_deadline: bool) -> str | None:
    """'fulfilment', 'new' or None for one sentence."""
    sentence = rejoin(sentence)
    r = rules()
    if any(p.search(sentence) for p in r.fulfilment):
        return "fulfilment"
    if any(p.search(sentence) for p in r.exclude):
        return None
    if any(p.search(sentence) for p in r.new):
        in_letter = r.in_letter.search(sentence) and not r.later.search(sentence)
        return None if in_letter and not has_deadline else "new"
    if has_deadline and any(p.search(sentence) for p in r.with_deadline):
        return "new"
    return None


def find_commitments(sentences, doc_date: dt.date | None) -> list[Commitment]:
    """`sentences` are objects with start, end and text (offsets into the document)."""
    out: list[Commitment] = []
    for s in sentences:
        deadline = find_deadline(s.text, doc_date)
        kind = classify(s.text, deadline is not None)
        if kind is None:
            continue
        if kind == "fulfilment":
            deadline = None
        out.append(Commitment(s.text, kind, actor(s.text), deadline.text if deadline else None,
                              deadline.date if deadline else None, s.start, s.end, deadline.basis if deadline else None))
    return out
