"""Checking the real corpus: the genuine defects a careful reviewer finds are reported,
and nothing else is reported as an error or warning.

Every expected finding below was verified by hand (tests/data/review/*.md has the
arithmetic). Infos (rounding within tolerance, unknown codes, …) are not listed.
"""

from __future__ import annotations

import pytest

from gongkai.api import parse_text
from gongkai.checks import check
from tests.support import SEED_FILES, checked, example_text, replace_once, seed_text

# (rule, severity, line, why it is genuine); a line may carry the same rule twice
EXPECTED = {
    "000_9896e042631d7d6c.txt": [
        ("T05", "warning", 13, "the 目录 of a 单位决算 lists 第二部分 2024年部门决算表"),
        ("T05", "warning", 57, "a 单位决算 whose part title says 第二部分 2024年部门决算表"),
        ("N06", "warning", 645, "narrative claims 11 self-evaluated projects; 9 forms are attached"),
        ("N06", "warning", 645, "narrative claims 2820.28万元; the attached forms' 全年预算数 total 1752.81"),
        ("N01", "warning", 585, "narrative 财政拨款基本支出387.78 quotes 公开05 基本支出 387.79: one figure printed twice differs by 0.01"),
        ("F04", "warning", 759, "中央外经贸: analysis text says 95.88%, funds block 100%"),
        ("F08", "warning", 788, "安全生产: indicator weights total 88 (+10 = 98)"),
        ("F06", "warning", 806, "安全生产: 总分 100 but scores add to 98 (weights incomplete, so a warning)"),
        ("F04", "warning", 807, "安全生产: text 100+17 → 95.95%, funds block 100%"),
        ("F04", "warning", 880, "企业统计: text 29.37%, funds block 100%"),
        ("F16", "warning", 991, "市场主体倍增: an empty 成本指标 row (no name, no values) scored 10"),
    ],
    "001_98999400092bfb82.txt": [
        ("K06", "warning", 191, "工业和信息化局 books 2010301 行政运行 under 20103 政府办公厅（室）, another body's 款: for review"),
        ("A06", "warning", 456, "公开06 公用经费合计 printed blank although 302 = 33.24"),
        ("N11", "warning", 599, "年初预算4,064.32万元, the 8 classes listed add up to 4,012.62 (51.70 unaccounted for)"),
        ("K05", "warning", 380, "公开05 2080505+2080506 basic 64.62 vs 公开06 30108+30109 71.04 (totals agree at 471.59, the items do not)"),
        ("K05", "warning", 388, "公开05 2101101–03 basic 25.48 vs 公开06 30110+30111 27.83"),
        ("K05", "warning", 413, "公开05 2210201 住房公积金 32.37 vs 公开06 30113 35.37"),
        ("T17", "error", 591, "资源勘探工业信息等支出(类)2.119.60万元: an amount with two decimal points"),
        ("T13", "warning", 625, "the 基本支出 paragraph ends …其他交通费用11.91万元 without a full stop"),
        ("T13", "warning", 674, "the 政府采购 paragraph ends …社会保险基金预算支出0万元 without a full stop"),
    ],
    "002_80dc64eda384f1d0.txt": [
        ("K01", "error", 334, "30999 printed with 31099's name 其他资本性支出"),
        ("K04", "warning", 191, "2011350 事业运行 booked 131.63 as 项目支出 (公开03; 公开05 line 282 is its related cell)"),
        ("N01", "warning", 489, "narrative names a class 一般公共预算服务支出 that does not exist"),
        ("T13", "warning", 503, "the 住房保障 paragraph ends …重新核定了公积金缴费基数 without a full stop"),
        ("N04", "error", 503, "完成年初预算的100% stated over a 年初预算 of 0 (商业服务业等支出)"),
        ("T13", "warning", 567, "the 预算绩效 paragraph ends …绩效评价结果为“优” without a full stop"),
        ("F04", "warning", 635, "遗属补助: text 93%, funds block 100%"),
        ("F08", "warning", 676, "出口信用保险: weights total 85"),
        ("F06", "warning", 687, "出口信用保险: 总分 95 vs scores 90 (weights incomplete)"),
        ("F04", "warning", 719, "汽配办"), ("F04", "warning", 758, "进博会"), ("F04", "warning", 816, "电子商务"),
        ("F04", "warning", 844, "会议室装修"), ("F04", "warning", 871, "市场主体倍增"), ("F04", "warning", 929, "商业网点规划"),
        ("F04", "warning", 1007, "兰花保税"), ("F04", "warning", 1046, "内贸流通"), ("F04", "warning", 1097, "商务行业监管"),
        ("F04", "warning", 1163, "政府购买服务"),
        ("F19", "warning", 1164, "政府购买服务: 公共场所整洁率 =100% in the indicators, 98% in the 产出情况 text"),
        ("F19", "warning", 1164, "政府购买服务: 办公场所安保率 =100% in the indicators, 达到98% in the text"), ("F04", "warning", 1190, "夜间经济"), ("F04", "warning", 1243, "宣传信息"),
        ("F04", "warning", 1268, "自收自支"),
        ("T21", "warning", 1099, "商务行业监管 form text: 外贸外贸企业调研活动"),
        ("T21", "warning", 1244, "宣传信息 form text: 外贸外贸等商务重点工作"),
        ("F14", "warning", 865, "市场主体倍增奖励: 成本指标 项目预算控制数 ≤480万元, funds 336 / 152"),
        ("F17", "warning", 962, "开发区考核奖励: 主管部门编码 250, the other 22 forms 259"),
        ("F15", "warning", 974, "开发区考核奖励: 拨付时间 部分达成 scored 0 of 10"),
        ("F15", "warning", 1002, "兰花保税: 推动贸易高质量发展 部分达成 scored the full 5"),
        ("F16", "warning", 1064, "品鉴美食: 出版书籍数量 分值10, 得分 blank (actual ≥0本 of ≥500本)"),
        ("F14", "warning", 1092, "商务行业监管: 成本指标 项目预算控制数 ≤70万元, funds 44 / 36.082"),
        ("F14", "warning", 1238, "宣传信息服务: 成本指标 项目预算 =30万元, funds 20 / 9.75"),
        ("F17", "warning", 1251, "自收自支: 主管部门编码 269, the other 22 forms 259"),
        ("F18", "warning", 1531, "重点评价报告: 实施 30分 but B1 10 + B2 15 = 25 (B1's heading is the wrong one)"),
        ("F18", "warning", 1548, "重点评价报告: B1 组织管理 得10分 but B101–B105 score 3 each = 15"),
    ],
    "003_dc3175b1d97e8850.txt": [
        ("N06", "warning", 549, "narrative: 31 projects with published targets; 30 target forms attached"),
        ("N06", "warning", 549, "same paragraph states 31 again (公开项目绩效目标31个)"),
        ("N08", "warning", 504, "一般公共预算当年支出 比上年增加2018.27万元，增长20.35% with no reason in its section"),
        ("F10", "warning", 565, "整体支出绩效目标申报表 合计 11997.57 vs 表三 11941.39"),
        ("F10", "warning", 567, "整体支出绩效目标申报表 项目支出 9234.41 vs 表三 9178.23"),
        ("F13", "warning", 698, "产业促进服务中心: 项目概况 共计231.9万元, 年度/实施期资金总额 195万元"),
        ("F14", "warning", 711, "产业促进服务中心: 成本指标 项目运行总成本 ≤231.9万元, funds 195万元"),
        ("F12", "warning", 840, "国际合作服务中心: 共计300万元, items 82.44 + 139 + 76.2 = 297.64"),
        ("F13", "warning", 840, "国际合作服务中心: 共计300万元, 年度资金总额 351万元"),
        ("F14", "warning", 855, "国际合作服务中心: 项目运行总成本 ≤300万元, funds 351万元"),
        ("F13", "warning", 923, "机关大楼设备维护: 9 items add to 146万元, funds 119 / 136万元"),
        ("F12", "warning", 1001, "市场监管分局进驻: 费用21万元, items (10.03 + 1 + 1 + 3 + 1.5 + 3 + 0.5 + 1) add to 21.03"),
        ("F11", "error", 1524, "综合办公室: 40*1500*3 = 180000元 = 18万元, printed =20万元"),
        ("F14", "warning", 1541, "综合办公室: 项目运行总成本 ≤125.4万元, funds 65 / 135.4 (its items add to 135.4)"),
        ("F11", "warning", 1701, "干部人事: 134万元(200*550*5+12000*5*2*2) — the formula gives 79万元"),
        ("F14", "warning", 1861, "宣传经费: 成本指标 项目预算执行 ≤158万元, funds 100万元"),
    ],
    "004_aa13b0b8df1bfb31.txt": [
        ("K06", "warning", 156, "科学技术局 books 2010150 事业运行 under 20101 人大事务: almost certainly the wrong 款"),
        ("C01", "error", 19, "公开07 listed in the 目录 but absent from the body"),
        ("K05", "warning", 294, "公开05 2080505 basic 116.89 vs 公开06 30108+30109 116.79"),
        ("F08", "warning", 580, "科技发展: weights total 84"),
        ("F06", "warning", 592, "科技发展: 总分 88.5 vs scores 82.5"),
        ("F04", "warning", 593, "科技发展: text 63.14%, block 100%"),
        ("F04", "warning", 638, "研发基地工程: text 81.67%, block 100%"),
        ("T21", "warning", 639, "研发基地工程 form text: 展示展示等科技服务"),
        ("T21", "warning", 643, "研发基地工程 form text: 展示展示 again"),
        ("F04", "warning", 680, "研发基地运营: text 98.46%, block 100%"),
        ("F17", "warning", 691, "科技综合专项: 预算单位 108001 under 主管部门 100"),
        ("F04", "warning", 721, "综合专项: text 98%, block 100%"),
        ("F08", "warning", 786, "遗属: weights total 85"),
        ("F06", "warning", 792, "遗属: 总分 100 vs scores 95"),
        ("F04", "warning", 793, "遗属: text 86.69%, block 100%"),
    ],
}


