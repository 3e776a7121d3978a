"""Every rule fires on a minimal bad example and stays quiet on the clean one.

The clean base is the bundled example built without its planted defects; each case
changes one thing and asserts the rule, its severity and the line it points to.
"""

from __future__ import annotations

import pytest

from gongkai.api import parse_text
from gongkai.checks import all_rules, check
from tests.support import ROOT, delete_lines, example_text, mutate, replace_once

CLEAN = example_text(False)
T = "\t"


def run(text):
    return check(parse_text(text, "case.txt"))


def test_clean_example_has_no_findings():
    result = run(CLEAN)
    assert result.findings == [], [f.message for f in result.findings]
    assert not result.doc.warnings


CASES = [
    # (rule, severity, mutated text + line, whether the finding must point at that line)
    ("A01", "error", lambda: mutate(CLEAN, "2010301" + T + "行政运行", f"412.36{T}412.36", f"412.36{T}421.36", after="公开02表"), True),
    ("A02", "error", lambda: mutate(CLEAN, "2010350" + T + "事业运行", f"186.40{T}186.40", f"186.50{T}186.50", after="公开02表"), False),
    ("A03", "error", lambda: mutate(CLEAN, "合计" + T + T + "1023.68" + T + "1023.68", f"1023.68{T}1023.68", f"1024.68{T}1024.68"), True),
    ("A04", "error", lambda: mutate(CLEAN, "本年收入合计" + T + "27", f"27{T}1023.68", f"27{T}1032.68", after="公开01表"), True),
    ("A05", "error", lambda: mutate(CLEAN, "总计" + T + "31", f"62{T}1023.68", f"62{T}1032.68"), True),
    ("A06", "error", lambda: mutate(CLEAN, "30101" + T + "基本工资", "180.20", "182.20"), False),
    ("X01", "error", lambda: mutate(CLEAN, "合计" + T + T + "1023.68" + T + "1023.68" + T * 5, "1023.68" + T + "1023.68", "1013.68" + T + "1013.68"), False),
    ("X05", "error", lambda: mutate(CLEAN, "人员经费合计", "658.83", "668.83"), False),
    ("X07", "warning", lambda: mutate(CLEAN, "30109" + T + "职业年金缴费", f"30217{T}公务接待费{T}0.52", f"30217{T}公务接待费{T}0.72"), False),
    ("K01", "error", lambda: mutate(CLEAN, "2010301" + T + "行政运行", "行政运行", "事业运行", after="公开02表"), True),
    ("M01", "error", lambda: mutate(CLEAN, "部门名称：", "示例市数据管理局", "示例市统计局", after="公开05表"), False),
    ("M02", "error", lambda: mutate(CLEAN, "2024年度", "2024年度", "2023年度", after="公开05表"), False),
    ("M03", "warning", lambda: mutate(CLEAN, "2024年度收入合计", "2024年度", "2023年度"), True),
    ("N01", "error", lambda: mutate(CLEAN, "2024年度财政拨款基本支出", "763.68", "736.68"), True),
    ("N02", "error", lambda: mutate(CLEAN, "基本支出763.68万元，占比", "占比74.60%", "占比74.06%"), True),
    ("N03", "error", lambda: mutate(CLEAN, "2024年度收入总计", "增长1.99%，支出", "增长2.99%，支出"), True),
    ("N04", "error", lambda: mutate(CLEAN, "社会保障和就业支出年初预算", "完成年初预算的96.87%", "完成年初预算的69.87%"), True),
    ("N05", "warning", lambda: mutate(CLEAN, "截至2024年12月31日", "共有车辆1辆", "共有车辆2辆"), True),
    ("N06", "warning", lambda: mutate(CLEAN, "2024年二级项目绩效自评个数", "自评个数2个", "自评个数3个"), True),
    ("N07", "info", lambda: _unplaced_amount(), True),
    ("N08", "warning", lambda: mutate(CLEAN, "2024年度收入总计", "。主要原因是政务数据共享平台运维项目增加。", "。"), True),
    ("F01", "error", lambda: mutate(CLEAN, T + "资金总额:" + T + "200.00", f"10.00{T}95.00{T}9.50", f"10.00{T}96.00{T}9.50"), True),
    ("F02", "warning", lambda: mutate(CLEAN, T + "资金总额:" + T + "200.00", f"190.00{T}10.00", f"190.00{T}12.00"), True),
    ("F03", "warning", lambda: mutate(CLEAN, T + "资金总额:" + T + "200.00", f"95.00{T}9.50", f"95.00{T}8.50"), True),
    ("F04", "warning", lambda: mutate(CLEAN, "项目绩效分析" + T + "项目实施和预算执行情况" + T + T + "预算安排200.00万元", "执行率为95.00%", "执行率为85.00%"), True),
    ("F05", "error", lambda: _score_over_weight(), True),
    ("F06", "error", lambda: mutate(CLEAN, "总分" + T * 8 + "99.50", "99.50", "97.50"), True),
    ("F07", "error", lambda: mutate(CLEAN, "总分" + T * 8 + "85.75", f"85.75{T}良", f"85.75{T}优"), True),
    ("F08", "warning", lambda: mutate(CLEAN, T + T + "质量指标" + T + "系统可用率", f"20{T}20", f"25{T}20"), False),
    ("C01", "error", lambda: (delete_lines(CLEAN, "## 国有资本经营预算财政拨款支出决算表", "## 财政拨款“三公”经费支出决算表"), None), False),
    ("C02", "warning", lambda: (replace_once(CLEAN, "十、部门决算公开相关信息统计表.....\t9\n", ""), None), False),
    ("C03", "error", lambda: (replace_once(CLEAN, "说明：本表无数据\n\n## 国有资本", "\n## 国有资本"), None), False),
    ("C04", "warning", lambda: (delete_lines(CLEAN, "### （二）政府采购情况说明", "### （三）国有资产占用情况说明"), None), False),
    ("C08", "warning", lambda: (replace_once(CLEAN, "## 一般公共预算财政拨款支出决算表\n\n公开05表\n", ""), None), False),
]


