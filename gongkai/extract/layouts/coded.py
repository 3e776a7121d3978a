"""Tables keyed by classification code: 科目编码 (or 类 | 款 | 项) + 科目名称 + amounts."""

from __future__ import annotations

from collections import Counter

from ... import catalog
from ...model.table import Row
from ..grid import GRow, has_number, header_paths, is_code, is_index_row, is_number, last_filled, map_columns, place_narrow_segment
from ..textnorm import compact, key, label
from . import BuildContext, is_header_like
from ...patterns import lazy_compile

_TOTAL_WORDS = {"合计", "总计"}
_HEADER_WORDS = ("科目", "项目", "编码", "代码", "名称", "合计", "支出", "收入", "栏次", "类", "款", "项", "结转", "结余", "小计", "金额", "预算", "资金", "功能分类")
_CODE_AND_NAME = lazy_compile(r"^(\d{3}(?:\d{2}){0,2})\s*([^\d\s].*)$")
_THREE_DIGITS = lazy_compile(r"\d{3}")
_TWO_DIGITS = lazy_compile(r"\d{2}")
_ONE_DIGIT = lazy_compile(r"\d")


def _pad2(text: str) -> str:
    return "0" + text if _ONE_DIGIT.fullmatch(text) else text


_NAME_FINAL = ("支出", "事务", "运行", "管理", "费", "补助", "补贴", "服务", "医疗", "公积金", "离退休", "发展")


def _split_code_at(cells: list[str], p: int, depth: int = 3) -> str | None:
    """A 类|款|项 split code starting at p: "201" "06" "01" → "2010601" ("201" "6" "1" too:
    款/项 printed without their leading zero); depth 2 for 类|款 only."""
    a = compact(cells[p]) if p < len(cells) else ""
    b = _pad2(compact(cells[p + 1]) if p + 1 < len(cells) else "")
    c = _pad2(compact(cells[p + 2]) if p + 2 < len(cells) and depth == 3 else "")
    if not _THREE_DIGITS.fullmatch(a):
        return None
    if b and not _TWO_DIGITS.fullmatch(b):
        return None
    if c and (not _TWO_DIGITS.fullmatch(c) or not b):
        return None
    return a + b + c


def detect_code_columns(rows: list[GRow]) -> tuple[int, bool]:
    votes: Counter = Counter()
    for r in rows:
        for p in range(0, min(3, len(r.cells))):
            cell = compact(r.cells[p])
            if _THREE_DIGITS.fullmatch(cell) and p + 1 < len(r.cells) and _TWO_DIGITS.fullmatch(_pad2(compact(r.cells[p + 1]))):
                votes[(p, True)] += 2
                break
            if is_code(cell) or _CODE_AND_NAME.match(r.cells[p].strip()):
                votes[(p, False)] += 1
                break
    if votes:
        (p, split), _ = votes.most_common(1)[0]
        return p, split
    for r in rows:  # no coded rows at all (an empty table): read the header
        cells = [compact(c) for c in r.cells]
        if "类" in cells and "款" in cells:
            return cells.index("类"), True
        for p, c in enumerate(cells[:3]):
            if "编码" in c or "代码" in c:
                return p, False
    return 0, False


def split_depth(rows: list[GRow], code_pos: int) -> int:
    """How many columns a split code takes: 3 (类 | 款 | 项) or 2 (类 | 款, economic tables)."""
    for r in rows:
        cells = [compact(c) for c in r.cells]
        if "类" in cells and "款" in cells:
            return 3 if "项" in cells else 2
    for r in rows:
        if _THREE_DIGITS.fullmatch(compact(r.get(code_pos))) and _TWO_DIGITS.fullmatch(compact(r.get(code_pos + 2))):
            return 3
    return 2 if any(_THREE_DIGITS.fullmatch(compact(r.get(code_pos))) and _TWO_DIGITS.fullmatch(compact(r.get(code_pos + 1))) for r in rows) else 3


_SPACED = lazy_compile(r"^(\d{3})\s+(\d{1,2})(?:\s+(\d{1,2}))?$")


