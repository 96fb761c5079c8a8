"""Segmentation: a spaCy pipeline of rule components on ``spacy.blank("nl")``.

Components, in order (each registered with ``@Language.factory``):

* ``kst_citations``: citation spans (``doc.spans["citations"]``, ``span._.citation``);
* ``kst_sentences``: sentence starts that survive ``nr.``, ``o.a.``, ``c.s.``, ``jl.`` and citations;
* ``kst_motions``: motion mentions (``doc.spans["motions"]``, ``span._.motion``);
* ``kst_commitments``: commitments with deadlines (``doc.spans["commitments"]``, ``span._.commitment``).

Document context (footnotes with their marker offsets, the document date, the Kamer's turns) travels
in ``doc.user_data["kst"]``.
"""
from __future__ import annotations

from functools import lru_cache

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from . import rules
from .citations import find_citations
from .commitments import find_commitments
from .model import Analysis, Citation, Document, Sentence
from .motions import find_mentions, group, parse_motion_document
from .voice import kamer_turns

for _name in ("citation", "motion", "commitment"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


def _span_group(doc: Doc, group_name: str, attr: str, items) -> None:
    """doc.spans[group_name] from (start, end, value) triples, each value on its span as span._.attr."""
    spans = []
    for start, end, value in items:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is not None:
            span._.set(attr, value)
            spans.append(span)
    doc.spans[group_name] = spans


@Language.factory("kst_citations")
def make_citations(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        _span_group(doc, "citations", "citation", ((c.start, c.end, c) for c in find_citations(doc.text)))
        return doc
    return component


@Language.factory("kst_sentences")
def make_sentences(nlp: Language, name: str):
    entries = rules.lines("abbreviations.txt")
    abbrev = {e.rstrip("*") for e in entries}
    may_end = {e.rstrip("*") for e in entries if e.endswith("*")}

    def ends_sentence(tok, nxt) -> bool:
        text = tok.text
        low = text.lower()
        if text in {"!", "?", "…"} or text in {".", ".."} and not _abbrev_before(tok, abbrev):
            return _opens(nxt)
        if low.endswith(".") and len(text) > 1:
            if low in abbrev or low.rstrip(".") + "." in abbrev:
                return low in may_end and nxt.text[:1].isupper()
            if low.endswith(".."):
                return _opens(nxt)
            # "zorg." glued: a word with a final period is a sentence end
            return text[:-1].isalpha() and len(text) > 3 and _opens(nxt)
        return False

    def component(doc: Doc) -> Doc:
        if not len(doc):
            return doc
        inside = set()
        for span in doc.spans.get("citations", []):
            inside.update(range(span.start + 1, span.end))
        # One array for the whole doc: setting token.is_sent_start one by one costs a scan of the doc each.
        starts = numpy.full((len(doc), 1), -1, dtype="int64")
        starts[0] = 1
        for i, tok in enumerate(doc[:-1]):
            nxt = doc[i + 1]
            if nxt.i in inside:
                continue
            if (tok.is_space and "\n" in tok.text or "\n\n" in tok.whitespace_ or ends_sentence(tok, nxt)
                    or tok.text in {")", "”", "\"", "’", "»"} and i and doc[i - 1].text in {".", "!", "?"}
                    and _opens(nxt)):
                starts[i + 1] = 1
        doc.from_array([SENT_START], starts.view("uint64"))  # spaCy's arrays are uint64; -1 wraps
        return doc
    return component


def _abbrev_before(tok, abbrev: set[str]) -> bool:
    # "Kst" "." is split by the tokenizer: the word before the period decides
    if tok.i == 0:
        return False
    prev = tok.doc[tok.i - 1]
    return not prev.whitespace_ and (prev.text.lower() + ".") in abbrev


def _opens(tok) -> bool:
    t = tok.text
    if tok.is_space:
        return True
    if t[:1].isupper() or t[:1] in "\"'‘“(«–-•·":
        return True
    # "145 van deze ..." starts a sentence; "nr. 884" does not get here
    return t[:1].isdigit() and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].text[:1].islower()


def _sentences(doc: Doc) -> list[Sentence]:
    out = []
    for s in doc.sents:
        text = s.text.strip()
        if text:
            lead = len(s.text) - len(s.text.lstrip())
            out.append(Sentence(s.start_char + lead, s.start_char + lead + len(text), text))
    return out


@Language.factory("kst_motions")
def make_motions(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        ctx = doc.user_data.get("kst", {})
        anchors = ctx.get("anchors", [])  # (offset, ref id) of footnote markers with a kamerstuk in them
        mentions = []
        for s in _sentences(doc):
            refs = [(span.start_char, span._.citation.citation_id) for span in doc.spans["citations"]
                    if s.start <= span.start_char < s.end and span._.citation.ondernummer
                    and span._.citation.kind == "kamerstuk"]
            refs += [(off, ref) for off, ref in anchors if s.start < off <= s.end]
            mentions.extend(find_mentions(s, refs))
        motions = group(mentions)
        _span_group(doc, "motions", "motion", ((mm.start, mm.end, mo) for mo in motions for mm in mo.mentions))
        doc.user_data.setdefault("kst", {})["motions"] = motions
        return doc
    return component


@Language.factory("kst_commitments")
def make_commitments(nlp: Language, name: str):
    def component(doc: Doc) -> Doc:
        ctx = doc.user_data.get("kst", {})
        turns = ctx.get("kamer", [])  # the Kamer's questions commit no one
        sentences = [s for s in _sentences(doc) if not any(a <= s.start < b for a, b in turns)]
        found = find_commitments(sentences, ctx.get("date"))
        _span_group(doc, "commitments", "commitment", ((c.start, c.end, c) for c in found))
        return doc
    return component


@lru_cache(maxsize=1)
def nlp() -> Language:
    pipeline = spacy.blank("nl")
    for name in ("kst_citations", "kst_sentences", "kst_motions", "kst_commitments"):
        pipeline.add_pipe(name)
    return pipeline


def _doc_for(document: Document) -> tuple[Doc, list[Citation]]:
    notes: list[Citation] = []
    anchors: list[tuple[int, str]] = []
    for fn in document.footnotes:
        found = find_citations(fn.text)
        for c in found:
            c.footnote, c.page, c.sentence = fn.number, fn.page, fn.text
        notes.extend(found)
        ref = next((c.citation_id for c in found if c.kind == "kamerstuk"), None)
        if ref and fn.anchor is not None:
            anchors.append((fn.anchor, ref))
    doc = nlp().make_doc(document.text)
    doc.user_data["kst"] = {"anchors": anchors, "date": document.meta.date,
                            "kamer": kamer_turns(document.blocks, document.meta.doc_type)}
    return doc, notes


def _collect(doc: Doc, notes: list[Citation], document: Document) -> Analysis:
    body = []
    for span in doc.spans["citations"]:
        c = span._.citation
        c.sentence, c.page = span.sent.text.strip(), document.page_at(c.start)
        body.append(c)
    commitments = [span._.commitment for span in doc.spans["commitments"]]
    motion_text = parse_motion_document(document.text) if document.meta.doc_type == "motie" else None
    # a paper's own id (its header "36471-23 Kabinetsformatie 2023", its colophon) is no reference to a paper
    cited = [c for c in body + notes if c.citation_id != document.meta.own_id]
    return Analysis(cited, doc.user_data["kst"].get("motions", []), commitments, motion_text)


def analyse(document: Document) -> Analysis:
    doc, notes = _doc_for(document)
    return _collect(nlp()(doc), notes, document)


def analyse_many(documents: list[Document], batch_size: int = 16) -> list[Analysis]:
    prepared = [_doc_for(d) for d in documents]
    docs = nlp().pipe((doc for doc, _ in prepared), batch_size=batch_size)
    return [_collect(doc, notes, d) for doc, (_, notes), d in zip(docs, prepared, documents)]

