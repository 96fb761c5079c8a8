"""Deadline wording in a sentence, resolved to the last day a commitment falls due.

Conventions (../shared/gold/README.md): "voor september 2025" is the day before
the month, "in september" its last day, "begin/medio/eind" the 10th/20th/last,
seasons and quarters their last day, "voor het zomerreces" the day before the
recess from models/recesses.csv, or projected for a year it does not reach. Wording that cannot
be resolved gives None. Each deadline says how it was resolved: `calendar` (a recess on record),
`projected` (a recess projected by models/deadlines.toml) or `rule` (the wording and the date alone).
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from . import rules
from .dutch import alternation, months, number

YEAR = r"(?:\s+(?:van\s+)?(?P<year>20\d{2}))?"
VOOR = r"(?:vóór|voor|uiterlijk\s+voor|uiterlijk\s+vóór)"


@dataclass(frozen=True)
class Recess:
    name: str
    first_day: dt.date
    last_day: dt.date
    source: str


@dataclass
class Deadline:
    text: str
    date: dt.date | None
    start: int
    end: int
    basis: str | None = None  # calendar | projected | rule; None when unresolved


@lru_cache(maxsize=None)
def tables() -> dict:
    return rules.load("deadlines.toml")


@lru_cache(maxsize=None)
def recesses() -> tuple[Recess, ...]:
    return tuple(Recess(r["name"], dt.date.fromisoformat(r["first_day"]), dt.date.fromisoformat(r["last_day"]),
                        r["source"]) for r in rules.table("recesses.csv"))


def calendar_end() -> dt.date:
    """The last day the recess calendar on record covers."""
    return max(r.last_day for r in recesses())


def recess(name: str, year: int) -> Recess | None:
    """The recess of that name starting in that year: on record, else projected."""
    known = [r for r in recesses() if r.name == name and r.first_day.year == year]
    if known:
        return known[0]
    rule = tables()["projection"].get(name)
    if rule is None or year <= max((r.first_day.year for r in recesses() if r.name == name), default=0):
        return None  # a year the calendar covers but without this recess: no guess
    month, day = map(int, rule["from"].split("-"))
    start = dt.date(year, month, day)
    start += dt.timedelta(days=(4 - start.weekday()) % 7)  # the first Friday
    return Recess(name, start, start + dt.timedelta(days=rule["days"]), "projected")


@lru_cache(maxsize=None)
def _patterns() -> list[tuple[str, re.Pattern]]:
    t = tables()
    MONTH = rf"(?P<month>{alternation(months())})\.?"  # noqa: N806  "maart", "mrt.", "sep"
    return [
        ("recess", re.compile(rf"\b{VOOR}\s+(?:het\s+)?(?P<recess>{alternation(t['recess'])}){YEAR}", re.I)),
        ("quarter", re.compile(rf"\b(?:(?:in|uiterlijk|vóór|voor)\s+)?(?:(?:aan\s+)?het\s+)?(?:einde?\s+van\s+het\s+)?"
                               rf"(?P<q>{alternation(t['quarter'])})\s+kwartaal{YEAR}", re.I)),
        ("q", re.compile(r"\bQ(?P<q>[1-4])\s+(?P<year>20\d{2})\b")),
        ("half_year", re.compile(r"\b(?:in\s+)?de\s+(?P<half>eerste|tweede)\s+helft\s+van\s+"
                                 r"(?:(?P<rel>dit|volgend|het\s+volgende|komend)\s+jaar|(?P<year>20\d{2}))\b", re.I)),
        ("year_end", re.compile(r"\b(?:uiterlijk\s+)?(?:(?:aan\s+|voor\s+|vóór\s+)?het\s+)?(?:eind|einde)\s+(?:van\s+)?"
                                r"(?:(?:dit|het|het\s+lopende)\s+jaar|(?P<year>20\d{2}))\b", re.I)),
        ("month_part", re.compile(rf"\b(?P<part>{alternation(t['month_part'])})\s+{MONTH}{YEAR}\b", re.I)),
        ("before_date", re.compile(rf"\b{VOOR}\s+(?P<day>\d{{1,2}})\s+{MONTH}{YEAR}\b", re.I)),
        # "ruim voor het sluiten van de openstellingsperiode (1 december 2023)", "voor het debat van 12 maart
        # 2026": an event with its date
        ("before_date", re.compile(rf"\b{VOOR}\s+(?:het|de)\s+[^.;()]{{3,90}}?(?:\(|\b(?:van|op)\s+)(?P<day>\d{{1,2}})\s+"
                                   rf"{MONTH}{YEAR}\)?", re.I)),
        ("before_month", re.compile(rf"\b{VOOR}\s+{MONTH}{YEAR}\b", re.I)),
        ("month", re.compile(rf"(?<![\d])(?<!\d\s)\b(?:(?:in|uiterlijk\s+in|per|rond)\s+)?{MONTH}{YEAR}\b(?!\s+jl\b)", re.I)),
        ("season", re.compile(rf"\b(?:(?:in|voor|vóór)\s+(?:het|de)\s+|dit\s+|komende?\s+)?(?P<season>{alternation(t['season'])})\b{YEAR}",
                              re.I)),
        ("year", re.compile(r"\b(?P<prep>in|uiterlijk\s+in|vóór|voor)\s+(?P<year>20\d{2})\b(?![-/])", re.I)),
        ("within", re.compile(r"\bbinnen\s+(?P<n>\d+|[a-z]+)\s+(?P<unit>weken|week|maanden|maand)\b", re.I)),
        # last, and without a date: an event the paper dates is a before_date above
        ("event", re.compile(rf"\b{VOOR}\s+(?:het|de)\s+(?:{alternation(t['event']['nouns'])})\b(?:\s+(?:van|over)\s+[^.;,?]{{3,60}})?",
                             re.I)),
    ]


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _on_or_after(make, year: int | None, ref: dt.date | None) -> dt.date | None:
    """make(year) for the given year, else the first occurrence on or after the document date."""
    if year:
        return make(year)
    if ref is None:
        return None
    d = make(ref.year)
    return d if d >= ref else make(ref.year + 1)


def _resolve_recess(m: re.Match, ref: dt.date | None) -> tuple[dt.date | None, str | None]:
    """The day before the recess, and whether the calendar or the projection gave it."""
    name = tables()["recess"][m["recess"].lower()]
    if m["year"]:
        found = recess(name, int(m["year"]))
    elif ref:
        found = next((r for y in (ref.year, ref.year + 1) if (r := recess(name, y)) and r.first_day > ref), None)
    else:
        found = None
    if found is None:
        return None, None
    return found.first_day - dt.timedelta(days=1), "projected" if found.source == "projected" else "calendar"


def _resolve(kind: str, m: re.Match, ref: dt.date | None) -> dt.date | None:
    g = {k: v for k, v in m.groupdict().items() if v}
    year = int(g["year"]) if "year" in g else None
    t = tables()
    if kind in ("quarter", "q"):
        q = int(g["q"]) if kind == "q" else t["quarter"][g["q"].lower()]
        return _on_or_after(lambda y: _last_day(y, 3 * q), year, ref)
    if kind == "half_year":
        if not year and ref is None:
            return None
        y = year or ref.year + (0 if g.get("rel", "dit").lower() == "dit" else 1)
        return dt.date(y, 6, 30) if g["half"].lower() == "eerste" else dt.date(y, 12, 31)
    if kind == "year_end":
        return dt.date(year or ref.year, 12, 31) if (year or ref) else None
    if kind == "month_part":
        day = t["month_part"][g["part"].lower()]
        month = months()[g["month"].lower()]
        return _on_or_after(lambda y: _last_day(y, month) if day == 0 else dt.date(y, month, day), year, ref)
    if kind == "before_date":
        month = months()[g["month"].lower()]
        d = _on_or_after(lambda y: dt.date(y, month, min(int(g["day"]), calendar.monthrange(y, month)[1])), year, ref)
        return d - dt.timedelta(days=1) if d else None
    if kind == "before_month":
        month = months()[g["month"].lower()]
        d = _on_or_after(lambda y: dt.date(y, month, 1), year, ref)
        return d - dt.timedelta(days=1) if d else None
    if kind == "month":
        month = months()[g["month"].lower()]
        return _on_or_after(lambda y: _last_day(y, month), year, ref)
    if kind == "season":
        spec = t["season"][g["season"].lower()]
        mm, dd = map(int, spec["date"].split("-"))
        shift = 1 if spec.get("next_year") else 0
        if year:
            return dt.date(year + shift, mm, dd)
        return _on_or_after(lambda y: dt.date(y, mm, dd), None, ref)
    if kind == "year":
        before = g["prep"].lower() in ("voor", "vóór")
        return dt.date(year - 1, 12, 31) if before else dt.date(year, 12, 31)
    if kind == "within":
        if ref is None:
            return None
        n = number(g["n"])
        if g["unit"].lower() in ("week", "weken"):
            return ref + dt.timedelta(weeks=n)
        month = ref.month - 1 + n
        y, mth = ref.year + month // 12, month % 12 + 1
        return dt.date(y, mth, min(ref.day, calendar.monthrange(y, mth)[1]))
    if kind == "event":
        return None
    raise ValueError(kind)


def _after_no_deadline(sentence: str, start: int) -> bool:
    before = sentence[max(0, start - 30):start].lower()
    return any(re.search(rf"\b{re.escape(w)}\s+(?:(?:het|de|dit|deze)\s+)?$", before)
               for w in tables()["no_deadline"]["before_phrase"])


def find_deadline(sentence: str, doc_date: dt.date | None) -> Deadline | None:
    """The first deadline phrase in the sentence (by pattern priority, then position)."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Deadline]] = []
    for prio, (kind, rx) in enumerate(_patterns()):
        for m in rx.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken) or kind == "within" and number(m["n"]) is None:
                continue
            taken.append((m.start(), m.end()))
            if _after_no_deadline(sentence, m.start()):
                continue
            if kind == "recess":
                date, basis = _resolve_recess(m, doc_date)
            else:
                date = _resolve(kind, m, doc_date)
                basis = "rule" if date else None
            found.append((prio, Deadline(m.group(0).strip(), date, m.start(), m.end(), basis)))
    if not found:
        return None
    return min(found, key=lambda x: (x[1].start, x[0]))[1]
