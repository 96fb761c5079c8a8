"""The layering, checked from the source: kst (the command line) > flows (Prefect) > pipeline (the library),
no import cycles, and the library never reaches up into flows, kst or Prefect."""
from __future__ import annotations

import ast

import pytest

from conftest import ROOT

PACKAGES = ("kst", "flows", "pipeline", "models")


def imports() -> dict[str, set[str]]:
    """Module -> first-party and third-party modules it imports, at any depth of its code."""
    graph: dict[str, set[str]] = {}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).glob("*.py")):
            name = f"{pkg}.{path.stem}"
            found: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(a.name for a in node.names)
                elif isinstance(node, ast.ImportFrom):
                    base = node.module or ""
                    if node.level:
                        base = ".".join([pkg, *filter(None, [base])])
                    found.add(base)
                    found.update(f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}".startswith(PACKAGES))
            graph[name] = found
    return graph


def first_party(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {m: {d for d in deps if d in graph and d != m} for m, deps in graph.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in graph:
        if v not in index:
            visit(v)
    return out


def test_no_import_cycles():
    assert cycles(first_party(imports())) == []


@pytest.mark.parametrize("layer, forbidden", [
    ("pipeline.", ("flows", "kst", "prefect", "tools", "benchmarks")),
    ("flows.", ("kst",)),
    ("models.", ("pipeline", "flows", "kst")),
])
def test_no_module_reaches_up(layer, forbidden):
    bad = {(m, d) for m, deps in imports().items() if m.startswith(layer)
           for d in deps if d.split(".")[0] in forbidden}
    assert bad == set()


def test_the_checker_sees_a_cycle_and_an_upward_import():
    # the test of the test: a two-module cycle and a lazy import inside a function are found
    assert cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    assert "flows.ingest" in imports()["kst.cli"]  # imported inside the ingest command only
