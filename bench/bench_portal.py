"""Portal speed at scale: p95 of each page and API call over a store of N reports.

    python bench/bench_portal.py                      # 100,000 reports (built once, kept)
    python bench/bench_portal.py --reports 20000      # a smaller store
    python bench/bench_portal.py --db /tmp/p.duckdb --rebuild --repeat 30

The store is filled directly in DuckDB with the shapes ingest writes (reports with
versions, tables, facts, measures, findings, forms, indicators, claims, triage), not by
parsing N files: ingest speed is bench/bench_ingest's concern. Requests go through the
whole app (routing, queries, templates) in process with FastAPI's TestClient; each URL
is requested once to warm up, then --repeat times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REGIONS = 20
YEARS = (2019, 2020, 2021, 2022, 2023)
TABLES = 9  # 公开01–09
ROWS_PER_TABLE = 8
COLUMNS_PER_ROW = 2  # → 144 facts per report
FINDINGS = 5
CLAIMS = 10
INDICATORS = 6
RULES = ["A01", "A02", "A03", "B01", "B02", "C01", "C02", "D01", "N01", "N02", "N03", "F01", "F02", "R01", "R02"]
MEASURES = ["income_total", "expenditure_total", "basic", "project", "personnel", "public", "three_public", "three_public:outbound",
            "three_public:vehicle_purchase", "three_public:vehicle_operation", "three_public:reception", "running_costs", "procurement",
            "vehicles", "function:201", "function:205", "function:208", "function:210", "function:213", "function:221"]


def build(db: str, n: int) -> None:
    import duckdb

    from gongkai.store.schema import INDEXES, TABLES as SCHEMA, create_all

    if os.path.exists(db):
        os.remove(db)
    con = duckdb.connect(db)
    con.execute("SET preserve_insertion_order = true")
    con.execute("SET enable_progress_bar = false")
    con.execute("SET memory_limit = '4GB'")
    # the tables without their indexes, filled, then indexed (as a long ingest would end up)
    for name, cols in SCHEMA.items():
        con.execute(f'CREATE TABLE "{name}" ({", ".join(f"{chr(34)}{c}{chr(34)} {t}" for c, t in cols)})')
    kinds = "['预算', '决算']"
    t0 = time.perf_counter()
    depts = n // (len(YEARS) * 2)
    con.execute(f"""
        CREATE TEMP TABLE gen AS
        SELECT i, sha256('doc' || i) AS doc_id, i // 5000 AS blk, substr(md5('rep' || (i // 1)), 1, 16) AS report_id,
               i // {len(YEARS) * 2} AS dept, {YEARS[0]} + (i % {len(YEARS) * 2}) // 2 AS year, {kinds}[(i % 2) + 1] AS kind
        FROM range({depts * len(YEARS) * 2}) t(i)""")
    con.execute(f"""
        INSERT INTO reports BY NAME
        SELECT doc_id, report_id, 1 AS version, TRUE AS is_current, '示例部门' || dept AS department, '示例部门' || dept AS department_key,
               '示例区' || (dept % {REGIONS}) AS region, year, kind, '部门' AS scope, year || '年度' || kind || '公开' AS title,
               'national_final' AS profile, '全国部门决算公开模板' AS profile_name, 'r' || i || '.txt' AS source_name,
               '/nonexistent/r' || i || '.txt' AS source_path, 'text' AS format, 100000 AS size, 900 AS lines, 'text' AS reader,
               hash(i) % 4 AS errors, hash(i + 1) % 3 AS warnings, hash(i + 2) % 2 AS infos, 0 AS extraction_warnings,
               {TABLES} AS tables_found, '' AS tables_missing, 1 AS ingest_run, TIMESTAMP '2026-01-01 00:00:00' AS ingested_at
        FROM gen ORDER BY i""")
    # 1% of the reports have an older, superseded version
    con.execute("""
        INSERT INTO reports BY NAME
        SELECT r.* REPLACE (sha256('old' || g.i) AS doc_id, FALSE AS is_current, g.doc_id AS superseded_by, 'old' || g.i || '.txt' AS source_name,
                          '/nonexistent/old' || g.i || '.txt' AS source_path, r.errors + 1 AS errors, TIMESTAMP '2025-06-01 00:00:00' AS ingested_at)
        FROM reports r JOIN (SELECT i, doc_id FROM gen WHERE i % 100 = 7) g ON r.doc_id = g.doc_id""")
    con.execute("UPDATE reports SET version = 2 WHERE is_current AND report_id IN (SELECT report_id FROM reports WHERE NOT is_current)")
    # per-document rows in blocks of 5000 documents, each document's rows together and the
    # documents in no particular doc_id order: the layout ingest leaves
    blocks = con.execute("SELECT max(blk) + 1 FROM gen").fetchone()[0]
    for blk in range(blocks):
        con.execute(f"CREATE OR REPLACE TEMP VIEW gen_blk AS SELECT * FROM gen WHERE blk = {blk}")
        con.execute(f"""
            INSERT INTO tables BY NAME
            SELECT g.doc_id, '公开' || lpad((t + 1)::VARCHAR, 2, '0') AS table_id, t AS ord, 'role' || t AS role, '表' || (t + 1) AS title,
                   '公开' || lpad((t + 1)::VARCHAR, 2, '0') || '表' AS label, 'standard' AS layout, '万元' AS unit, {ROWS_PER_TABLE} AS n_rows,
                   {COLUMNS_PER_ROW} AS n_columns, '[{{"id":"c0","label":"合计","side":null}},{{"id":"c1","label":"基本支出","side":null}}]' AS columns_json,
                   TRUE AS has_data, 40 + t * 30 AS line, 60 + t * 30 AS end_line
            FROM gen_blk g, range({TABLES}) x(t) ORDER BY g.i, t""")
        con.execute(f"""
            INSERT INTO facts BY NAME
            SELECT g.doc_id, g.report_id, '示例区' || (g.dept % {REGIONS}) AS region, g.year, g.kind, '部门' AS scope, '示例部门' || g.dept AS department,
                   '公开' || lpad((t + 1)::VARCHAR, 2, '0') AS table_id, 'role' || t AS table_role, '表' || (t + 1) AS "table", r AS row_ord,
                   'row' || r AS row_key, (201 + r)::VARCHAR || '01' AS code, 'functional' AS code_system, (201 + r)::VARCHAR AS class_code,
                   (201 + r)::VARCHAR || '01' AS kuan_code, 2 AS level, '项目' || r AS item, FALSE AS is_total, r AS line_no,
                   'c' || c AS column_id, CASE c WHEN 0 THEN '合计' ELSE '基本支出' END AS "column", g.kind AS phase, '支出' AS direction,
                   ((hash(g.i * 131 + t * 17 + r * 3 + c) % 10000000) / 100.0)::DECIMAL(38,6) AS value, '万元' AS unit, 41 + t * 30 + r AS line,
                   'national_final' AS profile, 'r' || g.i || '.txt' AS source
            FROM gen_blk g, range({TABLES}) a(t), range({ROWS_PER_TABLE}) b(r), range({COLUMNS_PER_ROW}) d(c) ORDER BY g.i, t, r, c""")
        con.execute(f"""
            INSERT INTO measures BY NAME
            SELECT g.doc_id, g.report_id, m.name AS measure, g.kind AS phase,
                   ((hash(g.dept * 7 + m.k) % 500000) / 100.0 * (1 + (g.year - 2019) * 0.05))::DECIMAL(38,6) AS value,
                   '公开0' || (1 + m.k % 9) AS table_id, '合计' AS "row", '合计' AS "column", 40 + m.k AS line
            FROM gen_blk g, (SELECT unnest({MEASURES!r}) AS name, generate_subscripts({MEASURES!r}, 1) AS k) m ORDER BY g.i, m.k""")
        rules = "[" + ", ".join(f"'{r}'" for r in RULES) + "]"
        con.execute(f"""
            INSERT INTO findings BY NAME
            SELECT substr(sha256('f' || g.i || '-' || k), 1, 16) AS finding_id, g.doc_id, g.report_id, {rules}[(1 + (hash(g.i + k) % {len(RULES)}))::BIGINT] AS rule,
                   ['error', 'warning', 'info'][(1 + (hash(g.i * 3 + k) % 3))::BIGINT] AS severity, 'arithmetic' AS category,
                   '第' || k || '项：合计不等于各项之和（示例）' AS message, '公开0' || (1 + k) AS table_id, '表' || (1 + k) AS table_title,
                   '合计' AS "row", '合计' AS "column", 45 + k AS line, '合计 100.00' AS excerpt, '100.00' AS expected, '99.00' AS actual,
                   '1.00' AS difference, '[]' AS related_json
            FROM gen_blk g, range({FINDINGS}) x(k) ORDER BY g.i, k""")
        con.execute(f"""
            INSERT INTO forms BY NAME
            SELECT substr(sha256('form' || g.i), 1, 16) AS form_id, g.doc_id, 0 AS ord, 'self_evaluation' AS form_kind, '项目支出绩效自评表' AS title,
                   '示例项目' || g.i AS project, '示例部门' || g.dept AS department, 100.0 AS budget, 95.0 AS executed, 95.0 AS rate, 92.0 AS score,
                   '优' AS grade, {INDICATORS} AS n_indicators, 700 AS line
            FROM gen_blk g ORDER BY g.i""")
        con.execute(f"""
            INSERT INTO indicators BY NAME
            SELECT substr(sha256('form' || g.i), 1, 16) AS form_id, g.doc_id, k AS ord, '产出指标' AS level1, '数量指标' AS level2, '指标' || k AS level3,
                   '≥10' AS target, '12' AS actual, 10.0 AS weight, 9.0 AS score, 710 + k AS line
            FROM gen_blk g, range({INDICATORS}) x(k) ORDER BY g.i, k""")
        con.execute(f"""
            INSERT INTO claims BY NAME
            SELECT g.doc_id, k AS ord, 'change' AS claim_kind, 12.5 AS value, '万元' AS unit, '增加12.5万元' AS raw, '支出' AS subject,
                   '比上年增加12.5万元' AS phrase, '情况说明' AS section, 1 AS direction, 100.0 AS implied_prior, 300 + k AS line
            FROM gen_blk g, range({CLAIMS}) x(k) ORDER BY g.i, k""")
    con.execute("""
        INSERT INTO triage BY NAME SELECT finding_id, ['确认', '误报', '备注'][(1 + (hash(finding_id) % 3))::BIGINT] AS status, '示例备注' AS note,
               'reviewer' AS "user", TIMESTAMP '2026-02-01 00:00:00' AS "at"
        FROM findings USING SAMPLE 2 PERCENT (system, 42)""")
    filled = time.perf_counter() - t0
    for stmt in INDEXES:
        con.execute(stmt)
    create_all(con)  # meta, and whatever indexes/columns the current schema adds
    con.execute("CHECKPOINT")
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ("reports", "facts", "measures", "findings", "claims", "indicators")}
    con.close()
    print(f"built {db} in {time.perf_counter() - t0:.0f} s (rows {filled:.0f} s): {counts}; {os.path.getsize(db) / 1e6:.0f} MB", file=sys.stderr)


def urls(db: str) -> list[tuple[str, str]]:
    import duckdb

    con = duckdb.connect(db, read_only=True)
    doc = con.execute("SELECT doc_id FROM reports WHERE is_current ORDER BY department_key, year DESC LIMIT 1 OFFSET (SELECT count(*) // 2 FROM reports)").fetchone()[0]
    dept = con.execute("SELECT department_key FROM reports WHERE doc_id = ?", [doc]).fetchone()[0]
    fid = con.execute("SELECT finding_id FROM findings WHERE doc_id = ? LIMIT 1", [doc]).fetchone()[0]
    # a second version: its page also compares its findings with the first version's
    later = con.execute("SELECT doc_id FROM reports WHERE is_current AND version = 2 ORDER BY doc_id LIMIT 1").fetchone()[0]
    con.close()
    return [
        ("overview", "/"),
        ("overview json", "/api/overview"),
        ("overview filtered", "/?region=示例区3&year=2021&kind=决算"),
        ("overview search", "/?q=示例部门123"),
        ("overview page 100", "/?page=100"),
        ("reports api", "/api/reports?year=2022&limit=50"),
        ("report page", f"/reports/{doc}"),
        ("report json", f"/api/reports/{doc}"),
        ("report page, second version", f"/reports/{later}"),
        ("report csv facts", f"/reports/{doc}?format=csv&list=facts"),
        ("finding page", f"/findings/{fid}"),
        ("compare", "/compare?measure=expenditure_total&kind=决算"),
        ("compare json", "/api/compare?measure=three_public&kind=预算&page=20"),
        ("compare department", f"/compare?department={dept}"),
        ("rules", "/rules"),
        ("rule drill-down", "/rules/A02"),
        ("rule drill-down json", "/api/rules/B01?severity=error&page=50"),
        ("coverage", "/coverage"),
        ("coverage missing page 5", "/coverage?status=missing&page=5"),
        ("coverage json", "/api/coverage?region=示例区5&year=2020"),
        ("source (missing file)", f"/reports/{doc}/source?line=10"),
        ("upload form", "/upload"),
        ("api docs", "/docs"),
    ]


def measure(db: str, repeat: int) -> list[tuple[str, str, float, float, int]]:
    from fastapi.testclient import TestClient

    from gongkai.web import create_app

    app = create_app(db)
    t = time.perf_counter()
    app.state.store.warm()  # what `gongkai serve` does before it listens
    print(f"warm-up (pre-aggregations): {time.perf_counter() - t:.1f} s", file=sys.stderr)
    client = TestClient(app)
    out = []
    for name, url in urls(db):
        r = client.get(url)
        if r.status_code != 200:
            raise SystemExit(f"{url}: HTTP {r.status_code}: {r.text[:300]}")
        times, cpu = [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        out.append((name, url, statistics.median(times), _p95(times), _p95(cpu), len(r.content)))
    return out


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * len(values))) - 1)]


def steadiness() -> float:
    """Median ÷ fastest of a fixed pure-Python loop: about 1 on a quiet machine."""
    runs = []
    for _ in range(15):
        t = time.perf_counter()
        sum(i * i for i in range(200_000))
        runs.append(time.perf_counter() - t)
    return statistics.median(runs) / min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--db", default=None, help="store to build/use (default: /tmp/gongkai-bench-portal-N.duckdb)")
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    db = args.db or os.path.join(os.environ.get("TMPDIR", "/tmp"), f"gongkai-bench-portal-{args.reports}.duckdb")
    if args.rebuild or not os.path.exists(db):
        build(db, args.reports)
    before = steadiness()
    results = measure(db, args.repeat)
    after = steadiness()
    print("| page / call | median ms | p95 ms | p95 CPU ms | bytes |\n|---|---:|---:|---:|---:|")
    for name, url, med, p95, cpu95, size in results:
        flag = "" if p95 < 200 else " ⚠"
        print(f"| {name} (`{url[:48]}`) | {med:.1f} | {p95:.1f}{flag} | {cpu95:.1f} | {size:,} |")
    worst = max(r[3] for r in results)
    print(f"\nworst p95: {worst:.1f} ms (wall), {max(r[4] for r in results):.1f} ms (CPU of the process) over {args.reports:,} reports, "
          f"{args.repeat} requests each; machine steadiness (median ÷ fastest of a fixed loop) {before:.2f} before, {after:.2f} after; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