@pytest.mark.parametrize("name", SEED_FILES)
def test_errors_and_warnings_are_exactly_the_reviewed_ones(name):
    got = sorted((f.rule, f.severity.value, f.location.line) for f in checked(name).findings if f.severity.value != "info")
    expected = sorted((rule, severity, line) for rule, severity, line, _why in EXPECTED[name])
    assert got == expected


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_finding_has_evidence(name):
    for f in checked(name).findings:
        assert f.rule and f.severity and f.message
        assert f.location.line or f.location.page or f.location.table, f.message
        if f.category in ("arithmetic", "reconciliation") and f.severity.value != "info":
            assert f.expected is not None and f.actual is not None


def test_rounding_is_info_and_says_so():
    rounding = [f for f in checked("000_9896e042631d7d6c.txt").findings if f.note == "rounding"]
    assert rounding and all(f.severity.value == "info" and "尾数" in f.message for f in rounding)
    # 公开05 基本支出 387.79 vs 06 353.25 + 34.53 = 387.78
    assert any(f.rule == "X05" and f.location.line == 305 for f in rounding)


def test_department_unit_not_single_admin_unit_running_costs_are_info():
    """001 is a 部门 with a subordinate 事业单位: 机关运行经费 ≠ 公用经费 is only noted."""
    x08 = [f for f in checked("001_98999400092bfb82.txt").findings if f.rule == "X08"]
    assert x08 and x08[0].severity.value == "info"


