"""Injected defects are found and located; conversion-like noise changes nothing.

The variants (tests/corpus/mutations.py) mirror the acceptance tests: a changed cell,
a changed total, a consistently shifted table, a changed narrative amount or
percentage, a deleted table or no-data note, a changed 三公 figure, a form whose
rate/score/grade no longer fits, a code given another code's name, a wrong
department or year in a table header.
"""

from __future__ import annotations

import pytest

from gongkai.api import parse_text
from gongkai.checks import check
from gongkai.facts import facts
from tests.corpus.mutations import defect_variants, noise_variants
from tests.support import SEED_FILES, parsed, seed


def _findings_key(result):
    return {(f.rule, f.severity.value, f.location.line, f.message) for f in result.findings if f.severity.value != "info"}


@pytest.mark.parametrize("name", SEED_FILES)
def test_injected_defects_are_found_and_located(name):
    path = seed(name)
    text = path.read_text(encoding="utf-8")
    base = parse_text(text, name)
    before = _findings_key(check(base))
    variants = defect_variants(text, base, seed=7) + defect_variants(text, base, seed=8)
    assert len(variants) >= 20
    missed = []
    for v in variants:
        new = [f for f in check(parse_text(v.text, name)).findings if f.severity.value != "info" and (f.rule, f.severity.value, f.location.line, f.message) not in before]
        if v.line is None or v.lines:
            ok = any(f.rule in v.expect_rules and (v.line is None or v.located_by(f)) for f in new)
        else:
            ok = any(v.located_by(f) for f in new)
        if not ok:
            missed.append((v.kind, v.description))
    assert len(missed) <= len(variants) * 0.05, missed


def _facts(doc):
    return sorted((r["table_id"], r["code"] or "", r["item"] or "", r["column"], r["value"]) for r in facts(doc))


@pytest.mark.parametrize("name", SEED_FILES)
def test_noise_changes_nothing(name):
    path = seed(name)
    text = path.read_text(encoding="utf-8")
    base = parsed(name)
    base_facts = _facts(base)
    base_findings = {(f.rule, f.severity.value, f.message) for f in check(base).findings if f.severity.value != "info"}
    for kind, noisy in noise_variants(text, base, seed=11):
        doc = parse_text(noisy, name)
        assert _facts(doc) == base_facts, kind
        findings = {(f.rule, f.severity.value, f.message) for f in check(doc).findings if f.severity.value != "info"}
        assert findings <= base_findings, (kind, findings - base_findings)
