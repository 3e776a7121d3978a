"""Tolerance that fits the comparison.

A figure printed twice (the same cell in two tables, a narrative amount and the cell it
quotes) must be identical: even a cent is a warning. Only a sum against its printed
parts keeps a cent per part (info). A percentage outside the interval its rounded
inputs allow is a warning even by one unit in the last place. "完成年初预算" is
measured against 年初预算, not against a 全年预算 stated beside it.
"""

from __future__ import annotations

from decimal import Decimal

from gongkai.api import parse_text
from gongkai.checks import check
from tests.support import example_text, mutate, replace_once, seed_text

CLEAN = example_text(False)
T = "\t"


def _hits(text, rule, name="case.txt"):
    return [f for f in check(parse_text(text, name)).findings if f.rule == rule]


def test_same_cell_in_two_tables_is_exact():
    # 003 表二 合计 上年结转 3.83 against 表一's 3.83 (L123): one cent off is a warning, not rounding
    name = "003_dc3175b1d97e8850.txt"
    text = replace_once(seed_text(name), "合计\t\t11937.57\t11937.57\t\t\t\t\t3.83\n", "合计\t\t11937.57\t11937.57\t\t\t\t\t3.84\n")
    hits = _hits(text, "X10", name)
    assert hits and {f.severity.value for f in hits} == {"warning"} and "应完全一致" in hits[0].message


def test_sum_against_parts_keeps_the_rounding_allowance():
    text, _ = mutate(CLEAN, "2010301" + T + "行政运行", f"412.36{T}412.36", f"412.37{T}412.37", after="公开02表")
    hierarchy = [f for f in _hits(text, "A02") if f.location.code == "20103"]
    assert hierarchy and all(f.severity.value == "info" for f in hierarchy)


def test_narrative_amount_quoting_a_cell_is_exact():
    text, line = mutate(CLEAN, "2024年度财政拨款基本支出", "763.68", "763.67")
    hits = _hits(text, "N01")
    assert [(f.severity.value, f.location.line) for f in hits] == [("warning", line)]


def test_percentage_one_unit_outside_its_interval_is_a_warning():
    # 763.68 ÷ 1023.68 lies in [74.6006 %, 74.6023 %] for any inputs rounding to these: 74.61 % is outside
    text, line = mutate(CLEAN, "基本支出763.68万元，占比", "占比74.60%", "占比74.61%")
    hits = _hits(text, "N02")
    assert [(f.severity.value, f.location.line) for f in hits] == [("warning", line)]
    text, _ = mutate(CLEAN, "基本支出763.68万元，占比", "占比74.60%", "占比74.6%")
    assert not _hits(text, "N02")  # one decimal: 74.6 covers the interval


def test_completion_of_the_initial_budget_pairs_with_the_initial_budget():
    text, line = mutate(CLEAN, "一般公共服务支出年初预算850.00万元", "年初预算850.00万元，", "年初预算850.00万元，全年预算900.00万元，")
    assert not _hits(text, "N04")  # 858.76 ÷ 850.00 = 101.03 %, whatever the 全年预算
    text, line = mutate(CLEAN, "一般公共服务支出年初预算850.00万元", "完成年初预算的101.03%", "完成年初预算的95.42%")
    assert [f.location.line for f in _hits(text, "N04")] == [line]


def _in_yuan(text: str, decimals: int = 2) -> str:
    """The example with its tables printed in 元 (the narrative keeps 万元)."""
    import re
    from decimal import Decimal

    head, rest = text.split("# 第二部分", 1)
    tables, tail = rest.split("# 第三部分", 1)
    out = []
    for line in tables.split("\n"):
        if line.startswith("金额单位："):
            line = "金额单位：元"
        elif "\t" in line and not line.startswith("栏次"):
            line = "\t".join(
                f"{Decimal(c) * 10000:.{decimals}f}" if re.fullmatch(r"\d+\.\d\d", c) else c for c in line.split("\t")
            )
        out.append(line)
    return head + "# 第二部分" + "\n".join(out) + "# 第三部分" + tail


def test_tables_in_yuan_are_read_in_wan_and_check_clean():
    text = _in_yuan(CLEAN)
    doc = parse_text(text, "yuan.txt")
    t05 = doc.table("公开05")
    assert t05.unit == "元" and t05.row_by_code("2010301").value("basic") == Decimal("412.36")
    assert [f.message for f in check(doc).findings if f.severity.value != "info"] == []


def test_a_table_in_yuan_allows_only_its_own_rounding():
    # 50 元 off in a 元 table printed to the 分 is an error, although it is under a cent of 万元
    text, line = mutate(_in_yuan(CLEAN), "2010301" + T + "行政运行", f"4123600.00{T}4123600.00", f"4123650.00{T}4123600.00", after="公开05表")
    hits = [f for f in _hits(text, "A01") if f.location.line == line]
    assert hits and hits[0].severity.value == "error" and "0.01元" in hits[0].message
    # printed in whole 元, a sum may be off by 1 元 per part, no more
    whole = _in_yuan(CLEAN, decimals=0)
    text, line = mutate(whole, "2010301" + T + "行政运行", f"4123600{T}4123600", f"4123601{T}4123600", after="公开05表")
    hits = [f for f in _hits(text, "A01") if f.location.line == line]
    assert hits and hits[0].severity.value == "info" and "每个加数1.00元" in hits[0].message
    text, line = mutate(whole, "2010301" + T + "行政运行", f"4123600{T}4123600", f"4123603{T}4123600", after="公开05表")
    hits = [f for f in _hits(text, "A01") if f.location.line == line]
    assert hits and hits[0].severity.value == "error"
