"""The reviewer's checklist (公开情况检查表): a row per required part, 是/否/未检查."""

from __future__ import annotations

import io

from click.testing import CliRunner
from docx import Document as Docx
from openpyxl import load_workbook

from gongkai.api import parse_text
from gongkai.checks import check
from gongkai.cli import main
from gongkai.report.checklist import NO, UNCHECKED, YES, build_checklist, render_checklist_docx, render_checklist_xlsx, spec
from tests.support import EXAMPLE, checked, delete_lines, example_text, mutate

CLEAN = example_text(False)


def rows(result):
    return {r.part: r for r in build_checklist(result).rows}


def test_spec_is_versioned_and_names_known_rules():
    from gongkai.checks import all_rules

    data = spec()
    assert data["version"]
    known = {r.id for r in all_rules()}
    for row in data["row"]:
        assert row["part"] and row["content"]
        assert set(row.get("rules", ())) <= known, row["part"]


def test_clean_example_passes_every_row():
    got = rows(check(parse_text(CLEAN, "case.txt")))
    for part in ("封面", "目录", "主要职能", "机构设置", "名词解释", "编制/情况说明", "其他相关说明", "项目/绩效"):
        assert got[part].status == YES, (part, got[part].problems)
    tables = [r for r in got.values() if r.table]
    assert len(tables) == 10 and all(r.status == YES for r in tables)
    assert "公开05 一般公共预算财政拨款支出决算表" in got  # each table by its printed title


def test_a_problem_is_written_with_its_line():
    text, line = mutate(CLEAN, "2024年机关运行经费支出", "。", "。。")
    row = rows(check(parse_text(text, "case.txt")))["机关运行经费说明"]
    assert row.status == NO and any(p.startswith(f"第{line}行：") and "。。" in p for p in row.problems)


def test_missing_table_row_is_no():
    text = delete_lines(CLEAN, "## 国有资本经营预算财政拨款支出决算表", "## 财政拨款“三公”经费支出决算表")
    got = rows(check(parse_text(text, "case.txt")))
    row = next(r for r in got.values() if r.table == "公开08")
    assert row.status == NO and any("缺少公开08" in p for p in row.problems)


def test_checks_that_did_not_run_are_unchecked_never_yes():
    got = rows(check(parse_text(CLEAN, "case.txt"), ["A01"]))
    for part in ("主要职能", "编制/情况说明", "项目/绩效", "名词解释", "全文"):
        assert got[part].status == UNCHECKED, part
    assert all(r.status != YES for r in got.values() if r.rules and "A01" not in r.rules)


def test_unknown_template_tables_are_unchecked():
    doc = parse_text(CLEAN, "case.txt")
    doc.meta.profile = None
    got = rows(check(doc))
    assert got["公开报表"].status == UNCHECKED and not any(r.table for r in got.values())


def test_absent_part_is_no():
    text = delete_lines(CLEAN, "# 第四部分 名词解释", "# 第五部分 附件")
    got = rows(check(parse_text(text, "case.txt")))
    assert got["名词解释"].status == NO


def test_corpus_report_checklist():
    got = rows(checked("000_9896e042631d7d6c.txt"))
    assert got["编制/情况说明"].status == NO
    assert any(p.startswith("第645行") for p in got["编制/情况说明"].problems)
    assert got["项目/绩效"].status == NO
    assert all(r.status == YES for r in got.values() if r.table)
    got = rows(checked("004_aa13b0b8df1bfb31.txt"))
    row = next(r for r in got.values() if r.table == "公开07")
    assert row.status == NO  # listed in the 目录, absent from the body


def test_xlsx_and_docx(tmp_path):
    result = check(parse_text(example_text(True), "example.txt"))
    ws = load_workbook(io.BytesIO(render_checklist_xlsx(result))).active
    assert ws["A3"].value == "序号" and "公开情况检查表" in ws["A1"].value
    statuses = {ws.cell(r, 4).value for r in range(4, ws.max_row + 1)}
    assert NO in statuses and statuses <= {YES, NO, UNCHECKED}
    d = Docx(io.BytesIO(render_checklist_docx(result)))
    assert len(d.tables[0].rows) == ws.max_row - 2
    for name in ("list.xlsx", "list.docx"):
        out = tmp_path / name
        run = CliRunner().invoke(main, ["check", str(EXAMPLE), "--format", "checklist", "-o", str(out)])
        assert run.exit_code == 1 and out.stat().st_size > 1000, run.output
    assert Docx(str(tmp_path / "list.docx")).tables[0].rows[0].cells[3].text == "符合要求"


def test_a_typing_error_in_a_form_goes_to_the_forms_row():
    text, line = mutate(CLEAN, "项目绩效分析\t项目实施和预算执行情况", "预算安排200.00万元", "预算安排XX万元")
    got = rows(check(parse_text(text, "case.txt")))
    assert any(f"第{line}行" in p for p in got["项目/绩效"].problems)
    assert got["编制/情况说明"].status == YES


def test_a_rule_that_failed_leaves_its_rows_unchecked(monkeypatch):
    from gongkai.checks.engine import REGISTRY

    def boom(ctx):
        raise RuntimeError("broken")

    monkeypatch.setitem(REGISTRY, "T12", REGISTRY["T12"].__class__(**{**{f: getattr(REGISTRY["T12"], f) for f in REGISTRY["T12"].__dataclass_fields__}, "func": boom}))
    got = rows(check(parse_text(CLEAN, "case.txt")))
    assert got["名词解释"].status == UNCHECKED and "T12" in got["名词解释"].problems[0]
    assert got["全文"].status == YES  # the failure is not a problem of the text itself


def test_no_prose_read_is_unchecked_not_yes():
    doc = parse_text(CLEAN, "case.txt")
    for s in doc.walk_sections():
        s.paragraphs.clear()
    got = rows(check(doc))
    assert got["全文"].status == UNCHECKED and got["编制/情况说明"].status in (UNCHECKED, NO)
