"""Text files in the shapes converters produce, to the intermediate body form of `layout`.

| shape | marker | footnote body |
|---|---|---|
| word-export | ``[footnoteRef:4]`` | ``[4:  Kst. …]`` after the paragraph |
| markdown-from-pdf | ``<sup>1</sup>`` | ``<sup>1</sup> Zie …`` at the foot of a page; letterhead repeated per page |
| pdf-text | a digit glued to a word: ``zorg.3`` | a line ``3 Zie …`` at the foot of a page |
| plain | none | none; one paragraph a line |
"""
from __future__ import annotations

import codecs
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace

from .dutch import ends_open
from .errors import IngestError
from .layout import (AMOUNT, HEADING, ITEM, LABEL, PAGE_FOOT, PAGE_NUMBER, PAGINA, SIGNER, TERMINAL, RawFootnote,
                     colophon, furniture_lines, mark, note_text, printed, running_foot, unglue_column)
from .model import CID, UNMAPPED

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
    orphan_markers: list[int] = field(default_factory=list)  # markers glued on after the last note, no note read


# the accented letters Dutch writes (and its French and Spanish loanwords): "één", "geïnvesteerde", "Curaçao"
DUTCH_ACCENTS = set("áàâäéèêëíìîïóòôöúùûüçñ" "ÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜÇÑ")


def _letters_in_words(text: str) -> int:
    """Non-ASCII characters inside words that are Dutch accented letters ("geïnvesteerde"), less those
    that are no letter at all ("ge•nvesteerde": Mac Roman read as cp1252)."""
    score = 0
    for m in re.finditer(r"(?<=[^\W\d_])[^\x00-\x7f](?=[^\W\d_])", text):
        before, after = text[m.start() - 1], text[m.end()]
        if before.isascii() or after.isascii():  # beside a plain letter: in a word, not in a run of symbols
            c = m.group()
            score += 1 if c in DUTCH_ACCENTS else 0 if c.isalpha() else -1
    return score


