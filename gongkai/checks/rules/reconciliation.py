"""Cross-table reconciliation (勾稽关系) of domain.md §4 (决算) and §5 (预算)."""

from __future__ import annotations

from decimal import Decimal

from ..cells import Term, class_rows, find_row, resolve_terms
from ..engine import Context, Severity, fmt, rule


def _link(ctx: Context, what: str, left: list[Term], right: list[Term], op: str = "eq", severity=None) -> None:
    """Compare Σleft with Σright (each side a list of terms summed); report at the first right-hand cell."""
    lrefs, rrefs = resolve_terms(ctx.doc, left), resolve_terms(ctx.doc, right)
    if lrefs is None or rrefs is None:
        return
    if not any(r.printed for r in lrefs + rrefs):
        return
    lv = sum((r.amount for r in lrefs), Decimal(0))
    rv = sum((r.amount for r in rrefs), Decimal(0))
    where = ctx.cell_loc(rrefs[0].table, rrefs[0].row, rrefs[0].column)
    related = [ctx.cell_loc(r.table, r.row, r.column) for r in lrefs + rrefs[1:]]
    # one cell against one cell is a figure printed twice: exact (parts=0); a sum keeps a cent per part
    parts = 0 if len(lrefs) == 1 and len(rrefs) == 1 else max(1, sum(1 for r in lrefs + rrefs if r.printed) - 1)
    if op == "le":
        ctx.at_least(lambda: f"{what}：前者{fmt(lv)}大于后者{fmt(rv)}，相差{fmt(lv - rv)}万元", lv, rv, where, parts=parts, related=related, severity=severity)
        return
    ctx.compare(what, lv, rv, where, parts=parts, related=related, severity=severity)


def _classes(ctx: Context, what: str, a_role: str, a_col: str, b_role: str, b_col: str, a_side=None, b_side=None, op="eq") -> None:
    """Compare the 类 rows of two tables class by class (a class printed in only one counts as 0)."""
    a, b = ctx.table(a_role), ctx.table(b_role)
    if a is None or b is None or a.column(a_col) is None or b.column(b_col) is None:
        return
    ac, bc = class_rows(a, a_side), class_rows(b, b_side)
    for code in sorted(set(ac) | set(bc)):
        ra, rb = ac.get(code), bc.get(code)
        va = ra.value(a_col) if ra else None
        vb = rb.value(b_col) if rb else None
        if va is None and vb is None:
            continue
        va, vb = va or Decimal(0), vb or Decimal(0)
        name = (ra or rb).label
        where = ctx.cell_loc(b, rb, b_col) if rb else ctx.cell_loc(a, ra, a_col)
        related = [ctx.cell_loc(a, ra, a_col)] if ra and rb else []
        if op == "le":
            ctx.at_least(lambda: f"{what}（{code} {name}）：{a.id}为{fmt(va)}，大于{b.id}的{fmt(vb)}", va, vb, where, related=related)
        else:
            ctx.compare(f"{what}（{code} {name}）", va, vb, where, parts=0 if ra and rb else 1, related=related)


def _public_total(eco, public) -> Decimal:
    """06's 公用经费合计; when printed blank, the sum of its classes, so a comparison still means something."""
    value = public.value("public")
    if value is not None:
        return value
    return sum((r.amount("public") for r in eco.rows if r.code and len(r.code) == 3 and "public" in r.cells), Decimal(0))


# ------------------------------------------------------------------------- 决算 (§4)
@rule(
    "X01", "reconciliation", "error",
    "收支总表与收入决算表不一致",
    "公开01表本年收入合计 = 公开02表合计行本年收入合计；01表各项收入 = 02表对应列合计（财政拨款收入 = 01表第1+2+3行）。",
    "domain.md §4：01 ↔ 02",
    requires=("summary", "income_by_function"),
)
def summary_vs_income(ctx: Context) -> None:
    """01 本年收入合计 and each income source equal the 合计 row of 02."""
    _link(ctx, "收支总表“本年收入合计” ≠ 收入决算表合计", [("summary", "income_total", "income", "收入")], [("income_by_function", "total", "total", None)])
    _link(
        ctx, "收支总表财政拨款收入（第1+2+3行） ≠ 收入决算表“财政拨款收入”合计",
        [("summary", r, "income", "收入") for r in ("fiscal_gpb", "fiscal_gf", "fiscal_soe")], [("income_by_function", "total", "fiscal", None)],
    )
    for row, col, name in (
        ("superior_subsidy", "superior_subsidy", "上级补助收入"), ("business", "business", "事业收入"),
        ("operating", "operating", "经营收入"), ("affiliated", "affiliated", "附属单位上缴收入"), ("other", "other", "其他收入"),
    ):
        _link(ctx, f"收支总表“{name}” ≠ 收入决算表合计行“{name}”", [("summary", row, "income", "收入")], [("income_by_function", "total", col, None)])


