"""Which table cell a narrative phrase speaks about.

The narrative's sections follow the tables (一 总体 → 收支总表, 二 收入 → 收入决算表 …),
so a phrase is read in the topic of its section. Targets are given by table ROLE,
so the same map serves every template that has tables of those roles.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from decimal import Decimal

from .. import catalog
from ..extract.textnorm import key
from ..model.document import Document
from ..model.table import Row, Table
from .cells import Ref, Term, find_row, resolve_terms
from ..patterns import lazy_compile
from ..records import record

TOPICS: list[tuple[str, tuple[str, ...]]] = [
    ("three_public", ("三公",)),
    ("running", ("机关运行经费",)),
    ("procurement", ("政府采购",)),
    ("assets", ("国有资产", "资产占用", "资产占有")),
    ("performance", ("绩效",)),
    ("basic", ("基本支出",)),
    ("gf", ("政府性基金",)),
    ("soe", ("国有资本经营",)),
    ("gpb", ("一般公共预算",)),
    ("fiscal", ("财政拨款收支", "财政拨款收入支出")),
    ("summary", ("收入支出决算总体", "收支决算总体", "收支预算总体", "收支数据变动", "收入支出预算总体", "收支总体", "收入支出总体")),
    ("income", ("收入决算", "收入预算")),
    ("expenditure", ("支出决算", "支出预算")),
    ("overview", ("预算编制说明", "编制说明", "预算情况说明", "决算情况说明")),
]

# A claim in a section whose title names no topic (预算编制说明, a bare 情况说明) is read
# in the topic its own words name: "财政拨款收入9,101.68万元", "“三公”经费预算数为…".
PHRASE_TOPICS: list[tuple[str, tuple[str, ...]]] = [
    ("three_public", ("三公", "因公出国", "公务接待", "公务用车")),
    ("running", ("机关运行经费",)),
    ("procurement", ("政府采购",)),
    ("performance", ("绩效",)),
    ("assets", ("车辆", "设备", "资产")),
    ("gf", ("政府性基金",)),
    ("soe", ("国有资本经营",)),
    ("gpb", ("一般公共预算",)),
    ("fiscal", ("财政拨款",)),
    ("basic", ("人员经费", "公用经费", "基本支出")),
    ("income", ("收入",)),
    ("expenditure", ("支出", "科目")),
]


@lru_cache(maxsize=4096)
def topic_of(path: tuple[str, ...]) -> str | None:
    for title in reversed(path):
        k = key(title)
        for topic, words in TOPICS:
            if any(w in k for w in words):
                return topic
    return None


@lru_cache(maxsize=4096)
def phrase_topic(phrase: str) -> str | None:
    k = key(phrase)
    for topic, words in PHRASE_TOPICS:
        if any(w in k for w in words):
            return topic
    return None


@record
class Target:
    refs: list[Ref]
    name: str
    others: Callable[[], list["Target"]] | None = None  # other cells the phrase may name, found on demand

    @property
    def alternatives(self) -> list["Target"]:
        return self.others() if self.others is not None else []

    @property
    def value(self) -> Decimal:
        return sum((r.amount for r in self.refs), Decimal(0))

    @property
    def printed(self) -> bool:
        return any(r.printed for r in self.refs)


def _target(doc: Document, name: str, *terms: Term, require_all: bool = False) -> Target | None:
    refs = resolve_terms(doc, terms, require_all)
    return Target(refs, name) if refs else None


# (topic, subject pattern on the key, terms summed[, False when the terms are alternatives
# of which a report prints some: 机关运行经费 of 行政单位 and/or 参公事业单位])
_PLAIN: list[tuple] = [
    # 决算
    ("summary", r"^(?:收入|收入支出)总计$", [("summary", "grand_total", "income", "收入")]),
    ("summary", r"^支出总计$", [("summary", "grand_total", "expenditure", "支出")]),
    ("summary", r"^(?:本年)?收入合计$", [("summary", "income_total", "income", "收入")]),
    ("summary", r"^(?:本年)?支出合计$", [("summary", "expenditure_total", "expenditure", "支出")]),
    ("income", r"^(?:本年)?收入合计$", [("summary", "income_total", "income", "收入")]),
    ("income", r"^财政拨款收入$", [("income_by_function", "total", "fiscal", None)]),
    ("income", r"^上级补助收入$", [("income_by_function", "total", "superior_subsidy", None)]),
    ("income", r"^事业收入$", [("income_by_function", "total", "business", None)]),
    ("income", r"^经营收入$", [("income_by_function", "total", "operating", None)]),
    ("income", r"^附属单位上缴收入$", [("income_by_function", "total", "affiliated", None)]),
    ("income", r"^其他收入$", [("income_by_function", "total", "other", None)]),
    ("expenditure", r"^(?:本年)?支出合计$", [("summary", "expenditure_total", "expenditure", "支出")]),
    ("expenditure", r"^基本支出$", [("expenditure_by_function", "total", "basic", None)]),
    ("expenditure", r"^项目支出$", [("expenditure_by_function", "total", "project", None)]),
    ("expenditure", r"^上缴上级支出$", [("expenditure_by_function", "total", "remit_superior", None)]),
    ("expenditure", r"^经营支出$", [("expenditure_by_function", "total", "operating", None)]),
    ("expenditure", r"^对附属单位补助支出$", [("expenditure_by_function", "total", "subsidy_affiliated", None)]),
    ("fiscal", r"^财政拨款收入(?:支出)?总计$|^财政拨款收支总计$", [("fiscal_summary", "grand_total", "income", "收入")]),
    ("fiscal", r"^(?:财政拨款)?支出总计$", [("fiscal_summary", "grand_total", "total", "支出")]),
    ("gpb", r"^一般公共预算财政拨款(?:决算)?支出(?:决算)?$", [("gpb_expenditure", "total", "total", None)]),
    ("basic", r"^(?:一般公共预算)?(?:财政拨款)?基本支出$", [("gpb_expenditure", "total", "basic", None)]),
    ("basic", r"^人员经费$", [("gpb_basic_by_economic", "personnel_total", "personnel", None)]),
    ("basic", r"^公用经费$", [("gpb_basic_by_economic", "public_total", "public", None)]),
    ("running", r"^机关运行经费(?:支出)?$", [("related_info", "running_admin", "value", None), ("related_info", "running_civil_servant", "value", None)], False),
    ("procurement", r"^政府采购(?:支出|合同)?(?:金额)?(?:总额)?$", [("related_info", "procurement_total", "value", None)]),
    ("procurement", r"^(?:政府采购)?货物(?:采购)?(?:支出|金额)?$", [("related_info", "procurement_goods", "value", None)]),
    ("procurement", r"^(?:政府采购)?工程(?:采购)?(?:支出|金额)?$", [("related_info", "procurement_works", "value", None)]),
    ("procurement", r"^(?:政府采购)?服务(?:采购)?(?:支出|金额)?$", [("related_info", "procurement_services", "value", None)]),
    # 预算
    ("summary", r"^(?:预算)?收入总计$", [("budget_summary", "grand_total", "income", "收入")]),
    ("summary", r"^本年收入$", [("budget_summary", "income_total", "income", "收入")]),
    ("summary", r"^(?:预算)?支出总计$", [("budget_summary", "grand_total", "total", "支出")]),
    ("summary", r"^本年预算安排$", [("budget_summary", "expenditure_total", "current", "支出")]),
    ("income", r"^预算收入(?:总计)?$", [("budget_summary", "grand_total", "income", "收入")]),
    ("income", r"^一般公共预算(?:拨款)?收入$", [("budget_summary", "gpb", "income", "收入")]),
    ("income", r"^政府性基金预算(?:拨款)?收入$", [("budget_summary", "gf", "income", "收入")]),
    ("income", r"^国有资本经营预算(?:拨款)?收入$", [("budget_summary", "soe", "income", "收入")]),
    ("income", r"^财政专户管理资金(?:收入)?$", [("budget_summary", "special_account", "income", "收入")]),
    ("income", r"^单位资金(?:收入)?$", [("budget_summary", "unit_funds", "income", "收入")]),
    ("income", r"^上年结转(?:收入)?$", [("budget_summary", "carryover", "income", "收入")]),
    ("expenditure", r"^(?:预算)?支出(?:预算)?$", [("budget_expenditure", "total", "total", None)]),
    ("expenditure", r"^基本支出$", [("budget_expenditure", "total", "basic", None)]),
    ("expenditure", r"^项目支出$", [("budget_expenditure", "total", "project", None)]),
    ("fiscal", r"^财政拨款收支总预算$|^财政拨款收入总计$", [("budget_fiscal_summary", "grand_total", "income", "收入")]),
    ("fiscal", r"^当年拨款收入$", [("budget_fiscal_summary", "income_total", "income", "收入")]),
    ("fiscal", r"^上年结转收入$", [("budget_fiscal_summary", "carryover", "income", "收入")]),
    ("gpb", r"^一般公共预算(?:当年)?支出$", [("budget_gpb_expenditure", "total", "total", None)]),
    ("basic", r"^(?:一般公共预算安排)?基本支出$", [("budget_gpb_basic_by_economic", "total", "total", None)]),
    ("basic", r"^人员经费$", [("budget_gpb_basic_by_economic", "total", "personnel", None)]),
    ("basic", r"^公用经费$", [("budget_gpb_basic_by_economic", "total", "public", None)]),
    ("running", r"^机关运行经费(?:预算)?$", [("budget_running_costs", "total", "total", None)]),
    ("running", r"^.*机关运行经费(?:支出)?(?:预算)?数?为?$", [("budget_running_costs", "total", "total", None)]),
    ("running", r"^.*机关运行经费(?:支出)?(?:预算)?数?为?$", [("budget_three_public_running", "values", "running_costs", None)]),
    # 预算 (Shanghai and other templates: 财务收支预算总表 with 财政拨款/事业收入 rows)
    ("income", r"^(?:部门|单位)?收入预算(?:总计|总额|合计)?$|^预算收入合计$", [("budget_summary", "grand_total", "income", "收入")]),
    ("income", r"^事业收入$", [("budget_summary", "business", "income", "收入")]),
    ("income", r"^(?:事业单位)?经营收入$", [("budget_summary", "operating", "income", "收入")]),
    ("income", r"^其他收入$", [("budget_summary", "other", "income", "收入")]),
    ("fiscal", r"^财政拨款收入(?:预算)?$", [("budget_summary", "fiscal", "income", "收入")]),
    ("fiscal", r"^财政拨款收入(?:预算)?$", [("budget_income", "total", "fiscal", None)]),
    ("fiscal", r"^财政拨款支出(?:预算)?(?:总计|合计)?$", [("budget_fiscal_summary", "grand_total", "total", "支出")]),
    ("gpb", r"^一般公共预算(?:拨款|财政拨款)?(?:当年)?支出(?:预算)?$", [("budget_gpb_expenditure", "total", "total", None)]),
    ("gpb", r"^一般公共预算(?:拨款|财政拨款)?收入(?:预算)?$", [("budget_fiscal_summary", "gpb", "income", "收入")]),
    ("gf", r"^政府性基金(?:预算)?(?:拨款|财政拨款)?(?:当年)?支出(?:预算)?$", [("budget_gov_fund_expenditure", "total", "total", None)]),
    ("soe", r"^国有资本经营预算(?:拨款|财政拨款)?(?:当年)?支出(?:预算)?$", [("budget_soe_expenditure", "total", "total", None)]),
    ("expenditure", r"^(?:部门|单位)?支出预算(?:总计|总额|合计)?$", [("budget_expenditure", "total", "total", None)]),
    ("summary", r"^上年结转(?:收入)?$", [("budget_summary", "carryover", "income", "收入")]),
    ("summary", r"^(?:本年)?(?:部门|单位)?(?:预算)?支出总计$", [("budget_summary", "grand_total", "total", "支出")]),
]

# 三公 items: (pattern, row of the 预算 table, column suffix of the 决算 table)
_THREE_PUBLIC: list[tuple[str, str, str]] = [
    (r"^(?:财政拨款(?:安排的?)?)?(?:三公经费)?(?:财政拨款)?(?:支出)?(?:预算)?数?为?$", "total", "total"),
    (r"^因公出国\(境\)费(?:用)?(?:支出)?$", "outbound", "outbound"),
    (r"^公务用车购置及运行(?:维护)?费(?:支出)?$", "vehicle", "vehicle"),
    (r"^公务用车购置(?:费)?(?:支出)?$", "vehicle_purchase", "vehicle_purchase"),
    (r"^公务用车运行(?:维护)?费(?:支出)?$", "vehicle_operation", "vehicle_operation"),
    (r"^公务接待费(?:支出)?$", "reception", "reception"),
]


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


# _PLAIN by topic: (compiled pattern, terms, whether every term must be found)
_PLAIN_BY_TOPIC: dict[str, list[tuple[re.Pattern, list[Term], bool]]] = {}
for _topic, _pattern, _terms, *_all in _PLAIN:
    _PLAIN_BY_TOPIC.setdefault(_topic, []).append((lazy_compile(_pattern), _terms, _all[0] if _all else True))


def resolve_amount(doc: Document, topic: str | None, kind: str, subject: str) -> Target | None:
    """The cell a stated amount names, or None when the phrase is not a table figure."""
    k = key(subject)
    if topic is None:
        return None
    if topic == "three_public":
        for pattern, budget_row, suffix in _THREE_PUBLIC:
            if _compiled(pattern).match(k):
                if doc.table_by_role("three_public") is not None:
                    column = ("budget_" if kind == "budget" else "actual_") + suffix
                    return _target(doc, subject, ("three_public", "values", column, None))
                for role in ("budget_three_public_running", "budget_three_public"):
                    table = doc.table_by_role(role)
                    if table is not None and table.column(budget_row) is not None and table.column("total") is not None:
                        if len([r for r in table.rows if r.cells]) <= 2:  # one row, a column per item
                            return _target(doc, subject, (role, "values", budget_row, None))
                return _target(doc, subject, ("budget_three_public", budget_row, "total", None))
        return None
    for pattern, terms, require_all in _PLAIN_BY_TOPIC.get(topic, ()):
        if pattern.match(k):
            target = _target(doc, subject, *terms, require_all=require_all)
            if target is not None:
                return target
    if topic in ("gpb", "fiscal", "summary", "expenditure") and (kind in ("amount", "actual") or (kind == "budget" and doc.meta.kind == "预算")):
        return _class_target(doc, topic, subject)
    if topic in ("gf", "soe", "overview") and kind == "amount" and doc.meta.kind == "预算":
        return _budget_class_target(doc, "expenditure" if topic == "overview" else topic, subject)
    if topic == "basic":
        table = doc.table_by_role("gpb_basic_by_economic") or doc.table_by_role("budget_gpb_basic_by_economic")
        if table is not None:
            row = next((r for r in table.rows if r.label and key(r.label) == k), None)
            if row is not None:
                column = next((c for c, cell in row.cells.items()), None)
                if table.role == "budget_gpb_basic_by_economic":
                    column = "total"
                if column:
                    return Target([Ref(table, row, column)], subject)
    return None


_CLASS_TABLE = {
    "gpb": ("gpb_expenditure", "total", None),
    "fiscal": ("fiscal_summary", "total", "支出"),
    "summary": ("summary", "expenditure", "支出"),
    "expenditure": ("expenditure_by_function", "total", None),
}
_BUDGET_CLASS_TABLE = {
    "gpb": ("budget_gpb_expenditure", "total", None),
    "gf": ("budget_gov_fund_expenditure", "total", None),
    "soe": ("budget_soe_expenditure", "total", None),
    "fiscal": ("budget_fiscal_summary", "total", "支出"),
    "summary": ("budget_summary", "total", "支出"),
    "expenditure": ("budget_expenditure", "total", None),
}


def _class_target(doc: Document, topic: str, subject: str) -> Target | None:
    role, column, side = _CLASS_TABLE[topic]
    table = doc.table_by_role(role)
    if table is None:
        return _budget_class_target(doc, topic, subject)
    if table.column(column) is None:
        return None
    row = functional_row(table, subject, side)
    if row is None:
        return None
    return Target([Ref(table, row, column)], subject)


def _budget_class_target(doc: Document, topic: str, subject: str) -> Target | None:
    """A 科目 a budget's narrative names: the row of the topic's table, and the same row of
    the budget's other functional tables as alternatives (a 预算编制说明 lists 财政拨款
    or all funds' 科目 as its template has it)."""
    first = _BUDGET_CLASS_TABLE[topic]
    order = [first, *(v for v in _BUDGET_CLASS_TABLE.values() if v != first), *_BUDGET_FUND_TABLES]

    def found(places) -> list[Target]:
        out = []
        for role, column, side in places:
            table = doc.table_by_role(role)
            if table is None or table.column(column) is None:
                continue
            row = functional_row(table, subject, side)
            if row is not None:
                out.append(Target([Ref(table, row, column)], subject))
        return out

    for k, place in enumerate(order):
        hit = found([place])
        if hit:
            hit[0].others = lambda rest=order[k + 1 :]: found(rest)
            return hit[0]
    return None


