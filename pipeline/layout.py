"""Shared last step of extraction: a marked-up body becomes the document model.

Every shape parser (PDF, word-export, markdown, pdf-text) reduces its input to
the same intermediate form, so the rules for paragraphs, headings, hyphenation
and footnote anchors live here once:

* pages are separated by ``\\f``, paragraphs by a blank line, lines by ``\\n``;
* a footnote marker in the body is ``MARK_OPEN + number + MARK_CLOSE``;
* a paragraph that is a heading starts with ``HEADING``.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from .dutch import alternation, dated_bracket, ends_open, months
from .model import UNMAPPED, Block, Footnote

MARK_OPEN, MARK_CLOSE, HEADING = "\ue000", "\ue001", "\ue002"
MARKER = re.compile(f"{MARK_OPEN}(\\d+){MARK_CLOSE}")
# the comma between two notes' markers at one place ("… verklaring.4, 5 De NZa"): no word of the sentence
BETWEEN_MARKS = re.compile(f"(?<={MARK_CLOSE})[ \t]*,[ \t]*(?={MARK_OPEN})")

# Symbol and Wingdings bullets come through in the private use area when a PDF's font maps them to no
# character ("\uf0b7 Het aanpassen …" from Word's Symbol bullet; U+F0A7 its square, U+F0D8 its arrow), or
# as a glyph the converter could not map at all (UNMAPPED, from "(cid:129)")
DOTS = f"·•▪●◦\uf0b7\uf0a7\uf0d8\uf076\uf0fc{UNMAPPED}"
GLYPHS = f"{DOTS}‒–\\-*"
# a line that opens with a bullet no sentence opens with starts a list item, even set right under the line above
ITEM = re.compile(rf"^\s*[{DOTS}]\s")
BULLET = re.compile(rf"^\s*(?:[{GLYPHS}]|\(?\d{{1,2}}[.)]|\(?[a-z][.)])\s+")
GLYPH_BULLET = re.compile(rf"^\s*[{GLYPHS}]\s+")
TERMINAL = re.compile(r"[.!?:;»”\"')]\s*$")
# Hyphen at a line end that is a real hyphen: "zorg- en", "Noord-Holland", "36 200-XVI".
CONJUNCTIONS = {"en", "of", "tot", "noch", "dan"}
HYPHENATED_WORD = re.compile(r"\b\w+(?:-\w+)+\b")
PAGINA = r"p ?agina"  # "P agina 2 van 7": poppler and pdfminer set a kerned capital P apart
PAGE_NUMBER = re.compile(rf"^\s*(?:{PAGINA}\s+)?-?\s*\d{{1,4}}\s*-?(?:\s*(?:van|of|/)\s*\d{{1,4}})?\s*$", re.I)
# a page foot that names its page, on a one-page paper too: "Aanhangsel … Pagina 1 van 1"
PAGE_FOOT = re.compile(rf"\b{PAGINA}\s+\d{{1,4}}\s+(?:van|/)\s+\d{{1,4}}\s*$", re.I)
EDGE = 3  # lines at the top and at the foot of a page where running headers and footers stand
# A printed paper's colophon and running foot, which no repetition shows on a one-page paper: its publication
# id ("kst-36200-IX-30", "ah-tk-20222023-3649"), "ISSN 0921 - 7371", "’s-Gravenhage 2023", and "Tweede Kamer,
# vergaderjaar 2022–2023, Aanhangsel 2" (the page number after it). A converter glues them to one another and
# to the next page's first line ("… Aanhangsel 2Antwoord 7"). The foot that names a Kamerstuk ("Tweede Kamer,
# vergaderjaar 2022–2023, 36 200 IX, nr. 30 1") is written as a citation is, so only a page's foot makes it one.
_AANHANGSEL_FOOT = r"(?:Tweede|Eerste)\s+Kamer,\s+vergaderjaar\s+\d{4}\s?[–-]\s?\d{4},\s+Aanhangsel"
_PRINTED = (r"(?:kst|ah-tk|h-tk|blg|stcrt|stb)-[\w-]*\d|ISSN\s+\d{4}\s*-\s*\d{3}[\dX]|[’']s-Gravenhage\s+\d{4}"
            rf"|{_AANHANGSEL_FOOT}(?:\s+\d{{1,4}})?")
_STUK = r"(?:Tweede|Eerste)\s+Kamer,\s+vergaderjaar\s+\d{4}\s?[–-]\s?\d{4},\s+\d{2}\s?\d{3}(?:[ -][A-Z0-9]{1,6})?,\s+nr\.\s+\d+"
_STUK_FOOT = _STUK + r"(?:\s+\d{1,4})?"
COLOPHON = re.compile(rf"[ \t]*(?:(?:{_PRINTED}|{_STUK_FOOT})[ \t]*)+")
STUK_FOOT = re.compile(rf"\s*({_STUK})(?:\s+\d{{1,4}})?\s*")
# A printed paper's running foot, which ends its page: the Aanhangsel's (its page number on it or under it), or
# a Kamerstuk's with its page number (without one, the line may be a note's citation).
RUNNING_FOOT = re.compile(rf"(?:{_AANHANGSEL_FOOT}(?:\s+\d{{1,4}})?|{_STUK}\s+\d{{1,4}})\s*$")
PRINTED = re.compile(_PRINTED)
# The masthead of a printed paper's first page, lines of their own that would head every passage: the house
# (its logo's "2" glued on by some converters), the year ("Vergaderjaar 2023–2024"), and the Aanhangsel's
# "Vergaderjaar 2023–2024 Aanhangsel van de Handelingen" and "Vragen gesteld door de leden der Kamer, met de
# daarop door de regering gegeven antwoorden" (on one line or wrapped). Whole lines only: a sentence may open
# with the same words.
MASTHEAD = re.compile(
    r"\s*(?:(?:Tweede|Eerste)\s+Kamer\s+der\s+Staten-Generaal(?:\s?[12])?"
    r"|Vergaderjaar\s+\d{4}\s?[–-]\s?\d{4}(?:\s+Aanhangsel\s+van\s+de\s+Handelingen)?"
    r"|Vragen\s+gesteld\s+door\s+de\s+leden\s+der\s+Kamer,(?:\s+met(?:\s+de(?:\s+daarop(?:\s+door(?:\s+de"
    r"(?:\s+regering\s+gegeven\s+antwoorden)?)?)?)?)?)?"
    r"|(?:(?:met\s+de\s+daarop\s+)?door\s+de\s+)?regering\s+gegeven\s+antwoorden)\s*")


def colophon(line: str, foot: bool = False) -> int:
    """How many characters of colophon open the line (0: none): any run of them that names the printer,
    or the foot of a Kamerstuk at the foot of a page (`foot`) or glued to the next page's first word."""
    m = COLOPHON.match(line)
    if not m or not m.group().strip():
        return 0
    glued = m.end() < len(line) and not line[m.end() - 1].isspace()
    return m.end() if foot or glued or PRINTED.search(m.group()) else 0


