"""PDF to the intermediate body form of `layout`, with pdfplumber.

Layout decisions are made from the glyphs, not from extracted text: the body
font size of the document, the smaller-font footnote zone at the foot of the
page, raised small digits as footnote markers, running headers and footers by
repetition across pages, and paragraphs by vertical gaps.
"""
from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass

from .errors import IngestError
from .dutch import ends_open
from .layout import BULLET, HEADING, ITEM, PAGE_NUMBER, RawFootnote, furniture_lines, mark, note_text
from .model import CID, UNMAPPED

GUTTER = 12  # points of empty width between two columns
COLOFON_GUTTER = 6  # between the body and a column in small print (wider than two of the body's spaces)
NOTE_GAP = 2.5  # body sizes of empty height that end a footnote zone (below)
FOOTNOTE_START = re.compile(r"^(\d{1,3})\s*(?=\S)")
SALUTATION = re.compile(r"^(Geachte|Hooggeachte|Aan de [Vv]oorzitter)\b")


@dataclass
class Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    bold: bool
    text: str  # superscript digits already turned into markers
    column: int = 0  # 1 for a column beside the body (a colofon column, a second text column)


@dataclass
class PdfLayout:
    body: str
    notes: list[RawFootnote]
    furniture: list[tuple[str, str, int]]  # (kind, text, page)
    letterhead: str
    pages: int
    source: str  # every glyph, page by page: what the conservation check counts
    empty_pages: list[int]
    orphan_markers: list[int]  # raised note numbers in the body with no footnote found


def _open(path: str):
    import pdfplumber
    try:
        pdf = pdfplumber.open(path)
        _ = pdf.pages  # forces the cross-reference table to be read
        return pdf
    except Exception as exc:  # pdfminer raises many types when it opens a file
        raise _unreadable(exc) from exc


def _unreadable(exc: BaseException) -> IngestError:
    """The one-line reason a PDF cannot be read; the two users can act on are named."""
    chain, e = [], exc
    while e is not None:
        chain.append(f"{type(e).__name__} {e}")
        e = e.__cause__ or e.__context__
    text = " ".join(chain).lower()
    if "password" in text or "encrypt" in text:
        return IngestError("extract", "encrypted PDF: a password is needed to read it")
    return IngestError("extract", f"corrupt or truncated PDF ({type(exc).__name__})")


def _parser_errors() -> tuple[type[BaseException], ...]:
    """What pdfminer raises on a damaged page; our own errors are not among them, so bugs still show."""
    from pdfminer.pdfexceptions import PDFException, PSException
    from pdfplumber.utils.exceptions import PdfminerException
    return PdfminerException, PDFException, PSException


def _line_from_chars(chars, page_no: int, body_size: float) -> Line:
    chars = sorted(chars, key=lambda c: c["x0"])
    normal = [c for c in chars if c["size"] >= 0.8 * body_size] or chars
    baseline = statistics.median(c["bottom"] for c in normal)
    parts: list[str] = []
    prev = None
    for c in chars:
        raised = c["size"] < 0.8 * body_size and c["bottom"] < baseline - 1.0 and c["text"].isdigit()
        if prev is not None and c["x0"] - prev["x1"] > 0.15 * min(c["size"], prev["size"]) and not raised:
            parts.append(" ")
        if raised:
            if parts and parts[-1].startswith("\x00"):
                parts[-1] += c["text"]
            else:
                parts.append("\x00" + c["text"])
        else:
            parts.append(c["text"])
        prev = c
    text = unicodedata.normalize("NFC", "".join(parts))
    sizes = [c["size"] for c in normal]
    bold = all("bold" in c.get("fontname", "").lower() for c in normal if c["text"].strip())
    return Line(page_no, min(c["top"] for c in chars), max(c["bottom"] for c in chars),
                chars[0]["x0"], chars[-1]["x1"], statistics.median(sizes), bold, text.strip())


def _lines(page, page_no: int, body_size: float) -> list[Line]:
    """The page's lines, top to bottom; a column standing beside the body follows it."""
    chars = [c for c in page.chars if c["text"].strip()]
    split = _gutter(chars, page.width, body_size)
    if split is None:
        return _rows(chars, page_no, body_size)
    right = _rows([c for c in chars if c["x0"] >= split], page_no, body_size)
    for ln in right:
        ln.column = 1
    return _rows([c for c in chars if c["x0"] < split], page_no, body_size) + right


