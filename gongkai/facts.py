"""Tidy long-format facts: one record per non-empty numeric table cell."""

from __future__ import annotations

from collections.abc import Iterator

from .model.document import Document
from .model.serialize import format_decimal
from .extract.recognise import NOT_MONEY
from .model.table import CellStatus

FIELDS = [
    "table", "table_id", "code", "item", "column", "value", "unit", "line", "page",
    "side", "line_no", "row_role", "column_id", "department", "year", "kind", "profile", "source",
    "raw", "printed_unit", "scale", "role", "inferred",
]


def facts(doc: Document) -> Iterator[dict]:
    for table in doc.tables:
        labels = {c.id: c.label for c in table.columns}
        for row in table.rows:
            for column_id, cell in row.cells.items():
                if cell.status is not CellStatus.VALUE or cell.value is None or column_id in NOT_MONEY:
                    continue
                yield {
                    "table": table.title,
                    "table_id": table.id,
                    "code": row.code,
                    "item": row.label or None,
                    "column": labels.get(column_id, column_id),
                    "value": format_decimal(cell.value),
                    "unit": cell.unit,
                    "line": cell.prov.line,
                    "page": cell.prov.page,
                    "side": row.side,
                    "line_no": row.line_no,
                    "row_role": row.role,
                    "column_id": column_id,
                    "department": doc.meta.department,
                    "year": doc.meta.year,
                    "kind": doc.meta.kind,
                    "profile": doc.meta.profile,
                    "source": doc.source.name,
                    "raw": cell.raw,  # as printed, in the table's own unit
                    "printed_unit": table.unit if cell.unit == "万元" else cell.unit,
                    "scale": format_decimal(table.scale) if cell.unit == "万元" else "1",
                    "role": table.role,
                    "inferred": table.inferred,
                }