def _spaced_code(cell: str) -> str | None:
    """A code printed with spaces between 类, 款 and 项 in one cell: "201 5 7" → "2010507"."""
    m = _SPACED.match(cell)
    if not m:
        return None
    return m.group(1) + _pad2(m.group(2)) + (_pad2(m.group(3)) if m.group(3) else "")


def _total_row_padded(r: GRow, vstart: int, slots: int) -> GRow:
    """A 合计 row whose empty code cells a converter dropped ("合计 | 1,000 | 600 | 400"):
    its values put back under the value columns."""
    if len(r.cells) >= vstart + slots or compact(r.get(0)) not in _TOTAL_WORDS:
        return r
    values = r.cells[1:]
    if len(values) != slots:
        return r
    provs = None
    if r.cell_provs:
        provs = [r.cell_provs[0]] + [r.prov] * (vstart - 1) + list(r.cell_provs[1:])
    return GRow([r.cells[0]] + [""] * (vstart - 1) + values, r.prov, provs, r.segment)


def read(ctx: BuildContext) -> None:
    spec = ctx.spec
    code_pos, split = detect_code_columns(ctx.rows)
    depth = split_depth(ctx.rows, code_pos) if split else 1
    name_pos = code_pos + depth
    vstart = name_pos + 1

    def row_code(r: GRow) -> tuple[str | None, str | None]:
        """(code, name) when the row is a coded row."""
        if split:
            code = _split_code_at(r.cells, code_pos, depth)
            if code:
                return code, r.get(name_pos)
        cell = r.get(code_pos).strip()
        spaced = _spaced_code(cell)
        if spaced:
            return spaced, r.get(name_pos)
        if is_code(compact(cell)):
            return compact(cell), r.get(name_pos)
        m = _CODE_AND_NAME.match(cell)
        if m and not is_number(cell):
            return m.group(1), m.group(2)
        return None, None

    def total_label(r: GRow) -> bool:
        return any(compact(r.get(p)) in _TOTAL_WORDS for p in range(0, vstart))

    header: list[GRow] = []
    data: list[GRow] = []
    for r in ctx.rows:
        code, _ = row_code(r)
        if code or total_label(r):
            data.append(r)
        elif not data:
            header.append(r)
        elif is_header_like(r, _HEADER_WORDS):
            continue  # header repeated on a continuation page
        else:
            data.append(r)
    ctx.header = header

    # value positions: from the header and from the data
    width = max([len(r.cells) for r in header] + [0])
    data_width = 0
    for r in data:
        last = last_filled(r.cells)
        data_width = max(data_width, last + 1)
    label_width = 0
    for r in header:
        if is_index_row(r.cells):
            continue
        last = last_filled(r.cells)
        label_width = max(label_width, last + 1)
    full = max(data_width, label_width, vstart + 1)
    if label_width and data_width and label_width > data_width and not data_width > vstart:
        full = label_width
    paths = header_paths([r.cells for r in header], max(width, full))
    printed = [".".join(paths[p]) if p < len(paths) else "" for p in range(vstart, full)]
    colmap = map_columns(printed, spec.columns, ctx.year)
    if colmap.worth_a_warning:
        ctx.warn("header-order", f"{spec.id}：{colmap.note}", header[0].prov if header else ctx.table.prov)
    for i, s in enumerate(colmap.specs):
        if s is not None:
            ctx.column(s, printed[i] or None)
    for s in spec.columns:  # template columns the print lacks still exist (empty)
        ctx.column(s)

    slots_full = [s.id if s else None for s in colmap.specs]
    identities = [(c.id, c.total_of) for c in spec.columns if c.total_of]

    data = [_total_row_padded(r, vstart, len(slots_full)) for r in data]
    # rows of page pieces narrower than the table are placed by evidence
    segment_len: dict[int, int] = {}
    for r in data:
        segment_len[r.segment] = max(segment_len.get(r.segment, 0), len(r.cells))
    total_rows = [r for r in data if total_label(r) and segment_len.get(r.segment, 0) >= full]
    active: set[str] | None = None
    if total_rows:
        t = total_rows[0]
        active = {sid for i, sid in enumerate(slots_full) if sid and is_number(t.get(vstart + i)) and t.get(vstart + i).strip()}
    segment_slots: dict[int, list[str | None]] = {}
    for seg, length in segment_len.items():
        if length >= full or length <= vstart:
            continue
        seg_rows = [r for r in data if r.segment == seg]
        if not any(len(r.cells) == length and r.cells[-1].strip() for r in seg_rows):
            continue  # only trailing blanks were dropped: left-aligned is right
        slot_count = length - vstart
        values = [[(i, r.get(vstart + i)) for i in range(slot_count)] for r in seg_rows]
        columns = [sid for sid in slots_full if sid]
        mapping, certain = place_narrow_segment(slot_count, columns, values, active, identities)
        segment_slots[seg] = mapping
        if not certain:
            ctx.warn(
                "column-placement",
                f"{spec.id}：本页表格列数（{length}）少于表头（{full}），数值所在列按合计行推断，可能不准",
                seg_rows[0].prov,
            )

    functional = catalog.functional()
    pending_name: list[tuple[Row, str]] = []
    for r in data:
        code, name = row_code(r)
        slots = segment_slots.get(r.segment, slots_full)
        if code:
            row = Row(key=code, label="", code=code, level={3: 1, 5: 2, 7: 3}.get(len(code)), prov=r.prov)
            pending_name.append((row, name or ""))
        elif total_label(r):
            row = Row(key="合计", label="合计", is_total=True, role="total", prov=r.prov)
        else:
            text = " ".join(c for c in r.cells[:vstart] if c.strip())
            has_values = has_number(r.cells[vstart : vstart + len(slots)])
            if not has_values and pending_name and len(compact(text)) <= 12 and text:
                last_row, last_name = pending_name[-1]
                pending_name[-1] = (last_row, last_name + text)  # a wrapped name on its own line
                continue
            if not has_values:
                continue
            row = Row(key=label(text) or f"行{r.prov.line}", label=label(text), prov=r.prov)
            ctx.warn("row-uncoded", f"{spec.id}：这一行没有科目编码：“{compact(text)}”", r.prov)
        for i, sid in enumerate(slots):
            if sid is None:
                continue
            row.cells[sid] = ctx.cell(sid, r, vstart + i)
        for i in range(vstart + len(slots), len(r.cells)):
            if r.cells[i].strip() and is_number(r.cells[i]):
                ctx.unplaced(r, i, "超出表头的列")
        ctx.add_row(row)
    _repair_names(pending_name, functional)


