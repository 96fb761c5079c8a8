"""The document model every stage reads and writes: plain, typed dataclasses.

Kinds are string enums: they compare equal to their values and store as text, and a value that
is none of them fails where the element is made.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum


class Shape(StrEnum):
    PDF = "pdf"
    WORD_EXPORT = "word-export"
    MARKDOWN_FROM_PDF = "markdown-from-pdf"
    PDF_TEXT = "pdf-text"
    PLAIN = "plain"


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"


class CitationKind(StrEnum):
    KAMERSTUK = "kamerstuk"
    DOSSIER = "dossier"
    ZAAK = "zaak"
    TOEZEGGING = "toezegging"
    HANDELINGEN = "handelingen"
    STAATSCOURANT = "staatscourant"


UNMAPPED = "\ufffd"  # a glyph the converter could not map to a character: the check names each
# how pdfminer.six and pdfplumber write a glyph its font maps to no character (a symbol font's bullet)
CID = re.compile(r"\(cid:\d+\)")
SEARCH_MODES = ("hybrid", "keyword", "semantic")
# how hybrid search joins its keyword and semantic rankings: by their scores set on a scale of the list's mean
# and spread, by min-max normalised scores, or by reciprocal ranks
FUSIONS = ("spread", "scores", "ranks")


class Disposition(StrEnum):
    AFGEDAAN = "afgedaan"
    UITGEVOERD = "uitgevoerd"
    GENOEMD = "genoemd"


class CommitmentKind(StrEnum):
    NEW = "new"
    FULFILMENT = "fulfilment"


class DeadlineBasis(StrEnum):
    CALENDAR = "calendar"
    PROJECTED = "projected"
    RULE = "rule"


@dataclass
class Metadata:
    date: dt.date | None = None
    title: str | None = None
    kenmerk: str | None = None
    dossier: str | None = None
    ondernummer: str | None = None
    sender: str | None = None
    doc_type: str = "other"  # a kind of models/doctypes.toml (data, so no enum): brief, motie, verslag …

    @property
    def own_id(self) -> str | None:
        """The paper's own canonical id, as a citation of it is written: "36200-IX-30"."""
        return f"{self.dossier}-{self.ondernummer}" if self.dossier and self.ondernummer else None


@dataclass
class Block:
    kind: BlockKind
    text: str
    page: int
    start: int  # character offsets into Document.text
    end: int

    def __post_init__(self):
        self.kind = BlockKind(self.kind)


@dataclass
class Footnote:
    number: int
    text: str
    page: int
    anchor: int | None = None  # offset of the marker in Document.text


@dataclass
class Furniture:
    """Running headers, footers, page numbers and letterheads, kept apart from the body."""
    kind: str
    text: str
    page: int


@dataclass
class Checks:
    """What the conservation check found (pipeline/checks.py); `warnings` empty when all is well."""
    shape: str
    input_chars: int  # letters and digits of the input
    coverage: float  # share of them found in body, footnotes or furniture
    excess: float  # letters found beyond the input's
    body_share: float
    footnotes: int
    longest_footnote: int
    numbering_gaps: list[int]
    empty_pages: list[int]
    orphan_markers: list[int]
    warnings: list[str]


@dataclass
class Document:
    source_path: str
    sha256: str
    shape: Shape
    text: str  # the body: blocks joined by blank lines
    blocks: list[Block]
    footnotes: list[Footnote]
    furniture: list[Furniture] = field(default_factory=list)
    meta: Metadata = field(default_factory=Metadata)
    pages: int = 1
    checks: Checks | None = None

    def __post_init__(self):
        self.shape = Shape(self.shape)

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]

    def page_at(self, offset: int) -> int | None:
        """The page of the block holding a character offset of `text`."""
        return next((b.page for b in self.blocks if b.start <= offset <= b.end), None)


@dataclass
class Citation:
    citation_id: str
    kind: CitationKind
    raw: str
    start: int  # offsets in the text it was found in
    end: int
    dossier: str | None = None
    addition: str | None = None
    ondernummer: str | None = None
    vergaderjaar: str | None = None
    chamber: str | None = None
    page: int | None = None
    footnote: int | None = None  # set when found in a footnote
    sentence: str | None = None

    def __post_init__(self):
        self.kind = CitationKind(self.kind)


@dataclass
class Sentence:
    """A sentence of Document.text, as segmentation found it."""
    start: int
    end: int
    text: str


@dataclass
class MotionMention:
    movers: list[str]
    cs: bool
    ref: str | None
    disposition: Disposition
    sentence: str
    start: int
    end: int
    anaphor: bool = False  # "deze motie": the motion named before

    def __post_init__(self):
        self.disposition = Disposition(self.disposition)


@dataclass
class Motion:
    movers: list[str]
    cs: bool
    ref: str | None
    disposition: Disposition
    mentions: list[MotionMention]

    def __post_init__(self):
        self.disposition = Disposition(self.disposition)


@dataclass
class MotionText:
    """What a motion document itself says: who moved it, what the Kamer considers, what it asks."""
    movers: list[str]
    cs: bool
    considerations: list[str]
    dictum: str


@dataclass
class Commitment:
    text: str
    kind: CommitmentKind
    actor: str
    deadline_text: str | None
    deadline: dt.date | None
    start: int
    end: int
    deadline_basis: DeadlineBasis | None = None

    def __post_init__(self):
        self.kind = CommitmentKind(self.kind)
        self.deadline_basis = DeadlineBasis(self.deadline_basis) if self.deadline_basis else None


@dataclass
class Passage:
    seq: int
    page: int
    heading: str
    text: str
    start: int
    end: int
    kind: str = "body"  # body | preamble | footnote
    footnote: int | None = None  # the footnote's number, for a footnote passage
    anchor_seq: int | None = None  # for a footnote passage: the body passage that holds its marker
    # an answer of several passages (cut at the limit, or by a heading inside it): its passages, consecutive,
    # the question's first
    answer_seqs: list[int] | None = None
    glossary: str = ""  # "AZWA: Aanvullend Zorg- en Welzijnsakkoord" for acronyms defined elsewhere in the document
    embed_text: str = ""  # what the model sees: title > heading > text (glossary)
    text_hash: str = ""  # of embed_text: the key of the embedding cache
    terms: str = ""  # compound parts of the text, indexed for keyword search
    embedding: list[float] | None = None
    sentence_texts: list[str] = field(default_factory=list)  # what the model sees of each sentence (passages.py)
    sentence_embeddings: list[list[float]] | None = None


@dataclass
class Analysis:
    """Everything segmentation finds in one document."""
    citations: list[Citation]
    motions: list[Motion]
    commitments: list[Commitment]
    motion_text: MotionText | None = None  # when the document is a motion