def _legacy(data: bytes) -> str:
    """cp1252 (Windows) or Mac Roman (old Mac exports): the reading whose accented characters are letters
    inside words; cp1252 when the text gives no sign either way."""
    readings = {}
    for encoding in ("cp1252", "mac_roman"):
        try:
            readings[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    scores = {e: _letters_in_words(t) for e, t in readings.items()}
    best = max(readings, key=lambda e: (scores[e], e == "cp1252"))
    if best == "mac_roman" and scores[best] <= 0:  # every byte is some Mac Roman character: no evidence
        raise IngestError("extract", "not UTF-8, cp1252 or Mac Roman: unknown text encoding")
    return readings[best]


CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
# pdftotext writes a glyph it cannot map as its font's code, a control character ("\x08" for a brochure's
# icon): a few are such glyphs, shown as U+FFFD and named by the check; NUL or many mean a binary file.
MAX_CONTROL_SHARE = 0.005


def decode(data: bytes) -> str:
    """UTF-8, UTF-16 with its byte order mark (Word's "Unicode text"), or cp1252 or Mac Roman, whichever
    reads as words; anything else is a clear error."""
    if not data.strip():
        raise IngestError("extract", "empty file")
    try:
        text = data.decode("utf-16" if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig")
    except UnicodeDecodeError:
        if data.count(b"\x00") > len(data) // 10:
            raise IngestError("extract", "not a text file (NUL bytes: binary or UTF-16)") from None
        text = _legacy(data)
    controls = CONTROL.findall(text)
    if "\x00" in controls or len(controls) > max(3, MAX_CONTROL_SHARE * len(text)):
        raise IngestError("extract", "not a text file: control characters in the text")
    text = CID.sub(UNMAPPED, CONTROL.sub(UNMAPPED, text))
    # NFC: converters write "ğ" as "g" plus a combining breve, which no rule would read as one letter
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


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
    if shape == "markdown-from-pdf" and not SUP.search(text):
        # Markdown written from PDF text without <sup>: notes are "N text" lines at the page foot.
        return replace(_pdf_text(_md_as_pdf_text(text)), shape=shape)
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

    def printers(p: str) -> bool:  # colophon or masthead: furniture on its own
        return all(printed(ln) for ln in map(_md_plain, p.splitlines()) if ln.strip())

    furniture_like = [(repeated(p) or labelled(p) or printers(p)) and not SUP_NOTE.match(p) for p in paras]
    # Letterhead is a run of such paragraphs, or a lone labelled one ("Kenmerk" on later pages).
    is_furniture = [False] * len(paras)
    i = 0
    while i < len(paras):
        j = i
        while j < len(paras) and furniture_like[j]:
            j += 1
        if j - i >= 2 or (j - i == 1 and (labelled(paras[i]) or printers(paras[i]))):
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


def _md_as_pdf_text(text: str) -> str:
    """Markdown to the pdf-text shape: "-----" rules are page breaks, "[3 ]" markers glued digits, and two
    notes at one place ("[4 5 ]") digits glued to a comma ("4,5"), as a PDF's text reads."""
    text = re.sub(r"\[(\d{1,3}(?:[ \t,]+\d{1,3})*)[ \t]*\]", lambda m: ",".join(re.findall(r"\d+", m.group(1))), text)
    text = "\n".join(_md_plain(re.sub(r"^\s*#{1,6}\s*", "", ln)) for ln in text.split("\n"))
    return re.sub(r"(?m)^[ \t]*-{5,}[ \t]*$", "\f", text)


def _md_paragraph(p: str) -> str:
    lines = p.splitlines()
    first = lines[0].strip()
    heading = bool(re.match(r"^#{1,6}\s", first)) or (
        len(lines) == 1 and re.fullmatch(r"\*\*[^*].*\*\*:?", first) is not None)
    lines = [_md_plain(re.sub(r"^\s*#{1,6}\s*", "", ln)) for ln in lines]
    return (HEADING if heading else "") + "\n".join(lines)


# -- pdf-text ----------------------------------------------------------------------------------
# Every converter writes the same page: body lines, then note lines "N text" (the number glued to the
# text or not), then page-foot furniture ("Pagina 1 van 6", a running header). Form feeds may be
# missing, so pages are found from the text too; a note zone is only as long as its notes run on.

MAX_NOTE_LINES = 8
# notes in a row a converter may lose on one page (set beside a figure, mixed with the body) while the
# reader still finds the page's notes after them, whose markers the body holds
MAX_LOST = 5
FOOT_LINES = 6  # a page's last lines, where a note's number set apart from its text stands
FOOT_SCAN = 40  # lines up from a page's foot where its notes' texts, their numbers set apart, may open
WEB = re.compile(r"(?:https?://|www\.)", re.I)
BARE_NUMBER = re.compile(r"\s*\d{1,4}\s*")  # a line that is a number alone
PAGE_OF_IN = re.compile(rf"(?:^|(?<=\s))(?=P)(?i:{PAGINA})\s+\d{{1,4}}\s+van\s+\d{{1,4}}(?!\d)")
SOFT_HYPHEN = re.compile("[\u00ad\ufffe](?=\n|$)")
# pdfplumber sets a formula's subscript on a line of its own under the line that holds the formula, leaving
# a space in its place: "de CO -opslag" over "2". Only a line with one such formula and a lone 2, 3 or 4
# under it: a number alone elsewhere may be a page's or a note's.
FORMULA_GAP = re.compile(r"(?<![\w-])(?:CO|SO|NO|CH|NH)(?= -| [a-zà-ÿ]| ?$)")
SUBSCRIPT_LINE = re.compile(r"^([^\n]*)\n[ \t]*([2-4])[ \t]*(?=\n)", re.M)
# A marker digit: glued to a word or punctuation ("zorg.3", "afgedaan.5"), after one space
# ("akkoord» 1,"), on a line of its own, or opening a line that goes on in lower case.
MARKER_BEFORE = r"(?<=[a-zà-ÿ.,;:!?)»”’'\"\]])"


def _marker(n: int, how: str) -> re.Pattern:
    # "«Goede bedoelingen»2?": a question's marker before its mark; "Strategy 1”.": before a closing quote
    tail = r"(?=[\s.,;:!?)\]”’»]|$)"
    return re.compile({"glued": MARKER_BEFORE + f"{n}" + tail,
                       "spaced": MARKER_BEFORE + f"[ \t]{n}" + tail,
                       "alone": rf"(?m)\n[ \t]*{n}[ \t]*$",
                       "leading": rf"\n[ \t]*{n}[ \t]+(?=[a-zà-ÿ])"}[how])


MARKER_KINDS = ("glued", "spaced", "alone", "leading")
# Where no such marker is found, a converter may have glued it to a year or an acronym ("(VTV) 20242 blijkt",
# "review IZA9,") or set it after a year or a span of years ("18 oktober 2021 6 is", "15 februari 2022 5,",
# "Stroomgebiedbeheerplannen 2022-2027 8,"). Dutch writes no
# amount as five digits unbroken, so a year with digits glued on is taken; an acronym only when it stands alone elsewhere in the
# paper or its notes ("IZA"; "ABOARD11", whose note says "(ABOARD)"), so that "COVID19" stays whole.
YEARS = r"(?<![\w-])(?:(?:19|20)\d\d[–-])?(?:19|20)\d\d"  # "2024", "2022-2027"
WEAK_MARKERS = (YEARS + r"()({n})(?=[\s.,;:!?)\]]|$)",
                r"(?<![\w-])([A-Z][A-Za-z]*[A-Z])({n})(?=[\s.,;:!?)\]]|$)",
                YEARS + r"()([ \t]{n})(?=[ \t]+[a-zà-ÿ]|[,;:])")


def _weak_marker(page: str, text: str, n: int, start: int) -> re.Match | None:
    """The first weak marker of note `n` after `start`: the match of its digits (with the space before)."""
    for pattern in WEAK_MARKERS:
        for m in re.compile(pattern.format(n=n)).finditer(page, start):
            if not m.group(1) or re.search(rf"(?<![\w-]){re.escape(m.group(1))}(?![\w-])", text):
                return re.compile(re.escape(m.group(2))).match(page, m.start(2))
    return None


def _has_marker(text: str, n: int, kinds: tuple[str, ...] = MARKER_KINDS, notes: str = "") -> bool:
    """A marker of note n in `text`; an acronym it is glued to may stand alone in the page's `notes` too
    ("ABOARD11" / "11 … (ABOARD), zie …": the note spells the acronym out)."""
    return any(_marker(n, how).search(text) for how in kinds) or _weak_marker(text, f"{text}\n{notes}", n, 0) is not None


def _opens_surely(text: str) -> bool:
    """A note's text that no sentence going on opens with: a capital, a web address or an amount."""
    return bool(text[:1].isupper() or WEB.match(text) or re.match(AMOUNT, text))


def _closes(line: str, cited: bool = False) -> bool:
    """A line that can end a note: it ends a sentence, or holds a web address not broken at its end; with
    `cited`, where notes' texts stand apart from their numbers, also a reference's number ("…, nr. 380",
    "…, nrs. 431 en 437")."""
    return bool(re.search(r"[.!?)»]$", line.strip()) or (WEB.search(line) and not line.rstrip().endswith("-"))
                or (cited and re.search(r"\bnrs?\.\s*\d+(?:\s*(?:,|en)\s*\d+)*$", line.strip())))


def _subscripts(text: str) -> str:
    """A formula's subscript set on the line under it put back: "de CO -opslag" over "2" is "de CO2-opslag"."""
    def back(m: re.Match) -> str:
        gaps = list(FORMULA_GAP.finditer(m[1]))
        if len(gaps) != 1:
            return m[0]
        at = gaps[0].end()
        rest = m[1][at:].lstrip(" ")
        return f"{m[1][:at]}{m[2]}{'' if rest.startswith('-') or not rest else ' '}{rest}"
    return SUBSCRIPT_LINE.sub(back, text)


def _split_pages(text: str) -> tuple[list[list[str]], bool]:
    """Pages as lines, and whether their ends are sure. Without form feeds a page ends after its
    "Pagina N van M" line, a printed paper's running foot (and the page number under it) or a bare page
    number (sure), or before a running header that recurs on every page (not sure)."""
    # pypdfium2 writes U+FFFE where a hyphen ended a line, and runs the two lines together; pdfplumber sets a
    # formula's subscript under its line
    text = _subscripts(SOFT_HYPHEN.sub("-", text).replace("\u00ad", "").replace("\ufffe", "-\n"))
    pages = []
    for chunk in text.split("\f"):
        lines = []
        for ln in chunk.split("\n"):
            # "Kenmerk … Pagina 1 van 2Ministerie van …", "ISSN 0921 - 7398’s-Gravenhage 2023Tweede Kamer, …,
            # Aanhangsel 1Antwoord 3": the next page's first line glued to a page foot
            m = PAGE_OF_IN.search(ln)
            end = m.end() if m else colophon(ln)
            lines.extend([ln[:end].strip(), ln[end:].strip()] if end and ln[end:].strip() else [ln.rstrip()])
        pages.append(lines)
    if len(pages) > 1:
        return pages, True
    lines = pages[0]
    # pypdfium2 writes a page's foot first: no page ends there
    top = next((i for i, ln in enumerate(lines) if ln.strip()), len(lines))
    cuts, feet = set(), set()
    for i, ln in enumerate(lines[top + 1:], start=top + 1):
        if PAGE_FOOT.search(ln):
            cuts.add(i + 1)
        elif running_foot(ln):  # its page number may stand under it
            after = next((k for k in range(i + 1, len(lines)) if lines[k].strip()), None)
            feet.add(after + 1 if after is not None and BARE_NUMBER.fullmatch(lines[after]) else i + 1)
    # bare numbers that count up end pages only where no running foot does: a note's number may count too
    cuts |= feet or {i + 1 for i in _bare_page_numbers(lines)}
    sure = bool(cuts)  # a page that ends at its foot is as sure as one from a form feed
    if not cuts:
        keys = Counter(_key(ln) for ln in lines if len(ln.strip()) >= 12)
        cuts = {i for i, ln in enumerate(lines) if i > 0 and len(ln.strip()) >= 12 and keys[_key(ln)] >= 3}
    end = max((i for i, ln in enumerate(lines) if ln.strip()), default=0)  # no page of blank lines after the last
    bounds = [0, *sorted(c for c in cuts if 0 < c <= end), len(lines)]
    return [lines[a:b] for a, b in zip(bounds, bounds[1:]) if a < b], sure


def _bare_page_numbers(lines: list[str]) -> list[int]:
    """The lines of page numbers printed bare, in a text without form feeds: the longest run of bare numbers
    between blank lines that counts up by one ("1" … "2" … "3"), if three or more; note numbers set apart
    from their notes have their text right under them."""
    bare = [(i, int(ln)) for i, ln in enumerate(lines) if BARE_NUMBER.fullmatch(ln) and i
            and not lines[i - 1].strip() and (i + 1 == len(lines) or not lines[i + 1].strip())]
    best: list[int] = []
    for k, (_, first) in enumerate(bare):
        run = []
        for i, n in bare[k:]:
            if n == first + len(run):
                run.append(i)
        best = max(best, run, key=len)
    return best if len(best) >= 3 else []


def _foot_companions(pages: list[list[str]]) -> set[tuple[int, int]]:
    """(page, line) of a short line standing alone (blank lines around it) right above the "Pagina N van M"
    line: the rest of the page foot ("Aanhangsel van de Handelingen"), found on a one-page paper too. Where
    several pages have that foot, only a line that recurs there: a heading or a signature left at one page's foot
    is body. Not a line that opens with a number: that is a note, or a note's number set after its text."""
    out = {}
    feet = 0
    for p, lines in enumerate(pages):
        for k, ln in enumerate(lines):
            if not PAGE_FOOT.search(ln):
                continue
            feet += 1
            j = k - 1
            while j >= 0 and not lines[j].strip():
                j -= 1
            if (1 <= j < k - 1 and not lines[j - 1].strip() and len(lines[j].strip()) < 60
                    and not re.search(r"[.!?:;,)»]$", lines[j].strip()) and not lines[j].strip()[:1].isdigit()):
                out[p, j] = _key(lines[j])
    keys = Counter(out.values())
    return {at for at, key in out.items() if feet == 1 or keys[key] > 1}


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line).strip().casefold())


