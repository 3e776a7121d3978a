"""Ingest: a file (text or PDF) → SourceInfo + block stream with provenance."""

from __future__ import annotations

import os
from dataclasses import field

from ..errors import InputError
from ..limits import exceeded, limit
from ..model.document import SourceInfo
from .blocks import Block, GridRow
from ..records import record

# The readers (.source, .text_reader, .pdf_reader) are imported when a file is read, so
# importing a light module of this package (blocks) does not load them.

__all__ = ["Block", "GridRow", "Loaded", "load", "load_bytes", "load_text"]


@record
class Loaded:
    source: SourceInfo
    blocks: list[Block]
    lines: list[str] = field(default_factory=list)  # text sources
    data: bytes | None = None  # PDF sources


def load(path: str | os.PathLike) -> Loaded:
    from .source import open_source

    return _read(open_source(path))


def load_bytes(data: bytes, name: str) -> Loaded:
    from .source import from_bytes

    return _read(from_bytes(data, name))


def load_text(text: str, name: str = "<text>") -> Loaded:
    from .source import from_bytes

    return _read(from_bytes(text.encode("utf-8"), name))


def _read(raw) -> Loaded:
    if raw.format == "pdf":
        from .pdf_reader import read_pdf_blocks

        blocks, pages, ocr_pages = read_pdf_blocks(raw.data, raw.path)
        _check_tables(blocks, raw.path)
        script = _simplify_blocks(blocks)
        info = SourceInfo(raw.name, raw.sha256, "pdf", len(raw.data), reader="pdf", pages=pages, ocr_pages=ocr_pages, script=script)
        return Loaded(info, blocks, data=raw.data)
    from .source import decode_text, looks_like_html_page
    from .text_reader import read_text_blocks

    size = len(raw.data)
    decoded = decode_text(raw.data, raw.path)
    raw.data = b""  # a large text is not held as bytes, text and lines at once: the bytes go first
    encoding = decoded.encoding
    text = decoded.text
    del decoded
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text or "\x85" in text:  # Unicode line/paragraph separators, NEL
        text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n")
    text, script = _simplified(text)
    lines = text.split("\n")
    if len(lines) > limit("lines"):
        raise exceeded("lines", f"{len(lines):,}", raw.path)
    page = looks_like_html_page(text)
    longest = max(map(len, lines))
    if longest > limit("line-chars") and not page:  # a web page is read by element, not by line
        raise exceeded("line-chars", f"{longest:,}", raw.path)
    try:
        if page:
            from .html_page import read_html_page

            blocks = read_html_page(text)
        else:
            blocks = read_text_blocks(text, lines)
            if not any(b.is_grid for b in blocks) and "  " in text:
                from .layout_text import read_layout_tables  # tables lined up with spaces only

                blocks = read_layout_tables(lines, blocks)
    except InputError as exc:  # a limit reached inside a table: name the file
        exc.path = exc.path or raw.path
        raise
    _check_tables(blocks, raw.path)
    info = SourceInfo(raw.name, raw.sha256, "text", size, encoding, "html" if page else "text", lines=len(lines), script=script)
    if not blocks:
        raise InputError("the file contains no text", raw.path)
    # A web page's source lines are markup, not the lines a reader sees (often the whole
    # page is one line): like a PDF's, its prose is read from the blocks alone.
    return Loaded(info, blocks, lines=[] if page else lines)


# A simplified report has a few traditional characters at most (a converter's stray 並 or
# 預: under 0.1% on the corpus); one printed or saved from a website in traditional
# characters has about a third.
TRADITIONAL_SHARE = 0.05


def _simplified(text: str) -> tuple[str, str | None]:
    """A report in traditional characters is read as simplified, line for line, so the
    rules (which read simplified wording) apply; `script` then says so."""
    from ..extract.textnorm import to_simplified, traditional_share

    if traditional_share(text) < TRADITIONAL_SHARE:
        return text, None
    converted = to_simplified(text)
    if converted.count("\n") != text.count("\n"):  # line numbers must stay true
        return text, None
    return converted, "traditional"


def _simplify_blocks(blocks: list[Block]) -> str | None:
    from ..extract.textnorm import to_simplified, traditional_share

    sample = "".join(b.text or "".join(c for r in b.rows[:20] for c in r.cells) for b in blocks[:400])
    if traditional_share(sample) < TRADITIONAL_SHARE:
        return None
    for block in blocks:
        if block.text:
            block.text = to_simplified(block.text)
        for row in block.rows:
            row.cells = [to_simplified(c) if c else c for c in row.cells]
    return "traditional"


def _check_tables(blocks: list[Block], shown: str) -> None:
    """Table rows (all tables together) and cells per row within their limits: the
    extractor's and the reports' work grows with both."""
    max_rows, max_columns = limit("rows"), limit("columns")
    total = 0
    for block in blocks:
        if not block.rows:
            continue
        total += len(block.rows)
        if total > max_rows:
            raise exceeded("rows", f"more than {max_rows:,}", shown)
        widest = max((len(r.cells) for r in block.rows), default=0)
        if widest > max_columns:
            raise exceeded("columns", f"{widest:,}", shown, block.prov.describe())
