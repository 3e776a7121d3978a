"""Tables in layout text: columns aligned with spaces (`pdftotext -layout` and the like).

Converter text marks a table's cells with tabs, pipes or HTML; layout text only lines
them up. When a text holds no table in any of those notations, runs of lines that line
up (two or more cells separated by runs of two or more spaces, most of them holding
figures) are read as grids: the columns are the positions where the figure rows' cells
overlap, measured in display width (a Chinese character is two columns wide) or, when
that lines up worse, in characters; a header cell spanning several columns goes in the
first of them, as a merged cell is printed.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right

from ..model.provenance import at_line
from ..patterns import lazy_compile
from .blocks import Block, GridRow

_CELL = lazy_compile(r"\S+(?: \S+)*")  # cells are separated by two or more spaces
_FIGURE = lazy_compile(r"^[-－]?[\d,，]*\d(?:\.\d+)?%?$|^[-－—–]{1,2}$")
_MIN_ROWS = 2
_MAX_HEADER = 3
_MAX_GAP = 2  # blank lines allowed inside a table
_MAX_LINE = 2000  # characters: a table row is narrower than a page


def _cells(line: str) -> list[tuple[int, int, str]]:
    if len(line) > _MAX_LINE:  # no table row is this long: not a row (and not scanned)
        return []
    return [(m.start(), m.end(), m.group()) for m in _CELL.finditer(line)]


def _is_figure_row(cells: list[tuple[int, int, str]]) -> bool:
    return len(cells) >= 2 and any(_FIGURE.match(c[2]) for c in cells[1:])


def _is_header_row(cells: list[tuple[int, int, str]]) -> bool:
    return len(cells) >= 2 and not any(":" in c[2] or "：" in c[2] for c in cells)


def _display(line: str) -> list[int]:
    """Display column of each character position (and of the end)."""
    cols, x = [], 0
    for ch in line:
        cols.append(x)
        x += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    cols.append(x)
    return cols


def _columns(rows: list[list[tuple[int, int, str]]]) -> tuple[list[tuple[int, int]], int]:
    """Merged intervals of the rows' cells, and how many rows put two cells in one."""
    spans = sorted((a, b) for row in rows for a, b, _ in row)
    merged: list[list[int]] = []
    for a, b in spans:
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    columns = [(a, b) for a, b in merged]
    clashes = sum(1 for row in rows if len({_which(columns, a, b) for a, b, _ in row}) < len(row))
    return columns, clashes


def _which(columns: list[tuple[int, int]], a: int, b: int) -> int:
    """The column a cell [a, b) overlaps first, else the nearest (columns are disjoint and sorted)."""
    k = max(0, bisect_right(columns, (a, float("inf"))) - 1)
    near = [i for i in (k, k + 1) if i < len(columns)]
    for i in near:
        if a < columns[i][1] and b > columns[i][0]:
            return i
    centre = (a + b) / 2
    return min(near, key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - centre))


def _grid(lines: list[str], numbers: list[int]) -> list[GridRow]:
    by_char = {n: _cells(lines[n - 1]) for n in numbers}
    by_width = {}
    for n, cells in by_char.items():
        cols = _display(lines[n - 1])
        by_width[n] = [(cols[a], cols[b], t) for a, b, t in cells]
    figures = [n for n in numbers if _is_figure_row(by_char[n])]
    best = None
    for measured in (by_width, by_char):
        columns, clashes = _columns([measured[n] for n in figures])
        if best is None or clashes < best[2]:
            best = (measured, columns, clashes)
    measured, columns, _ = best
    out = []
    for n in numbers:
        cells = [""] * len(columns)
        for a, b, text in measured[n]:
            i = _which(columns, a, b)
            cells[i] = f"{cells[i]} {text}".strip()
        out.append(GridRow(cells, at_line(n)))
    return out


def read_layout_tables(lines: list[str], blocks: list[Block]) -> list[Block]:
    """The block stream with runs of aligned lines (text blocks) turned into grids."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        run = _run(lines, blocks, i)
        if run is None:
            out.append(blocks[i])
            i += 1
            continue
        start, stop = run
        numbers = [blocks[k].prov.line for k in range(start, stop)]
        rows = _grid(lines, numbers)
        out.extend(blocks[i:start])
        out.append(Block("grid", rows=rows, prov=rows[0].prov, gap_before=blocks[start].gap_before))
        i = stop
    return out


def _run(lines: list[str], blocks: list[Block], i: int) -> tuple[int, int] | None:
    """(first, end) of the aligned run whose first figure row is block i, header lines
    above it included; None when block i does not start one."""
    def cells_of(k: int):
        b = blocks[k]
        if b.kind != "text" or not b.prov.line:
            return None
        return _cells(lines[b.prov.line - 1])

    first = cells_of(i)
    if first is None or not _is_figure_row(first):
        return None
    stop, figures = i, 0
    while stop < len(blocks):
        cells = cells_of(stop)
        if cells is None or not cells:
            break
        if stop > i and blocks[stop].prov.line - blocks[stop - 1].prov.line > _MAX_GAP + 1:
            break
        if len(cells) < 2:  # a section row (二、机关运行经费) inside the table, not after it
            after = cells_of(stop + 1) if stop + 1 < len(blocks) else None
            if not after or len(after) < 2 or blocks[stop + 1].prov.line - blocks[stop].prov.line > _MAX_GAP + 1:
                break
        figures += _is_figure_row(cells)
        stop += 1
    if figures < _MIN_ROWS:
        return None
    start = i
    while start > 0 and i - start < _MAX_HEADER:
        cells = cells_of(start - 1)
        if cells is None or not _is_header_row(cells) or _is_figure_row(cells):
            break
        if blocks[start].prov.line - blocks[start - 1].prov.line > _MAX_GAP + 1:
            break
        start -= 1
    return start, stop
