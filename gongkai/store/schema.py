"""The corpus store's schema (DuckDB). docs/store.md documents it as a public contract:
columns are added, never renamed or removed.

Identifiers:
- `doc_id`     the SHA-256 of a version's bytes (content hash): one row per ingested version;
- `report_id`  stable across versions: a hash of region, normalised department, year, kind and scope;
- `finding_id` stable across re-checks: a hash of the report, rule, place and values (see ids.py).
"""

from __future__ import annotations

SCHEMA_VERSION = 2

MONEY = "DECIMAL(38,6)"  # 万元 (exact; forms printed in 元 are converted exactly)

TABLES: dict[str, list[tuple[str, str]]] = {
    "reports": [
        ("doc_id", "VARCHAR PRIMARY KEY"),
        ("report_id", "VARCHAR NOT NULL"),
        ("version", "INTEGER NOT NULL"),
        ("is_current", "BOOLEAN NOT NULL"),
        ("superseded_by", "VARCHAR"),
        ("department", "VARCHAR"),
        ("department_key", "VARCHAR"),
        ("region", "VARCHAR"),
        ("unit_code", "VARCHAR"),
        ("year", "INTEGER"),
        ("kind", "VARCHAR"),
        ("scope", "VARCHAR"),
        ("title", "VARCHAR"),
        ("profile", "VARCHAR"),
        ("profile_name", "VARCHAR"),
        ("source_name", "VARCHAR"),
        ("source_path", "VARCHAR"),
        ("format", "VARCHAR"),
        ("size", "BIGINT"),
        ("pages", "INTEGER"),
        ("lines", "INTEGER"),
        ("reader", "VARCHAR"),
        ("errors", "INTEGER"),
        ("warnings", "INTEGER"),
        ("infos", "INTEGER"),
        ("extraction_warnings", "INTEGER"),
        ("tables_found", "INTEGER"),
        ("tables_missing", "VARCHAR"),
        ("published", "DATE"),
        ("unit_count", "INTEGER"),  # units the department says it has (情况说明), when stated
        ("ingest_run", "INTEGER"),
        ("ingested_at", "TIMESTAMP"),
        ("doc_seq", "BIGINT"),  # ingest order: a compact key whose zone maps make per-report lookups fast
    ],
    "failures": [
        ("path", "VARCHAR PRIMARY KEY"),
        ("sha256", "VARCHAR"),
        ("stage", "VARCHAR"),  # read | parse | check | store | timeout | crash
        ("reason", "VARCHAR"),
        ("ingest_run", "INTEGER"),
        ("failed_at", "TIMESTAMP"),
    ],
    "tables": [
        ("doc_id", "VARCHAR NOT NULL"),
        ("table_id", "VARCHAR NOT NULL"),
        ("ord", "INTEGER"),
        ("role", "VARCHAR"),
        ("title", "VARCHAR"),
        ("label", "VARCHAR"),
        ("layout", "VARCHAR"),
        ("codes", "VARCHAR"),
        ("unit", "VARCHAR"),
        ("n_rows", "INTEGER"),
        ("n_columns", "INTEGER"),
        ("columns_json", "VARCHAR"),  # [{"id","label","side"}] in print order
        ("has_data", "BOOLEAN"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),
        ("end_line", "INTEGER"),
        ("end_page", "INTEGER"),
        ("doc_seq", "BIGINT"),
    ],
    "facts": [
        ("doc_id", "VARCHAR NOT NULL"),
        ("report_id", "VARCHAR NOT NULL"),
        ("region", "VARCHAR"),
        ("year", "INTEGER"),
        ("kind", "VARCHAR"),
        ("scope", "VARCHAR"),
        ("department", "VARCHAR"),
        ("table_id", "VARCHAR"),
        ("table_role", "VARCHAR"),
        ("table", "VARCHAR"),
        ("row_ord", "INTEGER"),
        ("row_key", "VARCHAR"),
        ("row_role", "VARCHAR"),
        ("code", "VARCHAR"),
        ("code_system", "VARCHAR"),  # functional | economic | revenue
        ("class_code", "VARCHAR"),  # 类 (3 digits; economic: 3)
        ("kuan_code", "VARCHAR"),  # 款 (5)
        ("xiang_code", "VARCHAR"),  # 项 (7)
        ("level", "INTEGER"),
        ("item", "VARCHAR"),
        ("is_total", "BOOLEAN"),
        ("side", "VARCHAR"),
        ("line_no", "INTEGER"),
        ("column_id", "VARCHAR"),
        ("column", "VARCHAR"),
        ("phase", "VARCHAR"),  # 预算 | 决算 | 上年
        ("fund", "VARCHAR"),  # 一般公共预算 | 政府性基金预算 | 国有资本经营预算 | 财政拨款 | … | NULL
        ("direction", "VARCHAR"),  # 收入 | 支出 | NULL
        ("value", MONEY),
        ("unit", "VARCHAR"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),
        ("profile", "VARCHAR"),
        ("source", "VARCHAR"),
        ("doc_seq", "BIGINT"),
    ],
    "measures": [
        ("doc_id", "VARCHAR NOT NULL"),
        ("report_id", "VARCHAR NOT NULL"),
        ("measure", "VARCHAR NOT NULL"),  # see gongkai/store/measures.py
        ("phase", "VARCHAR NOT NULL"),
        ("value", MONEY),
        ("table_id", "VARCHAR"),
        ("row", "VARCHAR"),
        ("column", "VARCHAR"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),
        ("doc_seq", "BIGINT"),
    ],
    "findings": [
        ("finding_id", "VARCHAR NOT NULL"),
        ("doc_id", "VARCHAR NOT NULL"),
        ("report_id", "VARCHAR NOT NULL"),
        ("rule", "VARCHAR NOT NULL"),
        ("severity", "VARCHAR NOT NULL"),
        ("category", "VARCHAR"),
        ("message", "VARCHAR"),
        ("table_id", "VARCHAR"),
        ("table_title", "VARCHAR"),
        ("row", "VARCHAR"),
        ("code", "VARCHAR"),
        ("column", "VARCHAR"),
        ("section", "VARCHAR"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),
        ("excerpt", "VARCHAR"),
        ("expected", "VARCHAR"),
        ("actual", "VARCHAR"),
        ("difference", "VARCHAR"),
        ("note", "VARCHAR"),
        ("related_json", "VARCHAR"),
        # checks across reports: the other document and how the two were matched
        ("other_doc_id", "VARCHAR"),
        ("other_report_id", "VARCHAR"),
        ("other_table_id", "VARCHAR"),
        ("other_row", "VARCHAR"),
        ("other_column", "VARCHAR"),
        ("other_line", "INTEGER"),
        ("other_page", "INTEGER"),
        ("match", "VARCHAR"),
        ("bbox", "VARCHAR"),  # JSON [x0, top, x1, bottom] in PDF points on `page`, when known
        ("doc_seq", "BIGINT"),
    ],
    "forms": [
        ("form_id", "VARCHAR NOT NULL"),
        ("doc_id", "VARCHAR NOT NULL"),
        ("ord", "INTEGER"),
        ("form_kind", "VARCHAR"),  # self_evaluation | transfer_payment | target | overall_target
        ("title", "VARCHAR"),
        ("project", "VARCHAR"),
        ("department", "VARCHAR"),
        ("unit", "VARCHAR"),
        ("budget", MONEY),  # 全年预算数 (self-evaluation) / 年度资金总额 (target) / 合计 (overall)
        ("executed", MONEY),
        ("rate", MONEY),
        ("score", MONEY),
        ("grade", "VARCHAR"),
        ("n_indicators", "INTEGER"),
        ("problems", "VARCHAR"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),
        ("doc_seq", "BIGINT"),
    ],
    "indicators": [
        ("form_id", "VARCHAR NOT NULL"),
        ("doc_id", "VARCHAR NOT NULL"),
        ("ord", "INTEGER"),
        ("level1", "VARCHAR"),
        ("level2", "VARCHAR"),
        ("level3", "VARCHAR"),
        ("target", "VARCHAR"),
        ("adjusted_target", "VARCHAR"),
        ("actual", "VARCHAR"),
        ("weight", MONEY),
        ("score", MONEY),
        ("period", "VARCHAR"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),
        ("doc_seq", "BIGINT"),
    ],
    "claims": [
        ("doc_id", "VARCHAR NOT NULL"),
        ("ord", "INTEGER"),
        ("claim_kind", "VARCHAR"),  # amount | budget | actual | change | change_pct | share | completion | count
        ("value", MONEY),
        ("unit", "VARCHAR"),
        ("raw", "VARCHAR"),
        ("subject", "VARCHAR"),
        ("phrase", "VARCHAR"),
        ("section", "VARCHAR"),
        ("direction", "INTEGER"),
        ("implied_prior", MONEY),  # change claims: the prior-year amount the sentence implies
        ("table_id", "VARCHAR"),  # the table cell the claim speaks about, when resolved
        ("table_role", "VARCHAR"),
        ("row", "VARCHAR"),
        ("column_id", "VARCHAR"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),
        ("doc_seq", "BIGINT"),
    ],
    "triage": [  # append-only log; the latest row per finding is its state
        ("finding_id", "VARCHAR NOT NULL"),
        ("status", "VARCHAR NOT NULL"),  # 确认 | 误报 | 备注
        ("note", "VARCHAR"),
        ("user", "VARCHAR NOT NULL"),
        ("at", "TIMESTAMP NOT NULL"),
    ],
    "aliases": [  # department names the user declares equal (renamings, abbreviations)
        ("alias", "VARCHAR PRIMARY KEY"),
        ("canonical", "VARCHAR NOT NULL"),
        ("reason", "VARCHAR"),
    ],
    "expected_reports": [  # the reports that should exist (coverage), loaded by the user
        ("region", "VARCHAR"),
        ("department", "VARCHAR NOT NULL"),
        ("scope", "VARCHAR"),
        ("year", "INTEGER NOT NULL"),
        ("kind", "VARCHAR NOT NULL"),
        ("published", "DATE"),
    ],
    "meta": [
        ("key", "VARCHAR PRIMARY KEY"),
        ("value", "VARCHAR"),
    ],
}

