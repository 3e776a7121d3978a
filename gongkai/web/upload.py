"""Checking an uploaded report: size limit, type sniffing, a sandboxed parse.

The upload is held in memory (or in the server's private temporary spool while it
arrives) and handed to `gongkai.api.parse_bytes`; nothing is written under the served
tree and the client's file name is never used as a path — it is reduced to a short
display name shown (escaped) in the report.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import InputError
from ..store import expected as _expected

DEFAULT_LIMIT = 20 * 1024 * 1024  # bytes
_BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x7fELF", b"MZ", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")


class Rejected(Exception):
    """An upload refused before parsing; `status` is the HTTP status to answer."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def display_name(raw: str | None) -> str:
    """The last path component of the client's name, without control characters, ≤ 80 chars.
    Only ever shown to the user; never joined to a path."""
    name = (raw or "").replace("\x00", "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return name[:80] or "upload"


def sniff(data: bytes) -> str:
    """'pdf' or 'text'; raises Rejected (415) for anything else."""
    if not data.strip():
        raise Rejected(400, "文件为空")
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(_BINARY_MAGIC):
        raise Rejected(415, "只接受文本（.txt/.md/.html）或 PDF 格式的公开报告")
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "text"  # UTF-16 with its BOM
    if b"\x00" in head:
        raise Rejected(415, "文件含二进制数据，不是文本或 PDF 报告")
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if controls > len(head) // 100:
        raise Rejected(415, "文件含大量控制字符，不是文本或 PDF 报告")
    return "text"


def check_upload(data: bytes, raw_name: str | None, limit: int = DEFAULT_LIMIT):
    """Parse and check an upload; returns the CheckResult. Raises Rejected."""
    from ..api import parse_bytes
    from ..checks import check

    if len(data) > limit:
        raise Rejected(413, f"文件超过大小上限（{limit // 1048576} MiB）")
    sniff(data)
    name = display_name(raw_name)
    try:
        doc = parse_bytes(data, name)
    except InputError as exc:
        raise Rejected(422, f"无法读取：{exc}") from None
    except Exception as exc:  # noqa: BLE001 — any failure to read is the user's file, not a server error
        raise Rejected(422, f"无法读取：{exc.__class__.__name__}") from None
    return check(doc)


# ----------------------------------------------------------------------------- the expected-reports list
LIST_LIMIT = _expected.LIST_LIMIT


def read_expected_csv(data: bytes) -> list[dict]:
    """The uploaded list's rows (gongkai.store.expected); raises Rejected with the first problem."""
    if len(data) <= LIST_LIMIT:
        sniff(data)
    try:
        return _expected.read_expected_csv(data)
    except _expected.ListError as exc:
        raise Rejected(exc.status, exc.message) from None
