"""The expected-reports list: loaded from a CSV (UTF-8 or GBK) and used by coverage."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gongkai.store import query
from gongkai.store.expected import ListError, read_expected_csv
from gongkai.store.ingest import ingest
from gongkai.synth import write_corpus


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    root = tmp_path_factory.mktemp("expected")
    manifest = write_corpus(root / "reports", 4, seed=3, years=2, max_units=0)
    db = str(root / "store.duckdb")
    ingest([str(root / "reports")], db, jobs=1, cross_check=False)
    return root, db, manifest


def _coverage(db):
    con = query.connect(db, read_only=True)
    try:
        return query.coverage(con)
    finally:
        con.close()


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "gongkai", *args], capture_output=True, text=True)


def test_a_loaded_list_drives_coverage_with_publication_dates(store):
    root, db, manifest = store
    present = manifest[0]
    path = root / "list.csv"
    path.write_bytes(
        "部门,年度,类型,发布日期\n"
        f"{present['department']},{present['year']},决算,2025-06-30\n"
        f"{present['department']},{present['year'] + 5},决算,\n".encode("gb18030")
    )
    run = _cli("ingest", "--db", db, "--expected", str(path))
    assert run.returncode == 0, run.stderr
    assert "2 expected report(s) loaded" in run.stderr
    cov = _coverage(db)
    assert cov["source"] == "list"
    status = {(i["year"], i["kind"]): (i["status"], i["published"]) for i in cov["items"]}
    assert status[(present["year"], "决算")] == ("present", "2025-06-30")
    assert status[(present["year"] + 5, "决算")] == ("missing", None)
    con = query.connect(db, read_only=True)
    try:
        dated = con.execute("SELECT year, published FROM reports WHERE published IS NOT NULL").fetchall()
    finally:
        con.close()
    assert [(y, str(p)) for y, p in dated] == [(present["year"], "2025-06-30")]


def test_a_second_list_replaces_the_first(store):
    root, db, manifest = store
    path = root / "list2.csv"
    path.write_text("department,year,kind\n示例单位,2030,budget\n", encoding="utf-8")
    run = _cli("ingest", "--db", db, "--expected", str(path))
    assert run.returncode == 0 and "1 expected report(s) loaded" in run.stderr, run.stderr
    assert [(i["department"], i["kind"]) for i in _coverage(db)["items"]] == [("示例单位", "预算")]


@pytest.mark.parametrize("data, words", [
    (b"", "为空"),
    ("部门,年度\n财政局,2024\n".encode(), "类型"),
    ("部门,年度,类型\n财政局,二〇二四,决算\n".encode(), "第2行"),
    ("部门,年度,类型\n财政局,2024,年报\n".encode(), "预算 或 决算"),
    (b"%PDF-1.7\n", "CSV"),
])
def test_a_bad_list_is_refused_with_its_first_problem(data, words):
    with pytest.raises(ListError) as exc:
        read_expected_csv(data)
    assert words in exc.value.message


def test_a_bad_list_from_the_cli_is_one_line_and_exit_2(store, tmp_path):
    _, db, _ = store
    path = tmp_path / "bad.csv"
    path.write_text("部门,年度\n财政局,2024\n", encoding="utf-8")
    run = _cli("ingest", "--db", db, "--expected", str(path))
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "类型" in run.stderr


@pytest.mark.parametrize("args", [
    ("serve",), ("export", "--format", "csv", "-o", "out"), ("triage list",), ("check",),
])
def test_a_duckdb_file_that_is_not_a_store_is_one_line_and_exit_2(tmp_path, args):
    import duckdb

    db = tmp_path / "other.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE t (x INTEGER)")
    con.close()
    argv = [*args[0].split(), "--db", str(db), *args[1:]]
    if args[-1] == "out":
        argv[-1] = str(tmp_path / "out")
    run = _cli(*argv)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "not a gongkai store" in run.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()] == ["t"]
    con.close()


@pytest.mark.parametrize("args", [
    ("export", "--format", "xlsx", "-o", "/proc/gongkai-test/x.xlsx"),
    ("export", "--format", "sqlite", "-o", "/proc/gongkai-test/x.sqlite"),
    ("export", "--format", "parquet", "-o", "/proc/gongkai-test"),
    ("triage", "sheet", "-o", "/proc/gongkai-test/x.xlsx"),
    ("synth", "--n", "2", "--out", "/proc/gongkai-test"),
])
def test_an_output_that_cannot_be_written_is_one_line_and_exit_2(store, args):
    _, db, _ = store
    argv = list(args) if args[0] == "synth" else [*args[:2 if args[0] == "triage" else 1], "--db", db, *args[2 if args[0] == "triage" else 1:]]
    run = _cli(*argv)
    assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr, run.stderr


def test_serve_refuses_a_port_it_cannot_listen_on(store):
    import socket

    _, db, _ = store
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        run = _cli("serve", "--db", db, "--port", str(port))
    assert run.returncode == 2 and "cannot listen" in run.stderr and "Traceback" not in run.stderr
