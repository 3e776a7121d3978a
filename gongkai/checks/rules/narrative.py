"""The narrative's numbers: amounts vs tables, shares, changes, completion rates, counts."""

from __future__ import annotations

import re
from decimal import Decimal

from ...extract.numbers import half_unit
from ...extract.textnorm import key
from ..claims import Claim, ClaimList, narrative_claims
from ..engine import Context, Location, Severity, fmt, rule
from ..narrative_map import counterpart_budget, resolve_amount, resolve_count
from ...patterns import lazy_compile

_OTHER_YEAR = lazy_compile(r"((?:19|20)\d{2})\s*年")
_TOTALISH = lazy_compile(r"总计|合计|总额|支出$|收入$")


def _claims(ctx: Context) -> ClaimList:
    if "claims" not in ctx.shared:
        ctx.shared["claims"] = narrative_claims(ctx.doc)
    return ctx.shared["claims"]


def _where(claim: Claim) -> Location:
    return Location.at(claim.prov, section=claim.section.title or None, excerpt=claim.phrase.strip()[:80])


def _same_sentence(claims: ClaimList, claim: Claim) -> list[Claim]:
    return claims.sentence_of(claim)


def _about_other_year(ctx: Context, claim: Claim) -> bool:
    if "上年" in claim.phrase or "去年" in claim.phrase or "上一年" in claim.phrase:
        return True
    year = ctx.doc.meta.year
    for m in _OTHER_YEAR.finditer(claim.phrase):
        if year and int(m.group(1)) != year:
            return True
    return False


_GENERIC = lazy_compile(r"^(?:当年|本年)?(?:预算数|预算安排|预算|决算数|支出决算|决算|年初预算|全年预算)?数?为?$")


def _entity(claims: list[Claim], claim: Claim) -> str:
    if claim.item and _GENERIC.match(key(claim.subject)):
        return claim.item  # "2025年预算数为X万元" in a paragraph about one 科目
    if claim.subject:
        return claim.subject
    for c in _same_sentence(claims, claim):
        if c.subject and c.kind in ("amount", "budget", "actual") and c.index < claim.index:
            return c.subject
    return ""


def _within(stated: Decimal, decimals: int, actual: Decimal) -> str:
    """"ok", "rounding" or "differs" for a stated figure against a computed/printed one."""
    diff = abs(stated - actual)
    half_ulp = half_unit(decimals)
    if diff <= half_ulp:
        return "ok"
    if diff <= max(half_ulp * 2, Decimal("0.01")):
        return "rounding"
    return "differs"


def _pct_range(num: Decimal, base: Decimal, num_dec: int = 2, base_dec: int = 2) -> tuple[Decimal, Decimal] | None:
    """The percentage num/base can round to, given both were printed rounded."""
    if base == 0:
        return None
    eh, eb = half_unit(num_dec), half_unit(base_dec)
    lo_num, hi_num = num - eh, num + eh
    lo_base, hi_base = base - eb, base + eb
    if lo_base <= 0:
        return None
    values = [a / b * 100 for a in (max(lo_num, Decimal(0)), hi_num) for b in (lo_base, hi_base)]
    return min(values), max(values)


def _pct_verdict(stated: Decimal, decimals: int, rng: tuple[Decimal, Decimal]) -> str:
    half = half_unit(decimals)
    lo, hi = rng
    if lo - half <= stated <= hi + half:
        return "ok"
    ulp = Decimal(1) / (Decimal(10) ** decimals)
    if lo - half - ulp <= stated <= hi + half + ulp:
        return "rounding"
    return "differs"


