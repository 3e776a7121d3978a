"""Read a file safely and decide what it is: text (any common Chinese encoding) or PDF."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

MAX_TEXT_BYTES = 64 * 1024 * 1024
MAX_PDF_BYTES = 512 * 1024 * 1024

# Magic numbers of binary formats users are likely to hand us by mistake.
_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (docx/xlsx?)",
    b"\xd0\xcf\x11\xe0": "an old Office document (doc/xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7z archive",
    b"\x7fELF": "an executable",
}


@dataclass(slots=True)
class RawSource:
    name: str
    path: str
    data: bytes
    format: str  # "text" | "pdf"
    sha256: str


@dataclass(slots=True)
class DecodedText:
    text: str
    encoding: str


def open_source(path: str | os.PathLike) -> RawSource:
    p = Path(path)
    shown = str(path)
    if not p.exists():
        raise InputError("no such file", shown)
    if p.is_dir():
        raise InputError("is a directory, not a report file", shown)
    if not p.is_file():
        raise InputError("not a regular file", shown)
    size = p.stat().st_size
    if size == 0:
        raise InputError("the file is empty", shown)
    with p.open("rb") as fh:
        head = fh.read(8)
    is_pdf = head.startswith(b"%PDF-")
    limit = MAX_PDF_BYTES if is_pdf else MAX_TEXT_BYTES
    if size > limit:
        raise InputError(
            f"the file is too large ({size / 1048576:.0f} MiB; the limit for this kind of file is "
            f"{limit // 1048576} MiB)",
            shown,
        )
    data = p.read_bytes()
    return from_bytes(data, p.name, shown)


def from_bytes(data: bytes, name: str, shown: str | None = None) -> RawSource:
    shown = shown or name
    if not data.strip():
        raise InputError("the file is empty", shown)
    digest = hashlib.sha256(data).hexdigest()
    if data.startswith(b"%PDF-"):
        return RawSource(name, shown, data, "pdf", digest)
    for magic, what in _BINARY_SIGNATURES.items():
        if data.startswith(magic):
            raise InputError(f"this is {what}, not a text or PDF disclosure report", shown)
    return RawSource(name, shown, data, "text", digest)


def decode_text(data: bytes, shown: str) -> DecodedText:
    """Decode without asking the user: BOMs, UTF-8, then GB18030 (covers GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return DecodedText(_strict(data[3:], "utf-8", shown), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return DecodedText(_strict(data, "utf-16", shown), "utf-16")
    if b"\x00" in data[:65536]:
        raise InputError("binary data (NUL bytes), not a text report", shown)
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_chinese(text):
        return DecodedText(text, "gb18030")
    from charset_normalizer import from_bytes as detect

    best = detect(data[:1_000_000]).best()
    if best is not None and best.encoding:
        try:
            text = data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and _looks_chinese(text):
            return DecodedText(text, best.encoding)
    raise InputError("cannot decode the text (not UTF-8, GBK/GB18030 or UTF-16)", shown)


def _strict(data: bytes, encoding: str, shown: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"the text is not valid {encoding} ({exc.reason} at byte {exc.start})", shown) from None


def _looks_chinese(text: str) -> bool:
    sample = text[:20000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n\f")
    return cjk >= 1 and controls <= len(sample) * 0.01
