"""Checks across reports (跨报告, rules R01–R19): a registry of its own.

These rules need several reports, so they run on the corpus store rather than on one
parsed document: at the end of `gongkai ingest` and on demand with `gongkai check --db`.
Each rule receives a pair of reports of one department (matched by name, see
gongkai/store/names.py) and reports findings that point into both documents.

Pairs:
- "consecutive": the same department, kind and scope in years Y-1 (earlier) and Y (later);
- "budget_final": the 预算 and the 决算 of one department, scope and year;
- "dept_unit": a 部门 report and one of its 单位 reports of the same year and kind;
- "dept_all_units": a 部门 report and all its 单位 reports (a list) when the department
  states how many units it covers and that many are in the store.

Rules read *measures* (named amounts read from role-based tables, see
gongkai/store/measures.py) and the narrative's claims, so any template that maps its
tables to the roles is checked without changes here.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from typing import Callable

from .engine import CATEGORIES, Rule, Severity, fmt, tolerance
from ..records import record

CROSS_REGISTRY: dict[str, Rule] = {}
PAIRINGS = ("consecutive", "budget_final", "dept_unit", "dept_all_units")
PAIR_LABELS = {"consecutive": "同一部门相邻两年的报告", "budget_final": "同一部门同年的预算与决算", "dept_unit": "部门报告及其单位报告",
               "dept_all_units": "部门报告及其全部单位报告"}
_PAIRING: dict[str, str] = {}


def cross_rule(id: str, severity: str, title: str, explanation: str, reference: str, pairing: str):
    if pairing not in PAIRINGS:
        raise ValueError(f"unknown pairing {pairing!r}")
    if not (id.startswith("R") and 1 <= int(id[1:]) <= 19):
        raise ValueError(f"cross-report rule ids are R01–R19, not {id}")

    def wrap(func):
        if id in CROSS_REGISTRY:
            raise ValueError(f"duplicate rule id {id}")
        CROSS_REGISTRY[id] = Rule(id, "cross_report", Severity(severity), title, explanation, reference, (PAIR_LABELS[pairing],), func)
        _PAIRING[id] = pairing
        return func

    return wrap


def pairing_of(rule_id: str) -> str:
    return _PAIRING[rule_id]


@record
class Side:
    """One report of a pair, as the store holds it."""

    doc_id: str
    report_id: str
    department: str | None
    region: str | None
    year: int | None
    kind: str | None
    scope: str | None
    unit_code: str | None
    source_name: str | None
    measures: dict[tuple[str, str], dict] = field(default_factory=dict)  # (measure, phase) → row
    claims: list[dict] = field(default_factory=list)
    fact: Callable[[str, str, str], dict | None] | None = None  # (table_role, row_key, column_id) → fact
    unit_count: int | None = None  # units the department says it has

    def describe(self) -> str:
        return f"{self.department or '?'}{self.year or ''}年{self.scope or ''}{self.kind or ''}（{self.source_name}）"


@record
class CrossFinding:
    rule: str
    severity: Severity
    message: str
    here: Side
    there: Side
    here_at: dict  # table_id, row, column, line, page
    there_at: dict
    expected: str | None
    actual: str | None
    difference: str | None
    match: str
    key: str  # what distinguishes this finding within the pair (measure, claim …)
    note: str | None = None


class CrossContext:
    def __init__(self, rule: Rule, match: str):
        self.rule = rule
        self.match = match
        self.findings: list[CrossFinding] = []

    def report(self, message: str, here: Side, here_at: dict, there: Side, there_at: dict, *, key: str,
               expected: Decimal | str | None = None, actual: Decimal | str | None = None, difference: Decimal | None = None,
               severity: Severity | str | None = None, note: str | None = None) -> None:
        self.findings.append(CrossFinding(
            self.rule.id, Severity(severity) if severity else self.rule.severity, message, here, there, here_at, there_at,
            fmt(expected) if isinstance(expected, Decimal) else expected, fmt(actual) if isinstance(actual, Decimal) else actual,
            fmt(difference) if difference is not None else None, self.match, key, note,
        ))

    def compare(self, what: str, here: Side, here_at: dict, there: Side, there_at: dict, expected: Decimal, actual: Decimal, *, key: str,
                parts: int = 1, severity: Severity | str | None = None) -> None:
        diff = actual - expected
        if diff == 0:
            return
        tol = tolerance(parts)
        if abs(diff) <= tol:
            self.report(f"{what}：相差{fmt(abs(diff))}万元，在尾数误差允许范围内", here, here_at, there, there_at, key=key,
                        expected=expected, actual=actual, difference=diff, severity=Severity.INFO, note="rounding")
            return
        self.report(f"{what}：应为{fmt(expected)}（{there.describe()}），实为{fmt(actual)}，相差{fmt(abs(diff))}万元", here, here_at, there, there_at,
                    key=key, expected=expected, actual=actual, difference=diff, severity=severity)


def at(row: dict | None) -> dict:
    if not row:
        return {}
    return {k: row.get(k) for k in ("table_id", "row", "column", "line", "page")}


def _dec(v) -> Decimal:
    return v if isinstance(v, Decimal) else Decimal(str(v))


def label(measure: str) -> str:
    from ..store.measures import label_of

    return label_of(measure)


ADDITIVE = ("income_total", "expenditure_total", "basic", "project", "gpb_expenditure", "personnel", "public", "three_public",
            "three_public:outbound", "three_public:vehicle", "three_public:vehicle_purchase", "three_public:vehicle_operation",
            "three_public:reception", "running_costs", "procurement", "vehicles")


# ============================================================================ consecutive years
@cross_rule(
    "R01", "error",
    "上年数与上年报告不一致",
    "本年报告所列上年数（上年预算数、上年决算数等列）应等于上一年度同一部门同类报告中的本年数。",
    "部门预决算公开口径一致性要求",
    "consecutive",
)
def prior_year_columns(ctx: CrossContext, later: Side, earlier: Side) -> None:
    """Each amount a report prints as 上年数 equals the amount the previous year's report printed."""
    for (measure, phase), row in sorted(later.measures.items()):
        if phase != "上年":
            continue
        prior = earlier.measures.get((measure, earlier.kind or ""))
        if prior is None:
            continue
        ctx.compare(f"{label(measure)}上年数与{earlier.year}年报告不一致", later, at(row), earlier, at(prior),
                    _dec(prior["value"]), _dec(row["value"]), key=f"{measure}")


