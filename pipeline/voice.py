"""Turns in papers of questions and answers: the stretches of text in which the Kamer speaks.

A verslag schriftelijk overleg, a lijst van vragen en antwoorden, answers to Kamervragen and a nota
naar aanleiding van het verslag hold the Kamer's questions beside the government's answers; only
the government's words can commit it. Rules are data: models/voice.toml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .model import Block
from .rules import load

NUMBER_LINE = re.compile(r"^\s*\d{1,4}[.)]?\s*$")  # a question's number alone: "12", "12."
SECTION_NUMBER = re.compile(r"^(?:[IVX]{1,4}|\d{1,2}(?:\.\d{1,2})*)[.)]?\s+")  # "II Reactie …", "3.1 Vragen …"


@lru_cache(maxsize=1)
def rules() -> tuple[dict[str, list[re.Pattern]], dict[str, list[re.Pattern]], dict[str, dict]]:
    data = load("voice.toml")
    opening = {who: [re.compile(p, re.I) for p in ps] for who, ps in data["patterns"].items()}
    inline = {who: [re.compile(p) for p in ps] for who, ps in data["inline"].items()}
    return opening, inline, data["kinds"]


def kamer_turns(blocks: list[Block], doc_type: str) -> list[tuple[int, int]]:
    """(start, end) offsets of the text in which the Kamer speaks."""
    opening, inline, kinds = rules()
    kind = kinds.get(doc_type)
    if kind is None:
        return []
    turns: list[tuple[int, int]] = []
    voice = kind["first"]
    asked = False  # the block before was the Kamer's and ended in a question mark
    for b in blocks:
        # (offset, who) where a voice is named: at the block start, or inline ("… ? Antwoord 7 Zoals …")
        head = SECTION_NUMBER.sub("", b.text.lstrip(), count=1)
        said = [(b.start, who) for who, ps in opening.items() if any(p.match(head) for p in ps)][:1]
        if not said and kind.get("numbered"):
            # a question numbered on a line of its own ("12"); the first paragraph after its question mark
            # that asks nothing more is the answer, unlabelled
            if NUMBER_LINE.match(b.text):
                said = [(b.start, "kamer")]
            elif asked and not b.text.rstrip().endswith("?"):
                said = [(b.start, "regering")]
        said += sorted((b.start + m.start(), who) for who, ps in inline.items() for p in ps for m in p.finditer(b.text)
                       if m.start() > 0)
        if not kind["sticky"]:
            voice = kind["first"]
        cuts = [(b.start, voice), *said]
        for (start, who), (end, _) in zip(cuts, [*cuts[1:], (b.end, None)]):
            if who == "kamer" and end > start:
                if turns and turns[-1][1] >= start - 2:
                    turns[-1] = (turns[-1][0], end)
                else:
                    turns.append((start, end))
        voice = cuts[-1][1]
        asked = voice == "kamer" and b.text.rstrip().endswith("?")
    return turns


def labels_answer(text: str) -> bool:
    """Whether a heading names the government's answer: "Antwoord 3", "Antwoord op vraag 3:", or the label
    glued to page furniture ("Aanhangsel 2Antwoord 7"); "II Reactie van de minister" is a section heading."""
    opening, inline, _ = rules()
    return any(p.match(text) for p in opening["regering"]) or any(p.search(text) for p in inline["regering"])
