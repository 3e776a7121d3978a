"""Completeness: every table of the template, no-data notes, required narrative."""

from __future__ import annotations

from ...extract.locate import title_key
from ...extract.textnorm import key, key_uncached
from ...profiles import get_profile
from ..engine import Context, Location, Severity, rule


@rule(
    "C01", "completeness", "error",
    "模板要求的表缺失",
    "部门预决算公开必须公开模板规定的全部报表；没有数据的表也要公开空表并注明。",
    "财预〔2016〕143号《地方预决算公开操作规程》；财政部部门决算公开通知",
)
def missing_tables(ctx: Context) -> None:
    """Every table of the detected template profile is present; the 目录 is quoted as evidence."""
    toc = {title_key(e.text): e for e in ctx.doc.toc}
    profile = get_profile(ctx.doc.meta.profile) if ctx.doc.meta.profile else None
    for missing in ctx.doc.missing_tables:
        spec = profile.table(missing.id) if profile else None
        entry = None
        for title in spec.titles if spec else (missing.title,):
            entry = toc.get(title_key(title))
            if entry:
                break
        where = Location(table=missing.id, table_title=missing.title)
        if missing.reason == "unreadable":
            pages = "、".join(str(p) for p in missing.pages)
            where.page = missing.pages[0]
            ctx.report(
                f"{missing.id}“{missing.title}”无法读取：它可能在第{pages}页，该页是没有文字层的扫描图像，不能判断此表是否缺失",
                where, severity=Severity.WARNING,
            )
            continue
        if entry:
            where.line, where.page, where.excerpt = entry.prov.line, entry.prov.page, entry.text
            listed = f"（第{entry.page}页）" if entry.page else ""
            ctx.report(f"缺少{missing.id}“{missing.title}”：目录列出了此表{listed}，正文中没有", where)
        else:
            ctx.report(f"缺少{missing.id}“{missing.title}”：模板要求公开此表，正文和目录中都没有", where)


@rule(
    "C02", "completeness", "warning",
    "目录与正文的表不一致",
    "正文有而目录没有列出的表，读者无法从目录找到。",
    "部门决算公开目录格式",
)
def toc_lists_tables(ctx: Context) -> None:
    """Tables printed in the body appear in the report's own 目录."""
    if len(ctx.doc.toc) < 5:
        return
    listed = {title_key(e.text) for e in ctx.doc.toc}
    profile = get_profile(ctx.doc.meta.profile) if ctx.doc.meta.profile else None
    for table in ctx.doc.tables:
        spec = profile.table(table.id) if profile else None
        titles = {title_key(t) for t in (spec.titles if spec else (table.title,))} | {title_key(table.title)}
        if not titles & listed and not any(t in x or x in t for t in titles for x in listed if len(x) >= 6):
            ctx.report(f"{table.id}“{table.title}”在正文中有，目录中没有列出", ctx.loc(table))


@rule(
    "C03", "completeness", "error",
    "空表没有“本表无数据”说明",
    "没有数据的表仍须公开表样，并在表下注明“本表无数据”等说明。",
    "财政部部门决算公开通知：无数据的表应公开空表并说明",
)
def empty_table_note(ctx: Context) -> None:
    """A table with no amounts carries a no-data note (本表无数据 / 本年度无此项收支)."""
    for table in ctx.doc.tables:
        if table.has_data or table.no_data_note is not None:
            continue
        ctx.report(f"{table.id}“{table.title}”没有数据，但表下没有“本表无数据”之类的说明", ctx.loc(table))



@rule(
    "C08", "completeness", "warning",
    "表格没有表名",
    "每张公开报表都应印出模板规定的表名（和表号）；没有表名的表，读者无法对照目录找到。gongkai 按表头识别出它是哪张表，照常核对其数据。",
    "部门预决算公开模板格式",
)
def untitled_tables(ctx: Context) -> None:
    """A grid the reader matched to a template table by its header alone (title missing)."""
    for w in ctx.doc.warnings:
        if w.code != "table-untitled":
            continue
        table = next((t for t in ctx.doc.tables if t.prov.line == w.prov.line and t.prov.page == w.prov.page), None)
        where = ctx.loc(table) if table is not None else Location(line=w.prov.line, page=w.prov.page)
        ctx.report(w.message, where, expected=table.title if table is not None else None, actual="（无表名）")


_REQUIRED_SECTIONS = [
    ("三公", ("三公",), "“三公”经费"),
    ("机关运行经费", ("机关运行经费",), "机关运行经费"),
    ("政府采购", ("政府采购",), "政府采购"),
    ("国有资产", ("国有资产", "车辆"), "国有资产占用"),
    ("绩效", ("绩效",), "预算绩效"),
]


@rule(
    "C04", "completeness", "warning",
    "情况说明缺少必备部分",
    "情况说明须说明三公经费、机关运行经费、政府采购、国有资产占用、预算绩效，并附名词解释。",
    "财政部部门决算/预算公开通知规定的情况说明内容",
)
def narrative_sections(ctx: Context) -> None:
    """The narrative covers 三公, 机关运行经费, 政府采购, 国有资产, 绩效, and a 名词解释 part exists."""
    sections = list(ctx.doc.walk_sections())
    if not sections:
        ctx.report("没有找到情况说明（第三部分）", Location())
        return
    titles = [key(s.title) for s in sections]
    text = None  # the whole narrative's key, only built when a title does not settle it
    for name, words, label in _REQUIRED_SECTIONS:
        if any(w in t for t in titles for w in words):
            continue
        if text is None:
            text = key_uncached("".join(s.text for s in sections))
        if not any(w in text for w in words):
            ctx.report(f"情况说明中没有{label}的说明", Location(section="第三部分 情况说明"))
    if not any("名词解释" in t for t in titles):
        ctx.report("没有“名词解释”部分", Location(section="第四部分 名词解释"))
