"""The corpus's real pairs: a department's 预算 for two consecutive years, and a 部门预算
with its 单位预算 of the same year. Consistent pairs get no error across reports."""

from __future__ import annotations

import duckdb
import pytest

from gongkai.store.ingest import ingest
from tests.support import corpus_file

PAIRS = [
    ("shanghai_putuo_wanli_street_2024_dept_budget.pdf", "shanghai_putuo_wanli_street_2025_dept_budget.pdf", "consecutive"),
    ("shanghai_putuo_gov_office_2025_dept_budget.pdf", "shanghai_putuo_gov_office_2025_unit_budget.pdf", "dept_unit"),
]


@pytest.mark.parametrize("first,second,pairing", PAIRS)
def test_real_pair_is_matched_and_consistent(tmp_path, first, second, pairing):
    files = [str(corpus_file("pdf", first)), str(corpus_file("pdf", second))]
    db = str(tmp_path / "s.duckdb")
    stats = ingest(files, db, jobs=2)
    if stats.stored < 2:
        pytest.skip("this template is not read yet (its profile is not on this branch)")
    con = duckdb.connect(db, read_only=True)
    keys = con.execute("SELECT DISTINCT region, department_key FROM reports").fetchall()
    assert len(keys) == 1  # both reports are the same department
    errors = con.execute("SELECT rule, message FROM findings WHERE category = 'cross_report' AND severity = 'error'").fetchall()
    assert errors == []
    measures = con.execute("SELECT count(DISTINCT measure) FROM measures").fetchone()[0]
    assert measures >= 5