def test_carry_forward_rule():
    """年末 = 年初 + 收入 − 支出 on a 政府性基金 table that has data (built from the example)."""
    text = replace_once(example_text(False), "合计\t\t\t\t\t\t\t\n\n说明：本表无数据", "合计\t\t5.00\t10.00\t8.00\t8.00\t\t9.00\n\n注：本年度有政府性基金收支")
    result = check(parse_text(text), ["A07"])
    assert [f.rule for f in result.findings] == ["A07"] and result.findings[0].expected == "7.00"


def test_budget_rules_run_on_the_budget_report():
    result = checked("003_dc3175b1d97e8850.txt")
    ran = set(result.rules_run)
    assert {"X10", "X11", "X12", "X13", "X14", "X15", "F09", "F10"} <= ran
    skipped = {s.rule for s in result.skipped}
    assert {"X01", "X02", "X05"} <= skipped  # 决算 tables this template does not have


# Each budget cross-check fires when one printed figure of the Shanxi budget seed no
# longer agrees with the table it is checked against (line: where it must point).
@pytest.mark.parametrize("rule, severity, mutate_from, mutate_to, line", [
    # 表二 合计 上年结转 3.83 → 4.83, 表一 still says 3.83
    ("X10", "error", "合计⇥⇥11937.57⇥11937.57⇥⇥⇥⇥⇥3.83\n", "合计⇥⇥11937.57⇥11937.57⇥⇥⇥⇥⇥4.83\n", 123),
    ("X11", "error", "⇥⇥六、科学技术支出⇥2142.31⇥2142.31⇥\n", "⇥⇥六、科学技术支出⇥2152.31⇥2152.31⇥\n", 85),
    # 表六 合计 +10 (人员经费): 表五 基本支出 2763.16 no longer equals it
    ("X12", "error", "合计⇥⇥2763.16⇥2334.09⇥429.07\n", "合计⇥⇥2773.16⇥2344.09⇥429.07\n", 323),
    ("X13", "error", "晋城经济技术开发区管理委员会⇥9174.41⇥9174.41⇥⇥⇥⇥", "晋城经济技术开发区管理委员会⇥9184.41⇥9184.41⇥⇥⇥⇥", None),
    # 表四 一般公共预算 income +10 against 表一's 11937.57
    ("X14", "error", "一、一般公共预算⇥11937.57⇥一、一般公共服务支出⇥4031.10⇥4031.10⇥⇥\n", "一、一般公共预算⇥11947.57⇥一、一般公共服务支出⇥4031.10⇥4031.10⇥⇥\n", 226),
    # 表十 公务接待费 3.00 below 表六's 30217 公务接待费 4.00
    ("X15", "warning", "公务接待费⇥4.00⇥4.00⇥⇥\n", "公务接待费⇥3.00⇥3.00⇥⇥\n", 402),
    ("F09", "error", "⇥⇥实施期资金总额:⇥600,000⇥年度资金总额:⇥600,000⇥⇥", "⇥⇥实施期资金总额:⇥600,000⇥年度资金总额:⇥650,000⇥⇥", 659),
], ids=["X10", "X11", "X12", "X13", "X14", "X15", "F09"])
def test_budget_cross_checks_fire(rule, severity, mutate_from, mutate_to, line):
    name = "003_dc3175b1d97e8850.txt"
    text = replace_once(seed_text(name), mutate_from.replace("⇥", "\t"), mutate_to.replace("⇥", "\t"))
    assert not [f for f in checked(name).findings if f.rule == rule and f.severity.value in ("error", "warning")]
    hits = [f for f in check(parse_text(text, name)).findings if f.rule == rule and f.severity.value == severity]
    assert hits
    if line:
        assert any(f.location.line == line or line in {r.line for r in f.related} for f in hits)


