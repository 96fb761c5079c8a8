"""Sample letters as source files, and their rendering to PDF the way a word processor lays them out.

A letter source (corpus/src/*.letter) is plain text:

    @header Ministerie van …          running header on every page
    @footer Kenmerk …                 running footer (a page number is added)
    @letterhead                       lines above the salutation, page 1 only
    Datum 12 maart 2025
    @style rijkshuisstijl             a ministry's own template (below); default: a word processor's
    @colofon                          the small-print column right of the body, page 1 (that style only)
    @colofon-next                     the column on the pages after the first
    @body
    Geachte voorzitter,

    # A heading
    A paragraph with a footnote marker[^1].

    - a list item
    [^1]: The footnote text.

The renderer draws A4 pages with a running header and footer, page numbers,
raised small footnote markers, footnotes in a smaller font under a short rule at
the foot of the page (continued on the next page when they do not fit), Dutch
line-end hyphenation and paragraphs that run across page breaks. It returns
what it drew, so tests can compare extraction with the source.

The `rijkshuisstijl` style draws what the ministries' template does: a 9-point body, a colofon column in
6.8 points three millimetres right of the body's longest line (read between paragraphs or glued onto body
lines by text converters), "Pagina N van M" at the column's foot, no running header, and footnotes in 6.5
points whose numbers are raised in 4 points, less than half the note's height.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

MARK = re.compile(r"\[\^(\d+)\]")
A4_W, A4_H = 210.0, 297.0
LEFT, RIGHT, TOP, BOTTOM = 25.0, 25.0, 22.0, 22.0
BODY_PT, NOTE_PT, SUP_PT, HEAD_PT = 11.0, 8.0, 6.5, 8.0
LINE_H, NOTE_H, PARA_GAP = 5.6, 3.9, 3.0
VOWELS = set("aeiouyàáäèéëïíóöüú")


@dataclass(frozen=True)
class Style:
    """A page's layout: margins, positions and line steps in millimetres, type sizes in points."""
    left: float = LEFT
    right: float = RIGHT
    top: float = TOP + 6  # where the letterhead, and the body on later pages, begins
    body_pt: float = BODY_PT
    line_h: float = LINE_H
    note_pt: float = NOTE_PT
    note_h: float = NOTE_H
    sup_pt: float = SUP_PT  # a marker's size, raised by `sup_rise` above the line
    sup_rise: float = 1.6
    number_pt: float | None = None  # a note's number in its own size, raised; None: the note's size, on its line
    note_indent: float = 4.0
    column_x: float | None = None  # the colofon column's left edge
    column_pt: float = 6.8
    column_h: float = 3.2


STYLES = {"": Style(), "rijkshuisstijl": Style(left=28.2, right=A4_W - 162.0, top=52.0, body_pt=9.0, line_h=4.23,
                                               note_pt=6.5, note_h=2.9, sup_pt=6.0, sup_rise=1.0, number_pt=4.0,
                                               note_indent=2.2, column_x=164.8)}


@dataclass
class Letter:
    header: str
    footer: str
    letterhead: list[str]
    blocks: list[tuple[str, str]]  # (kind, text with [^N] markers): heading | paragraph | item
    notes: dict[int, str]
    style: str = ""
    colofon: list[str] = field(default_factory=list)
    colofon_next: list[str] = field(default_factory=list)

    def body_text(self) -> str:
        """The body as extraction should give it back: markers removed, one block a paragraph."""
        return "\n\n".join(MARK.sub("", t) for _, t in self.blocks)


def parse_letter(source: str) -> Letter:
    header = footer = style = ""
    sections: dict[str, list[str]] = {"letterhead": [], "colofon": [], "colofon-next": []}
    body: list[str] = []
    section = None
    for line in source.splitlines():
        if line.startswith("@header "):
            header = line[8:].strip()
        elif line.startswith("@footer "):
            footer = line[8:].strip()
        elif line.startswith("@style "):
            style = line[7:].strip()
        elif line.strip()[1:] in (*sections, "body") and line.startswith("@"):
            section = line.strip()[1:]
        elif section in sections and line.strip():
            sections[section].append(line.strip())
        elif section == "body":
            body.append(line)
    notes: dict[int, str] = {}
    blocks: list[tuple[str, str]] = []
    for chunk in re.split(r"\n\s*\n", "\n".join(body)):
        for part in re.split(r"\n(?=\[\^\d+\]:)", chunk.strip()):
            m = re.match(r"\[\^(\d+)\]:\s*(.*)", part, re.S)
            if m:
                notes[int(m.group(1))] = " ".join(m.group(2).split())
            elif part.startswith("# "):
                blocks.append(("heading", part[2:].strip()))
            elif part.startswith("- "):
                blocks.append(("item", " ".join(part.split())))
            elif part.strip():
                blocks.append(("paragraph", " ".join(part.split())))
    return Letter(header, footer, sections["letterhead"], blocks, notes, style, sections["colofon"],
                  sections["colofon-next"])