@rule(
    "X02", "reconciliation", "error",
    "收支总表与支出决算表不一致",
    "公开01表本年支出合计 = 公开03表合计行本年支出合计；01表每个类级支出 = 03表同一类的本年支出合计。",
    "domain.md §4：01 ↔ 03",
    requires=("summary", "expenditure_by_function"),
)
def summary_vs_expenditure(ctx: Context) -> None:
    """01 本年支出合计 and each 类 of 01 equal table 03."""
    _link(ctx, "收支总表“本年支出合计” ≠ 支出决算表合计", [("summary", "expenditure_total", "expenditure", "支出")], [("expenditure_by_function", "total", "total", None)])
    _classes(ctx, "收支总表与支出决算表类级支出不一致", "summary", "expenditure", "expenditure_by_function", "total", a_side="支出")


@rule(
    "X03", "reconciliation", "error",
    "财政拨款收支总表与其他表不一致",
    "04表一般公共预算财政拨款收入 = 01表第1行；04表支出“一般公共预算财政拨款”列各类 = 05表各类合计，本年支出合计 = 05表合计。",
    "domain.md §4：04 ↔ 01、05",
    requires=("fiscal_summary",),
)
def fiscal_summary_links(ctx: Context) -> None:
    """04 fiscal income equals 01; 04's 一般公共预算 expenditure equals 05 by class and in total."""
    for row in ("fiscal_gpb", "fiscal_gf", "fiscal_soe"):
        _link(ctx, "财政拨款收支总表收入 ≠ 收支总表同项收入", [("summary", row, "income", "收入")], [("fiscal_summary", row, "income", "收入")])
    _link(ctx, "财政拨款收支总表一般公共预算支出合计 ≠ 一般公共预算财政拨款支出表合计", [("fiscal_summary", "expenditure_total", "gpb", "支出")], [("gpb_expenditure", "total", "total", None)])
    _classes(ctx, "财政拨款收支总表与一般公共预算财政拨款支出表类级支出不一致", "fiscal_summary", "gpb", "gpb_expenditure", "total", a_side="支出")


@rule(
    "X04", "reconciliation", "error",
    "财政拨款收支总表与政府性基金、国有资本经营预算表不一致",
    "04表政府性基金预算财政拨款支出 = 07表本年支出合计；国有资本经营预算财政拨款支出 = 08表合计。",
    "domain.md §4：04 ↔ 07、08",
    requires=("fiscal_summary",),
)
def fiscal_summary_funds(ctx: Context) -> None:
    """04's 政府性基金 and 国有资本经营 columns equal tables 07 and 08."""
    _link(ctx, "财政拨款收支总表政府性基金支出 ≠ 政府性基金预算财政拨款收入支出决算表本年支出", [("fiscal_summary", "expenditure_total", "gf", "支出")], [("gov_fund", "total", "exp_total", None)])
    _link(ctx, "财政拨款收支总表国有资本经营支出 ≠ 国有资本经营预算财政拨款支出决算表合计", [("fiscal_summary", "expenditure_total", "soe", "支出")], [("soe_capital", "total", "total", None)])


@rule(
    "X05", "reconciliation", "error",
    "基本支出与人员经费、公用经费不一致",
    "05表合计行基本支出 = 06表人员经费合计 + 公用经费合计。",
    "domain.md §4：05 ↔ 06",
    requires=("gpb_expenditure", "gpb_basic_by_economic"),
)
def basic_vs_economic(ctx: Context) -> None:
    """05 合计.基本支出 equals 06 人员经费合计 + 公用经费合计."""
    eco = ctx.table("gpb_basic_by_economic")
    personnel, public = find_row(eco, "personnel_total"), find_row(eco, "public_total")
    gpb = ctx.table("gpb_expenditure")
    total = find_row(gpb, "total")
    if total is None or (personnel is None and public is None):
        return
    pv = personnel.value("personnel") if personnel else None
    uv = _public_total(eco, public) if public else None
    expected = (pv or Decimal(0)) + (uv or Decimal(0))
    actual = total.value("basic")
    if actual is None and expected == 0:
        return
    related = [ctx.cell_loc(eco, r, c) for r, c in ((personnel, "personnel"), (public, "public")) if r is not None]
    ctx.compare("一般公共预算财政拨款支出表基本支出 ≠ 人员经费合计 + 公用经费合计", expected, actual or Decimal(0), ctx.cell_loc(gpb, total, "basic"), parts=2, related=related)