def test_class_and_parent_codes_checked_on_final_reports():
    text = seed_text("000_9896e042631d7d6c.txt")
    # drop a 款 row from 公开02: its 项 has no parent (K02); rename a class on 公开01 (K03)
    text = replace_once(text, "20306\t国防动员\t17.47\t17.47\t\t\t\t\t\n", "")
    text = replace_once(text, "三、国防支出\t34", "三、国防建设\t34")
    result = check(parse_text(text))
    assert any(f.rule == "K02" and f.location.code == "2030699" for f in result.findings)
    assert any(f.rule == "K03" and "国防建设" in f.message for f in result.findings)
    assert any(f.rule == "X02" for f in result.findings)  # the renamed class no longer reconciles


def test_reconciliation_rules_fire_on_consistent_shifts():
    text = seed_text("002_80dc64eda384f1d0.txt")
    # 公开04: 一般公共服务支出 +10 in both columns → 04 no longer matches 05 (X03)
    text4 = replace_once(text, "一、一般公共服务支出\t33\t1,914.07\t1,914.07", "一、一般公共服务支出\t33\t1,924.07\t1,924.07")
    assert any(f.rule == "X03" for f in check(parse_text(text4)).findings)
    # 公开07 given data while 04's 政府性基金 column is empty (X04)
    text7 = replace_once(text, "合计\t\t\t\t\t\t\t\n\n注：本表反映部门本年度政府性基金", "合计\t\t\t5.00\t5.00\t\t5.00\t\n\n注：本表反映部门本年度政府性基金")
    assert any(f.rule == "X04" for f in check(parse_text(text7)).findings)
    # 05 project 1,277.02 above 03's → X06; 03 gets a code 02 lacks → X09 (info)
    text6 = replace_once(text, "合计\t\t2,384.38\t1,107.36\t1,277.02\n", "合计\t\t2,394.38\t1,107.36\t1,287.02\n")
    assert any(f.rule == "X06" for f in check(parse_text(text6)).findings)
    text9 = replace_once(text, "2169999\t其他商业服务业等支出\t107.41\t\t107.41\t\t\t\n", "2169999\t其他商业服务业等支出\t107.41\t\t107.41\t\t\t\n2169901\t测试\t1.00\t\t1.00\t\t\t\n")
    assert any(f.rule == "X09" for f in check(parse_text(text9)).findings)
    # 10 机关运行经费 for a single administrative unit (000 is 单位决算) → X08 warning
    text0 = replace_once(seed_text("000_9896e042631d7d6c.txt"), "(二) 参照公务员法管理事业单位\t6\t34.53", "(二) 参照公务员法管理事业单位\t6\t44.53")
    assert any(f.rule == "X08" and f.severity.value == "warning" for f in check(parse_text(text0)).findings)


def test_one_running_item_finding_per_code_with_the_other_tables_as_evidence():
    # 002: 2011350 事业运行 carries 131.63 of 项目支出 in 公开03 (line 191) and 公开05 (line 282)
    name = "002_80dc64eda384f1d0.txt"
    hits = [f for f in checked(name).findings if f.rule == "K04"]
    assert len(hits) == 1 and hits[0].location.line == 191
    assert [loc.line for loc in hits[0].related] == [282]
