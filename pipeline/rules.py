"""The rule files of `models/`, shipped as package data and read through one loader that fails loudly.

Every TOML file has a shape (below): a key the shape does not know, a missing key, a value of the
wrong type, a `{BLOCK}` name that no block defines, or a pattern that does not compile raises
`RuleError` naming the file and the key, when the file is first read.
"""
from __future__ import annotations

import csv
import io
import re
import tomllib
from functools import lru_cache
from importlib import resources

from .model import FUSIONS


class RuleError(ValueError):
    pass


class Pattern(str):
    """A regular expression (Python `re`, not verbose: a space is a space), checked by compiling it."""


# A shape: a type; [shape] a list of it; {key: shape} a table with these keys ("key?" optional);
# {str: shape} a table of any keys.
SHAPES: dict[str, dict] = {
    "citations.toml": {"blocks": {str: Pattern}, "item": {"regex": Pattern},
                       "pattern": [{"name": str, "kind": str, "regex": Pattern}]},
    "commitments.toml": {"actor": {str: Pattern}, "fulfilment": {"patterns": [Pattern]},
                         "new": {"patterns": [Pattern], "with_deadline?": [Pattern],
                                 "in_letter": Pattern, "later": Pattern},
                         "exclude": {"patterns": [Pattern]}},
    "deadlines.toml": {"month_part": {str: int}, "season": {str: {"date": str, "next_year?": bool}},
                       "quarter": {str: int}, "recess": {str: str}, "event": {"nouns": [str]},
                       "no_deadline": {"before_phrase": [str]},
                       "projection": {str: {"from": str, "days": int}}},
    "doctypes.toml": {"kind": [{"name": str, "opening?": [Pattern], "anywhere?": [Pattern], "title?": [Pattern],
                               "items?": [Pattern]}],
                      "title": {"not": [Pattern]}},
    "embedding.toml": {"model": {"default": str, "batch_size": int,
                                 "prefixes?": [{"model": Pattern, "query": str, "passage": str}]},
                       "search": {"passage_tokens": int, "sentence_vectors": bool, "bm25_k1": float, "bm25_b": float,
                                  "fusion": FUSIONS, "rrf_k": int, "keyword_weight": float, "semantic_weight": float,
                                  "footnote_weight": float, "preamble_weight": float, "phrase_weight": float, "depth": int, "vector_probe": int}},
    "motions.toml": {"mention": {"head": Pattern, "anaphor": Pattern, "bare": Pattern},
                     "names": {"particle": Pattern, "surname": Pattern, "separator": Pattern, "not_names": [str]},
                     "negation": {"pattern": Pattern},
                     "disposition": [{"name": str, "patterns": [Pattern]}]},
    "voice.toml": {"patterns": {"kamer": [Pattern], "regering": [Pattern]},
                   "inline": {"kamer": [Pattern], "regering": [Pattern]},
                   "kinds": {str: {"first": str, "sticky": bool, "numbered?": bool, "preamble?": bool, "whole_answers?": bool}}},
}
BLOCK = re.compile(r"\{([A-Z][A-Z_]*)\}")


def text(name: str) -> str:
    try:
        return resources.files("models").joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleError(f"models/{name}: missing from the installation") from None


def lines(name: str) -> list[str]:
    """A word list: one entry per line, blank lines and # comments left out."""
    return [ln.strip() for ln in text(name).splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def table(name: str) -> list[dict[str, str]]:
    """A CSV file with a header, # comment lines left out."""
    return list(csv.DictReader(io.StringIO("\n".join(ln for ln in text(name).splitlines()
                                                    if not ln.startswith("#")))))


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """A TOML rule file, checked against its shape, with `{BLOCK}` names of its `blocks` table resolved."""
    return parse(name, text(name))


def parse(name: str, source: str) -> dict:
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"models/{name}: {exc}") from None
    return _check(data, SHAPES[name], f"models/{name}", data.get("blocks", {}))


def expand(pattern: str, blocks: dict[str, str], where: str) -> str:
    for _ in range(10):  # blocks use blocks
        new = BLOCK.sub(lambda m: blocks[m.group(1)] if m.group(1) in blocks else m.group(0), pattern)
        if new == pattern:
            break
        pattern = new
    if m := BLOCK.search(pattern):
        raise RuleError(f"{where}: unknown block {{{m.group(1)}}}")
    return pattern


def _check(value, shape, where: str, blocks: dict):
    if isinstance(shape, tuple):  # one of these names
        if value not in shape:
            raise RuleError(f"{where}: expected one of {', '.join(shape)}, found {value!r}")
        return value
    if shape is Pattern:
        if not isinstance(value, str):
            raise RuleError(f"{where}: expected a pattern, found {type(value).__name__}")
        value = expand(value, blocks, where)
        try:
            re.compile(value)
        except re.error as exc:
            raise RuleError(f"{where}: bad pattern: {exc}") from None
        return value
    if isinstance(shape, type):
        if not isinstance(value, shape) or (shape is int and isinstance(value, bool)):
            if not (shape is float and isinstance(value, int) and not isinstance(value, bool)):
                raise RuleError(f"{where}: expected {shape.__name__}, found {type(value).__name__}")
        return value
    if isinstance(shape, list):
        if not isinstance(value, list):
            raise RuleError(f"{where}: expected a list, found {type(value).__name__}")
        return [_check(v, shape[0], f"{where}[{i}]", blocks) for i, v in enumerate(value)]
    if not isinstance(value, dict):
        raise RuleError(f"{where}: expected a table, found {type(value).__name__}")
    if str in shape:
        return {k: _check(v, shape[str], f"{where}.{k}", blocks) for k, v in value.items()}
    keys = {k.rstrip("?"): k.endswith("?") for k in shape}
    if unknown := sorted(set(value) - set(keys)):
        raise RuleError(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(keys)})")
    checked = {k: _check(v, shape[k + "?" if keys[k] else k], f"{where}.{k}", blocks) for k, v in value.items()}
    if missing := [k for k, optional in keys.items() if not optional and k not in value]:
        raise RuleError(f"{where}: missing key {missing[0]!r}")
    return checked
