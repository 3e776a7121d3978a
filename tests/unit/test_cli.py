"""The command line as users run it: outputs, exit codes, one-line errors.

Most cases run the click command in-process (click.testing.CliRunner, stdout and
stderr kept apart); a few run the real `python -m gongkai` and `gongkai` script.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.cli import main
from tests.support import EXAMPLE, ROOT, example_text

PY = sys.executable


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def gk(*args: str) -> Run:
    """Run the CLI in-process. An exception escaping the command is put on stderr as the
    traceback a real run would print, so "no traceback" assertions keep their meaning."""
    result = CliRunner().invoke(main, list(args), env={"GONGKAI_DEBUG": None}, prog_name="gongkai")
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(*result.exc_info))
    return Run(result.exit_code, result.stdout, stderr)


def real(command: list[str]) -> subprocess.CompletedProcess:
    """Run the CLI as a separate process, as users do."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("GONGKAI_DEBUG", None)
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def _readme_example_rules() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What the bundled example shows", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"\b[A-Z]\d\d\b", section))


def test_bundled_example_is_what_the_generator_writes():
    assert EXAMPLE.read_text(encoding="utf-8") == example_text(True), "run: python tools/make_example.py"


def test_check_example_text_report_and_exit_code():
    r = real([PY, "-m", "gongkai", "check", "--example", "--no-color"])
    assert r.returncode == 1, r.stderr  # the example has planted errors
    assert "问题清单" in r.stdout and "N02" in r.stdout and "F01" in r.stdout
    promised = _readme_example_rules()
    assert promised == {"N02", "A01", "N01", "F01", "F03", "F04"}
    fired = set(re.findall(r"\[(?:错误|警告)\] ([A-Z]\d\d) ", r.stdout))
    assert fired == promised, f"README promises {sorted(promised)}; the example gives {sorted(fired)}"


def test_installed_script_one_line_error(tmp_path):
    script = Path(PY).parent / "gongkai"
    if not script.exists():
        pytest.skip(f"no gongkai script next to {PY} (package not installed)")
    path = tmp_path / "truncated.pdf"
    path.write_bytes(BAD["truncated.pdf"])
    r = real([str(script), "check", str(path)])
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1 and r.stderr.startswith("gongkai: ")


def test_check_json_shape():
    r = gk("check", str(EXAMPLE), "--format", "json")
    data = json.loads(r.stdout)
    assert data["document"]["metadata"]["department"] == "示例市数据管理局"
    assert data["summary"]["errors"] >= 3
    f = data["findings"][0]
    assert set(f) >= {"rule", "severity", "message", "location", "expected", "actual"}
    assert set(f["location"]) >= {"table", "row", "code", "column", "line", "page"}


def test_parse_json_is_the_whole_model():
    r = gk("parse", str(EXAMPLE), "--format", "json")
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert {"source", "meta", "tables", "sections", "performance_forms", "warnings"} <= set(data)
    t02 = next(t for t in data["tables"] if t["id"] == "公开02")
    row = next(r for r in t02["rows"] if r["code"] == "2010301")
    assert row["cells"]["total"]["value"] == "412.36" and row["cells"]["total"]["prov"]["line"] > 0


def test_facts_jsonl_and_csv():
    r = gk("facts", str(EXAMPLE), "--format", "jsonl")
    records = [json.loads(line) for line in r.stdout.splitlines()]
    rec = next(x for x in records if x["table"] == "收入决算表" and x["code"] == "2010301" and x["column"] == "本年收入合计")
    assert rec["value"] == "412.36" and rec["item"] == "行政运行" and rec["line"] > 0
    three = next(x for x in records if x["table_id"] == "公开09" and x["column"] == "决算数.公务接待费")
    assert three["item"] is None
    r = gk("facts", str(EXAMPLE), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert len(rows) == len(records) and {"table", "code", "item", "column", "value", "line"} <= set(rows[0])


def test_html_and_xlsx_outputs(tmp_path):
    html = tmp_path / "r.html"
    xlsx = tmp_path / "r.xlsx"
    assert gk("check", str(EXAMPLE), "--format", "html", "-o", str(html)).returncode == 1
    assert gk("check", str(EXAMPLE), "--format", "xlsx", "-o", str(xlsx)).returncode == 1
    text = html.read_text(encoding="utf-8")
    assert "<script src" not in text and "http" not in text.split("</head>")[0].replace("http-equiv", "")
    from openpyxl import load_workbook

    wb = load_workbook(xlsx)
    assert wb.sheetnames[0] == "问题清单" and len(wb.sheetnames) == 11


def test_batch_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "b.txt").write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("gbk"))
    (folder / "sub").mkdir()
    (folder / "sub" / "a.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")  # same name, other folder
    out = tmp_path / "out"
    r = gk("check", str(folder), "--format", "json", "-o", str(out), "--jobs", "2")
    assert r.returncode == 1, r.stderr
    rows = list(csv.DictReader(open(out / "summary.csv", encoding="utf-8-sig")))
    assert [row["status"] for row in rows] == ["checked", "checked", "checked"]
    assert rows[0]["department"] == "示例市数据管理局" and int(rows[0]["errors"]) >= 3
    assert sorted(row["report"] for row in rows) == ["a.txt.json", "b.txt.json", "sub/a.txt.json"]
    assert all((out / row["report"]).exists() for row in rows)


