"""One reader per table layout named in the profiles.

Each reader gets a BuildContext (the span's grid rows, blank rows already left
out; the profile table; the report year) and fills ctx.table. Readers never raise
on odd input: a cell they cannot place becomes an extraction warning with its line.
"""

from __future__ import annotations

from dataclasses import field
from functools import lru_cache

from rapidfuzz import fuzz
from decimal import Decimal
from typing import Callable

from ...model.provenance import Provenance
from ...model.table import Column, Row, Table
from ...profiles import ColumnSpec, RowSpec, TableSpec
from ..grid import GRow, has_number, header_paths, is_index_row, last_filled, make_cell, map_columns
from ..textnorm import compact, key, label, label_key
from ...records import record


@record
class BuildContext:
    spec: TableSpec
    year: int | None
    rows: list[GRow]
    table: Table
    warn: Callable[[str, str, Provenance], None]
    scale: Decimal = Decimal(1)
    header: list[GRow] = field(default_factory=list)
    row_keys: set[str] = field(default_factory=set)  # keys of the rows added so far
    key_next: dict[str, int] = field(default_factory=dict)  # repeated key → the next "#n" to try

    def column(self, spec: ColumnSpec, printed: str | None = None, side: str | None = None) -> Column:
        col = Column(spec.id, spec.label_for(self.year), printed, side, spec.total_of)
        if self.table.column(spec.id) is None:
            self.table.columns.append(col)
        return col

    def cell(self, column: str, row: GRow, index: int, unit: str = "万元"):
        scale = self.scale if unit == "万元" and self.scale != 1 else None
        cells, provs = row.cells, row.cell_provs
        raw = cells[index] if 0 <= index < len(cells) else ""
        prov = provs[index] if provs and 0 <= index < len(provs) else row.prov
        return make_cell(column, raw, prov, scale, unit)

    def add_row(self, row: Row) -> Row:
        existing = self.row_keys
        if row.key in existing:  # numbered from where the last repeat of this key stopped
            base = row.key
            n = self.key_next.get(base, 2)
            while f"{base}#{n}" in existing:
                n += 1
            self.key_next[base] = n + 1
            row.key = f"{base}#{n}"
        existing.add(row.key)
        self.table.rows.append(row)
        return row

    def place_columns(
        self, specs, header: list[GRow], data: list[GRow], vstart: int, side: str | None = None, stop: int | None = None
    ) -> list[str | None]:
        """Which template column each value position from `vstart` holds; registers the columns.

        The value region ends at the last position anything is printed in (trailing
        columns that never hold anything are conversion padding).
        """
        width = max([len(r.cells) for r in self.rows] + [vstart + len(specs)])
        paths = header_paths([r.cells for r in header], width)
        if stop is None:
            last = max([last_filled(r.cells) for r in data + header] + [vstart])
            stop = max(last + 1, vstart + len(specs))
            while stop - vstart > len(specs) and not any(r.get(stop - 1).strip() for r in data + header):
                stop -= 1
        printed = [".".join(paths[p]) if p < len(paths) else "" for p in range(vstart, stop)]
        colmap = map_columns(printed, specs, self.year)
        if colmap.worth_a_warning:
            where = f"{self.spec.id}（{side}）" if side else self.spec.id
            self.warn("header-order", f"{where}：{colmap.note}", header[0].prov if header else self.table.prov)
        for i, s in enumerate(colmap.specs):
            if s is not None:
                self.column(s, printed[i] or None, side)
        for s in specs:
            self.column(s, None, side)
        return [s.id if s else None for s in colmap.specs]

    def unplaced(self, row: GRow, index: int, why: str) -> None:
        self.warn("cell-unplaced", f"{self.spec.id}：无法确定“{row.get(index)}”所在的列（{why}）", row.cprov(index))


def match_row_spec(text: str, line_no: int | None, specs: tuple[RowSpec, ...], used: set[str]) -> RowSpec | None:
    """The profile row a printed row is: by 行次 first, then by label, in order."""
    keys = _label_keys(specs)
    lk = label_key(text)
    if line_no is not None:
        for s, ks in zip(specs, keys):
            if s.line_no == line_no and s.id not in used:
                if not lk or lk in ks or any(_close(lk, x) for x in ks) or len(lk) <= 1:
                    return s
    if not lk:
        return None
    for s, ks in zip(specs, keys):
        if s.id not in used and lk in ks:
            return s
    for s, ks in zip(specs, keys):
        if s.id not in used and any(_close(lk, x) for x in ks):
            return s
    return None


_LABEL_KEYS: dict[int, tuple[tuple[RowSpec, ...], list[tuple[str, ...]]]] = {}


def _label_keys(specs: tuple[RowSpec, ...]) -> list[tuple[str, ...]]:
    """Each profile row's label keys, computed once per profile table."""
    hit = _LABEL_KEYS.get(id(specs))
    if hit is None or hit[0] is not specs:
        hit = (specs, [tuple(label_key(x) for x in s.labels) for s in specs])
        _LABEL_KEYS[id(specs)] = hit
    return hit[1]


@lru_cache(maxsize=65536)
def _close(a: str, b: str) -> bool:
    return len(a) >= 4 and len(b) >= 4 and fuzz.ratio(a, b) >= 88


def prints_line_numbers(header: list[GRow], start: int = 0, stop: int | None = None) -> bool:
    """Whether the header prints a 行次 column (between positions `start` and `stop`):
    many regions leave the template's 行次 column out."""
    return any(key(r.get(i)) == "行次" for r in header for i in range(start, len(r.cells) if stop is None else stop))


def line_number(text: str) -> int | None:
    t = compact(text)
    return int(t) if t.isdigit() and len(t) <= 3 else None


def is_header_like(row: GRow, words: tuple[str, ...]) -> bool:
    """A header row repeated on a continuation page, or a 栏次 row."""
    if is_index_row(row.cells):
        return True
    filled = [compact(c) for c in row.cells if c.strip()]
    if not filled or has_number(filled):
        return False
    hits = sum(1 for c in filled if any(w in c for w in words))
    return hits >= max(1, len(filled) // 2)


__all__ = [
    "BuildContext",
    "compact",
    "is_header_like",
    "key",
    "label",
    "label_key",
    "line_number",
    "match_row_spec",
]
