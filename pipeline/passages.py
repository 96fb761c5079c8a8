"""Structure-aware chunks for search: whole paragraphs packed under their heading.

A passage never crosses a heading; a paragraph longer than the limit is split
at sentence ends. In a paper of questions and answers a passage starts where the
Kamer asks, and the heading that opens the answer ("Antwoord 3") does not end it:
a question and its answer are one passage. In answers to Kamervragen a heading inside
an answer (a table's caption) starts a passage that is still the answer's, which search
shows whole. An item of a decision list starts one too (`items` in models/doctypes.toml).
Footnotes are passages of their own, kept out of the body and linked to the body passage
that holds their marker. The text before the first question of answers to Kamervragen
(who asked whom, when) is the paper's preamble.
"""
from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, bisect_right
from dataclasses import replace
from typing import Callable

from .acronyms import definitions, expansions, known
from .compounds import expand, rejoined
from .metadata import item_openings
from .model import BlockKind, Document, Passage
from .voice import has_preamble, kamer_turns, labels_answer, whole_answers

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'‘“(])")
PARAGRAPH = re.compile(r"\n\s*\n")
MIN_WORDS = 4  # shorter sentences ("Antwoord 3", "Zie bijlage.") get no vector of their own


def embed_text(title: str | None, heading: str, text: str, glossary: str = "") -> str:
    """What the encoder reads: the passage under its title and heading, and the long forms of the
    acronyms it uses that the document defined elsewhere (the encoder cannot know them)."""
    return " > ".join(x for x in (title, heading, text) if x) + (f"\n\n({glossary})" if glossary else "")


def sentence_texts(heading: str, text: str, glossary: str = "") -> list[str]:
    """What the encoder reads of each sentence of a passage of two or more, under the passage's heading,
    with the long forms of the acronyms the sentence uses (from the passage's `glossary`). A passage's
    vector averages its sentences, so a question answered by one sentence of it ranks below passages
    that are about the question's subject throughout; search scores a passage by its best sentence as
    well (on held-out questions, semantic MRR@10 0.74 against 0.85). Not under the paper's title, which the
    passage's own vector carries: said before every sentence of a paper, it drew them together, and the
    answer next to the one asked for scored as high (hybrid MRR@10 on held-out answers 0.841 -> 0.865)."""
    found = [s.strip() for para in PARAGRAPH.split(text) for s in SENTENCE_END.split(para)
             if len(s.split()) >= MIN_WORDS]
    entries = [e for e in glossary.split("; ") if e]
    return [embed_text(None, heading, s, "; ".join(e for e in entries if re.search(
        rf"\b{re.escape(e.partition(': ')[0])}\b", s))) for s in found] if len(found) > 1 else []


def _siblings(a: str, b: str) -> bool:
    """Two headings that open with the same two words or more and part after them ("Brieven van de minister
    van AZ", "… van BZK"; "Van der Lee", "Van der Plas"), neither heading the other."""
    x, y = a.casefold().split(), b.casefold().split()
    same = next((i for i, (u, v) in enumerate(zip(x, y)) if u != v), min(len(x), len(y)))
    return 2 <= same < min(len(x), len(y))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _pieces(text: str, start: int, fits: Callable[[str], bool]) -> list[tuple[str, int]]:
    """Split an over-long paragraph at sentence ends into pieces that fit."""
    if fits(text):
        return [(text, start)]
    out: list[tuple[str, int]] = []
    cur, cur_start, pos = "", start, 0
    for m in [*SENTENCE_END.finditer(text), None]:
        end = m.start() if m else len(text)
        sent = text[pos:end]
        if cur and not fits(cur + " " + sent):
            out.append((cur, cur_start))
            cur, cur_start = "", start + pos
        cur = f"{cur} {sent}" if cur else sent
        pos = m.end() if m else len(text)
    if cur:
        out.append((cur, cur_start))
    return out


