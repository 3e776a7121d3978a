"""Characters → visual lines; ruling lines → table lattices → grid rows.

Lines: characters are grouped by *baseline* with a tolerance proportional to the
font size (numbers set in a Latin font sit a little off the Chinese baseline) and
ordered by x. A space is inserted only where the gap is large (several font sizes),
or between two Latin letters/digits that are visibly apart — never between CJK
characters, whose advance already is the full em.

Tables: horizontal and vertical ruling lines are merged and grouped into connected
components; each component with at least two columns is a table. Its distinct line
positions form a lattice; lattice cells not separated by a drawn line are merged
(spanning cells). Every character goes to the cell its centre lies in; text wrapped
inside a cell is joined. A spanning cell's text is placed at its top-left lattice
position and the positions it covers are left blank, like the text converters do.
When the horizontal rules between data rows are missing, a band that holds two
numbers stacked in one cell is split into rows along its text lines.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import field

from ..extract.numbers import parse_number
from ..model.table import CellStatus
from .pdf_chars import Char, PageContent, Segment
from ..patterns import lazy_compile
from ..records import record

SPACE_GAP = 2.5  # in font sizes: a gap this wide becomes a space in any text
WORD_GAP = 0.15  # in font sizes: between two Latin letters/digits
BASELINE_TOL = 0.3  # in font sizes
SNAP = 3.0  # points: ruling positions closer than this are one line
JOIN = 2.0  # points: tolerance when testing whether lines touch
COVER = 0.6  # share of a cell edge a ruling must cover to separate two cells

_ENUMERATED = lazy_compile(
    r"^(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[、.．](?!\d)|第[一二三四五六七八九十]+|合\s*计|总\s*计|小\s*计)"
)
_TITLE_ROW = lazy_compile(r"(?:表|表[（(]?续[)）]?)$|^(?:金额)?单位\s*[:：]|^(?:编制|部门|单位|预算单位)(?:名称)?\s*[:：]")
_NOTE_ROW = lazy_compile(r"^(?:注|说明|备注|附注)\s*[:：\d.、]|本表无数据|无此项|无数据|本表为空")


def _numeric(text: str) -> bool:
    """A number or a dash placeholder, as the extractor reads a cell."""
    return parse_number(text).status in (CellStatus.VALUE, CellStatus.NA)


def _is_word(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".,%-+/()")


# --------------------------------------------------------------------------- lines


@record
class Line:
    chars: list[Char]
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    base: float
    size: float

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


def join_chars(chars: list[Char]) -> str:
    out: list[str] = []
    prev: Char | None = None
    for c in chars:
        if prev is not None:
            gap = c.x0 - prev.x1
            size = max(min(c.size, prev.size), 1.0)
            if gap > SPACE_GAP * size or (gap > WORD_GAP * size and _is_word(prev.text) and _is_word(c.text)):
                out.append(" ")
        out.append(c.text)
        prev = c
    return "".join(out)


def make_line(chars: list[Char]) -> Line:
    chars.sort(key=lambda c: c.x0)
    sizes = sorted(c.size for c in chars)
    size = sizes[len(sizes) // 2]
    bases = sorted(c.base for c in chars)
    return Line(
        chars,
        join_chars(chars),
        min(c.x0 for c in chars),
        max(c.x1 for c in chars),
        min(c.top for c in chars),
        max(c.bottom for c in chars),
        bases[len(bases) // 2],
        size,
    )


def group_lines(chars: list[Char]) -> list[Line]:
    """Characters → visual lines (top to bottom), by baseline with a size-relative tolerance."""
    if not chars:
        return []
    ordered = sorted(chars, key=lambda c: c.base)
    groups: list[list[Char]] = []
    current = [ordered[0]]
    ref = ordered[0].base
    ref_size = ordered[0].size
    for c in ordered[1:]:
        tol = BASELINE_TOL * max(min(c.size, ref_size), 1.0)
        if c.base - ref <= tol:
            current.append(c)
            n = len(current)
            ref += (c.base - ref) / n
            ref_size = max(ref_size, c.size)
        else:
            groups.append(current)
            current = [c]
            ref, ref_size = c.base, c.size
    groups.append(current)
    return [make_line(g) for g in groups]


def join_wrapped(head: str, tail: str) -> str:
    """Two pieces of text wrapped over lines: a space only between Latin letters/digits."""
    if head and tail and head[-1].isascii() and head[-1].isalnum() and tail[0].isascii() and tail[0].isalnum():
        return head + " " + tail
    return head + tail


def join_lines(lines: list[Line]) -> str:
    """Text wrapped inside a cell: no space between CJK pieces, one between Latin words."""
    out = ""
    for ln in lines:
        t = ln.text.strip()
        if t:
            out = join_wrapped(out, t)
    return out


# --------------------------------------------------------------------------- rulings


def _merge_collinear(segments: list[Segment], horizontal: bool) -> list[Segment]:
    if not segments:
        return []
    if horizontal:
        items = sorted(((s.y0, s.x0, s.x1) for s in segments))
    else:
        items = sorted(((s.x0, s.y0, s.y1) for s in segments))
    out: list[Segment] = []
    # group by position (chained within 1pt), then merge intervals along the line
    i = 0
    n = len(items)
    while i < n:
        j = i + 1
        while j < n and items[j][0] - items[j - 1][0] <= 1.0:
            j += 1
        group = items[i:j]
        pos = sum(g[0] for g in group) / len(group)
        spans = sorted((g[1], g[2]) for g in group)
        a, b = spans[0]
        for s, e in spans[1:]:
            if s <= b + JOIN:
                b = max(b, e)
            else:
                out.append(Segment(a, pos, b, pos) if horizontal else Segment(pos, a, pos, b))
                a, b = s, e
        out.append(Segment(a, pos, b, pos) if horizontal else Segment(pos, a, pos, b))
        i = j
    return out


def _snap(values: list[float]) -> list[float]:
    """Distinct positions: values chained within SNAP points are one (their mean)."""
    if not values:
        return []
    values = sorted(values)
    out: list[float] = []
    group = [values[0]]
    for v in values[1:]:
        if v - group[-1] <= SNAP:
            group.append(v)
        else:
            out.append(sum(group) / len(group))
            group = [v]
    out.append(sum(group) / len(group))
    return out


class _UnionFind:
    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, a: int) -> int:
        p = self.parent
        while p[a] != a:
            p[a] = p[p[a]]
            a = p[a]
        return a

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# --------------------------------------------------------------------------- tables


@record
class Cell:
    r0: int
    c0: int
    r1: int  # inclusive
    c1: int  # inclusive
    bbox: tuple[float, float, float, float]
    chars: list[Char] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    text: str = ""


@record
class OutRow:
    cells: list[str]
    bbox: tuple[float, float, float, float]
    cell_boxes: list[tuple[float, float, float, float]]


@record
class TableRegion:
    bbox: tuple[float, float, float, float]
    xs: list[float]
    ys: list[float]
    cells: list[Cell]
    owner: list[list[int]]  # lattice (r, c) → index into cells
    rows: list[OutRow] = field(default_factory=list)
    before: list[Line] = field(default_factory=list)  # title/unit rows printed inside the frame
    after: list[Line] = field(default_factory=list)  # notes printed inside the frame

    @property
    def top(self) -> float:
        return self.bbox[1]

    def contains(self, c: Char) -> bool:
        x0, y0, x1, y1 = self.bbox
        return x0 <= c.cx <= x1 and y0 <= c.cy <= y1


def _covered(intervals: list[tuple[float, float]], a: float, b: float) -> bool:
    if b - a <= 0:
        return True
    total = 0.0
    for s, e in intervals:
        lo, hi = max(s, a), min(e, b)
        if hi > lo:
            total += hi - lo
    return total >= COVER * (b - a)


def find_tables(content: PageContent) -> list[TableRegion]:
    hs = _merge_collinear(content.hlines, True)
    vs = _merge_collinear(content.vlines, False)
    if len(hs) < 2 or len(vs) < 2:
        return []
    nh = len(hs)
    uf = _UnionFind(nh + len(vs))
    for i, h in enumerate(hs):
        for j, v in enumerate(vs):
            if h.x0 - JOIN <= v.x0 <= h.x1 + JOIN and v.y0 - JOIN <= h.y0 <= v.y1 + JOIN:
                uf.union(i, nh + j)
    comps: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        comps.setdefault(uf.find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        comps.setdefault(uf.find(nh + j), ([], []))[1].append(v)
    regions = []
    for hl, vl in comps.values():
        if len(hl) < 2 or len(vl) < 2:
            continue
        region = _lattice(hl, vl)
        if region is not None:
            regions.append(region)
    regions.sort(key=lambda r: (r.bbox[1], r.bbox[0]))
    return regions


def _lattice(hl: list[Segment], vl: list[Segment]) -> TableRegion | None:
    x0 = min(min(h.x0 for h in hl), min(v.x0 for v in vl))
    x1 = max(max(h.x1 for h in hl), max(v.x0 for v in vl))
    y0 = min(min(v.y0 for v in vl), min(h.y0 for h in hl))
    y1 = max(max(v.y1 for v in vl), max(h.y0 for h in hl))
    if x1 - x0 < 10 or y1 - y0 < 5:
        return None
    xs = _snap([v.x0 for v in vl] + [x0, x1])
    ys = _snap([h.y0 for h in hl] + [y0, y1])
    ncols, nrows = len(xs) - 1, len(ys) - 1
    if ncols < 2 or nrows < 1:
        return None
    # the drawn intervals on each lattice line
    vcover: list[list[tuple[float, float]]] = [[] for _ in xs]
    hcover: list[list[tuple[float, float]]] = [[] for _ in ys]
    for v in vl:
        k = _nearest(xs, v.x0)
        vcover[k].append((v.y0, v.y1))
    for h in hl:
        k = _nearest(ys, h.y0)
        hcover[k].append((h.x0, h.x1))
    uf = _UnionFind(nrows * ncols)
    for r in range(nrows):
        for c in range(ncols):
            if c + 1 < ncols and not _covered(vcover[c + 1], ys[r], ys[r + 1]):
                uf.union(r * ncols + c, r * ncols + c + 1)
            if r + 1 < nrows and not _covered(hcover[r + 1], xs[c], xs[c + 1]):
                uf.union(r * ncols + c, (r + 1) * ncols + c)
    groups: dict[int, list[int]] = {}
    for k in range(nrows * ncols):
        groups.setdefault(uf.find(k), []).append(k)
    cells: list[Cell] = []
    owner = [[0] * ncols for _ in range(nrows)]
    for members in sorted(groups.values(), key=min):
        rs = [k // ncols for k in members]
        cs = [k % ncols for k in members]
        r0, r1, c0, c1 = min(rs), max(rs), min(cs), max(cs)
        index = len(cells)
        cells.append(Cell(r0, c0, r1, c1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
        for k in members:
            owner[k // ncols][k % ncols] = index
    if len(cells) < 2:
        return None  # a box around text, not a table
    return TableRegion((x0, y0, x1, y1), xs, ys, cells, owner)


def _nearest(values: list[float], v: float) -> int:
    i = bisect_right(values, v)
    if i == 0:
        return 0
    if i == len(values):
        return len(values) - 1
    return i if values[i] - v < v - values[i - 1] else i - 1


def _index(edges: list[float], v: float) -> int:
    """The lattice interval v falls in (clamped)."""
    i = bisect_right(edges, v) - 1
    return min(max(i, 0), len(edges) - 2)


def fill_table(region: TableRegion, chars: list[Char]) -> None:
    """Put the characters into the cells and build the output rows."""
    xs, ys = region.xs, region.ys
    for ch in chars:
        r = _index(ys, ch.cy)
        c = _index(xs, ch.cx)
        region.cells[region.owner[r][c]].chars.append(ch)
    for cell in region.cells:
        if cell.chars:
            cell.lines = group_lines(cell.chars)
            cell.text = join_lines(cell.lines)
    rows: list[OutRow] = []
    for r in range(len(ys) - 1):
        row_cells = [region.cells[k] for k in region.owner[r]]  # the cell at each lattice column
        if _needs_split(row_cells, r):
            rows.extend(_split_band(region, r, row_cells))
            continue
        cells = []
        boxes = []
        for c, cell in enumerate(row_cells):
            if cell.r0 == r and cell.c0 == c:
                cells.append(cell.text)
                boxes.append(cell.bbox)
            else:
                cells.append("")
                boxes.append((xs[c], ys[r], xs[c + 1], ys[r + 1]))
        rows.append(OutRow(cells, (region.bbox[0], ys[r], region.bbox[2], ys[r + 1]), boxes))
    _peel_titles_and_notes(region, rows)
    region.rows = [row for row in rows if any(cell for cell in row.cells)]


def _needs_split(row_cells: list[Cell], r: int) -> bool:
    """A cell of lattice row r (only) holding two or more numbers stacked on lines."""
    for c, cell in enumerate(row_cells):
        if cell.c0 != c or cell.r0 != r or cell.r1 != r or len(cell.lines) < 2:
            continue  # each cell once, at its first column
        if sum(1 for ln in cell.lines if _numeric(ln.text)) >= 2:
            return True
    return False


def _split_band(region: TableRegion, r: int, row_cells: list[Cell]) -> list[OutRow]:
    """One lattice row holding several data rows (no rules between them): split by text lines."""
    ys = region.ys
    numeric: list[tuple[int, Line]] = []  # (column, line) of the cells spanning only this row
    text: list[tuple[int, Line]] = []
    tall: dict[int, Cell] = {}  # cells anchored here that span further down: go to the first row
    for c, cell in enumerate(row_cells):
        if cell.r0 != r or cell.c0 != c:
            continue
        if cell.r1 == r:
            for ln in cell.lines:
                (numeric if _numeric(ln.text) else text).append((c, ln))
        else:
            tall[c] = cell
    anchors: list[tuple[float, dict[int, list[Line]]]] = []  # (centre, column → lines) of each row

    def nearest(y: float, limit: float):
        best, dist = None, limit
        for a in anchors:
            d = abs(a[0] - y)
            if d <= dist:
                best, dist = a, d
        return best

    def cy(item: tuple[int, Line]) -> float:
        return item[1].cy

    numeric.sort(key=cy)
    for c, ln in numeric:
        a = nearest(ln.cy, 0.5 * ln.size)
        if a is None:
            a = (ln.cy, {})
            anchors.append(a)
        a[1].setdefault(c, []).append(ln)
    placed: dict[int, tuple[Line, tuple]] = {}  # column → last text line placed and its row
    text.sort(key=cy)
    for c, ln in text:
        a = nearest(ln.cy, 0.9 * ln.size)
        if a is None:
            prev = placed.get(c)
            if prev and ln.base - prev[0].base <= 1.5 * ln.size and not _ENUMERATED.match(ln.text.strip()):
                a = prev[1]
            else:
                a = (ln.cy, {})
                anchors.append(a)
        a[1].setdefault(c, []).append(ln)
        placed[c] = (ln, a)
    anchors.sort(key=lambda a: a[0])
    if not anchors:
        return []
    rows: list[OutRow] = []
    bounds = [ys[r]] + [(anchors[k][0] + anchors[k + 1][0]) / 2 for k in range(len(anchors) - 1)] + [ys[r + 1]]
    for k, (_, lines_at) in enumerate(anchors):
        top, bottom = bounds[k], bounds[k + 1]
        cells, boxes = [], []
        for c, cell in enumerate(row_cells):
            lines = lines_at.get(c)
            if lines:
                cells.append(join_lines(sorted(lines, key=lambda ln: ln.base)))
            elif k == 0 and c in tall:
                cells.append(tall[c].text)
            else:
                cells.append("")
            if k == 0 and c in tall:
                boxes.append(tall[c].bbox)
            else:
                boxes.append((cell.bbox[0], top, cell.bbox[2], bottom))
        rows.append(OutRow(cells, (region.bbox[0], top, region.bbox[2], bottom), boxes))
    return rows


def _peel_titles_and_notes(region: TableRegion, rows: list[OutRow]) -> None:
    """Full-width rows with a title/unit line (top) or a note (bottom) are text, not table rows."""
    ncols = len(region.xs) - 1

    def single(row: OutRow) -> str | None:
        filled = [t for t in row.cells if t]
        if len(filled) != 1 or not row.cells[0]:
            return None
        box = row.cell_boxes[0]
        if box[2] < region.xs[-1] - SNAP and ncols > 1:
            return None  # does not span the whole width
        return filled[0]

    def as_line(row: OutRow) -> Line | None:
        r = _index(region.ys, (row.bbox[1] + row.bbox[3]) / 2)
        cell = region.cells[region.owner[r][0]]
        if not cell.lines:
            return None
        merged = make_line([ch for ln in cell.lines for ch in ln.chars])
        merged.text = cell.text
        return merged

    while rows:
        text = single(rows[0])
        if text is None or len(text) > 60 or not _TITLE_ROW.search(text):
            break
        ln = as_line(rows.pop(0))
        if ln:
            region.before.append(ln)
    while rows:
        text = single(rows[-1])
        if text is None or not _NOTE_ROW.search(text):
            break
        ln = as_line(rows.pop())
        if ln:
            region.after.insert(0, ln)