def _pdf_text(text: str) -> TextLayout:
    pages, fed = _split_pages(text)
    pages = unglue_column(pages)
    solid = [[i for i, ln in enumerate(pg) if ln.strip()] for pg in pages]
    furn = {(p, solid[p][i]) for p, i in furniture_lines([[pages[p][i] for i in idx] for p, idx in enumerate(solid)])}
    furn |= _foot_companions(pages)
    furniture = [("page_number" if PAGE_NUMBER.match(pages[p][i]) else "running", pages[p][i].strip(), p + 1)
                 for p, i in sorted(furn)]
    notes: list[RawFootnote] = []
    page_bodies: list[list[str]] = []
    letterhead: list[str] = []
    for p, lines in enumerate(pages):
        lines = [ln for i, ln in enumerate(lines) if (p, i) not in furn]
        if p == 0:
            letterhead, lines = split_letterhead(lines)
        before = page_bodies[-1] if page_bodies else []
        named = any(q == p and PAGE_FOOT.search(pages[q][i]) for q, i in furn)
        parts = _take_notes(lines, notes, len(page_bodies), fed, before, named)
        # numbers set after notes that were not read, at the foot of a page that names its number: no body
        while named and parts[-1] and (not parts[-1][-1].strip() or parts[-1][-1].strip().isdigit()):
            if number := parts[-1].pop().strip():
                furniture.append(("note_number", number, p + 1))
        page_bodies.extend(parts)
    body = "\f".join(_paragraphs(lines) for lines in page_bodies)
    body = _mark_markers(body, notes)
    return TextLayout("pdf-text", body, notes, furniture + _letterhead_rows(letterhead), "\n".join(letterhead),
                      sorted({*_unread_markers(body, notes), *_notes_left(page_bodies, notes, body)}))


