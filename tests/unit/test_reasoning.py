"""Narrative reasoning (N10–N14) and required sections (C05–C07).

Minimal cases on the bundled example (one statement changed, the rule and the line
asserted) and real excerpts of the corpus (the seed and line are named).
"""

from __future__ import annotations

import pytest

from gongkai.api import parse_text
from gongkai.checks import check
from tests.support import delete_lines, example_text, mutate, replace_once, seed_text

CLEAN = example_text(False)
RUNNING = "2024年机关运行经费支出104.85万元。"


def run(text, rules=None):
    return check(parse_text(text, "case.txt"), rules)


def _hits(text, rule, severity=None):
    return [f for f in run(text).findings if f.rule == rule and (severity is None or f.severity.value == severity)]


CASES = [
    # (rule, severity, line start, old, new)
    ("N10", "error", "2024年度政府采购支出总额", "政府采购货物支出26.40万元", "政府采购货物支出36.40万元"),
    ("N10", "error", "公用经费104.85万元，主要包括", "公用经费104.85万元", "公用经费114.85万元"),
    ("N11", "error", "卫生健康支出年初预算35.00万元", "年初预算35.00万元", "年初预算45.00万元"),
    ("N11", "warning", "卫生健康支出年初预算35.00万元", "年初预算35.00万元", "年初预算25.00万元"),
    ("N12", "error", "2024年度政府采购支出总额", "授予中小企业合同金额60.00万元", "授予中小企业合同金额90.00万元"),
    ("N13", "error", RUNNING, RUNNING, "2024年机关运行经费支出104.85万元，比上年减少4.85万元，主要原因是2023年机关运行经费支出100.00万元，2024年机关运行经费支出104.85万元。"),
    ("N13", "error", RUNNING, RUNNING, "2024年机关运行经费支出104.85万元，比上年增加5.85万元，主要原因是2023年机关运行经费支出100.00万元，2024年机关运行经费支出104.85万元。"),
    ("N13", "error", RUNNING, RUNNING, "2024年机关运行经费支出104.85万元，低于上年的100.00万元。"),
    ("N13", "warning", RUNNING, RUNNING, "2024年机关运行经费支出104.85万元，与上年持平，增加4.85万元。"),
    ("N14", "error", "截至2024年12月31日", "单价100万元（含）以上设备（不含车辆）0台（套）", "单价50万元以上设备0台（套），单价100万元（含）以上设备（不含车辆）1台（套）"),
]


