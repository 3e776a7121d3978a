"""Checks across reports on hand-made pairs (role-based measures, as any template yields them)."""

from __future__ import annotations

from decimal import Decimal as D

from gongkai.checks.cross_report import CROSS_REGISTRY, CrossContext, Side
from gongkai.store.names import department_key, match, region_of


def side(kind, year, scope="部门", measures=None, claims=None, name="上海市普陀区人民政府万里街道办事处", unit_count=None):
    s = Side(f"doc{kind}{year}{scope}", f"rep{kind}{year}{scope}", name, region_of(name), year, kind, scope, None, f"{year}{kind}.pdf", unit_count=unit_count)
    for (m, ph), v in (measures or {}).items():
        s.measures[(m, ph)] = {"measure": m, "phase": ph, "value": D(v), "table_id": "T", "row": m, "column": ph, "line": None, "page": 3}
    s.claims = claims or []
    return s


def run(rule_id, a, b):
    ctx = CrossContext(CROSS_REGISTRY[rule_id], "test")
    CROSS_REGISTRY[rule_id].func(ctx, a, b)
    return ctx.findings


def change(value, implied, direction=1, raw=None):
    return {"claim_kind": "change", "value": D(value), "implied_prior": D(implied), "direction": direction, "unit": "万元",
            "raw": raw or f"{value}万元", "phrase": f"比上年预算增加{value}万元", "subject": "", "line": None, "page": 5}


def test_change_claim_against_last_years_measure():
    earlier = side("预算", 2024, measures={("expenditure_total", "预算"): "15621.1123"})
    later = side("预算", 2025, measures={("expenditure_total", "预算"): "18976.7551"})
    ok = [change("3355.65", "15621.11")]
    later.claims = ok
    assert run("R02", later, earlier) == []
    later.claims = [change("3255.65", "15721.11")]  # misstated change: implies 100 more last year
    found = run("R02", later, earlier)
    assert len(found) == 1 and found[0].severity.value == "error"
    assert "15621.11" in found[0].message and found[0].there_at["page"] == 3


def test_prior_year_columns():
    earlier = side("预算", 2024, measures={("three_public", "预算"): "47.91"})
    later = side("预算", 2025, measures={("three_public", "上年"): "47.91", ("three_public", "预算"): "37.91"})
    assert run("R01", later, earlier) == []
    later.measures[("three_public", "上年")]["value"] = D("57.91")
    found = run("R01", later, earlier)
    assert len(found) == 1 and found[0].expected == "47.91" and found[0].actual == "57.91"


def test_final_against_budget():
    budget = side("预算", 2024, measures={("three_public", "预算"): "5.00", ("three_public:reception", "预算"): "1.00"})
    final = side("决算", 2024, measures={("three_public", "预算"): "5.00", ("three_public:reception", "预算"): "1.00", ("three_public", "决算"): "4.12"})
    assert run("R03", final, budget) == []
    final.measures[("three_public:reception", "预算")]["value"] = D("1.50")
    found = run("R03", final, budget)
    assert [f.key for f in found] == ["three_public:reception"] and found[0].severity.value == "warning"


def test_department_and_units():
    dept = side("决算", 2024, measures={("expenditure_total", "决算"): "100.00"}, unit_count=1)
    unit = side("决算", 2024, scope="单位", measures={("expenditure_total", "决算"): "100.00"})
    assert run("R05", dept, unit) == [] and run("R06", dept, unit) == []
    unit.measures[("expenditure_total", "决算")]["value"] = D("120.00")
    assert len(run("R05", dept, unit)) == 1 and len(run("R06", dept, unit)) == 1
    # several units: the department is their sum
    dept = side("决算", 2024, measures={("expenditure_total", "决算"): "100.00"}, unit_count=2)
    u1 = side("决算", 2024, scope="单位", measures={("expenditure_total", "决算"): "60.00"})
    u2 = side("决算", 2024, scope="单位", measures={("expenditure_total", "决算"): "40.00"})
    assert run("R07", dept, [u1, u2]) == []
    u2.measures[("expenditure_total", "决算")]["value"] = D("45.00")
    assert len(run("R07", dept, [u1, u2])) == 1
    assert run("R06", dept, u1) == []  # not a one-unit department


def test_department_names_match_across_spellings():
    assert department_key("上海市普陀区人民政府办公室") == department_key("普陀区政府办公室") == "政府办"
    assert department_key("上海市普陀区人民政府万里街道办事处") == "万里街道"
    why = match("上海市普陀区人民政府办公室", "上海市普陀区", "普陀区政府办公室", "普陀区")
    assert why and "政府办" in why
    assert match("上海市普陀区财政局", "上海市普陀区", "上海市静安区财政局", "上海市静安区") is None
    assert match("示例市数据局", "示例市", "示例市大数据中心", "示例市") is None
    assert "别名" in match("示例市数据局", "示例市", "示例市大数据中心", "示例市", {"大数据中心": "数据局"})


def test_aliases_pair_a_renamed_department(tmp_path):
    """A department renamed between two years is paired once an alias says so."""
    from gongkai.store.crosscheck import run_cross_checks
    from gongkai.store.ingest import ingest, load_aliases, open_store
    from gongkai.synth import Spec, random_amounts, render
    import random

    rng = random.Random(1)
    a = random_amounts(rng)
    old = Spec("示例市南湖区数据管理局", 2023, "部门", "150", "150001", a)
    new = Spec("示例市南湖区数据资源局", 2024, "部门", "150", "150001", a, prior_total=a.total + D("10.00"))  # misquoted prior year
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.txt").write_text(render(old), encoding="utf-8")
    (tmp_path / "r" / "b.txt").write_text(render(new), encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    ingest([str(tmp_path / "r")], db, jobs=1)
    con = open_store(db)
    assert con.execute("SELECT count(*) FROM findings WHERE rule = 'R02'").fetchone()[0] == 0  # not paired yet
    con.close()
    (tmp_path / "aliases.csv").write_text("alias,canonical,reason\n示例市南湖区数据管理局,示例市南湖区数据资源局,2024年更名\n", encoding="utf-8")
    assert load_aliases(db, str(tmp_path / "aliases.csv")) == 1
    con = open_store(db)
    run_cross_checks(con)
    found = con.execute("SELECT match FROM findings WHERE rule = 'R02'").fetchall()
    con.close()
    assert found and all("别名" in m for (m,) in found)