def _take_notes(lines: list[str], notes: list[RawFootnote], base: int, fed: bool,
                before: list[str], named: bool) -> list[list[str]]:
    """Body lines of one page, the notes at its foot appended to `notes`. Without form feeds a
    note zone can stand mid-"page" (pages joined by the converter): the body after it is a new page.
    On a page that names its number ("Pagina 15 van 32") a bare number is no page number."""
    out: list[list[str]] = []
    expected = notes[-1].number + 1 if notes else 1
    page = 0 if named else base + 1
    # numbers set apart from their notes first: the texts under a run of them are no earlier note going on
    # then, where no zone opens at the next note, numbers and texts mixed at the foot (their numbers may start
    # later: notes lost on a page before)
    apart = (_stranded(lines, expected, fed, before, page) or _numbers_first(lines, expected, before)
             or (not _find_zone(lines, expected, fed, before)
                 and _foot_apart(lines, range(expected, expected + 1 + MAX_LOST * bool(notes)), before, page)))
    if apart:
        lines = apart[0]
    if notes and _left_open(notes[-1].text):
        lines = _continued_note(lines, notes[-1], _runs_on(next((ln for ln in reversed(before) if ln.strip()), "")))
    notes.extend(RawFootnote(n, t, base + 1) for n, t in (apart[1] if apart else []))
    while True:
        earlier = before + [ln for part in out for ln in part]
        zone = _find_zone(lines, notes[-1].number + 1 if notes else 1, fed, earlier)
        if zone is None and notes:  # notes lost by the converter: a zone opening at a later number, in capitals
            last = notes[-1].number
            zone = next((_with_unmarked_note(found, later - 1) for later in range(last + 2, last + 2 + MAX_LOST)
                         if (found := _find_zone(lines, later, fed, earlier, lower_ok=False))), None)
        if zone is None and notes:  # numbering that starts again: an annex, a second paper in the file
            zone = _find_zone(lines, 1, fed, [ln for part in out for ln in part])
        if zone is None:
            out.append(lines)
            return out
        lines, start, end, found = zone
        out.append(lines[:start])
        notes.extend(RawFootnote(n, t, base + len(out)) for n, t in found)
        lines = lines[end:]
        if not any(ln.strip() for ln in lines):
            return out


def _with_unmarked_note(zone, n: int):
    """A zone that opens at note n + 1, and right above it a line that opens note n, whose marker was not
    found ("ESPR2": glued to an acronym the paper writes nowhere else): that line is note n."""
    if zone is None or zone[1] == 0 or (rest := note_text(zone[0][zone[1] - 1], n)) is None or not rest[:1].isupper():
        return zone
    lines, start, end, found = zone
    return lines, start - 1, end, [(n, rest), *found]


def _continued_note(lines: list[str], note: RawFootnote, body_runs_on: bool) -> list[str]:
    """A note left unfinished at the foot of the last page goes on at the foot of this one, above
    this page's own notes: lines opening in lower case after a sentence end, a short line or a gap.
    Not the page's first line where the body above ended mid-sentence: that is the body going on."""
    start = next((i for i in range(len(lines)) if _note_at(lines, i, note.number + 1)), len(lines))
    while start > 0 and not lines[start - 1].strip():
        start -= 1
    top = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
    for j in range(start - 1, max(-1, start - 8), -1):
        first = lines[j].strip()
        prev = lines[j - 1].strip() if j else ""
        if j == top and body_runs_on:
            break
        # not under a bare number: that is the next note's, set apart from its text
        if first[:1].islower() and (not prev or re.search(r"[.!?:]$", prev) or len(prev) < 40) and not prev.isdigit():
            note.text += "\n" + "\n".join(ln.strip() for ln in lines[j:start] if ln.strip())
            return [*lines[:j], *lines[start:]]
    return lines


