"""Documented resource limits: each stops an input with one line that names the limit."""

from __future__ import annotations

import zlib

import pytest

from gongkai.api import parse_bytes, parse_text
from gongkai.errors import InputError
from gongkai.ingest.html_table import parse_html_table
from tests.support import ROOT, example_text
from tests.unit.test_cli import gk


def test_limits_doc_lists_every_limit():
    from gongkai.limits import markdown_table

    assert markdown_table() in (ROOT / "docs" / "limits.md").read_text(encoding="utf-8")


def _refused(limit_name, func):
    with pytest.raises(InputError) as info:
        func()
    assert f"--limit {limit_name}=N" in str(info.value) and "\n" not in str(info.value)


def test_lines(monkeypatch):
    monkeypatch.setenv("GONGKAI_MAX_LINES", "1000")
    _refused("lines", lambda: parse_text(example_text() + "\n一" * 5000))


def test_columns_and_rows(monkeypatch):
    _refused("columns", lambda: parse_text(example_text() + "\n" + "收入\t" * 500 + "\n"))
    monkeypatch.setenv("GONGKAI_MAX_ROWS", "20")
    _refused("rows", lambda: parse_text(example_text()))


def test_html_spans_are_cut_and_expanded_cells_bounded():
    rows = parse_html_table('<table><tr><td colspan="1000000">a</td></tr></table>')
    assert len(rows[0][1]) == 100  # the span limit
    cell = '<td rowspan="100" colspan="100">1</td>'
    _refused("table-cells", lambda: parse_html_table("<table>" + ("<tr>" + cell * 20 + "</tr>") * 10 + "</table>"))


def test_flate_bomb_is_refused(monkeypatch):
    from tests.pdf import synth

    monkeypatch.setenv("GONGKAI_MAX_PDF_INFLATED_MB", "5")
    bomb = zlib.compress(b"\0" * (8 * 1048576), 9)
    data = bytearray(synth.report())
    at = data.rfind(b"xref")
    data[at:at] = b"99 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream\nendobj\n"
    _refused("pdf-inflated-mb", lambda: parse_bytes(bytes(data), "bomb.pdf"))


def test_pages(monkeypatch):
    from tests.pdf import synth

    monkeypatch.setenv("GONGKAI_MAX_PAGES", "1")
    _refused("pages", lambda: parse_bytes(synth.report(), "r.pdf"))


def test_limit_option_raises_a_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_MAX_COLUMNS", "200")  # --limit sets it in this process: restored after the test
    src = tmp_path / "r.txt"
    src.write_text(example_text() + "\n" + "收入\t" * 500 + "\n", encoding="utf-8")
    assert gk("parse", "--format", "summary", str(src)).returncode == 2
    assert gk("parse", "--format", "summary", "--limit", "columns=1000", str(src)).returncode == 0


@pytest.mark.parametrize(
    "data, words",
    [
        (b"version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n", "Git LFS pointer"),
        (b"\xe6\x94\xb6\xe5\x85\xa5 \xff\xfe\xfd plain", "byte offset"),
        (b"PK\x03\x04rest", "ZIP"),
    ],
)
def test_unreadable_inputs_say_why(data, words):
    with pytest.raises(InputError, match=words):
        parse_bytes(data, "x.txt")


def test_text_named_pdf_is_refused():
    with pytest.raises(InputError, match="not a PDF"):
        parse_bytes(example_text().encode(), "x.pdf")
