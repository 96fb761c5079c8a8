"""The rule files load through one loader that fails loudly, naming the file and the key."""
from __future__ import annotations

import pytest

from pipeline import rules


@pytest.mark.parametrize("name", sorted(rules.SHAPES))
def test_every_rule_file_loads(name):
    assert rules.load(name)


@pytest.mark.parametrize("name, source, message", [
    ("voice.toml", '[patterns]\nkamer = []\nregering = []\nrgering = []\n[inline]\nkamer = []\nregering = []\n[kinds]\n',
     "models/voice.toml.patterns: unknown key 'rgering'"),
    ("voice.toml", '[patterns]\nkamer = []\n[inline]\nkamer = []\nregering = []\n[kinds]\n',
     "models/voice.toml.patterns: missing key 'regering'"),
    ("voice.toml", '[patterns]\nkamer = ["(unclosed"]\nregering = []\n[inline]\nkamer = []\nregering = []\n[kinds]\n',
     r"models/voice.toml.patterns.kamer\[0\]: bad pattern"),
    ("citations.toml", '[blocks]\nNR = "nr"\n[item]\nregex = "{NR} {NUMS}"\n[[pattern]]\nname = "a"\nkind = "b"\n'
                       'regex = "x"\n', r"models/citations.toml.item.regex: unknown block \{NUMS\}"),
    ("deadlines.toml", '[month_part]\nbegin = "10"\n', r"models/deadlines.toml.month_part.begin: expected int, found str"),
    ("motions.toml", 'not toml = = 1', "models/motions.toml: "),
])
def test_a_bad_rule_file_fails_loudly(name, source, message):
    with pytest.raises(rules.RuleError, match=message):
        rules.parse(name, source)


def test_blocks_resolve_through_blocks():
    data = rules.parse("citations.toml", '[blocks]\nA = "a{B}"\nB = "b"\n[item]\nregex = "{A}c"\n'
                                         '[[pattern]]\nname = "n"\nkind = "k"\nregex = "{B}"\n')
    assert data["item"]["regex"] == "abc" and data["pattern"][0]["regex"] == "b"


def test_word_lists_and_tables_are_package_data():
    assert {"nr.", "c.s.*"} <= set(rules.lines("abbreviations.txt"))
    assert {"name", "first_day", "last_day", "source"} <= set(rules.table("recesses.csv")[0])
    acronyms = rules.table("acronyms.csv")
    assert all(r["acronym"] and r["long_form"] and r["acronym"][0].isupper() for r in acronyms)
    assert len({r["acronym"] for r in acronyms}) == len(acronyms)
    with pytest.raises(rules.RuleError, match="missing from the installation"):
        rules.text("nothing.toml")
