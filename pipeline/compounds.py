"""Dutch compound splitting for keyword search: "welzijnsakkoord" also indexes "welzijn" and "akkoord".

The lexicon is spaCy's Dutch lemma data (spacy-lookups-data), so the split
follows the language, not a corpus.
"""
from __future__ import annotations

import mmap
import os
import re
from functools import lru_cache

from .dutch import stop_words

MIN_HEAD, MIN_TAIL, MIN_WORD = 4, 4, 8
MAX_WORD = 60  # longer is no Dutch word; without the cap a hostile 5,000-letter query costs millions of lookups
KNOWN_WHOLE = 14  # a word the lexicon knows is split only from this length on ("verschillende" stays whole)
# Derivational endings that are words of their own but no compound heads: "gezond|heid", "land|schap".
NOT_TAILS = frozenset("heid heden lijk lijke lijkheid baar bare schap schappen ing ingen ling lingen isch ische "
                      "achtig achtige loos loze zaam zame tje tjes elijk erij ster sters aar aars".split())
LINKS = ("s", "en", "e", "n")  # linking sounds: "welzijn-s-akkoord", "boek-en-kast"


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    return frozenset(w for w in vocabulary() if len(w) >= MIN_TAIL - 1)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every Dutch word form spaCy knows (lemma data and stop words), lower case."""
    import spacy_lookups_data
    import srsly
    base = os.path.join(os.path.dirname(spacy_lookups_data.__file__), "data")
    lookup = srsly.read_gzip_json(os.path.join(base, "nl_lemma_lookup.json.gz"))
    index = srsly.read_gzip_json(os.path.join(base, "nl_lemma_index.json.gz"))
    words = set(lookup) | set(lookup.values())
    for lemmas in index.values():
        words.update(lemmas)
    return frozenset(w.lower() for w in words | stop_words() if w.isalpha())


def write_lexicon(path, version: str) -> None:
    """The lexicon as a file of sorted lines under a first line naming its version: a query looks its
    words up there (`known`) without loading the lexicon (0.8 s) or scanning a table of it (20 ms)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(b"\n".join([f"# {version}".encode(), *sorted(w.encode() for w in lexicon())]) + b"\n")
    tmp.replace(path)


def lexicon_version(path) -> str | None:
    try:
        with open(path, "rb") as f:
            return f.readline().decode().removeprefix("# ").rstrip("\n")
    except OSError:
        return None


def known(path, words) -> set[str]:
    """Those of `words` the lexicon file holds: a binary search by byte offset over its sorted lines, in
    the file memory-mapped (reading it whole took longer than the keyword search)."""
    found = set()
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        body = data.find(b"\n") + 1
        for word in words:
            target, lo, hi = word.encode(), body, len(data)
            while lo < hi:
                start = data.rfind(b"\n", 0, (lo + hi) // 2) + 1  # the line around the middle
                end = data.find(b"\n", start)
                line = data[start:end]
                if line == target:
                    found.add(word)
                    break
                lo, hi = (end + 1, hi) if line < target else (lo, start)
    return found


def _head(head: str, lex: frozenset[str]) -> str | None:
    if head in lex:
        return head
    for link in LINKS:
        if head.endswith(link) and len(head) - len(link) >= MIN_HEAD and head[:-len(link)] in lex:
            return head[:-len(link)]
    return None


@lru_cache(maxsize=65536)
def split(word: str) -> tuple[str, ...]:
    """The parts of a compound, head and longest known tail; () when it is not one."""
    return split_with(word, lexicon())


def split_with(word: str, lex: frozenset[str] | set[str]) -> tuple[str, ...]:
    w = word.lower()
    if not MIN_WORD <= len(w) <= MAX_WORD or not w.isalpha():
        return ()
    if len(w) < KNOWN_WHOLE and any(w[:len(w) - len(end)] in lex for end in ("", "e", "en", "s") if w.endswith(end)):
        return ()
    for i in range(MIN_HEAD, len(w) - MIN_TAIL + 1):
        tail = w[i:]
        if tail in lex and tail not in NOT_TAILS and (head := _head(w[:i], lex)):
            return head, tail
    return ()


def _words(text: str) -> list[str]:
    # names ("Nederland") are not split
    return [w for w in re.findall(r"[^\W\d_]+", text) if w[0].islower()]


def expand(text: str, lex: set[str] | None = None) -> str:
    """The compound parts of every word in `text`, space-separated (what the index adds). `lex`, when given,
    holds at least the lexicon's words among candidates(text): a query need not load the whole lexicon."""
    return " ".join(p for word in _words(text) for p in (split(word) if lex is None else split_with(word, lex)))


def candidates(text: str) -> set[str]:
    """Every string split_with() looks up for the words of `text`: whole-word forms, tails and heads."""
    out: set[str] = set()
    for w in (x.lower() for x in _words(text) if MIN_WORD <= len(x) <= MAX_WORD and x.isalpha()):
        out.update(w[:len(w) - len(end)] for end in ("", "e", "en", "s") if w.endswith(end))
        for i in range(MIN_HEAD, len(w) - MIN_TAIL + 1):
            head = w[:i]
            out.update((w[i:], head, *(head[:-len(k)] for k in LINKS if head.endswith(k))))
    return out


WORD = re.compile(r"[A-Za-zà-ÿ]+")


def _joins(text: str) -> list[tuple[re.Match, re.Match]]:
    """Neighbouring words a converter split where a soft hyphen stood: "Ik be schouw", "afge - daan" (two
    pieces that make a known word while one of them is none), or the hyphen kept in the joined line,
    "vergunnin-gen", "emissiefacto-ren" (a first piece that is no word, and a whole that is a word or a
    compound; "niet-werkende", "ggz-instelling" stay)."""
    known = vocabulary()
    words = list(WORD.finditer(text))
    out, joined_at = [], -1
    for a, b in zip(words, words[1:]):
        gap, whole = text[a.end():b.start()], (a.group() + b.group()).lower()
        if not b.group()[0].islower() or a.start() == joined_at:
            continue
        if (gap in (" ", " - ") and whole in known and (a.group().lower() not in known or b.group() not in known)
                or gap == "-" and len(a.group()) > 1 and a.group().lower() not in known and (whole in known or split(whole))):
            out.append((a, b))
            joined_at = b.start()
    return out


def rejoin(text: str) -> str:
    """`text` with the words a converter split joined again (`_joins`)."""
    out, pos = [], 0
    for a, b in _joins(text):
        out.append(text[pos:a.end()])
        pos = b.start()
    out.append(text[pos:])
    return "".join(out)


def rejoined(text: str) -> list[str]:
    """The words `rejoin` makes of `text`: what keyword search should find in it."""
    return [a.group() + b.group() for a, b in _joins(text)]
