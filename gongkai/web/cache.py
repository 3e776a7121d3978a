"""The portal's connection to the store, and the pre-aggregations that keep its pages fast
at 100,000 reports.

The store file is attached (read-only unless the server may write triage) to an
in-memory DuckDB database; the in-memory side holds the portal's pre-aggregations:

- `cmp`: every measure of every current report joined with its report's department,
  region, year and kind, sorted by measure and department (the compare pages read a
  few row groups instead of joining two large tables);
- `cov`: the coverage of expected × present reports, computed once with joins;
- the overview's counts and the hits per rule, as Python data.

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
        self._cov()

    # -------------------------------------------------------------- cached views
    def overview(self, cur) -> dict:
        return self.cached("overview", lambda: Q.overview(cur))

    def rules_hits(self, cur) -> list[dict]:
        return self.cached("rules_hits", lambda: Q.rules_hits(cur))

    def measures_available(self, cur) -> list[dict]:
        return self.cached("measures", lambda: Q.measures_available(cur))

    # -------------------------------------------------------------- compare
    def _cmp(self) -> str:
        def make():
            cur = self.cursor()
            cur.execute(
                "CREATE OR REPLACE TABLE memory.main.cmp AS "
                "SELECT m.measure, m.phase, m.value, m.doc_id, m.table_id, m.\"row\", m.\"column\", m.line, m.page, "
                "r.department_key, r.department, r.region, r.year, r.kind, r.scope "
                "FROM measures m JOIN reports r USING (doc_id) WHERE r.is_current "
                "ORDER BY m.measure, r.department_key, r.region, r.year"
            )
            return "memory.main.cmp"

        return self.cached("cmp", make)

    def compare(self, cur, measure: str, *, phase=None, kind=None, scope=None, region=None, departments=None, years=None,
                limit: int = 50, offset: int = 0) -> dict:
        """Q.compare's result, read from the pre-joined `cmp` table."""
        from ..store.measures import label_of

        table = self._cmp()
        where, params = ["measure = ?"], [measure]
        for column, value in (("phase", phase), ("kind", kind), ("scope", scope), ("region", region)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if departments:
            marks = ",".join("?" * len(departments))
            where.append(f"(department_key IN ({marks}) OR department IN ({marks}))")
            params += list(departments) * 2
        if years:
            where.append(f"year IN ({','.join('?' * len(years))})")
            params += [int(y) for y in years]
        sql_where = " AND ".join(where)
        total = cur.execute(f"SELECT count(*) FROM (SELECT DISTINCT department_key, region FROM {table} WHERE {sql_where})", params).fetchone()[0]
        limit, offset = max(0, min(int(limit), 1000)), max(0, int(offset))
        cells = Q._all(
            cur,
            f"WITH page AS (SELECT DISTINCT department_key, region FROM {table} WHERE {sql_where} ORDER BY 1, 2 LIMIT {limit} OFFSET {offset}) "
            f"SELECT c.department_key, c.department, c.region, c.year, c.kind, c.scope, c.phase, c.value, c.doc_id, c.table_id, c.\"row\", c.\"column\", "
            f"c.line, c.page, c.doc_id AS sha256 FROM {table} c JOIN page USING (department_key, region) WHERE {sql_where.replace('measure', 'c.measure')} "
            f"ORDER BY c.department_key, c.region, c.year",
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

    def department_measures(self, cur, department: str, *, kind=None, phase=None) -> dict:
        """Q.department_measures's result, read from `cmp`."""
        from ..store.measures import label_of

        table = self._cmp()
        where, params = ["(department_key = ? OR department = ?)"], [department, department]
        for column, value in (("kind", kind), ("phase", phase)):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        cells = Q._all(cur, f"SELECT measure, phase, value, doc_id, table_id, \"row\", \"column\", line, page, year, kind, department "
                            f"FROM {table} WHERE {' AND '.join(where)} ORDER BY measure, year, phase", params)
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

    def department_kinds(self, cur, department: str) -> list[str]:
        table = self._cmp()
        return [r[0] for r in cur.execute(
            f"SELECT kind FROM {table} WHERE (department_key = ? OR department = ?) AND kind IS NOT NULL GROUP BY kind ORDER BY count(*) DESC, kind",
            [department, department]).fetchall()]

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
            cur.execute(
                f"CREATE OR REPLACE TABLE memory.main.cov AS WITH e AS ({expected}), "
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
            return ("memory.main.cov", "list" if loaded else "implied")

        return self.cached("cov", make)

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


def _changes(row: dict) -> None:
    ys = sorted(int(y) for y in row["cells"] if y != "None")
    for prev, cur in zip(ys, ys[1:]):
        a, b = row["cells"][str(prev)]["value"], row["cells"][str(cur)]["value"]
        if cur == prev + 1 and a is not None and b is not None:
            row["change"][str(cur)] = Q._plain(Decimal(b) - Decimal(a))
