"""CLI habits: validated options, output errors as one line, severity filter and order in
every format, escaped control characters."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from tests.support import ROOT, example_text
from tests.unit.test_cli import gk


def _one_line_exit_2(r):
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("gongkai: ") and "Traceback" not in r.stderr


@pytest.mark.parametrize("ids", ["Z99", "A01,nope", ","])
def test_unknown_rule_ids_are_refused(ids):
    r = gk("check", "--example", "--rules", ids)
    _one_line_exit_2(r)
    assert "unknown rule id" in r.stderr


def test_rule_ids_are_case_insensitive():
    r = gk("check", "--example", "--rules", " a01 , x01", "--format", "json")
    assert r.returncode in (0, 1)
    assert {f["rule"] for f in json.loads(r.stdout)["findings"]} <= {"A01", "X01"}


@pytest.mark.parametrize("limit", ["pages=0", "pages=x", "bogus=3"])
def test_bad_limits_are_refused(limit):
    _one_line_exit_2(gk("check", "--example", "--limit", limit))


def test_negative_jobs_is_an_error():
    r = gk("check", "--example", "-j", "-1")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_output_to_a_directory_is_one_line(tmp_path):
    _one_line_exit_2(gk("check", "--example", "-o", str(tmp_path)))


def test_output_to_a_full_disk_is_one_line():
    if not __import__("os").path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    _one_line_exit_2(gk("check", "--example", "-o", "/dev/full"))


def test_output_is_written_whole(tmp_path):
    out = tmp_path / "sub" / "r.json"
    r = gk("check", "--example", "--format", "json", "-o", str(out))
    assert r.returncode in (0, 1) and json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert [p.name for p in out.parent.iterdir()] == ["r.json"]  # no temporary file left


def test_xlsx_is_refused_on_a_pipe():
    cmd = f"{sys.executable} -m gongkai check --example --format xlsx | cat > /dev/null; echo ${{PIPESTATUS[0]}}"
    r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.stdout.strip() == "2" and "-o" in r.stderr and r.stderr.count("\n") == 1


def test_min_severity_is_honoured_by_every_format(tmp_path):
    for fmt in ("text", "json", "html"):
        r = gk("check", "--example", "--format", fmt, "--min-severity", "error")
        assert "[提示]" not in r.stdout and '"severity": "info"' not in r.stdout and "finding info" not in r.stdout, fmt
    out = tmp_path / "r.xlsx"
    gk("check", "--example", "--format", "xlsx", "--min-severity", "error", "-o", str(out))
    sheet = load_workbook(io.BytesIO(out.read_bytes())).worksheets[0]
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"错误"}


def test_errors_come_first_in_the_text_report():
    import re

    r = gk("check", "--example", "--no-color")
    order = re.findall(r"^\s*\d+\. \[(错误|警告|提示)\]", r.stdout, re.M)
    ranks = [{"错误": 0, "警告": 1, "提示": 2}[t] for t in order]
    assert ranks and ranks == sorted(ranks) and ranks[0] == 0 and len(set(ranks)) > 1


def test_help_promises_only_what_exists():
    r = gk("--help")
    assert "compare" not in r.stdout


def test_escape_sequences_are_shown_escaped(tmp_path):
    text = example_text().replace("示例市数据管理局", "示例市\x1b]0;pwned\x07\x1b[31m数据管理局")
    src = tmp_path / "evil\x1b[2J.txt"
    src.write_text(text, encoding="utf-8")
    r = gk("check", str(src), "--no-color")
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "\\x1b[31m" in r.stdout and "evil\\x1b[2J.txt" in r.stdout
    r = gk("check", str(tmp_path / "missing\x1b[2J.txt"))
    assert "\x1b" not in r.stderr and "\\x1b[2J" in r.stderr