def _gutter(chars: list[dict], width: float, body_size: float) -> float | None:
    """Where a second column begins: an empty vertical strip of GUTTER points, right of the page's
    middle, with text in at least three rows on either side of it; None on a one-column page. A colofon
    column in small print may stand closer (a ministry's letter: "Kenmerk" 8 points right of the body's
    longest line)."""
    covered = bytearray(int(width) + 2)
    for c in chars:
        a = min(len(covered), max(0, int(c["x0"])))
        b = max(a, min(len(covered), int(c["x1"]) + 1))  # a glyph off the page must not shrink the strip
        covered[a:b] = b"\x01" * (b - a)

    def rows(side) -> int:
        return len({round(c["bottom"]) for c in chars if side(c["x0"])})

    run = 0
    for x in range(int(0.4 * width), int(0.92 * width)):
        run = 0 if covered[x] else run + 1
        if run >= COLOFON_GUTTER and covered[x + 1]:
            split = x + 1
            if (run >= GUTTER or all(c["size"] < 0.92 * body_size for c in chars if c["x0"] >= split)) \
                    and rows(lambda x0: x0 >= split) >= 3 and rows(lambda x0: x0 < split) >= 3:
                return split
    return None


def _rows(chars: list[dict], page_no: int, body_size: float) -> list[Line]:
    rows: list[list[dict]] = []
    bounds: list[list[float]] = []  # [top, bottom] of each row
    for c in sorted(chars, key=lambda c: (round(c["bottom"]), c["x0"])):
        # Same line when vertical extents overlap by most of the glyph, or of the digits (a note's number
        # in 4-point type raised beside its 6.5-point text overlaps it by half its own height, not the
        # text's); chars come sorted by baseline, so only the last rows can be the one.
        for r in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            top, bottom = bounds[r]
            height = c["bottom"] - c["top"]
            if c["text"].isdigit() or all(x["text"].isdigit() for x in rows[r]):
                height = min(height, bottom - top)
            if min(bottom, c["bottom"]) - max(top, c["top"]) > 0.5 * height:
                rows[r].append(c)
                bounds[r] = [min(top, c["top"]), max(bottom, c["bottom"])]
                break
        else:
            rows.append([c])
            bounds.append([c["top"], c["bottom"]])
    lines = [_line_from_chars(r, page_no, body_size) for r in rows]
    return sorted(lines, key=lambda ln: ln.top)


def _opens_note(ln: Line) -> re.Match | None:
    """A line that opens with a note's number (raised or not)."""
    return FOOTNOTE_START.match(ln.text.lstrip("\x00"))


def _note_number(raw: str, expected: int | None) -> tuple[int | None, str]:
    """The footnote number that opens a line: the next one (or the one after, a note being missed),
    digits of the text perhaps glued to it ("1636200-XVI"); a year opening a continued line is none.
    A raised number (marked in `raw`) opens its note whatever the text opens with ("3 2,5% van de
    subsidie", "11 15 miljoen euro voor …")."""
    text = raw.replace("\x00", "")
    if expected is None:
        m = FOOTNOTE_START.match(text)
        return (int(m.group(1)), text[m.end():].strip()) if m else (None, text)
    for n in (expected, expected + 1):
        if text.strip() == str(n):  # the number on a line of its own
            return n, ""
        if raised := re.match(rf"\s*\x00{n}(?!\d)(?!\x00)\s+(?=\S)", raw):
            return n, raw[raised.end():].replace("\x00", "").strip()
        if (rest := note_text(text, n)) is not None:
            return n, rest
    return None, text


def extract_pdf(path: str) -> PdfLayout:
    try:
        return _extract_pdf(path)
    except _parser_errors() as exc:  # a page damaged past the cross-reference table
        raise _unreadable(exc) from exc


