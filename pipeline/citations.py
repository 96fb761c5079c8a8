"""Find citations of parliamentary papers and resolve them to canonical ids.

Canonical ids (see ../shared/gold/README.md): ``31765-884``, ``36200-XVI-87``,
``29214`` (dossier only), ``2024Z16781`` (zaak), ``TZ202501-097`` (toezegging).
Handelingen and Staatscourant get ids of their own (``handelingen:II:2022-2023:50:7``,
``stcrt:2019:34862``). The patterns are data: models/citations.toml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import rules
from .model import Citation

ID = re.compile(r"^(?P<dossier>\d{5})(?:-(?P<addition>[IVXL]{1,6}[A-F]?|[A-Z]{1,2}|\d{2,3}(?=-)))?"
                r"(?:-(?P<num>\d{1,4}[A-Z]?|[A-Z]{1,2}))?$"
                r"|^(?P<zaak>\d{4}Z\d{5})$|^TZ(?P<month>\d{6})-(?P<tz>\d{3,4})$")
MAX_RANGE = 25  # "nrs. 12 t/m 14" expands; a longer range is more likely a misreading


@dataclass(frozen=True)
class Pattern:
    name: str
    kind: str
    regex: re.Pattern


@lru_cache(maxsize=None)
def _rules() -> tuple[tuple[Pattern, ...], re.Pattern]:
    data = rules.load("citations.toml")
    pats = tuple(Pattern(p["name"], p["kind"], re.compile(p["regex"])) for p in data["pattern"])
    return pats, re.compile(data["item"]["regex"])


def patterns() -> tuple[Pattern, ...]:
    return _rules()[0]


def kamerstuk_id(dossier: str, addition: str | None = None, num: str | int | None = None) -> str:
    parts = [_dossier(dossier)]
    if add := _addition(addition):
        parts.append(add.upper())
    if num not in (None, ""):
        parts.append(_ondernummer(num))
    return "-".join(parts)


def _dossier(raw: str) -> str:
    return re.sub(r"[\s.-]", "", raw)


def _addition(raw: str | None) -> str | None:
    """"-XVI", " XVI", " hoofdstuk XV" -> "XVI", "XV"."""
    return re.sub(r"^[\s.-]*(?:(?i:hoofdstuk)\s+)?|[\s.-]+$", "", raw or "") or None


def _ondernummer(num: str | int) -> str:
    """"884", "042" -> "884", "42"; "42e" -> "42E"; an Eerste Kamer letter "e" -> "E"."""
    s = str(num).strip()
    return str(int(s)) if s.isdigit() else (str(int(s[:-1])) + s[-1] if s[:-1].isdigit() else s).upper()


def toezegging_id(month: str, num: str | int) -> str:
    return f"TZ{month}-{int(num):03d}"


def parse_id(cid: str) -> dict | None:
    """Canonical id back to its fields; None when it is not one."""
    m = ID.match(cid)
    if not m:
        return None
    if m.group("zaak"):
        return {"kind": "zaak", "zaak": m.group("zaak")}
    if m.group("month"):
        return {"kind": "toezegging", "month": m.group("month"), "num": int(m.group("tz"))}
    kind = "kamerstuk" if m.group("num") else "dossier"
    num = m.group("num")
    return {"kind": kind, "dossier": m.group("dossier"), "addition": m.group("addition"),
            "num": (int(num) if num.isdigit() else num) if num else None}


def format_id(fields: dict) -> str:
    if fields["kind"] == "zaak":
        return fields["zaak"]
    if fields["kind"] == "toezegging":
        return toezegging_id(fields["month"], fields["num"])
    return kamerstuk_id(fields["dossier"], fields.get("addition"), fields.get("num"))


def _vergaderjaar(raw: str | None) -> str | None:
    if not raw:
        return None
    a, b = re.split(r"\s?[/–-]\s?", raw)
    b = b if len(b) == 4 else a[:2] + b
    return f"{a}-{b}"


def _chamber(raw: str | None) -> str | None:
    key = re.sub(r"\s+", " ", raw or "").casefold()
    return {"i": "I", "ek": "I", "1": "I", "eerste kamer": "I",
            "ii": "II", "tk": "II", "2": "II", "11": "II", "tweede kamer": "II"}.get(key)


def _numbers(nums: str) -> list[str]:
    out: list[str] = []
    for part in re.split(r"\s*(?:,|\ben\b)\s*", nums.strip()):
        rng = re.match(r"(\d+)\s*(?:t/m|tot\s+en\s+met|–|-)\s*(\d+)$", part)
        if rng and 0 < int(rng.group(2)) - int(rng.group(1)) <= MAX_RANGE:
            out.extend(str(n) for n in range(int(rng.group(1)), int(rng.group(2)) + 1))
        else:
            out.extend(_ondernummer(x) for x in re.findall(r"\d+[a-z]?(?![a-z])|\b[A-Z]{1,2}\b", part))
    return out


def _resolve(p: Pattern, m: re.Match) -> list[Citation]:
    g = m.groupdict()
    common = {"raw": m.group(0).strip(), "start": m.start(), "end": m.end()}
    if p.kind == "toezegging":
        return [Citation(toezegging_id(g["month"], g["num"]), "toezegging", ondernummer=g["num"], **common)]
    if p.kind == "zaak":
        return [Citation(g["zaak"], "zaak", **common)]
    if p.kind == "handelingen":
        year, chamber = _vergaderjaar(g["year"]), _chamber(g["chamber"])
        cid = ":".join(x for x in ("handelingen", chamber, year, g["num"], g.get("item")) if x)
        return [Citation(cid, "handelingen", ondernummer=g["num"], vergaderjaar=year, chamber=chamber, **common)]
    if p.kind == "staatscourant":
        return [Citation(f"stcrt:{g['year']}:{g['num']}", "staatscourant", ondernummer=g["num"], **common)]
    if p.kind == "kamerstuk":
        dossier = _dossier(g["dossier"])
        add = _addition(g.get("addition"))
        num = g.get("num") and _ondernummer(g["num"])  # none: the dossier alone (a rijkswet's, one in brackets)
        return [Citation(kamerstuk_id(dossier, add, num), "kamerstuk" if num else "dossier", dossier=dossier,
                         addition=add, ondernummer=num, vergaderjaar=_vergaderjaar(g.get("year")),
                         chamber=_chamber(g.get("chamber")), **common)]
    # kamerstuk_list: a prefix, then one or more dossiers each with their numbers
    year, chamber = _vergaderjaar(g.get("year")), _chamber(g.get("chamber"))
    out = []
    dossier = add = None
    # read in the whole text, so that an item's lookaheads see what follows the list ("21 501-02, 2732")
    for item in _rules()[1].finditer(m.string, m.start("list")):
        if item.start() >= m.end("list"):
            break
        if item.group("more"):  # "; nr. 7": the dossier before it
            if dossier is None:
                continue
            nums = _numbers(item.group("more_nums"))
        else:
            dossier = _dossier(item.group("dossier"))
            add = _addition(item.group("addition"))
            nums = _numbers(item.group("nums") or item.group("bare") or (item.group("hyphen_num") or "").lstrip("-"))
        for n in nums or [None]:
            out.append(Citation(kamerstuk_id(dossier, add, n), "kamerstuk" if n is not None else "dossier",
                                dossier=dossier, addition=add, ondernummer=str(n) if n is not None else None,
                                vergaderjaar=year, chamber=chamber, **common))
    return out


def find_citations(text: str) -> list[Citation]:
    """Every citation in `text`, in order; a stretch of text is claimed by one pattern only."""
    taken: list[tuple[int, int]] = []
    found: list[Citation] = []
    for p in patterns():
        for m in p.regex.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            cits = _resolve(p, m)
            if cits:
                taken.append((m.start(), m.end()))
                found.extend(cits)
    return sorted(found, key=lambda c: c.start)
