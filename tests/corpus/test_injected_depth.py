"""Injected defects beyond the tables are found and located (tests/corpus/mutations_depth.py).

A changed performance score, a changed itemised amount, a deleted 情况说明 section, a
swapped comparison word, a changed 政府采购 part: at least 95 % of the variants of all
seeds together are reported at error or warning by one of the expected rules, at the
changed line (or, for an absence, anywhere). Noise is covered by test_injected_defects.
"""

from __future__ import annotations

from collections import Counter

from gongkai.api import parse_text
from gongkai.checks import check
from tests.corpus.mutations_depth import depth_variants
from tests.support import SEED_FILES, checked, parsed, seed_text

# how many variants of each kind the five seeds must yield together (fewer: the generator lost its pool)
MIN_VARIANTS = {"form-score": 6, "itemised-amount": 2, "deleted-section": 10, "swapped-comparison": 8, "procurement-part": 6}


def _key(f):
    return (f.rule, f.severity.value, f.location.line, f.message)


def test_depth_defects_are_found_and_located():
    kinds: Counter = Counter()
    missed, total = [], 0
    for name in SEED_FILES:
        text, base = seed_text(name), parsed(name)
        before = {_key(f) for f in checked(name).findings if f.severity.value != "info"}
        variants = list({v.text: v for v in depth_variants(text, base, 7) + depth_variants(text, base, 8)}.values())
        for v in variants:
            kinds[v.kind] += 1
            total += 1
            new = [f for f in check(parse_text(v.text, name)).findings if f.severity.value != "info" and _key(f) not in before]
            if not any(f.rule in v.expect_rules and (v.line is None or v.located_by(f)) for f in new):
                missed.append((name[:3], v.kind, v.description))
    assert {k: kinds[k] for k, n in MIN_VARIANTS.items() if kinds[k] < n} == {}, kinds
    assert len(missed) <= total * 0.05, (total, missed)
