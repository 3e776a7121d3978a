"""Performance forms read as a reviewer reads them: the forms' own text, scoring and headers.

The arithmetic of the funds block and the score sums are in forms.py; these rules
hold the form's prose (cost formulas, itemised amounts, stated totals), its cost
indicators and its scoring against the form's own figures.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal

from ...extract.numbers import half_unit
from ...extract.textnorm import compact
from ...model.forms import Amount, Indicator, PerformanceForm, TargetForm, TextField
from ..engine import Context, Location, Severity, fmt, rule
from ..form_text import TextReadings, falls_short, quantity
from .forms import score
from ...patterns import lazy_compile

_TEXT_LABELS = ("项目概况",)  # where target forms build up their money


def _table(form) -> str:
    return "绩效自评表" if isinstance(form, PerformanceForm) else "绩效目标表"


def _texts(form) -> list[TextField]:
    """The prose of a form that states its money: a target form's 项目概况 and 实施计划, a
    self-evaluation's achievement and analysis."""
    if isinstance(form, TargetForm):
        return [t for t in form.texts if t.label in _TEXT_LABELS]
    out = list(form.analysis)
    if form.achievement:
        out.append(TextField("实际完成情况", form.achievement, form.prov))
    return out


def _text_loc(form, field: TextField, excerpt: str) -> Location:
    return Location.at(field.prov, table=_table(form), section=form.project, column=field.label, excerpt=excerpt[:80])


def _amount_loc(form, amount: Amount | None, what: str) -> Location:
    prov = amount.prov if amount is not None else form.prov
    return Location.at(prov, table=_table(form), section=form.project, column=what, excerpt=amount.raw if amount is not None else None)


def _read(ctx: Context) -> TextReadings:
    if "form_texts" not in ctx.shared:
        ctx.shared["form_texts"] = TextReadings()
    return ctx.shared["form_texts"]


def _all_forms(ctx: Context):
    return [f for f in list(ctx.doc.performance_forms) + list(ctx.doc.target_forms) if not f.problems or f.indicators]


@rule(
    "F11", "forms", "error",
    "绩效表文字中的测算公式计算错误",
    "项目概况、分析文字中写出的测算公式（如“40*1500*3=20万元”）其结果应等于公式计算值（按所印位数舍入，元与万元均可）；"
    "只在金额后括注公式（“134万元(200*550*5+…)”）时关联不如等号确定，报警告。",
    "项目支出绩效目标申报：测算依据应准确",
)
def form_formulas(ctx: Context) -> None:
    """Every "expression = result" in a form's text computes to its result."""
    for form in _all_forms(ctx):
        for field in _texts(form):
            for f in _read(ctx).formulas(field.text):
                if f.agrees():
                    continue
                computed = f.in_wan
                unit = f.unit if f.unit and computed is not f.value else ("元" if f.unit in ("万元", "万") else f.unit)
                shown = computed.quantize(Decimal(1) / (Decimal(10) ** max(f.decimals, 2))) if computed != computed.to_integral() else computed
                ctx.report(
                    f"“{form.project}”{field.label}中“{f.expression}{'=' if f.explicit else '→'}{f.stated_raw}”计算结果为{format(shown, 'f')}{unit}，与所写{f.stated_raw}不符",
                    _text_loc(form, field, f"{f.expression}={f.stated_raw}" if f.explicit else f"{f.stated_raw}({f.expression})"),
                    severity=None if f.explicit else Severity.WARNING,
                    expected=f"{format(shown, 'f')}{unit}", actual=f.stated_raw,
                )


def _same(a: Decimal, b: Decimal, decimals: int) -> bool:
    return abs(a - b) <= half_unit(decimals)


