"""Metadata: department name and year agree across cover, table headers and narrative."""

from __future__ import annotations


from ...extract.textnorm import key
from ..engine import Context, Location, Severity, rule
from ...patterns import lazy_compile


def _same_department(a: str, b: str) -> str:
    """"same", "partial" (one is a truncation/extension of the other) or "different"."""
    ka, kb = key(a), key(b)
    if ka == kb:
        return "same"
    if len(ka) >= 4 and len(kb) >= 4 and (ka.startswith(kb) or kb.startswith(ka) or ka in kb or kb in ka):
        return "partial"
    return "different"


def _header_loc(table, prov, excerpt: str) -> Location:
    """Where a table's header states something (the table's title when the position is unknown)."""
    if prov.line is None and prov.page is None:
        prov = table.prov
    return Location.at(prov, table=table.id, table_title=table.title, excerpt=excerpt)


@rule(
    "M01", "metadata", "error",
    "表头部门名称与封面不一致",
    "每张表表头的部门（单位）名称应与封面一致。",
    "部门决算公开格式要求",
)
def department_name(ctx: Context) -> None:
    """Each table's 部门名称/单位名称 equals the department on the cover (a truncated name is only noted)."""
    dept = ctx.doc.meta.department
    if not dept:
        return
    for table in ctx.doc.tables:
        if not table.department:
            continue
        relation = _same_department(table.department, dept)
        if relation == "same":
            continue
        where = _header_loc(table, table.department_prov, table.department)
        if relation == "partial":
            ctx.report(f"{table.id}表头部门名称“{table.department}”与封面“{dept}”不完全一致（可能被截断）", where, severity=Severity.INFO, expected=dept, actual=table.department)
        else:
            ctx.report(f"{table.id}表头部门名称“{table.department}”与封面“{dept}”不一致", where, expected=dept, actual=table.department)


@rule(
    "M02", "metadata", "error",
    "表头年度与报告年度不一致",
    "每张表表头的年度应与报告年度一致。",
    "部门决算公开格式要求",
)
def table_year(ctx: Context) -> None:
    """Each table's printed year equals the report's year."""
    year = ctx.doc.meta.year
    if not year:
        return
    for table in ctx.doc.tables:
        if table.year and table.year != year:
            where = _header_loc(table, table.year_prov, f"{table.year}年")
            ctx.report(f"{table.id}表头年度为{table.year}年，报告年度为{year}年", where, expected=str(year), actual=str(table.year))


_LEADING_YEAR = lazy_compile(r"^(?:截至\s*)?((?:19|20)\d{2})\s*年")


@rule(
    "M03", "metadata", "warning",
    "情况说明中的年度与报告年度不一致",
    "情况说明各段开头所述年度应为报告年度（与上年比较的表述除外）。",
    "部门决算公开格式要求",
)
def narrative_year(ctx: Context) -> None:
    """Paragraphs of the narrative that open with a year name the report's year."""
    year = ctx.doc.meta.year
    if not year:
        return
    for section in ctx.doc.walk_sections():
        if section.part not in ("第三部分",):
            continue
        for p in section.paragraphs:
            m = _LEADING_YEAR.match(p.text)
            if ctx.doc.meta.kind == "预算" and p.text.startswith("截至"):
                continue  # budget reports state assets as of the previous year-end
            if m and int(m.group(1)) not in (year,) and "上年" not in p.text[:20]:
                ctx.report(
                    f"情况说明“{section.title}”中的段落以{m.group(1)}年开头，报告年度为{year}年",
                    Location.at(p.prov, section=section.title, excerpt=p.text[:60]),
                    expected=str(year), actual=m.group(1),
                )
