"""Document metadata from the letterhead and the text, overridden by sidecars."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from .errors import IngestError
from .dutch import dated_bracket, name_case, parse_date
from .model import Metadata
from .rules import load

# a date as written: "12 maart 2025", "12 mrt. 2025", "12-03-2025"; read by dutch.parse_date
DATE = r"\d{1,2}(?:\s+[a-z]{3,9}\.?\s+|[-/.]\d{1,2}[-/.])\d{4}"
DATE_LINE = re.compile(r"(?:^|\n)\s*(?:Datum\s*:?\s+|(?:Voorgesteld|Vastgesteld|Ontvangen)\s+(?:op\s+)?|(?:Den Haag|'s-Gravenhage)\s*,\s*)" + DATE, re.I)
RECEIVED = re.compile(dated_bracket("ontvangen") + DATE, re.I)  # an Aanhangsel's answer: "(ontvangen 17 juli 2024)"
TITLE_LINE = re.compile(r"(?:^|\n)\s*(?:Betreft|Onderwerp|Document)\s*:?[ \t]+(.+)", re.I)
# "IENW/BSK-2022/268034", and with spaces round a slash or dash: "DGKE-EM / 95061234", "DGBI – I&K/ 26844711"
KENMERK = re.compile(r"(?:^|\n)\s*(?:Ons\s+)?kenmerk\s*:?\s+([A-Z0-9](?:[\w./&-]|[ \t]?[/–][ \t]?)*\d[\w./&-]*)", re.I)
# "36 410 XVI / Vaststelling van de begrotingsstaten van het / Ministerie van … (XVI) voor het jaar 2024 / Nr. 121":
# the dossier's title wraps onto up to three more lines
KAMERSTUK_HEAD = re.compile(r"(?:^|\n)\s*(\d{2}\s?\d{3}(?:[ -][A-Z]{1,5})?)\s+([A-Z][^\n]{3,}(?:\n(?![ \t]*Nr\.)[ \t]*\S[^\n]*){0,3})"
                            r"\s*\n(?:[^\n]*\n){0,3}?\s*Nr\.\s*(\d+)\s+([A-Z ,.'-]{4,})", re.M)
DOSSIER_LINE = re.compile(r"(?m)^[ \t]*\d{2}\s?\d{3}(?:[ -][A-Z]{1,5})?[ \t]+([A-Z][^\n]{8,})$")  # "36 512 Wijziging van …"
ID_LINE = re.compile(r"(?m)^[ \t]*(\d{5})(?:-([IVXL]{1,6}|[A-Z]{1,2}))?-(\d{1,4})[ \t]*$")
ID_TITLE = re.compile(ID_LINE.pattern + r"\n[ \t]*([A-Z][^\n]{3,})")  # "36471-23 / Kabinetsformatie 2023"
# A motion's name: in capitals as printed ("MOTIE VAN DE LEDEN MINHAS EN VAN DER GRAAF"), or as the Kamer's site
# names it, with its subject ("Motie van de leden Piri (GL-PvdA) en Veldkamp (NSC) over de versterking …")
MOTION_NAME = re.compile(r"^[ \t]*(?:Nr\.\s*\d+\s+)?MOTIE\s+VAN\s+(HET\s+LID|DE\s+LEDEN)\s+([A-Z][A-Z .'-]*?(?:\s+C\.S\.?)?)[ \t]*$", re.M)
MOTION_OVER = re.compile(r"^[ \t]*(Motie\s+van\s+(?:het\s+lid|de\s+leden)\s[^\n]{2,200}?\sover\s[\s\S]{4,300}?)\s*\n\s*De\s+Kamer\b", re.M)
MINISTRY = re.compile(r"(?:^|\n)\s*(Ministerie van [^\n]+?(?:,\s*\n\s*[A-Z][a-z][^\n]{0,40})?)\s*(?:\n|$)")
MINISTER_OF = re.compile(r"\b(?:MINISTER|STAATSSECRETARIS)\s+VAN\s+([A-Z][A-Z ,-]+?)(?:\n|$|\s{2})")
OPENING = 2000  # characters of a paper in which its kind is named


@lru_cache(maxsize=1)
def doctypes() -> dict:
    return load("doctypes.toml")


@lru_cache(maxsize=1)
def kinds() -> list[tuple[str, list[re.Pattern], list[re.Pattern]]]:
    """(kind, opening patterns, anywhere patterns) from models/doctypes.toml, in order."""
    return [(k["name"], [re.compile(p, re.I | re.M) for p in k.get("opening", [])],
             [re.compile(p, re.I | re.M) for p in k.get("anywhere", [])]) for k in doctypes()["kind"]]


@lru_cache(maxsize=1)
def title_rules() -> tuple[dict[str, list[re.Pattern]], list[re.Pattern]]:
    """Per kind, patterns whose groups make the title; and lines that are never a title."""
    per_kind = {k["name"]: [re.compile(p, re.I | re.M) for p in k.get("title", [])] for k in doctypes()["kind"]}
    return per_kind, [re.compile(p, re.I) for p in doctypes()["title"]["not"]]


@lru_cache(maxsize=None)
def item_openings(kind: str) -> list[re.Pattern]:
    """How a paragraph that starts an item of a paper of this kind opens (a decision list's agenda item)."""
    return [re.compile(p, re.I) for k in doctypes()["kind"] if k["name"] == kind for p in k.get("items", [])]


def document_kind(opening: str, text: str) -> str:
    """The first kind of models/doctypes.toml named in the opening of the paper (or anywhere in it)."""
    for name, at_start, anywhere in kinds():
        if any(p.search(opening) for p in at_start) or any(p.search(text) for p in anywhere):
            return name
    return "other"


def kind_title(kind: str, text: str) -> str | None:
    for pattern in title_rules()[0].get(kind, []):
        if m := pattern.search(text):
            title = " ".join(g for g in m.groups() if g)
            return re.sub(r"\s+", " ", re.sub(r"(?<!\w)[_*]+|[_*]+(?!\w)", "", title)).strip(" *_")
    return None


def is_title(line: str) -> bool:
    return not any(p.search(line) for p in title_rules()[1])


def extract_metadata(head: str, body: str, headings: list[str]) -> Metadata:
    """`head` is the letterhead (or the document start), `body` the body text."""
    text = (head + "\n" + body[:4000]).replace("\u00a0", " ")
    meta = Metadata(doc_type=document_kind(text[:OPENING], head + "\n" + body))
    m = DATE_LINE.search(text) or RECEIVED.search(text)
    if m:
        meta.date = parse_date(re.search(DATE, m.group(0), re.I).group(0))
    m = TITLE_LINE.search(text)
    if m:
        title = m.group(1).strip()
        # A title wrapped onto a second letterhead line continues in lower case.
        rest = text[m.end():].lstrip(" \t")
        nxt = re.match(r"\n\s*([a-z][^\n]{0,80})\n", rest)
        if nxt and not re.search(r"[.:]$", title) and len(nxt.group(1).split()) <= 6:
            title += " " + nxt.group(1).strip()
        meta.title = re.sub(r"\s+", " ", title)
    meta.title = meta.title or kind_title(meta.doc_type, text)
    m = KENMERK.search(text)
    if m:
        meta.kenmerk = m.group(1).rstrip(".")
    m = KAMERSTUK_HEAD.search(text)
    if m:
        number, _, addition = re.sub(r"^(\d{2})\s?(\d{3})", r"\1\2", m.group(1)).replace(" ", "-").partition("-")
        meta.dossier = f"{number}-{addition}" if addition else number
        meta.ondernummer = m.group(3)
        meta.title = meta.title or re.sub(r"\s+", " ", m.group(2)).strip()
    elif m := ID_LINE.search(head[:600]):  # a paper's own id on a line of its own: "36410-V-51"
        meta.dossier = f"{m.group(1)}-{m.group(2)}" if m.group(2) else m.group(1)
        meta.ondernummer = m.group(3)
    m = MINISTRY.search(text)
    if m:
        meta.sender = re.sub(r"\s+", " ", m.group(1)).strip().rstrip(",")
    else:
        m = MINISTER_OF.search(re.sub(r"(?<=[A-Z,]) ?\n(?=[A-Z]{2})", " ", text))  # a title in capitals wraps
        if m:
            meta.sender = "Ministerie van " + m.group(1).strip().title().replace(" En ", " en ")
    if not meta.title and (m := DOSSIER_LINE.search(text[:OPENING])):
        meta.title = m.group(1).strip()
    if meta.doc_type == "motie":
        meta.title = motion_title(text[:OPENING], meta.title) or meta.title
    meta.title = meta.title or next((h for h in headings if is_title(h)), None)
    return meta


def motion_title(opening: str, dossier_title: str | None) -> str | None:
    """"Motie van de leden Minhas en Van der Graaf — Spoor: vervoer- en beheerplan": who moved it, and its
    subject or the dossier's title (a motion printed as a Kamerstuk names no subject of its own)."""
    if m := MOTION_OVER.search(opening):
        return re.sub(r"\s+", " ", m.group(1)).strip()
    if not (m := MOTION_NAME.search(opening)):
        return None
    cs = re.search(r"\s+C\.S\.?$", m.group(2))
    names = re.split(r"\s+EN\s+", m.group(2)[:cs.start()] if cs else m.group(2))
    name = f"Motie van {m.group(1).lower()} {' en '.join(name_case(n) for n in names)}{' c.s.' if cs else ''}"
    if m := ID_TITLE.search(opening):
        dossier_title = m.group(4).strip()
    return f"{name} — {dossier_title}" if dossier_title else name


SIDECAR_FIELDS = {"date", "title", "kenmerk", "dossier", "ondernummer", "sender", "type", "doc_type"}


def sidecar_stamp(path: Path) -> str:
    """What a prepared file depends on besides its bytes: its path and its sidecar fields."""
    try:
        fields = sidecar(path)
    except IngestError as exc:  # preparing the file says so; the stamp changes once the sidecar is mended
        fields = {"unreadable": str(exc)}
    key = f"{path.resolve()}\n{json.dumps(fields, sort_keys=True, default=str)}"
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def sidecar(path: Path) -> dict:
    """Fields for a file from NAME.meta.json beside it, else from manifest.json in its folder."""
    found: dict = {}
    manifest = path.parent / "manifest.json"
    for source, pick in ((manifest, lambda d: d.get(path.name)), (path.with_name(path.name + ".meta.json"), lambda d: d),
                         (path.with_suffix(".meta.json"), lambda d: d)):
        if not source.is_file():
            continue
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise IngestError("metadata", f"unreadable sidecar {source.name}: {exc}") from exc
        entry = pick(data) if isinstance(data, dict) else None
        if isinstance(entry, dict):
            found.update({k: v for k, v in entry.items() if k in SIDECAR_FIELDS})
    return found


def apply_sidecar(meta: Metadata, fields: dict) -> Metadata:
    for key, value in fields.items():
        if value in (None, ""):
            continue
        if key == "date":
            try:
                value = dt.date.fromisoformat(str(value)[:10])
            except ValueError as exc:
                raise IngestError("metadata", f"sidecar date {value!r} is not YYYY-MM-DD") from exc
        setattr(meta, "doc_type" if key == "type" else key, value)
    return meta
