"""The Python API; the CLI is a thin shell over these functions."""

from __future__ import annotations

import os

from .extract import build_document
from .ingest import load, load_bytes, load_text
from .model.document import Document


def parse(path: str | os.PathLike) -> Document:
    """Read a report (text or PDF) into the canonical model. Raises InputError."""
    source, blocks = load(path)
    return build_document(source, blocks, str(path))


def parse_bytes(data: bytes, name: str) -> Document:
    source, blocks = load_bytes(data, name)
    return build_document(source, blocks, name)


def parse_text(text: str, name: str = "<text>") -> Document:
    source, blocks = load_text(text, name)
    return build_document(source, blocks, name)
