"""Every converter notation feeds the same block stream and yields the same facts."""

from __future__ import annotations

import html

import pytest

from gongkai.api import parse_bytes, parse_text
from gongkai.ingest.html_table import parse_html_table
from gongkai.ingest.text_reader import read_text_blocks

from tests.support import EXAMPLE, facts_key


def _tsv_to(fmt: str, text: str) -> str:
    """Rewrite every tab-separated block of the example as pipe or HTML tables."""
    out, block = [], []

    def flush():
        if not block:
            return
        rows = [line.split("\t") for line in block]
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        if fmt == "pipes":
            out.append("| " + " | ".join(rows[0]) + " |")
            out.append("|" + "---|" * width)
            out.extend("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows[1:])
        else:
            parts = ["<table>"]
            for r in rows:
                parts.append("<tr>")
                i = 0
                while i < width:
                    span = 1
                    # merge an empty run after a header label into a colspan, like MinerU does
                    if r[i] and not any(ch.isdigit() for ch in r[i]):
                        while i + span < width and r[i + span] == "" and r is rows[0]:
                            span += 1
                    attr = f' colspan="{span}"' if span > 1 else ""
                    parts.append(f"<td{attr}>{html.escape(r[i])}</td>")
                    i += span
                parts.append("</tr>")
            parts.append("</table>")
            out.append("".join(parts))
        block.clear()

    for line in text.split("\n"):
        if "\t" in line and line.strip():
            block.append(line)
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)


@pytest.fixture(scope="module")
def example_text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def baseline(example_text):
    return facts_key(parse_text(example_text, "example.txt"))


def test_example_has_all_tables(example_text):
    doc = parse_text(example_text)
    assert [t.id for t in doc.tables] == [f"公开{n:02d}" for n in range(1, 11)]
    assert doc.meta.department == "示例市数据管理局" and doc.meta.year == 2024 and doc.meta.kind == "决算"


@pytest.mark.parametrize("fmt", ["pipes", "html"])
def test_other_table_notations_give_the_same_facts(example_text, baseline, fmt):
    doc = parse_text(_tsv_to(fmt, example_text), f"example.{fmt}")
    assert facts_key(doc) == baseline


# what each encoding is reported as: GBK text is decoded as its superset GB18030
# (UTF-16/32 with a BOM are named by their byte order; without a BOM they are told by their NUL bytes)
REPORTED_ENCODING = {
    "utf-8": "utf-8", "utf-8-sig": "utf-8-sig", "gbk": "gb18030", "gb18030": "gb18030", "utf-16": "utf-16-le",
    "utf-16-le": "utf-16-le", "utf-16-be": "utf-16-be", "utf-32": "utf-32-le", "utf-32-le": "utf-32-le", "utf-32-be": "utf-32-be",
}


@pytest.mark.parametrize("encoding", sorted(REPORTED_ENCODING))
def test_encodings_are_detected(example_text, baseline, encoding):
    data = example_text.encode(encoding)
    doc = parse_bytes(data, "example.txt")
    assert facts_key(doc) == baseline
    assert doc.source.encoding == REPORTED_ENCODING[encoding]


def test_big5_traditional_text_is_read(example_text):
    import opencc

    traditional = opencc.OpenCC("s2t").convert(example_text)
    data = traditional.encode("big5", errors="replace")
    doc = parse_bytes(data, "example.txt")
    assert doc.source.encoding == "big5"
    assert doc.meta.department == "示例市数据管理局" and len(doc.tables) == 10


def test_a_report_in_traditional_characters_is_checked_as_its_simplified_original(example_text):
    """Tables, narrative and forms: the same findings at the same lines, and a warning
    that the quoted text is the converted one."""
    import opencc

    from gongkai.checks import check

    def found(doc):
        return sorted((f.rule, f.location.line, f.expected, f.actual) for f in check(doc).findings)

    simplified = parse_text(example_text, "example.txt")
    traditional = parse_text(opencc.OpenCC("s2t").convert(example_text), "example.txt")
    assert simplified.source.script is None and traditional.source.script == "traditional"
    assert found(traditional) == found(simplified) != []
    assert facts_key(traditional) == facts_key(simplified)
    assert [w.code for w in traditional.warnings] == ["traditional-script"] and not simplified.warnings


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\r"])
def test_unicode_line_separators_are_line_breaks(example_text, baseline, separator):
    doc = parse_text(example_text.replace("\n", separator))
    assert facts_key(doc) == baseline


