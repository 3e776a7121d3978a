"""The portal's connection to the store, and the pre-aggregations that keep its pages fast
at 100,000 reports.

The store file is attached (read-only unless the server may write triage) to an
in-memory DuckDB database; the in-memory side holds the portal's pre-aggregations:

- `cmp`: every measure of every current report joined with its report's department,
  region, year and kind, sorted by measure and department (the compare pages read a
  few row groups instead of joining two large tables);
- `fnd`: the findings of current reports joined with their report, sorted by rule,
  department and year (rule drill-down, finding search);
- `cov`: the coverage of expected × present reports, computed once with joins;
- the overview's counts and the hits per rule, as Python data;
- where each document's rows lie in the per-document tables (`doc_ranges`): ingest
  writes a document's rows together, so a lookup by doc_id can be limited to that rowid
  range and DuckDB reads one row group instead of scanning the table (its ART indexes
  are not used for these lookups). The report page reads through `doc_rows`, which gives
  what the query layer's report_* functions give (a test holds them equal).

A read-only server sees a store nobody else can write while it is open (DuckDB locks
the file), so these are computed once, at start-up (`warm`) or on first use. A server
that writes only adds triage rows, which none of these include.
"""

from __future__ import annotations

import os
import threading
from decimal import Decimal

from fastapi import HTTPException

from ..store import query as Q