def _stranded(lines: list[str], expected: int, fed: bool, earlier: list[str], page: int):
    """Notes whose numbers pdftotext wrote after them, closing the page ("Kamerstuk 33 009, nr. 117." …
    "1"): (the page's lines without them, [(number, text)]) or None. The bare numbers run on from the
    next note's; their texts stand right above the notes that open with a number, if any, else above
    the numbers: one note per group of lines that opens in capitals and closes a sentence, or one per
    line where a block of as many lines stands apart ("Kamerstukken II 2019/20, 31936, nr. 726"). One
    bare number that is the page's own is its page number."""
    solid = [i for i, ln in enumerate(lines) if ln.strip()]
    tail = []
    while solid and re.fullmatch(r"\d{1,3}", lines[solid[-1]].strip()):
        tail.insert(0, solid.pop())
    numbers = [int(lines[i].strip()) for i in tail]
    if not numbers or numbers != list(range(expected, expected + len(numbers))) or numbers == [page]:
        return None
    rest = lines[:tail[0]]
    zone = _find_zone(rest, numbers[-1] + 1, fed, earlier)
    below = zone[1] if zone and zone[0] is rest else len(rest)
    while below and not rest[below - 1].strip():
        below -= 1
    block = below
    while block and rest[block - 1].strip():
        block -= 1
    if block and below - block == len(numbers) and all(_opens_surely(rest[j].strip()) for j in range(block, below)):
        groups = [(j, j) for j in range(block, below)]
    else:
        groups, top = [], below
        for _ in numbers:
            last = next((j for j in range(top - 1, -1, -1) if rest[j].strip()), None)
            if last is None or not _closes(rest[last], cited=True):
                return None
            first = _note_top(rest, last)
            if not first:
                return None
            groups.insert(0, (first, last))
            top = first
    page_text = "\n".join(lines)
    if not all(_has_marker("\n".join([*earlier[-60:], *rest[:first]]), n, notes=page_text)
               for n, (first, _) in zip(numbers, groups)):
        return None
    found = [(n, "\n".join(ln.strip() for ln in rest[first:last + 1] if ln.strip()))
             for n, (first, last) in zip(numbers, groups)]
    return [*rest[:groups[0][0]], *rest[below:]], found


def _note_top(lines: list[str], last: int) -> int | None:
    """The first line of a note whose text ends at line `last`, going up: the nearest line not in lower case,
    not past a line that ends a sentence (the body's). Where the body runs on into that line, a web address
    under it opens the note ("… wordt in 2026" / "https://…")."""
    for j in range(last, -1, -1):
        text = lines[j].strip()
        if j < last and re.search(r"[.!?]$", text):
            return j + 1
        if not text[:1].islower():
            break
    else:
        return None
    if j and _runs_on(lines[j - 1]):
        return next((k for k in range(j + 1, last + 1) if WEB.match(lines[k].strip()) and _prose(lines[k - 1])), j)
    return j


def _prose(line: str) -> bool:
    """A body line that no web address goes on from: words, no address, not introducing one ("…, zie:")."""
    return " " in line.strip() and not WEB.search(line) and not line.rstrip().endswith(":")


def _numbers_first(lines: list[str], expected: int, earlier: list[str]):
    """Notes whose numbers pdftotext wrote in a run above their texts ("2" / "3" / "Kamerstukken II …, nr. 432."
    / "https://…"): (the page's lines without them, [(number, text)]) or None. Two numbers or more, the next
    note's on, their texts to the page foot (or to the next note that opens with its number), one per group of
    lines that ends a sentence or is a web address, or one per line where there are as many lines."""
    solid = [i for i, ln in enumerate(lines) if ln.strip()]
    for k, i in enumerate(solid):
        run = []
        while k + len(run) < len(solid) and lines[solid[k + len(run)]].strip() == str(expected + len(run)):
            run.append(solid[k + len(run)])
        if len(run) < 2:
            continue
        after = solid[k + len(run):]
        end = next((j for j in after if _note_at(lines, j, expected + len(run))), len(lines))
        groups: list[list[str]] = [[]]
        for j in (j for j in after if j < end):
            groups[-1].append(lines[j].strip())
            if _closes(lines[j], cited=True):
                groups.append([])
        groups = [g for g in groups if g]
        if len(groups) < len(run) == sum(map(len, groups)):  # one line each, none ending a sentence
            groups = [[ln] for g in groups for ln in g]
        numbers = range(expected, expected + len(run))
        above, page_text = "\n".join([*earlier[-60:], *lines[:i]]), "\n".join(lines)
        if len(groups) != len(run) or not all(_has_marker(above, n, notes=page_text) for n in numbers):
            return None
        return [*lines[:i], *lines[end:]], [(n, "\n".join(g)) for n, g in zip(numbers, groups)]
    return None


def _foot_apart(lines: list[str], firsts: range, earlier: list[str], page: int):
    """Notes whose numbers pdftotext set apart from their texts at the page foot in any order ("Barro = …" /
    "12" / "Vereniging …" / "11"; "20" / "21" / "https://…" / "https://…" / "22" / "https://…"): (the page's
    lines without them, [(number, text)]) or None. The texts keep their order and the numbers do not, so
    the foot's k texts pair with its k numbers sorted, which run on from one of `firsts`. Where the foot
    could open at two lines, or at none, it is not read: no guess."""
    solid = [i for i, ln in enumerate(lines) if ln.strip()]
    bare = {i for i in solid if re.fullmatch(r"\d{1,3}", lines[i].strip())}
    reads = []
    for t in range(len(solid) - 1, max(0, len(solid) - FOOT_SCAN), -1):
        numbers = sorted(int(lines[i].strip()) for i in solid[t:] if i in bare)
        if (solid[t - 1] in bare or not numbers or numbers[0] not in firsts or numbers == [page]
                or numbers != list(range(numbers[0], numbers[0] + len(numbers)))
                # the foot holds all of the page's bare numbers from the next note's on
                or any(firsts.start <= int(lines[i].strip()) <= numbers[-1] for i in bare if i < solid[t])):
            continue
        texts = _foot_texts(lines, solid[t - 1:], bare)
        if texts and len(texts) == len(numbers) and all(text.count("\n") < MAX_NOTE_LINES for text in texts):
            reads.append((solid[t], list(zip(numbers, texts))))
    if len(reads) != 1:
        return None
    top, found = reads[0]
    above, page_text = "\n".join([*earlier[-60:], *lines[:top]]), "\n".join(lines)
    if not all(_has_marker(above, n, notes=page_text) for n, _ in found):
        return None
    return lines[:top], found