def test_headings_with_and_without_hashes(example_text, baseline):
    plain = "\n".join(line.lstrip("#").strip() if line.startswith("#") else line for line in example_text.split("\n"))
    doc = parse_text(plain)
    assert facts_key(doc) == baseline
    titles = [s.title for s in doc.walk_sections()]
    assert "收入支出决算总体情况说明" in titles and "一般公共预算财政拨款支出决算结构情况" in titles


def test_html_rowspan_and_colspan_are_expanded():
    rows = parse_html_table(
        '<table><tr><td rowspan="2">项目</td><td colspan="2">本年支出</td></tr>'
        "<tr><td>基本支出</td><td>项目支出</td></tr><tr><td>合计</td><td>1.00</td><td>2.00</td></tr></table>"
    )
    assert [cells for _, cells in rows] == [["项目", "本年支出", ""], ["", "基本支出", "项目支出"], ["合计", "1.00", "2.00"]]


def test_block_stream_keeps_line_numbers_and_strips_markup():
    text = "# 目 录\n\n<b>第一部分 概况</b>\n\na\t<b>1</b>\tx<p>y</p>\nb\t2\t3\n\n- 1、列表项\n"
    blocks = read_text_blocks(text)
    assert [(b.kind, b.prov.line) for b in blocks] == [("heading", 1), ("text", 3), ("grid", 5), ("text", 8)]
    assert blocks[1].text == "第一部分 概况"
    assert blocks[2].rows[0].cells == ["a", "1", "x y"]
    assert blocks[2].rows[1].prov.line == 6
    assert blocks[3].text == "1、列表项"


@pytest.mark.parametrize("one_line", [False, True])
@pytest.mark.parametrize("layout", [False, True])
def test_a_report_published_as_a_web_page_is_read_as_printed(example_text, baseline, one_line, layout):
    """Headings in <hN>, paragraphs in <p>, tables in <table> (inside a layout table or
    not, the whole page on one line or not): the same tables, facts and findings."""
    from gongkai.checks import check
    from tests.support import as_html_page

    page = as_html_page(example_text, layout=layout)
    if one_line:
        page = page.replace("\n", "")
    doc = parse_bytes(page.encode("utf-8"), "report.html")
    assert doc.source.reader == "html" and doc.meta.department == "示例市数据管理局"
    assert doc.source_lines == []  # markup lines are not printed lines: prose is read from the blocks
    assert facts_key(doc) == baseline
    plain = check(parse_text(example_text))
    assert sorted(f.rule for f in check(doc).findings) == sorted(f.rule for f in plain.findings)
    if not one_line:  # each table row points at its own source line
        lines = page.split("\n")
        summary = next(t for t in doc.tables if t.role == "summary")
        row = next(r for r in summary.rows if r.label == "一般公共预算财政拨款收入")
        assert "一般公共预算财政拨款收入" in lines[row.prov.line - 1]


def test_text_with_a_few_html_tables_is_still_read_line_by_line(example_text, baseline):
    assert parse_text(_tsv_to("html", example_text), "example.md").source.reader == "text"


def test_a_web_page_s_own_lines_are_not_the_cover(example_text, baseline):
    """Breadcrumbs, publication details and page tools above the report do not become
    part of the department's name, and the report reads the same."""
    from tests.support import as_html_page

    chrome = "首页 > 政务公开 > 财政预决算\n发布时间：2025-09-24 16:08:34　来源：示例市数据管理局\n字号：大 中 小　打印本页　关闭窗口\n"
    doc = parse_bytes(as_html_page(chrome + example_text).encode("utf-8"), "report.html")
    assert (doc.meta.department, doc.meta.year, doc.meta.kind) == ("示例市数据管理局", 2024, "决算")
    assert facts_key(doc) == baseline


def test_markup_that_never_closes_is_read_as_text():
    """'<' with no '>' after it, a comment with no '-->', CDATA with no ']]>': written as
    text, so html.parser never re-scans the rest of the page for each (it was quadratic)."""
    from gongkai.ingest.html_table import defuse

    assert defuse("<p>a</p> 1 < 2") == "<p>a</p> 1 &lt; 2"
    assert defuse("<p>a</p><!-- x") == "<p>a</p>&lt;!-- x"
    assert defuse("<!-- a --><p>b</p><![CDATA[ c") == "<!-- a --><p>b</p>&lt;![CDATA[ c"
    assert defuse("<table><tr><td>1</td></tr></table>") == "<table><tr><td>1</td></tr></table>"
    page = "<!DOCTYPE html><html><body><h1>示例市数据管理局2024年度部门决算</h1><p>说明文字。</p>" + "</<!--" * 20000
    doc = parse_bytes(page.encode("utf-8"), "page.html")
    assert doc.meta.department == "示例市数据管理局" and doc.source.reader == "html"


