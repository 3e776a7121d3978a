"""Classification codes: names agree with the official catalogue, parents exist."""

from __future__ import annotations

from decimal import Decimal

from rapidfuzz import fuzz

from ... import catalog
from ...extract.textnorm import key
from ..engine import Context, Severity, fmt, rule

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


# ------------------------------------------------------------------ classification semantics
_RUNNING_ITEMS = {"01": "行政运行", "50": "事业运行"}
_EXPENDITURE_ROLES = ("expenditure_by_function", "gpb_expenditure", "budget_expenditure", "budget_gpb_expenditure")


@rule(
    "K04", "classification", "warning",
    "行政运行、事业运行科目列入项目支出",
    "功能分类中各款的“行政运行”（项级编码末两位01）和“事业运行”（末两位50）反映机构正常运转的基本支出，"
    "一般不应列入项目支出；列入时请核实是否应列其他项级科目。",
    "财政部《政府收支分类科目》：行政运行、事业运行科目说明",
)
def running_items_as_projects(ctx: Context) -> None:
    """行政运行 (xxxxx01) and 事业运行 (xxxxx50) rows carry no 项目支出 in the expenditure tables."""
    seen: dict[str, object] = {}  # code → its finding: one per code, the other tables as related
    for role in _EXPENDITURE_ROLES:
        table = ctx.table(role)
        if table is None or table.column("project") is None:
            continue
        for row in table.rows:
            code = row.code
            if not code or len(code) != 7 or code[-2:] not in _RUNNING_ITEMS:
                continue
            name = _RUNNING_ITEMS[code[-2:]]
            if key(row.label) != name:
                continue  # a code whose 01/50 item is something else in this 款
            project = row.value("project")
            if not project:
                continue
            where = ctx.cell_loc(table, row, "project")
            if code in seen:
                seen[code].related.append(where)
                continue
            amount = project
            seen[code] = ctx.report(
                f"{table.id}科目{code}{row.label}列入项目支出{fmt(amount)}万元（行政运行/事业运行一般属基本支出，请核实）",
                where, expected="0（列基本支出）", actual=amount,
            )


# functional 项 ↔ economic 款 that book the same payments (basic expenditure of 一般公共预算):
# pensions, medical insurance, housing provident fund
_CORRESPONDENCES = (
    (("2080505", "2080506"), ("30108", "30109"), "养老保险、职业年金缴费"),
    (("2101101", "2101102", "2101103"), ("30110", "30111"), "职工基本医疗保险、公务员医疗补助缴费"),
    (("2210201",), ("30113",), "住房公积金"),
)


@rule(
    "K05", "classification", "warning",
    "功能分类与经济分类的对应科目金额不一致",
    "机关事业单位基本养老保险缴费支出（2080505）、职业年金缴费支出（2080506）对应经济分类30108、30109；"
    "行政/事业单位医疗、公务员医疗补助（2101101–2101103）对应30110、30111；住房公积金（2210201）对应30113。"
    "一般公共预算财政拨款支出表中这些科目的基本支出应与基本支出经济分类表的对应科目金额一致（允许每个加数0.01万元尾数误差）。",
    "财政部《政府收支分类科目》功能分类与经济分类对应关系",
    requires=("gpb_expenditure|budget_gpb_expenditure", "gpb_basic_by_economic|budget_gpb_basic_by_economic"),
)
def functional_economic(ctx: Context) -> None:
    """The basic expenditure of 2080505/06, 2101101–03 and 2210201 equals economic 30108/09, 30110/11 and 30113."""
    functional = ctx.table("gpb_expenditure") or ctx.table("budget_gpb_expenditure")
    economic = ctx.table("gpb_basic_by_economic") or ctx.table("budget_gpb_basic_by_economic")
    if functional.column("basic") is None:
        return
    f_rows = {r.code: r for r in functional.rows if r.code and len(r.code) == 7}
    e_rows = {r.code: r for r in economic.rows if r.code and len(r.code) == 5}
    if not e_rows:
        return  # economic rows without codes (some budget templates): nothing to match
    for f_codes, e_codes, what in _CORRESPONDENCES:
        fs = [f_rows[c] for c in f_codes if c in f_rows]
        es = [e_rows[c] for c in e_codes if c in e_rows]
        if not fs and not es:
            continue
        f_sum = sum((r.amount("basic") for r in fs), Decimal(0))
        e_sum = Decimal(0)
        for r in es:
            values = [c.value for c in r.cells.values() if c.value is not None]
            e_sum += values[0] if values else Decimal(0)
        if not fs or not es:
            if (f_sum if fs else e_sum) == 0:
                continue
        where = ctx.cell_loc(functional, fs[0], "basic") if fs else ctx.loc(economic, es[0])
        related = [ctx.loc(economic, r) for r in es] + [ctx.cell_loc(functional, r, "basic") for r in fs[1:]]
        ctx.compare(
            f"{what}：功能分类{'+'.join(r.code for r in fs) or '（无）'}基本支出{fmt(f_sum)}万元，经济分类{'+'.join(r.code for r in es) or '（无）'}{fmt(e_sum)}万元",
            f_sum, e_sum, where, parts=max(1, len(fs) + len(es) - 1), related=related,
        )


