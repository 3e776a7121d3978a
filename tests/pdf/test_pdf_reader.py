"""The PDF reader: corpus PDFs, synthetic reports with known content, and bad inputs.

(1) Corpus (skipped when /work/shared/corpus is absent): the Putuo 2024 final
    accounts, values read by eye from the printed pages; the empty template.
(2) Synthetic reports drawn with reportlab (tests/pdf/synth.py): split 类/款/项
    columns, wrapped header and name cells, blank cells, thousands separators, a
    table continued on the next page without its header, a table without rules
    between its data rows, a multi-level header, an empty table with its note, a
    title that is also in the 目录, numbers on a raised baseline, a rotated page,
    a non-embedded Chinese font.
(3) Bad inputs: truncated, garbage, no pages, encrypted, scanned (image only).
"""

from __future__ import annotations

import pytest

from gongkai.errors import InputError
from gongkai.facts import facts
from gongkai.ingest import pdf_ocr
from gongkai.ingest.pdf_reader import read_pdf_blocks
from tests.pdf import synth


def _facts(doc) -> set[tuple]:
    return {(r["table_id"], r["code"], r["item"], r["column"], r["value"], r["page"]) for r in facts(doc)}


def _keyed(doc) -> dict[tuple, tuple]:
    """(table, code or item, column) → (value, page); coded rows are keyed by code only."""
    out = {}
    for r in facts(doc):
        out[(r["table_id"], r["code"] or r["item"], r["column"])] = (r["value"], r["page"])
    return out


def _grids(blocks, page: int) -> list[list[list[str]]]:
    return [[list(r.cells) for r in b.rows] for b in blocks if b.kind == "grid" and b.prov.page == page]


# ============================================================================ (1) corpus

# table → page of its title in the Putuo report
PUTUO_TABLE_PAGES = {"沪一": 6, "沪二": 8, "沪三": 10, "沪四": 12, "沪五": 15, "沪六": 16, "沪七": 18, "沪八": 19, "沪九": 20}

# (table, code or row label, column, printed value, page) — read from the printed pages
PUTUO_CELLS = [
    ("沪一", "一般公共预算财政拨款收入", "收入.决算数", "2940.05", 6),
    ("沪一", "其他收入", "收入.决算数", "6.20", 6),
    ("沪一", "本年收入合计", "收入.决算数", "2946.25", 6),
    ("沪一", "一般公共服务支出", "支出.决算数", "2106.66", 6),
    ("沪一", "社会保障和就业支出", "支出.决算数", "326.71", 6),
    ("沪一", "卫生健康支出", "支出.决算数", "60.99", 6),
    ("沪一", "住房保障支出", "支出.决算数", "445.69", 6),
    ("沪一", "本年支出合计", "支出.决算数", "2940.05", 6),
    ("沪一", "年初结转和结余", "收入.决算数", "49.14", 7),
    ("沪一", "年末结转和结余", "支出.决算数", "55.34", 7),
    ("沪一", "总计", "收入.决算数", "2995.39", 7),
    ("沪一", "总计", "支出.决算数", "2995.39", 7),
    ("沪二", "合计", "本年收入合计", "2946.25", 8),
    ("沪二", "合计", "财政拨款收入", "2940.05", 8),
    ("沪二", "合计", "其他收入", "6.20", 8),
    ("沪二", "201", "本年收入合计", "2112.86", 8),
    ("沪二", "20106", "财政拨款收入", "2106.66", 8),
    ("沪二", "2010601", "本年收入合计", "1511.90", 8),
    ("沪二", "2010601", "财政拨款收入", "1511.89", 8),
    ("沪二", "2010601", "其他收入", "0.01", 8),
    ("沪二", "2010602", "本年收入合计", "16.19", 8),
    ("沪二", "2010602", "其他收入", "6.19", 8),
    ("沪二", "2010608", "财政拨款收入", "449.52", 8),
    ("沪二", "2080505", "本年收入合计", "160.75", 8),
    ("沪二", "2080599", "财政拨款收入", "0.94", 8),
    ("沪二", "2101101", "本年收入合计", "60.99", 9),
    ("沪二", "221", "本年收入合计", "445.69", 9),
    ("沪二", "2210203", "财政拨款收入", "258.50", 9),
    ("沪三", "合计", "本年支出合计", "2940.05", 10),
    ("沪三", "合计", "基本支出", "2336.91", 10),
    ("沪三", "合计", "项目支出", "603.14", 10),
    ("沪三", "2010601", "项目支出", "8.37", 10),
    ("沪三", "2010608", "项目支出", "449.52", 10),
    ("沪三", "2080599", "基本支出", "0.94", 11),
    ("沪三", "2210201", "本年支出合计", "187.19", 11),
    ("沪四", "一般公共服务支出", "支出.合计", "2106.66", 12),
    ("沪四", "住房保障支出", "支出.一般公共预算财政拨款", "445.69", 13),
    ("沪四", "年初财政拨款结转和结余", "收入.决算数", "21.63", 13),
    ("沪四", "总计", "收入.决算数", "2961.68", 13),
    ("沪四", "总计", "支出.合计", "2961.68", 13),
    ("沪五", "201", "合计", "2106.66", 15),
    ("沪五", "2010601", "基本支出", "1503.52", 15),
    ("沪五", "2010602", "项目支出", "10.00", 15),
    ("沪五", "合计", "合计", "2940.05", 15),
    ("沪五", "合计", "基本支出", "2336.91", 15),
    ("沪六", "301", "人员经费.决算数", "2082.85", 16),
    ("沪六", "30102", "人员经费.决算数", "1238.58", 16),
    ("沪六", "30201", "公用经费.决算数", "21.21", 16),
    ("沪六", "30302", "人员经费.决算数", "69.10", 16),
    ("沪六", "30309", "人员经费.决算数", "0.31", 17),
    ("沪六", "30229", "公用经费.决算数", "42.77", 17),
    ("沪六", "31002", "公用经费.决算数", "13.58", 17),
    ("沪六", "人员经费合计", "人员经费.决算数", "2152.26", 17),
    ("沪六", "公用经费合计", "公用经费.决算数", "184.65", 17),
    ("沪七", None, "合计.预算数", "0.95", 18),
    ("沪七", None, "公务接待费.预算数", "0.95", 18),
]