def printed(line: str, foot: bool = False) -> bool:
    """The whole line is the printer's: colophon or masthead, furniture wherever it stands."""
    return bool(line.strip()) and (colophon(line, foot) == len(line) or bool(MASTHEAD.fullmatch(line)))


def running_foot(line: str) -> bool:
    """The line is the printer's and ends with its running foot (`RUNNING_FOOT`): "’s-Gravenhage 2024 Tweede
    Kamer, vergaderjaar 2023–2024, Aanhangsel 1", as a converter without form feeds writes a page's end."""
    return bool(RUNNING_FOOT.search(line)) and printed(line, foot=True)


def mark(number: int | str) -> str:
    return f"{MARK_OPEN}{number}{MARK_CLOSE}"


def unmarked(text: str) -> str:
    return MARKER.sub("", text)


@dataclass
class RawFootnote:
    number: int
    text: str
    page: int


# a note that opens with an amount: one or two digits (three would be a group of thousands, "11 500", or a
# dossier, "21 501"), decimals, and its unit
AMOUNT = r"\d{1,2}(?:[.,]\d+)?(?!\d)\s*(?:%|procent\b|miljoen\b|miljard\b|euro\b)"


def note_text(line: str, n: int) -> str | None:
    """The text of note `n` when the line opens it: "3 Zie …", "3Zie …", "1636200-XVI-87" (note 16),
    "11 3628105–1050416-CZ" and "4 2023D39037" (a reference number: Dutch writes no amount as five
    digits or more unbroken), "11 10 miljoen euro …", "3 1,92% van …" (an amount with its unit)."""
    s = line.strip()
    k = str(n)
    if not s.startswith(k) or len(s) == len(k):
        return None
    rest = s[len(k):]
    if (re.match(r"\s*[^\d\s.):%,/-]", rest) or re.match(r"\d{4,5}(?!\d)", rest)
            or re.match(r"\s+(?:\d{5,}|\d{4}[A-Z]\d)", rest) or re.match(r"\s+" + AMOUNT, rest)):
        return rest.strip()
    return None


