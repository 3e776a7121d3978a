"""Injected defects are found and located; conversion-like noise changes nothing.

The variants (tests/corpus/mutations.py) mirror the acceptance tests: a changed cell,
a changed total, a consistently shifted table, a changed narrative amount or
percentage, a deleted table or no-data note, a changed 三公 figure, a form whose
rate/score/grade no longer fits, a code given another code's name, a wrong
department or year in a table header.
"""

from __future__ import annotations

from collections import Counter

import pytest

from gongkai.api import parse_text
from gongkai.checks import check
from tests.corpus.mutations import defect_variants, noise_variants
from tests.support import SEED_FILES, checked, facts_key, parsed, seed_text

# distinct variants each file must yield per kind (two seeds; fewer means the generator lost its pool)
MIN_VARIANTS = {
    "changed-cell": 6, "changed-total": 6, "shifted-table": 1, "narrative-amount": 4, "narrative-percent": 4,
    "deleted-table": 2, "deleted-note": 1, "code-name": 1, "header-department": 1, "header-year": 1,
    "form": 3, "three-public": 1,
}
# kinds a file cannot yield, and why
ABSENT = {
    "000_9896e042631d7d6c.txt": {"three-public": "公开09 is all blank"},
    "001_98999400092bfb82.txt": {"form": "no readable self-evaluation form with a rate and a total score"},
    "002_80dc64eda384f1d0.txt": {"three-public": "公开09 prints 预算数 = 决算数, so no figure is unique on its line"},
    "003_dc3175b1d97e8850.txt": {
        "form": "a budget report: target forms, no self-evaluation",
        "three-public": "表十 prints 合计 = 一般公共预算, so no figure is unique on its line",
        "header-year": "budget tables print the year only in the title (2024年预算收支总表), not as 2024年度",
    },
    "004_aa13b0b8df1bfb31.txt": {"three-public": "公开09 is all blank"},
}


def _key(f):
    return (f.rule, f.severity.value, f.location.line, f.message)


@pytest.mark.parametrize("name", SEED_FILES)
def test_injected_defects_are_found_and_located(name):
    text, base = seed_text(name), parsed(name)
    before = {_key(f) for f in checked(name).findings if f.severity.value != "info"}
    variants = list({v.text: v for v in defect_variants(text, base, seed=7) + defect_variants(text, base, seed=8)}.values())
    kinds = Counter(v.kind for v in variants)
    wanted = {k: n for k, n in MIN_VARIANTS.items() if k not in ABSENT[name]}
    assert {k: kinds[k] for k in wanted if kinds[k] < wanted[k]} == {}, kinds
    assert not set(kinds) & set(ABSENT[name]), kinds  # an ABSENT entry that is no longer true
    missed = []
    for v in variants:
        assert v.text != text, v.description
        new = [f for f in check(parse_text(v.text, name)).findings if f.severity.value != "info" and _key(f) not in before]
        if not any((not v.expect_rules or f.rule in v.expect_rules) and (v.line is None or v.located_by(f)) for f in new):
            missed.append((v.kind, v.description))
    assert len(missed) <= len(variants) * 0.05, missed


@pytest.mark.parametrize("name", SEED_FILES)
def test_noise_changes_nothing(name):
    text, base = seed_text(name), parsed(name)
    base_facts = facts_key(base)
    base_findings = {(f.rule, f.severity.value, f.message) for f in checked(name).findings if f.severity.value != "info"}
    for kind, noisy in noise_variants(text, base, seed=11):
        assert noisy != text, f"{kind}: the noise changed nothing"
        doc = parse_text(noisy, name)
        assert facts_key(doc) == base_facts, kind
        findings = {(f.rule, f.severity.value, f.message) for f in check(doc).findings if f.severity.value != "info"}
        assert findings == base_findings, (kind, findings - base_findings, base_findings - findings)