@rule(
    "F12", "forms", "warning",
    "绩效表文字中分项金额之和与所述合计不符",
    "项目概况中“共计X万元，主要包括：1.…A万元；2.…B万元…”的分项金额之和应等于所述合计。",
    "项目支出绩效目标申报：项目概况与资金测算一致",
)
def itemised_sum(ctx: Context) -> None:
    """The numbered items of a form's text add up to the total stated before them."""
    for form in _all_forms(ctx):
        for field in _texts(form):
            items = _read(ctx).itemised(field.text)
            if items is None or items.total is None:
                continue
            decimals = max(items.decimals, len(str(items.total).split(".")[1]) if "." in str(items.total) else 0)
            if _same(items.sum, items.total, decimals) or _same(items.sum_every, items.total, decimals):
                continue
            got = min((items.sum, items.sum_every), key=lambda s: abs(s - items.total))
            listed = "＋".join(raw for _, _, raw, _ in items.items)
            ctx.report(
                f"“{form.project}”{field.label}称“{items.total_raw}”，所列{len(items.items)}项金额合计{fmt(got)}万元（{listed}）",
                _text_loc(form, field, items.total_raw or ""),
                expected=items.total, actual=got, difference=got - items.total,
            )


def _funds_of(form) -> list[tuple[str, Amount]]:
    if isinstance(form, TargetForm):
        return [(name, a) for name, a in (("年度资金总额", form.annual_total), ("实施期资金总额", form.implementation_total)) if a is not None]
    line = form.total_funds
    if line is None:
        return []
    named = (("年初预算数", line.initial_budget), ("目标申报数", line.initial_target), ("全年预算数", line.annual_budget), ("全年执行数", line.executed))
    return [(name, a) for name, a in named if a is not None]


@rule(
    "F13", "forms", "warning",
    "绩效目标表文字所述金额与项目资金不符",
    "项目概况所述项目总额（“共计X万元”，或分项金额之和）应等于本表的年度资金总额或实施期资金总额。",
    "项目支出绩效目标申报：项目概况与资金测算一致",
)
def text_vs_funds(ctx: Context) -> None:
    """The total a target form's 项目概况 states (or its items add to) is one of the form's funds totals."""
    for form in ctx.doc.target_forms:
        funds = _funds_of(form)
        if not funds:
            continue
        for field in form.texts:
            total = _read(ctx).stated_total(field.text)
            items = _read(ctx).itemised(field.text)
            if total is not None:
                value, raw, what = total[0], total[1], f"所述“{total[1]}”"
            elif items is not None:
                value, raw = items.sum, "＋".join(r for _, _, r, _ in items.items)
                what = f"所列{len(items.items)}项金额合计{fmt(value)}万元"
            else:
                continue
            if any(abs(value - a.value) <= Decimal("0.005") for _, a in funds):
                continue
            if items is not None and total is None and any(abs(items.sum_every - a.value) <= Decimal("0.005") for _, a in funds):
                continue
            names = "、".join(f"{n}{fmt(a.value)}万元" for n, a in funds)
            ctx.report(
                f"“{form.project}”{field.label}{what}，与本表{names}不符",
                _text_loc(form, field, raw), expected=funds[0][1].value, actual=value,
                related=[_amount_loc(form, a, n) for n, a in funds],
            )


_TOTAL_COST = lazy_compile(r"总成本|项目成本$|项目预算|成本总额|资金总额|总投入|预算执行$|^成本$")
_MONEY = lazy_compile(r"^(?:≤|<=|＜=|<|=|＝)?\s*(\d+(?:\.\d+)?)\s*(万元|元)$")


@rule(
    "F14", "forms", "warning",
    "成本指标所列项目总成本与资金总额不符",
    "成本指标中的项目总成本（“项目总成本≤60万元”）应与本表的资金总额一致：小于资金总额说明预算多列，大于说明测算与资金不符。",
    "项目支出绩效目标申报：成本指标",
)
def cost_indicator(ctx: Context) -> None:
    """A 成本指标 naming the project's total cost equals one of the form's funds totals."""
    for form in _all_forms(ctx):
        funds = _funds_of(form) if any("成本" in (i.level2 or "") + (i.level3 or "") for i in form.indicators) else None
        if not funds:
            continue
        for ind in form.indicators:
            if not ind.level3 or "成本" not in (ind.level2 or "") + ind.level3 or not _TOTAL_COST.search(ind.level3):
                continue
            raw = ind.adjusted_target or ind.target if isinstance(form, PerformanceForm) else ind.target
            m = _MONEY.match(compact(raw or ""))
            if not m:
                continue
            value = Decimal(m.group(1)) * (Decimal("0.0001") if m.group(2) == "元" else 1)
            if any(abs(value - a.value) <= Decimal("0.005") for _, a in funds):
                continue
            names = "、".join(f"{n}{fmt(a.value)}万元" for n, a in funds)
            ctx.report(
                f"“{form.project}”成本指标“{ind.level3}”为{raw}，与本表{names}不符",
                Location.at(ind.prov, table=_table(form), section=form.project, column="成本指标", excerpt=f"{ind.level3} {raw}"),
                expected=funds[0][1].value, actual=value, related=[_amount_loc(form, a, n) for n, a in funds],
            )


