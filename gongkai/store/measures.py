"""Named amounts of a report, read from role-based tables.

A measure is one amount with a meaning that holds across templates (总支出, 基本支出,
“三公”经费 by item, 机关运行经费 …) and a phase (预算 / 决算 / 上年). Templates map their
tables and rows to roles (see the profiles); the specs below name roles, not table ids,
so a new template that maps its tables gets its measures — and the compare page and
the checks across reports — without changes here.

Each spec: (measure, table roles, row selector, column ids, phase rule). The first
spec that finds a value for a (measure, phase) wins.
"""

from __future__ import annotations

from decimal import Decimal

from ..model.document import Document
from ..model.table import CellStatus, Row, Table
from ..records import record

LABELS = {
    "income_total": "本年收入合计",
    "income_grand_total": "收入总计",
    "expenditure_grand_total": "支出总计",
    "fiscal_income": "财政拨款收入",
    "expenditure_total": "本年支出合计",
    "basic": "基本支出",
    "project": "项目支出",
    "fiscal_expenditure": "财政拨款支出合计",
    "gpb_expenditure": "一般公共预算财政拨款支出",
    "gpb_basic": "一般公共预算财政拨款基本支出",
    "personnel": "人员经费",
    "public": "公用经费",
    "three_public": "“三公”经费合计",
    "three_public:outbound": "因公出国（境）费",
    "three_public:vehicle": "公务用车购置及运行维护费",
    "three_public:vehicle_purchase": "公务用车购置费",
    "three_public:vehicle_operation": "公务用车运行维护费",
    "three_public:reception": "公务接待费",
    "running_costs": "机关运行经费",
    "procurement": "政府采购支出总额",
    "vehicles": "车辆数（辆）",
}

