"""Any supported file to a `Document`: the one entry point of extraction."""
from __future__ import annotations

import hashlib
from pathlib import Path

from .checks import check
from .config import config
from .errors import IngestError
from .extract_pdf import extract_pdf
from .extract_text import decode, parse
from .layout import assemble
from .metadata import apply_sidecar, extract_metadata, sidecar
from .model import Document, Furniture

SUPPORTED = {".pdf", ".txt"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path) -> bytes:
    if path.is_symlink() and not path.exists():
        raise IngestError("read", "a symbolic link that leads nowhere (broken or looping)")
    if not path.exists():
        raise IngestError("read", "no such file")
    if path.suffix.lower() not in SUPPORTED:
        raise IngestError("read", f"unsupported file type {path.suffix or '(none)'}: expected .pdf or .txt")
    limit = config().max_file_mb
    try:
        if path.stat().st_size > limit * 2 ** 20:
            raise IngestError("read", f"{path.stat().st_size / 2 ** 20:.0f} MB, over the limit of {limit:g} MB "
                                      "(KST_MAX_FILE_MB)")
        data = path.read_bytes()
    except OSError as exc:  # unreadable, a directory, gone meanwhile
        raise IngestError("read", f"cannot read the file: {exc.strerror or exc}") from None
    if not data:
        raise IngestError("read", "empty file")
    return data


def extract(path: Path, data: bytes | None = None) -> Document:
    data = read_bytes(path) if data is None else data
    if path.suffix.lower() == ".pdf":
        if not data.startswith(b"%PDF"):
            raise IngestError("extract", "not a PDF (no %PDF header)")
        lay = extract_pdf(str(path))
        shape, body, notes, furniture, head, pages = "pdf", lay.body, lay.notes, lay.furniture, lay.letterhead, lay.pages
        source, empty_pages = lay.source, lay.empty_pages
    else:
        source, empty_pages = decode(data), []
        lay = parse(source)
        shape, body, notes, furniture, head = lay.shape, lay.body, lay.notes, lay.furniture, lay.letterhead
        pages = body.count("\f") + 1
    text, blocks, footnotes = assemble(body, notes)
    if not text.strip():
        raise IngestError("extract", "no body text found")
    # Page-1 furniture holds letterhead lines too ("Ministerie van …" repeats as a running header);
    # without a letterhead the opening lines of the input, before paragraphs were joined, name the paper.
    first_page = "\n".join(f[1] for f in furniture if f[2] == 1)
    opening = f"{first_page}\n{head or (text[:1500] if shape == 'pdf' else source[:3000])}"
    meta = extract_metadata(opening, text, [b.text for b in blocks if b.kind == "heading"])
    meta = apply_sidecar(meta, sidecar(path))
    doc = Document(source_path=str(path), sha256=sha256(data), shape=shape, text=text, blocks=blocks,
                   footnotes=footnotes, furniture=[Furniture(*f) for f in furniture], meta=meta, pages=pages)
    doc.checks = check(source, doc, empty_pages, lay.orphan_markers)
    return doc