@rule(
    "X06", "reconciliation", "error",
    "一般公共预算财政拨款支出超过本年支出",
    "05表的基本支出、项目支出是03表相应支出中由一般公共预算财政拨款安排的部分，不能大于03表（合计及各类）。",
    "domain.md §4：05 ≤ 03",
    requires=("gpb_expenditure", "expenditure_by_function"),
)
def gpb_within_total(ctx: Context) -> None:
    """05 基本支出/项目支出 ≤ 03 基本支出/项目支出, in total and per 类."""
    for col, name in (("basic", "基本支出"), ("project", "项目支出")):
        _link(ctx, f"一般公共预算财政拨款支出表{name}不应大于支出决算表{name}", [("gpb_expenditure", "total", col, None)], [("expenditure_by_function", "total", col, None)], op="le")
        _classes(ctx, f"一般公共预算财政拨款{name}大于本年{name}", "gpb_expenditure", col, "expenditure_by_function", col, op="le")


_THREE_PUBLIC_ECONOMIC = (
    ("30212", "actual_outbound", "因公出国（境）费"),
    ("30217", "actual_reception", "公务接待费"),
    ("30231", "actual_vehicle_operation", "公务用车运行维护费"),
    ("31013", "actual_vehicle_purchase", "公务用车购置"),
)


@rule(
    "X07", "reconciliation", "warning",
    "“三公”经费决算数小于基本支出中的对应科目",
    "09表决算数包括基本支出和项目支出安排的“三公”经费，应不小于06表中30212因公出国（境）费用、30217公务接待费、30231公务用车运行维护费、31013公务用车购置。",
    "domain.md §4：09 ↔ 06",
    requires=("three_public", "gpb_basic_by_economic"),
)
def three_public_vs_economic(ctx: Context) -> None:
    """Each 三公 item in 09 (决算数) ≥ the same economic item in 06."""
    eco, tp = ctx.table("gpb_basic_by_economic"), ctx.table("three_public")
    row = tp.rows[0] if tp.rows else None
    for code, col, name in _THREE_PUBLIC_ECONOMIC:
        er = eco.row_by_code(code)
        ecol = next(iter(er.cells), None) if er is not None else None
        if ecol is None or not er.amount(ecol):
            continue
        ev = er.amount(ecol)
        tv = row.amount(col) if row is not None and tp.column(col) else Decimal(0)
        where = ctx.cell_loc(tp, row, col) if row is not None else ctx.loc(tp)
        ctx.at_least(
            lambda: f"“三公”经费表{name}决算数{fmt(tv)}小于基本支出明细表{code}的{fmt(ev)}", ev, tv, where,
            related=lambda: [ctx.cell_loc(eco, er, ecol)],
        )


@rule(
    "X08", "reconciliation", "warning",
    "机关运行经费与公用经费不一致",
    "机关运行经费是行政单位和参公事业单位财政拨款基本支出中的公用经费，单一行政（参公）单位的10表机关运行经费应等于06表公用经费合计；部门含下属事业单位时两者可以不同，只作提示。",
    "domain.md §4：10 ↔ 06；财政部名词解释“机关运行经费”",
    requires=("related_info", "gpb_basic_by_economic"),
)
def running_costs(ctx: Context) -> None:
    """10 机关运行经费 equals 06 公用经费合计 for a single administrative unit."""
    info, eco = ctx.table("related_info"), ctx.table("gpb_basic_by_economic")
    rows = [r for r in (info.row_by_role("running_admin"), info.row_by_role("running_civil_servant")) if r is not None]
    public = eco.row_by_role("public_total")
    if not rows or public is None:
        return
    running = sum((r.amount("value") for r in rows), Decimal(0))
    pub = _public_total(eco, public)
    if running == pub:
        return
    single_unit = ctx.doc.meta.scope == "单位"
    severity = Severity.WARNING if single_unit else Severity.INFO
    where = ctx.cell_loc(info, rows[0], "value") if rows[0].value("value") is not None or len(rows) == 1 else ctx.cell_loc(info, rows[1], "value")
    why = "" if single_unit else "（部门含下属事业单位时两者可以不同，请核实）"
    ctx.report(
        f"相关信息统计表机关运行经费{fmt(running)} ≠ 基本支出明细表公用经费合计{fmt(pub)}{why}", where, severity=severity,
        expected=pub, actual=running, difference=running - pub, related=[ctx.cell_loc(eco, public, "public")],
    )


