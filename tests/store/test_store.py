"""The corpus store: ingest, versions, failures, exports, checks across reports, triage, synth."""

from __future__ import annotations

import csv
import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from gongkai.store import query
from gongkai.store.crosscheck import run_cross_checks
from gongkai.store.export import export
from gongkai.store.ingest import ingest, open_store
from gongkai.synth import write_corpus


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """A consistent synthetic corpus (departments over years, with units) in a store."""
    root = tmp_path_factory.mktemp("clean")
    manifest = write_corpus(root / "reports", 36, seed=11, years=3, max_units=3)
    db = str(root / "store.duckdb")
    stats = ingest([str(root / "reports")], db, jobs=2)
    return root, db, manifest, stats


@pytest.fixture(scope="module")
def defective(tmp_path_factory):
    root = tmp_path_factory.mktemp("defective")
    manifest = write_corpus(root / "reports", 60, seed=5, years=3, max_units=3, defects=True, defect_rate=0.3)
    db = str(root / "store.duckdb")
    ingest([str(root / "reports")], db, jobs=2)
    return root, db, manifest


def _con(db):
    return duckdb.connect(db, read_only=True)


def test_ingest_stores_every_report_once_and_is_idempotent(clean):
    root, db, manifest, stats = clean
    assert stats.stored == len(manifest) and stats.failed == 0
    again = ingest([str(root / "reports")], db, jobs=1)
    assert again.stored == 0 and again.unchanged == len(manifest)
    con = _con(db)
    assert con.execute("SELECT count(*) FROM reports").fetchone()[0] == len(manifest)
    # every table cell once: facts per report equal the facts of a fresh flatten
    n = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    assert n == con.execute("SELECT count(DISTINCT (doc_id, table_id, row_ord, column_id)) FROM facts").fetchone()[0]


def test_synthetic_reports_check_clean(clean):
    """No injected defects: no error or warning in any report, none across reports."""
    _, db, manifest, _ = clean
    con = _con(db)
    bad = con.execute("SELECT source_name, rule, message FROM findings f JOIN reports r USING (doc_id) WHERE f.severity != 'info'").fetchall()
    assert bad == []
    scopes = {s for (s,) in con.execute("SELECT DISTINCT scope FROM reports").fetchall()}
    assert scopes == {"部门", "单位"}
    years = con.execute("SELECT max(n) FROM (SELECT count(DISTINCT year) AS n FROM reports GROUP BY department_key, region)").fetchone()[0]
    assert years >= 2


def test_cross_report_pairs_are_found_on_consistent_corpus(clean):
    _, db, _, _ = clean
    con = open_store(db)
    try:
        summary = run_cross_checks(con)
    finally:
        con.close()
    assert summary["pairs"] > 20 and summary["findings"] == 0


def test_cross_report_finds_every_injected_defect(defective):
    root, db, manifest = defective
    con = _con(db)
    hits = {}
    for name, rule in con.execute("SELECT r.source_name, f.rule FROM findings f JOIN reports r USING (doc_id) WHERE f.severity = 'error'").fetchall():
        hits.setdefault(name, set()).add(rule)
    planted = [m for m in manifest if m["defects"]]
    assert planted
    for m in planted:
        name = Path(m["file"]).name
        if "prior_year" in m["defects"]:
            assert "R02" in hits.get(name, set()), m
        if "unit_exceeds" in m["defects"]:
            dept = name.rsplit("_", 1)[0] + "_dept.txt"
            assert {"R05"} & hits.get(dept, set()), m
        if "three_public_item" in m["defects"]:
            assert "A01" in hits.get(name, set()), m
        if "share" in m["defects"]:
            assert "N02" in hits.get(name, set()), m
        if "form_rate" in m["defects"]:
            assert "F01" in hits.get(name, set()), m
    clean_files = {Path(m["file"]).name for m in manifest if not m["defects"]}
    # a report with no defect gets no error of its own (cross findings sit on the later / 部门 report)
    for name in clean_files:
        own = hits.get(name, set()) - {"R02", "R05", "R06", "R07"}
        assert not own, (name, own)


