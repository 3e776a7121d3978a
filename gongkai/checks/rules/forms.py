"""Performance forms: execution rates, scores, grades, and budget target forms vs tables."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import Decimal

from rapidfuzz import fuzz, process

from ...extract.textnorm import key
from ...extract.numbers import UNIT_SCALE, half_unit
from ...model.forms import Amount, PerformanceForm
from ...model.serialize import format_decimal
from ..engine import Context, Location, Severity, fmt, rule
from ...patterns import lazy_compile


def score(value: Decimal) -> str:
    """Scores and weights as people write them: 88, 2.5, 99.72."""
    return format_decimal(value.normalize())

_GRADE_BANDS = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"), (Decimal(0), "差"))
_SAME_AMOUNT = Decimal("0.005")


def _loc(form, amount: Amount | None = None, what: str | None = None) -> Location:
    prov = amount.prov if amount is not None else form.prov
    return Location.at(
        prov, table="绩效自评表" if isinstance(form, PerformanceForm) else "绩效目标表",
        section=getattr(form, "project", None) or getattr(form, "department", None), column=what,
        excerpt=amount.raw if amount is not None else None,
    )


def _rate_of(executed: Decimal, budget: Decimal) -> Decimal:
    return executed / budget * 100


def _rate_ok(stated: Decimal, executed: Decimal, budget: Decimal) -> bool:
    if budget == 0:
        return stated == 0 and executed == 0
    computed = _rate_of(executed, budget)
    # rates are printed to 0–2 decimals from amounts rounded to 0.001万元
    slack = Decimal("0.0005") / budget * 100 * 2 + Decimal("0.006")
    decimals = -stated.as_tuple().exponent if stated.as_tuple().exponent < 0 else 0
    return abs(stated - computed) <= half_unit(decimals) + slack or (stated == 100 and computed > 100)


@rule(
    "F01", "forms", "error",
    "自评表执行率与全年预算数、全年执行数不符",
    "执行率 = 全年执行数 ÷ 全年预算数（备注4）；转移支付自评表的预算执行率 = B ÷ A。",
    "项目支出绩效自评表填报说明；财预〔2020〕10号",
)
def execution_rate(ctx: Context) -> None:
    """Every funds line's 执行率 equals 全年执行数 ÷ 全年预算数."""
    for form in ctx.doc.performance_forms:
        for line in form.funds:
            if line.rate is None or line.executed is None or line.annual_budget is None:
                continue
            if line.balance is not None and abs(line.annual_budget.value - line.executed.value - line.balance.value) > Decimal("0.011"):
                continue  # the row itself does not add up: misread, reported by F02
            if _rate_ok(line.rate.value, line.executed.value, line.annual_budget.value):
                continue
            budget, executed = line.annual_budget.value, line.executed.value
            expected = f"{_rate_of(executed, budget).quantize(Decimal('0.01'))}%" if budget else "0%（全年预算数为0）"
            ctx.report(
                f"“{form.project}”{line.source}执行率{line.rate.raw}%与全年执行数{fmt(executed)} ÷ 全年预算数{fmt(budget)}不符",
                _loc(form, line.rate, "执行率"), expected=expected, actual=f"{line.rate.value}%",
            )


@rule(
    "F02", "forms", "warning",
    "自评表结余与预算数、执行数不符",
    "资金结（转）余 = 全年预算数 − 全年执行数。",
    "项目支出绩效自评表填报说明",
)
def balance(ctx: Context) -> None:
    """资金结(转)余 equals 全年预算数 − 全年执行数 on the funds total line."""
    for form in ctx.doc.performance_forms:
        line = form.total_funds
        if line is None or None in (line.balance, line.executed, line.annual_budget):
            continue
        expected = line.annual_budget.value - line.executed.value
        if abs(expected - line.balance.value) > Decimal("0.011"):
            ctx.report(
                f"“{form.project}”资金结（转）余{line.balance.raw}与全年预算数{fmt(line.annual_budget.value)} − 全年执行数{fmt(line.executed.value)}不符",
                _loc(form, line.balance, "资金结（转）余"), expected=expected, actual=line.balance.value,
            )


