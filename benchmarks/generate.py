"""Scale the sample letters to N documents, as text (word-export shape) and as PDF.

Each generated letter is a sample letter with other numbers, dates and names, and
paragraphs dropped or repeated, so that sizes vary the way a year of letters does.

    python -m benchmarks.generate OUT_DIR N [--pdf] [--seed 7]
"""
from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

from pipeline.extract import extract
from tools.letters import Letter, parse_letter, render

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SURNAMES = ["De Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Van den Berg", "Mulder", "Bos", "Vos",
            "Peters", "Hendriks", "Van Leeuwen", "Dekker", "Brouwer", "De Wit", "Dijkstra", "Koster", "Prins"]
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december".split()
MOVERS = re.compile(r"(?<=motie )(?:van het lid )?([A-Z][a-zö]+(?:[ -][A-Z][a-z]+)?)")


def templates() -> list[Letter]:
    """Every sample letter as a Letter: the PDF from its source, the text letters through extraction."""
    out = [parse_letter(p.read_text(encoding="utf-8")) for p in sorted((CORPUS / "src").glob("*.letter"))]
    for path in sorted(CORPUS.glob("*.txt")):
        doc = extract(path)
        blocks = []
        anchors = sorted((n.anchor, n.number) for n in doc.footnotes if n.anchor is not None)
        for b in doc.blocks:
            text = b.text
            for anchor, n in reversed([a for a in anchors if b.start <= a[0] <= b.end]):
                cut = anchor - b.start
                text = f"{text[:cut]}[^{n}]{text[cut:]}"
            blocks.append(("heading" if b.kind == "heading" else "item" if b.kind == "list_item" else "paragraph", text))
        header = doc.meta.sender or "Ministerie van Algemene Zaken"
        out.append(Letter(header, f"Kenmerk {doc.meta.kenmerk or '1234567'}", [], blocks,
                          {n.number: n.text for n in doc.footnotes}))
    return out


def vary(letter: Letter, rng: random.Random) -> Letter:
    def numbers(text: str) -> str:
        # other ondernummers, amounts and days; footnote markers ([^N]) stay as they are
        return re.sub(r"(?<![\[\^\d])\b(\d{1,3})\b(?![\]\d])", lambda m: str(rng.randint(1, 10 ** len(m.group(1)) - 1)), text)

    def months(text: str) -> str:
        return re.sub(r"\b(" + "|".join(MONTHS) + r")\b", lambda m: rng.choice(MONTHS), text)

    names = {}

    def people(text: str) -> str:
        return MOVERS.sub(lambda m: names.setdefault(m.group(1), rng.choice(SURNAMES)), text)

    def change(text: str) -> str:
        return people(months(numbers(text)))

    blocks = []
    for kind, text in letter.blocks:
        r = rng.random()
        if kind != "heading" and r < 0.15 and not re.search(r"\[\^\d+\]", text):
            continue  # dropped
        blocks.append((kind, change(text)))
        if kind == "paragraph" and r > 0.8 and not re.search(r"\[\^\d+\]", text):
            blocks.append((kind, change(text)))  # repeated, with other numbers
    notes = {n: change(t) for n, t in letter.notes.items()}
    year = rng.randint(2019, 2026)
    letterhead = [f"Datum {rng.randint(1, 28)} {rng.choice(MONTHS)} {year}"] + \
        [ln for ln in letter.letterhead if not ln.startswith("Datum")]
    return Letter(letter.header, letter.footer, letterhead, blocks, notes)


def word_export(letter: Letter) -> str:
    """The word-export text shape: paragraphs a line, markers [footnoteRef:N], bodies [N: …] after them."""
    lines = list(letter.letterhead)
    for _, text in letter.blocks:
        marks = [int(n) for n in re.findall(r"\[\^(\d+)\]", text)]
        body = re.sub(r"\[\^(\d+)\]", r"[footnoteRef:\1]", text)
        lines.append(body + "".join(f" [{n}:  {letter.notes[n]}]" for n in marks if n in letter.notes))
    return "\n".join(lines) + "\n"


def generate(out: Path, n: int, pdf: bool = False, seed: int = 7) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    bases = templates()
    paths = []
    for i in range(n):
        letter = vary(bases[i % len(bases)], rng)
        if pdf:
            path = out / f"brief-{i:05d}.pdf"
            render(letter, path)
        else:
            path = out / f"brief-{i:05d}.txt"
            path.write_text(word_export(letter), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("n", type=int)
    ap.add_argument("--pdf", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    print(len(generate(a.out, a.n, a.pdf, a.seed)), "documents in", a.out)


if __name__ == "__main__":
    main()
