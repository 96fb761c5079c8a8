"""Text files in the shapes converters produce, to the intermediate body form of `layout`.

| shape | marker | footnote body |
|---|---|---|
| word-export | ``[footnoteRef:4]`` | ``[4:  Kst. …]`` after the paragraph |
| markdown-from-pdf | ``<sup>1</sup>`` | ``<sup>1</sup> Zie …`` at the foot of a page; letterhead repeated per page |
| pdf-text | a digit glued to a word: ``zorg.3`` | a line ``3 Zie …`` at the foot of a page |
| plain | none | none; one paragraph a line |
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

from .errors import IngestError
from .layout import HEADING, PAGE_NUMBER, RawFootnote, furniture_lines, mark

LETTERHEAD_LABEL = re.compile(
    r"^(Datum|Betreft|Kenmerk|Ons kenmerk|Uw kenmerk|Uw brief|Bijlage\(n\)|Bijlagen?|Bezoekadres|Postadres|"
    r"Retouradres|Contactpersoon|Inlichtingen|Doorkiesnummer|Correspondentie)\b", re.I)
SALUTATION = re.compile(r"^\s*(Geachte|Hooggeachte)\b")


@dataclass
class TextLayout:
    shape: str
    body: str
    notes: list[RawFootnote]
    furniture: list[tuple[str, str, int]]
    letterhead: str


def decode(data: bytes) -> str:
    """UTF-8, or cp1252 when that reads cleanly; anything else is a clear error."""
    if not data.strip():
        raise IngestError("extract", "empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        if data.count(b"\x00") > len(data) // 10:
            raise IngestError("extract", "not a text file (NUL bytes: binary or UTF-16)") from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise IngestError("extract", "not UTF-8 and not cp1252: unknown text encoding") from None
    if re.search(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]", text):
        raise IngestError("extract", "not a text file: control characters in the text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def detect_shape(text: str) -> str:
    if re.search(r"\[footnoteRef:\d+\]", text) or re.search(r"^\s*\[\d+:\s", text, re.M):
        return "word-export"
    if "<sup>" in text or len(re.findall(r"^#{1,6} |\*\*\S", text, re.M)) >= 3:
        return "markdown-from-pdf"
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if "\f" in text or (lines and statistics.median(len(ln) for ln in lines) < 110):
        return "pdf-text"
    return "plain"


def split_letterhead(lines: list[str]) -> tuple[list[str], list[str]]:
    """Everything above the salutation of a letter is letterhead."""
    for i, ln in enumerate(lines[:80]):
        if SALUTATION.match(ln):
            return lines[:i], lines[i:]
    return [], lines


def parse(text: str) -> TextLayout:
    shape = detect_shape(text)
    return {"word-export": _word_export, "markdown-from-pdf": _markdown,
            "pdf-text": _pdf_text, "plain": _plain}[shape](text)


def _plain(text: str) -> TextLayout:
    head, lines = split_letterhead(text.splitlines())
    return TextLayout("plain", "\n\n".join(ln.strip() for ln in lines), [], _letterhead_rows(head), "\n".join(head))


def _letterhead_rows(head: list[str]) -> list[tuple[str, str, int]]:
    return [("letterhead", ln.strip(), 1) for ln in head if ln.strip()]


# -- word-export -------------------------------------------------------------------------------

FOOTREF = re.compile(r"\[footnoteRef:(\d+)\]")
FOOTBODY = re.compile(r"\[(\d+):[ \t]+((?:[^\[\]]|\[[^\]]*\])*?)\]", re.S)


def _word_export(text: str) -> TextLayout:
    notes = [RawFootnote(int(m.group(1)), m.group(2).strip(), 1) for m in FOOTBODY.finditer(text)]
    body = FOOTBODY.sub("", text)
    body = FOOTREF.sub(lambda m: mark(m.group(1)), body)
    head, lines = split_letterhead(body.splitlines())
    # One paragraph a line in this shape.
    return TextLayout("word-export", "\n\n".join(ln.strip() for ln in lines if ln.strip()), notes,
                      _letterhead_rows(head), "\n".join(head))


# -- markdown-from-pdf -------------------------------------------------------------------------

SUP = re.compile(r"<sup>\s*(\d+)\s*</sup>")
SUP_NOTE = re.compile(r"^\s*<sup>\s*(\d+)\s*</sup>\s*")


def _md_plain(line: str) -> str:
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links keep their text
    line = re.sub(r"^\s*>\s?", "", line)
    line = re.sub(r"(\*\*|__|(?<!\w)[*_]|[*_](?!\w))", "", line)
    return line.replace("\\(", "(").replace("\\)", ")").replace("\\*", "*").rstrip()


def _md_key(line: str) -> str:
    return re.sub(r"\s+", " ", _md_plain(line).lstrip("# ")).strip().casefold()


def _markdown(text: str) -> TextLayout:
    paras = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    counts = Counter(_md_key(ln) for p in paras for ln in p.splitlines() if ln.strip())

    def repeated(p: str) -> bool:
        keys = [_md_key(ln) for ln in p.splitlines() if ln.strip()]
        return all(counts[k] >= 2 for k in keys)

    def labelled(p: str) -> bool:
        return bool(LETTERHEAD_LABEL.match(_md_key(p.splitlines()[0]).lstrip("> ")))

    furniture_like = [(repeated(p) or labelled(p)) and not SUP_NOTE.match(p) for p in paras]
    # Letterhead is a run of such paragraphs, or a lone labelled one ("Kenmerk" on later pages).
    is_furniture = [False] * len(paras)
    i = 0
    while i < len(paras):
        j = i
        while j < len(paras) and furniture_like[j]:
            j += 1
        if j - i >= 2 or (j - i == 1 and labelled(paras[i])):
            for k in range(i, j):
                is_furniture[k] = True
        i = max(j, i + 1)

    salutation = next((i for i, p in enumerate(paras[:40]) if SALUTATION.match(_md_plain(p))), 0)
    page = 1
    out: list[str] = []
    letterhead: list[str] = []
    furniture: list[tuple[str, str, int]] = []
    notes: list[RawFootnote] = []
    after_notes = False
    for i, (p, furn) in enumerate(zip(paras, is_furniture)):
        if furn or i < salutation:
            plain = "\n".join(_md_plain(ln) for ln in p.splitlines())
            if i < salutation:
                letterhead.append(plain)
            elif out and out[-1] != "\f":  # a repeated letterhead opens a new page
                out.append("\f")
                page += 1
            furniture.append(("letterhead" if i < salutation else "running", plain, page))
            after_notes = False
            continue
        m = SUP_NOTE.match(p)
        if m:
            notes.append(RawFootnote(int(m.group(1)), _md_plain(p[m.end():]), page))
            after_notes = True
            continue
        if after_notes:  # body again after a footnote block: a new page began
            out.append("\f")
            page += 1
            after_notes = False
        out.append(_md_paragraph(p))
    numbers = {n.number for n in notes}
    body = "\n\n".join(out).replace("\n\n\f\n\n", "\f")
    body = SUP.sub(lambda m: mark(m.group(1)) if int(m.group(1)) in numbers else m.group(1), body)
    return TextLayout("markdown-from-pdf", body, notes, furniture, "\n".join(letterhead))


def _md_paragraph(p: str) -> str:
    lines = p.splitlines()
    first = lines[0].strip()
    heading = bool(re.match(r"^#{1,6}\s", first)) or (
        len(lines) == 1 and re.fullmatch(r"\*\*[^*].*\*\*:?", first) is not None)
    lines = [_md_plain(re.sub(r"^\s*#{1,6}\s*", "", ln)) for ln in lines]
    return (HEADING if heading else "") + "\n".join(lines)


# -- pdf-text ----------------------------------------------------------------------------------

NOTE_LINE = re.compile(r"^\s*(\d{1,3})\s+(\S.*)$")
GLUED = re.compile(r"(?<=[a-zà-ÿ.,;:!?)»”’'\"])(\d{1,3})(?=[\s.,;:)]|$)")


def _pdf_text(text: str) -> TextLayout:
    # Blank lines stay (they separate paragraphs) but do not count as page edges.
    pages = [[ln.rstrip() for ln in pg.split("\n")] for pg in text.split("\f")]
    solid = [[i for i, ln in enumerate(pg) if ln.strip()] for pg in pages]
    furn = {(p, solid[p][i]) for p, i in furniture_lines([[pages[p][i] for i in idx] for p, idx in enumerate(solid)])}
    furniture = [("page_number" if PAGE_NUMBER.match(pages[p][i]) else "running", pages[p][i].strip(), p + 1)
                 for p, i in sorted(furn)]
    notes: list[RawFootnote] = []
    page_bodies: list[list[str]] = []
    letterhead: list[str] = []
    for p, lines in enumerate(pages):
        lines = [ln for i, ln in enumerate(lines) if (p, i) not in furn]
        while lines and not lines[-1].strip():
            lines.pop()
        if p == 0:
            letterhead, lines = split_letterhead(lines)
        start = _note_zone(lines, notes[-1].number + 1 if notes else 1)
        for ln in lines[start:]:
            m = NOTE_LINE.match(ln)
            if m and (not notes or int(m.group(1)) == notes[-1].number + 1):
                notes.append(RawFootnote(int(m.group(1)), m.group(2), p + 1))
            elif notes:
                notes[-1].text += "\n" + ln
        page_bodies.append(lines[:start])
    numbers = sorted(n.number for n in notes)
    body = "\f".join(_paragraphs(lines) for lines in page_bodies)
    body = _mark_glued(body, numbers)
    return TextLayout("pdf-text", body, notes, furniture + _letterhead_rows(letterhead), "\n".join(letterhead))


def _note_zone(lines: list[str], expected: int) -> int:
    """Index where the footnotes at the foot of this page start (len(lines) when none).

    The zone starts at a line "N text" whose number is the next footnote number and
    whose marker stands glued in the body above; the numbers below it run on."""
    for i, ln in enumerate(lines):
        m = NOTE_LINE.match(ln)
        if not m or int(m.group(1)) != expected:
            continue
        above = "\n".join(lines[:i])
        if not any(g.group(1) == m.group(1) for g in GLUED.finditer(above)):
            continue
        n = expected
        ok = True
        for later in lines[i + 1:]:
            mm = NOTE_LINE.match(later)
            if mm and int(mm.group(1)) == n + 1:
                n += 1
            elif mm and int(mm.group(1)) <= n:
                ok = False
                break
        if ok:
            return i
    return len(lines)


def _mark_glued(body: str, numbers: list[int]) -> str:
    """Glued digits that are the next footnote number in order become markers."""
    pending = list(numbers)
    out, pos = [], 0
    for m in GLUED.finditer(body):
        if pending and int(m.group(1)) == pending[0]:
            out.append(body[pos:m.start()] + mark(m.group(1)))
            pos = m.end()
            pending.pop(0)
    out.append(body[pos:])
    return "".join(out)


def _paragraphs(lines: list[str]) -> str:
    """Lines of a page to paragraphs: a short line that ends a sentence ends its paragraph."""
    if not lines:
        return ""
    width = max(len(ln) for ln in lines)
    out: list[str] = []
    for i, ln in enumerate(lines):
        out.append(ln.strip())
        if i + 1 == len(lines):
            break
        nxt = lines[i + 1].strip()
        short = len(ln.strip()) < 0.8 * width
        ends = re.search(r"[.!?:]$", ln.strip())
        heading_like = short and not ends and nxt[:1].isupper() and len(ln.split()) <= 12 and not ln.endswith("-")
        out.append("\n\n" if (short and ends) or heading_like or not ln.strip() else "\n")
    return "".join(out)
