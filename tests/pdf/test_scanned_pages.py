"""Partly scanned PDFs: a page that is only an image (no OCR available) or blank is named
in a warning; a table that may lie on it is "unreadable", not "missing"; no table is
continued across it, and the sums of a table it may cut are not reported as errors."""

from __future__ import annotations

import functools

import pytest

from gongkai.api import parse_bytes
from gongkai.checks import check
from gongkai.ingest import pdf_ocr
from tests.pdf import synth

_no_ocr = pytest.mark.skipif(pdf_ocr.available(), reason="with the OCR extra the scanned pages are read")


@functools.lru_cache(maxsize=None)
def _read(images: tuple[int, ...] = (), blank: tuple[int, ...] = ()):
    doc = parse_bytes(synth.scanned_pages(synth.report(), images, blank), "scan.pdf")
    return doc, check(doc)


@_no_ocr
def test_an_image_page_is_named_and_its_table_is_unreadable_not_missing():
    doc, result = _read(images=(synth.PAGE_HU7,))
    assert [(w.code, w.prov.page) for w in doc.warnings if w.code.startswith("page-")] == [("page-image-only", synth.PAGE_HU7)]
    hu7 = next(m for m in doc.missing_tables if m.id == "沪七")
    assert (hu7.reason, hu7.pages) == ("unreadable", [synth.PAGE_HU7])
    c01 = [f for f in result.findings if f.rule == "C01" and f.location.table == "沪七"]
    assert len(c01) == 1 and c01[0].severity.value == "warning" and "无法读取" in c01[0].message and "缺少" not in c01[0].message
    assert c01[0].location.page == synth.PAGE_HU7
    # the tables the template has elsewhere are still missing, as before
    assert any(f.rule == "C01" and f.severity.value == "error" and f.location.table == "沪九" for f in result.findings)


@_no_ocr
def test_no_table_continues_across_an_unread_page():
    whole, _ = _read()
    assert whole.table("沪二").end.page == synth.PAGE_HU2B  # the continuation page is read
    doc, result = _read(images=(synth.PAGE_HU2B,))
    hu2 = doc.table("沪二")
    assert hu2.end.page == synth.PAGE_HU2A and len(hu2.rows) < len(whole.table("沪二").rows)
    assert doc.table("沪五").prov.page == synth.PAGE_HU5  # the next table is its own
    assert any(w.code == "table-before-unread-page" and w.table == "沪二" for w in doc.warnings)
    # its column sums lack the rows of the unread page: warnings, not errors
    sums = [f for f in result.findings if f.location.table == "沪二" and f.category == "arithmetic"]
    assert sums and all(f.severity.value != "error" for f in sums)
    assert all("无法读取" in (f.note or "") for f in sums if f.severity.value == "warning")


@_no_ocr
def test_a_blank_page_is_named():
    doc, _ = _read(blank=(synth.PAGE_HU5,))
    assert [(w.code, w.prov.page) for w in doc.warnings if w.code.startswith("page-")] == [("page-blank", synth.PAGE_HU5)]
    # a blank page holds no table: 沪五 is missing, not unreadable
    assert next(m for m in doc.missing_tables if m.id == "沪五").reason == "missing"


def test_a_fully_read_pdf_has_no_page_warnings():
    doc, _ = _read()
    assert not [w for w in doc.warnings if w.code.startswith("page-") or w.code == "table-before-unread-page"]


def test_with_the_ocr_extra_an_image_page_goes_to_ocr(monkeypatch):
    """The OCR engine is stood in for: the image page is handed to it and read like text."""
    from gongkai.ingest.pdf_chars import Char, PageContent

    asked = []

    def fake_ocr(pdf, index):
        asked.append(index + 1)
        page = pdf[index]
        w, h = page.get_size()
        page.close()
        content = PageContent(index + 1, w, h)
        x = 72.0
        for ch in "注：本页由识别得到的文字。":
            content.chars.append(Char(ch, x, x + 12, 112.0, 12.0))
            x += 12
        return content

    monkeypatch.setattr(pdf_ocr, "available", lambda: True)
    monkeypatch.setattr(pdf_ocr, "ocr_page", fake_ocr)
    doc = parse_bytes(synth.scanned_pages(synth.report(), (synth.PAGE_HU7,)), "ocr.pdf")
    assert asked == [synth.PAGE_HU7]
    assert not [w for w in doc.warnings if w.code == "page-image-only"]
    # the page read by OCR is named, so its figures are checked against the original
    assert [(w.code, w.prov.page) for w in doc.warnings if w.code == "page-ocr"] == [("page-ocr", synth.PAGE_HU7)]
    assert doc.source.ocr_pages == [synth.PAGE_HU7]
