"""The expected-reports list: the reports that should exist, for the coverage views.

A CSV with a header row — 部门/department, 年度/year, 类型/kind (预算/决算), and optionally
地区/region, 范围/scope (部门/单位), 发布日期/published (YYYY-MM-DD) — in UTF-8 or GBK.
`gongkai ingest --expected FILE` stores it (replacing the previous list); the portal's
coverage page can also check an uploaded list without storing it.
"""

from __future__ import annotations

import csv
import io
from datetime import date

LIST_LIMIT = 5 * 1024 * 1024
MAX_ROWS = 100_000
COLUMNS = {  # header (Chinese or English) → field
    "部门": "department", "department": "department", "单位": "department", "年度": "year", "year": "year",
    "类型": "kind", "kind": "kind", "地区": "region", "region": "region", "范围": "scope", "scope": "scope",
    "发布日期": "published", "published": "published",
}
KINDS = {"预算": "预算", "决算": "决算", "budget": "预算", "final": "决算"}


class ListError(ValueError):
    """A list that cannot be used; `status` is the HTTP status the portal answers with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def read_expected_csv(data: bytes) -> list[dict]:
    """The list's rows as dicts (department, year, kind, region, scope, published).
    Raises ListError with the first problem, naming its line."""
    if len(data) > LIST_LIMIT:
        raise ListError(413, f"清单超过大小上限（{LIST_LIMIT // 1048576} MiB）")
    if not data.strip():
        raise ListError(400, "清单为空")
    if data.startswith(b"%PDF-") or b"\x00" in data[:65536]:
        raise ListError(415, "清单须是 CSV 文本")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ListError(415, "无法识别清单的编码（请用 UTF-8 或 GBK）")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise ListError(400, "清单为空")
    fields = [COLUMNS.get(h.strip().lower()) or COLUMNS.get(h.strip()) for h in header]
    for need, label in (("department", "部门"), ("year", "年度"), ("kind", "类型")):
        if need not in fields:
            raise ListError(400, f"清单缺少“{label}”列（表头须含 部门、年度、类型）")
    rows = []
    for n, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        row = {f: (record[i].strip() if i < len(record) else "") for i, f in enumerate(fields) if f}
        try:
            year = int(row["year"].removesuffix("年"))
        except ValueError:
            raise ListError(400, f"第{n}行：年度“{row['year'][:20]}”不是数字") from None
        kind = KINDS.get(row["kind"].strip().lower()) or KINDS.get(row["kind"].strip())
        if kind is None:
            raise ListError(400, f"第{n}行：类型须是 预算 或 决算")
        if not row["department"]:
            raise ListError(400, f"第{n}行：部门为空")
        published = None
        if row.get("published"):
            try:
                published = date.fromisoformat(row["published"])
            except ValueError:
                raise ListError(400, f"第{n}行：发布日期须是 YYYY-MM-DD") from None
        rows.append({"department": row["department"][:200], "year": year, "kind": kind, "region": row.get("region") or None,
                     "scope": row.get("scope") or None, "published": published})
        if len(rows) > MAX_ROWS:
            raise ListError(413, f"清单超过 {MAX_ROWS:,} 行")
    if not rows:
        raise ListError(400, "清单没有数据行")
    return rows


def load_expected(db: str, path: str) -> int:
    """Store the list of `path` as the expected reports (replacing the previous list); the
    stored reports it gives a 发布日期 get that date in reports.published."""
    from .ingest import open_store

    with open(path, "rb") as fh:
        data = fh.read(LIST_LIMIT + 1)
    rows = read_expected_csv(data)
    con = open_store(db)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM expected_reports")
        con.executemany(
            "INSERT INTO expected_reports (region, department, scope, year, kind, published) VALUES (?, ?, ?, ?, ?, ?)",
            [[r["region"], r["department"], r["scope"], r["year"], r["kind"], r["published"]] for r in rows],
        )
        # the reports the list dates (matched as the coverage views match them) carry the date
        con.execute(
            "UPDATE reports SET published = e.published FROM expected_reports e "
            "WHERE e.published IS NOT NULL AND reports.year = e.year AND reports.kind = e.kind "
            "AND (e.scope IS NULL OR reports.scope = e.scope) "
            "AND reports.department_key = (SELECT any_value(department_key) FROM reports r2 WHERE r2.department = e.department)"
        )
        con.execute("COMMIT")
    finally:
        con.close()
    return len(rows)