@rule(
    "N01", "narrative", "error",
    "情况说明中的金额与报表不一致",
    "情况说明引用的每个金额都必须等于它所说的报表数据（按所在部分对应的表读取）。",
    "财政部部门决算公开通知：情况说明与报表数据一致",
)
def amounts(ctx: Context) -> None:
    """Every amount the narrative quotes equals the table cell it names."""
    claims = _claims(ctx)
    for c in claims:
        if c.kind not in ("amount", "actual", "budget") or _about_other_year(ctx, c):
            continue
        topic = c.topic
        if c.kind == "budget" and topic != "three_public" and ctx.doc.meta.kind != "预算":
            continue  # 年初预算 figures are not in the 决算 tables
        target = resolve_amount(ctx.doc, topic, c.kind, _entity(claims, c))
        if target is None:
            if topic == "gpb" and re.search(r"[（(]类[)）]", c.phrase):
                ctx.report(
                    f"情况说明“{c.phrase.strip()}”中的“{c.subject}”不是表中的类级科目名称", _where(c),
                    severity=Severity.WARNING, actual=c.subject,
                )
            continue
        if not target.printed and any(r.row.is_total for r in target.refs):
            continue  # a blank total row is reported by the table rules, not here
        verdict = _within(c.value, c.decimals, target.value)
        if verdict != "ok" and any(_within(c.value, c.decimals, alt.value) == "ok" for alt in target.alternatives if alt.printed):
            continue  # the same 科目 in another of the budget's tables
        if verdict == "ok":
            continue
        related = [ctx.cell_loc(r.table, r.row, r.column) for r in target.refs]
        cell = "、".join(
            f"{r.table.id}“{r.row.label}”{r.table.column(r.column).label}" if r.row.label else f"{r.table.id}{r.table.column(r.column).label}"
            for r in target.refs
        )
        # a quoted cell is the same figure printed twice: only a sum of cells keeps the rounding allowance
        summed = len(target.refs) > 1
        severity = (Severity.INFO if summed else Severity.WARNING) if verdict == "rounding" else None
        tail = ("（尾数差异）" if summed else "（同一数字应完全一致）") if verdict == "rounding" else ""
        ctx.report(
            f"情况说明“{c.phrase.strip()}”中的{fmt(c.value)}万元与{cell}的{fmt(target.value)}不一致{tail}",
            _where(c), severity=severity, expected=target.value, actual=c.value, difference=c.value - target.value, related=related,
        )


def _numerator(claims: list[Claim], claim: Claim) -> Claim | None:
    before = [c for c in _same_sentence(claims, claim) if c.index < claim.index and c.kind in ("amount", "actual", "budget")]
    return before[-1] if before else None


def _section_claims(claims: list[Claim], claim: Claim) -> list[Claim]:
    return [c for c in claims if c.section is claim.section]


def _resolve_named_base(ctx: Context, claims: list[Claim], claim: Claim) -> list[Decimal]:
    name = key(claim.base_name or "")
    values = []
    for c in claims:
        if c.kind in ("amount", "actual") and key(c.subject) == name:
            values.append(c.value)
    for topic in ("summary", "expenditure", "income", "procurement", "gpb", "basic", "fiscal"):
        target = resolve_amount(ctx.doc, topic, "amount", claim.base_name or "")
        if target is not None and target.printed:
            values.append(target.value)
    return values


