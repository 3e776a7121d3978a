"""Text-quality defects injected into real reports are found and located (≥ 95 %),
and each variant adds no other text finding than the one planted."""

from __future__ import annotations

from collections import Counter

import pytest

from gongkai.api import parse_text
from gongkai.checks import check
from tests.corpus.text_mutations import text_defect_variants
from tests.support import SEED_FILES, checked, parsed, seed_text

KINDS = {
    "doubled-punctuation", "deleted-full-stop", "stray-quote", "unfinished-sentence", "comparison-year",
    "unchosen-alternative", "placeholder", "two-decimal-points", "garbled",
}


def _key(f):
    return (f.rule, f.location.line, f.message)


@pytest.mark.parametrize("name", SEED_FILES)
def test_text_defects_are_found_and_located(name):
    text, base = seed_text(name), parsed(name)
    before = {_key(f) for f in checked(name).findings if f.severity.value != "info"}
    variants = list({v.text: v for s in (5, 6) for v in text_defect_variants(text, base, seed=s)}.values())
    kinds = Counter(v.kind for v in variants)
    assert KINDS <= set(kinds), kinds
    if base.meta.scope == "单位":
        assert kinds["department-wording"] >= 1
    missed = []
    for v in variants:
        assert v.text != text, v.description
        new = [f for f in check(parse_text(v.text, name)).findings if f.severity.value != "info" and _key(f) not in before]
        if not any(f.rule in v.expect_rules and v.located_by(f) and f.location.excerpt for f in new):
            missed.append((v.kind, v.description, [(f.rule, f.location.line) for f in new]))
    assert len(missed) <= len(variants) * 0.05, missed


@pytest.mark.parametrize("name", SEED_FILES)
@pytest.mark.parametrize("sep", ["\n", "\n\n"], ids=["wrapped", "page-break"])
def test_wrapped_prose_adds_no_text_finding(name, sep):
    """A converter wraps prose lines (or breaks them at a page end with a blank line):
    mid-sentence, at any character, even before a full stop."""
    import random

    from gongkai.checks.sentences import prose_units

    text, base = seed_text(name), parsed(name)
    lines = text.split("\n")
    before = {(f.rule, f.message) for f in checked(name).findings if f.category == "text"}
    rng = random.Random(3)
    candidates = sorted({n for u in prose_units(base) for n in u.lines if len(lines[n - 1]) > 30})
    for n in sorted(rng.sample(candidates, min(15, len(candidates))), reverse=True):
        line = lines[n - 1]
        cuts = [k for k in range(10, len(line) - 5) if not (line[k - 1].isdigit() and line[k].isdigit())]
        k = rng.choice(cuts)
        lines[n - 1] = line[:k] + sep + line[k:]
    after = {(f.rule, f.message) for f in check(parse_text("\n".join(lines), name)).findings if f.category == "text"}
    assert after == before
