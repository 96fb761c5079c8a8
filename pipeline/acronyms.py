"""Acronym definitions in a document: "Aanvullend Zorg- en Welzijnsakkoord (AZWA)", and those every reader
of government papers knows ("UWV", "VN": models/acronyms.csv).

A passage that only says "AZWA" is indexed with the long form too, so a search in
words finds it. The long form is the shortest run of words before the parentheses
whose first word starts with the acronym's first letter and that holds all its
letters in order (after Schwartz & Hearst, 2003).
"""
from __future__ import annotations

import re
from functools import lru_cache

from . import rules

DEFINITION = re.compile(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)")
WORD = re.compile(r"[\w’'-]+")


def _long_form(before: str, acronym: str) -> str | None:
    words = WORD.findall(before)[-(len(acronym) + 4):]
    letters = acronym.lower()
    for i in range(len(words) - 1, -1, -1):
        candidate = words[i:]
        if not candidate[0].lower().startswith(letters[0]) or len(candidate) < 2 and len(letters) > 2:
            continue
        text = " ".join(candidate).lower()
        pos = 0
        for ch in letters:
            pos = text.find(ch, pos)
            if pos < 0:
                break
            pos += 1
        else:
            return " ".join(candidate)
    return None


def definitions(text: str) -> dict[str, str]:
    """acronym -> long form, for every "Long Form (LF)" in the text; the first definition wins."""
    found: dict[str, str] = {}
    for m in DEFINITION.finditer(text):
        acronym = m.group(1)
        if acronym in found or sum(c.isupper() for c in acronym) < 2:
            continue
        long = _long_form(text[max(0, m.start() - 200):m.start()], acronym)
        if long:
            found[acronym] = long
    return found


@lru_cache(maxsize=1)
def known() -> dict[str, str]:
    return {r["acronym"]: r["long_form"] for r in rules.table("acronyms.csv")}


def expansions(text: str, defs: dict[str, str]) -> list[tuple[str, str]]:
    """(acronym, long form) of the acronyms used in `text`."""
    used = set(re.findall(r"\b[A-Z][A-Za-z]{1,9}\b", text))
    return [(acronym, long) for acronym, long in defs.items() if acronym in used]