@rule(
    "X09", "reconciliation", "info",
    "收入决算表与支出决算表的科目不一致",
    "02表与03表通常列示相同的功能分类科目；差异可能由结转结余解释，只作提示。",
    "domain.md §4：02 ↔ 03",
    requires=("income_by_function", "expenditure_by_function"),
)
def same_codes(ctx: Context) -> None:
    """Codes printed in 03 but not in 02 (or the reverse) are listed for the reviewer."""
    a, b = ctx.table("income_by_function"), ctx.table("expenditure_by_function")
    ca = {r.code for r in a.rows if r.code}
    cb = {r.code for r in b.rows if r.code}
    for code in sorted(cb - ca):
        r = b.row_by_code(code)
        if r is not None and r.amount("total"):
            ctx.report(f"{code}{r.label}在支出决算表中有支出，收入决算表中没有收入（请确认是否由年初结转结余安排）", ctx.cell_loc(b, r, "total"))


# ------------------------------------------------------------------------- 预算 (§5)
@rule(
    "X10", "reconciliation", "error",
    "预算收支总表与预算收入总表不一致",
    "表一本年收入合计及各项收入 = 表二合计行对应列；上年结转 = 表二上年结转。",
    "domain.md §5：表一 ↔ 表二",
    requires=("budget_summary", "budget_income"),
)
def budget_summary_vs_income(ctx: Context) -> None:
    """表一 income rows equal the 合计 row of 表二."""
    total = ctx.table("budget_income").column("total")
    if total is not None and "carryover" in total.total_of:  # 合计 includes 上年结转 (财政部 template)
        _link(ctx, "预算收支总表本年收入合计 + 上年结转 ≠ 预算收入总表合计", [("budget_summary", "income_total", "income", "收入"), ("budget_summary", "carryover", "income", "收入")], [("budget_income", "total", "total", None)])
    else:
        _link(ctx, "预算收支总表本年收入合计 ≠ 预算收入总表合计", [("budget_summary", "income_total", "income", "收入")], [("budget_income", "total", "total", None)])
    for row, col, name in (("gpb", "gpb", "一般公共预算"), ("gf", "gf", "政府性基金"), ("soe", "soe", "国有资本经营预算"), ("special_account", "special_account", "财政专户管理资金"), ("unit_funds", "unit_funds", "单位资金"), ("carryover", "carryover", "上年结转")):
        _link(ctx, f"预算收支总表“{name}” ≠ 预算收入总表合计行“{name}”", [("budget_summary", row, "income", "收入")], [("budget_income", "total", col, None)])


@rule(
    "X11", "reconciliation", "error",
    "预算收支总表与预算支出总表不一致",
    "表一各类支出及本年支出合计 = 表三对应类及合计。",
    "domain.md §5：表一 ↔ 表三",
    requires=("budget_summary", "budget_expenditure"),
)
def budget_summary_vs_expenditure(ctx: Context) -> None:
    """表一 expenditure by class and in total equals 表三."""
    _link(ctx, "预算收支总表本年支出合计 ≠ 预算支出总表合计", [("budget_summary", "expenditure_total", "total", "支出")], [("budget_expenditure", "total", "total", None)])
    _classes(ctx, "预算收支总表与预算支出总表类级支出不一致", "budget_summary", "total", "budget_expenditure", "total", a_side="支出")


