"""The original document behind a stored report: its source lines (text) or page images
(PDF), for showing findings and numbers in context.

The store keeps where a report was read from (`source_path`) and its content hash
(`doc_id`). The file is read only from that recorded path and only used when its
SHA-256 still equals the hash, so a moved or edited file never shows wrong context;
the portal then falls back to the excerpt the store kept.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from pathlib import Path

from fastapi import HTTPException

CONTEXT = 2  # lines either side of a finding's line
_CACHE: OrderedDict[str, object] = OrderedDict()
_CACHE_SIZE = 8
_LOCK = threading.Lock()


def _cached(key: str, make):
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    value = make()
    with _LOCK:
        _CACHE[key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return value


def original_bytes(report: dict) -> bytes | None:
    """The document's bytes if its recorded file still exists with the same hash."""
    path = report.get("source_path")
    doc_id = report.get("doc_id")
    if not path or not doc_id:
        return None

    def read():
        try:
            p = Path(path)
            if not p.is_file():
                return None
            data = p.read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == doc_id else None

    return _cached("bytes:" + doc_id, read)


def source_lines(report: dict) -> list[str] | None:
    if report.get("format") == "pdf":
        return None

    def decode():
        data = original_bytes(report)
        if data is None:
            return None
        from ..ingest.source import decode_text
        from ..errors import InputError

        try:
            text = decode_text(data, report.get("source_name") or "").text
        except InputError:
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    return _cached("lines:" + report["doc_id"], decode)


def _window(lines: list[str], line: int, around: int = CONTEXT) -> list[dict]:
    lo, hi = max(1, line - around), min(len(lines), line + around)
    return [{"n": n, "text": lines[n - 1].replace("\t", " ⇥ ")[:400], "hit": n == line} for n in range(lo, hi + 1)]


def context_for(report: dict, findings: list[dict]) -> None:
    """Adds to each finding its source lines (`context`) or its page image URL (`page_url`)."""
    lines = source_lines(report) if any(f.get("line") for f in findings) else None
    is_pdf = report.get("format") == "pdf"
    has_pdf = is_pdf and original_bytes(report) is not None
    for f in findings:
        f["context"] = _window(lines, f["line"]) if lines and f.get("line") and f["line"] <= len(lines) else None
        f["page_url"] = None
        if has_pdf and f.get("page"):
            url = f"/reports/{report['doc_id']}/page/{int(f['page'])}.png"
            bbox = f.get("bbox")
            if isinstance(bbox, str):  # the store keeps it as JSON
                try:
                    bbox = json.loads(bbox)
                except ValueError:
                    bbox = None
            if isinstance(bbox, list) and len(bbox) == 4 and all(isinstance(v, (int, float)) for v in bbox):
                url += "?bbox=" + ",".join(f"{float(v):.1f}" for v in bbox)
            f["page_url"] = url


def source_view(report: dict, line: int | None, page: int | None) -> dict:
    """The source around a line (text) or a page's image URL (PDF), with the content hash."""
    out = {
        "doc_id": report["doc_id"], "source_name": report.get("source_name"), "format": report.get("format"),
        "department": report.get("department"), "year": report.get("year"), "kind": report.get("kind"),
        "line": line, "page": page, "available": False, "lines": [], "page_url": None,
    }
    if report.get("format") == "pdf":
        if original_bytes(report) is not None:
            out["available"] = True
            n = page or 1
            out["page"] = n
            out["page_url"] = f"/reports/{report['doc_id']}/page/{n}.png"
        return out
    lines = source_lines(report)
    if lines is not None:
        out["available"] = True
        out["total_lines"] = len(lines)
        if line:
            out["lines"] = _window(lines, min(line, len(lines)), 12)
        else:
            out["lines"] = _window(lines, 1, 0)[:1] + [{"n": n, "text": lines[n - 1][:400], "hit": False} for n in range(2, min(len(lines), 60) + 1)]
    return out


def _bbox(text: str | None):
    if not text:
        return None
    try:
        parts = [float(v) for v in text.split(",")]
    except ValueError:
        raise HTTPException(400, "bbox 须是 x0,y0,x1,y1") from None
    if len(parts) != 4 or any(not (-1e5 < v < 1e5) for v in parts):
        raise HTTPException(400, "bbox 须是 x0,y0,x1,y1")
    return tuple(parts)


def page_image(report: dict, page: int, bbox_text: str | None) -> bytes:
    if report.get("format") != "pdf":
        raise HTTPException(404, "不是 PDF 报告")
    data = original_bytes(report)
    if data is None:
        raise HTTPException(404, "原始 PDF 已不在记录的位置（或内容已改变）")
    bbox = _bbox(bbox_text)
    from ..errors import InputError
    from ..report.pdf_crop import PageCrops

    try:
        with PageCrops(data) as crops:
            return crops.render(page, bbox, bbox, scale=1.5 if bbox is None else 2.0)
    except ValueError as exc:
        raise HTTPException(404, str(exc)) from None
    except InputError as exc:
        raise HTTPException(422, str(exc)) from None