_UNFINISHED = lazy_compile(r"未完成|未达成|未达到|没有完成|未实现")
_PARTIAL = lazy_compile(r"部分达成|部分完成|基本达成|基本完成")


def _target_and_actual(ind: Indicator) -> tuple[str | None, str | None]:
    """The target (adjusted if set) and the actual value, whichever columns the conversion left them in."""
    values = [v for v in (ind.target, ind.adjusted_target, ind.actual) if v]
    if len(values) < 2:
        return (values[0] if values else None), None
    target = values[-2]
    if quantity(target) is None and quantity(values[0]) is not None:
        target = values[0]
    return target, values[-1]


def _scored_forms(ctx: Context):
    for form in ctx.doc.performance_forms:
        if form.kind != "self_evaluation" or not form.indicators:
            continue
        if any("一级指标" in p or "行有" in p or "行只有" in p for p in form.problems):
            continue  # the rows were not read reliably
        yield form


def _indicator_loc(form, ind: Indicator, what: str, amount: Amount | None = None) -> Location:
    prov = amount.prov if amount is not None else ind.prov
    return Location.at(prov, table=_table(form), section=form.project, row=ind.level3 or ind.level2, column=what, excerpt=amount.raw if amount else None)


@rule(
    "F15", "forms", "warning",
    "指标未达成却得满分，或部分达成得分为0或满分",
    "实际完成值未达到指标值（低于“≥”、高于“≤”、不等于“=”）或写明未完成的指标不应得满分；“部分达成”的指标应按完成程度得部分分值。",
    "财预〔2020〕10号：按指标完成程度评分",
)
def scoring_vs_achievement(ctx: Context) -> None:
    """An indicator below its target scores less than its weight; a partly met one scores between 0 and its weight."""
    for form in _scored_forms(ctx):
        for ind in form.indicators:
            if ind.weight is None or ind.score is None or ind.weight.value <= 0:
                continue
            target, actual = _target_and_actual(ind)
            full = ind.score.value == ind.weight.value
            name = ind.level3 or ind.level2
            if actual and full and _UNFINISHED.search(actual):
                ctx.report(f"“{form.project}”指标“{name}”实际完成情况为“{actual}”，却得满分{score(ind.score.value)}", _indicator_loc(form, ind, "得分", ind.score), expected=f"< {score(ind.weight.value)}", actual=ind.score.value)
                continue
            if actual and _PARTIAL.search(actual) and (full or ind.score.value == 0):
                ctx.report(f"“{form.project}”指标“{name}”为“{actual}”，得分却为{score(ind.score.value)}（分值{score(ind.weight.value)}）", _indicator_loc(form, ind, "得分", ind.score), expected=f"0 – {score(ind.weight.value)}之间", actual=ind.score.value)
                continue
            t, a = quantity(target), quantity(actual)
            if full and t is not None and a is not None and falls_short(t, a, "成本" in (ind.level2 or "")):
                ctx.report(
                    f"“{form.project}”指标“{name}”指标值{target}，实际完成{actual}，未达到指标值却得满分{score(ind.score.value)}",
                    _indicator_loc(form, ind, "得分", ind.score), expected=f"< {score(ind.weight.value)}", actual=ind.score.value,
                )


