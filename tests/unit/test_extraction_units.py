"""Small cases for extraction steps that the corpus does not exercise."""

from __future__ import annotations

import pytest

from gongkai.api import parse_text
from gongkai.extract.forms import extract_forms
from gongkai.extract.grid import GRow
from gongkai.extract.locate import TitleIndex
from gongkai.extract.narrative import build_sections
from gongkai.extract.tables import repair_split_labels
from gongkai.ingest.text_reader import read_text_blocks
from gongkai.model.provenance import at_line
from gongkai.profiles import all_profiles
from tests.support import example_text, facts_key


def _rows(*cells):
    return [GRow(list(c), at_line(i + 1), None, 0) for i, c in enumerate(cells)]


def test_other_whitespace_is_collapsed_in_cells_and_lines():
    blocks = read_text_blocks("标题\u2003说明\n\n项目\tx\u2003\u2003y\t\u2002\n合计\t1\t2\n")
    assert blocks[0].text == "标题 说明"
    assert blocks[1].rows[0].cells == ["项目", "x y", ""]


def test_a_heading_that_merely_contains_a_title_is_not_that_table():
    index = TitleIndex(all_profiles())
    assert index.match("政府性基金预算财政拨款收入支出决算表")
    assert index.match("部门政府性基金预算财政拨款收入支出决算表明细") == []


def test_split_label_keeps_values_in_their_columns():
    # the 行次 column is blank in this table: the split row must not lose a cell
    rows = _rows(
        ["一般公共预算财政拨款收入", "", "1", "2"], ["上级补助收入", "", "3", "4"], ["事业收入", "", "5", "6"],
        ["国有资本经营预算财政拨", "款收入", "7", "8"],
    )
    assert repair_split_labels(rows)[-1].cells == ["国有资本经营预算财政拨款收入", "", "7", "8"]
    # here the split added a cell: it is removed again
    rows = _rows(["一般公共预算财政拨款收入", "1", "2"], ["上级补助收入", "3", "4"], ["事业收入", "5", "6"], ["国有资本经营预算财政拨", "款收入", "7", "8"])
    assert repair_split_labels(rows)[-1].cells == ["国有资本经营预算财政拨款收入", "7", "8"]


def test_numbered_headings_need_no_blank_lines_in_text():
    text = "第三部分 情况说明\n一、收入支出决算总体情况说明\n本年收入合计100万元。\n二、收入决算情况说明\n本年收入100万元。\n"
    titles = [s.title for root in build_sections(read_text_blocks(text), set(), 0) for s in root.walk()]
    assert "收入支出决算总体情况说明" in titles and "收入决算情况说明" in titles


def test_a_table_ends_at_its_last_row():
    # without the notes under the tables, each table's last block is its grid
    text = "\n".join(line for line in example_text().split("\n") if not line.startswith("注"))
    doc = parse_text(text)
    lines = text.split("\n")
    for table in doc.tables:
        last = max(r.prov.line for r in table.rows) if table.rows else table.prov.line
        assert table.end.line >= last, table.id
        assert lines[table.end.line - 1].strip(), table.id


def test_form_titles_without_a_readable_table_are_recorded():
    blocks = read_text_blocks("数据平台运维项目支出绩效自评表（2024年度）\n\n[illegible]\n\n档案数字化项目支出绩效目标表\n\n[illegible]\n")
    perf, targets, *_ = extract_forms(blocks, set(), lambda *args: None)
    assert [(f.kind, f.project, f.problems) for f in perf] == [("self_evaluation", "数据平台运维", ["表格内容无法识别（转换时丢失）"])]
    assert [(f.project, f.problems) for f in targets] == [("档案数字化", ["表格内容无法识别（转换时丢失）"])]


def test_a_table_number_before_the_title_is_not_part_of_it():
    """附表2：收入决算表 / 表3-1 收入决算表 / 公开02表 name the same template table."""
    import re

    from gongkai.extract.locate import title_key

    keys = {title_key(t) for t in ("收入决算表", "附表2：收入决算表", "表3-1 收入决算表", "公开02表 收入决算表", "表二、收入决算表", "表 2. 收入决算表")}
    assert len(keys) == 1
    text = example_text()
    titles = re.findall(r"^## (.+表)$", text, flags=re.M)[:10]
    for n, title in enumerate(titles, 1):
        text = text.replace(f"## {title}\n", f"## 附表{n}：{title}\n", 1)
    doc = parse_text(re.sub(r"^公开\d\d表\n", "", text, flags=re.M))
    assert doc.meta.profile == "national-final" and not doc.missing_tables
    assert [t.id for t in doc.tables] == [f"公开{n:02d}" for n in range(1, 11)]


