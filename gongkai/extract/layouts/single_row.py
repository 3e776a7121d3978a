"""One unlabeled data row under a multi-level header (the 三公 table)."""

from __future__ import annotations

from ...model.table import Row
from ..grid import GRow, header_paths, is_index_row, is_number, last_filled, map_columns
from . import BuildContext


def read(ctx: BuildContext) -> None:
    spec = ctx.spec
    header: list[GRow] = []
    data: list[GRow] = []
    for r in ctx.rows:
        numbers = [c for c in r.cells if c.strip() and is_number(c)]
        texts = [c for c in r.cells if c.strip() and not is_number(c)]
        if numbers and not is_index_row(r.cells) and len(texts) <= 1:
            data.append(r)
        elif not data:
            header.append(r)
    ctx.header = header
    width = max([len(r.cells) for r in ctx.rows] + [len(spec.columns)])
    paths = header_paths([r.cells for r in header], width)
    for r in data[:1]:
        start = 0
        first = r.get(0).strip()
        if first and not is_number(first):
            start = 1  # a row label such as "合计" printed in front
        last = last_filled(r.cells)
        count = max(last + 1 - start, len(spec.columns))
        printed = [".".join(paths[p]) if p < len(paths) else "" for p in range(start, start + count)]
        colmap = map_columns(printed, spec.columns, ctx.year)
        if colmap.worth_a_warning:
            ctx.warn("header-order", f"{spec.id}：{colmap.note}", r.prov)
        row = Row(key="合计", label="", prov=r.prov, role="values")
        for i, s in enumerate(colmap.specs):
            if s is None:
                if is_number(r.get(start + i)):
                    ctx.unplaced(r, start + i, "多出的数值")
                continue
            ctx.column(s, printed[i] or None)
            row.cells[s.id] = ctx.cell(s.id, r, start + i)
        ctx.add_row(row)
    for s in spec.columns:
        ctx.column(s)
    for r in data[1:]:
        ctx.warn("extra-row", f"{spec.id}：表中多出一行数据，未读取", r.prov)
