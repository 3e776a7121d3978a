"""Text a reviewer marks up (T01–T19): each rule fires on one planted defect in the clean
example, at the line it was planted on, and stays quiet on conversion-like variants."""

from __future__ import annotations

import pytest

from gongkai.api import parse_text
from gongkai.checks import check
from gongkai.checks.sentences import prose_units
from gongkai.model.document import ExtractionWarning
from gongkai.model.provenance import Provenance
from tests.support import example_text, mutate, replace_once

CLEAN = example_text(False)
TOTAL = "2024年度收入总计"  # the opening paragraph of the 情况说明
SHARES = "基本支出763.68万元，占比"


def run(text, rules=None):
    return check(parse_text(text, "case.txt"), rules)


def text_findings(result):
    return [f for f in result.findings if f.category == "text"]


def test_clean_example_has_no_text_findings():
    assert text_findings(run(CLEAN)) == []


CASES = [
    ("T01", "error", lambda: mutate(CLEAN, "2024年机关运行经费支出", "104.85万元", "XX万元")),
    ("T01", "error", lambda: mutate(CLEAN, "截至2024年12月31日", "本部门", "某某部门")),
    ("T02", "error", lambda: mutate(CLEAN, TOTAL, "收入总计增加19.96万元，增长1.99%", "收入总计增加（减少）19.96万元，增长（下降）1.99%")),
    ("T03", "warning", lambda: mutate(CLEAN, "2024年机关运行经费支出", "。", "。（请填写机关运行经费的增减原因）")),
    ("T04", "error", lambda: mutate(CLEAN, TOTAL, "增加19.96万元，增长1.99%，支出", "增加19.96万元，增长%，支出")),
    ("T06", "warning", lambda: mutate(CLEAN, "# 第三部分 情况说明", "情况说明", "2024年部门预算情况说明")),
    ("T06", "warning", lambda: mutate(CLEAN, TOTAL, "2024年度收入总计", "2024年度部门预算收入总计")),
    ("T07", "error", lambda: mutate(CLEAN, TOTAL, "与上年相比", "与2022年相比")),
    ("T08", "warning", lambda: mutate(CLEAN, "截至2024年12月31日", "截至2024年", "截至2023年")),
    ("T09", "warning", lambda: mutate(CLEAN, TOTAL, "支出总计1,023.68万元。", "2021年支出总计1,023.68万元。")),
    ("T10", "error", lambda: mutate(CLEAN, "# 第三部分 情况说明", "情况说明", "2023年度部门决算情况说明")),
    ("T11", "warning", lambda: mutate(CLEAN, "2024年机关运行经费支出", "。", "，依据财预〔2020〕10号和财预[2020]10号。")),
    ("T12", "warning", lambda: mutate(CLEAN, "2024年机关运行经费支出", "。", "。。")),
    ("T12", "warning", lambda: mutate(CLEAN, TOTAL, "增长1.99%，支出", "增长1.99%，，支出")),
    ("T13", "warning", lambda: mutate(CLEAN, "2024年机关运行经费支出", "104.85万元。", "104.85万元，比上年有所增加")),
    ("T14", "warning", lambda: mutate(CLEAN, "2024年二级项目绩效自评个数", "自评等级为“优”", "自评等级为优”")),
    ("T14", "warning", lambda: mutate(CLEAN, "截至2024年12月31日", "单价100万元（含）以上", "单价100万元（含以上")),
    ("T15", "error", lambda: mutate(CLEAN, TOTAL, "主要原因是政务数据共享平台运维项目增加。", "主要原因是。")),
    ("T15", "warning", lambda: mutate(CLEAN, "2024年机关运行经费支出", "104.85万元。", "104.85万元，主要用于")),
    ("T16", "error", lambda: mutate(CLEAN, TOTAL, "主要原因是政务", "主要原因是\ufffd\ufffd")),
    ("T16", "warning", lambda: mutate(CLEAN, TOTAL, "主要原因是政务", "主要原因是æ”¿åŠ¡")),
    ("T17", "error", lambda: mutate(CLEAN, "住房保障支出(类)", "43.59万元", "4.3.59万元")),
    ("T12", "warning", lambda: mutate(CLEAN, "注：本表反映部门本年度政府采购", "情况。", "情况。。")),  # a table note
    ("T01", "error", lambda: mutate(CLEAN, "项目绩效分析" + "\t" + "项目实施和预算执行情况", "预算安排200.00万元", "预算安排XX万元")),  # a form's text
    ("T21", "warning", lambda: mutate(CLEAN, TOTAL, "主要原因是政务数据共享平台", "主要原因是政务数据数据共享平台")),
]


