"""Motion mentions in sentences, their movers, refs and dispositions; and motion documents.

Rules are data: models/motions.toml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .compounds import rejoin
from .dutch import name_case
from .model import Motion, MotionMention, MotionText, Sentence
from .rules import load

STRENGTH = {"afgedaan": 2, "uitgevoerd": 1, "genoemd": 0}
# where a double-barrelled name lost the hyphen it broke at ("BakkerVos"): the hyphen goes back
GLUED = re.compile(r"(?<=[a-zà-ÿ\u0100-\u017f])(?=[A-ZÀ-ÝĀ-Ž])")


@dataclass(frozen=True)
class Rules:
    head: re.Pattern
    anaphor: re.Pattern
    bare: re.Pattern
    name: re.Pattern
    separator: re.Pattern
    cs: re.Pattern
    not_names: frozenset
    negation: re.Pattern
    dispositions: tuple[tuple[str, tuple[re.Pattern, ...]], ...]


@lru_cache(maxsize=None)
def rules() -> Rules:
    d = load("motions.toml")
    n = d["names"]
    return Rules(
        head=re.compile(d["mention"]["head"]),
        anaphor=re.compile(d["mention"]["anaphor"], re.I),
        bare=re.compile(d["mention"]["bare"], re.I),
        name=re.compile(rf"(?:{n['particle']}\s+){{0,3}}{n['surname']}"),
        separator=re.compile(n["separator"]),
        cs=re.compile(r"\s*c\.s\.?"),
        not_names=frozenset(n["not_names"]),
        negation=re.compile(d["negation"]["pattern"], re.I),
        dispositions=tuple((x["name"], tuple(re.compile(p, re.I) for p in x["patterns"])) for x in d["disposition"]),
    )


def disposition(sentence: str) -> str:
    sentence = rejoin(sentence)
    if rules().negation.search(sentence):
        return "genoemd"
    for name, pats in rules().dispositions:
        if any(p.search(sentence) for p in pats):
            return name
    return "genoemd"


def movers_at(text: str, pos: int) -> tuple[list[str], bool, int]:
    """Surnames listed from `pos` ("Jansen/Slagt-Tichelman", "Pouw-Verweij en Tielen"), c.s., end."""
    r = rules()
    movers: list[str] = []
    end = pos
    while True:
        m = r.name.match(text, end)
        if not m or m.group(0).split()[-1] in r.not_names:
            break
        movers.append(GLUED.sub("-", m.group(0)))
        end = m.end()
        sep = r.separator.match(text, end)
        if not sep or not r.name.match(text, sep.end()) or r.name.match(text, sep.end()).group(0).split()[-1] in r.not_names:
            break
        end = sep.end()
    cs = r.cs.match(text, end)
    return movers, bool(cs), cs.end() if cs else end


def find_mentions(sentence: Sentence, refs_in_sentence: list[tuple[int, str]]) -> list[MotionMention]:
    """Motion mentions in one sentence. `refs_in_sentence` holds (offset, kamerstuk id) of the
    citations standing in the sentence or in the footnotes whose markers stand in it."""
    r = rules()
    disp = disposition(sentence.text)
    out: list[MotionMention] = []
    claimed: list[tuple[int, int]] = []
    for m in r.head.finditer(sentence.text):
        movers, cs, end = movers_at(sentence.text, m.end())
        if not movers:
            continue
        start = sentence.start + m.start()
        out.append(MotionMention(movers, cs, _ref(refs_in_sentence, start), disp, sentence.text, start, sentence.start + end))
        claimed.append((m.start(), end))
    for m in r.anaphor.finditer(sentence.text):
        out.append(MotionMention([], False, None, disp, sentence.text, sentence.start + m.start(),
                                 sentence.start + m.end(), anaphor=True))
        claimed.append((m.start(), m.end()))
    for m in r.bare.finditer(sentence.text):
        if any(s <= m.start() < e or m.start() <= s < m.end() for s, e in claimed):
            continue
        start = sentence.start + m.start()
        ref = _ref(refs_in_sentence, start)
        if ref:
            out.append(MotionMention([], False, ref, disp, sentence.text, start, sentence.start + m.end()))
    return out


def _ref(refs: list[tuple[int, str]], start: int) -> str | None:
    """The cited paper nearest after the mention, else the nearest before it."""
    after = [r for r in refs if r[0] >= start]
    if after:
        return min(after)[1]
    return max(refs)[1] if refs else None


def group(mentions: list[MotionMention]) -> list[Motion]:
    """Mentions of the same motion become one: same ref, else a shared mover; the strongest disposition wins."""
    motions: list[Motion] = []

    def add(mm: MotionMention, motion: Motion | None) -> Motion:
        if motion is None:
            motion = Motion(list(mm.movers), mm.cs, mm.ref, mm.disposition, [])
            motions.append(motion)
        motion.mentions.append(mm)
        motion.cs = motion.cs or mm.cs
        motion.ref = motion.ref or mm.ref
        for name in mm.movers:
            if name.casefold() not in {x.casefold() for x in motion.movers}:
                motion.movers.append(name)
        if STRENGTH[mm.disposition] > STRENGTH[motion.disposition]:
            motion.disposition = mm.disposition
        return motion

    def shares_mover(mm: MotionMention, mo: Motion) -> bool:
        return bool({x.casefold() for x in mm.movers} & {x.casefold() for x in mo.movers})

    pending: list[MotionMention] = []
    # Mentions with a ref first, so that a later mention without one joins the right motion.
    for mm in sorted(mentions, key=lambda x: (x.ref is None, x.start)):
        if mm.anaphor:
            continue
        if mm.ref:
            add(mm, next((mo for mo in motions if mo.ref == mm.ref), None))
        else:
            pending.append(mm)
    for mm in pending:
        candidates = [mo for mo in motions if shares_mover(mm, mo)]
        # the motion with that mover mentioned nearest before, else the first one
        before = [mo for mo in candidates if mo.mentions[0].start <= mm.start]
        add(mm, (max(before, key=lambda mo: max(x.start for x in mo.mentions if x.start <= mm.start))
                 if before else candidates[0] if candidates else None))
    for mm in sorted(mentions, key=lambda x: x.start):
        if mm.anaphor:
            prior = [mo for mo in motions if any(x.start < mm.start for x in mo.mentions)]
            if prior:
                add(mm, max(prior, key=lambda mo: max(x.start for x in mo.mentions if x.start < mm.start)))
    return sorted(motions, key=lambda mo: min(x.start for x in mo.mentions))


# -- a motion document --------------------------------------------------------------------------

CONSIDERATION = re.compile(r"\b(constaterende|overwegende|van\s+mening|gelet\s+op|voorts\s+constaterende|"
                           r"voorts\s+overwegende|erkennende|concluderende)\b", re.I)
DICTUM = re.compile(r"\b(verzoekt|roept|spreekt\s+uit|draagt\s+.{0,40}\s+op|besluit)\b", re.I)
OPENING = re.compile(r"De\s+Kamer,\s+gehoord\s+de\s+beraadslaging,?", re.I)
CLOSING = re.compile(r"en\s+gaat\s+over\s+tot\s+de\s+orde\s+van\s+de\s+dag\.?", re.I)
MOVERS_HEAD = re.compile(r"MOTIE\s+VAN\s+(?:HET\s+LID|DE\s+LEDEN)\s+([^\n]+)")
# members who signed after the motion was submitted, as the Kamer's motion form lists them
COSIGNERS = re.compile(r"^\s*(?:later\s+toegevoegde\s+)?mede-?indiener\(?s?\)?\s*:\s*([^\n]+)", re.I | re.M)


FIRST_NAME = re.compile(r"[A-ZÀ-Ý][a-zà-ÿ]+\s+")


def _signature(line: str) -> bool:
    """A mover's name on a line of its own: "Omtzigt", "Van der Lee", "Olger van Dijk"."""
    r = rules()
    if not line or line.split()[-1] in r.not_names:
        return False
    return bool(r.name.fullmatch(line) or (m := FIRST_NAME.match(line)) and r.name.fullmatch(line, m.end()))