@rule(
    "F16", "forms", "warning",
    "空白指标得分，或指标得分空白",
    "没有指标名称和指标值的行不应得分；有分值的指标应填写得分（空白得分按0分计，总分核对照此进行）。",
    "项目支出绩效自评表填报说明",
)
def blank_indicators(ctx: Context) -> None:
    """No points for an indicator row without a name and values; no blank 得分 beside a 分值."""
    for form in _scored_forms(ctx):
        for ind in form.indicators:
            empty = not ind.level3 and not ind.target and not ind.adjusted_target and not ind.actual
            if empty and ind.score is not None and ind.score.value > 0:
                ctx.report(
                    f"“{form.project}”{ind.level2 or '指标'}行没有指标名称和指标值，却得{score(ind.score.value)}分",
                    _indicator_loc(form, ind, "得分", ind.score), expected="0", actual=ind.score.value,
                )
            elif ind.weight is not None and ind.score is None and ind.level3 and (ind.target or ind.actual):
                ctx.report(
                    f"“{form.project}”指标“{ind.level3}”分值{ind.weight.raw}，得分空白",
                    _indicator_loc(form, ind, "得分", ind.weight), expected="得分", actual="空白",
                )


_CODE = lazy_compile(r"^\s*(\d{3,9})\s*[-—－]")


def _code(text: str | None) -> str | None:
    m = _CODE.match(text or "")
    return m.group(1) if m else None


@rule(
    "F17", "forms", "warning",
    "绩效表主管部门、预算单位编码前后不一致",
    "同一部门各张绩效表的主管部门编码应相同，预算单位编码应以主管部门编码开头。",
    "部门预算单位编码",
)
def header_codes(ctx: Context) -> None:
    """One department's forms print one department code, and each unit code starts with it."""
    forms = [f for f in list(ctx.doc.performance_forms) + list(ctx.doc.target_forms) if _code(f.department)]
    codes = Counter(_code(f.department) for f in forms)
    if not codes:
        return
    common, n = codes.most_common(1)[0]
    for form in forms:
        dept = _code(form.department)
        unit = _code(getattr(form, "unit", None))
        where = Location.at(form.prov, table=_table(form), section=form.project, column="主管部门及代码", excerpt=form.department)
        if dept != common and n >= 3 and codes[dept] == 1 and len(dept) == len(common):
            ctx.report(
                f"“{form.project}”主管部门编码为{dept}，本部门其他{n}张绩效表为{common}", where, expected=common, actual=dept,
            )
        elif unit and len(unit) > len(dept) and not unit.startswith(dept) and (unit.startswith(common) or codes[dept] > 1):
            ctx.report(
                f"“{form.project}”预算单位编码{unit}不以主管部门编码{dept}开头", where, expected=f"{dept}…", actual=unit,
            )


# ------------------------------------------------------------------ evaluation reports
_SCORED_HEADING = lazy_compile(
    r"^\s*(?:[（(]?\s*[一二三四五六七八九十\d]{1,3}\s*[)）、.．]\s*)?([A-Z]\d{1,4})?\s*([^（(]{1,40}?)\s*[（(]\s*(?:满分|标准得分)\s*(\d+(?:\.\d+)?)\s*分\s*[,，]\s*(?:评价)?得分?\s*(\d+(?:\.\d+)?)\s*分\s*[)）]"
)


def _scored_headings(ctx: Context) -> list[tuple[int, str | None, str, Decimal, Decimal, str]]:
    """(line, indicator code, name, full marks, score, text) of "X（满分N分，得M分）" headings, in order."""
    out = []
    if ctx.doc.source_lines:
        numbered = enumerate(ctx.doc.source_lines, 1)
    else:
        numbered = ((s.prov.line or 0, (s.number or "") + "、" + s.title) for s in ctx.doc.walk_sections())
    for n, line in numbered:
        if "分" not in line or ("满分" not in line and "标准得分" not in line):
            continue
        m = _SCORED_HEADING.match(line.replace(" ", "") if " " in line else line)
        if m:
            full, got = Decimal(m.group(3)), Decimal(m.group(4))
            # the heading as a reviewer names it (whatever width its punctuation was printed in)
            named = f"{m.group(1) or ''}{m.group(2)}（{'满分' if m.group(1) else '标准得分'}{score(full)}分，得{score(got)}分）"
            out.append((n, m.group(1), m.group(2), full, got, named))
    return out


