"""Narrative headings from the text's grammar (numbering, 目录 outline, title wording),
not from typography: the same tree and the same claim topics whatever the spacing."""

from __future__ import annotations

import copy

import pytest

from gongkai.checks import check
from gongkai.checks.claims import narrative_claims
from gongkai.extract import build_document
from gongkai.extract.narrative import build_sections
from gongkai.ingest import load
from gongkai.ingest.blocks import Block
from gongkai.ingest.text_reader import read_text_blocks
from gongkai.model.narrative import TocEntry
from gongkai.model.provenance import Provenance
from tests.support import corpus_file


def _titles(blocks, toc=None):
    return [(s.level, s.number, s.title) for root in build_sections(blocks, set(), 0, toc) for s in root.walk()]


def test_a_heading_and_its_body_on_one_line_are_split():
    text = "第三部分 情况说明\n一、收入支出预算总体情况。2025年收入预算100万元。\n（一）三公经费预算情况说明：三公经费预算10万元。\n"
    roots = build_sections(read_text_blocks(text), set(), 0)
    first = roots[0].children[0]
    assert (first.number, first.title) == ("一", "收入支出预算总体情况")
    assert first.paragraphs[0].text == "2025年收入预算100万元。"
    second = first.children[0]
    assert second.title == "三公经费预算情况说明" and second.paragraphs[0].text == "三公经费预算10万元。"


def test_a_heading_run_into_its_body_without_a_stop_is_split():
    text = "第三部分 情况说明\n一、收入支出预算总体情况2025年收入预算100万元。\n二、收入预算情况 2025年收入预算100万元。\n"
    roots = build_sections(read_text_blocks(text), set(), 0)
    assert [(s.title, s.paragraphs[0].text) for s in roots[0].children] == [
        ("收入支出预算总体情况", "2025年收入预算100万元。"), ("收入预算情况", "2025年收入预算100万元。"),
    ]


def test_list_items_are_not_headings():
    text = "一、主要职能\n1.负责区政府会议的准备工作。\n2.“一般公共服务支出-行政运行”科目1,202.95万元，主要用于基本支出。\n（一）因公出国（境）费839万元，与2024年预算持平。\n"
    assert _titles(read_text_blocks(text)) == [(1, "一", "主要职能")]


def test_a_title_that_ends_with_a_full_stop_is_still_a_title():
    text = "七、三公经费支出决算情况说明\n（一）“三公”经费财政拨款支出决算总体情况说明。\n支出决算为0.00万元。\n"
    assert (2, "一", "“三公”经费财政拨款支出决算总体情况说明") in _titles(read_text_blocks(text))


def test_unnumbered_titles_from_the_outline_and_their_wording():
    text = "上海市某某区某某局主要职能\n本部门负责某某工作。\n2025年部门预算编制说明\n2025年，收入预算100万元。\n其他相关情况说明\n一、机关运行经费预算\n机关运行经费预算为5万元。\n"
    toc = [TocEntry("一、部门主要职能", None), TocEntry("四、部门预算编制说明", None), TocEntry("六、其他相关情况说明", None)]
    titles = [t for _, _, t in _titles(read_text_blocks(text), toc)]
    assert titles == ["上海市某某区某某局主要职能", "2025年部门预算编制说明", "其他相关情况说明", "机关运行经费预算"]
    # the last line of a paragraph is not a title, though it may end in a title word
    text = "本部门的收入主要来自财政拨款，\n以及其他收入\n"
    assert _titles(read_text_blocks(text), toc) == [(0, None, "")]


def _line(text, top, x1, gap=False, page=1):
    return Block("text", text=text, prov=Provenance(page=page, bbox=(72.0, top, x1, top + 12)), gap_before=gap)


def test_on_a_pdf_page_a_numbered_line_that_ends_short_is_a_heading_without_spacing():
    blocks = [
        _line("一、收入支出预算总体情况", 100, 300, gap=True),
        _line("2025年本部门收入预算合计100万元，比上年增加10万元，主要原因是人员", 114, 520),
        _line("经费增加。", 128, 140),
        _line("二、机关运行经费预算的有关情况以及与上年相比的增减变化和主要原", 142, 520),
        _line("因。机关运行经费预算为5万元。", 156, 300),
    ]
    roots = build_sections(blocks, set(), 0)
    assert [s.title for r in roots for s in r.walk()] == ["收入支出预算总体情况"]
    assert roots[0].paragraphs[0].text.endswith("经费增加。")
    # the wrapped numbered line runs to the right edge: a paragraph, not a heading
    assert roots[0].paragraphs[1].text.startswith("二、机关运行经费预算")


def _flattened(path):
    """The PDF's block stream with every heading set at body size and no paragraph spacing."""
    loaded = load(path)
    blocks = copy.deepcopy(loaded.blocks)
    for b in blocks:
        if b.kind == "heading":
            b.kind = "text"
        if b.kind != "grid":
            b.gap_before = False
    return build_document(loaded.source, blocks, str(path))


def _narrative(doc):
    from gongkai.checks.narrative_map import topic_of

    claims = [(c.kind, c.raw, topic_of(c.path), c.path[-1] if c.path else "") for c in narrative_claims(doc)]
    findings = sorted((f.rule, f.severity.value, f.message) for f in check(doc).findings if f.category == "narrative")
    return claims, findings


@pytest.mark.parametrize("name", ["shanghai_putuo_finance_bureau_2024_final.pdf", "shanghai_district_final_accounts_template_2024.pdf"])
def test_a_pdf_without_spacing_or_heading_sizes_reads_the_same_narrative(name):
    from tests.support import parsed_pdf

    path = corpus_file("pdf", name)
    flat, spaced = _flattened(path), parsed_pdf(name)
    assert _narrative(flat) == _narrative(spaced)
    assert [(s.level, s.number, s.title) for s in flat.walk_sections()] == [(s.level, s.number, s.title) for s in spaced.walk_sections()]


@pytest.mark.parametrize("name", ["000_9896e042631d7d6c.txt", "003_dc3175b1d97e8850.txt"])
def test_converted_text_without_blank_lines_or_markup_reads_the_same_narrative(name):
    from gongkai.api import parse_text
    from tests.support import parsed, seed_text

    lines = [line.lstrip("#").strip() if line.startswith("#") else line for line in seed_text(name).split("\n") if line.strip()]
    plain = parse_text("\n".join(lines), name)
    strip = lambda n: ([(k, raw, t, p) for k, raw, t, p in n[0]], [(r, s) for r, s, _ in n[1]])  # noqa: E731
    assert strip(_narrative(plain)) == strip(_narrative(parsed(name)))


def test_claims_come_from_the_part_that_is_the_explanation_whatever_its_number():
    from gongkai.api import parse_text

    text = (
        "目录\n第一部分 部门概况\n第二部分 2025年部门预算情况说明\n第三部分 2025年部门预算表\n"
        "第一部分 部门概况\n一、主要职能\n本部门下设3个科室，编制10人，年度经费100.00万元。\n"
        "第二部分 2025年部门预算情况说明\n一、收支预算总体情况说明\n2025年收入预算总计100.00万元。\n第三部分 2025年部门预算表\n"
    )
    claims = narrative_claims(parse_text(text))
    assert [(c.raw, c.topic, c.prov.line) for c in claims] == [("100.00万元", "summary", 10)]