@pytest.mark.parametrize("rule, severity, make", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_text_rule_fires(rule, severity, make):
    text, line = make()
    hits = [f for f in run(text).findings if f.rule == rule and f.severity.value == severity]
    assert hits, [(f.rule, f.severity.value, f.message) for f in run(text).findings]
    assert line in {f.location.line for f in hits}, [(f.location.line, f.message) for f in hits]
    assert all(f.location.excerpt for f in hits)


def _unit_report():
    """The example as a 单位 report: its cover says 单位, its body still says 部门 in three places."""
    text = replace_once(CLEAN, "2024年度部门决算公开", "2024年度单位决算公开")
    for old, new in (("本部门设5个", "本单位设5个"), ("本部门共有车辆", "本单位共有车辆")):
        text = replace_once(text, old, new)
    assert text.count("2024年部门决算表") == 2  # the 目录 entry and the part title
    return text.replace("2024年部门决算表", "2024年单位决算表")


def test_department_wording_in_a_unit_report():
    assert not [f for f in run(_unit_report()).findings if f.rule == "T05"]
    text, line = mutate(_unit_report(), "# 第三部分 情况说明", "情况说明", "2024年部门决算情况说明")
    hits = [f for f in run(text).findings if f.rule == "T05"]
    assert [f.location.line for f in hits] == [line]
    text, line = mutate(_unit_report(), "2024年机关运行经费支出", "2024年", "2024年本部门")
    assert [f.location.line for f in run(text).findings if f.rule == "T05"] == [line]
    # a 部门 report may say 本部门
    assert not [f for f in run(mutate(CLEAN, "2024年机关运行经费支出", "2024年", "2024年本部门")[0]).findings if f.rule == "T05"]


def test_department_name_in_part_headings():
    text, line = mutate(CLEAN, "# 第三部分 情况说明", "情况说明", "示例市统计局2024年度部门决算情况说明")
    hits = [f for f in run(text).findings if f.rule == "T19"]
    assert hits and hits[0].severity.value == "error" and hits[0].location.line == line
    same, _ = mutate(CLEAN, "# 第三部分 情况说明", "情况说明", "示例市数据管理局2024年度部门决算情况说明")
    assert not [f for f in run(same).findings if f.rule == "T19"]


def test_blank_page_from_the_reader():
    doc = parse_text(CLEAN, "case.txt")
    doc.warnings.append(ExtractionWarning("page-blank", "第3页没有文字", Provenance(page=3)))
    hits = check(doc, ["T18"]).findings
    assert [(f.rule, f.location.page) for f in hits] == [("T18", 3)]


def test_a_final_report_may_speak_of_its_budget():
    """年初预算 / 全年预算数 in a 决算 are not 预算 wording; 截至 the report's year-end is right."""
    result = run(CLEAN)
    assert not [f for f in result.findings if f.rule in ("T06", "T08")]


@pytest.mark.parametrize("noise", [
    ("2024年机关运行经费支出104.85万元。", "2024年机关运行经费\n支出104.85万元。"),  # a line wrapped by the converter
    ("2024年机关运行经费支出104.85万元。", "2024年机关运行经费支出104.85万元\n\n。"),  # the full stop orphaned
    ("与上年相比，收入总计", "与上年相比,收入总计"),  # half-width punctuation
    ("单价100万元（含）以上设备（不含车辆）", "单价100万元(含)以上设备（不含车辆)"),  # mixed bracket widths
])
def test_conversion_noise_gives_no_text_finding(noise):
    text = replace_once(CLEAN, *noise)
    assert text_findings(run(text)) == []


def test_units_locate_each_line():
    text = replace_once(CLEAN, "2024年机关运行经费支出104.85万元。", "2024年机关运行经费\n支出104.85万元。。")
    doc = parse_text(text, "case.txt")
    unit = next(u for u in prose_units(doc) if u.text.startswith("2024年机关运行经费"))
    assert len(unit.lines) == 2 and unit.prov_at(len(unit.text) - 1).line == unit.lines[1]
    hits = [f for f in check(doc, ["T12"]).findings]
    assert [f.location.line for f in hits] == [unit.lines[1]]


def test_unit_statement_is_not_a_missing_number():
    text, _ = mutate(CLEAN, "2024年机关运行经费支出", "104.85万元。", "104.85万元（本说明金额单位为万元）。")
    assert not [f for f in run(text).findings if f.rule == "T04"]


def test_unmapped_pdf_glyph_is_undisplayable():
    text, line = mutate(CLEAN, TOTAL, "主要原因是政务", "主要原因是(cid:4521)(cid:3381)")
    hits = [f for f in run(text).findings if f.rule == "T16"]
    assert hits and hits[0].severity.value == "error" and hits[0].location.line == line and "(cid:4521)" in hits[0].message


def test_an_older_budget_figure_is_a_far_year():
    text, line = mutate(CLEAN, "一般公共服务支出年初预算850.00万元", "年初预算850.00万元", "2021年预算850.00万元")
    assert [f.location.line for f in run(text).findings if f.rule == "T09"] == [line]


def test_a_final_report_compares_with_its_own_budget():
    text, _ = mutate(CLEAN, TOTAL, "与上年相比", "与2024年年初预算相比")
    assert not [f for f in run(text).findings if f.rule == "T07"]


def test_toc_entries_are_checked_like_part_titles():
    text = CLEAN.replace("2024年部门决算表", "2023年部门决算表")
    hits = sorted((f.location.line, f.message) for f in run(text).findings if f.rule == "T10")
    first_part = text.split("\n").index("# 第一部分 概况") + 1
    assert len(hits) == 2 and hits[0][0] < first_part < hits[1][0]
    assert "目录条目" in hits[0][1] and "部分标题" in hits[1][1]


def test_final_wording_in_a_budget_report():
    from tests.support import seed_text

    name = "003_dc3175b1d97e8850.txt"
    text = replace_once(seed_text(name), "万元,比上年增加2018.27万元", "万元,决算支出比上年增加2018.27万元")
    hits = [f for f in run(text).findings if f.rule == "T06"]
    assert [f.location.line for f in hits] == [504]
    # the year before's 决算 is a fair comparison in a budget
    text = replace_once(seed_text(name), "万元,比上年增加2018.27万元", "万元,比2023年决算支出增加2018.27万元")
    assert not [f for f in run(text).findings if f.rule == "T06"]


def test_document_numbers_of_different_issuers_are_not_one():
    text, _ = mutate(CLEAN, "2024年机关运行经费支出", "。", "，依据晋市财综〔2021〕58号和晋财综[2021]58号。")
    assert not [f for f in run(text).findings if f.rule == "T11"]


def test_a_list_item_that_lost_its_full_stop_is_found_although_the_reader_joins_it():
    text, line = mutate(CLEAN, "一般公共服务支出年初预算850.00万元", "101.03%。", "101.03%")
    hits = [f for f in run(text).findings if f.rule == "T13"]
    assert [f.location.line for f in hits] == [line] and "社会保障和就业支出" in hits[0].message


def test_a_numbered_item_that_lost_its_full_stop_reads_as_a_heading():
    base = replace_once(CLEAN, "本部门设5个内设科室，下属1个事业单位（示例市大数据中心）。",
                        "本部门主要职责如下：\n\n1、负责全市政务数据资源的统筹管理工作。\n\n2、负责电子政务基础设施的建设和运行维护。\n\n3、承办市政府交办的其他事项。")
    assert not [f for f in run(base).findings if f.rule == "T13"]
    lines = base.split("\n")
    for k in (lines.index("2、负责电子政务基础设施的建设和运行维护。"), lines.index("3、承办市政府交办的其他事项。")):
        ls = list(lines)
        ls[k] = ls[k][:-1]
        hits = [f for f in run("\n".join(ls)).findings if f.rule == "T13"]
        assert [f.location.line for f in hits] == [k + 1], (k, [(f.location.line, f.message) for f in hits])


def test_zeros_of_a_date_are_not_a_placeholder():
    text, _ = mutate(CLEAN, "2024年机关运行经费支出", "2024年", "二〇〇九年设立以来，2024年")
    assert not [f for f in run(text).findings if f.rule == "T01"]
    text, line = mutate(CLEAN, "2024年机关运行经费支出", "104.85万元", "○○万元")
    assert [f.location.line for f in run(text).findings if f.rule == "T01"] == [line]


def test_a_definition_without_its_full_stop():
    text, line = mutate(CLEAN, "- 二、基本支出：指为保障机构正常运转", "公用经费支出。", "公用经费支出")
    assert [f.location.line for f in run(text).findings if f.rule == "T13"] == [line]


@pytest.mark.parametrize("line_start", [
    "公务接待费支出0.52万元",  # items of the form 公务接待费|支出0.52万元…, the next one joined on
    "社会保障和就业支出年初预算",  # items of the form 国防支出|年初预算…
])
def test_a_list_item_that_lost_its_full_stop_is_found_at_its_line(line_start):
    text, line = mutate(CLEAN, line_start, "。", "")
    assert [f.location.line for f in check(parse_text(text, "case.txt"), ["T13"]).findings] == [line]


def test_a_markdown_list_item_is_never_the_continuation_of_the_line_before():
    # 名词解释 items are "- " lines; the last one, without its full stop, stays its own paragraph
    text, line = mutate(CLEAN, "- 五、机关运行经费", "公用经费支出。", "公用经费支出")
    text = text.replace("公用经费支出\n", "公用经费支出\n- 本部门无其他需要解释的名词。\n", 1)
    doc = parse_text(text, "case.txt")
    units = [u.text for u in prose_units(doc) if u.text.startswith(("五、机关运行经费", "本部门无其他"))]
    assert len(units) == 2 and units[0].endswith("公用经费支出")
    assert [f.location.line for f in check(doc, ["T13"]).findings] == [line]
