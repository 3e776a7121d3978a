"""Table spans → model Tables, through the layout reader the profile names."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from ..ingest.blocks import Block
from ..model.provenance import Provenance
from ..model.table import CellStatus, Note, Table
from ..profiles import TableSpec
from .grid import GRow, is_number
from .layouts import BuildContext, coded, economic, labeled, single_row, two_sided
from .locate import _NO_DATA, TableSpan
from .numbers import UNIT_SCALE, parse_number
from .textnorm import compact, strip_ordinal
from ..patterns import lazy_compile

READERS = {
    "coded": coded.read,
    "two_sided": two_sided.read,
    "economic_blocks": economic.read_blocks,
    "economic_named": economic.read_named,
    "single_row": single_row.read,
    "labeled": labeled.read,
}

_UNIT = lazy_compile(r"(?:金额)?单位\s*[:：]\s*(万元|元|亿元|千元)")
_UNIT_CLAUSE = lazy_compile(r"[（(]?(?:金额)?单位\s*[:：].*$")
_COUNT_UNIT = lazy_compile(r"单位\s*[:：]\s*(人|个|辆|台（套）|台|套|户|项|次|平方米|%)$")
_DEPT = lazy_compile(r"(?:部门|单位|预算单位|编制单位)名称\s*[:：]\s*(.+?)(?:\s*(\d{4})\s*年度?.*)?$")
_YEAR = lazy_compile(r"(\d{4})\s*年度?")


def build_table(span: TableSpan, blocks: list[Block], year: int | None, warn) -> Table:
    spec: TableSpec = span.spec
    anchor = span.anchor
    title_block = blocks[anchor.title_index] if anchor.title_index is not None else None
    title = compact(strip_ordinal(title_block.text)) if title_block else spec.title
    printed_unit = _UNIT.search(title)  # "收入支出决算总表  金额单位：万元" on one line
    if printed_unit and printed_unit.start() > 0:
        title = _UNIT_CLAUSE.sub("", title) or title
    table = Table(
        id=spec.id,
        title=title,
        role=spec.role or None,
        layout=spec.layout,
        codes=spec.codes or None,
        label=anchor.label,
        ordinal=spec.ordinal,
        prov=(title_block or blocks[span.start]).prov,
        end=_last_position(blocks[span.end]) if span.end < len(blocks) else Provenance(),
    )
    unit = printed_unit.group(1) if printed_unit else "万元"
    counted = None
    for i in span.meta + span.notes:
        text = blocks[i].text
        m = _UNIT.search(compact(text))
        if m:
            unit = m.group(1)
        elif span.spec.role == "" and (c := _COUNT_UNIT.search(compact(text))):
            counted = c.group(1)
        d = _DEPT.search(text.strip())
        if d:
            table.department = compact(d.group(1)).rstrip("：:")
            table.department_prov = blocks[i].prov
            if d.group(2):
                table.year = int(d.group(2))
                table.year_prov = blocks[i].prov
            mu = _UNIT.search(compact(d.group(0)))
            if mu:
                table.department = compact(_UNIT_CLAUSE.sub("", d.group(1)))
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
    table.scale = UNIT_SCALE.get(unit, Decimal(1))
    rows: list[GRow] = []  # rows with no text at all carry nothing and are left out
    for seg, gi in enumerate(span.grids):
        for r in blocks[gi].rows:
            if any(c.strip() for c in r.cells):
                rows.append(GRow(list(r.cells), r.prov, r.cell_provs, seg))
    if spec.layout != "economic_named":  # its rows carry two names side by side
        rows = repair_split_labels(rows)
    table_warn = lambda code, message, prov: warn(code, message, prov, spec.id)  # noqa: E731
    ctx = BuildContext(spec, year, rows, table, table_warn, UNIT_SCALE.get(unit, Decimal(1)))
    READERS[spec.layout](ctx)
    if counted:  # a table of counts (单位：人): its cells are not money
        table.unit = counted
        for _, cell in table.cells():
            if cell.unit == "万元":
                cell.unit = counted
    table.header = [list(r.cells) for r in ctx.header]
    return table


def _last_position(block: Block) -> Provenance:
    """Where a block ends: a grid's last row (its own provenance is its first row's)."""
    return block.rows[-1].prov if block.kind == "grid" and block.rows else block.prov


def _is_text(cell: str) -> bool:
    return bool(cell) and parse_number(cell).status is CellStatus.TEXT


_STATUS_CHAR = {CellStatus.VALUE: "v", CellStatus.TEXT: "t", CellStatus.EMPTY: "_", CellStatus.NA: "-", CellStatus.ERROR: "!"}


def _signature(cells: list[str]) -> str:
    """One character per cell: v value, t text, _ blank, - dash, ! spreadsheet error."""
    return "".join([_STATUS_CHAR[parse_number(c).status] for c in cells])


def repair_split_labels(rows: list[GRow]) -> list[GRow]:
    """Join a label a converter wrapped into two cells ("一般公共预算财政拨" | "款收入").

    A data row holding two text cells side by side, where the table's other data rows
    hold a label in the first position and a number or a blank in the second, has its
    label split: the two cells are joined back into one. Usually the split added a cell,
    which is removed again; when the row's numbers already stand in the columns that
    hold numbers in the other rows, a blank takes the second half's place instead, so
    they stay where they are.
    """
    signatures = [_signature(r.cells) for r in rows]
    data = [i for i, sig in enumerate(signatures) if "v" in sig]
    suspects = {i for i in data if "tt" in signatures[i]}
    normal = [signatures[i] for i in data if i not in suspects]
    if not suspects or len(normal) < 2:
        return rows
    text_at: Counter = Counter()
    value_at: Counter = Counter()
    for sig in normal:
        for i, ch in enumerate(sig):
            if ch == "t":
                text_at[i] += 1
            elif ch == "v":
                value_at[i] += 1
    out = []
    for index, r in enumerate(rows):
        if index in suspects:
            i = 0
            while i < len(r.cells) - 1:  # both halves of a two-sided row may be split
                if _is_text(r.cells[i]) and _is_text(r.cells[i + 1]) and text_at[i + 1] <= len(normal) * 0.2 and text_at[i] > text_at[i + 1]:
                    values = [j for j in range(i + 2, len(r.cells)) if is_number(r.cells[j])]
                    stay = sum(value_at[j] for j in values)
                    shift = sum(value_at[j - 1] for j in values)
                    r = _join_cells(r, i, keep_width=stay > shift)
                i += 1
        out.append(r)
    return out


def _join_cells(r: GRow, i: int, keep_width: bool) -> GRow:
    joined = [r.cells[i] + r.cells[i + 1]] + ([""] if keep_width else [])
    cells = r.cells[:i] + joined + r.cells[i + 2 :]
    provs = None
    if r.cell_provs:
        merged = r.cell_provs[i].merge(r.cell_provs[i + 1])
        provs = r.cell_provs[:i] + [merged] + ([r.cell_provs[i + 1]] if keep_width else []) + r.cell_provs[i + 2 :]
    return GRow(cells, r.prov, provs, r.segment)