class PortalStore:
    def __init__(self, db: str | None, write: bool = False):
        self.db, self.write = db, write
        self._con = None
        self._lock = threading.Lock()
        self._cache: dict[str, object] = {}

    # -------------------------------------------------------------- connection
    def _open(self):
        import duckdb

        if self.db is None:
            raise HTTPException(503, "没有数据库：请用 gongkai serve --db FILE 启动")
        if not os.path.isfile(self.db):
            raise HTTPException(503, f"{self.db}: 没有这个数据库（先用 gongkai ingest 建库）")
        con = duckdb.connect(":memory:")
        con.execute("SET enable_progress_bar = false")
        path = self.db.replace("'", "''")
        try:
            con.execute(f"ATTACH '{path}' AS store" + ("" if self.write else " (READ_ONLY)"))
        except duckdb.Error as exc:
            con.close()
            raise HTTPException(503, f"无法打开数据库：{exc}") from None
        con.execute("USE store")
        return con

    def cursor(self):
        with self._lock:
            if self._con is None:
                self._con = self._open()
            cur = self._con.cursor()
        cur.execute("USE store")
        return cur

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
                self._cache.clear()

    def cached(self, key: str, make):
        value = self._cache.get(key)
        if value is None:
            with self._lock:
                value = self._cache.get(key)
            if value is None:
                value = make()
                with self._lock:
                    self._cache[key] = value
        return value

    def warm(self) -> None:
        """Compute every pre-aggregation now (the server calls this before it listens)."""
        cur = self.cursor()
        self.overview(cur)
        self.rules_hits(cur)
        self.measures_available(cur)
        self._cmp()
        self._fnd()
        self._cov()
        self.doc_ranges()

    # -------------------------------------------------------------- cached views
    def overview(self, cur) -> dict:
        return self.cached("overview", lambda: Q.overview(cur))

    def rules_hits(self, cur) -> list[dict]:
        return self.cached("rules_hits", lambda: Q.rules_hits(cur))

    def measures_available(self, cur) -> list[dict]:
        return self.cached("measures", lambda: Q.measures_available(cur))

    # -------------------------------------------------------------- one document's rows
    def doc_ranges(self) -> dict[str, dict[str, tuple[int, int]]]:
        def make():
            import sys

            cur = self.cursor()
            out = {}
            for table in DOC_ORDER:
                out[table] = {sys.intern(d): (lo, hi) for d, lo, hi in
                              cur.execute(f'SELECT doc_id, min(rowid), max(rowid) FROM "{table}" GROUP BY doc_id').fetchall()}
            return out

        return self.cached("doc_ranges", make)

    def doc_rows(self, cur, table: str, doc_id: str) -> list[dict]:
        """The rows of one document in a per-document table, in the query layer's order."""
        where, params = "doc_id = ?", [doc_id]
        ranges = self.doc_ranges().get(table)
        if ranges is not None:
            span = ranges.get(doc_id)
            if span is None:
                return []
            where, params = "rowid BETWEEN ? AND ? AND doc_id = ?", [span[0], span[1], doc_id]
        return Q._all(cur, f'SELECT {DOC_COLUMNS.get(table, "*")} FROM "{table}" WHERE {where} ORDER BY {DOC_ORDER[table]}', params)

    def report_parts(self, cur, doc_id: str) -> dict:
        """tables (with their grid), findings (with triage), forms (with indicators), measures,
        claims of one report — as query.report_tables/report_grids/report_findings/… give them."""
        import json

        # the seven lookups are independent: run them side by side, each on its own cursor
        # (DuckDB releases the GIL while a query runs)
        names = list(DOC_ORDER)
        rows = dict(zip(names, _pool().map(lambda t: self.doc_rows(self.cursor(), t, doc_id), names)))
        tables = rows["tables"]
        for t in tables:
            t["columns"] = json.loads(t.pop("columns_json") or "[]")
        grids = {t["table_id"]: {"columns": t["columns"], "rows": {}} for t in tables}
        for f in rows["facts"]:
            grid = grids.setdefault(f["table_id"], {"columns": [], "rows": {}})
            row = grid["rows"].setdefault(f["row_ord"], {"key": f["row_key"], "code": f["code"], "item": f["item"], "side": f["side"], "cells": {}})
            row["cells"][f["column_id"]] = {"value": f["value"], "line": f["line"], "page": f["page"]}
        for grid in grids.values():
            grid["rows"] = [grid["rows"][k] for k in sorted(grid["rows"], key=lambda k: (k is None, k))]
        findings = rows["findings"]
        Q._attach_triage(cur, findings)
        for f in findings:
            f["related"] = json.loads(f.pop("related_json") or "[]")
        forms = rows["forms"]
        by_id = {f["form_id"]: f for f in forms}
        for f in forms:
            f["indicators"] = []
        for ind in rows["indicators"]:
            if ind["form_id"] in by_id:
                by_id[ind["form_id"]]["indicators"].append(ind)
        return {"tables": tables, "grids": grids, "findings": findings, "forms": forms,
                "measures": rows["measures"], "claims": rows["claims"]}

    # -------------------------------------------------------------- compare
    def _cmp(self) -> str:
        def make():
            cur = self.cursor()
            cur.execute(
                # measure_no and dept_no: DuckDB keeps only an 8-byte prefix of a string's
                # min/max, too short to tell 示例部门12 from 示例部门13; integers prune row groups
                "CREATE OR REPLACE TABLE memory.main.cmp AS "
                "SELECT dense_rank() OVER (ORDER BY m.measure) AS measure_no, dense_rank() OVER (ORDER BY r.department_key) AS dept_no, "
                "m.measure, m.phase, m.value, m.doc_id, m.table_id, m.\"row\", m.\"column\", m.line, m.page, "
                "r.department_key, r.department, r.region, r.year, r.kind, r.scope "
                "FROM measures m JOIN reports r USING (doc_id) WHERE r.is_current "
                "ORDER BY measure_no, dept_no, r.region, r.year"
            )
            return "memory.main.cmp"

        return self.cached("cmp", make)

    def compare(self, cur, measure: str, *, phase=None, kind=None, scope=None, region=None, departments=None, years=None,
                limit: int = 50, offset: int = 0) -> dict:
        """Q.compare's result, read from the pre-joined `cmp` table."""
        from ..store.measures import label_of

        table = self._cmp()

        def where(p: str) -> tuple[str, list]:
            clauses, params = [f"{p}measure_no = ?"], [self.measure_numbers(cur).get(measure, -1)]
            for column, value in (("phase", phase), ("kind", kind), ("scope", scope), ("region", region)):
                if value:
                    clauses.append(f"{p}{column} = ?")
                    params.append(value)
            if departments:
                numbers = self.department_numbers(cur)
                clauses.append(f"{p}dept_no IN ({','.join('?' * len(departments))})")
                params += [numbers.get(d, -1) for d in departments]
            if years:
                clauses.append(f"{p}year IN ({','.join('?' * len(years))})")
                params += [int(y) for y in years]
            return " AND ".join(clauses), params

        plain, params = where("")
        aliased, _ = where("c.")
        total = cur.execute(f"SELECT count(*) FROM (SELECT DISTINCT department_key, region FROM {table} WHERE {plain})", params).fetchone()[0]
        limit, offset = max(0, min(int(limit), 1000)), max(0, int(offset))
        cells = Q._all(
            cur,
            f"WITH page AS (SELECT DISTINCT department_key, region FROM {table} WHERE {plain} ORDER BY 1, 2 LIMIT {limit} OFFSET {offset}) "
            f'SELECT c.department_key, c.department, c.region, c.year, c.kind, c.scope, c.phase, c.value, c.doc_id, c.table_id, c."row", c."column", '
            f"c.line, c.page, c.doc_id AS sha256 FROM {table} c JOIN page ON c.department_key = page.department_key "
            f"AND c.region IS NOT DISTINCT FROM page.region WHERE {aliased} "
            # without a phase, a year's cell is the report's own (a 决算's 决算 column before its 年初预算)
            f"ORDER BY c.department_key, c.region, c.year, (c.phase = c.kind) DESC, c.phase",
            params + params,
        )
        out: dict[tuple, dict] = {}
        years_seen: set[int] = set()
        for c in cells:
            row = out.setdefault((c["department_key"], c["region"]), {"department_key": c["department_key"], "department": c["department"],
                                                                      "region": c["region"], "cells": {}, "change": {}})
            if c["year"] is not None:
                years_seen.add(c["year"])
            row["cells"].setdefault(str(c["year"]), c)
        for row in out.values():
            _changes(row)
        return {"measure": measure, "label": label_of(measure), "years": sorted(years_seen), "total": total, "rows": list(out.values())}

    def department_numbers(self, cur) -> dict[str, int]:
        """Department name or key → its dept_no in `cmp`."""
        def make():
            rows = cur.execute(f"SELECT DISTINCT department_key, department, dept_no FROM {self._cmp()}").fetchall()
            out = {key: no for key, _, no in rows if key is not None}
            for _, name, no in rows:
                if name is not None:
                    out.setdefault(name, no)
            return out

        return self.cached("department_numbers", make)

    def measure_numbers(self, cur) -> dict[str, int]:
        return self.cached("measure_numbers", lambda: dict(cur.execute(f"SELECT DISTINCT measure, measure_no FROM {self._cmp()}").fetchall()))

    def department_measures(self, cur, department: str, *, kind=None, phase=None) -> dict:
        """Q.department_measures's result, read from `cmp` (within each measure the rows are in
        department order, so a department's rows are found in one row group per measure)."""
        table = self._cmp()
        no = self.department_numbers(cur).get(department)
        if no is None:
            return {"department": department, "years": [], "rows": []}
        where, params = ["dept_no = ?"], [no]
        for column, value in (("kind", kind), ("phase", phase)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        cells = Q._all(cur, f'SELECT measure, phase, value, doc_id, table_id, "row", "column", line, page, year, kind, department '
                            f"FROM {table} WHERE {' AND '.join(where)} ORDER BY measure, year, (phase = kind) DESC, phase", params)
        return Q.measure_grid(cells, department)

    def department_kinds(self, cur, department: str) -> list[str]:
        no = self.department_numbers(cur).get(department)
        if no is None:
            return []
        return [r[0] for r in cur.execute(
            f"SELECT kind FROM {self._cmp()} WHERE dept_no = ? AND kind IS NOT NULL GROUP BY kind ORDER BY count(*) DESC, kind",
            [no]).fetchall()]

    # -------------------------------------------------------------- findings
    def _fnd(self) -> str:
        def make():
            self.cursor().execute(
                "CREATE OR REPLACE TABLE memory.main.fnd AS SELECT f.*, r.department, r.year, r.kind, r.scope, r.region, r.source_name, "
                "r.department_key AS _department_key FROM findings f JOIN reports r USING (doc_id) WHERE r.is_current "
                "ORDER BY f.rule, r.department_key, r.year, f.line"
            )
            return "memory.main.fnd"

        return self.cached("fnd", make)

    def rule_findings(self, cur, rule: str, *, severity=None, region=None, year=None, limit: int = 50, offset: int = 0) -> dict:
        """Q.rule_findings's result, read from `fnd`."""
        import json

        table = self._fnd()
        where, params = ["rule = ?"], [rule]
        for column, value in (("severity", severity), ("region", region), ("year", year)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        sql_where = " AND ".join(where)
        limit, offset = max(0, min(int(limit), 10_000)), max(0, int(offset))
        total = cur.execute(f"SELECT count(*) FROM {table} WHERE {sql_where}", params).fetchone()[0]
        items = Q._all(cur, f"SELECT * EXCLUDE (_department_key) FROM {table} WHERE {sql_where} "
                            f"ORDER BY _department_key, year, line LIMIT {limit} OFFSET {offset}", params)
        Q._attach_triage(cur, items)
        for r in items:
            r["related"] = json.loads(r.pop("related_json") or "[]")
        return {"total": total, "items": items}

    def finding(self, cur, finding_id: str) -> dict | None:
        """Q.finding's result: from `fnd` when the finding is in a current report."""
        import json

        row = Q._one(cur, f"SELECT * EXCLUDE (_department_key, region), TRUE AS is_current FROM {self._fnd()} WHERE finding_id = ? LIMIT 1", [finding_id])
        if row is None:
            return Q.finding(cur, finding_id)
        row["related"] = json.loads(row.pop("related_json") or "[]")
        row["triage_history"] = Q._all(cur, 'SELECT status, note, "user", "at" FROM triage WHERE finding_id = ? ORDER BY "at"', [finding_id])
        row["triage"] = row["triage_history"][-1] if row["triage_history"] else None
        return row

    def search(self, cur, q: str, *, limit: int = 50) -> dict:
        """Q.search's result; the findings part read from `fnd`."""
        like = f"%{q}%"
        limit = max(0, min(int(limit), 1000))
        reports = Q._all(cur, "SELECT doc_id, report_id, department, region, year, kind, scope, title, source_name FROM reports WHERE is_current "
                              f"AND (department ILIKE ? OR title ILIKE ? OR source_name ILIKE ?) ORDER BY department_key, year DESC LIMIT {limit}", [like] * 3)
        return {"q": q, "reports": reports, "findings": self.search_findings(cur, q, limit=limit)}

    def search_findings(self, cur, q: str, *, limit: int = 50) -> list[dict]:
        """Findings of current reports whose message contains q (a plain substring test
        when q has no Latin letters: Chinese has no case, and it is much cheaper than ILIKE)."""
        if any("a" <= ch.lower() <= "z" for ch in q):
            test, arg = "message ILIKE ?", f"%{q}%"
        else:
            test, arg = "contains(message, ?)", q
        return Q._all(cur, f"SELECT finding_id, doc_id, rule, severity, message, department, year, kind FROM {self._fnd()} "
                           f"WHERE {test} ORDER BY rule LIMIT {max(0, min(int(limit), 1000))}", [arg])

    # -------------------------------------------------------------- coverage
    def _cov(self) -> tuple[str, str]:
        def make():
            cur = self.cursor()
            loaded = cur.execute("SELECT count(*) FROM expected_reports").fetchone()[0] > 0
            if loaded:
                expected = (
                    "SELECT e.region, e.department, coalesce(k.department_key, e.department) AS department_key, e.scope, e.year, e.kind, e.published "
                    "FROM expected_reports e LEFT JOIN (SELECT department, any_value(department_key) AS department_key FROM reports GROUP BY department) k "
                    "USING (department)"
                )
            else:
                expected = (
                    "SELECT d.region, d.department, d.department_key, d.scope, y.year, k.kind, NULL::DATE AS published FROM "
                    "(SELECT region, department_key, any_value(department) AS department, scope FROM reports GROUP BY region, department_key, scope) d, "
                    "(SELECT DISTINCT year FROM reports WHERE year IS NOT NULL) y, (SELECT unnest(['预算', '决算']) AS kind) k"
                )
            cur.execute(f"CREATE OR REPLACE TABLE memory.main.cov AS {_coverage_sql(expected)}")
            return ("memory.main.cov", "list" if loaded else "implied")

        return self.cached("cov", make)

    def coverage_of_list(self, cur, rows: list[dict]) -> dict:
        """Coverage of a list the user gives (not stored): rows of region, department, scope,
        year, kind, published. Departments are matched by their normalised name."""
        from ..store.names import department_key

        cur.execute("CREATE OR REPLACE TEMP TABLE expected_upload (region VARCHAR, department VARCHAR, department_key VARCHAR, "
                    "scope VARCHAR, year INTEGER, kind VARCHAR, published DATE)")
        cur.executemany("INSERT INTO expected_upload VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [[r.get("region"), r["department"], department_key(r["department"]) or r["department"], r.get("scope"), r["year"], r["kind"],
                          r.get("published")] for r in rows])
        items = Q._all(cur, _coverage_sql("SELECT * FROM temp.main.expected_upload"))
        cur.execute("DROP TABLE temp.main.expected_upload")
        counts = {"present": 0, "missing": 0, "superseded": 0}
        for it in items:
            counts[it["status"]] += 1
        return {"source": "upload", "total": len(items), "counts": counts, "items": items}

    def coverage(self, cur, *, region=None, year=None, status=None, department=None, limit: int = 100, offset: int = 0) -> dict:
        table, source = self._cov()
        where, params = [], []
        for column, value in (("region", region), ("year", year), ("status", status)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if department:
            where.append("department ILIKE ?")
            params.append(f"%{department}%")
        sql_where = " AND ".join(where) or "TRUE"
        counts = {"present": 0, "missing": 0, "superseded": 0}
        for st, n in cur.execute(f"SELECT status, count(*) FROM {table} WHERE {sql_where} GROUP BY status", params).fetchall():
            counts[st] = n
        limit, offset = max(0, min(int(limit), 10_000)), max(0, int(offset))
        items = Q._all(cur, f"SELECT * FROM {table} WHERE {sql_where} LIMIT {limit} OFFSET {offset}", params)
        return {"source": source, "total": sum(counts.values()), "counts": counts, "items": items}


_POOL = None


def _pool():
    global _POOL
    if _POOL is None:
        from concurrent.futures import ThreadPoolExecutor

        _POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="gongkai-portal")
    return _POOL