def hyphen_vocabulary(text: str) -> set[str]:
    """Hyphenated words written mid-line in the document: their hyphen is real."""
    vocab = set()
    for line in text.splitlines():
        for w in HYPHENATED_WORD.findall(line.rstrip("-")):
            vocab.add(w.casefold())
    return vocab


NUMBER_AT_EDGE = re.compile(rf"^\s*(?:{PAGINA}\s+)?(\d{{1,4}})\b"
                            rf"|\b(?:{PAGINA}\s+)?(\d{{1,4}})(?:\s*(?:van|/)\s*\d{{1,4}})?\s*$", re.I)


def _as_key(line: str) -> str:
    return re.sub(r"\s+", " ", line).strip().casefold()


# a line that is one word and its number: a label ("Vraag 1", "Bijlage 2")
LABEL = re.compile(r"\s*[A-Z]\w*[ \t]+\d{1,3}\s*")


def _furniture_keys(line: str, page: int) -> set[tuple[str, int | None]]:
    """The line as it stands, and without its page number with that number less the page index:
    a page number counts with the pages ("3", "4", "5" on pages 3 to 5); a footnote repeated as
    note 5, 8 and 9 does not, and "Datum 5 oktober 2022" on every page repeats as it stands."""
    whole = _as_key(line)
    m = NUMBER_AT_EDGE.search(line)
    if not m or LABEL.fullmatch(line):  # "Vraag 3" atop page 3 and "Vraag 5" atop page 5 are no running header
        return {(whole, None)} - {("", None)}
    rest = re.sub(r"\s+", " ", NUMBER_AT_EDGE.sub("", line)).strip().casefold()
    return {(whole, None), (rest, int(m.group(1) or m.group(2)) - page)}


COLUMN_INDENT = 40  # spaces before a line of a side column, as pdftotext -layout sets it
GLUED_TAIL = re.compile(r"(?<=\S)[ \t]{3,}(\S.{0,40}?)\s*$")