def _extract_pdf(path: str) -> PdfLayout:
    pdf = _open(path)
    with pdf:
        if not any(p.chars for p in pdf.pages):
            raise IngestError("extract", "no text layer (scanned?); OCR is not supported")
        sizes = Counter()
        for p in pdf.pages:
            for c in p.chars:
                if c["text"].startswith("(cid:"):
                    c["text"] = CID.sub(UNMAPPED, c["text"])
            sizes.update(round(c["size"], 1) for c in p.chars if c["text"].strip())
        body_size = sizes.most_common(1)[0][0]
        pages = [_lines(p, i, body_size) for i, p in enumerate(pdf.pages, start=1)]
        heights = [p.height for p in pdf.pages]
        source = "\n".join("".join(c["text"] for c in p.chars) for p in pdf.pages)
        empty = [i for i, p in enumerate(pdf.pages, start=1) if not any(c["text"].strip() for c in p.chars)]
    furn = furniture_lines([[ln.text.replace("\x00", "") for ln in lines] for lines in pages])
    furniture: list[tuple[str, str, int]] = []
    notes: list[RawFootnote] = []
    letterhead: list[str] = []
    page_texts: list[str] = []

    for p, page_lines in enumerate(pages):
        body: list[Line] = []
        for i, ln in enumerate(page_lines):
            if ln.column and ln.size < 0.92 * body_size:  # a colofon column beside the body
                furniture.append(("colofon", ln.text.replace("\x00", ""), ln.page))
            elif (p, i) in furn:
                kind = "page_number" if PAGE_NUMBER.match(ln.text.replace("\x00", "")) else "running"
                furniture.append((kind, ln.text.replace("\x00", ""), ln.page))
            else:
                body.append(ln)
        foot = _colofon(body, heights[p], body_size)
        head = _running_head(body[:foot], heights[p], body_size)
        furniture += [("running", ln.text.replace("\x00", ""), ln.page) for ln in body[:head]]
        furniture += [("colofon", ln.text.replace("\x00", ""), ln.page) for ln in body[foot:]]
        body = body[head:foot]
        # The footnote zone: the run of small-font lines at the foot of the page, set close together. A
        # table or caption in small print stands apart from the notes below it (on the real papers at
        # hand, lines within a zone are under one body size apart; a table above two notes, 16). A note
        # whose text came in a larger type (a link pasted in 9.75 points) is no small print, but it opens
        # with its raised number, the one before the note that opens below it.
        zone_start, below = len(body), None  # the number of the topmost note in the zone so far
        while zone_start > 0 and (zone_start == len(body) or
                                  body[zone_start].top - body[zone_start - 1].bottom < NOTE_GAP * body_size):
            ln = body[zone_start - 1]
            raised = re.match(r"\x00(\d+)\s", ln.text)
            if not (ln.size < 0.92 * body_size or raised and below is not None and int(raised.group(1)) == below - 1):
                break
            zone_start -= 1
            if opens := _opens_note(ln):
                below = int(opens.group(1))
        if zone_start == len(body) or not (_opens_note(body[zone_start]) or notes):
            unfinished = bool(notes) and not re.search(r"[.!?)»]$", notes[-1].text.strip())
            zone_start = _plain_zone(body, notes[-1].number + 1 if notes else 1, heights[p], unfinished)
        zone = body[zone_start:]
        texts = [ln.text.replace("\x00", "") for ln in zone]
        if zone and (FOOTNOTE_START.match(texts[0]) or notes):
            body = body[:zone_start]
            for ln, text in zip(zone, texts):
                number, rest = _note_number(ln.text, notes[-1].number + 1 if notes else None)
                if number is not None:
                    notes.append(RawFootnote(number, rest, ln.page))
                elif notes:
                    notes[-1].text += "\n" + text
        page_texts.append(_page_body(body, body_size, letterhead))

    numbers = {n.number for n in notes}
    orphans = sorted({int(n) for n in re.findall(r"\x00(\d+)", "\f".join(page_texts))} - numbers)

    def unmark(m: re.Match) -> str:
        return mark(m.group(1)) if int(m.group(1)) in numbers else m.group(1)

    body = re.sub(r"\x00(\d+)", unmark, "\f".join(page_texts))
    furniture += [("letterhead", ln, 1) for ln in letterhead if ln.strip()]
    return PdfLayout(body, notes, furniture, "\n".join(letterhead), len(pages), source, empty, orphans)