@rule(
    "F03", "forms", "warning",
    "自评表资金执行得分与执行率不符",
    "预算执行率指标分值10分，得分 = 10 × 执行率（最高10分）。",
    "项目支出绩效自评表填报说明（执行率得分）",
)
def funds_score(ctx: Context) -> None:
    """The funds block's 得分 equals 10 × 执行率 (capped at 10)."""
    for form in ctx.doc.performance_forms:
        line = form.total_funds
        if line is None or line.score is None or line.rate is None or form.kind != "self_evaluation":
            continue
        expected = min(Decimal(10), line.rate.value / 10)
        if abs(expected - line.score.value) > Decimal("0.015"):
            ctx.report(
                f"“{form.project}”执行率{line.rate.raw}%对应得分应为{score(expected)}，表中为{line.score.raw}",
                _loc(form, line.score, "得分"), expected=expected, actual=line.score.value,
            )


_RATE_TEXT = lazy_compile(r"(?:预算)?执行率(?:为|是|达到|达|约为)?\s*(\d+(?:\.\d+)?)\s*%")
_BUDGET_TEXT = lazy_compile(r"(?:预算(?:安排|下达|资金)?|年初预算|到位(?:资金)?)(?:为|是|共计)?\s*(\d+(?:\.\d+)?)\s*(万元|元)")
_SPENT_TEXT = lazy_compile(r"(?:实际)?(?:支出|执行|支付)(?:资金|数|金额)?(?:为|是|了)?\s*(\d+(?:\.\d+)?)\s*(万元|元)")


@rule(
    "F04", "forms", "warning",
    "自评表分析文字与资金执行情况不一致",
    "“项目实施和预算执行情况”中写明的执行率，应与本表资金执行情况的执行率一致（常见问题：把全年预算数填成执行数以得满分）。",
    "项目支出绩效自评表填报说明",
)
def analysis_vs_funds(ctx: Context) -> None:
    """The execution rate the analysis text states equals the funds block's rate."""
    for form in ctx.doc.performance_forms:
        line = form.total_funds
        if line is None or line.rate is None:
            continue
        for field in form.analysis[:3]:
            if "执行" not in field.label and "预算" not in field.label and "执行率" not in field.text:
                continue
            m = _RATE_TEXT.search(field.text)
            if not m:
                continue
            stated = Decimal(m.group(1))
            if abs(stated - line.rate.value) <= Decimal("0.5") or (stated >= 100 and line.rate.value >= 100):
                break
            note = ""
            bm = _BUDGET_TEXT.search(field.text)
            if bm and line.annual_budget is not None:
                amount = Decimal(bm.group(1)) * UNIT_SCALE[bm.group(2)]
                if abs(amount - line.annual_budget.value) > Decimal("0.01"):
                    note = f"；文字所述预算{fmt(amount)}万元，表中全年预算数{fmt(line.annual_budget.value)}万元"
            ctx.report(
                f"“{form.project}”分析文字称执行率为{m.group(1)}%，资金执行情况中执行率为{line.rate.raw}%{note}",
                Location.at(field.prov, table="绩效自评表", section=form.project, column="项目实施和预算执行情况", excerpt=m.group(0)),
                expected=f"{line.rate.value}%", actual=f"{stated}%",
                related=[_loc(form, line.rate, "执行率")],
            )
            break


@rule(
    "F05", "forms", "error",
    "指标得分超过分值",
    "每个绩效指标的得分不能超过其分值。",
    "财预〔2020〕10号《项目支出绩效评价管理办法》",
)
def score_cap(ctx: Context) -> None:
    """No indicator's 得分 exceeds its 分值."""
    for form in ctx.doc.performance_forms:
        if not _complete_scores(form):
            continue
        for ind in form.indicators:
            if ind.score.value > ind.weight.value:
                ctx.report(
                    f"“{form.project}”指标“{ind.level3 or ind.level2}”得分{ind.score.raw}超过分值{ind.weight.raw}",
                    _loc(form, ind.score, "得分"), expected=f"≤ {ind.weight.raw}", actual=ind.score.value,
                )


def _readable_scores(form: PerformanceForm) -> bool:
    return bool(form.indicators) and all(i.score is not None and i.weight is not None for i in form.indicators)


def _complete_scores(form: PerformanceForm) -> bool:
    """Scores read completely and weights adding up to 90: a sound base for sums and caps."""
    if not _readable_scores(form) or not form.readable:
        return False
    weights = sum((i.weight.value for i in form.indicators), Decimal(0))
    return weights in (Decimal(90), Decimal(100)) and all(i.weight.value <= 50 for i in form.indicators)