def _titles_inside_grids(text: str, unit: str | None = None) -> str:
    """Each table's title and header lines moved into its grid's first rows, as a
    spreadsheet export prints them (a merged title row, then one header row)."""
    import re

    lines, out, i = text.split("\n"), [], 0
    while i < len(lines):
        m = re.match(r"^## (.+表(?: [（(]\d{4}年度?[)）])?)$", lines[i])  # tables and performance forms
        if m and any("\t" in x for x in lines[i + 1 : i + 12]):
            header, j = [], i + 1
            while "\t" not in lines[j]:
                if lines[j].strip():
                    header.append(unit if unit and "单位" in lines[j] else lines[j].strip())
                j += 1
            out += [m.group(1) + "\t\t\t\t", "\t".join(header) + "\t"]
            i = j
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def test_a_title_and_header_lines_in_a_grid_s_first_rows_are_read_as_printed_above_it():
    from gongkai.checks import check

    text = example_text(True)
    variant = _titles_inside_grids(text)
    assert variant.split("\n").count("收入支出决算总表\t\t\t\t") == 1
    assert "政务数据共享平台运维项目支出绩效自评表 (2024年度)\t\t\t\t" in variant.split("\n")
    base, doc = parse_text(text), parse_text(variant)
    assert [t.id for t in doc.tables] == [t.id for t in base.tables] and doc.meta.profile == base.meta.profile
    assert facts_key(doc) == facts_key(base)
    assert [(f.title, f.project) for f in doc.performance_forms] == [(f.title, f.project) for f in base.performance_forms]
    assert len(base.performance_forms) > 0
    assert sorted(f.rule for f in check(doc).findings) == sorted(f.rule for f in check(base).findings)


def test_a_unit_line_inside_the_grid_is_the_table_s_unit():
    text = _titles_inside_grids(example_text(), unit="金额单位：元")
    doc = parse_text(text)
    summary = next(t for t in doc.tables if t.role == "summary")
    assert summary.unit == "元"


@pytest.mark.parametrize("shape", ["department before the title", "department and year before the title", "unit on the title's line"])
def test_titles_printed_with_more_on_their_line_still_name_their_table(shape):
    """Without the 公开NN表 numbers to go by, each table is still found under its template id."""
    import re

    text = re.sub(r"^公开\d\d表\n\n", "", example_text(), flags=re.M)
    moved = []
    if shape == "unit on the title's line":
        def unit_on_title(m):
            moved.append(m.group(1))
            return f"{m.group(1)}  金额单位：千元\n\n{m.group(2)}\n\n{m.group(3)}"

        text = re.sub(r"^## (.+表)\n\n(部门名称：.+)\n\n(2024年度)\n\n金额单位：万元", unit_on_title, text, flags=re.M)
    else:
        prefix = "示例市数据管理局" + ("2024年度" if "year" in shape else "")
        text = re.sub(r"^## (.+表)$", lambda m: f"## {prefix}{m.group(1)}", text, flags=re.M)
    doc = parse_text(text)
    assert doc.meta.profile == "national-final" and not doc.missing_tables
    assert [t.id for t in doc.tables] == [f"公开{n:02d}" for n in range(1, 11)]
    if shape == "unit on the title's line":
        assert len(moved) >= 6 and all(t.unit == "千元" for t in doc.tables if t.title in moved)
        assert doc.tables[0].title == "收入支出决算总表"


def test_columns_printed_in_another_order_are_read_by_their_names():
    """支出决算表 with 项目支出 printed before 基本支出: the values go to the columns their
    headers name (not by position), and a warning says the order differs from the template."""
    from gongkai.checks import check

    text = example_text()
    lines = text.split("\n")
    start, end = lines.index("## 支出决算表"), lines.index("注：本表反映部门本年度各项支出情况。")
    for i in range(start, end):
        cells = lines[i].split("\t")
        if len(cells) >= 5:
            cells[3], cells[4] = cells[4], cells[3]
            lines[i] = "\t".join(cells)
    base, doc = parse_text(text), parse_text("\n".join(lines))
    assert facts_key(doc) == facts_key(base)
    assert [w.code for w in doc.warnings] == ["header-order"] and "按列名读取" in doc.warnings[0].message
    assert check(doc).findings == []


def _without_column(text: str, title: str, positions: tuple[int, ...]) -> str:
    lines = text.split("\n")
    start = lines.index(title)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(("注：", "## ", "# ")))
    for i in range(start, end):
        cells = lines[i].split("\t")
        if len(cells) > 1:
            for p in positions:  # from the right, so the positions stay true
                if p < len(cells):
                    del cells[p]
            lines[i] = "\t".join(cells)
    return "\n".join(lines)


@pytest.mark.parametrize("title, positions", [
    ("## 收入支出决算总表", (4, 1)),  # two sides, each without its 行次
    ("## 财政拨款收入支出决算总表", (4, 1)),
    ("## 部门决算公开相关信息统计表", (1,)),
])
def test_tables_printed_without_a_line_number_column_read_the_same(title, positions):
    from gongkai.checks import check

    text = example_text()
    doc = parse_text(_without_column(text, title, positions))
    assert facts_key(doc) == facts_key(parse_text(text))
    assert check(doc).findings == []


def test_tables_printed_without_the_column_number_row_read_the_same():
    text = example_text()
    doc = parse_text("\n".join(line for line in text.split("\n") if not line.startswith("栏次")))
    assert facts_key(doc) == facts_key(parse_text(text))
