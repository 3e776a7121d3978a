"""The 目录: entries with leader dots, several entries on one PDF line, and a 目录 that is
never closed by a part heading must not swallow the document."""

from __future__ import annotations

from gongkai.extract.locate import find_toc
from gongkai.ingest.blocks import Block
from gongkai.ingest.text_reader import read_text_blocks
from gongkai.model.provenance import Provenance


def _block(text, page, kind="text"):
    return Block(kind, text=text, prov=Provenance(page=page, bbox=(72.0, 100.0, 500.0, 112.0)), gap_before=True)


def test_several_entries_on_one_line_are_split_at_their_leaders():
    merged = "一、部门主要职能……………二、部门机构设置…………3五、部门预算表……………1. 2025年部门财务收支预算总表………2．2025年部门收入预算总表……"
    blocks = [_block("目录", 2, "heading"), _block(merged, 2, "heading"), _block("上海市某区某局主要职能", 3, "heading"), _block("本局负责某某工作。", 3)]
    toc, span = find_toc(blocks)
    assert [e.text for e in toc] == ["一、部门主要职能", "二、部门机构设置", "五、部门预算表", "1.2025年部门财务收支预算总表", "2．2025年部门收入预算总表"]
    assert toc[1].page == 3
    assert span == (0, 2)


def test_a_toc_without_part_headings_ends_where_the_body_begins():
    text = "目录\n一、部门主要职能\n二、部门机构设置\n三、部门预算编制说明\n上海市某区某局主要职能\n本局负责某某工作。\n一、职能\n"
    toc, span = find_toc(read_text_blocks(text))
    assert [e.text for e in toc] == ["一、部门主要职能", "二、部门机构设置", "三、部门预算编制说明"]
    assert span == (0, 4)


def test_a_toc_with_leaders_ends_at_the_first_line_without_one_on_the_next_page():
    blocks = [_block("目录", 2), _block("一、部门主要职能………1", 2), _block("二、部门机构设置………2", 2), _block("部门概况", 3), _block("一、职能", 3)]
    toc, span = find_toc(blocks)
    assert len(toc) == 2 and span == (0, 3)


def test_a_toc_listed_over_two_pages_without_page_numbers_is_kept_whole():
    blocks = [_block("目录", 2), _block("第一部分 概况", 2), _block("一、主要职能", 2), _block("二、机构设置", 3), _block("第二部分 决算表", 3), _block("第一部分 概况", 4)]
    toc, span = find_toc(blocks)
    assert len(toc) == 4 and span == (0, 5)
