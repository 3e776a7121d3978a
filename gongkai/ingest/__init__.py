"""Ingest: a file (text or PDF) → SourceInfo + block stream with provenance."""

from __future__ import annotations

import os

from ..errors import InputError
from ..model.document import SourceInfo
from .blocks import Block, GridRow
from .source import decode_text, from_bytes, open_source
from .text_reader import read_text_blocks

__all__ = ["Block", "GridRow", "load", "load_bytes", "load_text"]


def load(path: str | os.PathLike) -> tuple[SourceInfo, list[Block]]:
    raw = open_source(path)
    return _read(raw)


def load_bytes(data: bytes, name: str) -> tuple[SourceInfo, list[Block]]:
    return _read(from_bytes(data, name))


def load_text(text: str, name: str = "<text>") -> tuple[SourceInfo, list[Block]]:
    data = text.encode("utf-8")
    return _read(from_bytes(data, name))


def _read(raw) -> tuple[SourceInfo, list[Block]]:
    if raw.format == "pdf":
        from .pdf_reader import read_pdf_blocks

        blocks, pages = read_pdf_blocks(raw.data, raw.path)
        info = SourceInfo(raw.name, raw.sha256, "pdf", len(raw.data), reader="pdf", pages=pages)
        return info, blocks
    decoded = decode_text(raw.data, raw.path)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = read_text_blocks(text)
    info = SourceInfo(raw.name, raw.sha256, "text", len(raw.data), decoded.encoding, "text", lines=text.count("\n") + 1)
    if not blocks:
        raise InputError("the file contains no text", raw.path)
    return info, blocks