@rule(
    "N02", "narrative", "error",
    "情况说明中的占比计算错误",
    "“占比Y%”应等于该金额除以其基数（本部分的总额，或句中写明的基数），允许尾数误差。",
    "情况说明数据口径",
)
def shares(ctx: Context) -> None:
    """Every 占比 equals its amount divided by its base (the section's lead total or the named base)."""
    claims = _claims(ctx)
    for c in claims:
        if c.kind != "share":
            continue
        num = _numerator(claims, c)
        if num is None:
            continue
        if c.base_name:
            bases = _resolve_named_base(ctx, claims, c)
        else:
            section = [x for x in _section_claims(claims, c) if x.kind in ("amount", "actual") and x is not num]
            lead = section[0] if section else None
            bases = [lead.value] if lead is not None and lead.index < num.index or (lead is not None and lead.paragraph is not num.paragraph) else []
            bases += [x.value for x in section if _TOTALISH.search(key(x.subject)) and x.value not in bases]
        bases = [b for b in bases if b and b >= num.value]
        if not bases:
            continue
        verdicts = []
        for b in bases:
            rng = _pct_range(num.value, b, num.decimals, 2)
            if rng is None:
                continue
            verdicts.append((_pct_verdict(c.value, c.decimals, rng), b, rng))
        if not verdicts or any(v == "ok" for v, _, _ in verdicts):
            continue
        verdict, base, rng = verdicts[0]
        computed = (num.value / base * 100).quantize(Decimal(1) / (Decimal(10) ** max(c.decimals, 2)))
        severity = Severity.WARNING if verdict == "rounding" else None  # outside the interval its inputs allow
        ctx.report(
            f"“{c.phrase.strip()}”：{fmt(num.value)} ÷ {fmt(base)} = {computed}%，与所述{fmt(c.value)}%不符",
            _where(c), severity=severity, expected=f"{computed}%", actual=f"{c.value}%",
        )


def _current_for_change(claims: list[Claim], change: Claim) -> Decimal | None:
    same = _same_sentence(claims, change)
    if change.subject:
        k = key(change.subject)
        for c in reversed([x for x in claims if x.section is change.section and x.kind in ("amount", "actual") and key(x.subject) == k and (x.paragraph is not change.paragraph or x.index < change.index)]):
            return c.value
    before = [c for c in same if c.index < change.index and c.kind in ("amount", "actual")]
    if before:
        if any("其中" in c.phrase for c in same) or "其中" in change.paragraph.text[: change.start]:
            return before[0].value
        return before[-1].value
    para = [c for c in claims if c.paragraph is change.paragraph and c.index < change.index and c.kind in ("amount", "actual")]
    if para:
        return para[-1].value
    return None


@rule(
    "N03", "narrative", "error",
    "增减额与增减幅度不一致",
    "“增加X万元，增长Y%”中 Y 应等于 X ÷（本年数 − X）；“减少X万元，下降Y%”中 Y 应等于 X ÷（本年数 + X）；上年为零时不能写增长率。",
    "情况说明数据口径",
)
def changes(ctx: Context) -> None:
    """Each "增加/减少 X万元，增长/下降 Y%" is internally consistent with the current amount."""
    claims = _claims(ctx)
    for i, c in enumerate(claims):
        if c.kind != "change":
            continue
        pct = next((x for x in claims[i + 1 : i + 3] if x.kind == "change_pct" and x.paragraph is c.paragraph and x.sentence == c.sentence), None)
        if pct is None:
            continue
        if pct.direction != c.direction:
            ctx.report(f"“{c.phrase.strip()}，{pct.phrase.strip()}”：增减方向前后矛盾", _where(c))
            continue
        current = _current_for_change(claims, c)
        if current is None:
            continue
        prior = current - c.value if c.direction > 0 else current + c.value
        if prior <= 0:
            if pct.value != 0:
                ctx.report(
                    f"“{c.phrase.strip()}，{pct.phrase.strip()}”：上年数为{fmt(prior)}，不能计算增长率", _where(c),
                    expected="不应有增长率", actual=f"{pct.value}%",
                )
            continue
        rng = _pct_range(c.value, prior, c.decimals, 2)
        if rng is None:
            continue
        verdict = _pct_verdict(pct.value, pct.decimals, rng)
        if verdict == "ok":
            continue
        computed = (c.value / prior * 100).quantize(Decimal("0.01"))
        ctx.report(
            f"“{c.phrase.strip()}，{pct.phrase.strip()}”：本年{fmt(current)}、上年{fmt(prior)}，变动率应为{computed}%",
            _where(pct), severity=Severity.WARNING if verdict == "rounding" else None, expected=f"{computed}%", actual=f"{pct.value}%",
        )