def _unplaced_amount():
    """An amount under a heading that names no table topic, in words that name none either."""
    text, _ = mutate(CLEAN, "### （一）机关运行经费支出情况说明", "机关运行经费支出情况说明", "其他事项")
    return mutate(text, "2024年机关运行经费支出", "机关运行经费支出", "日常运转开销")


def _score_over_weight():
    text, line = mutate(CLEAN, T + T + "时效指标" + T + "完成时间", f"10{T}6", f"10{T}12")
    text, _ = mutate(text, "总分" + T * 8 + "85.75", "85.75", "91.75")
    return text, line


@pytest.mark.parametrize("rule, severity, make, exact_line", CASES, ids=[c[0] for c in CASES])
def test_rule_fires(rule, severity, make, exact_line):
    text, line = make()
    assert text != CLEAN
    result = run(text)
    hits = [f for f in result.findings if f.rule == rule and f.severity.value == severity]
    assert hits, f"{rule} did not fire; got {[(f.rule, f.severity.value, f.message) for f in result.findings]}"
    if exact_line and line is not None:
        lines = {f.location.line for f in hits} | {r.line for f in hits for r in f.related}
        assert line in lines, f"{rule} points at {sorted(x for x in lines if x)}, expected line {line}"


# rules exercised on the corpus (the budget template, or data the example lacks), and where
_FINDINGS = "tests/corpus/test_corpus_findings.py::"
ELSEWHERE = {
    "A07": _FINDINGS + "test_carry_forward_rule",
    "X02": _FINDINGS + "test_class_and_parent_codes_checked_on_final_reports",
    "K02": _FINDINGS + "test_class_and_parent_codes_checked_on_final_reports",
    "K03": _FINDINGS + "test_class_and_parent_codes_checked_on_final_reports",
    **{r: _FINDINGS + "test_reconciliation_rules_fire_on_consistent_shifts" for r in ("X03", "X04", "X06", "X08", "X09")},
    **{r: _FINDINGS + "test_budget_cross_checks_fire" for r in ("X10", "X11", "X12", "X13", "X14", "X15", "F09")},
    "F10": _FINDINGS + "test_errors_and_warnings_are_exactly_the_reviewed_ones",  # genuine findings on 003
    "N09": "tests/corpus/test_budget_narrative.py::test_budget_coverage_and_vehicles_against_the_tables",
    **{r: "tests/unit/test_recognise.py::test_budget_identities_fire" for r in ("X16", "X17", "X18", "X19", "X20", "X21", "X22", "X23")},
    # performance forms read as a reviewer reads them (tests/unit/test_form_review.py)
    **{r: "tests/unit/test_form_review.py::test_form_rule_fires_and_points_at_the_line" for r in ("F11", "F12", "F14", "F15", "F16", "F19")},
    "F13": "tests/unit/test_form_review.py::test_target_form_text_against_its_funds",
    "F17": "tests/unit/test_form_review.py::test_unit_code_outside_its_department",
    "F18": "tests/unit/test_form_review.py::test_evaluation_report_scores_against_their_parts",
    # narrative reasoning and required sections (tests/unit/test_reasoning.py)
    **{r: "tests/unit/test_reasoning.py::test_reasoning_rule_fires_and_points_at_the_line" for r in ("N10", "N11", "N12", "N13", "N14")},
    "C05": "tests/unit/test_reasoning.py::test_section_listed_in_the_toc_but_missing",
    **{r: "tests/unit/test_reasoning.py::test_template_section_without_its_own_heading" for r in ("C06", "C07")},
    "K04": "tests/unit/test_reasoning.py::test_running_item_booked_as_project",
    "K05": "tests/unit/test_reasoning.py::test_functional_and_economic_counterparts",
    "K06": "tests/unit/test_reasoning.py::test_running_costs_in_another_bodys_kuan",
    # text a reviewer marks up (tests/unit/test_text_rules.py)
    **{f"T{n:02d}": "tests/unit/test_text_rules.py::test_text_rule_fires" for n in (1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 21)},
    "T05": "tests/unit/test_text_rules.py::test_department_wording_in_a_unit_report",
    "T18": "tests/unit/test_text_rules.py::test_blank_page_from_the_reader",
    "T19": "tests/unit/test_text_rules.py::test_department_name_in_part_headings",
    "E01": "tests/unit/test_rule_failure.py::test_a_rule_that_raises_is_a_visible_error",
}


def test_every_rule_is_exercised():
    exercised = {c[0] for c in CASES} | set(ELSEWHERE)
    assert {r.id for r in all_rules()} <= exercised
    for rule, where in ELSEWHERE.items():
        path, function = where.split("::")
        source = (ROOT / path).read_text(encoding="utf-8")
        assert f"def {function}(" in source and f'"{rule}"' in source, f"{rule}: {where} does not exercise it"


def test_rounding_within_tolerance_is_info():
    text, line = mutate(CLEAN, "2010301" + T + "行政运行", f"412.36{T}412.36", f"412.37{T}412.37", after="公开02表")
    result = run(text)
    hierarchy = [f for f in result.findings if f.rule == "A02" and f.location.code == "20103"]
    assert hierarchy and all(f.severity.value == "info" for f in hierarchy)
    assert "尾数" in hierarchy[0].message