def make_passages(doc: Document, count_tokens: Callable[[str], int], max_tokens: int,
                  model_limit: int | None = None, sentences: bool = True) -> list[Passage]:
    """Passages of up to `max_tokens` of heading and text; with the title they stay within `model_limit`.
    `sentences`: each passage's sentences are read apart as well (`sentence_texts`)."""
    model_limit = model_limit or max_tokens
    title = doc.meta.title or ""
    # The title is context for the encoder, not part of the passage: it must not make passages smaller
    # (a Kamervragen title runs to 60 tokens), only fit beside them within the model's limit.
    budget = min(max_tokens, model_limit - count_tokens(title)) - 8  # room for special tokens

    def fits(heading: str, text: str) -> bool:
        return count_tokens(embed_text("", heading, text)) <= budget

    passages: list[Passage] = []
    heading = ""
    bare: Passage | None = None  # a heading with nothing under it yet, as its own passage would hold it
    group: list[tuple[str, int, int, int]] = []  # (text, start, end, page)
    asked: int | None = None  # the passage where the question being answered starts
    unlabelled: str | None = None  # while a question's label ("Vraag 2") heads: the heading without it
    answers: dict[int, list[int]] = {}  # by the passage of its question: an answer's passages

    def add(p: Passage) -> None:
        if asked is not None:
            answers.setdefault(asked, []).append(len(passages))
        passages.append(replace(p, seq=len(passages)))

    def flush() -> None:
        if group:
            add(Passage(0, group[0][3], heading, "\n\n".join(g[0] for g in group), group[0][1], group[-1][2]))
            group.clear()

    # A hit that shows the question beside its answer is what a reader wants, and the question's words
    # describe the answer better than anything else the encoder and the keyword index get. So a question
    # starts a passage, and its answer's label ("Antwoord 3", "Antwoord op vraag 3:") does not end it;
    # any other heading does, as in a letter (a verslag's inbreng per fractie, "II Reactie van de
    # minister" after all of them, a section of a long answer); where an answer runs to the next question
    # (`whole_answers`: answers to Kamervragen) the passage a heading starts is still the answer's.
    # (Carrying the question into the answer's later passages as well ranked worse on held-out
    # Kamervragen: 0.748 against 0.775 MRR@10.)
    ends = dict(kamer_turns(doc.blocks, doc.meta.doc_type))  # where the Kamer starts and stops speaking
    whole = whole_answers(doc.meta.doc_type)  # a heading inside an answer starts a passage of the answer
    items = item_openings(doc.meta.doc_type)
    asks = list(ends)  # in document order

    def kamers(pos: int) -> bool:
        i = bisect_right(asks, pos) - 1
        return i >= 0 and pos < ends[asks[i]]

    for block in doc.blocks:
        # "… ? Vraag 4 Hoe …" on one line
        cuts = asks[bisect_right(asks, block.start):bisect_left(asks, block.end)]
        for start, end in zip([block.start, *cuts], [*cuts, block.end]):
            if start in ends:
                flush()
                asked = len(passages)
                if unlabelled is not None:  # one question's label heads no other ("Vraag 3" inline, as pdftotext sets it)
                    heading, unlabelled = unlabelled, None
            part = block.text[start - block.start:end - block.start].strip()
            if not part:
                continue
            start = block.text.index(part, start - block.start) + block.start
            if block.kind == BlockKind.HEADING and not (
                    group and kamers(group[-1][2] - 1) and labels_answer(part)  # the label after the question
                    or kamers(start) and part.endswith("?")):  # a question short enough to look like a heading
                flush()
                # "Vraag 3" on a line of its own opens the question; an answer's label that follows no question (a
                # converter lost it at a page break) opens another answer
                asked = asked if start in ends or whole and not labels_answer(part) else None
                # A heading with nothing under it (a part's title over its first section's, a table's
                # caption over its header row) heads what follows as well; one too long for that to fit
                # is a passage of its own, so that no heading's words are lost to search. Not the masthead
                # line that holds the paper's title, which every passage carries already. Nor does a chain
                # head a sibling of one of its headings ("Brieven van de minister van AZ" > "Geen
                # agendapunten", then "… van BZK"): the sibling goes under their parent.
                bare = bare if bare and not (title and title in heading) else None
                chain = heading.split(" > ") if bare else []
                kept = next((i for i, e in enumerate(chain) if _siblings(e, part)), len(chain))
                parent = " > ".join(chain[:kept])
                chained = f"{parent} > {part}"
                over = parent if parent and count_tokens(chained) <= budget // 4 else ""
                if bare and (not over or kept < len(chain)):
                    add(bare)
                heading = chained if over else part
                unlabelled = over if start in ends else None
                bare = Passage(0, block.page, over, part, start, start + len(part))
                continue
            bare = None
            if any(p.match(part) for p in items):
                flush()
            for text, at in _pieces(part, start, lambda t: fits(heading, t)):
                candidate = "\n\n".join([*(g[0] for g in group), text])
                if group and not fits(heading, candidate):
                    flush()
                group.append((text, at, at + len(text), block.page))
    flush()
    if bare:  # the paper ends with a heading
        add(bare)
    # An answer cut at the encoder's limit or by a heading is searched in its passages and shown whole (search.py).
    for seqs in answers.values():
        for seq in seqs if len(seqs) > 1 else ():
            passages[seq].answer_seqs = seqs
    body = list(passages)
    if asks and has_preamble(doc.meta.doc_type):
        for p in body:
            if p.end <= asks[0]:
                p.kind = "preamble"
    for note in doc.footnotes:
        citing = next((p.seq for p in body if note.anchor is not None and p.start <= note.anchor <= p.end), None)
        passages.append(Passage(len(passages), note.page, f"Voetnoot {note.number}", note.text, note.anchor or 0,
                                note.anchor or 0, kind="footnote", footnote=note.number, anchor_seq=citing))
    defs = definitions(doc.text)
    # Acronyms every reader knows ("UWV") are indexed with their long forms but not spelled out for the encoder,
    # which knows them: beside the text they moved a shared query's answer a rank down.
    common = {a: long for a, long in known().items() if a not in defs}
    for p in passages:
        found = expansions(p.text, defs)
        longs = " ".join(long for _, long in found + expansions(p.text, common))
        mended = " ".join(rejoined(p.text))  # "vergunnin-gen", as a converter joined the line, finds "vergunningen"
        p.terms = " ".join(t for t in (longs, mended, expand(f"{p.heading} {p.text} {mended} {longs.lower()}")) if t)
        p.glossary = "; ".join(f"{a}: {long}" for a, long in found if long.lower() not in p.text.lower())
        readable(p, title, sentences)
    return passages


def readable(p: Passage, title: str | None, sentences: bool = True) -> Passage:
    """The texts the encoder reads of a passage: the whole (`embed_text`, keyed by `text_hash`) and its sentences."""
    p.embed_text = embed_text(title, p.heading, p.text, p.glossary)
    p.text_hash = text_hash(p.embed_text)
    p.sentence_texts = sentence_texts(p.heading, p.text, p.glossary) if sentences else []
    return p
