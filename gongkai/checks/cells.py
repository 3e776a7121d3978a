"""Addressing table cells by meaning (role, row, column) for rules."""

from __future__ import annotations

from decimal import Decimal

from ..model.document import Document
from ..model.table import Cell, Row, Table
from ..records import record


@record
class Ref:
    table: Table
    row: Row
    column: str

    @property
    def cell(self) -> Cell | None:
        return self.row.cells.get(self.column)

    @property
    def value(self) -> Decimal | None:
        return self.row.value(self.column)

    @property
    def amount(self) -> Decimal:
        return self.row.amount(self.column)

    @property
    def printed(self) -> bool:
        """The cell holds a number (blank cells mean zero but prove nothing)."""
        return self.value is not None


Term = tuple[str, str, str, str | None]
"""(table role, row selector, column, side): one cell named by meaning."""


def resolve_terms(doc: Document, terms, require_all: bool = True) -> list[Ref] | None:
    """The cells the terms name; None when any is missing (or, with require_all=False, when all are)."""
    refs = []
    for role, selector, column, side in terms:
        r = ref(doc, role, selector, column, side)
        if r is not None:
            refs.append(r)
        elif require_all:
            return None
    return refs or None


def find_row(table: Table, selector: str, side: str | None = None) -> Row | None:
    """Selectors: "total" (the table's 合计 row), "code:201", a role id, or a label."""
    if selector == "total":
        row = table.row_by_role("total", side) or table.total_row(side)
        return row
    if selector.startswith("code:"):
        return table.row_by_code(selector[5:], side)
    row = table.row_by_role(selector, side)
    if row is not None:
        return row
    return next((r for r in table.rows if r.label == selector and (side is None or r.side == side)), None)


def ref(doc: Document, role: str, selector: str, column: str, side: str | None = None) -> Ref | None:
    table = doc.table_by_role(role)
    if table is None or table.column(column) is None:
        return None
    row = find_row(table, selector, side)
    if row is None:
        return None
    return Ref(table, row, column)


def first_column(table: Table, side: str | None) -> str | None:
    cols = [c for c in table.columns if c.side == side] if side else table.columns
    return cols[0].id if cols else None


def side_items(table: Table, side: str | None, total: Row) -> list[Row]:
    """The ordinary rows summed into a side's total: no role of their own, before the total."""
    rows = [r for r in table.rows if r.side == side and r is not total and (r.role in (None, "class")) and not r.is_total]
    if total.line_no is not None and all(r.line_no is not None for r in rows):
        return [r for r in rows if r.line_no < total.line_no]
    out = []
    for r in table.rows:
        if r is total:
            break
        if r in rows:
            out.append(r)
    return out or rows


def children_index(table: Table) -> dict[tuple[str, str | None], list[Row]]:
    """(parent code, side) → the 款 or 项 rows printed under it, in table order."""
    index: dict[tuple[str, str | None], list[Row]] = {}
    for r in table.rows:
        if r.code and len(r.code) in (5, 7):
            index.setdefault((r.code[:-2], r.side), []).append(r)
    return index


def class_rows(table: Table, side: str | None = None) -> dict[str, Row]:
    """类 rows by their (printed or inferred) 3-digit code."""
    out: dict[str, Row] = {}
    for r in table.rows:
        code = r.any_code
        if code and len(code) == 3 and (side is None or r.side == side) and code not in out:
            out[code] = r
    return out
