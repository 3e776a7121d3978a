"""Work that must stay linear: repeated rows, long sums, column lookups (bench/scaling.py
measures the curves; these tests pin the behaviour that keeps them linear)."""

from __future__ import annotations

import re

from gongkai.api import parse_text
from gongkai.checks import check
from gongkai.checks.engine import RELATED_MAX
from gongkai.model.table import Column, Table
from tests.support import example_text

CODED = re.compile(r"^(\d{3}|\d{5}|\d{7})\t")


def _repeat_rows(text: str, k: int, digits: tuple[int, ...] = (3, 5, 7)) -> str:
    out = []
    for line in text.split("\n"):
        m = CODED.match(line)
        out.extend([line] * (k if m and len(m.group(1)) in digits else 1))
    return "\n".join(out)


def test_repeated_rows_give_one_finding_per_place_with_a_count():
    result = check(parse_text(_repeat_rows(example_text(), 3)))
    places = [(f.rule, f.message.split("（同一位置")[0], f.location.table, f.location.code, f.location.column) for f in result.findings]
    assert len(places) == len(set(places))
    repeated = [f for f in result.findings if f.repeats > 1]
    assert repeated and all(f.repeats == 3 and "同一位置的相同问题共3处" in f.message for f in repeated)
    assert all(len({r.line for r in f.related} | {f.location.line}) >= 3 for f in repeated)


def test_related_locations_are_capped_and_counted():
    result = check(parse_text(_repeat_rows(example_text(), 30, digits=(7,))))
    assert all(len(f.related) <= RELATED_MAX for f in result.findings)
    capped = [f for f in result.findings if f.related_more]
    assert capped, "a 款 over 30× its items lists at most RELATED_MAX of them"
    assert all(len(f.related) == RELATED_MAX for f in capped)


def test_repeated_keys_are_numbered_in_order():
    doc = parse_text(_repeat_rows(example_text(), 4))
    assert any("#4" in r.key for t in doc.tables for r in t.rows)
    for table in doc.tables:
        keys = [r.key for r in table.rows]
        assert len(keys) == len(set(keys))
        for key in {k for k in keys if "#" not in k}:
            copies = [k for k in keys if k == key or k.startswith(key + "#")]
            assert copies == [key] + [f"{key}#{n}" for n in range(2, len(copies) + 1)][: len(copies) - 1]


def test_column_lookup_follows_appended_columns():
    table = Table("t", "t", columns=[Column("a", "A"), Column("a", "A twice")])
    assert table.column("a").label == "A" and table.column("b") is None
    table.columns.append(Column("b", "B"))
    assert table.column("b").label == "B"
    table.columns = [Column("c", "C")]
    assert table.column("a") is None and table.column("c").label == "C"