@rule(
    "N04", "narrative", "error",
    "完成预算的百分比计算错误",
    "“完成年初预算的Z%”应等于决算数 ÷ 年初预算数；年初预算为零时不能写完成比例。",
    "情况说明数据口径",
)
def completion(ctx: Context) -> None:
    """Each "完成(年初|全年)预算的Z%" equals actual ÷ budget and is not stated over a zero budget."""
    claims = _claims(ctx)
    for c in claims:
        if c.kind != "completion":
            continue
        same = [x for x in _same_sentence(claims, c) if x.index < c.index]
        budgets = [x for x in same if x.kind == "budget"]
        # "完成年初预算" is measured against 年初预算, "完成全年预算" against 全年预算 (调整预算)
        wanted = "年初预算" if "年初预算" in c.subject else ("全年预算" if "全年预算" in c.subject else None)
        if wanted and budgets:
            budgets = [x for x in budgets if wanted in x.phrase] or [x for x in budgets if not re.search(r"年初预算|全年预算|调整预算", x.phrase)]
        actuals = [x for x in same if x.kind in ("actual", "amount")]
        actual = actuals[-1].value if actuals else None
        budget = budgets[-1].value if budgets else None
        if budget is None and actuals and c.topic == "three_public":
            target = resolve_amount(ctx.doc, "three_public", "actual", _entity(claims, actuals[-1]))
            counterpart = counterpart_budget(ctx.doc, target) if target else None
            if counterpart is not None:
                budget = counterpart.value
        if budget is None or actual is None:
            if budget is None and re.search(r"年初预算\s*0(?:\.0+)?\s*万元", c.paragraph.text[: c.start]):
                budget = Decimal(0)
            else:
                continue
        if budget == 0:
            if actual is not None and c.value != 0:
                ctx.report(f"“{c.phrase.strip()}”：年初（全年）预算为0，不能计算完成预算的比例", _where(c), expected="不应有完成比例", actual=f"{c.value}%")
            continue
        rng = _pct_range(actual, budget, actuals[-1].decimals if actuals else 2, budgets[-1].decimals if budgets else 2)
        if rng is None:
            continue
        verdict = _pct_verdict(c.value, c.decimals, rng)
        if verdict == "ok":
            continue
        computed = (actual / budget * 100).quantize(Decimal("0.01"))
        ctx.report(
            f"“{c.phrase.strip()}”：{fmt(actual)} ÷ {fmt(budget)} = {computed}%", _where(c),
            severity=Severity.WARNING if verdict == "rounding" else None, expected=f"{computed}%", actual=f"{c.value}%",
        )


@rule(
    "N05", "narrative", "warning",
    "情况说明中的车辆、设备数量与报表不一致",
    "国有资产占用情况、“三公”经费说明中的车辆数和单价100万元以上设备数应与相关信息统计表一致。",
    "domain.md §6：国有资产 vs 表10",
    requires=("related_info",),
)
def counts(ctx: Context) -> None:
    """Vehicle and ≥100万元 equipment counts in the narrative equal table 10."""
    claims = _claims(ctx)
    for c in claims:
        if c.kind != "count" or c.unit not in ("辆", "台（套）", "台(套)", "台"):
            continue
        topic = c.topic
        if topic not in ("assets", "three_public"):
            continue
        if topic == "three_public" and "保有量" not in c.subject:
            continue  # 三公 speaks of vehicles only as the 公务用车保有量
        target = resolve_count(ctx.doc, c.subject, c.unit)
        if target is None:
            continue
        if c.value == target.value:
            continue
        r = target.refs[0]
        ctx.report(
            f"情况说明“{c.phrase.strip()}”与{r.table.id}“{r.row.label}”的{fmt(target.value)}不一致", _where(c),
            expected=str(int(target.value)) if target.value == target.value.to_integral() else fmt(target.value), actual=str(c.value),
            related=[ctx.cell_loc(r.table, r.row, r.column)],
        )