@rule(
    "X12", "reconciliation", "error",
    "一般公共预算支出表与收入总表、基本支出表不一致",
    "表五合计及各类 = 表二“一般公共预算”列；表五基本支出合计 = 表六合计。",
    "domain.md §5：表五 ↔ 表二、表六",
    requires=("budget_gpb_expenditure",),
)
def budget_gpb_links(ctx: Context) -> None:
    """表五 equals 表二's 一般公共预算 column (total and per class) and 表五 基本支出 equals 表六 合计."""
    _link(ctx, "一般公共预算支出表合计 ≠ 预算收入总表一般公共预算合计", [("budget_income", "total", "gpb", None)], [("budget_gpb_expenditure", "total", "total", None)])
    _classes(ctx, "一般公共预算支出表与预算收入总表一般公共预算列类级金额不一致", "budget_income", "gpb", "budget_gpb_expenditure", "total")
    _link(ctx, "一般公共预算支出表基本支出 ≠ 基本支出分经济科目表合计", [("budget_gpb_basic_by_economic", "total", "total", None)], [("budget_gpb_expenditure", "total", "basic", None)])


@rule(
    "X13", "reconciliation", "error",
    "项目支出与项目支出预算表不一致",
    "表三合计行项目支出 = 表十二（本年预算）合计 + 表十三（上年结转）合计。",
    "domain.md §5：表三 ↔ 表十二、表十三",
    requires=("budget_expenditure", "budget_projects_current"),
)
def budget_projects(ctx: Context) -> None:
    """表三 项目支出 equals the project tables' totals."""
    left = [("budget_projects_current", "total", "total", None)]
    if ctx.table("budget_projects_carryover") is not None and find_row(ctx.table("budget_projects_carryover"), "total") is not None:
        left.append(("budget_projects_carryover", "total", "total", None))
    _link(ctx, "预算支出总表项目支出 ≠ 项目支出预算表（本年预算 + 上年结转）合计", left, [("budget_expenditure", "total", "project", None)])


@rule(
    "X14", "reconciliation", "error",
    "财政拨款收支总表与预算收支总表不一致",
    "表四财政拨款收入（一般公共预算、政府性基金、国有资本经营）= 表一对应收入；上年财政拨款结转 ≤ 表一上年结转。",
    "domain.md §5：表四 ↔ 表一",
    requires=("budget_fiscal_summary", "budget_summary"),
)
def budget_fiscal_links(ctx: Context) -> None:
    """表四 fiscal income rows equal 表一's."""
    for row, name in (("gpb", "一般公共预算"), ("gf", "政府性基金预算"), ("soe", "国有资本经营预算")):
        _link(ctx, f"财政拨款收支总表“{name}”收入 ≠ 预算收支总表", [("budget_summary", row, "income", "收入")], [("budget_fiscal_summary", row, "income", "收入")])


@rule(
    "X15", "reconciliation", "warning",
    "“三公”经费预算与基本支出经济科目不一致",
    "表十“三公”经费预算中的一般公共预算安排应不小于表六中因公出国（境）费用、公务接待费、公务用车运行维护费。",
    "domain.md §5：表十 ↔ 表六",
    requires=("budget_three_public", "budget_gpb_basic_by_economic"),
)
def budget_three_public(ctx: Context) -> None:
    """表十 items (一般公共预算) ≥ the same items in 表六."""
    tp, eco = ctx.table("budget_three_public"), ctx.table("budget_gpb_basic_by_economic")
    for role, code, name in (("outbound", "30212", "因公出国（境）费用"), ("reception", "30217", "公务接待费"), ("vehicle_operation", "30231", "公务用车运行维护费")):
        er = eco.row_by_code(code) or next((r for r in eco.rows if r.label == name), None)
        tr = tp.row_by_role(role)
        if er is None or tr is None:
            continue
        ev, tv = er.amount("total"), tr.amount("gpb") or tr.amount("total")
        ctx.at_least(
            lambda: f"“三公”经费预算表{name}{fmt(tv)}小于基本支出分经济科目表的{fmt(ev)}", ev, tv, ctx.cell_loc(tp, tr, "gpb"),
            related=lambda: [ctx.cell_loc(eco, er, "total")],
        )


# ----------------------------------------------------- 预算, templates without 本年收入合计 (Shanghai …)
def _has_carryover(table, side=None) -> bool:
    """Rows or columns of 上年结转 / 年初结转 / 年终结转 with an amount."""
    roles = ("carryover", "opening_balance", "year_end_carryover", "closing_balance")
    if any(r.role in roles and any(c.value for c in r.cells.values()) and (side is None or r.side == side) for r in table.rows):
        return True
    return any(r.value(c) for r in table.rows for c in ("carryover", "opening", "closing"))