def _plain_zone(lines: list[Line], expected: int, height: float, unfinished: bool) -> int:
    """Notes set in the body's own size: the zone opens at the first line in the lower half of the
    page that starts with the next note number whose raised marker stands above it. A note left
    `unfinished` on the page before goes on in the lines right above, below a gap."""
    marker = re.compile(f"\x00{expected}(?!\\d)")
    opens = re.compile(f"\x00?{expected}(?!\\d)\\s*\\S")
    for i, ln in enumerate(lines):
        if ln.top > 0.5 * height and opens.match(ln.text) and any(marker.search(x.text) for x in lines[:i]):
            if not unfinished or i < 2:
                return i
            pitch = statistics.median(b.top - a.top for a, b in zip(lines, lines[1:]))
            j = i
            while j > 1 and lines[j].top - lines[j - 1].top < 1.5 * pitch and lines[j - 1].top > 0.5 * height:
                j -= 1
            gap_above = lines[j].top - lines[j - 1].top >= 1.5 * pitch
            return j if gap_above and lines[j].text[:1].islower() else i
    return len(lines)


def _running_head(lines: list[Line], height: float, body_size: float) -> int:
    """How many lines at the top of the page are a running header in small print standing apart,
    found on a one-page paper too (where no repetition shows it)."""
    for i in range(1, min(3, len(lines))):
        if lines[i - 1].size >= 0.92 * body_size or lines[i - 1].bottom > 0.12 * height:
            break
        if lines[i].top - lines[i - 1].bottom >= 1.5 * body_size:
            return i
    return 0


def _colofon(lines: list[Line], height: float, body_size: float) -> int:
    """Index of a colofon standing apart at the very foot of the page ("ah-tk-20232024-2313",
    "ISSN …", "’s-Gravenhage 2024 Tweede Kamer, …"), len(lines) when there is none: a few lines in
    the bottom eighth of the page, far below the rest, none of them a footnote."""
    i = len(lines)
    while i > 0 and lines[i - 1].top > 0.88 * height and len(lines) - i < 4:
        i -= 1
    if i == len(lines) or any(_opens_note(ln) for ln in lines[i:]):
        return len(lines)
    if i and lines[i].top - lines[i - 1].bottom < 3 * body_size:
        return len(lines)
    return i


def _page_body(lines: list[Line], body_size: float, letterhead: list[str]) -> str:
    """Lines of one page to paragraphs; the letterhead above the salutation is set apart."""
    if lines and lines[0].page == 1:
        for i, ln in enumerate(lines):
            if SALUTATION.match(ln.text):
                letterhead.extend(x.text.replace("\x00", "") for x in lines[:i])
                lines = lines[i:]
                break
    if not lines:
        return ""
    pitches = [b.top - a.top for a, b in zip(lines, lines[1:]) if 0 < b.top - a.top < 3 * body_size]
    pitch = statistics.median(pitches) if pitches else 1.2 * body_size
    right = max(ln.x1 for ln in lines)
    out: list[str] = []
    for i, ln in enumerate(lines):
        goes_on = False
        if i:
            prev = lines[i - 1]
            gap = ln.top - prev.top
            short = prev.x1 < right - 0.15 * (right - prev.x0)
            short_end = short and re.search(r"[.!?:]$", prev.text)
            # "3. Agendapunt: Wijziging van de Kieswet … houdende invoering van" / "het stemmen met een stempas"
            # (bold): a title wrapped onto a line of another weight is one paragraph, and no heading
            # a bold heading nearly as long as the body's lines, over a paragraph set right under it; a line in
            # lower case goes on the one above unless it opens with a label ("a) Bevoegdheid" under "4. …")
            heads = prev.bold and not ln.bold and ln.text[:1].isupper() and not ends_open(prev.text)
            goes_on = gap <= 1.3 * pitch and prev.column == ln.column and not heads and (
                (ln.text[:1].islower() and not BULLET.match(ln.text)) or re.match(r"-\w", ln.text) or ends_open(prev.text)
                or not (short or re.search(r"[.!?:;]$", prev.text)))
            out.append("\n" if goes_on else "\n\n" if gap > 1.3 * pitch or short_end or prev.bold != ln.bold
                       or prev.column != ln.column or ITEM.match(ln.text) else "\n")
        out.append((HEADING if ln.bold and not goes_on and (i == 0 or not lines[i - 1].bold) else "") + ln.text)
    return "".join(out)
