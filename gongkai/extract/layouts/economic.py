"""Economic-classification tables.

economic_blocks: several (科目代码, 科目名称, 决算数) blocks side by side in one grid
(公开06 prints four; Shanghai's 基本支出决算表 two, with codes split 类 | 款).
economic_named: names only, no codes (Shanxi 预算 表六: 部门预算经济科目名称 +
政府预算经济科目名称); codes are inferred from the catalogue.
"""

from __future__ import annotations

import re

from ... import catalog
from ...model.table import Row
from ..grid import GRow, has_number, header_paths, is_code, is_number
from ..textnorm import compact, key, label, label_key
from . import BuildContext, is_header_like, match_row_spec

_CODE_WORDS = ("科目代码", "科目编码")
_HEADER_WORDS = ("科目", "代码", "编码", "名称", "决算数", "人员经费", "公用经费", "经济分类", "预算数", "合计", "类", "款")


def _block_starts(header: list[GRow], blocks: int, width: int) -> list[int]:
    for r in header:
        cells = [compact(c) for c in r.cells]
        starts = [i for i, c in enumerate(cells) if any(w in c for w in _CODE_WORDS)]
        if len(starts) == blocks:
            return starts
    size = max(1, width // blocks)
    return [i * size for i in range(blocks)]


def _economic_code(cells: list[str]) -> tuple[str | None, int]:
    """Code at the start of a block: "30101", or split "301" "01" (类 | 款 columns, the
    款 cell blank on class rows); returns (code, cells used by the code)."""
    a = compact(cells[0]) if cells else ""
    b = compact(cells[1]) if len(cells) > 1 else ""
    split = len(cells) >= 4  # 类 | 款 | 名称 | 金额
    if re.fullmatch(r"\d{3}", a) and re.fullmatch(r"\d{2}", b):
        return a + b, 2
    if re.fullmatch(r"\d{3}(?:\d{2})?", a):
        return a, 2 if split and not b else 1
    return None, 1


def read_blocks(ctx: BuildContext) -> None:
    spec = ctx.spec
    nblocks = len(spec.blocks)
    header: list[GRow] = []
    data: list[GRow] = []
    for r in ctx.rows:
        has_code = any(is_code(compact(c)) for c in r.cells)
        totals = any(label_key(c) in ("人员经费合计", "公用经费合计") for c in r.cells)
        if has_code or totals:
            data.append(r)
        elif not data:
            header.append(r)
        elif is_header_like(r, _HEADER_WORDS):
            continue
        else:
            data.append(r)
    ctx.header = header
    width = max([len(r.cells) for r in ctx.rows] + [3 * nblocks])
    starts = _block_starts(header, nblocks, width)
    bounds = [(s, starts[i + 1] if i + 1 < len(starts) else width) for i, s in enumerate(starts)]
    paths = header_paths([r.cells for r in header], width)
    columns = {c.id: c for c in spec.columns}
    for cid in dict.fromkeys(spec.blocks):
        start = bounds[spec.blocks.index(cid)][0]
        end = bounds[spec.blocks.index(cid)][1]
        ctx.column(columns[cid], ".".join(paths[end - 1]) if end - 1 < len(paths) and paths[end - 1] else None)
    used: set[str] = set()
    for r in data:
        total_cells = [i for i, c in enumerate(r.cells) if label_key(c) in ("人员经费合计", "公用经费合计")]
        if total_cells:
            _read_totals(ctx, r, total_cells, used)
            continue
        for b, (start, end) in enumerate(bounds):
            cells = r.cells[start:end]
            if not any(c.strip() for c in cells):
                continue
            code, used_cells = _economic_code(cells)
            name_index = start + used_cells
            value_index = end - 1
            name = r.get(name_index)
            if code is None:
                if has_number(cells):
                    ctx.unplaced(r, value_index, "没有经济分类编码")
                continue
            cid = spec.blocks[b]
            row = Row(key=code, label=label(name), code=code, level=1 if len(code) == 3 else 2, prov=r.cprov(start))
            row.cells[cid] = ctx.cell(cid, r, value_index)
            for i in range(name_index + 1, value_index):
                if r.get(i).strip() and is_number(r.get(i)):
                    ctx.unplaced(r, i, "经济分类块内多出的数值")
            ctx.add_row(row)


def _read_totals(ctx: BuildContext, r: GRow, positions: list[int], used: set[str]) -> None:
    for n, p in enumerate(positions):
        stop = positions[n + 1] if n + 1 < len(positions) else len(r.cells)
        text = r.cells[p]
        rs = match_row_spec(text, None, ctx.spec.rows, used)
        if rs is None:
            continue
        used.add(rs.id)
        value_index = next((i for i in range(p + 1, stop) if r.cells[i].strip()), None)
        cid = rs.column or ctx.spec.blocks[0]
        row = Row(key=rs.id, label=label(text), role=rs.id, is_total=True, prov=r.cprov(p))
        if value_index is not None:
            row.cells[cid] = ctx.cell(cid, r, value_index)
        else:
            row.cells[cid] = ctx.cell(cid, r, len(r.cells) + 99)  # printed blank
        ctx.add_row(row)


def read_named(ctx: BuildContext) -> None:
    """表六 of the Shanxi budget: 部门预算经济科目名称 | 政府预算经济科目名称 | amounts."""
    spec = ctx.spec
    header: list[GRow] = []
    data: list[GRow] = []
    for r in ctx.rows:
        if not data and not has_number(r.cells[2:]) and label_key(r.get(0)) not in ("合计",):
            header.append(r)
        elif data and is_header_like(r, _HEADER_WORDS) and not has_number(r.cells):
            continue
        else:
            data.append(r)
    ctx.header = header
    vstart = 2
    slots = ctx.place_columns(spec.columns, header, data, vstart)
    economic = catalog.economic()
    parent: Row | None = None
    for r in data:
        first, second = r.get(0), r.get(1)
        name = label(first)
        if not name and not has_number(r.cells[vstart:]):
            continue
        if key(name) == "合计":
            row = Row(key="合计", label="合计", is_total=True, role="total", prov=r.prov)
        elif not compact(second):
            codes = economic.codes_for_name(name, level="类")
            row = Row(key=codes[0] if codes else name, label=name, ref_code=codes[0] if codes else None, level=1, prov=r.prov)
            parent = row
        else:
            prefix = parent.ref_code if parent and parent.ref_code else None
            codes = economic.codes_for_name(name, level="款", prefix=prefix) or economic.codes_for_name(name, level="款")
            row = Row(key=codes[0] if len(codes) == 1 else name, label=name, ref_code=codes[0] if len(codes) == 1 else None, level=2, section=compact(second), prov=r.prov)
        for i, sid in enumerate(slots):
            if sid is not None:
                row.cells[sid] = ctx.cell(sid, r, vstart + i)
        ctx.add_row(row)