# The 款 of 一般公共服务支出 that each belong to one body, and the words of a department's
# name that say it is that body (or, for the other sectors, which 类 its own 款 are in).
_BODY_KUAN = {
    "20101": ("人大",), "20102": ("政协",), "20103": ("政府办", "人民政府办"),
    "20104": ("发展和改革", "发展改革", "发改"), "20105": ("统计",), "20106": ("财政",), "20107": ("税务",),
    "20108": ("审计",), "20111": ("纪委", "监委", "纪律检查", "监察委"), "20113": ("商务", "商贸"),
    "20114": ("知识产权",), "20123": ("民族", "宗教"), "20125": ("港澳", "台湾", "台办"), "20126": ("档案",),
    "20128": ("民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟"),
    "20129": ("总工会", "共青团", "团委", "妇联", "妇女联合会", "科协", "科学技术协会", "文联", "侨联", "残联", "残疾人联合会", "工商联", "红十字"),
    "20131": ("党委办", "委办公室", "委办公厅"), "20132": ("组织部",), "20133": ("宣传部",), "20134": ("统战部", "统一战线"),
    "20137": ("网信", "网络安全和信息化"), "20138": ("市场监督", "市场监管"),
}
_SECTOR_CLASS = {
    "204": ("公安", "司法", "法院", "检察"), "205": ("教育",), "206": ("科学技术局", "科技局", "科学技术委员会"),
    "207": ("文化", "旅游", "广播电视", "体育"), "208": ("人力资源", "社会保障", "民政", "退役军人"),
    "210": ("卫生健康", "卫健", "医疗保障", "医保", "疾病预防"), "211": ("生态环境",),
    "212": ("住房和城乡建设", "住建", "城市管理", "城管"), "213": ("农业农村", "林业", "水利", "水务", "乡村振兴"),
    "214": ("交通运输",), "215": ("工业和信息化", "工信"), "220": ("自然资源", "规划和自然资源"), "224": ("应急管理",),
}
# bodies whose work spans every sector: their 行政运行 may stand in any 款
_COMPREHENSIVE = ("街道", "乡", "镇", "管委会", "管理委员会", "开发区", "新区", "园区")
_OWN_RUNNING = {"01": "行政运行", "02": "一般行政管理事务", "03": "机关服务", "50": "事业运行"}


def _own_kuan(department: str, duties: str) -> tuple[set[str], set[str]] | None:
    """(the 201 款 of the bodies the department is, the 类 of its sectors), None when its
    name says neither, or when it is a body whose work spans every sector. A body whose
    work its 职责 name (a 工信局 that also does 商务) counts as its own."""
    name = key(department)
    if not name or any(w in name for w in _COMPREHENSIVE):
        return None
    kuan = {k for k, words in _BODY_KUAN.items() if any(w in name for w in words)}
    classes = {c for c, words in _SECTOR_CLASS.items() if any(w in name for w in words)}
    if not (kuan or classes):
        return None
    return kuan | {k for k, words in _BODY_KUAN.items() if any(w in duties for w in words)}, classes


def _duties(ctx: Context) -> str:
    """The text of the report's 第一部分 (概况: 职责, 机构设置)."""
    return "".join(p.text for s in ctx.doc.walk_sections() if s.part == "第一部分" for p in s.paragraphs)


@rule(
    "K06", "classification", "warning",
    "机构运行经费列入其他机关的款",
    "一般公共服务支出中，人大事务、政协事务、政府办公厅（室）、财政、审计、商贸事务等款各属一个机关；"
    "部门的行政运行、一般行政管理事务、机关服务、事业运行一般列入本部门职能对应的款（如科技局列2060101，"
    "工信局列2150501）。列入其他机关的款时请核实；部门职责中写明承担该机关职能的（如工信局兼管商务）除外。"
    "街道、乡镇、开发区管委会等综合性机构不在此列。",
    "财政部《政府收支分类科目》：一般公共服务支出各款说明",
)
def running_costs_in_another_body(ctx: Context) -> None:
    """行政运行-type 项 (01/02/03/50) of a 201 款 that belongs to another body than the department."""
    own = _own_kuan(ctx.doc.meta.department or "", _duties(ctx))
    if own is None:
        return
    kuan, _ = own
    seen: dict[str, object] = {}
    for table in ctx.doc.tables:
        if table.codes != "functional":
            continue
        for row in table.rows:
            code = row.any_code or ""
            if len(code) != 7 or code[5:] not in _OWN_RUNNING or code[:5] not in _BODY_KUAN or code[:5] in kuan:
                continue
            if not any(c.value for c in row.cells.values()):
                continue
            where = ctx.loc(table, row)
            if code in seen:
                seen[code].related.append(where)
                continue
            body = (catalog.functional().names(code[:5]) or [code[:5]])[0]
            seen[code] = ctx.report(
                f"{table.id}科目{code}{row.label}属于“{body}”款，{ctx.doc.meta.department}的机构运行支出一般列入本部门职能对应的款，请核实",
                where, expected="本部门职能对应的款", actual=code,
            )
