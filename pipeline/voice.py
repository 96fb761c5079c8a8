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

QUESTION_NUMBER = re.compile(r"(?<!\S)(\d{1,4})[.)]?(?:\s+(?=[A-Z\"'‘“(«])|\s*$)")  # "12 Hoeveel …", "12" alone
SENTENCE_END = re.compile(r"[.?!][)\"'’”»]*(?=\s+(?:[A-Z\"'‘“(«]|\d{1,4}[.)]?\s+[A-Z])|\s*$)")  # "nr. 47" goes on
SPACE = re.compile(r"\s*")
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
    numbering = Numbering() if kind.get("numbered") else None
    for b in blocks:
        # (offset, who) where a voice is named: at the block start, or inline ("… ? Antwoord 7 Zoals …")
        head = SECTION_NUMBER.sub("", b.text.lstrip(), count=1)
        said = [(b.start, who) for who, ps in opening.items() if any(p.match(head) for p in ps)][:1]
        said += sorted((b.start + m.start(), who) for who, ps in inline.items() for p in ps for m in p.finditer(b.text)
                       if m.start() > 0)
        if not kind["sticky"]:
            voice = kind["first"]
        fresh: set[int] = set()  # numbered questions: a turn of their own, not the Kamer's words before them
        if numbering is not None:
            numbered = [] if said and said[0][0] == b.start else numbering.cuts(b, voice)  # a label decides
            fresh = {at for at, who in numbered if who == "kamer"}
            said = sorted(said + numbered)
            numbering.heard(b, said[-1][1] if said else voice)
        cuts = [(b.start, voice), *said]
        for (start, who), (end, _) in zip(cuts, [*cuts[1:], (b.end, None)]):
            if who == "kamer" and end > start:
                if turns and turns[-1][1] >= start - 2 and start not in fresh:
                    turns[-1] = (turns[-1][0], end)
                else:
                    turns.append((start, end))
        voice = cuts[-1][1]
    return turns


def has_preamble(doc_type: str) -> bool:
    """Whether the text before a paper's first question is its front matter ("Vragen van het lid … aan de
    Minister …, ingezonden …; Antwoord van …, ontvangen …"), not an answer."""
    return rules()[2].get(doc_type, {}).get("preamble", False)


def whole_answers(doc_type: str) -> bool:
    """Whether an answer runs to the next question, through the headings inside it."""
    return rules()[2].get(doc_type, {}).get("whole_answers", False)


def labels_answer(text: str) -> bool:
    """Whether a heading names the government's answer: "Antwoord 3", "Antwoord op vraag 3:", or the label
    glued to page furniture ("Aanhangsel 2Antwoord 7"); "II Reactie van de minister" is a section heading."""
    opening, inline, _ = rules()
    return any(p.match(text) for p in opening["regering"]) or any(p.search(text) for p in inline["regering"])


class Numbering:
    """A lijst van vragen en antwoorden as printed without labels: each question opens with the next
    number ("12 Hoeveel …?", the number alone on a line, or joined to the line before by a converter),
    and the first sentence after its question mark that asks nothing more starts the answer."""

    def __init__(self) -> None:
        self.expected = 1  # the next question's number
        self.asked = False  # a question is open and its last sentence ended in a question mark

    def cuts(self, b: Block, voice: str) -> list[tuple[int, str]]:
        out, pos, text = [], 0, b.text
        while pos < len(text):
            at = SPACE.match(text, pos).end()  # where the next sentence starts
            m = QUESTION_NUMBER.match(text, at)
            if not (m and self._opens(m, text)):
                m = None
                if self.asked and voice == "kamer":
                    end = SENTENCE_END.search(text, pos)
                    if end is None:
                        break
                    if text[end.start()] != "?":  # a statement after the question: the answer, unlabelled
                        out.append((b.start + at, "regering"))
                        voice, self.asked = "regering", False
                    pos = end.end()
                    continue
            m = m or next((m for m in QUESTION_NUMBER.finditer(text, pos) if self._opens(m, text)), None)
            if m is None:
                break
            out.append((b.start + m.start(), "kamer"))
            end = SENTENCE_END.search(text, m.end())
            self.expected, voice = int(m.group(1)) + 1, "kamer"
            self.asked, pos = end is not None, end.end() if end else len(text)
        return out

    def _opens(self, m: re.Match, text: str) -> bool:
        """The next number, alone in its block (the question follows) or opening a question."""
        if int(m.group(1)) != self.expected:
            return False
        end = SENTENCE_END.search(text, m.end())
        return text.strip().rstrip(".)") == m.group(1) or (end is not None and text[end.start()] == "?")

    def heard(self, b: Block, voice: str) -> None:
        """After a block: whether the Kamer's words end in a question mark (the next block may answer)."""
        self.asked = voice == "kamer" and b.text.rstrip().endswith("?")