@dataclass
class Rendered:
    pages: int
    split_notes: list[int] = field(default_factory=list)  # footnotes continued on the next page
    hyphenated: list[str] = field(default_factory=list)  # words broken at a line end
    broken_paragraphs: int = 0  # paragraphs that run across a page break


def _split_point(word: str, fits) -> int | None:
    """Where to hyphenate: after a vowel before a consonant, the longest head that fits."""
    if len(word) < 9 or not word.isalpha() or not word.islower():
        return None
    for i in range(len(word) - 4, 3, -1):
        if word[i - 1] in VOWELS and word[i] not in VOWELS and fits(word[:i] + "-"):
            return i
    return None


def render(letter: Letter, path: str | Path, note_pt: float | None = None) -> Rendered:
    """Draw the letter; twice, so that every footer knows the number of pages. `note_pt` is the
    footnotes' font size if not the style's (some ministries set them in the body size)."""
    style = STYLES[letter.style]
    if note_pt is not None:
        style = replace(style, note_pt=note_pt, note_h=style.note_h * note_pt / style.note_pt)
    return _render(letter, path, _render(letter, None, 0, style).pages, style)


def _render(letter: Letter, path: str | Path | None, total: int, st: Style) -> Rendered:
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.core_fonts_encoding = "windows-1252"
    pdf.set_auto_page_break(False)
    width = A4_W - st.left - st.right
    out = Rendered(0)
    note_pt, note_h = st.note_pt, st.note_h

    def text_w(s: str, size: float, style: str = "") -> float:
        pdf.set_font("Helvetica", style, size)
        return pdf.get_string_width(s)

    def wrap(text: str, size: float, style: str = "", record: bool = False,
             room: float = width) -> list[list[tuple[str, int | None]]]:
        """Lines of (word, marker) pairs, each at most `room` wide; a marker is drawn raised after its word."""
        words: list[tuple[str, int | None]] = []
        for tok in text.split():
            m = MARK.search(tok)
            if m:
                words.append((MARK.sub("", tok), int(m.group(1))))
            else:
                words.append((tok, None))
        lines: list[list[tuple[str, int | None]]] = [[]]

        def line_w(ln):
            return sum(text_w(w, size, style) + (text_w(str(n), st.sup_pt) if n else 0) for w, n in ln) + \
                text_w(" ", size, style) * max(0, len(ln) - 1)

        queue = list(words)
        while queue:
            w, n = queue.pop(0)
            if not lines[-1] or line_w(lines[-1] + [(w, n)]) <= room:
                lines[-1].append((w, n))
                continue
            hy = "-" in w[1:-1] and w.split("-", 1)
            if hy and line_w(lines[-1] + [(hy[0] + "-", None)]) <= room:
                lines[-1].append((hy[0] + "-", None))
                lines.append([])
                queue.insert(0, (hy[1], n))
                continue
            cut = _split_point(w, lambda head: line_w(lines[-1] + [(head, None)]) <= room) if n is None else None
            if cut:
                lines[-1].append((w[:cut] + "-", None))
                if record:
                    out.hyphenated.append(w)
                lines.append([])
                queue.insert(0, (w[cut:], n))
                continue
            lines.append([(w, n)])
        return [ln for ln in lines if ln]

    def draw_line(ln, x: float, y: float, size: float, style: str = "") -> None:
        for i, (w, n) in enumerate(ln):
            pdf.set_font("Helvetica", style, size)
            pdf.text(x, y, w)
            x += pdf.get_string_width(w)
            if n:
                pdf.set_font("Helvetica", "", st.sup_pt)
                pdf.text(x + 0.1, y - st.sup_rise, str(n))
                x += pdf.get_string_width(str(n)) + 0.1
            if i + 1 < len(ln):  # a space glyph, as word processors write, not only a gap
                pdf.set_font("Helvetica", style, size)
                pdf.text(x, y, " ")
                x += pdf.get_string_width(" ")

    # Body lines, with the footnotes each line introduces.
    items: list[tuple[str, list, list[int]]] = []  # (kind, line, new notes) ; kind "gap" has no line
    for kind, text in letter.blocks:
        style = "B" if kind == "heading" else ""
        for ln in wrap(text, st.body_pt, style, record=True):
            items.append((kind, ln, [n for _, n in ln if n]))
        items.append(("gap", [], []))
    note_lines = {n: [(n if k == 0 else None, ln) for k, ln in enumerate(wrap(t, note_pt, room=width - st.note_indent))]
                  for n, t in letter.notes.items()}

    carried: list = []
    page = 0
    i = 0
    while any(kind != "gap" for kind, _, _ in items[i:]) or carried:
        page += 1
        pdf.add_page()
        pdf.set_font("Helvetica", "", HEAD_PT)
        pdf.text(st.left, 12, letter.header)
        pdf.text(st.left, A4_H - 10, letter.footer)
        if st.column_x is None:
            pdf.text(A4_W - st.right - 22, A4_H - 10, f"Pagina {page} van {total}")
        else:
            pdf.set_font("Helvetica", "", st.column_pt)
            pdf.text(st.column_x, A4_H - 10, f"Pagina {page} van {total}")
            for k, ln in enumerate(letter.colofon if page == 1 else letter.colofon_next):
                pdf.text(st.column_x, st.top + k * st.column_h, ln)
        y = st.top
        if page == 1:
            for ln in letter.letterhead:
                pdf.set_font("Helvetica", "", 9)
                pdf.text(st.left, y, ln)
                y += 4.6
            y += 6
        notes_here = list(carried)
        carried = []
        started_mid_paragraph = i > 0 and items[i - 1][0] != "gap" and i < len(items)
        if started_mid_paragraph:
            out.broken_paragraphs += 1
        limit = A4_H - BOTTOM
        while i < len(items):
            kind, ln, new = items[i]
            step = PARA_GAP if kind == "gap" else st.line_h
            new_lines = [x for n in new for x in note_lines[n]]
            zone = (len(notes_here) + len(new_lines)) * note_h + (4 if notes_here or new_lines else 0)
            if y + step + zone <= limit:
                notes_here += new_lines
            else:
                room = int((limit - y - step - 4) / note_h) - len(notes_here)
                if not new_lines or room < 2 or kind == "gap":
                    break
                notes_here += new_lines[:room]
                carried = new_lines[room:]
                out.split_notes.extend(n for n in new if any(x in carried for x in note_lines[n]))
            if kind != "gap":
                y += st.line_h
                draw_line(ln, st.left, y, st.body_pt, "B" if kind == "heading" else "")
            else:
                y += PARA_GAP
            i += 1
            if carried:
                break
        if notes_here:
            top = limit - len(notes_here) * note_h
            pdf.line(st.left, top - 1.5, st.left + 40, top - 1.5)
            yy = top
            for n, ln in notes_here:
                yy += note_h
                if n is not None:
                    pdf.set_font("Helvetica", "", st.number_pt or note_pt)
                    pdf.text(st.left, yy - (0.8 if st.number_pt else 0), str(n))
                draw_line(ln, st.left + st.note_indent, yy, note_pt)
    out.pages = page
    if path is not None:
        pdf.output(str(path))
    return out


def main(corpus: Path = Path("corpus")) -> None:
    """Render every letter source in corpus/src to the corpus PDF named after it ("2025-03-12_<name>.pdf")."""
    for src in sorted((corpus / "src").glob("*.letter")):
        targets = sorted(corpus.glob(f"*_{src.stem}.pdf"))
        if len(targets) != 1:
            raise SystemExit(f"{src}: expected one corpus/*_{src.stem}.pdf, found {len(targets)}")
        render(parse_letter(src.read_text(encoding="utf-8")), targets[0])
        print(f"{src} -> {targets[0]}")


if __name__ == "__main__":
    main()