@rule(
    "X16", "reconciliation", "error",
    "财务收支预算总表收入与收入预算总表不一致",
    "收支总表没有“本年收入合计”行的模板（如上海区级）：财政拨款收入、事业收入、事业单位经营收入、其他收入 = 收入预算总表合计行对应列；无结转时收入总计 = 收入预算总表合计。",
    "domain.md §5：收支总表 ↔ 收入总表",
    requires=("budget_summary", "budget_income"),
)
def budget_summary_income_rows(ctx: Context) -> None:
    """The summary's income rows equal the income table's 合计 row, column by column."""
    summary, income = ctx.table("budget_summary"), ctx.table("budget_income")
    if summary.row_by_role("income_total", "收入") is not None:
        return  # X10 compares 本年收入合计 and its parts
    for row, col, name in (("fiscal", "fiscal", "财政拨款收入"), ("business", "business", "事业收入"), ("operating", "operating", "事业单位经营收入"), ("other", "other", "其他收入")):
        _link(ctx, f"收支总表“{name}” ≠ 收入预算总表合计行“{name}”", [("budget_summary", row, "income", "收入")], [("budget_income", "total", col, None)])
    if not _has_carryover(summary, "收入") and not _has_carryover(income):
        _link(ctx, "收支总表收入总计 ≠ 收入预算总表合计", [("budget_summary", "grand_total", "income", "收入")], [("budget_income", "total", "total", None)])


@rule(
    "X17", "reconciliation", "error",
    "财务收支预算总表支出总计与支出预算总表不一致",
    "收支总表没有“本年支出合计”行且无年终结转时：支出总计 = 支出预算总表合计（基本支出、项目支出列同样）。",
    "domain.md §5：收支总表 ↔ 支出总表",
    requires=("budget_summary", "budget_expenditure"),
)
def budget_summary_expenditure_total(ctx: Context) -> None:
    summary = ctx.table("budget_summary")
    if summary.row_by_role("expenditure_total", "支出") is not None or _has_carryover(summary, "支出"):
        return  # X11 compares 本年支出合计
    _link(ctx, "收支总表支出总计 ≠ 支出预算总表合计", [("budget_summary", "grand_total", "total", "支出")], [("budget_expenditure", "total", "total", None)])
    grand = summary.row_by_role("grand_total", "支出")
    if grand is not None and grand.value("project") is not None:  # printed by the 单位 variant only
        _link(ctx, "收支总表支出总计“项目支出” ≠ 支出预算总表合计行项目支出", [("budget_summary", "grand_total", "project", "支出")], [("budget_expenditure", "total", "project", None)])


@rule(
    "X18", "reconciliation", "error",
    "财政拨款收支总表支出与分资金支出表不一致",
    "无上年结转时，财政拨款收支总表支出方：一般公共预算列（合计及各类）= 一般公共预算支出表；政府性基金预算列 = 政府性基金预算支出表；国有资本经营预算列 = 国有资本经营预算支出表。",
    "domain.md §5：财政拨款收支总表 ↔ 表五、政府性基金、国有资本经营预算支出表",
    requires=("budget_fiscal_summary",),
)
def budget_fiscal_by_fund(ctx: Context) -> None:
    if _has_carryover(ctx.table("budget_fiscal_summary")):
        return  # the fund tables leave out the 上年结转 spending the fiscal summary includes
    for col, role, name in (("gpb", "budget_gpb_expenditure", "一般公共预算"), ("gf", "budget_gov_fund_expenditure", "政府性基金预算"), ("soe", "budget_soe_expenditure", "国有资本经营预算")):
        if ctx.table(role) is None:
            continue
        _link(ctx, f"财政拨款收支总表支出总计“{name}” ≠ {name}支出表合计", [("budget_fiscal_summary", "grand_total", col, "支出")], [(role, "total", "total", None)])
        _classes(ctx, f"财政拨款收支总表“{name}”与{name}支出表类级支出不一致", "budget_fiscal_summary", col, role, "total", a_side="支出")


