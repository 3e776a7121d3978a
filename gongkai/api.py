"""The Python API; the CLI is a thin shell over these functions."""

from __future__ import annotations

import gc
import os
from contextlib import contextmanager

from .extract import build_document
from .ingest import load, load_bytes, load_text
from .model.document import Document


@contextmanager
def paused_gc():
    """Parsing allocates many small acyclic objects; the cyclic collector only slows it
    down (reference counting frees everything), so it is paused for the duration."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse(path: str | os.PathLike) -> Document:
    """Read a report (text or PDF) into the canonical model. Raises InputError."""
    with paused_gc():
        return _build(load(path), str(path))


def parse_bytes(data: bytes, name: str) -> Document:
    """Read a report given as bytes (e.g. an upload); `name` is only used in messages."""
    with paused_gc():
        return _build(load_bytes(data, name), name)


def parse_text(text: str, name: str = "<text>") -> Document:
    with paused_gc():
        return _build(load_text(text, name), name)


def _build(loaded, shown: str) -> Document:
    doc = build_document(loaded.source, loaded.blocks, shown)
    doc.source_lines = loaded.lines
    doc.source_bytes = loaded.data
    return doc
