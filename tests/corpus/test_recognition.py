"""The recogniser alone, with no profile at all, against the profiles' reading of the corpus:
the same tables with the same roles, and the same values in the same (role, row, column)."""

from __future__ import annotations

import pytest

from gongkai.extract import build_document
from gongkai.ingest import load
from tests.support import SEED_FILES, corpus_file, parsed, parsed_pdf


def _values(doc):
    return {(t.role, r.any_code or r.role or r.label, r.side, c.column, c.value) for t in doc.tables for r in t.rows for c in r.cells.values() if c.value}


def _recognised(path):
    loaded = load(path)
    return build_document(loaded.source, loaded.blocks, str(path), profiles=())


CASES = [("seeds", n) for n in SEED_FILES] + [("pdf", "shanghai_putuo_finance_bureau_2024_final.pdf")]


@pytest.mark.parametrize("sub, name", CASES, ids=[n for _, n in CASES])
def test_recogniser_reads_what_the_profile_reads(sub, name):
    with_profile = parsed(name) if sub == "seeds" else parsed_pdf(name)
    doc = _recognised(corpus_file(sub, name))
    assert doc.meta.profile is None and all(t.inferred for t in doc.tables)
    assert {t.role for t in with_profile.tables} <= {t.role for t in doc.tables}
    roles = {t.role for t in with_profile.tables}
    expected, got = _values(with_profile), {v for v in _values(doc) if v[0] in roles}  # other tables: role None
    same = len(expected & got)
    # 003 prints one header garbled by conversion (上年结转 | 单位资金 shifted): 4 of its 450 cells differ
    assert same >= len(expected) - 4, sorted(expected - got, key=str)[:10]
    assert len(got - expected) <= 4