@rule(
    "X19", "reconciliation", "error",
    "财政拨款收入与收入预算总表不一致",
    "无上年结转时：财政拨款收支总表收入总计 = 收入预算总表合计行“财政拨款收入”列。",
    "domain.md §5：财政拨款收支总表 ↔ 收入总表",
    requires=("budget_fiscal_summary", "budget_income"),
)
def budget_fiscal_vs_income(ctx: Context) -> None:
    fiscal = ctx.table("budget_fiscal_summary")
    if _has_carryover(fiscal, "收入"):
        return
    _link(ctx, "财政拨款收支总表收入总计 ≠ 收入预算总表财政拨款收入合计", [("budget_fiscal_summary", "grand_total", "income", "收入")], [("budget_income", "total", "fiscal", None)])


@rule(
    "X20", "reconciliation", "error",
    "一般公共预算支出超过支出预算总表",
    "一般公共预算支出表合计及各类 ≤ 支出预算总表对应金额（支出总表含全部资金来源）。",
    "domain.md §5：表五 ↔ 表三",
    requires=("budget_gpb_expenditure", "budget_expenditure"),
)
def budget_gpb_within_expenditure(ctx: Context) -> None:
    _link(ctx, "一般公共预算支出表合计大于支出预算总表合计", [("budget_gpb_expenditure", "total", "total", None)], [("budget_expenditure", "total", "total", None)], op="le")
    _classes(ctx, "一般公共预算支出大于支出预算总表", "budget_gpb_expenditure", "total", "budget_expenditure", "total", op="le")


@rule(
    "X21", "reconciliation", "warning",
    "“三公”经费预算小于基本支出中的对应经济科目",
    "“三公”经费和机关运行经费预算表中因公出国（境）费、公务接待费、公务用车运行费不小于基本支出经济分类表中 30212、30217、30231 科目（“三公”经费还含项目支出安排）。",
    "domain.md §5：三公表 ↔ 基本支出经济分类表",
    requires=("budget_three_public_running", "budget_gpb_basic_by_economic"),
)
def budget_three_public_running_vs_economic(ctx: Context) -> None:
    tp, eco = ctx.table("budget_three_public_running"), ctx.table("budget_gpb_basic_by_economic")
    row = next((r for r in tp.rows if r.cells), None)
    if row is None:
        return
    for col, code, name in (("outbound", "30212", "因公出国（境）费用"), ("reception", "30217", "公务接待费"), ("vehicle_operation", "30231", "公务用车运行维护费")):
        er = eco.row_by_code(code)
        if er is None or tp.column(col) is None or er.value("total") is None:
            continue
        ev, tv = er.amount("total"), row.amount(col)
        ctx.at_least(
            lambda: f"“三公”经费预算表{name}{fmt(tv)}小于基本支出经济分类表{code}的{fmt(ev)}", ev, tv, ctx.cell_loc(tp, row, col),
            related=lambda: [ctx.cell_loc(eco, er, "total")],
        )


@rule(
    "X22", "reconciliation", "warning",
    "机关运行经费预算大于基本支出公用经费",
    "机关运行经费（行政单位和参公事业单位一般公共预算基本支出中的日常公用经费）≤ 一般公共预算基本支出经济分类表公用经费合计。",
    "domain.md §5：机关运行经费 ↔ 基本支出公用经费",
    requires=("budget_three_public_running", "budget_gpb_basic_by_economic"),
)
def budget_running_vs_public(ctx: Context) -> None:
    _link(
        ctx, "机关运行经费预算大于基本支出公用经费合计",
        [("budget_three_public_running", "values", "running_costs", None)], [("budget_gpb_basic_by_economic", "total", "public", None)], op="le",
    )


@rule(
    "X23", "reconciliation", "error",
    "收入预算合计不等于支出预算合计",
    "无上年结转和年终结转时，收入预算总表合计 = 支出预算总表合计（预算收支平衡）。",
    "domain.md §5：收入总表 ↔ 支出总表",
    requires=("budget_income", "budget_expenditure"),
)
def budget_income_equals_expenditure(ctx: Context) -> None:
    income = ctx.table("budget_income")
    summary = ctx.table("budget_summary")
    if _has_carryover(income) or (summary is not None and (_has_carryover(summary) or summary.row_by_role("income_total", "收入") is not None)):
        return
    _link(ctx, "收入预算总表合计 ≠ 支出预算总表合计", [("budget_income", "total", "total", None)], [("budget_expenditure", "total", "total", None)])