def _signed(text: str, pos: int) -> int | None:
    """Where the signatures start after `pos` in a motion without the closing formula (the form as
    submitted, before the Griffie set it): the first name on a line of its own after a line that ends a
    clause."""
    last = ""
    for m in re.finditer(r"[^\n]+", text[pos:]):
        line = m.group().strip()
        if last.endswith((",", ".")) and _signature(line):
            return pos + m.start()
        last = line or last
    return None


def parse_motion_document(text: str) -> MotionText | None:
    """Movers, considerations and dictum of a document that is itself a motion."""
    start = OPENING.search(text)
    if not start:
        return None
    close = CLOSING.search(text, start.end())
    if close:
        end, signed = close.start(), close.end()
    elif (found := DICTUM.search(text, start.end())) and (end := _signed(text, found.end())) is not None:
        signed = end
    else:
        return None
    body = text[start.end():end]
    dictum = DICTUM.search(body)
    considering = body[:dictum.start()] if dictum else body
    parts = [p.strip(" ,;\n") for p in re.split(CONSIDERATION, considering) if p and p.strip(" ,;\n")]
    considerations = [re.sub(r"\s+", " ", f"{a} {b}") for a, b in zip(parts[::2], parts[1::2])]
    # Signatures under the closing formula, one surname a line, are the names as written;
    # else the heading "MOTIE VAN HET LID VAN DER GRAAF C.S." in capitals.
    tail = text[signed:signed + 600]
    movers = [ln.strip() for ln in tail.splitlines() if _signature(ln.strip())]
    head = MOVERS_HEAD.search(text)
    if not movers and head:
        names = re.split(r"\s*(?:,|\bEN\b)\s*", re.sub(r"\s*C\.S\.?$", "", head.group(1).strip()))
        movers = [name_case(n) for n in names if n]
    for names in COSIGNERS.findall(tail):
        movers += [n for n in (x.strip(" .") for x in re.split(r",|\s+en\s+", names)) if n and n not in movers]
    return MotionText(movers, bool(head and re.search(r"C\.S\.?\s*$", head.group(1).strip())), considerations,
                      re.sub(r"\s+", " ", body[dictum.start():]).strip() if dictum else "")