@cross_rule(
    "R02", "error",
    "“比上年增减”与上年报告不一致",
    "情况说明“与上年相比增加/减少X万元”所隐含的上年数（本年数 ∓ X）应等于上一年度报告中的同一金额。",
    "部门预决算公开口径一致性要求",
    "consecutive",
)
def change_claims(ctx: CrossContext, later: Side, earlier: Side) -> None:
    """The prior-year amount implied by each "比上年增加/减少X万元" equals the previous year's report."""
    seen: set = set()
    for c in later.claims:
        if c.get("claim_kind") != "change" or c.get("implied_prior") is None or c.get("unit") != "万元":
            continue
        if (c.get("phrase"), c.get("line"), c.get("page"), c.get("implied_prior")) in seen:
            continue
        seen.add((c.get("phrase"), c.get("line"), c.get("page"), c.get("implied_prior")))
        implied = _dec(c["implied_prior"])
        tol = _stated_tolerance(c.get("raw") or "")
        here_at = {"table_id": c.get("table_id"), "row": c.get("row"), "column": None, "line": c.get("line"), "page": c.get("page"),
                   "section": c.get("section"), "excerpt": c.get("phrase")}
        if c.get("table_role") and earlier.fact is not None:
            fact = earlier.fact(c["table_role"], c["row"], c["column_id"])
            if fact is None:
                continue
            printed = _dec(fact["value"])
            there_at = {"table_id": fact.get("table_id"), "row": " ".join(x for x in (fact.get("code"), fact.get("item")) if x),
                        "column": fact.get("column"), "line": fact.get("line"), "page": fact.get("page")}
            name = there_at["row"] or ""
        else:
            # the sentence names no table cell: find the measure whose amount it states this year
            current = implied + _dec(c["value"]) * (c.get("direction") or 1)
            candidates = [m for (m, ph), row in sorted(later.measures.items(), key=lambda kv: _PRIORITY.get(kv[0][0], 99))
                          if ph == (later.kind or "") and abs(_dec(row["value"]) - current) <= tol and (m, earlier.kind or "") in earlier.measures]
            if not candidates:
                continue
            priors = [earlier.measures[(m, earlier.kind or "")] for m in candidates]
            if any(abs(_dec(p["value"]) - implied) <= tol for p in priors):
                continue
            printed, there_at, name = _dec(priors[0]["value"]), at(priors[0]), label(candidates[0])
        diff = implied - printed
        if abs(diff) <= tol:
            continue  # within the rounding of the stated figures
        ctx.report(
            f"“{c.get('phrase')}”隐含上年数{fmt(implied)}万元，但{earlier.describe()}中{name}为{fmt(printed)}万元，相差{fmt(abs(diff))}万元",
            later, here_at, earlier, there_at, key=f"{c.get('subject')}|{c.get('raw')}", expected=printed, actual=implied, difference=diff,
        )


