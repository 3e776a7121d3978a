"""Classification codes: names agree with the official catalogue, parents exist."""

from __future__ import annotations

from rapidfuzz import fuzz

from ... import catalog
from ...extract.textnorm import key
from ..engine import Context, Severity, rule

def _catalogue_for(table):
    """The built-in catalogue for the table's codes (the profile says which classification)."""
    if table.codes == "economic":
        return catalog.economic(), "支出经济分类科目"
    if table.codes == "functional":
        return catalog.functional(), "支出功能分类科目"
    return None, None


@rule(
    "K01", "classification", "error",
    "科目编码与科目名称不符",
    "科目编码和名称必须与当年《政府收支分类科目》一致；名称属于另一个编码时是错误，名称与官方略有出入时提示，编码不在内置目录中时提示无法核对。",
    "财政部《政府收支分类科目》（年度）",
)
def code_name(ctx: Context) -> None:
    """Every coded row's name matches the official name of its code."""
    unknown: dict[str, list] = {}
    for table in ctx.doc.tables:
        cat, what = _catalogue_for(table)
        if cat is None or not len(cat):
            continue
        for row in table.rows:
            if not row.code or not row.label:
                continue
            match = cat.name_matches(row.code, row.label)
            if match is None:
                unknown.setdefault(table.id, []).append(row)
                continue
            if match:
                continue
            official = cat.names(row.code, ctx.doc.meta.year)
            owners = [c for c in cat.codes_for_name(row.label) if c != row.code and len(c) == len(row.code)]
            where = ctx.loc(table, row)
            where.excerpt = f"{row.code} {row.label}"
            if owners:
                ctx.report(
                    f"{table.id}科目{row.code}的名称“{row.label}”是科目{owners[0]}的名称；{row.code}应为“{official[0]}”",
                    where, expected=official[0], actual=row.label,
                )
                continue
            score = max(fuzz.ratio(key(row.label), key(o)) for o in official)
            severity = Severity.INFO if score >= 75 else Severity.WARNING
            ctx.report(
                f"{table.id}科目{row.code}名称“{row.label}”与{what}的官方名称“{official[0]}”不一致",
                where, severity=severity, expected=official[0], actual=row.label,
            )
    for table_id, rows in unknown.items():
        table = ctx.doc.table(table_id)
        codes = "、".join(f"{r.code}{r.label}" for r in rows[:8]) + ("等" if len(rows) > 8 else "")
        ctx.report(
            f"{table_id}有{len(rows)}个科目编码不在内置的分类目录中，无法核对名称：{codes}",
            ctx.loc(table, rows[0]), severity=Severity.INFO,
        )


@rule(
    "K02", "classification", "warning",
    "科目缺少上级科目",
    "项级科目应列在其款、类之下；缺少上级科目的行无法汇总核对。",
    "政府收支分类科目层级",
)
def parent_present(ctx: Context) -> None:
    """Each 款 (5 digits) has its 类 and each 项 (7 digits) its 款 printed in the same table."""
    for table in ctx.doc.tables:
        if table.layout != "coded":
            continue
        codes = {r.code for r in table.rows if r.code}
        for row in table.rows:
            if row.code and len(row.code) in (5, 7) and row.code[:-2] not in codes:
                level = "类" if len(row.code) == 5 else "款"
                ctx.report(f"{table.id}科目{row.code}{row.label}缺少上级{level}级科目{row.code[:-2]}", ctx.loc(table, row))


@rule(
    "K03", "classification", "warning",
    "收支总表的类级科目名称无法识别",
    "收支总表支出方列示的应是功能分类的类级科目名称。",
    "部门决算收支总表格式",
    requires=("summary|budget_summary",),
)
def summary_class_names(ctx: Context) -> None:
    """Rows with amounts on the expenditure side of summary tables are recognisable 类 names."""
    for table in ctx.doc.tables:
        if table.layout != "two_sided":
            continue
        for row in table.rows:
            if row.side in ("支出",) and row.role is None and row.label and any(c.value for c in row.cells.values()):
                ctx.report(f"{table.id}支出方“{row.label}”不是功能分类的类级科目名称", ctx.loc(table, row))