@rule(
    "N06", "narrative", "warning",
    "绩效自评（目标）项目个数、金额与附表不一致",
    "情况说明所述开展绩效自评的项目个数、涉及金额及各等级个数，应与所附项目支出绩效自评表一致；预算报告中公开的项目绩效目标个数应与所附目标表一致。",
    "domain.md §6–7：绩效自评项目数 vs 附表",
)
def performance_counts(ctx: Context) -> None:
    """The number (and amount, and grades) of self-evaluated projects matches the forms attached."""
    claims = [c for c in _claims(ctx) if c.topic == "performance"]
    budget = ctx.doc.meta.kind == "预算"
    forms = ctx.doc.target_forms if budget else ctx.doc.performance_forms
    if not forms:
        return
    what = "项目支出绩效目标表" if budget else "项目支出绩效自评表"
    marker = "绩效目标" if budget else "自评"
    for c in claims:
        sentence_text = c.sentence_text
        if marker not in sentence_text or re.search(r"部门评价|重点评价|重点绩效评价|财政评价", sentence_text):
            continue
        if budget and "公开" not in c.paragraph.text:
            continue  # targets prepared (编报) for N projects; the report may publish only some of them
        if c.kind == "count" and c.unit == "个":
            grade = re.match(r"^个?项目?自评等级为[“\"]?(优|良|中|差)", c.paragraph.text[c.end:]) if not budget else None
            if grade:
                if all(f.grade for f in forms) and all(f.readable for f in forms):
                    n = sum(1 for f in forms if f.grade == grade.group(1))
                    if n != int(c.value):
                        ctx.report(f"情况说明称{int(c.value)}个项目自评等级为“{grade.group(1)}”，附表中为{n}个", _where(c), expected=str(n), actual=str(int(c.value)))
                continue
            if re.search(r"自评个数|项目绩效目标$|项目$", c.subject) and not re.search(r"其中|运转类|特定目标", c.subject):
                if int(c.value) != len(forms):
                    ctx.report(f"情况说明称“{c.phrase.strip()}”，但附件中有{len(forms)}张{what}", _where(c), expected=str(len(forms)), actual=str(int(c.value)))
        elif not budget and c.kind == "amount" and re.search(r"资金$", c.subject) and not re.search(r"其中|一般公共预算|政府性基金|国有资|社会保险", c.phrase):
            lines = [f.total_funds for f in forms]
            if any(line is None for line in lines):
                continue
            sums = []
            for attr in ("annual_budget", "initial_budget", "initial_target", "executed"):
                values = [getattr(line, attr) for line in lines]
                if all(v is not None for v in values):
                    sums.append(sum((v.value for v in values), Decimal(0)))
            if sums and all(_within(c.value, c.decimals, total) == "differs" for total in sums):
                ctx.report(
                    f"情况说明称绩效自评涉及资金{fmt(c.value)}万元，附表全年预算数合计为{fmt(sums[0])}万元", _where(c), expected=sums[0], actual=c.value,
                )


_TABLE_KINDS = ("amount", "budget", "actual", "count")
_ASSET_UNITS = ("辆", "台（套）", "台(套)", "台")  # other counts (10个内设机构) are no table's


@rule(
    "N07", "narrative", "info",
    "情况说明中的数字无法对应到表",
    "情况说明中的金额或数量，其所在标题和语句都没有说明它属于哪张表（收入、支出、财政拨款、“三公”经费……），"
    "因此无法与报表核对。列出这些数字，以便人工复核；它们不会被静默跳过。",
    "情况说明与报表数据一致",
)
def unplaced(ctx: Context) -> None:
    """Every amount or count whose topic (which tables it speaks of) cannot be settled."""
    for c in _claims(ctx):
        if c.topic is not None or c.kind not in _TABLE_KINDS or (c.kind == "count" and c.unit not in _ASSET_UNITS):
            continue
        ctx.report(f"情况说明“{c.phrase.strip()[:60]}”中的{c.raw}无法确定对应哪张表（所在标题和语句未指明），未与报表核对", _where(c))


