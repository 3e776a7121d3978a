"""Tables recognised by what they are: roles, layouts, columns and units without a profile,
the Shanghai 部门预算 profile, the budget identities X16–X23, and the reading guards."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gongkai.api import parse_text
from gongkai.checks import check
from gongkai.extract.grid import GRow
from gongkai.extract.recognise import column_ids, infer_spec, role_for
from gongkai.facts import facts
from gongkai.model.provenance import Provenance
from tests.support import example_text

T = "\t"


def grid(*rows: str) -> str:
    return "\n".join(rows)


def shanghai_budget(title_prefix: str = "2025年部门", *, unit: str = "元", gpb_class: str = "3,296,600", running: str = "4.64") -> str:
    """A small report of the Shanghai district 部门预算 template (amounts in 元, 三公 in 万元)."""
    head = f"编制部门：示例区示范局  单位：{unit}"
    return "\n".join([
        "上海市某区2025年区级部门预算",
        "",
        "2025年部门预算编制说明",
        "",
        "本部门收入预算32.97万元。",
        "",
        f"{title_prefix}财务收支预算总表", head,
        grid(f"本年收入{T}{T}本年支出{T}", f"项目{T}预算数{T}项目{T}预算数",
             f"一、财政拨款收入{T}3,296,600{T}一、一般公共服务支出{T}{gpb_class}",
             f"1.一般公共预算资金{T}3,296,600{T}{T}", f"2.政府性基金{T}{T}{T}", f"3.国有资本经营预算{T}{T}{T}",
             f"二、事业收入{T}{T}{T}", f"三、事业单位经营收入{T}{T}{T}", f"四、其他收入{T}{T}{T}",
             f"收入总计{T}3,296,600{T}支出总计{T}3,296,600"),
        "",
        f"{title_prefix}收入预算总表", head,
        grid(f"项目{T}{T}{T}{T}收入预算{T}{T}{T}{T}", f"功能分类科目编码{T}{T}{T}功能分类科目名称{T}合计{T}财政拨款收入{T}事业收入{T}事业单位经营收入{T}其他收入",
             f"类{T}款{T}项{T}{T}{T}{T}{T}{T}",
             f"201{T}{T}{T}一般公共服务支出{T}3,296,600{T}3,296,600{T}0{T}0{T}0",
             f"201{T}5{T}7{T}专项普查活动{T}3,296,600{T}3,296,600{T}0{T}0{T}0",
             f"合计{T}{T}{T}{T}3,296,600{T}3,296,600{T}0{T}0{T}0"),
        "",
        f"{title_prefix}支出预算总表", head,
        grid(f"项目{T}{T}{T}{T}支出预算{T}{T}", f"功能分类科目编码{T}{T}{T}功能分类科目名称{T}合计{T}基本支出{T}项目支出",
             f"类{T}款{T}项{T}{T}{T}{T}",
             f"201{T}{T}{T}一般公共服务支出{T}3,296,600{T}3,000,000{T}296,600",
             f"201{T}05{T}07{T}专项普查活动{T}3,296,600{T}3,000,000{T}296,600",
             f"合计{T}{T}{T}{T}3,296,600{T}3,000,000{T}296,600"),
        "",
        f"{title_prefix}财政拨款收支预算总表", head,
        grid(f"财政拨款收入{T}{T}财政拨款支出{T}{T}{T}{T}", f"项目{T}预算数{T}项目{T}合计{T}一般公共预算{T}政府性基金预算{T}国有资本经营预算",
             f"一、一般公共预算资金{T}3,296,600{T}一、一般公共服务支出{T}3,296,600{T}3,296,600{T}{T}",
             f"二、政府性基金{T}{T}{T}{T}{T}{T}", f"三、国有资本经营预算{T}{T}{T}{T}{T}{T}",
             f"收入总计{T}3,296,600{T}支出总计{T}3,296,600{T}3,296,600{T}{T}"),
        "",
        f"{title_prefix}一般公共预算支出功能分类预算表", head,
        grid(f"项目{T}{T}{T}{T}一般公共预算支出{T}{T}", f"功能分类科目编码{T}{T}{T}功能分类科目名称{T}合计{T}基本支出{T}项目支出",
             f"类{T}款{T}项{T}{T}{T}{T}",
             f"201{T}{T}{T}一般公共服务支出{T}3,296,600{T}3,000,000{T}296,600",
             f"201{T}05{T}07{T}专项普查活动{T}3,296,600{T}3,000,000{T}296,600",
             f"合计{T}{T}{T}{T}3,296,600{T}3,000,000{T}296,600"),
        "",
        f"{title_prefix}一般公共预算基本支出部门预算经济分类预算表", head,
        grid(f"项目{T}{T}{T}一般公共预算基本支出{T}{T}", f"部门预算经济分类科目编码{T}{T}经济分类科目名称{T}合计{T}人员经费{T}公用经费",
             f"类{T}款{T}{T}{T}{T}",
             f"301{T}{T}工资福利支出{T}2,900,000{T}2,900,000{T}0",
             f"301{T}01{T}基本工资{T}2,900,000{T}2,900,000{T}0",
             f"302{T}{T}商品和服务支出{T}100,000{T}0{T}100,000",
             f"302{T}17{T}公务接待费{T}13,500{T}0{T}13,500",
             f"302{T}99{T}其他商品和服务支出{T}86,500{T}0{T}86,500",
             f"合计{T}{T}{T}3,000,000{T}2,900,000{T}100,000"),
        "",
        f"{title_prefix}“三公”经费和机关运行经费预算表", "编制部门：示例区示范局  单位:万元",
        grid(f"“三公”经费预算数{T}{T}{T}{T}{T}{T}机关运行经费预算数", f"合计{T}因公出国(境)费{T}公务接待费{T}公务用车购置及运行费{T}{T}{T}",
             f"{T}{T}{T}小计{T}购置费{T}运行费{T}", f"1.35{T}0{T}1.35{T}0{T}0{T}0{T}{running}"),
        "",
        "其他相关情况说明",
        "",
    ]) + "\n"


def test_shanghai_profile_reads_every_table_in_yuan():
    doc = parse_text(shanghai_budget(), "sh.txt")
    assert doc.meta.profile == "shanghai-budget"
    roles = {t.role for t in doc.tables}
    assert {"budget_summary", "budget_income", "budget_expenditure", "budget_fiscal_summary", "budget_gpb_expenditure",
            "budget_gpb_basic_by_economic", "budget_three_public_running"} <= roles
    income = doc.table_by_role("budget_income")
    assert income.unit == "元" and income.scale == Decimal("0.0001")
    assert income.row_by_code("2010507").value("total") == Decimal("329.66")  # 201 5 7 → 2010507, 元 → 万元
    eco = doc.table_by_role("budget_gpb_basic_by_economic")
    assert eco.row_by_code("30217").value("public") == Decimal("1.35")
    tp = doc.table_by_role("budget_three_public_running")
    assert tp.unit == "万元" and tp.rows[0].value("running_costs") == Decimal("4.64")
    fact = next(f for f in facts(doc) if f["table_id"] == income.id and f["code"] == "2010507" and f["column_id"] == "total")
    assert (fact["raw"], fact["printed_unit"], fact["scale"], Decimal(fact["value"])) == ("3,296,600", "元", "0.0001", Decimal("329.66"))


def test_clean_shanghai_budget_has_no_error():
    result = check(parse_text(shanghai_budget(), "sh.txt"))
    assert [f.message for f in result.findings if f.severity.value != "info" and f.rule[0] in "AX"] == []


@pytest.mark.parametrize("prefix", ["2025年部门", "2025年示范区单位"])
def test_unknown_titles_are_recognised_without_a_profile(prefix, monkeypatch):
    """The same tables under titles no profile lists: roles, layouts and column ids inferred."""
    text = shanghai_budget().replace("2025年部门", prefix).replace("财务收支预算总表", "收支预算总表（汇总）").replace("部门预算经济分类", "经济科目")
    from gongkai.extract import build_document
    from gongkai.ingest import load_text
    from gongkai.profiles import all_profiles

    loaded = load_text(text, "unknown.txt")
    doc = build_document(loaded.source, loaded.blocks, "unknown.txt", profiles=[p for p in all_profiles() if p.id != "shanghai-budget"])
    assert doc.meta.profile is None
    by_role = {t.role: t for t in doc.tables}
    assert all(t.inferred for t in doc.tables)
    summary = by_role["budget_summary"]
    assert summary.layout == "two_sided"
    assert summary.row_by_role("grand_total", "收入").value("income") == Decimal("329.66")
    assert [c.id for c in by_role["budget_expenditure"].columns] == ["total", "basic", "project"]
    assert by_role["budget_expenditure"].column("total").total_of == ("basic", "project")
    eco = by_role["budget_gpb_basic_by_economic"]
    assert eco.layout == "coded" and eco.codes == "economic" and eco.row_by_code("30101").value("personnel") == Decimal("290")
    tp = by_role["budget_three_public_running"]
    assert tp.layout == "single_row" and tp.column("vehicle").total_of == ("vehicle_purchase", "vehicle_operation")
    result = check(doc)
    assert [f.message for f in result.findings if f.severity.value == "error"] == []
    # and a defect is still found by the role rules on the inferred tables
    bad = check(parse_text(text.replace("1.一般公共预算资金\t3,296,600", "1.一般公共预算资金\t3,269,600"), "bad.txt"))
    assert "A04" in {f.rule for f in bad.findings if f.severity.value == "error"}


@pytest.mark.parametrize("rule, old, new", [
    ("X16", "一、财政拨款收入\t3,296,600", "一、财政拨款收入\t3,296,700"),
    ("X17", "支出总计\t3,296,600\n", "支出总计\t3,296,900\n"),
    ("X18", "支出总计\t3,296,600\t3,296,600\t\t", "支出总计\t3,296,600\t3,296,000\t\t"),
    ("X19", "收入总计\t3,296,600\t支出总计\t3,296,600\t3,296,600", "收入总计\t3,290,000\t支出总计\t3,296,600\t3,296,600"),
    ("X20", "一般公共服务支出\t3,296,600\t3,000,000\t296,600\n201\t05\t07\t专项普查活动\t3,296,600\t3,000,000\t296,600\n合计\t\t\t\t3,296,600\t3,000,000\t296,600\n\n2025年部门财政", "一般公共服务支出\t3,296,600\t3,000,000\t296,600\n201\t05\t07\t专项普查活动\t3,296,600\t3,000,000\t296,600\n合计\t\t\t\t3,206,600\t3,000,000\t206,600\n\n2025年部门财政"),
    ("X21", "1.35\t0\t1.35\t0", "1.25\t0\t1.25\t0"),
    ("X22", "", ""),
    ("X23", "合计\t\t\t\t3,296,600\t3,296,600\t0\t0\t0", "合计\t\t\t\t3,296,000\t3,296,000\t0\t0\t0"),
])
def test_budget_identities_fire(rule, old, new):
    text = shanghai_budget(running="12.00") if rule == "X22" else shanghai_budget()
    if old:
        assert old in text
        text = text.replace(old, new, 1)
    hits = [f for f in check(parse_text(text, "bad.txt")).findings if f.rule == rule]
    assert hits, rule


def test_column_ids_from_header_semantics():
    paths = [["“三公”经费预算数", "合计"], ["“三公”经费预算数", "因公出国(境)费"], ["“三公”经费预算数", "公务接待费"],
             ["“三公”经费预算数", "公务用车购置及运行费", "小计"], ["“三公”经费预算数", "公务用车购置及运行费", "购置费"],
             ["“三公”经费预算数", "公务用车购置及运行费", "运行费"], ["机关运行经费预算数"]]
    specs = column_ids(paths)
    assert [s.id for s in specs] == ["total", "outbound", "reception", "vehicle", "vehicle_purchase", "vehicle_operation", "running_costs"]
    assert specs[0].total_of == ("outbound", "reception", "vehicle")
    income = column_ids([["本年收入", "合计"], ["本年收入", "一般公共预算"], ["本年收入", "政府性基金"], ["上年结转"]])
    assert [s.id for s in income] == ["total", "gpb", "gf", "carryover"]
    assert income[0].total_of == ("gpb", "gf")  # 上年结转 is not part of 本年收入


@pytest.mark.parametrize("title, kind, role", [
    ("2026年某县单位预算收支总表", None, "budget_summary"),
    ("部门收支决算总表", None, "summary"),
    ("财政拨款收支总表", "预算", "budget_fiscal_summary"),
    ("一般公共预算“三公”经费支出表", "预算", "budget_three_public"),
    ("政府性基金预算支出表", "预算", "budget_gov_fund_expenditure"),
    ("国有资本经营预算支出表", "预算", "budget_soe_expenditure"),
    ("一般公共预算基本支出表", "预算", "budget_gpb_basic_by_economic"),
    ("部门收入总表", "预算", "budget_income"),
    ("职工人数统计表", "预算", None),
    ("部门基本支出预算表", "预算", "budget_basic_by_economic"),
    ("财政拨款支出预算表", "预算", "budget_fiscal_expenditure"),
    ("政府性基金预算财政拨款收入支出决算表", None, "gov_fund"),
    ("国有资本经营预算财政拨款收入支出决算表", None, "soe_capital"),
    ("项目支出预算表（上年结转）", "预算", "budget_projects_carryover"),
    # a fund's name says nothing of the report's kind: in a 决算 these are 决算 tables
    ("一般公共预算财政拨款支出情况表", "决算", "gpb_expenditure"),
    ("政府性基金预算财政拨款支出表", "决算", "gov_fund"),
])
def test_roles_from_title_words(title, kind, role):
    assert role_for(title, kind) == role


def _rows(*rows):
    return [GRow(list(r), Provenance(line=i + 1), None, 0) for i, r in enumerate(rows)]


def test_guards_years_and_index_columns_are_not_money():
    rows = _rows(("项目", "序号", "年度", "金额"), ("甲", "1", "2023", "10.00"), ("乙", "2", "2024", "12.00"))
    spec = infer_spec("t", "某项统计表", rows, "预算", 1)
    assert spec.role == "" and spec.layout == "labeled"
    assert [c.id for c in spec.columns] == ["index", "year", "c3"]
    rows = _rows(("项目", "甲栏", "乙栏"), ("一", "1", "2023"), ("二", "2", "2024"), ("三", "3", "2025"))
    assert [c.id for c in infer_spec("t", "某表", rows, None, 1).columns] == ["index", "year"]


def test_unrecognised_table_is_still_exported(monkeypatch):
    text = "\n".join(["示范局2025年部门预算", "", "2025年部门人员编制情况统计表", "单位：人", f"项目{T}编制数{T}实有人数", f"行政编制{T}12{T}10", f"事业编制{T}30{T}28", ""])
    doc = parse_text(text, "x.txt")
    extra = [t for t in doc.tables if t.role is None]
    assert extra and extra[0].inferred and len(extra[0].rows) == 2
    fact = next(f for f in facts(doc) if f["table_id"] == extra[0].id and f["item"] == "事业编制" and f["column"] == "编制数")
    assert (fact["value"], fact["unit"], fact["column_id"]) == ("30", "人", "c1")  # a count, not 万元


def test_unit_scale_confirmed_by_totals():
    """A table labelled 万元 whose totals agree with the others only ×10000 is read in 元, with a warning."""
    text = shanghai_budget()
    start = text.index("2025年部门支出预算总表")
    part = text[start:].replace("单位：元", "单位：万元", 1)
    doc = parse_text(text[:start] + part, "scale.txt")
    exp = doc.table_by_role("budget_expenditure")
    assert exp.unit == "元" and exp.total_row().value("total") == Decimal("329.66")
    assert any(w.code == "unit-scale" for w in doc.warnings)


def test_profile_infer_round_trip(tmp_path, monkeypatch):
    """infer → load the TOML → parse with it gives the same roles and values."""
    from click.testing import CliRunner

    from gongkai import profiles
    from gongkai.cli import main

    src = tmp_path / "sh.txt"
    src.write_text(shanghai_budget().replace("2025年部门", "2025年某区"), encoding="utf-8")
    folder = tmp_path / "profiles"
    folder.mkdir()
    out = folder / "drafted.toml"
    result = CliRunner().invoke(main, ["profile", "infer", str(src), "--id", "drafted", "-o", str(out)])
    assert result.exit_code == 0, result.output
    drafted = profiles.load_profile(out)
    assert drafted.id == "drafted" and "budget_three_public_running" in drafted.roles
    monkeypatch.setenv("GONGKAI_PROFILES", str(folder))
    from gongkai.api import parse

    doc = parse(src)
    assert doc.meta.profile in ("drafted", "shanghai-budget")
    assert {t.role for t in doc.tables} == {t.role for t in drafted.tables}
    assert not [f for f in check(doc).findings if f.severity.value == "error" and f.rule[0] in "AX"]


def test_leader_dots_are_not_part_of_a_label():
    from gongkai.extract.textnorm import label, label_key

    assert label("高等教育……") == "高等教育" and label("一、高等教育.....") == "高等教育"
    assert label_key("高等教育……") == label_key("高等教育")


def test_no_data_note_after_a_leftover_instruction_line():
    """The template's instruction sentence left in between the table and its no-data note."""
    text = shanghai_budget()
    gf = "\n".join([
        "2025年部门政府性基金预算支出功能分类预算表", "编制部门：示例区示范局  单位：元",
        grid(f"项目{T}{T}{T}{T}政府性基金预算支出{T}{T}", f"功能分类科目编码{T}{T}{T}功能分类科目名称{T}合计{T}基本支出{T}项目支出", f"类{T}款{T}项{T}{T}{T}{T}", f"合计{T}{T}{T}{T}{T}{T}"),
        "本表反映部门本年度政府性基金预算财政拨款支出情况。",
        "注：本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。",
        "",
    ])
    text = text.replace("2025年部门一般公共预算基本支出", gf + "\n2025年部门一般公共预算基本支出", 1)
    doc = parse_text(text, "nodata.txt")
    table = doc.table_by_role("budget_gov_fund_expenditure")
    assert table is not None and table.no_data_note is not None and "故本表为空表" in table.no_data_note.text
    assert not [f for f in check(doc).findings if f.rule == "C03"]