def test_cross_findings_point_into_both_documents(defective):
    _, db, _ = defective
    con = _con(db)
    rows = query._all(con, "SELECT * FROM findings WHERE category = 'cross_report' AND rule = 'R02' LIMIT 3")
    assert rows
    for r in rows:
        assert r["doc_id"] != r["other_doc_id"] and r["other_doc_id"]
        assert r["line"] and r["other_line"] and r["other_table_id"]
        assert "部门名称" in r["match"] or "别名" in r["match"]


def test_failures_are_recorded_and_do_not_stop_the_batch(tmp_path):
    good = tmp_path / "in" / "good.txt"
    good.parent.mkdir()
    good.write_text(Path(__file__).parents[2].joinpath("gongkai/examples/example_final_2024.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "in" / "junk.txt").write_text("这不是一份预决算报告。\n", encoding="utf-8")
    (tmp_path / "in" / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    db = str(tmp_path / "s.duckdb")
    stats = ingest([str(tmp_path / "in")], db, jobs=2)
    assert stats.stored == 1 and stats.failed == 2
    con = _con(db)
    reasons = dict(con.execute("SELECT path, reason FROM failures").fetchall())
    assert len(reasons) == 2 and all(reasons.values())


def _version(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_new_version_supersedes_and_triage_survives(tmp_path):
    example = Path(__file__).parents[2] / "gongkai" / "examples" / "example_final_2024.txt"
    text = example.read_text(encoding="utf-8")
    (tmp_path / "v1").mkdir()
    (tmp_path / "v1" / "r.txt").write_text(text, encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    ingest([str(tmp_path / "v1")], db, jobs=1)
    con = open_store(db)
    findings_v1 = {r[0]: r[1] for r in con.execute("SELECT finding_id, rule FROM findings").fetchall()}
    kept = next(fid for fid, rule in findings_v1.items() if rule == "F01")
    from gongkai.store.triage import set_triage

    set_triage(con, kept, "确认", "审核员甲", "执行率应按实际计算")
    con.close()
    # v2: the 三公 defect (接待费 0.62) is fixed, the rest is unchanged
    v2 = _version(text, "1.00\t4.12\t\t3.60\t\t3.60\t0.62", "1.00\t4.12\t\t3.60\t\t3.60\t0.52")
    (tmp_path / "v2").mkdir()
    (tmp_path / "v2" / "r.txt").write_text(v2, encoding="utf-8")
    stats = ingest([str(tmp_path / "v2")], db, jobs=1)
    assert stats.stored == 1 and stats.superseded == 1
    con = _con(db)
    versions = con.execute("SELECT version, is_current, superseded_by IS NOT NULL FROM reports ORDER BY version").fetchall()
    assert versions == [(1, False, True), (2, True, False)]
    rid = con.execute("SELECT report_id FROM reports LIMIT 1").fetchone()[0]
    diff = query.recheck(con, rid)
    assert {f["rule"] for f in diff["fixed"]} >= {"A01"} and not diff["new"]
    survived = next(f for f in diff["kept"] if f["finding_id"] == kept)
    assert survived["triage"]["status"] == "确认" and survived["triage"]["user"] == "审核员甲"
    # the history is kept: the old version's findings are still there
    assert con.execute("SELECT count(*) FROM findings f JOIN reports r USING (doc_id) WHERE NOT r.is_current").fetchone()[0] == len(findings_v1)


def test_exports_read_back(clean, tmp_path):
    _, db, manifest, _ = clean
    con = open_store(db)
    con.execute("INSERT OR REPLACE INTO aliases VALUES ('=HYPERLINK(\"x\")', '数据管理局', '+test')")
    con.close()
    con = _con(db)
    n_facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    total = con.execute("SELECT sum(value) FROM facts").fetchone()[0]
    export(con, "parquet", str(tmp_path / "pq"))
    import pyarrow.dataset as ds

    facts = ds.dataset(str(tmp_path / "pq" / "facts"), format="parquet", partitioning="hive")
    assert facts.count_rows() == n_facts
    parts = {p.name for p in (tmp_path / "pq" / "facts").iterdir()}
    assert len(parts) >= 2 and all(p.startswith("year_part=") for p in parts)
    assert any(d.name.startswith("region_part=") for p in (tmp_path / "pq" / "facts").iterdir() for d in p.iterdir())
    back = duckdb.connect().execute(f"SELECT sum(value) FROM read_parquet('{tmp_path}/pq/facts/**/*.parquet', hive_partitioning=true)").fetchone()[0]
    assert Decimal(back) == total
    export(con, "sqlite", str(tmp_path / "s.sqlite"))
    s = sqlite3.connect(tmp_path / "s.sqlite")
    assert s.execute("SELECT count(*) FROM facts").fetchone()[0] == n_facts
    assert s.execute("SELECT typeof(value) FROM facts LIMIT 1").fetchone()[0] in ("real", "integer")
    assert s.execute("SELECT typeof(year) FROM reports LIMIT 1").fetchone()[0] == "integer"
    export(con, "csv", str(tmp_path / "csv"))
    with open(tmp_path / "csv" / "aliases.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["alias"].startswith("'=") and rows[0]["reason"].startswith("'+")
    export(con, "xlsx", str(tmp_path / "x.xlsx"))
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "x.xlsx")
    assert "reports" in wb.sheetnames and "facts" in wb.sheetnames
    alias_cell = wb["aliases"].cell(2, 1)
    assert alias_cell.data_type == "s" and alias_cell.quotePrefix  # text, never a formula


def test_query_api_over_the_store(clean):
    _, db, manifest, _ = clean
    con = query.connect(db)
    ov = query.overview(con)
    assert ov["reports"] == len(manifest)
    page = query.list_reports(con, scope="部门", limit=5)
    assert page["total"] > 5 and len(page["items"]) == 5
    rep = query.get_report(con, page["items"][0]["doc_id"])
    assert rep["versions"] and query.report_tables(con, rep["doc_id"])
    grid = query.table_grid(con, rep["doc_id"], "公开03")
    assert grid["rows"] and grid["columns"]
    cmp = query.compare(con, "expenditure_total", scope="部门")
    assert cmp["rows"] and any(r["change"] for r in cmp["rows"])
    assert query.coverage(con)["items"]
    assert query.search(con, "数据")["reports"]
    json.dumps(ov, ensure_ascii=False)  # plain data


def test_triage_cli_is_read_only_without_write(clean, tmp_path):
    from click.testing import CliRunner

    from gongkai.cli import main

    _, db, _, _ = clean
    runner = CliRunner()
    res = runner.invoke(main, ["triage", "set", "x", "--db", db, "--status", "确认"])
    assert res.exit_code == 2 and "read-only" in res.output
    res = runner.invoke(main, ["triage", "set", "x", "--db", db, "--status", "确认", "--write"])
    assert res.exit_code == 2 and "--user" in res.output
    res = runner.invoke(main, ["triage", "sheet", "--db", db, "-o", str(tmp_path / "检查表.xlsx")])
    assert res.exit_code == 0 and (tmp_path / "检查表.xlsx").exists()
    res = runner.invoke(main, ["triage", "notice", "--db", db, "--department", "数据管理局", "-o", str(tmp_path / "n.docx")])
    assert res.exit_code == 0
    from docx import Document

    assert "整改通知" in Document(str(tmp_path / "n.docx")).paragraphs[0].text
    res = runner.invoke(main, ["export", "--db", str(tmp_path / "missing.duckdb"), "--format", "csv"])
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_check_db_runs_the_checks_across_reports(defective):
    from click.testing import CliRunner

    from gongkai.cli import main

    _, db, _ = defective
    res = CliRunner().invoke(main, ["check", "--db", db, "--rules", "R02", "--format", "json"])
    assert res.exit_code == 1
    data = json.loads(res.output)
    assert data["findings"] and {f["rule"] for f in data["findings"]} == {"R02"}
    assert all(f["other_doc_id"] and f["match"] for f in data["findings"])
