"""Two tables side by side: 收入 on the left, 支出 on the right (公开01/04, 表一/四)."""

from __future__ import annotations

from ... import catalog
from ...model.table import Row
from ...profiles import SideSpec
from ..grid import GRow, has_number, is_code, is_index_row, is_number
from ..textnorm import compact, key, label, strip_ordinal
from . import BuildContext, line_number, match_row_spec, prints_line_numbers

_HEADER_WORDS = {"项目", "行次", "金额", "栏次", "档次", "收入", "支出", "科目编码", "科目名称", "收入科目编码", "决算数", "预算数", "小计", "合计"}


def _side_width(side: SideSpec) -> int:
    return len(side.keys) + len(side.columns)


def _find_split(header: list[GRow], left: SideSpec, right: SideSpec) -> int:
    default = _side_width(left)
    for r in header:
        cells = [key(c) for c in r.cells]
        items = [i for i, c in enumerate(cells) if c in ("项目", "科目编码", "收入科目编码")]
        if len(items) >= 2 and items[1] >= 2:
            return items[1]
    for r in header:
        cells = [compact(c) for c in r.cells]
        for i, c in enumerate(cells):
            if i >= 1 and c and (c == right.name or c.endswith("支出") and c.startswith(right.name[:2])):
                return i
    return default


def _printed_keys(side: SideSpec, header: list[GRow], start: int, stop: int | None) -> tuple[str, ...]:
    """The side's key columns as printed: a template's 行次 column that this report's header
    does not print is not there to skip."""
    if "line_no" not in side.keys or not header or prints_line_numbers(header, start, stop):
        return side.keys
    return tuple(k for k in side.keys if k != "line_no")


def _is_header_row(r: GRow) -> bool:
    if is_index_row(r.cells):
        return True
    filled = [compact(c) for c in r.cells if c.strip()]
    if not filled or any(is_number(c) and not c.isdigit() for c in filled):
        return False
    hits = sum(1 for c in filled if key(c) in _HEADER_WORDS or c.endswith("年") or "栏次" in c or len(c) <= 1)
    return hits >= max(1, (len(filled) + 1) // 2)


def read(ctx: BuildContext) -> None:
    spec = ctx.spec
    left, right = spec.left, spec.right
    assert left is not None and right is not None
    header: list[GRow] = []
    data: list[GRow] = []
    for r in ctx.rows:
        if not data and _is_header_row(r):
            header.append(r)
        elif data and not has_number(r.cells) and _is_header_row(r):
            continue  # repeated header on a continuation page
        else:
            data.append(r)
    ctx.header = header
    split = _find_split(header, left, right)
    functional = catalog.functional()
    for side, start, stop in ((left, 0, split), (right, split, None)):
        keys = _printed_keys(side, header, start, stop)
        vstart = start + len(keys)
        slots = ctx.place_columns(side.columns, header, data, vstart, side.name, stop)
        used: set[str] = set()
        for r in data:
            code = None
            if "code" in keys:
                c = compact(r.get(start))
                code = c if is_code(c) else None
                text = r.get(start + keys.index("label")) if "label" in keys else ""
            else:
                text = r.get(start)
            line_no = line_number(r.get(start + keys.index("line_no"))) if "line_no" in keys else None
            has_values = has_number(r.cells[vstart : vstart + len(slots)])
            name = label(text)
            if not name and line_no is None and not has_values:
                continue
            if not name and not has_values:
                # an unlabeled spare line (行次 only): keep it only when the template names it
                rs = match_row_spec("", line_no, side.rows, used)
                if rs is None:
                    continue
            row = Row(key="", label=name, code=code, line_no=line_no, side=side.name, prov=r.cprov(start))
            rs = match_row_spec(text, line_no, side.rows, used)
            if rs is not None:
                used.add(rs.id)
                row.role, row.is_total = rs.id, rs.total
                if not row.label:
                    row.label = label(rs.labels[0])
            elif side.class_rows and name:
                codes = functional.codes_for_name(strip_ordinal(compact(text)), level="类")
                if codes:
                    row.ref_code, row.role, row.level = codes[0], "class", 1
            if code:
                row.level = {3: 1, 5: 2, 7: 3}.get(len(code))
            if not row.label and not has_values:
                continue
            ident = row.role if row.role and row.role != "class" else (row.ref_code or code or (str(line_no) if line_no else row.label))
            row.key = f"{side.name}:{ident}"
            for i, sid in enumerate(slots):
                if sid is not None:
                    row.cells[sid] = ctx.cell(sid, r, vstart + i)
            if stop is not None and side is left:
                for i in range(vstart + len(slots), split):
                    if r.get(i).strip() and is_number(r.get(i)):
                        ctx.unplaced(r, i, "收入栏多出的数值")
            ctx.add_row(row)
