"""Document metadata: the cover (department, year, kind) and what tables repeat of it."""

from __future__ import annotations

import re
from collections import Counter

from ..ingest.blocks import Block
from ..model.document import Metadata
from ..model.table import Table
from .textnorm import compact, without_fund_names
from ..patterns import lazy_compile

_YEAR = lazy_compile(r"((?:19|20)\d{2})\s*年")
_KIND = lazy_compile(r"(部门|单位)?\s*(决算|预算)")
_NAMED = lazy_compile(r"^(?:预算主管部门|主管部门|预算单位|部门名称|单位名称|编制部门|编制单位)[:：](.+)$")
_SPLIT = lazy_compile(r"(?:19|20)\d{2}\s*年度?|年度|(?:部门|单位)?(?:决算|预算)(?:公开)?")


def cover_blocks(blocks: list[Block], toc_range, parts: dict[int, int]) -> list[Block]:
    end = len(blocks)
    if toc_range:
        end = toc_range[0]
    elif parts:
        end = min(parts.values())
    out = []
    for b in blocks[: min(end, 12)]:
        if b.kind == "grid":
            break
        out.append(b)
    return out


# A web page's own lines around a report: breadcrumbs, publication details, page tools.
_PAGE_CHROME = lazy_compile(
    r"首页|当前位置|您的位置|所在位置|发布(?:时间|日期|机构|单位)|来源[:：]|信息来源|字号|打印|关闭(?:本页|窗口)|浏览(?:次数|量)"
    r"|点击(?:数|量|率)|分享到|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|www\.|https?:"
)


def _cover_lines(texts: list[str]) -> list[str]:
    """The cover's lines without a web page's chrome: the title line (the first to name
    决算/预算), the lines before it back to the last chrome line, and the non-chrome lines after."""
    chrome = [bool(_PAGE_CHROME.search(t)) for t in texts]
    if not any(chrome):
        return texts
    k = next((i for i, t in enumerate(texts) if not chrome[i] and _KIND.search(without_fund_names(t))), None)
    if k is None:
        return [t for t, c in zip(texts, chrome) if not c]
    start = k
    while start > 0 and not chrome[start - 1]:
        start -= 1
    return texts[start : k + 1] + [t for t, c in zip(texts[k + 1 :], chrome[k + 1 :]) if not c]


def extract_metadata(blocks: list[Block], toc_range, parts, tables: list[Table]) -> Metadata:
    cover = cover_blocks(blocks, toc_range, parts)
    texts = _cover_lines([compact(b.text) for b in cover if len(b.text) <= 60])
    joined = "".join(texts)
    meta = Metadata()
    if cover:
        meta.prov = cover[0].prov
    meta.title = joined or None
    y = _YEAR.search(joined) or re.search(r"(?<!\d)((?:19|20)\d{2})(?!\d)", joined)
    if y:
        meta.year = int(y.group(1))
    k = _KIND.search(joined)
    if k:
        meta.kind = k.group(2)
        meta.scope = k.group(1)
    dept = _SPLIT.split(joined)[0] if joined else ""
    dept = re.sub(r"(?:19|20)\d{2}$", "", dept).strip()
    if dept and len(dept) >= 3:
        meta.department = dept
    for t in texts:  # a cover that names the department in so many words ("预算主管部门：…")
        m = _NAMED.match(t)
        if m and len(m.group(1)) >= 3:
            meta.department = m.group(1)
            break
    printed = Counter(t.department for t in tables if t.department)
    if not meta.department and printed:
        meta.department = printed.most_common(1)[0][0]
    years = Counter(t.year for t in tables if t.year)
    if meta.year is None and years:
        meta.year = years.most_common(1)[0][0]
    if meta.year is None:
        for b in blocks[:400]:
            m = _YEAR.search(b.text)
            if m and ("决算" in b.text or "预算" in b.text):
                meta.year = int(m.group(1))
                break
    if meta.kind is None:
        for b in blocks[:200]:
            m = _KIND.search(without_fund_names(b.text))
            if m:
                meta.kind, meta.scope = m.group(2), m.group(1)
                break
    return meta