_BUDGET_FUND_TABLES = [("budget_gov_fund_expenditure", "total", None), ("budget_soe_expenditure", "total", None)]


_PATH = lazy_compile(r"^(.+?)\(类\)(?:(.+?)\(款\))?(?:(.+?)\(项\))?$")
_DASH_PATH = lazy_compile(r"^(.+?支出)[-—–](.+?)(?:[-—–](.+?))?(?:科目)?$")


def functional_row(table: Table, subject: str, side: str | None = None) -> Row | None:
    """A row named by a 类 name, or by a "X(类)Y(款)Z(项)" path."""
    k = key(subject)
    if k.endswith("科目"):
        k = k[:-2]
    m = _PATH.match(k) or _DASH_PATH.match(k)
    names = [x for x in (m.groups() if m else (k,)) if x]
    if not names or not (m or names[0].endswith("支出") or names[0] == "预备费"):
        return None  # every 类 is named …支出 (but 预备费): a phrase that is not cannot be one
    codes = catalog.functional().codes_for_name(names[0], level="类")
    row = None
    if codes:  # the first class row of each code, the codes in the catalogue's order
        wanted, found = set(codes), {}
        for r in table.rows:
            c = r.any_code
            if c in wanted and c not in found and (side is None or r.side == side):
                found[c] = r
        row = next((found[c] for c in codes if c in found), None)
    if row is None:
        row = next(
            (r for r in table.rows if r.label and key(r.label) == names[0] and len(r.any_code or "000") == 3 and (side is None or r.side == side)),
            None,
        )
    for name in names[1:]:
        prefix = row.any_code if row is not None else None
        if not prefix:
            return None
        n = len(prefix) + 2
        row = next((r for r in table.rows if r.code and len(r.code) == n and r.code.startswith(prefix) and key(r.label) == name), None)
    return row


