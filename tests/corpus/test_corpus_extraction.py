"""Extraction on the real corpus, against values read by hand from the files.

tests/data/expected/<file>.json was written by reading each report line by line
(not by running gongkai): table totals and ~100 sampled cells per file, including
the noisy cases listed in corpus-anatomy.md, plus form counts and samples.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from gongkai.extract.textnorm import key
from gongkai.facts import facts
from tests.support import EXPECTED, SEED_FILES, parsed


def _expected(name: str) -> dict:
    return json.loads((EXPECTED / name.replace(".txt", ".json")).read_text(encoding="utf-8"))


def _lookup(records, cell):
    found = [
        r for r in records
        if r["table_id"] == cell["table"] and r["column"] == cell["column"]
        and (r["code"] == cell["code"] if cell["code"] else (r["code"] is None and key(r["item"] or "") == key(cell["item"] or "")))
        and (cell.get("line_no") is None or r["line_no"] == cell["line_no"])
    ]
    return [r for r in found if r["line"] == cell["line"]] or found


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_hand_verified_cell(name):
    expected = _expected(name)
    records = list(facts(parsed(name)))
    wrong = []
    for cell in expected["table_totals"] + expected["cells"]:
        hits = _lookup(records, cell)
        if not any(Decimal(r["value"]) == Decimal(cell["value"]) and r["line"] == cell["line"] for r in hits):
            wrong.append((cell["table"], cell["code"] or cell["item"], cell["column"], cell["value"], cell["line"], [(r["value"], r["line"]) for r in hits]))
    assert not wrong, f"{len(wrong)} cells differ: {wrong[:10]}"


@pytest.mark.parametrize("name", SEED_FILES)
def test_tables_present_missing_empty(name):
    expected = _expected(name)
    doc = parsed(name)
    assert sorted(t.id for t in doc.tables) == sorted(expected["tables_present"])
    assert sorted(m.id for m in doc.missing_tables) == sorted(expected["tables_missing"])
    assert sorted(t.id for t in doc.tables if not t.has_data) == sorted(expected["tables_empty"])
    assert all(t.no_data_note is not None for t in doc.tables if not t.has_data)


@pytest.mark.parametrize("name", SEED_FILES)
def test_metadata(name):
    expected = _expected(name)
    doc = parsed(name)
    assert doc.meta.department == expected["department"]
    assert doc.meta.year == expected["year"]
    assert doc.meta.kind == expected["kind"]
    assert doc.meta.profile == ("shanxi-budget" if expected["kind"] == "预算" else "national-final")


@pytest.mark.parametrize("name", SEED_FILES)
def test_form_counts(name):
    forms = _expected(name)["forms"]
    doc = parsed(name)
    assert len(doc.performance_forms) == forms["self_evaluation_count"]
    assert len(doc.target_forms) == forms["target_form_count"]
    assert len(doc.overall_target_forms) == forms["overall_target_forms"]


def _close(amount, printed: str) -> bool:
    return amount is not None and amount.value == Decimal(printed)


@pytest.mark.parametrize("name", SEED_FILES)
def test_form_samples_field_by_field(name):
    doc = parsed(name)
    for sample in _expected(name)["forms"]["samples"]:
        if "annual_total_yuan" in sample:
            form = next(f for f in doc.target_forms if f.prov.line == sample["line"])
            assert form.annual_total.value * 10000 == Decimal(sample["annual_total_yuan"])
            assert form.implementation_total.value * 10000 == Decimal(sample["implementation_total_yuan"])
            continue
        form = next(f for f in doc.performance_forms if f.prov.line == sample["line"])
        funds = form.total_funds
        assert _close(funds.annual_budget, sample["budget"]), form.project
        assert _close(funds.executed, sample["executed"]), form.project
        assert _close(funds.rate, sample["rate"]), form.project
        if sample.get("score"):
            assert _close(funds.score, sample["score"]), form.project
        assert form.total_score is not None and _close(form.total_score, sample["total_score"]), form.project
        assert form.grade == sample["grade"], form.project
        assert len(form.indicators) == sample["indicator_count"], form.project


def test_noisy_001_cases():
    """The quirks corpus-anatomy.md lists for 001, asserted one by one."""
    name = "001_98999400092bfb82.txt"
    doc = parsed(name)
    t01 = doc.table("公开01")
    assert t01.row_by_role("income_total", "收入").value("income") == Decimal("7985.52")  # printed bottom-up (L170)
    assert t01.row_by_role("grand_total", "收入").prov.line == 166
    t02 = doc.table("公开02")
    assert t02.row_by_code("229").value("other") == Decimal("1.65")  # page piece with collapsed columns
    assert t02.row_by_code("229").value("operating") is None
    assert t02.row_by_code("208").label == "社会保障和就业支出"  # stray "一 " dropped (L201)
    t03 = doc.table("公开03")
    assert t03.row_by_code("215").label == "资源勘探工业信息等支出"  # name spilled into the next row
    assert t03.row_by_code("21505").label == "工业和信息产业监管"
    assert t03.row_by_code("21505").value("project") == Decimal("314.63")  # "314, 63"
    assert t03.row_by_code("2150599").label == "其他工业和信息产业监管支出"
    assert t03.column("total").label == "本年支出合计"  # garbled header placed by the template
    t06 = doc.table("公开06")
    assert t06.row_by_role("personnel_total").value("personnel") == Decimal("438.35")
    assert t06.row_by_role("public_total").value("public") is None  # printed blank (L456)
    t09 = doc.table("公开09")
    assert t09.rows[0].value("actual_total") == Decimal("1.77")
    assert t09.rows[0].value("actual_reception") == Decimal("0.03")
    assert doc.table("公开10").row_by_role("vehicles_total").value("value") == Decimal("1")


def test_budget_003_specifics():
    name = "003_dc3175b1d97e8850.txt"
    doc = parsed(name)
    t2 = doc.table("表二")
    assert t2.row_by_code("201").value("carryover") == Decimal("3.83")  # shifted header, placed by template
    assert [c.label for c in t2.columns][-1] == "上年结转"
    t12 = doc.table("表十二")
    assert t12.total_row().value("total") == Decimal("9174.41")
    assert len([r for r in t12.rows if not r.is_total]) == 30
    t6 = doc.table("表六")
    assert t6.row_by_code("30101").value("personnel") == Decimal("474.33")  # code inferred from the name
    assert doc.table("表十").row_by_role("total").value("total") == Decimal("32.60")


def test_traditional_title_and_missing_table_004():
    name = "004_aa13b0b8df1bfb31.txt"
    doc = parsed(name)
    assert doc.table("公开03").title == "支出决算表"  # printed 支出決算表
    assert [m.id for m in doc.missing_tables] == ["公开07"]
    assert sum(1 for f in doc.performance_forms if "表格内容无法识别（转换时丢失）" in f.problems) == 2
