"""A table's stated unit confirmed by its own totals.

Each table's amounts are converted to 万元 by the unit printed above it (元, 千元, 万元).
A table whose totals agree with no other table's as printed, but agree exactly with
another table's once scaled by 10 000 (元 ↔ 万元), was labelled with the wrong unit (or
none): its amounts are rescaled and a warning names the correction.
"""

from __future__ import annotations

from decimal import Decimal

from ..model.document import Document
from ..model.table import Table

_FACTORS = (Decimal(10000), Decimal("0.0001"))
_UNIT_FOR_SCALE = {Decimal(1): "万元", Decimal("0.0001"): "元", Decimal("0.1"): "千元", Decimal(10000): "亿元"}


def _totals(table: Table) -> set[Decimal]:
    out = set()
    for row in table.rows:
        if row.is_total or row.role in ("total", "grand_total"):
            for cell in row.cells.values():
                if cell.value and cell.unit == "万元":  # amounts only: not vehicle counts
                    out.add(cell.value)
    return out


def confirm_scales(doc: Document) -> None:
    totals = {t.id: _totals(t) for t in doc.tables}
    for table in doc.tables:
        own = totals[table.id]
        if not own:
            continue
        others = set().union(*(v for k, v in totals.items() if k != table.id))
        if not others or own & others:
            continue
        for factor in _FACTORS:
            if any(v * factor in others for v in own if abs(v * factor) >= 1):
                for _, cell in table.cells():
                    if cell.value is not None and cell.unit == "万元":
                        cell.value = cell.value * factor
                printed = table.unit
                table.scale = table.scale * factor
                table.unit = _UNIT_FOR_SCALE.get(table.scale, table.unit)
                totals[table.id] = _totals(table)
                doc.warn(
                    "unit-scale",
                    f"{table.id}标明的金额单位为“{printed}”，但其合计数只有按“{table.unit}”换算后才与其他表一致，已按“{table.unit}”读取",
                    table.prov,
                    table.id,
                )
                break