def counterpart_budget(doc: Document, target: Target) -> Target | None:
    """For a 三公 决算 cell, the same item's 预算数 cell (for 完成全年预算的Z%)."""
    out = []
    for r in target.refs:
        if r.column.startswith("actual_") and r.table.column("budget_" + r.column[7:]) is not None:
            out.append(Ref(r.table, r.row, "budget_" + r.column[7:]))
    return Target(out, target.name) if out else None


def resolve_count(doc: Document, subject: str, unit: str) -> Target | None:
    """Vehicle and equipment counts of the 国有资产 statement → 相关信息统计表."""
    table = doc.table_by_role("related_info")
    if table is None:
        return None
    k = key(subject)
    if unit == "辆":
        if re.search(r"(?:共有|车辆总数|共计|实有|^有)车辆$|^车辆$|车辆合计$|保有量", k):
            row = find_row(table, "vehicles_total")
            return Target([Ref(table, row, "value")], subject) if row else None
        for row in table.rows:
            if row.role and row.role.startswith("vehicles_") and row.role != "vehicles_total" and row.label:
                lk = key(row.label)
                if k.endswith(lk) or (len(k) >= 4 and lk.endswith(k[-4:]) and k[-2:] == "用车"):
                    return Target([Ref(table, row, "value")], subject)
    if unit.startswith("台"):
        if "100万元" in k or "设备" in k or k == "":
            row = find_row(table, "equipment_over_1m")
            return Target([Ref(table, row, "value")], subject) if row else None
    return None