def _foot_texts(lines: list[str], solid: list[int], bare: set[int]) -> list[str] | None:
    """The notes' texts among a foot's lines (`solid[1:]`, under the body line `solid[0]`), or None where
    its first text does not open a note (`_opens_note`) but goes on from the body. Under a number only a web
    address goes on ("…Raad%20van%" / "25" / "20State/…", as pdftotext -layout sets it)."""
    texts: list[list[str]] = []
    for prev, i in zip(solid, solid[1:]):
        if i in bare:
            continue
        if _opens_note(lines, i, prev, bare):
            texts.append([])
        elif not texts or (prev in bare and _prose(texts[-1][-1])):
            return None
        texts[-1].append(lines[i].strip())
    return ["\n".join(t) for t in texts]


def _opens_note(lines: list[str], i: int, prev: int, bare: set[int]) -> bool:
    """Line i opens a note whose number stands apart, `prev` the line with text above it: a web address not
    introduced ("…, zie:"); else no line in lower case, but one under a gap, or one that opens surely under a
    number, a line that ends a note or one that introduces it."""
    text, above = lines[i].strip(), lines[prev].strip()
    if WEB.match(text):
        return not above.endswith(":")
    if text[:1].islower():
        return False
    if prev < i - 1 and prev not in bare:
        return True
    return _opens_surely(text) and (prev in bare or above.endswith(":") or _closes(above, cited=True))


def _find_zone(lines: list[str], expected: int, fed: bool, earlier: list[str], lower_ok: bool = True):
    """The notes at the foot of this page: (lines, start, end, [(number, text)]) or None.

    A zone opens at a line "N text", N the next note number with its marker in the body above.
    A note glued onto the end of a body line ("… burger4Het ging …": the converter undid a
    line-end hyphen) is split off first. A zone whose notes read like body paragraphs is no zone."""
    glued_note = re.compile(rf"(?<=[a-zà-ÿ]){expected}(?=[A-Z«\"“(])")
    # A note opening in lower case ("3 ingegaan op …") is more often body after a marker: a last
    # resort, and never right under a line whose sentence runs on. A web address is no such body.
    for lower in (False, True) if lower_ok else (False,):
        for i in range(len(lines)):
            rest = opened[0] if (opened := _note_at(lines, i, expected)) else None
            if rest is None and not lower and (tail := glued_note.search(lines[i])):
                candidate = [*lines[:i], lines[i][:tail.start()], lines[i][tail.start():], *lines[i + 1:]]
                found = _zone_at(candidate, i + 1, expected, fed, earlier)
                if found:
                    return (candidate, i + 1, *found)
            elif rest and (rest[0].islower() and not WEB.match(rest)) == lower and not (lower and _runs_on(lines[i - 1] if i else "")):
                found = _zone_at(lines, i, expected, fed, earlier)
                if found:
                    return (lines, i, *found)
    return None


def _note_at(lines: list[str], i: int, n: int) -> tuple[str, int] | None:
    """Note `n` opening at line `i`: its first text and the index of the line after that text. The
    number opens the line ("3 Zie …"), or stands on a line of its own with the text on the next line
    that holds any (pdftotext sets a raised note number apart from its text, as in the answers to
    Kamervragen of 2023–2024)."""
    if (rest := note_text(lines[i], n)) is not None:
        return rest, i + 1
    if lines[i].strip() != str(n):
        return None
    j = next((j for j in range(i + 1, min(i + 5, len(lines))) if lines[j].strip()), None)
    text = lines[j].strip() if j is not None else ""
    opens = text and (not text[0].isdigit() or re.match(AMOUNT, text))
    return (text, j + 1) if opens and note_text(text, n + 1) is None else None


def _runs_on(line: str) -> bool:
    """A body line whose sentence goes on below it: what follows in lower case is its rest, no note."""
    return bool(line.strip()) and not re.search(r"[.!?:;)»”]$", line.strip())


def _zone_at(lines: list[str], start: int, expected: int, fed: bool, earlier: list[str]):
    if not _has_marker("\n".join([*earlier[-60:], *lines[:start]]), expected, notes="\n".join(lines[start:])):
        return None
    # Notes run to the page foot; where that makes one read like paragraphs, they stand between
    # paragraphs instead and end where they end. A number on a line of its own may be a marker set
    # apart ("…spits»?" / "1" / "Antwoord 1"): notes it opens must run to the foot of a sure page.
    apart = lines[start].strip() == str(expected)
    for to_foot in [True] * fed + [False] * (not apart):
        end, found = _read_zone(lines, start, expected, to_foot)
        if all(t.count("\n") < MAX_NOTE_LINES for _, t in found):
            return end, found
    return None