# No ART indexes: DuckDB does not use them for these lookups and they slow ingest. Rows
# are appended in ingest order, so `doc_seq` (increasing) is pruned by zone maps.
INDEXES = [
    "DROP INDEX IF EXISTS reports_report",
    "DROP INDEX IF EXISTS facts_doc",
    "DROP INDEX IF EXISTS findings_doc",
    "DROP INDEX IF EXISTS findings_id",
    "DROP INDEX IF EXISTS measures_doc",
]

# Per-document tables (deleted with their document).
DOC_TABLES = ("tables", "facts", "measures", "findings", "forms", "indicators", "claims")


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table]]


def row_columns(table: str) -> list[str]:
    """The columns of the rows a worker produces (the parent adds doc_seq)."""
    return [name for name, _ in TABLES[table] if name != "doc_seq"]


def create_all(con) -> None:
    for name, cols in TABLES.items():
        body = ", ".join(f'"{c}" {t}' for c, t in cols)
        con.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({body})')
    # columns added by a newer gongkai (the facts may grow fields): add what is missing
    for name, cols in TABLES.items():
        have = {r[0] for r in con.execute(f"SELECT column_name FROM information_schema.columns WHERE table_name = '{name}'").fetchall()}
        for c, t in cols:
            if c not in have:
                con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{c}" {t.replace(" PRIMARY KEY", "").replace(" NOT NULL", "")}')
    for stmt in INDEXES:
        con.execute(stmt)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