# measures a stated total most likely means, first
_PRIORITY = {m: i for i, m in enumerate(("expenditure_total", "income_total", "expenditure_grand_total", "income_grand_total", "gpb_expenditure",
                                         "fiscal_income", "basic", "project", "three_public", "running_costs"))}


def _stated_tolerance(raw: str) -> Decimal:
    """Rounding of a change stated with its printed decimals, plus a cent for the current amount."""
    digits = raw.replace(",", "").replace("，", "")
    decimals = len(digits.split(".", 1)[1].rstrip("万亿元 ")) if "." in digits else 0
    return Decimal(5) / (Decimal(10) ** (decimals + 1)) + Decimal("0.01")


# ============================================================================ 决算 against 预算
_ANNUAL_BUDGET_NOTE = "决算表中的预算数可能为全年预算数（含年中调整），与年初预算不同时请核实调整依据"


@cross_rule(
    "R03", "warning",
    "决算所列预算数与当年预算报告不一致",
    "决算中的“三公”经费预算数、年初预算等列应与同一部门当年公开的部门预算一致；若决算所列为全年（调整后）预算，应能说明调整。",
    "财政部部门决算公开口径；部门预算公开",
    "budget_final",
)
def final_budget_columns(ctx: CrossContext, final: Side, budget: Side) -> None:
    """Every budget-phase amount of a 决算 (三公 预算数, 年初预算 columns) equals that year's 预算 report."""
    for (measure, phase), row in sorted(final.measures.items()):
        if phase != "预算":
            continue
        planned = budget.measures.get((measure, "预算"))
        if planned is None:
            continue
        exact = "年初" in (row.get("column") or "")
        ctx.compare(f"{final.year}年决算所列{label(measure)}预算数与当年预算报告不一致", final, at(row), budget, at(planned),
                    _dec(planned["value"]), _dec(row["value"]), key=measure, severity=Severity.ERROR if exact else None)


@cross_rule(
    "R04", "warning",
    "决算年初预算表述与当年预算报告不一致",
    "决算情况说明中“年初预算X万元”（一般公共预算财政拨款支出等）应与同一部门当年部门预算中的对应金额一致。",
    "财政部部门决算公开口径；部门预算公开",
    "budget_final",
)
def final_budget_claims(ctx: CrossContext, final: Side, budget: Side) -> None:
    """The 年初预算 totals a 决算's narrative states match that year's 预算 report."""
    planned = budget.measures.get(("gpb_expenditure", "预算")) or budget.measures.get(("expenditure_total", "预算"))
    if planned is None:
        return
    for c in final.claims:
        if c.get("claim_kind") != "budget" or c.get("unit") != "万元":
            continue
        subject = c.get("subject") or ""
        if "一般公共预算" not in subject and "财政拨款支出" not in subject:
            continue
        if any(ch in subject for ch in "类款项") and "支出年初预算" not in subject:
            continue
        here_at = {"table_id": None, "row": None, "column": None, "line": c.get("line"), "page": c.get("page"), "section": c.get("section"), "excerpt": c.get("phrase")}
        stated, value = _dec(c["value"]), _dec(planned["value"])
        if abs(stated - value) > Decimal("0.01"):
            ctx.report(f"决算情况说明“{c.get('phrase')}”与{budget.describe()}的{label(planned['measure'])}{fmt(value)}万元不一致", final, here_at, budget, at(planned),
                       key=f"claim|{c.get('raw')}", expected=value, actual=stated, difference=stated - value, note=_ANNUAL_BUDGET_NOTE)