THREE_PUBLIC_ITEMS = ("total", "outbound", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")


def label_of(measure: str) -> str:
    if measure.startswith("function:"):
        from ..catalog import functional

        code = measure.split(":", 1)[1]
        names = functional().names(code)
        return f"{code} {names[-1] if names else ''}".strip()
    return LABELS.get(measure, measure)


@record
class Measure:
    measure: str
    phase: str
    value: Decimal
    table: Table
    row: Row
    column: str

    def as_row(self) -> dict:
        cell = self.row.cells.get(self.column)
        prov = cell.prov if cell is not None else self.row.prov
        col = self.table.column(self.column)
        return {
            "measure": self.measure, "phase": self.phase, "value": self.value, "table_id": self.table.id,
            "row": " ".join(x for x in (self.row.any_code, self.row.label) if x) or self.row.key,
            "column": col.label if col else self.column, "line": prov.line, "page": prov.page,
        }


def _value(row: Row | None, column: str) -> Decimal | None:
    if row is None:
        return None
    cell = row.cells.get(column)
    if cell is None or cell.status is not CellStatus.VALUE:
        return None
    return cell.value


def _total_row(table: Table, side: str | None = None) -> Row | None:
    return table.total_row(side) or table.row_by_role("total") or table.row_by_role("expenditure_total", side)


def column_phase(label: str, kind: str | None) -> str:
    """The phase of a column: 上年 for prior-year columns, 预算 for a 决算's budget columns."""
    from ..extract.textnorm import without_fund_names

    label = without_fund_names(label or "")
    if "上年" in label or "去年" in label:
        return "上年"
    if kind == "决算" and ("预算" in label and "决算" not in label):
        return "预算"
    if kind == "预算" and "决算" in label:
        return "决算"
    return kind or ""


def extract(doc: Document) -> list[Measure]:
    kind = doc.meta.kind or ""
    out: dict[tuple[str, str], Measure] = {}

    def put(measure: str, table: Table | None, row: Row | None, column: str, phase: str | None = None) -> None:
        if table is None or row is None:
            return
        value = _value(row, column)
        if value is None:
            return
        col = table.column(column)
        ph = phase or column_phase(col.label if col else column, kind)
        out.setdefault((measure, ph), Measure(measure, ph, value, table, row, column))

    roles = {t.role: t for t in doc.tables if t.role}

    # summary tables: income and expenditure totals (final: 公开01; budget: 表一)
    for role in ("summary", "budget_summary"):
        t = roles.get(role)
        if t is None:
            continue
        # a two-sided table's rows carry only their side's columns; the first column with a value wins
        for col in t.columns:
            put("income_total", t, t.row_by_role("income_total"), col.id)
            put("expenditure_total", t, t.row_by_role("expenditure_total"), col.id)
            put("income_grand_total", t, t.row_by_role("grand_total", "收入"), col.id)
            put("expenditure_grand_total", t, t.row_by_role("grand_total", "支出"), col.id)
            put("fiscal_income", t, t.row_by_role("fiscal", "收入"), col.id)
    # expenditure by function: total / basic / project and 类 totals
    for role in ("expenditure_by_function", "budget_expenditure"):
        t = roles.get(role)
        if t is None:
            continue
        total = _total_row(t)
        for col in t.columns:
            cid = col.id
            base = "expenditure_total" if cid == "total" else cid if cid in ("basic", "project") else None
            if base:
                put(base, t, total, cid)
        for r in t.rows:
            if r.any_code and len(r.any_code) == 3 and r.any_code.isdigit():
                if t.column("total"):
                    put(f"function:{r.any_code}", t, r, "total")
    for role, measure in (("gpb_expenditure", "gpb_expenditure"), ("budget_gpb_expenditure", "gpb_expenditure")):
        t = roles.get(role)
        if t is not None and t.column("total"):
            put(measure, t, _total_row(t), "total")
    # basic expenditure by economic classification: personnel / public
    for role in ("gpb_basic_by_economic", "budget_gpb_basic_by_economic"):
        t = roles.get(role)
        if t is None:
            continue
        for r in t.rows:
            if r.is_total or r.role in ("personnel_total", "public_total", "total"):
                for cid in ("personnel", "public"):
                    if r.role in (f"{cid}_total",) or (r.label or "").startswith({"personnel": "人员经费", "public": "公用经费"}[cid]):
                        put(cid, t, r, cid)
    # 三公: finals print budget and actual side by side in one row; budgets one row per item
    t = roles.get("three_public")
    if t is not None:
        row = t.rows[0] if t.rows else None
        for item in THREE_PUBLIC_ITEMS:
            name = "three_public" if item == "total" else f"three_public:{item}"
            put(name, t, row, f"budget_{item}", "预算")
            put(name, t, row, f"actual_{item}", "决算" if kind == "决算" else None)
    t = roles.get("budget_three_public")
    if t is not None:
        for item in THREE_PUBLIC_ITEMS:
            name = "three_public" if item == "total" else f"three_public:{item}"
            r = t.row_by_role(item)
            if r is None:
                continue
            for col in t.columns:
                if col.id in ("total",) or column_phase(col.label, kind) == "上年":
                    put(name, t, r, col.id)
    # budgets printing 三公 and 机关运行经费 in one row, one column per item
    t = roles.get("budget_three_public_running")
    if t is not None and t.rows:
        row = t.total_row() or t.rows[0]
        for item in THREE_PUBLIC_ITEMS:
            put("three_public" if item == "total" else f"three_public:{item}", t, row, item)
        put("running_costs", t, row, "running_costs")
    # 机关运行经费, 政府采购, vehicles (finals: related-information table; budgets: own tables)
    t = roles.get("related_info")
    if t is not None:
        running = [r for r in t.rows if (r.role or "").startswith("running_") and _value(r, "value") is not None]
        if running:
            total = sum((_value(r, "value") for r in running), Decimal(0))
            put("running_costs", t, running[0], "value")
            if len(running) > 1:
                out[("running_costs", kind)] = Measure("running_costs", kind, total, t, running[0], "value")
        put("procurement", t, t.row_by_role("procurement_total"), "value")
        put("vehicles", t, t.row_by_role("vehicles_total"), "value")
    t = roles.get("budget_running_costs")
    if t is not None:
        r = t.row_by_role("total") or _total_row(t)
        for col in t.columns:
            if col.id == "total" or column_phase(col.label, kind) == "上年":
                put("running_costs", t, r, col.id)
    return list(out.values())
