"""Conservation check: every character of the input is in the body, a footnote or furniture.

Counted are letters and digits (case folded) as a multiset, so that a dropped paragraph, a body
swallowed by a "footnote" and text written twice all show. Markup is not content: HTML tags,
markdown link targets and word-export note labels are left out of the input, and footnote numbers
(the note's label and its marker) are given back to the output.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter

from .model import UNMAPPED, Checks, Document

MIN_COVERAGE = 0.99
MIN_BODY_SHARE = 0.5  # of the input, when the footnotes outweigh the body
LONG_NOTE_CHARS = 1500  # a footnote this long reads like paragraphs of body text
MARKUP = re.compile(r"<[^>\n]{1,40}>|\]\([^)\s]*\)|\[footnoteRef:\d+\]|^\s*\[\d+:|^\s*#{1,6}\s|^\s*-{5,}\s*$", re.M)


def _letters(text: str) -> Counter:
    return Counter(c for c in unicodedata.normalize("NFC", text).casefold() if c.isalnum())


def check(source: str, doc: Document, empty_pages: list[int] = (), orphan_markers: list[int] = ()) -> Checks:
    """Figures and warnings for one extracted document; `source` is the text as read (for a PDF its
    glyphs), `empty_pages` the PDF pages without a text layer, `orphan_markers` note numbers marked in
    the body (raised in a PDF, glued on after the last note in text) for which no footnote was found."""
    given = _letters(MARKUP.sub(" ", source))
    notes = "".join(f.text for f in doc.footnotes)
    numbers = "".join(str(f.number) * (1 + (f.anchor is not None)) for f in doc.footnotes)
    found = _letters(doc.text) + _letters(notes) + _letters(numbers) + _letters("".join(f.text for f in doc.furniture))
    total = sum(given.values()) or 1
    coverage = sum((given & found).values()) / total
    excess = sum((found - given).values()) / total
    body_share = sum(_letters(doc.text).values()) / total
    note_share = sum(_letters(notes).values()) / total
    longest = max(doc.footnotes, key=lambda f: len(f.text), default=None)
    numbers_seen = [f.number for f in doc.footnotes]
    # over all runs, up to the last number marked in the body too: notes lost after the last one read are
    # gaps, whether or not the body's markers for them were found
    gaps = sorted(set(range(1, max([*numbers_seen, *orphan_markers], default=0) + 1)) - set(numbers_seen))
    restarts = sum(b == 1 and a > 1 for a, b in zip(numbers_seen, numbers_seen[1:]))
    out_of_order = [b for a, b in zip(numbers_seen, numbers_seen[1:]) if b <= a and not (b == 1 and a > 1)]

    warnings = []
    if coverage < MIN_COVERAGE:
        warnings.append(f"{100 * (1 - coverage):.1f}% of the input's letters are in no body, footnote or furniture")
    if excess > 1 - MIN_COVERAGE:
        warnings.append(f"{100 * excess:.1f}% more letters came out than went in (text read twice?)")
    if body_share < MIN_BODY_SHARE and note_share > body_share:
        warnings.append(f"the body holds only {100 * body_share:.0f}% of the input, the footnotes {100 * note_share:.0f}%")
    if longest is not None and len(longest.text) > LONG_NOTE_CHARS:
        warnings.append(f"footnote {longest.number} is {len(longest.text)} characters long: body text read as a note?")
    if gaps:
        warnings.append(f"footnote numbers missing: {', '.join(map(str, gaps[:10]))}{' …' if len(gaps) > 10 else ''}")
    if restarts:
        warnings.append(f"footnote numbering starts again at 1 ({restarts}×): an annex or a second paper in the file?")
    if out_of_order:
        warnings.append(f"footnote numbers out of sequence at {', '.join(map(str, out_of_order[:10]))}")
    if orphan_markers:
        warnings.append(f"note markers {', '.join(map(str, orphan_markers[:10]))} have no footnote")
    if unmapped := (doc.text + notes).count(UNMAPPED):  # not those read as a list's bullets
        warnings.append(f"{unmapped} character{'s' * (unmapped > 1)} the converter could not map (shown as {UNMAPPED})")
    if empty_pages:
        warnings.append(f"no text on page {', '.join(map(str, empty_pages))} (scanned?)")
    return Checks(shape=doc.shape, input_chars=sum(given.values()), coverage=round(coverage, 4),
                  excess=round(excess, 4), body_share=round(body_share, 4), footnotes=len(doc.footnotes),
                  longest_footnote=len(longest.text) if longest else 0, numbering_gaps=gaps,
                  empty_pages=list(empty_pages), orphan_markers=list(orphan_markers), warnings=warnings)
