"""Statistical tables: Table → Row → Cell, every cell traceable to its source."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from enum import Enum

from .provenance import NOWHERE, Provenance
from ..records import record


class CellStatus(str, Enum):
    VALUE = "value"  # a number
    EMPTY = "empty"  # printed blank: zero / not applicable
    NA = "na"  # a dash placeholder ("——"): structurally not applicable
    ERROR = "error"  # a spreadsheet error such as "#DIV/0!"
    TEXT = "text"  # text where a number was expected (kept, flagged)


@record
class Cell:
    column: str
    raw: str
    value: Decimal | None
    status: CellStatus
    prov: Provenance = NOWHERE
    unit: str = "万元"

    @property
    def amount(self) -> Decimal:
        """The value, with blanks and placeholders read as zero."""
        return self.value if self.value is not None else Decimal(0)


@record
class Column:
    id: str
    label: str  # canonical label, levels joined by "."
    printed: str | None = None  # header text as printed (normalised), when legible
    side: str | None = None  # for two-sided tables: "收入" / "支出" …
    total_of: tuple[str, ...] = ()  # ids of the columns this one is the sum of


@record(eq=False)  # rows are compared by identity
class Row:
    key: str  # unique within the table
    label: str  # printed label: whitespace removed, wrapping repaired, ordinal removed
    code: str | None = None  # classification code as printed (split columns joined)
    ref_code: str | None = None  # code inferred from the label where none is printed
    role: str | None = None  # semantic id from the profile, e.g. "income_total"
    line_no: int | None = None  # 行次
    side: str | None = None
    section: str | None = None  # heading the row sits under inside the grid
    level: int | None = None  # 1 类 / 2 款 / 3 项 (economic: 1 类 / 2 款)
    is_total: bool = False
    unit: str = "万元"
    cells: dict[str, Cell] = field(default_factory=dict)
    prov: Provenance = NOWHERE

    @property
    def any_code(self) -> str | None:
        return self.code or self.ref_code

    def value(self, column: str) -> Decimal | None:
        cell = self.cells.get(column)
        return cell.value if cell else None

    def amount(self, column: str) -> Decimal:
        value = self.value(column)
        return value if value is not None else Decimal(0)


@record
class Note:
    text: str
    prov: Provenance = NOWHERE


@record(eq=False)
class Table:
    id: str  # profile table id ("公开01", "表一") or "grid-N" for a generic grid
    title: str  # as printed, normalised
    role: str | None = None
    layout: str | None = None
    codes: str | None = None  # classification of its codes: "functional", "economic" or "revenue"
    label: str | None = None  # printed label such as "公开01表"
    ordinal: int | None = None
    unit: str = "万元"
    department: str | None = None  # 部门名称 printed in the table header block
    year: int | None = None  # year printed in the table header block
    department_prov: Provenance = NOWHERE
    year_prov: Provenance = NOWHERE
    columns: list[Column] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    header: list[list[str]] = field(default_factory=list)  # header rows as printed
    notes: list[Note] = field(default_factory=list)
    no_data_note: Note | None = None
    prov: Provenance = NOWHERE  # the title
    end: Provenance = NOWHERE  # the last line/page of the table
    inferred: bool = False  # read without a profile table: role, layout and columns recognised from the print
    scale: Decimal = Decimal(1)  # factor from the printed unit to 万元 (元: 0.0001)
    # row identities (total = Σ parts) of an inferred table; a profile table's are in its profile
    identities: tuple = field(default=(), metadata={"serialize": False})
    # column id → Column, built on first lookup and rebuilt when columns were added
    _column_index: tuple | None = field(default=None, repr=False, compare=False, metadata={"serialize": False})

    # --- lookups -------------------------------------------------------------------
    def column(self, column_id: str) -> Column | None:
        index = self._column_index
        columns = self.columns
        if index is None or index[0] is not columns or index[1] != len(columns):
            by_id: dict[str, Column] = {}
            for c in columns:
                by_id.setdefault(c.id, c)  # the first of a repeated id, as a scan would find
            index = self._column_index = (columns, len(columns), by_id)
        return index[2].get(column_id)

    def row_by_role(self, role: str, side: str | None = None) -> Row | None:
        return next(
            (r for r in self.rows if r.role == role and (side is None or r.side == side)), None
        )

    def row_by_code(self, code: str, side: str | None = None) -> Row | None:
        return next(
            (r for r in self.rows if r.any_code == code and (side is None or r.side == side)),
            None,
        )

    def rows_on(self, side: str | None) -> list[Row]:
        return [r for r in self.rows if r.side == side]

    def coded_rows(self, level: int | None = None) -> list[Row]:
        return [r for r in self.rows if r.code and (level is None or r.level == level)]

    def total_row(self, side: str | None = None) -> Row | None:
        return next((r for r in self.rows if r.is_total and (side is None or r.side == side)), None)

    @property
    def has_data(self) -> bool:
        return any(c.value not in (None, Decimal(0)) for r in self.rows for c in r.cells.values())

    def cells(self):
        for row in self.rows:
            for cell in row.cells.values():
                yield row, cell


@record
class Grid:
    """An appendix table that matches no template, kept as printed."""

    id: str
    title: str
    rows: list[list[str]] = field(default_factory=list)
    lines: list[Provenance] = field(default_factory=list)  # provenance of each row
    prov: Provenance = NOWHERE