def test_putuo_finds_the_nine_tables_on_their_pages(putuo_doc):
    assert [t.id for t in putuo_doc.tables] == list(PUTUO_TABLE_PAGES)
    assert putuo_doc.missing_tables == []
    for t in putuo_doc.tables:
        assert t.prov.page == PUTUO_TABLE_PAGES[t.id], t.id
    for tid in ("沪八", "沪九"):
        table = putuo_doc.table(tid)
        assert table.no_data_note is not None and "本表无数据" in table.no_data_note.text
        assert not any(c.value for r in table.rows for c in r.cells.values())
    assert putuo_doc.meta.department == "上海市普陀区财政局"
    assert putuo_doc.meta.year == 2024


@pytest.mark.parametrize("table,key,column,value,page", PUTUO_CELLS)
def test_putuo_cell(putuo_doc, table, key, column, value, page):
    got = _keyed(putuo_doc).get((table, key, column))
    assert got == (value, page)


def test_putuo_fact_count_and_pages(putuo_doc):
    rows = list(facts(putuo_doc))
    assert len(rows) == 195  # every printed number of the nine tables
    for r in rows:
        assert r["page"] is not None and 6 <= r["page"] <= 18


def test_putuo_grid_keeps_split_codes_blanks_and_joined_headers(putuo_blocks):
    page8 = _grids(putuo_blocks, 8)[0]
    assert page8[0][4:] == ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
    assert ["201", "06", "01", "行政运行", "1,511.90", "1,511.89", "", "", "", "", "0.01"] in page8
    assert ["208", "05", "05", "机关事业单位基本养老保险缴费支出", "160.75", "160.75", "", "", "", "", ""] in page8
    continuation = [b for b in putuo_blocks if b.kind == "grid" and b.prov.page == 9]
    assert continuation and continuation[0].gap_before
    assert continuation[0].rows[0].cells[:4] == ["210", "11", "01", "行政单位医疗"]


def test_putuo_narrative_numbers_stay_in_their_sentence(putuo_blocks):
    texts = [b.text for b in putuo_blocks if b.kind != "grid" and b.prov.page == 21]
    assert any(t.startswith("上海市普陀区财政局2024年度收入支出总计2995.39万元。") for t in texts)
    assert not any(" " in t for t in texts if "万元" in t)  # no spaces between CJK and numbers
    assert not any(t.strip() in ("2024", "2995.39") for t in texts)


def test_putuo_boxes_are_on_the_page(putuo_doc):
    table = putuo_doc.table("沪二")
    row = next(r for r in table.rows if r.code == "2010601")
    prov = row.cells["total"].prov
    assert prov.page == 8
    x0, top, x1, bottom = prov.bbox
    assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 595  # landscape page, points