def central_budget() -> str:
    """A small report in the 财政部 central 部门预算 template (titles and headings of the guidance)."""
    unit = "单位：万元"
    return "\n".join([
        "某部2025年部门预算", "",
        "收支总表", unit,
        grid(f"收入{T}{T}支出{T}", f"项目{T}预算数{T}项目{T}预算数",
             f"一、一般公共预算拨款收入{T}100.00{T}一、一般公共服务支出{T}90.00",
             f"二、政府性基金预算拨款收入{T}{T}二、教育支出{T}20.00",
             f"三、事业收入{T}10.00{T}{T}",
             f"本年收入合计{T}110.00{T}本年支出合计{T}110.00",
             f"上年结转结余{T}5.00{T}结转下年{T}5.00",
             f"收入总计{T}115.00{T}支出总计{T}115.00"), "",
        "收入总表", unit,
        grid(f"科目编码{T}科目名称{T}合计{T}上年结转结余{T}一般公共预算拨款收入{T}事业收入",
             f"201{T}一般公共服务支出{T}95.00{T}5.00{T}90.00{T}",
             f"205{T}教育支出{T}20.00{T}{T}10.00{T}10.00",
             f"合计{T}{T}115.00{T}5.00{T}100.00{T}10.00"), "",
        "支出总表", unit,
        grid(f"科目编码{T}科目名称{T}合计{T}基本支出{T}项目支出",
             f"201{T}一般公共服务支出{T}90.00{T}60.00{T}30.00",
             f"205{T}教育支出{T}20.00{T}{T}20.00",
             f"合计{T}{T}110.00{T}60.00{T}50.00"), "",
        "一般公共预算支出表", unit,
        grid(f"科目编码{T}科目名称{T}合计{T}基本支出{T}项目支出",
             f"201{T}一般公共服务支出{T}90.00{T}60.00{T}30.00",
             f"205{T}教育支出{T}10.00{T}{T}10.00",
             f"合计{T}{T}100.00{T}60.00{T}40.00"), "",
        "一般公共预算基本支出表", unit,
        grid(f"科目编码{T}科目名称{T}合计{T}人员经费{T}公用经费",
             f"301{T}工资福利支出{T}50.00{T}50.00{T}",
             f"302{T}商品和服务支出{T}10.00{T}{T}10.00",
             f"合计{T}{T}60.00{T}50.00{T}10.00"), "",
        "一般公共预算“三公”经费支出表", unit,
        grid(f"合计{T}因公出国（境）费{T}公务用车购置及运行费{T}{T}{T}公务接待费", f"{T}{T}小计{T}公务用车购置费{T}公务用车运行费{T}",
             f"3.00{T}1.00{T}1.50{T}0.50{T}1.00{T}0.50"), "",
    ]) + "\n"