def _funds_score(form: PerformanceForm) -> Decimal | None:
    for line in form.funds[:2]:
        if line.score is not None:
            return line.score.value
    return None


@rule(
    "F06", "forms", "error",
    "总分不等于各项得分之和",
    "总分 = 各绩效指标得分 + 预算执行率得分。",
    "财预〔2020〕10号；项目支出绩效自评表",
)
def total_score(ctx: Context) -> None:
    """总分 equals the indicators' 得分 plus the funds block's 得分 (forms that were read completely)."""
    for form in ctx.doc.performance_forms:
        if form.kind != "self_evaluation" or form.total_score is None or not form.readable or not _readable_scores(form):
            continue
        funds = _funds_score(form)
        if funds is None:
            continue
        expected = sum((i.score.value for i in form.indicators), Decimal(0)) + funds
        if abs(expected - form.total_score.value) <= Decimal("0.011"):
            continue
        # with weights not adding up to 100 an indicator row may have been lost in conversion
        severity = None if _complete_scores(form) else Severity.WARNING
        ctx.report(
            f"“{form.project}”总分{form.total_score.raw}不等于各指标得分之和{score(expected - funds)}加执行率得分{score(funds)}（{score(expected)}）",
            _loc(form, form.total_score, "总分"), severity=severity, expected=expected, actual=form.total_score.value,
        )


@rule(
    "F07", "forms", "error",
    "自评等级与总分不符",
    "等级按总分划分：优 ≥ 90，良 80–89.99，中 60–79.99，差 < 60。",
    "财预〔2020〕10号第二十七条",
)
def grade(ctx: Context) -> None:
    """The grade matches the 总分 band (优 ≥ 90, 良 80–90, 中 60–80, 差 < 60)."""
    for form in ctx.doc.performance_forms:
        if form.total_score is None or not (0 <= form.total_score.value <= 100) or not form.readable:
            continue
        expected = next(g for floor, g in _GRADE_BANDS if form.total_score.value >= floor)
        if form.grade is None:
            ctx.report(f"“{form.project}”总分{form.total_score.raw}，但没有填写自评等级", _loc(form, form.total_score, "等级"), severity=Severity.INFO, expected=expected, actual="空白")
            continue
        if form.grade != expected:
            ctx.report(
                f"“{form.project}”总分{form.total_score.raw}对应等级应为“{expected}”，表中为“{form.grade}”",
                _loc(form, form.total_score, "等级"), expected=expected, actual=form.grade,
            )


@rule(
    "F08", "forms", "warning",
    "指标分值合计不是100分",
    "绩效指标分值合计90分，加预算执行率10分，共100分。",
    "财预〔2020〕10号：项目支出绩效自评指标权重",
)
def weights(ctx: Context) -> None:
    """The indicators' 分值 add up to 90 (100 with the funds block's 10)."""
    for form in ctx.doc.performance_forms:
        if form.kind != "self_evaluation" or not _readable_scores(form) or not form.funds:
            continue
        total = sum((i.weight.value for i in form.indicators), Decimal(0))
        funds = Decimal(10) if form.funds else Decimal(0)
        if total + funds == 100 or total == 100:
            continue
        ctx.report(
            f"“{form.project}”各指标分值合计{score(total)}分，加执行率{score(funds)}分共{score(total + funds)}分，不是100分",
            _loc(form, form.indicators[0].weight, "分值"), expected="100", actual=total + funds,
        )


class _ProjectIndex:
    """Project rows by name key and by amount, so that F09 costs O(log n) per form whose
    project is printed as in the project table, instead of a fuzzy comparison with every
    row (forms × rows). Other forms fall back to one C-speed fuzzy pass.

    Similarities below 60 never matter to F09, so only the rows at or above 60 are kept
    (row index → score)."""

    def __init__(self, rows):
        self.rows = rows
        self.keys = [key(row.label) for _, row in rows]
        self.amounts = [row.amount("total") for _, row in rows]
        self.exact: dict[str, list[int]] = {}
        for i, k in enumerate(self.keys):
            self.exact.setdefault(k, []).append(i)
        self.by_amount = sorted(range(len(rows)), key=self.amounts.__getitem__)
        self.sorted_amounts = [self.amounts[i] for i in self.by_amount]

    def similarity(self, project: str, value: Decimal | None) -> dict[int, float]:
        exact = self.exact.get(project)
        if not exact or all(self.rows[i][1].is_total for i in exact):
            return {i: score for _, score, i in process.extract(project, self.keys, scorer=fuzz.ratio, limit=None, score_cutoff=60)}
        scores = {i: 100.0 for i in exact}  # fuzz.ratio is 100 only for equal strings
        for i in self.same_amount(value):  # rows of (nearly) the same amount matter too
            if i not in scores and (s := fuzz.ratio(project, self.keys[i])) >= 60:
                scores[i] = s
        return scores

    def same_amount(self, value: Decimal | None) -> list[int]:
        if value is None:
            return []
        lo = bisect_left(self.sorted_amounts, value - _SAME_AMOUNT)
        hi = bisect_right(self.sorted_amounts, value + _SAME_AMOUNT)
        return [self.by_amount[j] for j in range(lo, hi)]


