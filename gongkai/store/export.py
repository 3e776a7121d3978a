"""Export the store: CSV (one file per table), Parquet (facts partitioned by year and
region), xlsx (one sheet per table) or SQLite (plain typed tables; opens in Datasette).

CSV and xlsx cells are spreadsheet-safe: text a spreadsheet would evaluate as a formula
(leading = + - @, tab, CR …, see gongkai/report/spreadsheet.py) is written as text.
"""

from __future__ import annotations

import csv
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from . import schema

FORMATS = ("csv", "parquet", "xlsx", "sqlite")
XLSX_MAX_ROWS = 1_048_575


def _tables(con) -> list[str]:
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    return [t for t in schema.TABLES if t in have]


def _columns(con, table: str) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in con.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()]


from ..report.spreadsheet import csv_cell as _guard  # the shared formula guard


def _safe_cell(value):
    """A cell value for CSV/xlsx: amounts as exact text, formula-like text guarded."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, str):
        return _guard(value)
    return value


def export(con, fmt: str, out: str) -> list[str]:
    """Write the export; returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt}")
    return {"csv": _csv, "parquet": _parquet, "xlsx": _xlsx, "sqlite": _sqlite}[fmt](con, Path(out))


def _csv(con, out: Path) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for t in _tables(con):
        cols = [c for c, _ in _columns(con, t)]
        path = out / f"{t}.csv"
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(cols)
            cur = con.execute(f'SELECT * FROM "{t}"')
            while True:
                chunk = cur.fetchmany(10_000)
                if not chunk:
                    break
                w.writerows([_safe_cell(v) for v in row] for row in chunk)
        written.append(str(path))
    return written


def _parquet(con, out: Path) -> list[str]:
    """facts/ partitioned by year and region (hive layout); the other tables one file each."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for t in _tables(con):
        if t == "facts":
            target = out / "facts"
            con.execute(
                f"COPY (SELECT *, coalesce(CAST(year AS VARCHAR), 'unknown') AS year_part, coalesce(region, 'unknown') AS region_part FROM facts) "
                f"TO '{_sql_path(target)}' (FORMAT PARQUET, PARTITION_BY (year_part, region_part), OVERWRITE_OR_IGNORE true)"
            )
            written.append(str(target))
        else:
            path = out / f"{t}.parquet"
            con.execute(f"COPY \"{t}\" TO '{_sql_path(path)}' (FORMAT PARQUET)")
            written.append(str(path))
    return written


def _sql_path(p: Path) -> str:
    return str(p).replace("'", "''")


def _xlsx(con, out: Path) -> list[str]:
    """One sheet per table (write-only workbook: constant memory); text cells are typed as
    text, and formula-like text also gets the quote prefix, so nothing is evaluated."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from ..report.spreadsheet import is_dangerous, xlsx_text

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary_beside(out)  # fails before any work when the folder cannot be written
    wb = Workbook(write_only=True)
    for t in _tables(con):
        ws = wb.create_sheet(t[:31])
        cols = [c for c, _ in _columns(con, t)]
        ws.append(cols)

        def cell(v):
            if isinstance(v, Decimal):
                v = format(v, "f")  # exact, as text (no float rounding)
            if not isinstance(v, str):
                return v
            c = WriteOnlyCell(ws, value=xlsx_text(v))
            c.data_type = "s"
            if is_dangerous(v):
                c.quotePrefix = True
            return c

        cur = con.execute(f'SELECT * FROM "{t}" LIMIT {XLSX_MAX_ROWS}')
        while True:
            chunk = cur.fetchmany(10_000)
            if not chunk:
                break
            for row in chunk:
                ws.append([cell(v) for v in row])
    try:
        wb.save(tmp)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return [str(out)]


def _temporary_beside(out: Path) -> str:
    """A new empty file next to `out`, renamed onto it once complete (no half file is left)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(fd)
    return tmp


_SQLITE_TYPES = {"VARCHAR": "TEXT", "INTEGER": "INTEGER", "BIGINT": "INTEGER", "BOOLEAN": "INTEGER", "TIMESTAMP": "TEXT", "DATE": "TEXT"}


def _sqlite(con, out: Path) -> list[str]:
    """Plain tables with declared types (amounts NUMERIC), a primary key where the store has one."""
    import sqlite3

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary_beside(out)
    db = sqlite3.connect(tmp)
    try:
        for t in _tables(con):
            cols = _columns(con, t)
            decl = ", ".join(f'"{c}" {("NUMERIC" if ty.startswith("DECIMAL") else _SQLITE_TYPES.get(ty.split("(")[0], "TEXT"))}' for c, ty in cols)
            db.execute(f'CREATE TABLE "{t}" ({decl})')
            cur = con.execute(f'SELECT * FROM "{t}"')
            marks = ",".join("?" * len(cols))
            while True:
                chunk = cur.fetchmany(10_000)
                if not chunk:
                    break
                db.executemany(f'INSERT INTO "{t}" VALUES ({marks})', [[_sqlite_value(v) for v in row] for row in chunk])
        for stmt in ("CREATE INDEX facts_doc ON facts(doc_id)", "CREATE INDEX findings_doc ON findings(doc_id)", "CREATE INDEX reports_report ON reports(report_id)"):
            db.execute(stmt)
        db.commit()
        db.close()
        os.replace(tmp, out)
    finally:
        db.close()
        if os.path.exists(tmp):
            os.unlink(tmp)
    return [str(out)]


def _sqlite_value(v):
    if isinstance(v, Decimal):
        return format(v, "f")  # NUMERIC affinity stores it as a number
    if isinstance(v, bool):
        return int(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v


def default_output(fmt: str, db: str) -> str:
    stem = os.path.splitext(os.path.basename(db))[0]
    return {"csv": f"{stem}-csv", "parquet": f"{stem}-parquet", "xlsx": f"{stem}.xlsx", "sqlite": f"{stem}.sqlite"}[fmt]