def test_putuo_crop_renders(putuo_path, putuo_doc):
    from gongkai.report.pdf_crop import render_crop

    prov = putuo_doc.table("沪六").rows[-1].cells["public"].prov
    png = render_crop(putuo_path.read_bytes(), prov.page, prov.bbox, prov.bbox)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_template_yields_nine_empty_tables(template_doc):
    assert [t.id for t in template_doc.tables] == list(PUTUO_TABLE_PAGES)
    assert list(facts(template_doc)) == []


def test_template_single_code_column(template_path):
    blocks, *_ = read_pdf_blocks(template_path.read_bytes(), str(template_path))
    grid = _grids(blocks, 6)[0]
    assert ["2050205", "高等教育", "", "", "", "", "", "", ""] in grid


# ============================================================================ (2) synthetic


def _synth_pages(blocks) -> dict[int, list[list[list[str]]]]:
    return {p: _grids(blocks, p) for p in range(1, 10)}


def test_synth_grids_equal_the_drawn_tables(synth_blocks):
    grids = _synth_pages(synth_blocks)
    assert grids[synth.PAGE_HU1] == [synth.HU1.expected_rows()]
    assert grids[synth.PAGE_HU2A] == [synth.HU2_PAGE_A.expected_rows()]
    assert grids[synth.PAGE_HU2B] == [synth.HU2_PAGE_B.expected_rows()]
    assert grids[synth.PAGE_HU5] == [synth.HU5.expected_rows()]  # rows split without rules
    assert grids[synth.PAGE_HU7] == [synth.HU7.expected_rows()]
    assert grids[synth.PAGE_HU8] == [synth.HU8.expected_rows()]
    assert grids[2] == []  # the 目录 is text


def test_synth_continuation_and_titles(synth_blocks):
    page5 = [b for b in synth_blocks if b.prov.page == synth.PAGE_HU2B]
    assert [b.kind for b in page5] == ["grid"] and page5[0].gap_before
    toc = [b.text for b in synth_blocks if b.prov.page == 2]
    assert "二、收入决算表" in toc and "七、财政拨款“三公”经费支出决算表" in toc
    titles = [b for b in synth_blocks if b.text == "收入决算表"]
    assert len(titles) == 1 and titles[0].prov.page == synth.PAGE_HU2A and titles[0].kind == "heading"


def test_synth_facts_equal_ground_truth(synth_doc):
    assert [t.id for t in synth_doc.tables] == ["沪一", "沪二", "沪五", "沪七", "沪八"]
    assert _facts(synth_doc) == synth.EXPECTED_FACTS
    assert synth_doc.table("沪二").prov.page == synth.PAGE_HU2A  # not the 目录 entry on page 2
    note = synth_doc.table("沪八").no_data_note
    assert note is not None and note.text == synth.HU8_NOTE and note.prov.page == synth.PAGE_HU8


def test_synth_raised_numbers_join_the_line(synth_blocks):
    lines = [b.text for b in synth_blocks if b.prov.page == synth.PAGE_TEXT]
    assert synth.NARRATIVE[:34] in lines
    assert synth.NARRATIVE[34:] in lines


