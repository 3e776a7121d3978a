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
LIST_LIMIT = 5 * 1024 * 1024
LIST_COLUMNS = {  # header (Chinese or English) → field
    "部门": "department", "department": "department", "单位": "department", "年度": "year", "year": "year",
    "类型": "kind", "kind": "kind", "地区": "region", "region": "region", "范围": "scope", "scope": "scope",
    "发布日期": "published", "published": "published",
}
KINDS = {"预算": "预算", "决算": "决算", "budget": "预算", "final": "决算"}


def read_expected_csv(data: bytes) -> list[dict]:
    """The reports that should exist, from a CSV with a header row: 部门/department,
    年度/year, 类型/kind (预算/决算), optionally 地区/region, 范围/scope (部门/单位),
    发布日期/published (YYYY-MM-DD). Raises Rejected (400/413/415) with the first problem."""
    import csv
    import io
    from datetime import date

    if len(data) > LIST_LIMIT:
        raise Rejected(413, f"清单超过大小上限（{LIST_LIMIT // 1048576} MiB）")
    sniff(data)
    if data.startswith(b"%PDF-"):
        raise Rejected(415, "清单须是 CSV 文本")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Rejected(415, "无法识别清单的编码（请用 UTF-8 或 GBK）")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise Rejected(400, "清单为空")
    fields = [LIST_COLUMNS.get(h.strip().lower()) or LIST_COLUMNS.get(h.strip()) for h in header]
    for need, label in (("department", "部门"), ("year", "年度"), ("kind", "类型")):
        if need not in fields:
            raise Rejected(400, f"清单缺少“{label}”列（表头须含 部门、年度、类型）")
    rows = []
    for n, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        row = {f: (record[i].strip() if i < len(record) else "") for i, f in enumerate(fields) if f}
        try:
            year = int(row["year"].removesuffix("年"))
        except ValueError:
            raise Rejected(400, f"第{n}行：年度“{row['year'][:20]}”不是数字") from None
        kind = KINDS.get(row["kind"].strip().lower()) or KINDS.get(row["kind"].strip())
        if kind is None:
            raise Rejected(400, f"第{n}行：类型须是 预算 或 决算")
        if not row["department"]:
            raise Rejected(400, f"第{n}行：部门为空")
        published = None
        if row.get("published"):
            try:
                published = date.fromisoformat(row["published"])
            except ValueError:
                raise Rejected(400, f"第{n}行：发布日期须是 YYYY-MM-DD") from None
        rows.append({"department": row["department"][:200], "year": year, "kind": kind, "region": row.get("region") or None,
                     "scope": row.get("scope") or None, "published": published})
        if len(rows) > 100_000:
            raise Rejected(413, "清单超过 100,000 行")
    if not rows:
        raise Rejected(400, "清单没有数据行")
    return rows