def test_central_profile_reads_the_guidance_tables():
    doc = parse_text(central_budget(), "central.txt")
    assert doc.meta.profile == "central-budget"
    summary = doc.table_by_role("budget_summary")
    assert summary.row_by_role("carryover", "收入").value("income") == Decimal("5.00")
    assert doc.table_by_role("budget_income").total_row().value("gpb") == Decimal("100.00")
    tp = doc.table_by_role("budget_three_public").rows[0]
    assert (tp.value("total"), tp.value("vehicle_operation"), tp.value("reception")) == (Decimal("3.00"), Decimal("1.00"), Decimal("0.50"))
    result = check(doc)
    assert [f.message for f in result.findings if f.severity.value == "error" and f.rule[0] in "AX"] == []
    bad = check(parse_text(central_budget().replace("本年收入合计\t110.00", "本年收入合计\t111.00"), "bad.txt"))
    assert "A04" in {f.rule for f in bad.findings}


def test_a_table_the_profile_does_not_list_is_added_by_role():
    extra = "\n".join(["2025年部门政府性基金预算收入表", "编制部门：示例区示范局  单位：元",
                       grid(f"科目编码{T}科目名称{T}政府性基金收入预算", f"103{T}政府性基金收入{T}50,000", f"合计{T}{T}50,000"), ""])
    doc = parse_text(shanghai_budget() + extra, "extra.txt")
    assert doc.meta.profile == "shanghai-budget"
    table = doc.table_by_role("budget_gov_fund_income")
    assert table is not None and table.inferred and table.total_row().value("income") == Decimal("5")


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CELLS = st.sampled_from(["", "合计", "小计", "项目", "类", "款", "项", "201", "05", "7", "30101", "2010101 行政运行", "基本支出", "项目支出",
                          "人员经费", "预算数", "决算数", "收入", "支出", "1", "2", "2024", "12.50", "3,296,600", "——", "#DIV/0!", "一、财政拨款收入",
                          "收入总计", "支出总计", "本年收入合计", "公务接待费", "因公出国(境)费", "科目编码", "序号", "栏次"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_CELLS, min_size=1, max_size=8), min_size=1, max_size=8), st.sampled_from(["收支总表", "支出表", "三公经费表", "统计表"]))