_REASON = lazy_compile(r"原因|由于|因为|主要是|主要系|系因|所致|导致|因素|受.{1,12}影响")


@rule(
    "N08", "narrative", "warning",
    "增减变化没有说明原因",
    "情况说明写明某项收支比上年增加或减少时，应同时说明增减变化的主要原因（同一部分内）。",
    "财政部部门预算、决算公开通知：对增减变化情况作出说明",
)
def change_reasons(ctx: Context) -> None:
    """A section that states an increase or decrease over the previous year also says why."""
    claims = _claims(ctx)
    done: set[int] = set()
    for c in claims:
        if c.kind not in ("change", "change_pct") or c.value == 0 or id(c.section) in done:
            continue
        done.add(id(c.section))
        text = "".join(p.text for s in c.section.walk() for p in s.paragraphs)
        if _REASON.search(text):
            continue
        ctx.report(f"“{c.sentence_text.strip()[:80]}”说明了增减变化，但本部分没有说明增减原因", _where(c))


_TARGET_FUNDS = lazy_compile(r"(?:项目)?(?:预算)?(?:资金|金额)$")
_VEHICLE_PURCHASE = lazy_compile(r"(?:预算)?安排购置(?:公务)?车辆$|^购置(?:公务)?车辆$")


@rule(
    "N09", "narrative", "warning",
    "预算说明中的绩效目标覆盖、车辆购置与预算表不符",
    "预算报告中：编报（公开）绩效目标的项目涉及资金不能超过支出预算表的项目支出合计；"
    "说明预算安排购置车辆0辆时，“三公”经费预算中不应安排公务用车购置费，反之亦然。",
    "财政部部门预算公开通知：绩效目标、国有资产占用情况说明与预算表一致",
)
def budget_coverage(ctx: Context) -> None:
    """On a budget: 绩效目标 funds ≤ the 项目支出 budget; vehicles planned vs 公务用车购置费."""
    if ctx.doc.meta.kind != "预算":
        return
    claims = _claims(ctx)
    project = resolve_amount(ctx.doc, "expenditure", "amount", "项目支出")
    for c in claims:
        if c.topic == "performance" and c.kind == "amount" and "绩效目标" in c.sentence_text and _TARGET_FUNDS.search(key(c.subject)):
            if project is None or not project.printed or re.search(r"其中|运转类|特定目标", c.phrase) or "整体" in c.sentence_text:
                continue
            if c.value > project.value and _within(c.value, c.decimals, project.value) == "differs":
                r = project.refs[0]
                ctx.report(
                    f"“{c.phrase.strip()}”：绩效目标涉及的项目资金{fmt(c.value)}万元，超过{r.table.id}项目支出合计{fmt(project.value)}万元",
                    _where(c), expected=project.value, actual=c.value, related=[ctx.cell_loc(r.table, r.row, r.column)],
                )
        elif c.kind == "count" and c.unit == "辆" and _VEHICLE_PURCHASE.search(key(c.subject)) and not _about_other_year(ctx, c):
            purchase = resolve_amount(ctx.doc, "three_public", "budget", "公务用车购置费")
            if purchase is None:
                continue
            r = purchase.refs[0]
            if c.value == 0 and purchase.value > 0:
                ctx.report(
                    f"情况说明称“{c.phrase.strip()}”，但{r.table.id}安排公务用车购置费{fmt(purchase.value)}万元", _where(c),
                    expected="购置车辆", actual=str(c.value), related=[ctx.cell_loc(r.table, r.row, r.column)],
                )
            elif c.value > 0 and purchase.value == 0:
                ctx.report(
                    f"情况说明称“{c.phrase.strip()}”，但{r.table.id}没有安排公务用车购置费（可能由其他资金安排，请核实）", _where(c),
                    severity=Severity.INFO, expected="0辆或安排购置费", actual=str(c.value), related=[ctx.cell_loc(r.table, r.row, r.column)],
                )