@pytest.mark.parametrize("rule, severity, start, old, new", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_reasoning_rule_fires_and_points_at_the_line(rule, severity, start, old, new):
    assert not _hits(CLEAN, rule)
    text, line = mutate(CLEAN, start, old, new)
    hits = _hits(text, rule, severity)
    assert hits, [(f.rule, f.severity.value, f.message) for f in run(text).findings]
    assert any(line in {f.location.line} | {r.line for r in f.related} for f in hits)  # the statement or a part it lists
    assert all(f.location.excerpt for f in hits)  # evidence: the statement as printed


def test_consistent_statements_are_quiet():
    ok = "2024年机关运行经费支出104.85万元，比上年增加4.85万元，主要原因是2023年机关运行经费支出100.00万元，2024年机关运行经费支出104.85万元。"
    text, _ = mutate(CLEAN, RUNNING, RUNNING, ok)
    assert not _hits(text, "N13")
    text, _ = mutate(CLEAN, RUNNING, RUNNING, "2024年机关运行经费支出104.85万元，高于上年的100.00万元。")
    assert not _hits(text, "N13")


def test_parts_within_rounding_are_info():
    text, _ = mutate(CLEAN, "2024年度政府采购支出总额", "政府采购服务支出60.00万元", "政府采购服务支出60.01万元")
    hits = _hits(text, "N10")
    assert hits and all(f.severity.value == "info" and "尾数" in f.message for f in hits)


# ------------------------------------------------------------------ corpus excerpts
def test_procurement_parts_on_the_corpus():
    # 000 L635: 政府采购支出总额173.59 = 货物4.44 + 工程0 + 服务169.15
    name = "000_9896e042631d7d6c.txt"
    text = replace_once(seed_text(name), "政府采购货物支出4.44万元", "政府采购货物支出5.44万元")
    hits = [f for f in check(parse_text(text, name), ["N10"]).findings if f.severity.value == "error"]
    assert hits and hits[0].location.line == 635 and hits[0].expected == "173.59" and hits[0].actual == "174.59"


def test_class_budgets_on_the_corpus():
    # 001 L599–617: 年初预算4,064.32万元, the classes listed add up to 4,012.62万元
    name = "001_98999400092bfb82.txt"
    hits = [f for f in check(parse_text(seed_text(name), name), ["N11"]).findings if f.severity.value != "info"]
    assert [(f.location.line, f.actual) for f in hits] == [(599, "4012.62")]
    # 000 L557–581: the twelve class budgets add up to 2,283.48 against 2,283.49: rounding only
    name = "000_9896e042631d7d6c.txt"
    assert {f.severity.value for f in check(parse_text(seed_text(name), name), ["N11"]).findings} == {"info"}


# ------------------------------------------------------------------ required sections
def test_section_listed_in_the_toc_but_missing():
    # 000: 目录 L33 lists 九、财政拨款“三公”经费支出决算情况说明; its section is L599–626
    name = "000_9896e042631d7d6c.txt"
    lines = seed_text(name).split("\n")
    assert lines[598].endswith("九、财政拨款“三公”经费支出决算情况说明") and "十、其他重要事项" in lines[626]
    text = "\n".join(lines[:598] + lines[626:])
    hits = [f for f in check(parse_text(text, name), ["C05"]).findings]
    assert [(f.location.line, "三公" in f.message) for f in hits] == [(33, True)]
    assert not check(parse_text(seed_text(name), name), ["C05", "C06", "C07"]).findings


def test_template_section_without_its_own_heading():
    text = delete_lines(CLEAN, "### （二）政府采购情况说明", "### （三）国有资产占用情况说明")
    assert any("政府采购" in f.message for f in _hits(text, "C06"))
    gap = _hits(text, "C07")
    assert gap and "国有资产" in gap[0].message and gap[0].expected == "2"


def test_first_of_a_set_of_subsections_missing():
    text = delete_lines(CLEAN, "### （一）一般公共预算财政拨款支出决算总体情况", "### （二）一般公共预算财政拨款支出决算结构情况")
    assert any("总体情况" in f.message for f in _hits(text, "C06"))


# ------------------------------------------------------------------ classification semantics (K04, K05, K06)
def test_running_item_booked_as_project():
    # the example's 2010301 行政运行 in 公开05: move 10.00 of its basic expenditure to 项目支出
    text, line = mutate(CLEAN, "2010301" + "\t" + "行政运行", "412.36\t412.36\t", "412.36\t402.36\t10.00", after="公开05表")
    hits = _hits(text, "K04")
    assert hits and hits[0].location.line == line and hits[0].actual == "10.00"


def test_running_costs_in_another_bodys_kuan():
    # the example books 行政运行 under 20103 政府办公厅（室）: fine for a body of the government office,
    # for review when the department is a 科技局 (its own 款 is 20601)
    assert not _hits(CLEAN, "K06")
    text = CLEAN.replace("示例市数据管理局", "示例市科学技术局")
    hits = _hits(text, "K06")
    lines = text.split("\n")
    first = next(i for i, l in enumerate(lines, 1) if l.startswith("2010301\t行政运行"))
    assert [(f.location.line, f.actual) for f in hits] == [(first, "2010301"), (first + 1, "2010350")]
    assert "政府办公厅" in hits[0].message and len(hits[0].related) == 2  # the same row in 公开03 and 公开05
    # a street office's work spans every sector: no finding
    assert not _hits(CLEAN.replace("示例市数据管理局", "示例区东湖街道办事处"), "K06")
    # a department whose 职责 include the other body's work (a 科技局 that also serves the 政府办公室)
    duties = text.replace("负责全市政务数据资源的统筹管理和共享开放；", "承担市政府办公室交办的科技信息化工作；")
    assert not _hits(duties, "K06")


def test_functional_and_economic_counterparts():
    # 000: 2210201 住房公积金 34.52 (公开05 L352) = 30113 住房公积金 34.52 (公开06)
    name = "000_9896e042631d7d6c.txt"
    assert not [f for f in check(parse_text(seed_text(name), name), ["K05"]).findings]
    text = replace_once(seed_text(name), "2210201\t住房公积金\t34.52\t34.52\t\n", "2210201\t住房公积金\t35.52\t35.52\t\n")
    hits = [f for f in check(parse_text(text, name), ["K05"]).findings]
    assert hits and hits[0].severity.value == "warning" and hits[0].expected == "35.52" and hits[0].actual == "34.52"
