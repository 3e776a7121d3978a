"""Formula payloads from a report stay inert text in xlsx and CSV outputs."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from gongkai.api import parse_text
from gongkai.checks import check
from gongkai.cli import main
from gongkai.report.spreadsheet import append_row, csv_cell, is_dangerous, unguard_csv
from gongkai.report.xlsx import render_xlsx
from tests.support import example_text

PAYLOAD = "=cmd|'/Ccalc'!A0"


def _hostile_text() -> str:
    text = example_text(True).replace("示例市数据管理局", PAYLOAD + "\x07示例市数据管理局")
    return text.replace("一般公共服务支出", "@SUM(1+1)一般公共服务支出", 1)


@pytest.mark.parametrize("text", ["=1+1", "+1+1", "-1+1", "@SUM(A1)", " =1+1", "\t=1", "\r1", "＝1+1", "－2+3", PAYLOAD])
def test_formula_texts_are_dangerous(text):
    assert is_dangerous(text)
    assert csv_cell(text) == "'" + text and unguard_csv(csv_cell(text)) == text


@pytest.mark.parametrize("text", ["-12.50", "+3", "1,234.5", "-5%", "-", "—", "部门=x", "abc", "", "2010101"])
def test_numbers_and_plain_text_are_left_alone(text):
    assert not is_dangerous(text)
    assert csv_cell(text) == text


def test_xlsx_cells_are_text_and_read_back_unchanged():
    wb = Workbook()
    append_row(wb.active, ["=1+1", "a\x07b\x1b[31m", 3, None, "-1+1"])
    buf = io.BytesIO()
    wb.save(buf)
    cells = load_workbook(io.BytesIO(buf.getvalue())).active[1]
    assert [c.data_type for c in cells] == ["s", "s", "n", "n", "s"]
    assert cells[0].value == "=1+1" and cells[0].quotePrefix
    assert cells[1].value == "a\\x07b\\x1b[31m"  # escaped visibly, not an IllegalCharacterError


def test_hostile_report_xlsx_has_no_formula():
    doc = parse_text(_hostile_text())
    assert doc.meta.department.startswith("=cmd")
    data = render_xlsx(check(doc))
    wb = load_workbook(io.BytesIO(data))
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert any(t.startswith("@SUM") for t in texts)
    assert b"<f>" not in data and b"<f " not in data


def test_facts_csv_guards_every_dangerous_cell(tmp_path):
    src = tmp_path / "hostile.txt"
    src.write_text(_hostile_text(), encoding="utf-8")
    result = CliRunner().invoke(main, ["facts", "--format", "csv", str(src)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    for row in rows:
        for value in row.values():
            assert not is_dangerous(value), value
    assert all(r["department"].startswith("'=cmd") for r in rows)
    assert not any(r["value"].startswith("'") for r in rows)  # numbers stay numbers