@rule(
    "F18", "forms", "warning",
    "评价报告中指标得分与其下级指标得分之和不符",
    "绩效评价报告逐项说明的指标得分（“B1组织管理（满分15分，得10分）”）应等于其下级指标得分之和，满分也应等于下级满分之和；得分不能超过满分。",
    "财预〔2020〕10号：绩效评价指标体系与评分",
)
def evaluation_scores(ctx: Context) -> None:
    """Each scored heading of an evaluation report equals the sum of the headings under it."""
    heads = _scored_headings(ctx)
    if len(heads) < 3:
        return
    for n, code, name, full, got, text in heads:
        if got > full:
            ctx.report(f"“{text}”得分超过满分", Location(line=n, section=name, excerpt=text), severity=Severity.ERROR, expected=f"≤ {score(full)}", actual=score(got))

    def children_of(i: int) -> list[int]:
        n, code, *_ = heads[i]
        kids = []
        for j in range(i + 1, len(heads)):
            c = heads[j][1]
            if code is None:  # a class heading (制定/实施 …): its 2-character codes up to the next class heading
                if c is None:
                    break
                if len(c) == 2:
                    kids.append(j)
            else:
                if c is None or not c.startswith(code) or len(c) <= len(code):
                    if c is None or len(c) <= len(code):
                        break
                    continue
                if len(c) == len(code) + 2:
                    kids.append(j)
        return kids

    for i, (n, code, name, full, got, text) in enumerate(heads):
        kids = children_of(i)
        if len(kids) < 2:
            continue
        kid_full = sum((heads[j][3] for j in kids), Decimal(0))
        kid_got = sum((heads[j][4] for j in kids), Decimal(0))
        where = Location(line=n, section=name, excerpt=text)
        related = [Location(line=heads[j][0], excerpt=heads[j][5]) for j in kids]
        if kid_full == full and kid_got != got:
            ctx.report(
                f"“{text}”：下级指标得分合计{score(kid_got)}分（{'＋'.join(score(heads[j][4]) for j in kids)}），与所写{score(got)}分不符",
                where, expected=score(kid_got), actual=score(got), related=related,
            )
        elif kid_full != full:
            ctx.report(
                f"“{text}”：下级指标满分合计{score(kid_full)}分，与所写满分{score(full)}分不符",
                where, expected=score(kid_full), actual=score(full), related=related,
            )


_COUNT_UNITS = ("%", "人", "个", "家", "次", "册", "本", "场", "户", "项", "件", "期", "份", "名", "条", "台", "辆", "天", "批")


@rule(
    "F19", "forms", "warning",
    "指标实际完成值与文字所述不一致",
    "绩效指标的实际完成值（数量、比率、满意度）应与本表“实际完成情况”和分析文字中所述的同一指标一致。",
    "项目支出绩效自评表填报说明",
)
def indicator_vs_text(ctx: Context) -> None:
    """An indicator's actual value equals the figure the form's own text states for the same measure."""
    for form in _scored_forms(ctx):
        texts = _texts(form)
        if not texts:
            continue
        for ind in form.indicators:
            name = ind.level3 or ""
            _, actual = _target_and_actual(ind)
            q = quantity(actual)
            if len(name) < 4 or q is None or q.unit not in _COUNT_UNITS or q.op in (">=", "<=", ">", "<"):
                continue
            pattern = re.compile(re.escape(name) + r"(?:为|达到|达|是|共|共计)?\s*(\d+(?:\.\d+)?)\s*" + re.escape(q.unit))
            for field in texts:
                if name not in field.text:
                    continue
                m = pattern.search(field.text)
                if m and Decimal(m.group(1)) != q.value:
                    ctx.report(
                        f"“{form.project}”指标“{name}”实际完成值{actual}，{field.label}中写作“{m.group(0)}”",
                        _text_loc(form, field, m.group(0)), expected=actual, actual=m.group(0),
                        related=[_indicator_loc(form, ind, "实际完成值")],
                    )
                    break