def test_synth_cell_boxes_match_the_rendering(synth_pdf, synth_blocks):
    """Every non-empty cell box covers inked pixels; empty ones (inside the rules) none."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(synth_pdf)
    try:
        for block in synth_blocks:
            if block.kind != "grid":
                continue
            page = pdf[block.prov.page - 1]
            image = page.render(scale=2).to_pil().convert("L")
            page.close()
            spans = [p.bbox for r in block.rows for t, p in zip(r.cells, r.cell_provs) if t]

            def inside(b, outer):
                return outer[0] <= b[0] and outer[1] <= b[1] and b[2] <= outer[2] and b[3] <= outer[3]

            for row in block.rows:
                for text, prov in zip(row.cells, row.cell_provs):
                    x0, y0, x1, y1 = prov.bbox
                    box = (int(x0 * 2) + 4, int(y0 * 2) + 4, int(x1 * 2) - 4, int(y1 * 2) - 4)
                    if box[2] <= box[0] or box[3] <= box[1]:
                        continue
                    if not text and any(inside(prov.bbox, s) for s in spans):
                        continue  # a position covered by a spanning cell
                    darkest = image.crop(box).getextrema()[0]
                    assert (darkest < 128) == bool(text), (block.prov.page, text, prov.bbox)
    finally:
        pdf.close()


def test_rotated_page_reads_upright():
    data = synth.rotated_table()
    blocks, pages, _ = read_pdf_blocks(data, "rotated.pdf")
    assert pages == 1
    assert [b.text for b in blocks if b.kind != "grid"] == ["收入决算表"]
    grid = [b for b in blocks if b.kind == "grid"][0]
    assert [r.cells for r in grid.rows] == [["科目编码", "科目名称", "决算数"], ["201", "一般公共服务支出", "2,106.66"], ["20106", "财政事务", "1,511.89"]]
    assert grid.prov.bbox == (200.0, 100.0, 540.0, 154.0)


def test_diagonal_watermark_is_not_content():
    blocks, *_ = read_pdf_blocks(synth.watermarked(), "watermark.pdf")
    assert [b.text for b in blocks if b.kind != "grid"] == ["收入决算表"]
    grid = [b for b in blocks if b.kind == "grid"][0]
    assert [r.cells for r in grid.rows] == [["科目编码", "科目名称", "决算数"], ["201", "一般公共服务支出", "2,106.66"]]


def test_non_embedded_chinese_font(monkeypatch):
    """reportlab's STSong-Light is not embedded; without a system font PDFium cannot measure
    it and drops single-character strings — the reader then reads those pages with pdfminer."""
    monkeypatch.setattr(synth, "CJK", synth.CID)
    from gongkai.api import parse_bytes

    doc = parse_bytes(synth.report(), "cid.pdf")
    assert _facts(doc) == synth.EXPECTED_FACTS
    blocks, *_ = read_pdf_blocks(synth.rotated_table(), "rotated.pdf")
    grid = [b for b in blocks if b.kind == "grid"][0]
    assert grid.rows[1].cells == ["201", "一般公共服务支出", "2,106.66"]


def test_crop_png_and_highlight(synth_pdf, synth_doc):
    import io

    from PIL import Image, ImageChops

    from gongkai.report.pdf_crop import render_crop

    prov = next(r for r in synth_doc.table("沪二").rows if r.code == "2010601").cells["total"].prov
    png = render_crop(synth_pdf, prov.page, prov.bbox, prov.bbox, scale=2.0, margin=20)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    x0, y0, x1, y1 = prov.bbox
    assert abs(image.width - (x1 - x0 + 40) * 2) <= 2 and abs(image.height - (y1 - y0 + 40) * 2) <= 2
    red = image.getchannel("R").point(lambda v: 255 if v > 200 else 0)
    not_green = image.getchannel("G").point(lambda v: 255 if v < 60 else 0)
    assert ImageChops.multiply(red, not_green).getbbox() is not None  # the red outline is drawn
    whole = Image.open(io.BytesIO(render_crop(synth_pdf, 1, None, None, scale=1.0)))
    assert abs(whole.width - 595) <= 1 and abs(whole.height - 842) <= 1
    with pytest.raises(ValueError):
        render_crop(synth_pdf, 99, prov.bbox, None)


def test_page_crops_open_the_pdf_once_and_reuse_crops(monkeypatch, synth_pdf, synth_doc):
    import pypdfium2 as pdfium

    from gongkai.report.pdf_crop import PageCrops, render_crop

    opened = []
    real = pdfium.PdfDocument

    def counting(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    prov = next(r for r in synth_doc.table("沪二").rows if r.code == "2010601").cells["total"].prov
    single = render_crop(synth_pdf, prov.page, prov.bbox, prov.bbox)
    monkeypatch.setattr(pdfium, "PdfDocument", counting)
    with PageCrops(synth_pdf) as crops:
        first = crops.render(prov.page, prov.bbox, prov.bbox)
        assert crops.render(prov.page, list(prov.bbox), prov.bbox) is first  # rendered once
        other = crops.render(prov.page, prov.bbox)  # no highlight: another crop, same page
        whole = crops.render(1, None)
        with pytest.raises(ValueError):
            crops.render(99, prov.bbox)
    assert opened == [1]
    assert first == single and other != first and whole.startswith(b"\x89PNG")


def test_html_report_opens_the_pdf_once(monkeypatch, putuo_path, putuo_doc):
    import pypdfium2 as pdfium

    from gongkai.checks import check
    from gongkai.report.html import render_html

    result = check(putuo_doc)
    opened = []
    real = pdfium.PdfDocument

    def counting(*args, **kwargs):
        opened.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pdfium, "PdfDocument", counting)
    crops = render_html(result).count("data:image/png;base64,")  # 12 findings with a crop at the time of writing
    assert len(opened) == min(crops, 1)


# ---------------------------------------------------------------- line assembly units


def _chars(spec):
    from gongkai.ingest.pdf_chars import Char

    out, x = [], 72.0
    for text, size, rise, gap in spec:
        for ch in text:
            w = size if ord(ch) > 0x2E80 else size / 2
            out.append(Char(ch, x + gap, x + gap + w, 700.0 - rise, size))
            x += gap + w
            gap = 0.0
    return out


def test_lines_group_by_baseline_and_space_only_wide_gaps():
    from gongkai.ingest.pdf_layout import group_lines

    chars = _chars([("上海市普陀区财政局", 12, 0, 0), ("2024", 12, 1.8, 0), ("年度收入支出总计", 12, 0, 0), ("2995.39", 12, -1.5, 3), ("万元。", 12, 0, 3)])
    lines = group_lines(chars)
    assert [ln.text for ln in lines] == ["上海市普陀区财政局2024年度收入支出总计2995.39万元。"]
    far = _chars([("单位名称", 12, 0, 0), ("金额", 12, 0, 80)])
    assert [ln.text for ln in group_lines(far)] == ["单位名称 金额"]
    words = _chars([("Total", 10, 0, 0), ("2,940.05", 10, 0, 2.5)])
    assert [ln.text for ln in group_lines(words)] == ["Total 2,940.05"]


def test_heading_wrapped_over_three_lines_is_one_block():
    blocks, *_ = read_pdf_blocks(synth.wrapped_heading(), "wrapped.pdf")
    headings = [b for b in blocks if b.kind == "heading"]
    assert [b.text for b in headings] == ["".join(synth.WRAPPED_HEADING)]
    x0, top, x1, bottom = headings[0].prov.bbox
    assert (x0, top) == (72.0, 110.0) and 500 < x1 < 560 and 170 < bottom < 176  # all three lines
    assert [b.kind for b in blocks] == ["text", "heading"] + ["text"] * 4


def test_wrapped_heading_joins_latin_words_with_a_space():
    from gongkai.ingest.pdf_chars import Char, PageContent
    from gongkai.ingest.pdf_layout import join_wrapped
    from gongkai.ingest.pdf_reader import layout_blocks

    def line(text, x, base, size):
        out = []
        for ch in text:
            w = size if ord(ch) > 0x2E80 else size / 2
            out.append(Char(ch, x, x + w, base, size))
            x += w
        return out

    content = PageContent(1, 200.0, 300.0)
    for k in range(4):
        content.chars += line("正文正文正文正文", 20.0, 40.0 + 14 * k, 10.0)
    content.chars += line("部门决算情况说明FY2024", 20.0, 120.0, 14.0)  # reaches the right margin
    content.chars += line("Final版本", 20.0, 137.0, 14.0)
    content.chars += line("Draft", 20.0, 154.0, 14.0)
    blocks = layout_blocks([content])
    assert [(b.kind, b.text) for b in blocks if b.kind == "heading"] == [("heading", "部门决算情况说明FY2024 Final版本"), ("heading", "Draft")]
    assert join_wrapped("FY2024", "Final") == "FY2024 Final" and join_wrapped("说明", "2024") == "说明2024"
    assert join_wrapped("", "说明") == "说明" and join_wrapped("2024，", "Final") == "2024，Final"


def _framed_table(first: str, last: str):
    """A page whose table frame holds a full-width first and last row around two data rows."""
    from gongkai.ingest.pdf_chars import Char, PageContent, Segment

    content = PageContent(1, 400.0, 300.0)

    def text(s, x, base, size=10.0):
        for ch in s:
            w = size if ord(ch) > 0x2E80 else size / 2
            content.chars.append(Char(ch, x, x + w, base, size))
            x += w

    content.hlines += [Segment(50, y, 350, y) for y in (50, 70, 90, 110, 130)]
    content.vlines += [Segment(50, 50, 50, 130), Segment(350, 50, 350, 130), Segment(150, 70, 150, 110), Segment(250, 70, 250, 110)]
    text(first, 55, 64)
    text("科目", 55, 84), text("决算数", 155, 84), text("预算数", 255, 84)
    text("201", 55, 104), text("2,106.66", 155, 104), text("1.00", 255, 104)
    text(last, 55, 124)
    return content


def test_title_and_note_rows_inside_the_table_frame_become_text():
    from gongkai.ingest.pdf_reader import layout_blocks

    blocks = layout_blocks([_framed_table("单位：万元", "注：本表金额单位为万元")])
    assert [(b.kind, b.text) for b in blocks] == [("text", "单位：万元"), ("grid", ""), ("text", "注：本表金额单位为万元")]
    assert [r.cells for r in blocks[1].rows] == [["科目", "决算数", "预算数"], ["201", "2,106.66", "1.00"]]
    assert blocks[0].prov.bbox[1] < blocks[1].prov.bbox[1] + 20 and blocks[2].prov.bbox[3] <= 130
    # other full-width rows stay table rows
    kept = layout_blocks([_framed_table("一般公共服务支出", "合计")])
    assert [b.kind for b in kept] == ["grid"]
    assert [r.cells for r in kept[0].rows] == [["一般公共服务支出", "", ""], ["科目", "决算数", "预算数"], ["201", "2,106.66", "1.00"], ["合计", "", ""]]


# ============================================================================ (3) bad inputs


def test_truncated_pdf(synth_pdf):
    for cut in (synth_pdf[: len(synth_pdf) // 2], synth_pdf[:-8]):
        with pytest.raises(InputError) as err:
            read_pdf_blocks(cut, "cut.pdf")
        assert "truncated" in str(err.value) and "\n" not in str(err.value)


def test_garbage_pdf():
    with pytest.raises(InputError) as err:
        read_pdf_blocks(b"%PDF-1.7\n" + bytes(range(256)) * 40, "junk.pdf")
    assert "damaged" in str(err.value) or "truncated" in str(err.value)


def test_pdf_without_pages():
    with pytest.raises(InputError, match="no pages"):
        read_pdf_blocks(synth.no_pages(), "empty.pdf")


def test_encrypted_pdf():
    from reportlab.lib.pdfencrypt import StandardEncryption

    locked = synth.Doc(encrypt=StandardEncryption("secret", "owner", strength=128))
    locked.page().text(72, 100, "收入决算表 2,940.05")
    with pytest.raises(InputError, match="encrypted"):
        read_pdf_blocks(locked.bytes(), "locked.pdf")
    # encrypted with an owner password only (printing restricted): readable, so read
    restricted = synth.Doc(encrypt=StandardEncryption("", "owner", canPrint=0, strength=128))
    restricted.page().text(72, 100, "收入决算表 2,940.05")
    blocks, *_ = read_pdf_blocks(restricted.bytes(), "restricted.pdf")
    assert [b.text for b in blocks] == ["收入决算表2,940.05"]


def test_scanned_pdf_needs_ocr(monkeypatch):
    monkeypatch.setattr(pdf_ocr, "available", lambda: False)
    with pytest.raises(InputError) as err:
        read_pdf_blocks(synth.image_only(), "scan.pdf")
    message = str(err.value)
    assert "OCR" in message and "gongkai[ocr]" in message and "\n" not in message


def test_cli_exit_code_for_a_truncated_pdf(tmp_path, synth_pdf):
    import subprocess
    import sys

    path = tmp_path / "cut.pdf"
    path.write_bytes(synth_pdf[:5000])
    run = subprocess.run([sys.executable, "-m", "gongkai", "parse", str(path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "truncated" in run.stderr and len(run.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(not pdf_ocr.available(), reason="OCR extra not installed")
def test_scanned_pdf_is_ocrd_when_the_engine_is_installed():
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (1200, 400), 255)
    draw = ImageDraw.Draw(img)
    for y in (40, 140, 240, 340):
        draw.line([(40, y), (1160, y)], fill=0, width=3)
    for x in (40, 600, 1160):
        draw.line([(x, 40), (x, 340)], fill=0, width=3)
    draw.text((80, 80), "2,940.05", fill=0, font_size=40)
    draw.text((640, 80), "1,511.89", fill=0, font_size=40)
    doc = synth.Doc()
    doc.page()
    doc.canvas.drawImage(ImageReader(img), 50, 400, width=480, height=160)
    blocks, *_ = read_pdf_blocks(doc.bytes(), "scan.pdf")
    text = " ".join(c for b in blocks for r in b.rows for c in r.cells) + " ".join(b.text for b in blocks)
    assert "2,940.05" in text.replace(" ", "") or "2940.05" in text.replace(",", "")