def _read_zone(lines: list[str], start: int, expected: int, fed: bool) -> tuple[int, list[tuple[int, str]]]:
    """Notes from `start`, and the index after them. On a page from form feeds the zone runs to the
    page end; else a note goes on only while it has not ended."""
    width = max((len(ln.strip()) for ln in lines), default=0)
    found: list[tuple[int, str]] = []
    i = start
    while i < len(lines):
        ln = lines[i].strip()
        # the next number, or (`_opens_surely`, unlike "5 juni 2023" going on) the one after it: a note the
        # converter lost leaves a gap the check names, one whose number it set behind the zone `_numbers_behind`
        # reads
        nxt = found[-1][0] + 1 if found else expected
        number, (rest, after) = next(((n, o) for n in (nxt, nxt + 1) if ln and (o := _note_at(lines, i, n))
                                      and (n == nxt or _opens_surely(o[0]))), (None, (None, i + 1)))
        if not ln:
            pass
        elif rest is not None and (found or number == expected):
            found.append((number, rest))
            i = after
            continue
        elif fed or not _note_ended(found[-1][1], width) or (ln.isdigit() and int(ln) < nxt
                                                             and int(ln) not in {n for n, _ in found}):
            # (a number the zone skipped, set after its notes: `_numbers_behind` reads it)
            found[-1] = (found[-1][0], found[-1][1] + "\n" + ln)
        else:
            break
        i += 1
    return i, _numbers_behind(_run_together(found))


def _numbers_behind(found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Notes whose numbers pdftotext wrote at the zone's end, their texts run on from the note before ("1" /
    "Kamerstukken …, nr. 531." / "Netbeheer Nederland, …" / "3" / … / "2"): each such number that the zone
    lacks takes what follows the first sentence of the note before it (its second line, of two). Numbers
    without such a note before them are no note's text: the check names their notes as missing."""
    if not found:
        return found
    lines = found[-1][1].split("\n")
    behind: list[int] = []
    while len(lines) > 1 and lines[-1].strip().isdigit():
        behind.insert(0, int(lines.pop().strip()))
    notes = dict(found)
    if not behind or any(n in notes for n in behind):
        return found
    notes[found[-1][0]] = "\n".join(lines)
    if any(n - 1 not in notes for n in behind):
        return sorted(notes.items())
    for n in behind:
        parts = notes[n - 1].split("\n")
        # after its first sentence, else a note of two lines is two notes of a line
        cut = next((k + 1 for k, ln in enumerate(parts[:-1]) if _closes(ln)), 1 if len(parts) == 2 else None)
        if cut is None:
            return found
        notes[n - 1], notes[n] = "\n".join(parts[:cut]), "\n".join(parts[cut:])
    return sorted(notes.items())


def _run_together(found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Notes a converter wrote on one line (pypdfium2: "2 Kamerstuk 23 235, nr. 240. 3 Kamerstuk …") apart:
    the next number, not yet read, between spaces before a capital, a web address or an amount."""
    out: list[tuple[int, str]] = []
    numbers = {n for n, _ in found}
    for n, text in found:
        while n + 1 not in numbers and (m := re.search(rf"(?<=\S)[ \t]+{n + 1}[ \t]+(?=[A-Z«“(]|{WEB.pattern}|{AMOUNT})", text)):
            out.append((n, text[:m.start()]))
            n, text = n + 1, text[m.end():]
            numbers.add(n)
        out.append((n, text))
    return out


def _left_open(note: str) -> bool:
    """A note the page's foot cut off: its last line neither closes it (`_closes`, a reference's number too:
    "…, nr. 573" takes no "drs. …" signature from the next page) nor stops well short of the line above it,
    as a wrapped note's last line does ("… | PKI" / "Consortium")."""
    lines = [ln.strip() for ln in note.split("\n") if ln.strip()]
    return not _closes(lines[-1], cited=True) and not (len(lines) > 1 and len(lines[-1]) < 0.5 * len(lines[-2]))


def _note_ended(note: str, width: int) -> bool:
    """A note's last line ends it when it closes a sentence or a web address (`_closes`) short of the full
    line width (0: any)."""
    last = note.rsplit("\n", 1)[-1].strip()
    return _closes(last) and (not width or len(last) < 0.9 * width)


def _mark_markers(body: str, notes: list[RawFootnote]) -> str:
    """Each note's marker becomes a layout marker: on the note's page (else the page before), in
    order after the previous marker: a glued digit, else the first spaced digit, digit alone or digit opening
    a line, never the number of a label line."""
    pages = body.split("\f")
    spelled = "\n".join([body, *(note.text for note in notes)])  # where an acronym a marker is glued to stands alone
    pos = {}  # page index -> offset after the last marker placed there
    for note in notes:
        for p in (note.page - 1, note.page - 2):
            if not 0 <= p < len(pages):
                continue
            found = [_first_marker(pages[p], note.number, how, pos.get(p, 0)) for how in MARKER_KINDS]
            # a glued digit wins; of the weaker kinds the first ("?" / "1" / "Antwoord 1" before "bijlage 1")
            found = found[0] or min((m for m in found[1:] if m), key=lambda m: m.start(), default=None) \
                or _weak_marker(pages[p], spelled, note.number, pos.get(p, 0))
            if found:
                s, e = found.start(), found.end()
                pages[p] = pages[p][:s] + mark(note.number) + pages[p][e:]
                pos[p] = s + len(mark(note.number))
                break
    return "\f".join(pages)


def _unread_markers(body: str, notes: list[RawFootnote]) -> list[int]:
    """The numbers after the last note read whose markers stand glued on in the body, in order after the last
    marker placed ("ruimte3 naar", "domein11."): notes a converter lost at the end of the numbering, which
    leave no gap in it. With no note read, two such markers in a row are needed."""
    last = max((n.number for n in notes), default=0)
    pos = max([body.rfind(mark(n.number)) for n in notes] + [0])
    out = []
    while m := _first_marker(body, last + len(out) + 1, "glued", pos):
        out.append(last + len(out) + 1)
        pos = m.end()
    return out if last or len(out) > 1 else []