def test_recognition_never_fails_on_odd_grids(rows, title):
    spec = infer_spec("t", title, _rows(*rows), "预算", 1)
    assert spec.layout in ("coded", "two_sided", "single_row", "labeled", "economic_blocks", "economic_named")
    text = "某局2025年部门预算\n\n" + f"2025年部门{title}\n" + "\n".join(T.join(r) for r in rows) + "\n"
    doc = parse_text(text, "odd.txt")
    check(doc)
    list(facts(doc))


def test_a_profile_table_under_an_unknown_title_is_not_missing():
    text = shanghai_budget().replace("2025年部门支出预算总表", "2025年本部门全部支出安排情况表")
    doc = parse_text(text, "retitled.txt")
    assert doc.meta.profile == "shanghai-budget"
    table = doc.table_by_role("budget_expenditure")
    assert table is not None and table.inferred and table.total_row().value("project") == Decimal("29.66")
    assert "沪预三" not in {m.id for m in doc.missing_tables}


def test_a_final_account_table_retitled_with_a_fund_name_fills_its_slot():
    # 公开05 under a plain title that names 一般公共预算 (and no 决算): still the 决算's table
    text = example_text(False).replace("公开05表\n", "").replace("## 一般公共预算财政拨款支出决算表", "一般公共预算财政拨款支出情况表")
    doc = parse_text(text, "retitled.txt")
    table = doc.table_by_role("gpb_expenditure")
    assert table is not None and table.inferred and table.total_row().value("basic") == Decimal("763.68")
    assert doc.missing_tables == []
    assert [f.message for f in check(doc).findings if f.severity.value == "error"] == []


