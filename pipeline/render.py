"""A paper as one HTML page, its findings marked with displaCy's span renderer.

Commitments carry their deadline, motions their disposition, citations their canonical id (a
link when the database holds the cited paper), footnotes sit below the body with their own
citations. Spans may overlap (a citation inside a promise): the span renderer stacks them.
"""
from __future__ import annotations

import bisect
import html
import re
from typing import Callable

from .findings import Mark, Paper

COLORS = {"commitment": "#ffd166", "fulfilment": "#95d5b2", "motion": "#9ecbff", "citation": "#d7b5ff"}
STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#222}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.meta dt{color:#666}
.legend span{padding:.1rem .4rem;border-radius:3px;margin-right:.4rem;font-size:.85rem}
.spans{margin:.2rem 0 .8rem 0}.block-heading .spans{font-size:1.15rem}
section.footnotes{border-top:1px solid #ccc;margin-top:1.5rem;font-size:.9rem}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
mark{background:#fff3a3}.spans>span>span>span{white-space:nowrap}"""


def _spans(text: str, marks: list[Mark], href: Callable[[str], str] | None) -> str:
    """One stretch of text (a block or a footnote) with the marks inside it, offsets relative to it."""
    from spacy import displacy  # only here: the terminal commands need no spaCy

    # Tokens split at whitespace: the renderer joins tokens with one space, so the text reads as written.
    words = list(re.finditer(r"\S+", text))
    ends = [w.end() for w in words]
    spans = []
    for m in marks:
        first, last = bisect.bisect_right(ends, m.start), bisect.bisect_left(ends, m.end)
        if m.end <= m.start or first >= len(words):
            continue
        item = {"start_token": first, "end_token": min(last, len(words) - 1) + 1, "label": m.label}
        if m.link and href:
            item |= {"kb_id": "→", "kb_url": href(m.link)}
        spans.append(item)
    data = {"text": text, "tokens": [w.group() for w in words], "spans": spans}
    return displacy.render(data, style="span", manual=True, page=False,
                           options={"colors": {m.label: COLORS[m.kind] for m in marks}})


def _table(rows: list[dict], columns: list[str]) -> str:
    if not rows:
        return "<p>none</p>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_str(r.get(c)))}</td>" for c in columns) + "</tr>"
                   for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _str(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return str(v)


def page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{STYLE}</style></head><body>{body}</body></html>")


def paper_html(p: Paper, href: Callable[[str], str] | None = None) -> str:
    """The body of a page for one paper; `href(doc_id)` makes a cited paper held in the database a link."""
    meta = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(_str(v))}</dd>" for k, v in p.meta.items() if v)
    legend = "".join(f'<span style="background:{c}">{k}</span>' for k, c in COLORS.items())
    parts = [f"<h1>{html.escape(p.meta.get('title') or p.doc_id)}</h1>", f'<dl class="meta">{meta}</dl>',
             f'<p class="legend">{legend}</p>', "<h2>Commitments</h2>",
             _table(p.commitments, ["kind", "text", "deadline", "deadline_text", "kept"]),
             "<h2>Motions</h2>", _table(p.motions, ["ref", "movers", "disposition", "sentence"]),
             "<h2>Citations</h2>", _table(p.citations, ["citation_id", "kind", "raw", "footnote"]),
             "<h2>Text</h2>"]
    body = [m for m in p.marks if m.footnote is None]
    for kind, start, end in p.blocks:
        inside = [Mark(m.start - start, min(m.end, end) - start, m.kind, m.label, None, m.link)
                  for m in body if start <= m.start < end]
        parts.append(f'<div class="block-{html.escape(kind)}">{_spans(p.text[start:end], inside, href)}</div>')
    if p.footnotes:
        parts.append('<section class="footnotes"><h2>Footnotes</h2>')
        for number, text in p.footnotes:
            notes = [m for m in p.marks if m.footnote == number]
            parts.append(f'<div id="fn{number}"><sup>{number}</sup>{_spans(text, notes, href)}</div>')
        parts.append("</section>")
    return "".join(parts)