def test_rules_markdown_matches_docs():
    r = gk("rules", "--format", "markdown")
    assert r.stdout == (ROOT / "docs" / "rules.md").read_text(encoding="utf-8"), "run: gongkai rules --format markdown -o docs/rules.md"


BAD = {
    "empty.txt": b"",
    "blank.txt": b"   \n\n  ",
    "binary.txt": bytes(range(256)) * 4,
    "image.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
    "archive.docx": b"PK\x03\x04" + b"\x00" * 100,
    "latin1.txt": "caf\xe9 cr\xe8me br\xfbl\xe9e " .encode("latin-1") * 50,
    "novel.txt": ("这是一部小说。第一章 春天来了，花都开了。\n" * 200).encode("utf-8"),
    "truncated.pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\n",
}


@pytest.mark.parametrize("name", sorted(BAD))
@pytest.mark.parametrize("command", ["parse", "facts", "check"])
def test_bad_input_one_line_exit_2(tmp_path, name, command):
    path = tmp_path / name
    path.write_bytes(BAD[name])
    r = gk(command, str(path))
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1 and r.stderr.startswith("gongkai: ")


@pytest.mark.parametrize("command", ["parse", "facts", "check"])
def test_missing_file_and_directory(tmp_path, command):
    r = gk(command, str(tmp_path / "nope.txt"))
    assert r.returncode == 2 and "no such file" in r.stderr and "Traceback" not in r.stderr
    empty = tmp_path / "emptydir"
    empty.mkdir()
    r = gk(command, str(empty))
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.count("\n") == 1


def test_huge_file_is_refused(tmp_path):
    from gongkai.limits import limit

    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(limit("text-mb") * 1048576 + 1)
    r = gk("parse", str(path))
    assert r.returncode == 2 and "over the limit" in r.stderr and "--limit text-mb=" in r.stderr


def test_a_one_report_run_ends_with_its_output_whole(tmp_path):
    """After one report the process leaves without interpreter teardown: what it wrote,
    on standard output or to a file, must be complete, with the documented exit code."""
    r = real([PY, "-m", "gongkai", "parse", str(EXAMPLE)])
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["meta"]["department"]
    out = tmp_path / "report.json"
    r = real([PY, "-m", "gongkai", "check", str(EXAMPLE), "--format", "json", "-o", str(out)])
    assert r.returncode == 1 and r.stderr == ""
    assert json.loads(out.read_text(encoding="utf-8"))["findings"]
    r = real([PY, "-m", "gongkai", "check", str(tmp_path / "missing.txt")])
    assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_a_reader_that_stops_early_is_no_error():
    r = subprocess.run(["bash", "-c", f"set -o pipefail; {PY} -m gongkai parse {EXAMPLE} | head -c 100 >/dev/null"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0 and r.stderr == "", r.stderr


def test_the_store_commands_are_listed_and_run_without_being_loaded_first():
    from gongkai import cli_store
    from gongkai.cli import STORE_COMMANDS

    assert sorted(c.name for c in cli_store.COMMANDS) == sorted(STORE_COMMANDS)
    r = real([PY, "-m", "gongkai", "--help"])
    assert all(name in r.stdout for name in STORE_COMMANDS)
    r = real([PY, "-m", "gongkai", "ingest", "--help"])
    assert r.returncode == 0 and "--expected" in r.stdout
