"""A rule that raises is a visible error finding (E01), never a silent skip; findings
per rule are capped with a note that counts the rest."""

from __future__ import annotations

import dataclasses

from gongkai.api import parse_text
from gongkai.checks import check
from gongkai.checks.engine import REGISTRY, Severity
from gongkai.report.text import render_text
from tests.support import example_text


def test_a_rule_that_raises_is_a_visible_error(monkeypatch):
    def broken(ctx):
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(REGISTRY, "A01", dataclasses.replace(REGISTRY["A01"], func=broken))
    result = check(parse_text(example_text()))
    failed = [f for f in result.findings if f.rule == "E01"]
    assert len(failed) == 1 and failed[0].severity is Severity.ERROR and failed[0].category == "execution"
    assert "A01" in failed[0].message and "ZeroDivisionError: boom" in failed[0].message
    assert result.has_errors and "A01" not in result.rules_run
    assert "E01" in render_text(result, color=False)


def test_thirty_digit_cells_do_not_break_rules():
    text = example_text().replace("\t1023.68\t", "\t123456789012345678901234567890\t", 1)
    result = check(parse_text(text))
    assert not [f for f in result.findings if f.rule == "E01"]
    assert result.has_errors  # the total no longer adds up: the long number is not an amount


def test_findings_per_rule_are_capped_with_a_count(monkeypatch):
    def many(ctx):
        for n in range(30):
            ctx.report(f"问题{n}", severity="info" if n % 2 else "warning")

    monkeypatch.setenv("GONGKAI_MAX_FINDINGS", "10")
    monkeypatch.setitem(REGISTRY, "A01", dataclasses.replace(REGISTRY["A01"], func=many))
    result = check(parse_text(example_text()), ["A01"])
    assert len(result.findings) == 11
    assert [f.severity.value for f in result.findings[:10]] == ["warning"] * 10
    note = result.findings[-1]
    assert "另有20项" in note.message and note.note == "capped" and note.severity is Severity.WARNING