def test_a_table_printed_without_its_title_is_found_by_its_header():
    # 公开05 without its title and label: its grid follows 公开04's closing note
    text = example_text(True).replace("## 一般公共预算财政拨款支出决算表\n\n公开05表\n", "")
    doc = parse_text(text, "untitled.txt")
    assert doc.table("公开04").row_by_code("2010301") is None  # not swallowed as a continuation
    t05 = doc.table("公开05")
    assert t05 is not None and t05.total_row().value("basic") == Decimal("763.68") and doc.missing_tables == []
    result = check(doc)
    assert [(f.rule, f.location.line) for f in result.findings if f.rule == "C08"] == [("C08", t05.prov.line)]
    # the rest of the check is the defective example's, unchanged
    assert sorted(f.rule for f in result.findings if f.severity.value == "error") == ["A01", "F01", "F01", "N01", "N02"]


def test_fund_names_do_not_make_a_final_accounts_column_a_budget_phase():
    from gongkai.store.measures import column_phase

    assert column_phase("一般公共预算财政拨款", "决算") == "决算"
    assert column_phase("年初预算数", "决算") == "预算"
    assert column_phase("上年预算数", "预算") == "上年"


def test_codes_printed_with_spaces_and_without_leading_zeros():
    text = shanghai_budget().replace(f"201{T}5{T}7{T}专项普查活动", f"201 5 7{T}{T}{T}专项普查活动")
    doc = parse_text(text, "codes.txt")
    assert doc.table_by_role("budget_income").row_by_code("2010507").value("total") == Decimal("329.66")
