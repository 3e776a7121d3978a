"""Shared test helpers: where the corpus is (skipped cleanly when absent), parse caches."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
SEEDS = CORPUS / "seeds"
EXPECTED = Path(__file__).parent / "data" / "expected"
EXAMPLE = ROOT / "gongkai" / "examples" / "example_final_2024.txt"

SEED_FILES = [
    "000_9896e042631d7d6c.txt",
    "001_98999400092bfb82.txt",
    "002_80dc64eda384f1d0.txt",
    "003_dc3175b1d97e8850.txt",
    "004_aa13b0b8df1bfb31.txt",
]


def corpus_file(subdir: str, name: str) -> Path:
    """A file of the shared corpus (e.g. ("pdf", "….pdf")); skips the test when it is absent."""
    path = CORPUS / subdir / name
    if not path.exists():
        pytest.skip(f"corpus file not available: {path}")
    return path


def seed(name: str) -> Path:
    return corpus_file("seeds", name)


@functools.lru_cache(maxsize=None)
def seed_text(name: str) -> str:
    """The text of a seed report, read once."""
    return seed(name).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=None)
def parsed(name: str):
    """A seed report parsed once, read from its file as users would."""
    from gongkai.api import parse

    return parse(seed(name))


@functools.lru_cache(maxsize=None)
def checked(name: str):
    from gongkai.checks import check

    return check(parsed(name))


@functools.lru_cache(maxsize=None)
def parsed_pdf(name: str):
    """A corpus PDF (corpus/pdf/<name>) parsed once."""
    from gongkai.api import parse

    return parse(corpus_file("pdf", name))


def facts_key(doc) -> list[tuple]:
    """A document's facts as sorted, comparable tuples (table, code, item, column, value)."""
    from gongkai.facts import facts

    return sorted((r["table_id"], r["code"] or "", r["item"] or "", r["column"], r["value"]) for r in facts(doc))


def replace_once(text: str, old: str, new: str) -> str:
    """text with `old` replaced by `new`, asserting `old` occurs exactly once and the text changes."""
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times"
    assert old != new, f"replacing {old!r} by itself changes nothing"
    return text.replace(old, new, 1)


@functools.lru_cache(maxsize=2)
def example_text(defects: bool = False) -> str:
    """The bundled example; defects=False gives the clean version (no findings at all)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_example", ROOT / "tools" / "make_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build(defects=defects)


def mutate(text: str, line_start: str, old: str, new: str, after: str | None = None) -> tuple[str, int]:
    """Replace `old` by `new` on the one line starting with `line_start` (searching after the
    line equal to `after`, and before the next table label, when given); returns (text, line number)."""
    lines = text.split("\n")
    lo, hi = 0, len(lines)
    if after is not None:
        lo = lines.index(after)
        hi = next((k for k in range(lo + 1, len(lines)) if lines[k].startswith("公开") and lines[k].endswith("表")), len(lines))
    hits = [i for i in range(lo, hi) if lines[i].startswith(line_start) and old in lines[i]]
    assert len(hits) == 1, f"{line_start!r}/{old!r} matches {len(hits)} lines"
    i = hits[0]
    lines[i] = lines[i].replace(old, new, 1)
    return "\n".join(lines), i + 1


def delete_lines(text: str, start: str, stop: str) -> str:
    """Delete from the line equal to `start` up to (not including) the line equal to `stop`."""
    lines = text.split("\n")
    a = lines.index(start)
    b = lines.index(stop, a + 1)
    return "\n".join(lines[:a] + lines[b:])


def as_html_page(text: str, layout: bool = False) -> str:
    """A converter text (the example's notation) as a web page: # headings as <hN>, lines
    as <p>, tab-separated rows as <table>; `layout` puts it all inside a one-cell table."""
    import html
    import re

    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            out.append('<table border="1">' + "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>\n" for r in rows) + "</table>")
            rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        m = re.match(r"^(#+) (.*)$", line)
        if m:
            out.append(f"<h{len(m.group(1))}>{html.escape(m.group(2))}</h{len(m.group(1))}>")
        elif line.strip():
            out.append(f'<p style="text-indent:2em">{html.escape(line)}</p>')
    flush()
    body = "\n".join(out)
    if layout:
        body = f'<table width="100%"><tr><td class="nav">首页 &gt; 政务公开</td></tr><tr><td>\n{body}\n</td></tr></table>'
    return ('<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>部门决算</title>\n'
            "<style>td{border:1px solid}</style><script>var a = '<table>';</script></head>\n"
            f'<body><div class="content">\n{body}\n</div></body></html>\n')


def as_layout_text(text: str, by_display_width: bool = True) -> str:
    """Tab-separated rows lined up with spaces, as `pdftotext -layout` prints a table."""
    import unicodedata

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s) if by_display_width else len(s)

    out: list[str] = []
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            n = max(len(r) for r in rows)
            padded = [r + [""] * (n - len(r)) for r in rows]
            widths = [max(width(r[i]) for r in padded) for i in range(n)]
            out.extend("   ".join(c + " " * (w - width(c)) for c, w in zip(r, widths)).rstrip() for r in padded)
            rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
        else:
            flush()
            out.append(line)
    flush()
    return "\n".join(out)
