"""An Excel workbook: a findings sheet plus one sheet per extracted table."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from ..checks.engine import CATEGORIES, CheckResult, Severity
from ..model.table import CellStatus
from .spreadsheet import append_row, xlsx_text

_FILLS = {
    "error": PatternFill("solid", fgColor="FFCCC7"),
    "warning": PatternFill("solid", fgColor="FFF1B8"),
    "info": PatternFill("solid", fgColor="E6F7FF"),
}
_HEADER = Font(bold=True)


def _sheet_name(text: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\\x00-\x1f\x7f-\x9f]", "", text)[:31] or "表"
    base, n = name, 2
    while name in used:
        suffix = f"({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def render_xlsx(result: CheckResult, min_severity: Severity = Severity.INFO) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "问题清单"
    used = {"问题清单"}
    header = ["严重程度", "规则", "类别", "说明", "表", "行/项目", "编码", "列", "行号", "页码", "应为", "实为", "差额"]
    append_row(ws, header)
    for cell in ws[1]:
        cell.font = _HEADER
    for f in result.findings:
        if f.severity.rank > min_severity.rank:
            continue
        loc = f.location
        append_row(ws, [
            f.severity.label, f.rule, CATEGORIES[f.category], f.message, loc.table or "", loc.row or loc.section or "",
            loc.code or "", loc.column or "", loc.line, loc.page, f.expected, f.actual, f.difference,
        ])
        ws.cell(ws.max_row, 1).fill = _FILLS[f.severity.value]
    for col, width in zip("ABCDEFGHIJKLM", (8, 6, 10, 80, 10, 24, 10, 24, 7, 6, 12, 12, 10)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    doc = result.doc
    for table in doc.tables:
        sheet = wb.create_sheet(_sheet_name(f"{table.id} {table.title}", used))
        append_row(sheet, ["编码", "项目"] + [c.label for c in table.columns] + ["行号"])
        for cell in sheet[1]:
            cell.font = _HEADER
        for row in table.rows:
            values = []
            for col in table.columns:
                cell = row.cells.get(col.id)
                if cell is None or cell.status is CellStatus.EMPTY:
                    values.append(None)
                elif cell.value is not None:
                    values.append(cell.value)
                else:
                    values.append(cell.raw)
            append_row(sheet, [row.code or row.ref_code, row.label] + values + [row.prov.line or row.prov.page])
        sheet.column_dimensions["B"].width = 30
        sheet.freeze_panes = "C2"
    props = wb.properties
    props.title = xlsx_text(f"{doc.meta.department or doc.source.name} 检查结果")
    props.creator = "gongkai"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