def _repair_names(rows: list[tuple[Row, str]], functional) -> None:
    """Names wrapped into the next row's name cell, stray fragments, inner spaces."""
    raws = [raw.strip() for _, raw in rows]
    for i, (row, _) in enumerate(rows):
        raw = raws[i]
        official = functional.names(row.code) if row.code else []
        name = compact(raw)
        if official and all(key(name) != key(o) for o in official):
            tokens = raw.split()
            # a stray fragment in front: "一 社会保障和就业 支出"
            if len(tokens) > 1 and len(tokens[0]) <= 2:
                rest = compact("".join(tokens[1:]))
                if any(key(rest) == key(o) for o in official):
                    name = rest
            # the end of the name spilled into the next row: "资源勘探工业信息等" / "支出 工业和信息产业监管"
            for o in official:
                if len(o) > len(name) and o.startswith(name) and i + 1 < len(rows):
                    missing = o[len(name):]
                    nxt = raws[i + 1].split()
                    if len(nxt) > 1 and compact(nxt[0]) == missing:
                        name = o
                        raws[i + 1] = " ".join(nxt[1:])
                        break
        elif not official and i + 1 < len(rows):
            nxt = raws[i + 1].split()
            if (
                len(nxt) > 1
                and len(compact(nxt[0])) <= 4
                and compact(nxt[0]).endswith("支出")
                and not name.endswith(_NAME_FINAL)
            ):
                name = name + compact(nxt[0])
                raws[i + 1] = " ".join(nxt[1:])
        row.label = label(name)
