"""Table titles and header lines printed as the first rows of a grid.

A table (or a performance form) exported from a spreadsheet often carries its title in
a merged first row ("收入支出决算总表" across every column) and its header lines in the
next ("公开01表 | 部门名称：… | 2024年度 | 金额单位：万元"); converters then give them
as rows of the grid. They are lifted out of the grid into the text lines they are when
printed above a table, so the table is found by its title and its unit is read.
"""

from __future__ import annotations

from ..ingest.blocks import Block
from ..patterns import lazy_compile
from .forms import is_form_title
from .locate import TABLE_NUMBER
from .recognise import is_table_title
from .textnorm import compact

# A header line's pieces: the table's number, its department, its year or date, its unit.
_HEADER_PIECE = lazy_compile(
    rf"^(?:{TABLE_NUMBER}"
    r"|(?:编制|填报|预算|主管)?(?:单位|部门)(?:名称)?\s*[:：].*|(?:金额)?单位\s*[:：]\s*(?:万元|千元|元|亿元)\s*"
    r"|[（(]?(?:19|20)\d{2}[)）]?\s*年度?(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?)$"
)
_MAX_LIFTED = 4
_HEADER_WORDS = ("表", "单位", "部门", "年", ":", "：")  # every header piece holds one of these


def _texts(cells: list[str]) -> list[str]:
    seen: list[str] = []
    for cell in cells:
        text = cell.strip()
        if text and text not in seen:  # a merged cell is often repeated across its columns
            seen.append(text)
    return seen


def _is_title_row(texts: list[str]) -> bool:
    return len(texts) == 1 and len(texts[0]) <= 80 and (is_table_title(texts[0]) or is_form_title(texts[0]))


def _is_header_row(texts: list[str]) -> bool:
    return bool(texts) and all(_HEADER_PIECE.match(compact(t)) for t in texts)


def lift_captions(blocks: list[Block]) -> list[Block]:
    """The block stream with title and header rows at the top of a grid moved out of it."""
    out: list[Block] = []
    for block in blocks:
        lifted = _caption_rows(block) if block.is_grid else 0
        if not lifted:
            out.append(block)
            continue
        for row in block.rows[:lifted]:  # each its own line, as when printed above the table
            out.append(Block("text", text="  ".join(_texts(row.cells)), prov=row.prov, gap_before=True))
        if lifted < len(block.rows):  # else the grid was only its caption (the table follows)
            block.rows = block.rows[lifted:]
            block.prov = block.rows[0].prov
            block.gap_before = True
            out.append(block)
    return out


def _caption_rows(block: Block) -> int:
    """How many of the grid's first rows are its title and header lines: a title row,
    with header rows only around it (header-looking rows without a title are the table's own)."""
    rows = block.rows
    first = _texts(rows[0].cells)
    if not _is_title_row(first) and not all(any(w in t for w in _HEADER_WORDS) for t in first):
        return 0  # an ordinary grid: its first row is the column header (项目 | 行次 | 金额 …)
    top = [first] + [_texts(r.cells) for r in rows[1 : min(_MAX_LIFTED, len(rows))]]
    title = next((i for i, texts in enumerate(top) if _is_title_row(texts)), None)
    if title is None or not all(_is_header_row(texts) for texts in top[:title]):
        return 0
    end = title + 1
    while end < len(top) and _is_header_row(top[end]):
        end += 1
    # a grid whose rows are all caption is a caption printed as a grid;
    # otherwise at least two rows (a header and a figure) must stay a table
    return end if end == len(rows) or len(rows) - end >= 2 else 0