def unglue_column(pages: list[list[str]]) -> list[list[str]]:
    """pdftotext -layout sets a side column's line on the body's line where the two share a baseline ("… hard
    nodig.    Ministerie van"). A tail after three spaces or more that stands on at least half the pages
    (three or more), as such a tail or as a line of its own indented as a column, with a letter and no
    sentence end, goes onto a line of its own, indented as it stood."""
    if len(pages) < 3:
        return pages
    per_page: Counter = Counter()
    for lines in pages:
        tails = {_as_key(m.group(1)) for ln in lines if (m := GLUED_TAIL.search(ln))}
        per_page.update(tails | {_as_key(ln) for ln in lines if len(ln) - len(ln.lstrip()) >= COLUMN_INDENT})
    need = max(3, (len(pages) + 1) // 2)

    def split(ln: str) -> list[str]:
        m = GLUED_TAIL.search(ln)
        tail = m.group(1) if m else ""
        if not m or per_page[_as_key(tail)] < need or TERMINAL.search(tail) or not re.search(r"[^\W\d_]", tail):
            return [ln]
        return [ln[:m.start()], " " * m.start(1) + tail]

    return [[part for ln in lines for part in split(ln)] for lines in pages]


def _colofon_blocks(pages: list[list[str]]) -> set[tuple[int, int]]:
    """(page, line) of a block of two or more lines that stands, each line as it is, on at least half the
    pages (three or more) anywhere on them: a colofon column a converter read between the body's
    paragraphs ("Ons kenmerk" / "DGBI / 26844711" after a page's first paragraph). One line alone may be a
    label the paper repeats ("Antwoord"); a block of them is the page's furniture (and such a label set right
    against the block on every page would go with it). A recurring line indented as a side column
    (pdftotext -layout) is one wherever it stands, alone between the body's lines."""
    if len(pages) < 3:
        return set()
    keys = [[_as_key(line) for line in lines] for lines in pages]
    counts = Counter(k for page in keys for k in set(page) if k)
    need = max(3, (len(pages) + 1) // 2)
    out: set[tuple[int, int]] = set()
    for p, page in enumerate(keys):
        recurring = [bool(k) and counts[k] >= need and not TERMINAL.search(k) for k in page]
        for i, k in enumerate(page):
            indented = len(pages[p][i]) - len(pages[p][i].lstrip()) >= COLUMN_INDENT
            if recurring[i] and (indented or (i and recurring[i - 1]) or (i + 1 < len(page) and recurring[i + 1])):
                out.add((p, i))
    return out


def furniture_lines(pages: list[list[str]]) -> set[tuple[int, int]]:
    """(page, line) of running headers, footers and page numbers.

    A line at a page edge is furniture when it is a page number or when the same
    text, page numbers aside, stands at an edge of at least half of the pages; the printer's lines
    (`printed`) and a recurring block of lines (`_colofon_blocks`) are furniture wherever they stand."""
    edges = {(p, i) for p, lines in enumerate(pages)
             for i in [*range(min(EDGE, len(lines))), *range(max(0, len(lines) - EDGE), len(lines))]}
    per_page: Counter = Counter()
    for p in range(len(pages)):
        per_page.update(set().union(*[_furniture_keys(pages[q][i], q) for q, i in edges if q == p]))
    need = max(2, (len(pages) + 1) // 2)
    # A paper's own Kamerstuk foot stands on each of its pages; one that names another stuk once is a note.
    feet = Counter(k for lines in pages for k in {_stuk(line) for line in lines} if k)
    own = {(p, i) for p, lines in enumerate(pages) for i, line in enumerate(lines)
           if printed(line, i >= len(lines) - EDGE and (len(pages) == 1 or feet[_stuk(line)] != 1))}
    found = own | {(p, i) for p, i in edges if PAGE_NUMBER.match(pages[p][i]) or PAGE_FOOT.search(pages[p][i]) or (
        len(pages) > 1 and any(per_page[k] >= need for k in _furniture_keys(pages[p][i], p)))} | _colofon_blocks(pages)
    # A bare number at a page's foot with text of the page below it, or anywhere on a page whose foot names it
    # ("Pagina 1 van 8"), is no page number: a note's number set apart from its text, or a marker. Nor is one
    # of two at a page's foot that does not count with the pages as the paper's page numbers do.
    named = {p for p, i in found if PAGE_FOOT.search(pages[p][i])}
    feet = [(p, i) for p, i in found if pages[p][i].strip().isdigit() and i >= len(pages[p]) - EDGE]
    offsets = Counter(int(pages[p][i]) - p for p, i in feet).most_common(1)
    offset = offsets[0][0] if offsets and offsets[0][1] > 1 else None
    crowded = {p for p, n in Counter(p for p, _ in feet).items() if n > 1}

    def notes_number(p: int, i: int) -> bool:
        if not pages[p][i].strip().isdigit() or (p not in named and i < len(pages[p]) - EDGE):
            return False
        text_below = any((p, j) not in found and pages[p][j].strip() for j in range(i + 1, len(pages[p])))
        return p in named or text_below or (p in crowded and offset is not None and int(pages[p][i]) - p != offset)

    return {(p, i) for p, i in found if not notes_number(p, i)}


def _stuk(line: str) -> str | None:
    """The Kamerstuk a line that is all a Kamerstuk's foot names, without the page number after it."""
    m = STUK_FOOT.fullmatch(line)
    return re.sub(r"\s+", " ", m.group(1)) if m else None


def join_lines(lines: list[str], vocab: set[str]) -> str:
    """Join the lines of one paragraph, undoing line-end hyphenation only."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if not line:
            continue
        if not out:
            out = line
            continue
        m = re.search(r"(\w+)-$", out)
        if m and not out.endswith(" -"):
            head = m.group(1)
            nxt = re.match(r"[^\s" + MARK_OPEN + r"]+", line)
            first = nxt.group(0) if nxt else ""
            word = re.match(r"\w+", first)
            first_word = word.group(0) if word else ""
            if first_word.casefold() in CONJUNCTIONS:
                out = out + " " + line  # "zorg- en welzijn"
            elif first[:1].isupper() or first[:1].isdigit() or f"{head}-{first_word}".casefold() in vocab:
                out = out + line  # "Noord-Holland", "regio-indelingen"
            else:
                out = out[:-1] + line  # "samenwerkingsaf-spraken"
        else:
            out = out + " " + line
    return re.sub(r"[ \t]+", " ", out)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# "Volgcommissie(s): BuZa", "Besluit: Voor kennisgeving aangenomen", "Griffier: …": a field of a form (a decision
# list's agenda item), not the heading of what follows
FIELD = re.compile(r"^[A-Z][\w()./&-]*(?:\s[\w()./&-]+)?:\s+\S")
# "Vastgesteld 30 oktober 2025", "Voorgesteld tijdens het Wetgevingsoverleg van …", "Voorgesteld" on a line of
# its own with the date under it: the paper's date stamp;
# "Den Haag, 17 april 2025": a letter's dateline
STAMP = re.compile(r"^(?:(?:Vastgesteld|Voorgesteld|Ontvangen|Ingezonden)(?:\s+(?:\d|op\b|tijdens\b|in\b)|\s*$)"
                   r"|(?:Den Haag|['’]s-Gravenhage),?\s+\d)")


@lru_cache(maxsize=1)
def _bare_date() -> re.Pattern:
    """A line that is a date and nothing else ("14 februari 2024", "woensdag 3 april 2009"): what a motion's
    or a list's form says it was dated, not the heading of what follows."""
    return re.compile(rf"(?:\w+dag\s+)?\d{{1,2}}\s+(?:{alternation(months())})\.?\s+\d{{4}}", re.I)


# "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal": whom a printed letter is for
ADDRESSEE = re.compile(r"^Aan de (?:[Vv]oorzitter|leden)\b")
# "De voorzitter van de commissie, Hamstra", "De griffier van de commissie," / "Ter Veer", "De Minister van
# Financiën,": who signs, and the name under it
SIGNER = re.compile(r"^\s*(?:De|Het)\s+(?:[\w-]+\s+){0,2}?(?:voorzitter|(?:adjunct-)?griffier|minister"
                    r"|staatssecretaris|minister-president)\b[^,]{0,80},", re.I)


# a table's row: three figures or more side by side ("Seksuele gerichtheid 10 14 34", "TOTAAL 12 17 40")
TABLE_ROW = re.compile(r"(?<![\w.,])\d[\d.,]*(?:[ \t]+\d[\d.,]*){2,}(?!\w)")


def _is_heading(text: str) -> bool:
    plain = unmarked(text).strip()
    if not plain or len(plain.split()) > 12 or len(plain) > 100:
        return False
    if re.search(r"[.,;:]$", plain) or plain[0].islower() or ends_open(plain) or FIELD.match(plain):
        return False
    return not BULLET.match(plain) and not plain.startswith("Geachte")


# an Aanhangsel's front matter dates its question and answer in brackets: "Antwoord van Minister … (ontvangen
# 29 augustus 2024)", with or without the full stop that keeps other such lines from reading as headings
SENT_OR_RECEIVED = re.compile(dated_bracket("ontvangen", "ingezonden") + r"\d", re.I)


def _may_head(text: str) -> bool:
    """Whether a line, bold or not, may be a heading: one names its section in words, and the paper's number
    in its masthead ("1481", "36 200 IX", "Nr. 309"), its date stamp, dateline or bare date, whom it is for,
    who signs it, the front matter's dated lines and a table's row head nothing that follows (a lijst van vragen's
    questions, a motion's text, a letter's body)."""
    plain = unmarked(text).strip()
    return (bool(re.search(r"[^\W\d_]{3}", plain)) and not _bare_date().fullmatch(plain)
            and not any(p.search(plain) for p in (STAMP, ADDRESSEE, SIGNER, TABLE_ROW, SENT_OR_RECEIVED)))


def _ends_paragraph(text: str) -> bool:
    return bool(TERMINAL.search(unmarked(text)))


def assemble(body: str, raw_notes: list[RawFootnote]) -> tuple[str, list[Block], list[Footnote]]:
    """Build the document text, its blocks and footnotes with marker offsets."""
    vocab = hyphen_vocabulary(body)
    paras: list[tuple[int, list[str], bool]] = []  # (page, lines, explicit heading)
    for page_no, page in enumerate(body.split("\f"), start=1):
        for i, chunk in enumerate(re.split(r"\n\s*\n", page)):
            lines = [ln for ln in chunk.split("\n") if ln.strip()]
            if not lines:
                continue
            heading = lines[0].lstrip().startswith(HEADING)
            if heading:
                lines[0] = lines[0].replace(HEADING, "", 1)
            # A paragraph broken by a page break goes on in lower case or punctuation on the next page, and so
            # does a list item's first line that pdfminer.six set apart from the rest of the item.
            if paras and not heading:
                prev_page, prev_lines, prev_heading = paras[-1]
                first = unmarked(lines[0]).lstrip()
                goes_on = first[:1].islower() or first[:1] in "(),;:"  # "… op basis van feiten" / "(12-10-2023)."
                broken = page_no > prev_page or (len(prev_lines) == 1 and ITEM.match(prev_lines[0]))
                if broken and not prev_heading and goes_on and not _ends_paragraph(prev_lines[-1]):
                    prev_lines.extend(lines)
                    continue
            paras.append((page_no, lines, heading))

    text_parts: list[str] = []
    blocks: list[Block] = []
    anchors: dict[int, int] = {}
    offset = 0
    for page_no, lines, heading in paras:
        joined = BETWEEN_MARKS.sub("", join_lines(lines, vocab).strip())
        # a short question under a heading ("Vraag 4" / "Om hoeveel bedrijven gaat het?") is what is asked
        asked = bool(blocks) and blocks[-1].kind == "heading" and unmarked(joined).rstrip().endswith("?")
        signed = bool(blocks) and bool(SIGNER.match(blocks[-1].text)) and blocks[-1].text.endswith(",")  # the name
        kind = "heading" if ((heading or (_is_heading(joined) and not asked)) and _may_head(joined)
                             and not signed) else "paragraph"
        if kind == "paragraph" and BULLET.match(unmarked(joined)):
            kind = "list_item"
            joined = GLYPH_BULLET.sub("", joined, count=1)
        plain = unmarked(joined).strip()
        if not plain:
            continue
        if blocks:
            text_parts.append("\n\n")
            offset += 2
        lead = len(joined) - len(joined.lstrip())
        removed = 0
        for m in MARKER.finditer(joined):
            anchors.setdefault(int(m.group(1)), offset + m.start() - removed - lead)
            removed += len(m.group(0))
        blocks.append(Block(kind, plain, page_no, offset, offset + len(plain)))
        text_parts.append(plain)
        offset += len(plain)
    text = "".join(text_parts)
    notes = [Footnote(n.number, collapse(join_lines(n.text.split("\n"), vocab)), n.page, anchors.get(n.number))
             for n in raw_notes]
    return text, blocks, notes
