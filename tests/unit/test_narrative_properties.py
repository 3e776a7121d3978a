"""Property tests: the narrative grammar never loses text and never fails, whatever the lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.extract.narrative import build_sections
from gongkai.extract.textnorm import compact
from gongkai.ingest.blocks import Block
from gongkai.model.narrative import TocEntry
from gongkai.model.provenance import Provenance

_PIECES = ["一、", "（二）", "3.", "（4）", "①", "第三部分", "情况说明", "收入预算", "100.00万元", "，", "。", "：", "“三公”经费", "科目", " ", "主要原因是", "2025年"]
_line = st.lists(st.sampled_from(_PIECES) | st.text(min_size=0, max_size=6), min_size=0, max_size=12).map("".join)


def _text_of(roots) -> str:
    out = []
    for root in roots:
        for s in root.walk():
            out.append((s.number or "") + s.title)
            out.extend(p.text for p in s.paragraphs)
    return compact("".join(out))


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(_line, max_size=25), pdf=st.booleans(), toc=st.lists(_line, max_size=4))
def test_every_character_of_the_narrative_is_kept(lines, pdf, toc):
    blocks = []
    for k, text in enumerate(lines):
        prov = Provenance(page=1 + k // 10, bbox=(72.0, 100.0 + 14 * (k % 10), 72.0 + 12 * len(text), 112.0 + 14 * (k % 10))) if pdf else Provenance(line=k + 1)
        blocks.append(Block("text", text=text, prov=prov, gap_before=k % 3 == 0))
    roots = build_sections(blocks, set(), 0, [TocEntry(t, None) for t in toc])
    # headings drop their ordinal and the 。 or ： between a run-in title and its body;
    # every other character stays, in order
    dropped = str.maketrans("", "", "、.．。（）()①第部分一二三四五六七八九十0123456789：:")
    assert _text_of(roots).translate(dropped) == compact("".join(lines)).translate(dropped)
