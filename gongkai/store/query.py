"""Read-only queries over the corpus store, shared by the CLI and the portal.

Every function takes an open DuckDB connection (see `connect`) and returns plain data:
dicts and lists whose amounts are strings (Decimal formatted, never floats), ready for
JSON. Lists are paged with `limit`/`offset` and come with their `total`. This API is
stable: functions and keys are added, never renamed.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..model.serialize import format_decimal

SEVERITIES = ("error", "warning", "info")
TRIAGE_STATUSES = ("确认", "误报", "备注")


def connect(db: str, read_only: bool = True):
    """Open a store. Read-only by default; raises InputError when it does not exist."""
    import os

    import duckdb

    from ..errors import InputError

    if read_only and not os.path.exists(db):
        raise InputError(f"{db}: no such database (create it with `gongkai ingest`)")
    try:
        con = duckdb.connect(db, read_only=read_only)
    except duckdb.Error as exc:
        raise InputError(f"{db}: cannot open the database ({exc})") from None
    if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'reports'").fetchone()[0]:
        con.close()
        raise InputError(f"{db}: a DuckDB file, but not a gongkai store (no reports table); create one with `gongkai ingest`")
    return con


# ----------------------------------------------------------------------------- helpers
def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format_decimal(value.normalize() if value == value.to_integral() else value.quantize(Decimal("0.01")) if value == value.quantize(Decimal("0.01")) else value.normalize())
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _rows(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [{n: _plain(v) for n, v in zip(names, row)} for row in cur.fetchall()]


def _all(con, sql: str, params: list | None = None) -> list[dict]:
    return _rows(con.execute(sql, params or []))


def _one(con, sql: str, params: list | None = None) -> dict | None:
    rows = _all(con, sql, params)
    return rows[0] if rows else None


def _where(filters: dict[str, Any], alias: str = "r") -> tuple[str, list]:
    clauses, params = [], []
    for column, value in filters.items():
        if value is None or value == "":
            continue
        clauses.append(f'{alias}."{column}" = ?')
        params.append(value)
    return (" AND ".join(clauses) or "TRUE"), params


def _page(limit: int, offset: int) -> tuple[int, int]:
    return max(0, min(int(limit), 10_000)), max(0, int(offset))


# ----------------------------------------------------------------------------- overview
def overview(con) -> dict:
    """Counts for the home page: reports by region/department/year/kind, findings by
    severity and rule, failures."""
    current = "FROM reports WHERE is_current"
    return {
        "reports": con.execute(f"SELECT count(*) {current}").fetchone()[0],
        "versions": con.execute("SELECT count(*) FROM reports").fetchone()[0],
        "departments": con.execute(f"SELECT count(DISTINCT department_key) {current}").fetchone()[0],
        "failures": con.execute("SELECT count(*) FROM failures").fetchone()[0],
        "by_region": _all(con, f"SELECT region, count(*) AS reports {current} GROUP BY region ORDER BY reports DESC, region"),
        "by_year": _all(con, f"SELECT year, count(*) AS reports {current} GROUP BY year ORDER BY year"),
        "by_kind": _all(con, f"SELECT kind, scope, count(*) AS reports {current} GROUP BY kind, scope ORDER BY kind, scope"),
        "by_department": _all(con, f"SELECT department_key, any_value(department) AS department, region, count(*) AS reports {current} GROUP BY department_key, region ORDER BY reports DESC, department_key LIMIT 50"),
        "findings_by_severity": _all(con, "SELECT f.severity, count(*) AS findings FROM findings f JOIN reports r USING (doc_id) WHERE r.is_current GROUP BY f.severity ORDER BY f.severity"),
        "findings_by_rule": rules_hits(con),
    }


# ----------------------------------------------------------------------------- reports
REPORT_ORDER = {
    "department": "department_key, year DESC, kind, scope",
    "year": "year DESC, department_key, kind",
    "errors": "errors DESC, department_key, year DESC",
    "ingested": "ingested_at DESC, doc_id",
}


def list_reports(
    con,
    *,
    region: str | None = None,
    department: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    scope: str | None = None,
    profile: str | None = None,
    q: str | None = None,
    current_only: bool = True,
    order: str = "department",
    limit: int = 50,
    offset: int = 0,
) -> dict:
    """Reports matching the filters (department matches the normalised key or the name).
    Returns {"total", "items": [report rows]}."""
    where, params = _where({"region": region, "year": year, "kind": kind, "scope": scope, "profile": profile})
    if department:
        where += " AND (r.department = ? OR r.department_key = ?)"
        params += [department, department]
    if q:
        where += " AND (r.department ILIKE ? OR r.title ILIKE ? OR r.source_name ILIKE ?)"
        like = f"%{q}%"
        params += [like, like, like]
    if current_only:
        where += " AND r.is_current"
    limit, offset = _page(limit, offset)
    total = con.execute(f"SELECT count(*) FROM reports r WHERE {where}", params).fetchone()[0]
    items = _all(con, f"SELECT * FROM reports r WHERE {where} ORDER BY {REPORT_ORDER.get(order, REPORT_ORDER['department'])} LIMIT {limit} OFFSET {offset}", params)
    return {"total": total, "items": items}


def get_report(con, ref: str) -> dict | None:
    """One report version by doc_id (content hash), or the current version of a report_id.
    Includes its `versions` (oldest first)."""
    row = _one(con, "SELECT * FROM reports WHERE doc_id = ?", [ref]) or _one(
        con, "SELECT * FROM reports WHERE report_id = ? ORDER BY is_current DESC, version DESC LIMIT 1", [ref]
    )
    if row is None:
        return None
    row["versions"] = _all(con, "SELECT doc_id, version, is_current, superseded_by, source_name, ingested_at FROM reports WHERE report_id = ? ORDER BY version", [row["report_id"]])
    return row


def report_tables(con, doc_id: str) -> list[dict]:
    rows = _all(con, "SELECT * FROM tables WHERE doc_id = ? ORDER BY ord", [doc_id])
    for r in rows:
        r["columns"] = json.loads(r.pop("columns_json") or "[]")
    return rows


def table_facts(con, doc_id: str, table_id: str) -> list[dict]:
    """Every fact of one table, in print order (row_ord, then column order)."""
    return _all(con, 'SELECT * FROM facts WHERE doc_id = ? AND table_id = ? ORDER BY row_ord, "column"', [doc_id, table_id])


def table_grid(con, doc_id: str, table_id: str) -> dict:
    """A table as rows × columns for display: {"columns": [...], "rows": [{"key","code","item","cells":{column_id: {value,line,page}}}]}."""
    meta = _one(con, "SELECT columns_json FROM tables WHERE doc_id = ? AND table_id = ?", [doc_id, table_id])
    columns = json.loads(meta["columns_json"]) if meta else []
    rows: dict[int, dict] = {}
    for f in table_facts(con, doc_id, table_id):
        row = rows.setdefault(f["row_ord"], {"key": f["row_key"], "code": f["code"], "item": f["item"], "side": f["side"], "cells": {}})
        row["cells"][f["column_id"]] = {"value": f["value"], "line": f["line"], "page": f["page"]}
    return {"columns": columns, "rows": [rows[k] for k in sorted(rows)]}


def report_findings(con, doc_id: str, *, severity: str | None = None, rule: str | None = None, with_triage: bool = True) -> list[dict]:
    where, params = _where({"severity": severity, "rule": rule}, "f")
    sql = f"SELECT f.* FROM findings f WHERE f.doc_id = ? AND {where} ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.rule, f.line, f.page"
    rows = _all(con, sql, [doc_id] + params)
    if with_triage:
        _attach_triage(con, rows)
    for r in rows:
        r["related"] = json.loads(r.pop("related_json") or "[]")
    return rows


def report_forms(con, doc_id: str) -> list[dict]:
    forms = _all(con, "SELECT * FROM forms WHERE doc_id = ? ORDER BY ord", [doc_id])
    by_id = {f["form_id"]: f for f in forms}
    for f in forms:
        f["indicators"] = []
    for ind in _all(con, "SELECT * FROM indicators WHERE doc_id = ? ORDER BY form_id, ord", [doc_id]):
        if ind["form_id"] in by_id:
            by_id[ind["form_id"]]["indicators"].append(ind)
    return forms


def report_claims(con, doc_id: str, kind: str | None = None) -> list[dict]:
    where, params = _where({"claim_kind": kind}, "c")
    return _all(con, f"SELECT c.* FROM claims c WHERE c.doc_id = ? AND {where} ORDER BY c.ord", [doc_id] + params)


def report_measures(con, doc_id: str) -> list[dict]:
    return _all(con, "SELECT * FROM measures WHERE doc_id = ? ORDER BY measure, phase", [doc_id])


# ----------------------------------------------------------------------------- compare
def measures_available(con) -> list[dict]:
    """The measures present in the store, with their Chinese label and report count."""
    from .measures import label_of

    rows = _all(con, "SELECT measure, count(DISTINCT doc_id) AS reports FROM measures GROUP BY measure ORDER BY measure")
    for r in rows:
        r["label"] = label_of(r["measure"])
    return rows


def compare(
    con,
    measure: str,
    *,
    phase: str | None = None,
    kind: str | None = None,
    scope: str | None = None,
    region: str | None = None,
    departments: list[str] | None = None,
    years: list[int] | None = None,
    limit: int = 200,
    offset: int = 0,
) -> dict:
    """Departments × years for one measure (current versions). Each cell keeps its source
    (doc_id, table, row, column, line, page). Returns {"measure","label","years","total",
    "rows": [{"department_key","department","region","cells": {year: {...}}, "change": {year: str}}]}."""
    from .measures import label_of

    where, params = _where({"phase": phase}, "m")
    w2, p2 = _where({"kind": kind, "scope": scope, "region": region}, "r")
    sql_where = f"m.measure = ? AND {where} AND {w2} AND r.is_current"
    params = [measure] + params + p2
    if departments:
        sql_where += f" AND (r.department_key IN ({','.join('?' * len(departments))}) OR r.department IN ({','.join('?' * len(departments))}))"
        params += list(departments) * 2
    if years:
        sql_where += f" AND r.year IN ({','.join('?' * len(years))})"
        params += [int(y) for y in years]
    limit, offset = _page(limit, offset)
    depts = con.execute(
        f"SELECT DISTINCT r.department_key, r.region FROM measures m JOIN reports r USING (doc_id) WHERE {sql_where} ORDER BY 1, 2", params
    ).fetchall()
    total = len(depts)
    page = depts[offset : offset + limit]
    keys = [d[0] for d in page]
    cells = []
    if keys:
        cells = _all(
            con,
            f"SELECT r.department_key, r.department, r.region, r.year, r.kind, r.scope, m.phase, m.value, m.doc_id, m.table_id, m.row, m.column, m.line, m.page, r.doc_id AS sha256 "
            f"FROM measures m JOIN reports r USING (doc_id) WHERE {sql_where} AND r.department_key IN ({','.join('?' * len(keys))}) ORDER BY r.department_key, r.year",
            params + keys,
        )
    out: dict[tuple, dict] = {}
    years_seen: set[int] = set()
    for c in cells:
        row = out.setdefault((c["department_key"], c["region"]), {"department_key": c["department_key"], "department": c["department"], "region": c["region"], "cells": {}, "change": {}})
        if c["year"] is not None:
            years_seen.add(c["year"])
        row["cells"].setdefault(str(c["year"]), c)
    for row in out.values():
        ys = sorted(int(y) for y in row["cells"] if y != "None")
        for prev, cur in zip(ys, ys[1:]):
            if cur == prev + 1:
                a, b = Decimal(row["cells"][str(prev)]["value"]), Decimal(row["cells"][str(cur)]["value"])
                row["change"][str(cur)] = _plain(b - a)
    return {"measure": measure, "label": label_of(measure), "years": sorted(years_seen), "total": total, "rows": list(out.values())}


# ----------------------------------------------------------------------------- rules
def rules_hits(con, *, current_only: bool = True) -> list[dict]:
    """Hits per rule across the corpus: rule, severity counts, reports affected."""
    cur = "AND r.is_current" if current_only else ""
    return _all(
        con,
        f"SELECT f.rule, any_value(f.category) AS category, count(*) AS findings, "
        f"count(*) FILTER (WHERE f.severity = 'error') AS errors, count(*) FILTER (WHERE f.severity = 'warning') AS warnings, "
        f"count(*) FILTER (WHERE f.severity = 'info') AS infos, count(DISTINCT f.doc_id) AS reports "
        f"FROM findings f JOIN reports r USING (doc_id) WHERE TRUE {cur} GROUP BY f.rule ORDER BY f.rule",
    )


def rule_findings(con, rule: str, *, severity: str | None = None, region: str | None = None, year: int | None = None, limit: int = 50, offset: int = 0) -> dict:
    """Drill-down: the findings of one rule (current versions), with their report."""
    where, params = _where({"severity": severity}, "f")
    w2, p2 = _where({"region": region, "year": year}, "r")
    limit, offset = _page(limit, offset)
    base = f"FROM findings f JOIN reports r USING (doc_id) WHERE f.rule = ? AND {where} AND {w2} AND r.is_current"
    params = [rule] + params + p2
    total = con.execute(f"SELECT count(*) {base}", params).fetchone()[0]
    items = _all(con, f"SELECT f.*, r.department, r.year, r.kind, r.scope, r.region, r.source_name {base} ORDER BY r.department_key, r.year, f.line LIMIT {limit} OFFSET {offset}", params)
    _attach_triage(con, items)
    for r in items:
        r["related"] = json.loads(r.pop("related_json") or "[]")
    return {"total": total, "items": items}


def finding(con, finding_id: str) -> dict | None:
    """One finding (its current occurrence, else the latest) with its triage history."""
    row = _one(
        con,
        "SELECT f.*, r.department, r.year, r.kind, r.scope, r.source_name, r.is_current FROM findings f JOIN reports r USING (doc_id) "
        "WHERE f.finding_id = ? ORDER BY r.is_current DESC, r.version DESC LIMIT 1",
        [finding_id],
    )
    if row is None:
        return None
    row["related"] = json.loads(row.pop("related_json") or "[]")
    row["triage_history"] = _all(con, 'SELECT status, note, "user", "at" FROM triage WHERE finding_id = ? ORDER BY "at"', [finding_id])
    row["triage"] = row["triage_history"][-1] if row["triage_history"] else None
    return row


def _attach_triage(con, rows: list[dict]) -> None:
    ids = list({r["finding_id"] for r in rows})
    if not ids:
        return
    state = {}
    for chunk in range(0, len(ids), 1000):
        part = ids[chunk : chunk + 1000]
        for r in _all(con, f'SELECT finding_id, arg_max(status, "at") AS status, arg_max(note, "at") AS note, arg_max("user", "at") AS "user", max("at") AS "at" FROM triage WHERE finding_id IN ({",".join("?" * len(part))}) GROUP BY finding_id', part):
            state[r.pop("finding_id")] = r
    for r in rows:
        r["triage"] = state.get(r["finding_id"])


def recheck(con, report_id: str) -> dict:
    """What changed between the previous and the current version of a report:
    {"current","previous","fixed": [...], "new": [...], "kept": [...]} by finding_id."""
    versions = _all(con, "SELECT doc_id, version FROM reports WHERE report_id = ? ORDER BY version DESC LIMIT 2", [report_id])
    if not versions:
        return {"current": None, "previous": None, "fixed": [], "new": [], "kept": []}
    return _changes(con, versions[0]["doc_id"], versions[1]["doc_id"] if len(versions) > 1 else None)


def version_changes(con, report: dict) -> dict | None:
    """A version (get_report's dict, with its versions) against the version before it, as
    recheck() gives it; None for a first version."""
    earlier = [v for v in report.get("versions") or [] if v["version"] < report["version"]]
    if not earlier:
        return None
    return _changes(con, report["doc_id"], earlier[-1]["doc_id"])


def _changes(con, current: str, previous: str | None) -> dict:
    """The report's own findings only: checks across reports run on current versions, so a
    superseded version keeps none to compare with."""
    cur = [f for f in report_findings(con, current) if f["category"] != "cross_report"]
    prev = [f for f in report_findings(con, previous) if f["category"] != "cross_report"] if previous else []
    cur_ids, prev_ids = {f["finding_id"] for f in cur}, {f["finding_id"] for f in prev}
    return {
        "current": current,
        "previous": previous,
        "fixed": [f for f in prev if f["finding_id"] not in cur_ids],
        "new": [f for f in cur if f["finding_id"] not in prev_ids],
        "kept": [f for f in cur if f["finding_id"] in prev_ids],
    }


# ----------------------------------------------------------------------------- coverage
def coverage(con, *, region: str | None = None, year: int | None = None) -> dict:
    """The reports that should exist — from expected_reports when loaded, else implied by
    the corpus (every department and scope seen × every year seen × 预算/决算) — and which
    are present, missing or superseded. Returns {"source": "list"|"implied", "items": [...]}."""
    loaded = con.execute("SELECT count(*) FROM expected_reports").fetchone()[0] > 0
    w, p = _where({"region": region, "year": year}, "e")
    if loaded:
        expected_sql = "SELECT region, department, scope, year, kind, published FROM expected_reports"
    else:
        expected_sql = (
            "SELECT d.region, d.department, d.scope, y.year, k.kind, NULL::DATE AS published FROM "
            "(SELECT region, department_key, any_value(department) AS department, scope FROM reports GROUP BY region, department_key, scope) d, "
            "(SELECT DISTINCT year FROM reports WHERE year IS NOT NULL) y, (SELECT unnest(['预算', '决算']) AS kind) k"
        )
    items = _all(
        con,
        f"WITH e AS ({expected_sql}) SELECT e.region, e.department, e.scope, e.year, e.kind, e.published, "
        f"(SELECT count(*) FROM reports r WHERE r.department_key = (SELECT department_key FROM reports r2 WHERE r2.department = e.department LIMIT 1) "
        f"  AND r.year = e.year AND r.kind = e.kind AND (e.scope IS NULL OR r.scope = e.scope) AND r.is_current) AS present, "
        f"(SELECT count(*) FROM reports r WHERE r.department = e.department AND r.year = e.year AND r.kind = e.kind AND (e.scope IS NULL OR r.scope = e.scope) AND NOT r.is_current) AS superseded, "
        f"(SELECT any_value(r.doc_id) FROM reports r WHERE r.department = e.department AND r.year = e.year AND r.kind = e.kind AND (e.scope IS NULL OR r.scope = e.scope) AND r.is_current) AS doc_id "
        f"FROM e WHERE {w} ORDER BY e.region, e.department, e.scope, e.year, e.kind",
        p,
    )
    for it in items:
        it["status"] = "present" if it["present"] else "missing"
    return {"source": "list" if loaded else "implied", "items": items}


# ----------------------------------------------------------------------------- search
def search(con, q: str, *, limit: int = 50) -> dict:
    """Reports whose department, title or file name contain q; findings whose message does."""
    limit, _ = _page(limit, 0)
    like = f"%{q}%"
    reports = _all(con, f"SELECT doc_id, report_id, department, region, year, kind, scope, title, source_name FROM reports WHERE is_current AND (department ILIKE ? OR title ILIKE ? OR source_name ILIKE ?) ORDER BY department_key, year DESC LIMIT {limit}", [like] * 3)
    findings = _all(con, f"SELECT f.finding_id, f.doc_id, f.rule, f.severity, f.message, r.department, r.year, r.kind FROM findings f JOIN reports r USING (doc_id) WHERE r.is_current AND f.message ILIKE ? ORDER BY f.rule LIMIT {limit}", [like])
    return {"q": q, "reports": reports, "findings": findings}


def failures(con, *, limit: int = 100, offset: int = 0) -> dict:
    limit, offset = _page(limit, offset)
    return {
        "total": con.execute("SELECT count(*) FROM failures").fetchone()[0],
        "items": _all(con, f"SELECT * FROM failures ORDER BY path LIMIT {limit} OFFSET {offset}"),
    }


def source_of(con, doc_id: str) -> dict | None:
    """Where a document came from: file name, path at ingest, content hash, format."""
    return _one(con, "SELECT doc_id AS sha256, source_name, source_path, format, pages, lines FROM reports WHERE doc_id = ?", [doc_id])


# ----------------------------------------------------------------------------- portal (added by the web portal)
def department_measures(con, department: str, *, kind: str | None = None, phase: str | None = None) -> dict:
    """Every measure of one department (key or name) by year, current versions: the
    compare page's structure views (功能分类 by 类, 三公 by item, 基本/项目 …).
    Returns {"department","years","rows": [{"measure","label","cells": {year: {value, doc_id, line, page, …}}}]}."""
    w, p = _where({"kind": kind}, "r")
    w2, p2 = _where({"phase": phase}, "m")
    cells = _all(
        con,
        f"SELECT m.measure, m.phase, m.value, m.doc_id, m.table_id, m.row, m.column, m.line, m.page, r.year, r.kind, r.department "
        f"FROM measures m JOIN reports r USING (doc_id) WHERE (r.department_key = ? OR r.department = ?) AND r.is_current AND {w} AND {w2} "
        f"ORDER BY m.measure, r.year, m.phase",
        [department, department] + p + p2,
    )
    return measure_grid(cells, department)


def measure_grid(cells: list[dict], department: str) -> dict:
    """Measure × year cells (the first cell per pair in the order given) for the compare page."""
    from .measures import label_of

    rows: dict[str, dict] = {}
    years: set[int] = set()
    name = None
    for c in cells:
        name = name or c["department"]
        if c["year"] is None:
            continue
        years.add(c["year"])
        row = rows.setdefault(c["measure"], {"measure": c["measure"], "label": label_of(c["measure"]), "cells": {}})
        row["cells"].setdefault(str(c["year"]), c)
    return {"department": name or department, "years": sorted(years), "rows": list(rows.values())}


def report_grids(con, doc_id: str, tables: list[dict] | None = None) -> dict[str, dict]:
    """Every table of a report as table_grid() gives one, from a single scan of its facts:
    {table_id: {"columns", "rows"}}, in print order. `tables`: report_tables() when at hand."""
    tables = {t["table_id"]: t for t in (tables if tables is not None else report_tables(con, doc_id))}
    grids = {tid: {"columns": t["columns"], "rows": {}} for tid, t in tables.items()}
    cur = con.execute(
        'SELECT table_id, row_ord, row_key, code, item, side, column_id, value, line, page FROM facts WHERE doc_id = ? ORDER BY table_id, row_ord, "column"',
        [doc_id],
    )
    for table_id, row_ord, key, code, item, side, column_id, value, line, page in cur.fetchall():
        grid = grids.setdefault(table_id, {"columns": [], "rows": {}})
        row = grid["rows"].setdefault(row_ord, {"key": key, "code": code, "item": item, "side": side, "cells": {}})
        row["cells"][column_id] = {"value": _plain(value), "line": line, "page": page}
    for grid in grids.values():
        grid["rows"] = [grid["rows"][k] for k in sorted(grid["rows"], key=lambda k: (k is None, k))]
    return grids

