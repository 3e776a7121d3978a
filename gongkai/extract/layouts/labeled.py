"""Rows keyed by a printed label (and 行次): 公开10, 三公/机关运行经费 预算表, 项目支出预算表."""

from __future__ import annotations

from ...model.table import Row
from ..grid import GRow, has_number, is_index_row, is_number
from ..textnorm import key, label, label_key
from . import BuildContext, is_header_like, line_number, match_row_spec, prints_line_numbers

_HEADER_WORDS = ("项目", "行次", "统计数", "单位名称", "合计", "预算数", "财政拨款", "一般公共预算", "政府性基金", "国有资本经营", "资金", "名称")


def _prints_line_numbers(rows: list[GRow]) -> bool | None:
    """Whether the header above the first figures has a 行次 column; None when no header
    is printed (then the template decides)."""
    header = []
    for r in rows:
        if has_number(r.cells[1:]) and not is_index_row(r.cells):
            break
        if any(c.strip() for c in r.cells):
            header.append(r)
    return prints_line_numbers(header) if header else None


def read(ctx: BuildContext) -> None:
    spec = ctx.spec
    printed = _prints_line_numbers(ctx.rows)
    has_line_no = "line_no" in spec.keys if printed is None else printed
    vstart = 2 if has_line_no else 1
    section_keys = {label_key(s) for s in spec.sections}

    def is_section(r: GRow) -> str | None:
        filled = [c for c in r.cells if c.strip()]
        if len(filled) == 1:
            lk = label_key(filled[0])
            if lk in section_keys:
                return label(filled[0])
        return None

    header: list[GRow] = []
    data: list[GRow] = []
    for r in ctx.rows:
        values = has_number(r.cells[vstart:])
        line_no = line_number(r.get(1)) if has_line_no else None
        if is_index_row(r.cells):
            continue
        if not data and not values and line_no is None and not is_section(r) and match_row_spec(r.get(0), None, spec.rows, set()) is None:
            header.append(r)
        elif is_header_like(r, _HEADER_WORDS) and not values:
            continue
        else:
            data.append(r)
    ctx.header = header
    slots = ctx.place_columns(spec.columns, header, data, vstart)
    used: set[str] = set()
    section = None
    first_label = None
    for n, r in enumerate(data):
        sec = is_section(r)
        if sec:
            section = sec
            continue
        text = r.get(0)
        line_no = line_number(r.get(1)) if has_line_no else None
        values = has_number(r.cells[vstart : vstart + len(slots)])
        name = label(text)
        if not name and not values:
            continue
        row = Row(key="", label=name, line_no=line_no, section=section, prov=r.prov)
        rs = match_row_spec(text, line_no, spec.rows, used)
        if rs is not None:
            used.add(rs.id)
            row.role, row.is_total = rs.id, rs.total
            row.unit = rs.unit or "万元"
            if not row.label:
                row.label = label(rs.labels[0])
        if spec.first_row_total and (first_label is None or (key(name) == first_label and all(x.is_total for x in ctx.table.rows))):
            if first_label is None:
                first_label = key(name)
                row.role = "total"
            row.is_total = True
        row.key = row.role or (str(line_no) if line_no else name)
        for i, sid in enumerate(slots):
            if sid is not None:
                row.cells[sid] = ctx.cell(sid, r, vstart + i, unit=row.unit)
        for i in range(vstart + len(slots), len(r.cells)):
            if r.cells[i].strip() and is_number(r.cells[i]):
                ctx.unplaced(r, i, "超出表头的列")
        ctx.add_row(row)