def _notes_left(page_bodies: list[list[str]], notes: list[RawFootnote], body: str) -> list[int]:
    """The numbers of lines left in the body that read as notes not read: "12 Kamerstuk 33 009, nr. 117.",
    the text ending a sentence or citing a web address or a year (no numbered heading), or a bare number
    after the last note read among a page's last lines (not a numbered list's); the number's marker in the
    body. Two or more (one may be a numbered paragraph), or one bare number over a line in capitals at the
    text's foot: a note's number set apart over its text ("1" / "Communication from the Commission …")."""
    read = {n.number for n in notes}
    last = max(read, default=0)
    left, apart = set(), set()
    for lines in page_bodies:
        solid = [ln.strip() for ln in lines if ln.strip()]
        for k, ln in enumerate(solid):
            if not (m := re.match(r"(\d{1,3})(?!\d)", ln)) or (n := int(m.group(1))) in read:
                continue
            rest = note_text(ln, n)
            if (ln == m.group(1) and n > last and k >= len(solid) - FOOT_LINES) or (rest and rest[:1].isupper() and (
                    TERMINAL.search(rest) or WEB.search(rest) or re.search(r"\b(?:19|20)\d\d\b", rest))):
                left.add(n)
            if ln == m.group(1) and k + 1 < len(solid) and solid[k + 1][:1].isupper() and lines is page_bodies[-1]:
                apart.add(n)
    # a marker in a sentence: the line itself would be one standing alone
    left = {n for n in left if _has_marker(body, n, ("glued", "spaced"))}
    return sorted(left) if len(left) > 1 or left & apart else []


def _first_marker(text: str, n: int, how: str, pos: int) -> re.Match | None:
    """The first marker of note `n` of one kind (`MARKER_KINDS`) from `pos` that reads as a marker."""
    return next((m for m in _marker(n, how).finditer(text, pos) if not _no_marker(text, m)), None)


def _no_marker(page: str, m: re.Match) -> bool:
    """A digit that reads as no marker: the number of a line that is one word and it ("Vraag 1", "Bijlage
    2": a label), or the decimals of a number the sentence goes on after ("artikel 5.4 om …")."""
    start = page.rfind("\n", 0, m.start()) + 1
    end = page.find("\n", m.end())
    if LABEL.fullmatch(page[start:end if end >= 0 else len(page)]):
        return True
    return bool(re.search(r"\d[.,]$", page[max(0, m.start() - 2):m.start()])
                and re.match(r"[ \t]+[a-zà-ÿ]", page[m.end():m.end() + 3]))


SECTION_LABEL = re.compile(r"\s*(\d{1,2}[.)]|[a-z]\))[ \t]+(?=[A-Z])")  # "4. Beoordeling …", "b) Subsidiariteit"


def _paragraphs(lines: list[str]) -> str:
    """Lines of a page to paragraphs: a short line that ends a sentence ends its paragraph, and a
    short line that ends none is a heading of its own."""
    if not lines:
        return ""
    width = max(len(ln.strip()) for ln in lines)  # as the lines are measured: pdftotext -layout indents them all

    def heading_like(ln: str) -> bool:  # a list's item by its text: "· Aanvullend akkoord" over a paragraph
        ln = ITEM.sub("", ln.strip(), count=1)
        return (len(ln) < 0.8 * width and ln[:1].isupper() and len(ln.split()) <= 12 and not ln.endswith("-")
                and not re.search(r"[.!?:;,]$", ln) and not ends_open(ln))

    def signed(i: int) -> bool:  # a signature ends with the name: on the role's line or the line under it
        role = SIGNER.match(lines[i])
        return bool(role and not lines[i].rstrip().endswith(",")) or bool(
            i and SIGNER.match(lines[i - 1]) and lines[i - 1].rstrip().endswith(",") and not SIGNER.match(lines[i]))

    def label(i: int) -> str | None:  # "4." / "b)" opening line i: its kind, a number or a letter
        m = 0 <= i < len(lines) and SECTION_LABEL.match(lines[i])
        return ("number" if m.group(1)[0].isdigit() else "letter") if m else None

    def section(i: int) -> bool:
        """A numbered part's title, which only a PDF sets in bold ("4. Beoordeling bevoegdheid, …" / "a)
        Bevoegdheid" / "Het oordeel van het kabinet …", a BNC-fiche), not a list's item: no line beside it opens
        with a number, and under it stands a lettered part or a paragraph's full first line (a short line
        under it is the item's sentence going on). Its lettered parts stay items, as the PDF reader reads
        them: not every one's title is short enough to tell it from its text."""
        if label(i) != "number" or i + 1 == len(lines) or "number" in (label(i - 1), label(i + 1)):
            return False
        nxt = lines[i + 1].strip()
        return heading_like(SECTION_LABEL.sub("", lines[i], count=1)) and (
            label(i + 1) is not None or (nxt[:1].isupper() and len(nxt) >= 0.8 * width))

    out: list[str] = []
    for i, ln in enumerate(lines):
        out.append(HEADING + ln.strip() if section(i) else ln.strip())
        if i + 1 == len(lines):
            break
        nxt = lines[i + 1].strip()
        short = len(ln.strip()) < 0.8 * width
        ends = re.search(r"[.!?:]$", ln.strip())
        heading = (heading_like(ln) and nxt[:1].isupper()) or section(i)
        out.append("\n\n" if (short and ends) or heading or not ln.strip() or (ends and heading_like(nxt))
                   or SALUTATION.match(ln) or signed(i) or ITEM.match(nxt) or section(i + 1)
                   else "\n")
    return "".join(out)