# ============================================================================ 部门 against 单位
@cross_rule(
    "R05", "error",
    "单位报告金额大于所属部门报告",
    "部门报告汇总其所属各单位：任一单位的收入、支出、“三公”经费等金额不应大于部门报告中的同一金额。",
    "部门预决算公开口径（部门汇总各单位）",
    "dept_unit",
)
def unit_within_department(ctx: CrossContext, dept: Side, unit: Side) -> None:
    """Each additive amount of a 单位 report is at most the same amount of its 部门 report."""
    for (measure, phase), row in sorted(unit.measures.items()):
        if measure not in ADDITIVE and not measure.startswith("function:"):
            continue
        whole = dept.measures.get((measure, phase))
        if whole is None:
            continue
        part, total = _dec(row["value"]), _dec(whole["value"])
        if part > total + tolerance(1):
            ctx.report(f"{unit.describe()}的{label(measure)}（{phase}）{fmt(part)}万元大于部门报告的{fmt(total)}万元", dept, at(whole), unit, at(row),
                       key=f"{measure}|{phase}", expected=f"≥ {fmt(part)}", actual=total, difference=total - part)


@cross_rule(
    "R06", "error",
    "单一单位部门的部门报告与单位报告不一致",
    "部门只有一个单位（情况说明所述纳入编制范围的单位数为1）时，部门报告与该单位报告的各项金额应相等。",
    "部门预决算公开口径（部门汇总各单位）",
    "dept_unit",
)
def one_unit_department(ctx: CrossContext, dept: Side, unit: Side) -> None:
    """A department with one unit prints the same amounts as that unit."""
    if dept.unit_count != 1:
        return
    for (measure, phase), whole in sorted(dept.measures.items()):
        row = unit.measures.get((measure, phase))
        if row is None:
            continue
        ctx.compare(f"单一单位部门：{label(measure)}（{phase}）部门报告与单位报告不一致", dept, at(whole), unit, at(row),
                    _dec(row["value"]), _dec(whole["value"]), key=f"{measure}|{phase}")


@cross_rule(
    "R07", "error",
    "部门报告不等于所属单位报告之和",
    "情况说明所述纳入编制范围的单位全部公开（单位报告数等于所述单位数）时，部门报告的收入、支出、“三公”经费等金额应等于各单位报告之和。",
    "部门预决算公开口径（部门汇总各单位）",
    "dept_all_units",
)
def department_is_sum_of_units(ctx: CrossContext, dept: Side, units: list[Side]) -> None:
    """A department whose units are all in the store prints, for each additive amount, their sum."""
    if not units or dept.unit_count != len(units) or len(units) < 2:
        return
    for (measure, phase), whole in sorted(dept.measures.items()):
        if measure not in ADDITIVE and not measure.startswith("function:"):
            continue
        parts = [u.measures.get((measure, phase)) for u in units]
        present = [p for p in parts if p is not None]
        if not present:
            continue
        if len(present) != len(units):
            # a unit without the amount prints nothing there (zero); the others add up
            pass
        total = sum((_dec(p["value"]) for p in present), Decimal(0))
        first = next(u for u, p in zip(units, parts) if p is not None)
        ctx.compare(f"{label(measure)}（{phase}）部门报告应等于{len(units)}个单位报告之和", dept, at(whole), first, at(present[0]),
                    total, _dec(whole["value"]), key=f"{measure}|{phase}", parts=len(present))


def cross_rules() -> list[Rule]:
    return list(CROSS_REGISTRY.values())


assert "cross_report" in CATEGORIES
