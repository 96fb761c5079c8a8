"""Facts of the Dutch language, from maintained libraries rather than lists of our own.

- month names and abbreviations, and dates as written ("12 mrt. 2025", "12-03-2025"): dateparser
- number words ("zeven", "eenentwintig"): text2num
- stop words: spaCy's Dutch list, read from its data module alone (importing spaCy pulls in torch,
  seconds a query from a cold shell must not pay)
- the words a line cannot end on (articles, prepositions, conjunctions) and the particles of surnames:
  closed classes, listed here, since no installable library tags Dutch word classes
"""
from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
from functools import lru_cache

# A line that ends in one goes on ("… afhankelijk is van"), so it is no heading however short it is. A
# heading that ends in a particle ("Wat houdt het in") joins the paragraph below it, and loses no words.
OPEN_ENDINGS = frozenset("de het een des der den van in op aan met voor door naar bij om tot uit onder tegen tussen "
                         "te ten ter vanuit tijdens volgens zonder sinds vanaf en of maar dat omdat want terwijl zoals".split())
DATE_SETTINGS = {"DATE_ORDER": "DMY", "REQUIRE_PARTS": ["day", "month", "year"], "PREFER_LOCALE_DATE_ORDER": False}
MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december")


def alternation(words) -> str:
    """A regex alternation of `words`, escaped, the longest first so that "maart" wins over "mrt"."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def months() -> dict[str, int]:
    """Every Dutch name and abbreviation of a month, lower case, to its number: maart, mrt, sep, september …"""
    from dateparser.languages.loader import default_loader
    info = default_loader.get_locale("nl").info
    return {name.lower(): i for i, key in enumerate(MONTH_KEYS, start=1) for name in info[key]}


def parse_date(text: str) -> dt.date | None:
    """A date as Dutch papers write it: "12 maart 2025", "12 mrt. 2025", "12-03-2025", "12/3/2025"."""
    import dateparser
    found = dateparser.parse(text.strip(), languages=["nl"], settings=DATE_SETTINGS)
    return found.date() if found else None


def dated_bracket(*words: str) -> str:
    """The opening of the bracketed stamps an Aanhangsel dates its question and answer with, "(ingezonden 4 juli
    2023)", "(ontvangen op 14 september 2023)", for the given words; the date is the caller's to match."""
    return rf"\(\s*(?:{alternation(words)})\s+(?:op\s+)?"


def ends_open(text: str) -> bool:
    words = text.split()
    return bool(words) and words[-1].lower() in OPEN_ENDINGS


# the particles of a Dutch surname, lower case after a first name or another particle ("Olger van Dijk")
PARTICLES = frozenset({"van", "de", "der", "den", "ter", "ten", "te", "het", "in", "'t"})


def name_case(name: str) -> str:
    """A name printed in capitals as written: "VAN DER GRAAF" -> "Van der Graaf", "OLGER VAN DIJK" -> "Olger van Dijk"."""
    words = name.lower().split()
    return " ".join(w if i and w in PARTICLES else "-".join(p.capitalize() for p in w.split("-"))
                    for i, w in enumerate(words))


def number(word: str) -> int | None:
    """'7' or 'zeven' -> 7; None when it is no number."""
    if word.isdigit():
        return int(word)
    from text_to_num import text2num
    try:
        return text2num(word.lower(), "nl")
    except ValueError:
        return None


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    root = importlib.util.find_spec("spacy").submodule_search_locations[0]
    spec = importlib.util.spec_from_file_location("_spacy_nl_stop_words", os.path.join(root, "lang", "nl", "stop_words.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)
