"""Performance forms read as a reviewer reads them (rules F11–F17, gongkai/checks/form_text.py).

Pure helpers on sentences taken from the corpus (the line is named), rules on the bundled
example with one thing changed, and on the budget seed's target forms.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.api import parse_text
from gongkai.checks import check
from gongkai.checks.form_text import evaluate, falls_short, formulas, itemised, quantity, stated_total
from tests.support import example_text, mutate, replace_once, seed_text

CLEAN = example_text(False)
T = "\t"
ANALYSIS = "项目绩效分析" + T + "项目实施和预算执行情况" + T + T + "预算安排200.00万元"


def run(text, rules=None):
    return check(parse_text(text, "case.txt"), rules)


# ------------------------------------------------------------------ helpers on corpus sentences
def test_formula_evaluation_is_exact():
    assert evaluate("(500+180)*6*200+1500*6*12") == Decimal(924000)  # 003 L698
    assert evaluate("6*180*(500+180)+6*10*1500") == Decimal(824400)  # 003 L840
    assert evaluate("1519*6+1619*6") == Decimal(18828)  # 003 L1242
    assert evaluate("2*(3") is None and evaluate("*3") is None


def test_formulas_in_form_text():
    # 003 L1524: three correct formulas (results in 万元, operands in 元) and a wrong one
    text = ("1.商务接待35万元，共计350*500*2=35万元；2.专家咨询费20万元，共计40*1500*3=20万元；"
            "4.购置纯净水3.2万元，共计4*889*9=3.2万元")
    found = {f.expression: f.agrees() for f in formulas(text)}
    assert found == {"350*500*2": True, "40*1500*3": False, "4*889*9": True}
    # 003 L1242: results in 元
    assert all(f.agrees() for f in formulas("工资:(6610+100)*12=80520元;公积金:1519*6+1619*6=18828元"))
    # 003 L1701: an amount with its formula in brackets (200*550*5+12000*5*2*2 = 79万元, not 134)
    bracketed = formulas("2.到先进地区学习至少两次134万元(200*550*5+12000*5*2*2)。3.讲座14.4万元(1500*4*24)")
    assert [(f.stated, f.agrees(), f.explicit) for f in bracketed] == [(Decimal(134), False, False), (Decimal("14.4"), True, False)]
    # dates, ranges, ratios and percentages are not formulas
    assert formulas("2019-2023年；按4:3:3比例；执行率=100%；1-5月") == []


def test_itemised_amounts_and_their_total():
    # 003 L840 (shortened): 共计300万元 but 82.44 + 139 + 76.2 = 297.64
    text = ("列出2024年工作预算,共计300万元。主要包括:1、外出洽谈82.44万元。按照…计算;2、其他业务费139万元。"
            "(1)中介服务费100万元;(2)印刷资料费12万元;3、光博会活动经费76.2万元。主要包括:(1)布展费20.7万元")
    items = itemised(text)
    assert items.total == Decimal(300) and items.sum == Decimal("297.64")
    assert [n for n, *_ in items.items] == [1, 2, 3]
    # 003 L1806: item 6 missing (5. then 7.): not read
    assert itemised("经费用于:1.报道,50万元;2.报道,50万元;3.报道,15万元;4.代管,40万元;5.发布,5万元;7.活动,全年5万元;8.视频,10万元。") is None
    # nested 一、… 1.… lists are not read
    assert itemised("一、专项经费(141.9万元),其中:1、差旅92.4万元。2、印刷8万元。二、推介会90万元") is None


def test_stated_total_before_the_list():
    # 003 L698: the text's total precedes its 一、… list
    assert stated_total("列出2024年工作预算,共计231.9万元,主要包括:一、专项工作经费(141.9万元),其中:1、…共计10万元")[0] == Decimal("231.9")
    assert stated_total("办案保障3万元;报刊4.5万元,印刷费2万元,共计19万元。")[0] == Decimal(19)  # 003 L962
    assert stated_total("共计10万元，另共计12万元") is None


def test_quantities_and_shortfalls():
    assert quantity("≥90%") == quantity("≥ 90 %")
    assert quantity("-8人").op == "="  # "=" converted to "-" (002 L626)
    assert quantity("达成预期指标") is None
    assert falls_short(quantity("≥500本"), quantity("≥0本"))
    assert not falls_short(quantity("≥90%"), quantity("95%"))
    assert not falls_short(quantity("=5人"), quantity("=9人"))  # more than planned
    assert falls_short(quantity("=12个"), quantity("=11个"))
    assert not falls_short(quantity("=35万元"), quantity("=34.57万元"), lower_is_better=True)  # a cost below plan
    assert not falls_short(quantity("≥90%"), quantity("9个"))  # units differ: not comparable


# ------------------------------------------------------------------ rules on the example
def _hits(text, rule):
    return [f for f in run(text).findings if f.rule == rule]


CASES = [
    # (rule, severity, line start, old, new)
    ("F11", "error", ANALYSIS, "预算安排200.00万元，", "预算安排200.00万元（按20*5000*2=25万元测算），"),
    ("F12", "warning", ANALYSIS, "预算安排200.00万元，", "预算共计200.00万元，包括：1.运维服务150万元；2.设备更新60万元。"),
    ("F14", "warning", T + T + "质量指标" + T + "系统可用率", "系统可用率" + T + "≥99%" + T + "≥99%" + T + "99.5%", "项目总成本" + T + "≤150万元" + T + "≤150万元" + T + "140万元"),
    ("F15", "warning", T + "产出指标" + T + "数量指标" + T + "接入部门数量", "32个", "28个"),
    ("F15", "warning", T + T + "时效指标" + T + "故障响应时间", "1小时" + T + "10" + T + "10", "部分达成预期指标" + T + "10" + T + "10"),
    ("F16", "warning", T + T + "时效指标" + T + "故障响应时间", "10" + T + "10", "10" + T),
    # the indicator says 32个 (接入部门数量); the analysis text now says 30个
    ("F19", "warning", ANALYSIS, "预算安排200.00万元，", "接入部门数量30个，预算安排200.00万元，"),
]


@pytest.mark.parametrize("rule, severity, start, old, new", CASES, ids=[c[0] + "-" + str(i) for i, c in enumerate(CASES)])
def test_form_rule_fires_and_points_at_the_line(rule, severity, start, old, new):
    assert not _hits(CLEAN, rule)
    text, line = mutate(CLEAN, start, old, new)
    hits = [f for f in _hits(text, rule) if f.severity.value == severity]
    assert hits, [(f.rule, f.message) for f in run(text).findings]
    assert any(f.location.line == line for f in hits)
    assert all(f.location.table and f.location.section for f in hits)  # evidence: form and project


def test_unit_code_outside_its_department():
    first = "主管部门及代码" + T + T + "901-示例市数据管理局" + T * 3 + "预算单位" + T + "901001"
    text = CLEAN.replace(first, first.replace("901001", "902001"), 1)  # the first of the two forms only
    line = next(i for i, x in enumerate(CLEAN.split("\n"), 1) if x.startswith(first))
    hits = _hits(text, "F17")
    assert len(hits) == 1 and "902001" in hits[0].message and hits[0].location.line == line - 1  # the form's 项目名称 row


def test_empty_indicator_row_earning_points():
    # 000 L991: "成本指标" with no name and no values, scored 10
    text, line = mutate(CLEAN, T + T + "质量指标" + T + "系统可用率", "质量指标" + T + "系统可用率" + T + "≥99%" + T + "≥99%" + T + "99.5%", "成本指标" + T + T + T + T)
    hits = _hits(text, "F16")
    assert hits and hits[0].location.line == line and "却得20分" in hits[0].message


def test_full_score_after_a_shortfall_is_not_reported_when_scored_down():
    text, _ = mutate(CLEAN, T + "产出指标" + T + "数量指标" + T + "接入部门数量", "32个" + T + "30" + T + "30", "28个" + T + "30" + T + "26")
    assert not _hits(text, "F15")


# ------------------------------------------------------------------ rules on the budget seed's target forms
def test_target_form_text_against_its_funds():
    name = "003_dc3175b1d97e8850.txt"
    text = seed_text(name)
    base = check(parse_text(text, name), ["F11", "F12", "F13", "F14"])
    assert {(f.rule, f.location.line) for f in base.findings if f.severity.value != "info"} >= {("F11", 1524), ("F13", 698), ("F12", 840)}
    # 纪工委 (L953–L980): 共计19万元 = 年度资金总额 190,000元; raise the funds and F13 fires
    changed = replace_once(text, "190,000\t\t年度资金总额:\t\t190,000", "200,000\t\t年度资金总额:\t\t200,000")
    hits = [f for f in check(parse_text(changed, name), ["F13"]).findings if f.location.line == 962]
    assert hits and hits[0].expected == "20.00" and hits[0].actual == "19.00"


def test_evaluation_report_scores_against_their_parts():
    # 002 L1548: "B1 组织管理（满分15分，得10分）" over B101–B105 at 3 of 3 each; the class
    # heading L1531 (实施 30) then adds up to 25
    name = "002_80dc64eda384f1d0.txt"
    text = seed_text(name)
    found = [(f.location.line, f.expected, f.actual) for f in check(parse_text(text, name), ["F18"]).findings]
    assert found == [(1531, "25", "30"), (1548, "15", "10")]
    fixed = replace_once(text, "B1 组织管理（满分15分，得10分）", "B1 组织管理（满分15分，得15分）")
    assert not check(parse_text(fixed, name), ["F18"]).findings
