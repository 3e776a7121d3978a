"""One 情况说明 typeset three ways (spaced with larger headings; Word/WPS without paragraph
spacing and headings at body size; headings run into their paragraph): the same heading
tree, the same claim topics and the same narrative findings, injected defects included."""

from __future__ import annotations

import functools

import pytest

from gongkai.api import parse_bytes
from gongkai.checks import check
from gongkai.checks.claims import narrative_claims
from tests.pdf import synth

STYLES = ("spaced", "tight", "runin")
DEFECTS = {
    "clean": {},
    "amount": {"12,346.25万元": "12,364.25万元"},  # N01 (and the shares computed on it: N02)
    "share": {"占99.95%": "占95.95%"},  # N02
    "completion": {"完成预算的70.00%": "完成预算的75.00%"},  # N04
    "three_public": {"公务接待费支出决算为0.45万元": "公务接待费支出决算为0.54万元"},  # N01 against 沪七
}


@functools.lru_cache(maxsize=None)
def _read(style: str, defect: str):
    sections = []
    for heading, body in synth.SECTIONS:
        for old, new in DEFECTS[defect].items():
            body = body.replace(old, new)
        sections.append((heading, body))
    doc = parse_bytes(synth.report(narrative=sections, style=style), f"{style}.pdf")
    tree = [(s.level, s.number, s.title) for s in doc.walk_sections()]
    claims = [(c.kind, c.raw, c.topic) for c in narrative_claims(doc)]
    findings = sorted((f.rule, f.severity.value, f.message) for f in check(doc).findings if f.category == "narrative")
    return tree, claims, findings


@pytest.mark.parametrize("defect", sorted(DEFECTS))
@pytest.mark.parametrize("style", STYLES[1:])
def test_the_narrative_reads_the_same_whatever_the_typesetting(style, defect):
    assert _read(style, defect) == _read("spaced", defect)


def test_every_claim_has_its_topic_and_the_defects_are_found():
    tree, claims, findings = _read("tight", "clean")
    assert (2, "一", "一般公共预算财政拨款支出决算总体情况") in tree
    assert all(topic is not None for _, _, topic in claims) and findings == []
    expected = {"amount": "N01", "share": "N02", "completion": "N04", "three_public": "N01"}
    for defect, rule in expected.items():
        assert rule in {r for r, _, _ in _read("tight", defect)[2]}, defect