def test_a_table_title_in_a_caption_element_stands_above_the_table(example_text, baseline):
    import re

    from tests.support import as_html_page

    page = as_html_page(example_text)
    page = re.sub(r'<h2>([^<]*表)</h2>\n((?:<p[^>]*>[^<]*</p>\n){0,4})<table border="1">',
                  lambda m: m.group(2) + f'<table border="1"><caption>{m.group(1)}</caption>', page)
    assert page.count("<caption>") == 10
    doc = parse_bytes(page.encode("utf-8"), "report.html")
    assert doc.meta.profile == "national-final" and facts_key(doc) == baseline


@pytest.mark.parametrize("where", ["table labels", "headings", "lines"])
def test_markdown_bold_is_not_part_of_the_text(example_text, baseline, where):
    """docling and marker print header cells and headings bold (**合计**)."""
    import re

    from gongkai.checks import check

    if where == "table labels":
        bold = _tsv_to("pipes", example_text)
        bold = re.sub(r"\| ([^|\d\n][^|\n]*?) (?=\|)", lambda m: f"| **{m.group(1)}** ", bold)
    elif where == "headings":
        bold = re.sub(r"^(#+) (.+)$", r"\1 **\2**", example_text, flags=re.M)
    else:
        bold = re.sub(r"^((?:19|20)\d{2}年度.+)$", r"**\1**", example_text, flags=re.M)
    assert bold.count("**") >= 20
    doc = parse_text(bold)
    assert facts_key(doc) == baseline
    plain = check(parse_text(example_text))
    assert sorted(f.rule for f in check(doc).findings) == sorted(f.rule for f in plain.findings)


def test_underscore_blanks_are_kept_for_the_rule_that_finds_them():
    from gongkai.ingest.text_reader import clean_cell

    assert clean_cell("支出__万元，增长__%") == "支出__万元，增长__%"
    assert clean_cell("**合计**") == "合计"


def test_a_converter_s_comments_are_not_text(example_text, baseline):
    """docling marks each figure with <!-- image -->, on covers too."""
    marked = example_text.replace("\n\n# ", "\n\n<!-- image -->\n\n# ").replace("示例市数据管理局\n", "<!-- image -->\n\n示例市数据管理局\n", 1)
    doc = parse_text(marked)
    assert doc.meta.department == "示例市数据管理局" and facts_key(doc) == baseline


@pytest.mark.parametrize("by_display_width", [True, False])
def test_tables_lined_up_with_spaces_are_read(example_text, by_display_width):
    """A text with no tab, pipe or HTML table (pdftotext -layout): runs of aligned lines
    with figures are tables, whether the columns line up in display width or characters."""
    from tests.support import as_layout_text

    layout = as_layout_text(example_text, by_display_width)
    assert "\t" not in layout
    doc = parse_text(layout)
    base = parse_text(example_text)
    tables = {t.id for t in base.tables}
    assert [t.id for t in doc.tables] == [t.id for t in base.tables]
    assert [f for f in facts_key(doc) if f[0] in tables] == [f for f in facts_key(base) if f[0] in tables]


def test_prose_with_double_spaces_is_not_a_table():
    text = "示例市数据管理局\n\n2024年度部门决算公开\n\n# 第三部分 情况说明\n\n" + "\n".join(
        f"2024年度收入  {n}.00万元，比上年增加  1.00万元。" for n in range(1, 6))
    doc = parse_text(text)
    assert not doc.grids and not doc.tables


def test_a_page_cut_short_inside_a_table_still_gives_the_table():
    from gongkai.ingest.html_page import read_html_page

    page = "<html><body><h2>收入决算表</h2><table><tr><td>201</td><td>一般公共服务支出</td><td>858.76"
    blocks = read_html_page(page)
    assert [b.kind for b in blocks] == ["heading", "grid"]
    assert blocks[1].rows[0].cells == ["201", "一般公共服务支出", "858.76"]