def _coverage_sql(expected: str) -> str:
    """Each expected report (region, department, department_key, scope, year, kind,
    published) with its status: present, superseded (only older versions) or missing."""
    return (
        f"WITH e AS ({expected}), "
        "have AS (SELECT department_key, year, kind, scope, count(*) FILTER (WHERE is_current) AS present, "
        "count(*) FILTER (WHERE NOT is_current) AS superseded, any_value(doc_id) FILTER (WHERE is_current) AS doc_id, "
        "max(published) AS published FROM reports GROUP BY department_key, year, kind, scope) "
        "SELECT e.region, e.department, e.scope, e.year, e.kind, coalesce(e.published, max(h.published)) AS published, "
        "coalesce(sum(h.present), 0)::INTEGER AS present, coalesce(sum(h.superseded), 0)::INTEGER AS superseded, any_value(h.doc_id) AS doc_id, "
        "CASE WHEN coalesce(sum(h.present), 0) > 0 THEN 'present' WHEN coalesce(sum(h.superseded), 0) > 0 THEN 'superseded' ELSE 'missing' END AS status "
        "FROM e LEFT JOIN have h ON h.department_key = e.department_key AND h.year = e.year AND h.kind = e.kind "
        "AND (e.scope IS NULL OR h.scope = e.scope) "
        "GROUP BY e.region, e.department, e.scope, e.year, e.kind, e.published "
        "ORDER BY e.region, e.department, e.scope, e.year, e.kind"
    )


# the per-document tables and the order the query layer returns their rows in
DOC_ORDER = {
    "tables": "ord",
    "facts": 'table_id, row_ord, "column"',
    "findings": "CASE severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, rule, line, page",
    "forms": "ord",
    "indicators": "form_id, ord",
    "claims": "ord",
    "measures": "measure, phase",
}


# what the report page needs of the widest table (facts has some thirty columns)
DOC_COLUMNS = {"facts": 'table_id, row_ord, row_key, code, item, side, column_id, value, line, page, "column"'}


def _changes(row: dict) -> None:
    ys = sorted(int(y) for y in row["cells"] if y != "None")
    for prev, cur in zip(ys, ys[1:]):
        a, b = row["cells"][str(prev)]["value"], row["cells"][str(cur)]["value"]
        if cur == prev + 1 and a is not None and b is not None:
            row["change"][str(cur)] = Q._plain(Decimal(b) - Decimal(a))