def _project_rows(ctx: Context):
    rows = []
    for role in ("budget_projects_current", "budget_projects_carryover"):
        table = ctx.table(role)
        if table is None:
            continue
        for row in table.rows:
            if row.label:
                rows.append((table, row))
    return rows


@rule(
    "F09", "forms", "error",
    "项目绩效目标表年度资金与项目支出预算表不符",
    "项目支出绩效目标表的年度资金总额（元）应等于项目支出预算表中该项目的金额（万元 × 10000）。",
    "预算编制：项目绩效目标与项目预算一致",
    requires=("budget_projects_current",),
    applies_to=("预算",),
)
def target_vs_projects(ctx: Context) -> None:
    """Each target form's 年度资金总额 equals its project's amount in 表十二/表十三."""
    rows = _project_rows(ctx)
    index = _ProjectIndex(rows)
    covered: set[int] = set()
    for form in ctx.doc.target_forms:
        if not form.project:
            continue
        value = form.annual_total.value if form.annual_total is not None else None
        similarity = index.similarity(key(form.project), value)  # row index → score ≥ 60
        ranked = sorted(similarity.items())  # in row order: max() keeps the first of equals
        best = max(ranked, key=lambda item: item[1], default=None)
        if best is not None and best[1] >= 85:
            covered.add(best[0])
        if value is None:
            continue
        # a project row (or a table's total, for a form covering several carried-over items)
        # with the same amount and a related name settles it
        if any(i in similarity or rows[i][1].is_total for i in index.same_amount(value)):
            continue
        candidates = [(score, *rows[i]) for i, score in ranked if score >= 85 and not rows[i][1].is_total]
        if not candidates:
            continue
        _, table, row = max(candidates, key=lambda c: c[0])
        amount = row.amount("total")
        ctx.report(
            f"绩效目标表“{form.project}”年度资金总额{form.annual_total.raw}元与{table.id}该项目{fmt(amount)}万元不符",
            _loc(form, form.annual_total, "年度资金总额"), expected=f"{fmt(amount)}万元", actual=f"{fmt(value)}万元",
            related=[ctx.cell_loc(table, row, "total")],
        )
    if ctx.doc.target_forms:
        for i, (table, row) in enumerate(rows):
            if i not in covered and not row.is_total:
                ctx.report(
                    f"{table.id}项目“{row.label}”（{fmt(row.amount('total'))}万元）没有附项目支出绩效目标表",
                    ctx.cell_loc(table, row, "total"), severity=Severity.INFO,
                )


@rule(
    "F10", "forms", "warning",
    "整体支出绩效目标申报表金额与报表不符",
    "部门整体支出绩效目标申报表的年度预算（合计、基本支出、项目支出）应与预算支出总表一致。",
    "部门整体支出绩效目标申报",
    requires=("budget_expenditure",),
    applies_to=("预算",),
)
def overall_vs_tables(ctx: Context) -> None:
    """The 整体支出绩效目标申报表 totals equal 表三 (合计, 基本支出, 项目支出)."""
    table = ctx.table("budget_expenditure")
    total = table.total_row() if table else None
    if total is None:
        return
    for form in ctx.doc.overall_target_forms:
        for label, column in (("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")):
            amount = form.funds_by_use.get(label)
            if amount is None:
                continue
            expected = total.amount(column)
            if abs(amount.value - expected) > Decimal("0.01"):
                ctx.report(
                    f"整体支出绩效目标申报表“{label}”{amount.raw}万元与预算支出总表{fmt(expected)}万元不符",
                    _loc(form, amount, label), expected=expected, actual=amount.value, related=[ctx.cell_loc(table, total, column)],
                )
