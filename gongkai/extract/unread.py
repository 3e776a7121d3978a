"""Pages of a PDF that could not be read (scanned images without OCR, blank pages).

The PDF reader leaves a marker block where such a page was. Here they become warnings
that name the page, and a table the template requires that is not found is told apart:
when an unread image page lies where it would stand (between the tables before and
after it in the template's order), it is "unreadable", not "missing".
"""

from __future__ import annotations

from ..ingest.blocks import Block
from ..model.document import Document
from ..model.provenance import Provenance

IMAGE_ONLY = "page-image-only"
BLANK = "page-blank"
_MESSAGES = {
    IMAGE_ONLY: "第{page}页只有图像、没有可用的文字层（扫描页），其内容未能读取；安装 OCR 扩展（pip install 'gongkai[ocr]'）后可识别",
    BLANK: "第{page}页是空白页（既无文字也无图像）",
}


def unread_pages(blocks: list[Block]) -> dict[int, str]:
    """Page number → marker kind, in page order."""
    return {b.prov.page: b.kind for b in blocks if b.kind in _MESSAGES and b.prov.page is not None}


def warn_unread(doc: Document, pages: dict[int, str]) -> None:
    for page, kind in pages.items():
        doc.warn(kind, _MESSAGES[kind].format(page=page), Provenance(page=page))


def mark_unreadable(doc: Document, pages: dict[int, str], profile_order: list[str]) -> None:
    """Missing tables that may lie on an unread image page become "unreadable"."""
    images = sorted(p for p, kind in pages.items() if kind == IMAGE_ONLY)
    if not images or not doc.missing_tables:
        return
    found = {t.id: t for t in doc.tables}
    last_page = max((p for t in doc.tables for p in (t.prov.page, t.end.page) if p), default=0)
    for missing in doc.missing_tables:
        if missing.id not in profile_order:
            continue
        k = profile_order.index(missing.id)
        before = [found[i] for i in profile_order[:k] if i in found]
        after = [found[i] for i in profile_order[k + 1 :] if i in found]
        lo = max((t.end.page or t.prov.page or 0 for t in before), default=0)
        hi = min((t.prov.page or last_page for t in after), default=max(last_page, images[-1]))
        where = [p for p in images if lo <= p <= hi]
        if where:
            missing.reason = "unreadable"
            missing.pages = where


def warn_cut_tables(doc: Document, pages: dict[int, str]) -> None:
    """A table whose last page is followed by an unread image page may go on there."""
    for t in doc.tables:
        end = t.end.page or t.prov.page
        if end is not None and pages.get(end + 1) == IMAGE_ONLY:
            doc.warn(
                "table-before-unread-page",
                f"{t.id}“{t.title}”之后的第{end + 1}页无法读取（扫描页），此表可能在该页续表，未读到的行不在核对范围内",
                Provenance(page=end + 1), t.id,
            )
