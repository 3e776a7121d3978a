"""Table spans → model Tables, through the layout reader the profile names."""

from __future__ import annotations

import re
from decimal import Decimal

from ..ingest.blocks import Block
from ..model.provenance import Provenance
from ..model.table import Note, Table
from ..profiles import TableSpec
from .grid import GRow
from .layouts import BuildContext, coded, economic, labeled, single_row, two_sided
from .locate import _NO_DATA, TableSpan
from .textnorm import compact, strip_ordinal

READERS = {
    "coded": coded.read,
    "two_sided": two_sided.read,
    "economic_blocks": economic.read_blocks,
    "economic_named": economic.read_named,
    "single_row": single_row.read,
    "labeled": labeled.read,
}

_UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|元|亿元|千元)")
_DEPT = re.compile(r"(?:部门|单位|预算单位|编制单位)名称\s*[:：]\s*(.+?)(?:\s*(\d{4})\s*年度?.*)?$")
_YEAR = re.compile(r"(\d{4})\s*年度?")
_SCALE = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}


def build_table(span: TableSpan, blocks: list[Block], year: int | None, warn) -> Table:
    spec: TableSpec = span.spec
    anchor = span.anchor
    title_block = blocks[anchor.title_index] if anchor.title_index is not None else None
    title = compact(strip_ordinal(title_block.text)) if title_block else spec.title
    table = Table(
        id=spec.id,
        title=title,
        role=spec.role,
        layout=spec.layout,
        label=anchor.label,
        ordinal=spec.ordinal,
        prov=(title_block or blocks[span.start]).prov,
        end=blocks[span.end].prov if span.end < len(blocks) else Provenance(),
    )
    unit = "万元"
    for i in span.meta + span.notes:
        text = blocks[i].text
        m = _UNIT.search(compact(text))
        if m:
            unit = m.group(1)
        d = _DEPT.search(text.strip())
        if d:
            table.department = compact(d.group(1)).rstrip("：:")
            table.department_prov = blocks[i].prov
            if d.group(2):
                table.year = int(d.group(2))
                table.year_prov = blocks[i].prov
            mu = _UNIT.search(compact(d.group(0)))
            if mu:
                table.department = compact(re.sub(r"(?:金额)?单位\s*[:：].*$", "", d.group(1)))
        elif table.year is None:
            y = _YEAR.fullmatch(compact(text)) or _YEAR.match(compact(text))
            if y and len(compact(text)) <= 8:
                table.year = int(y.group(1))
                table.year_prov = blocks[i].prov
    for i in span.notes:
        note = Note(compact(blocks[i].text), blocks[i].prov)
        table.notes.append(note)
        if _NO_DATA.search(note.text) and table.no_data_note is None:
            table.no_data_note = note
    table.unit = unit
    rows: list[GRow] = []
    for seg, gi in enumerate(span.grids):
        for r in blocks[gi].rows:
            rows.append(GRow(list(r.cells), r.prov, r.cell_provs, seg))
    table_warn = lambda code, message, prov: warn(code, message, prov, spec.id)  # noqa: E731
    ctx = BuildContext(spec, year, rows, table, table_warn, _SCALE.get(unit, Decimal(1)))
    READERS[spec.layout](ctx)
    table.header = [list(r.cells) for r in ctx.header]
    return table
