"""Optional OCR of scanned pages (the ``ocr`` extra: rapidocr-onnxruntime).

The engine's models ship inside its wheel, so this works offline. A page is
rendered with PDFium, the engine returns text boxes, and they are turned into the
same :class:`~gongkai.ingest.pdf_chars.PageContent` the text layer gives: each box
becomes a run of characters spread over the box, and ruling lines are found in the
bitmap (long horizontal/vertical runs of dark pixels). From there the normal
table reconstruction and line assembly apply.
"""

from __future__ import annotations

import importlib.util

from .pdf_chars import ASCENT, DESCENT, Char, PageContent, Segment, page_transform

SCALE = 3.0  # 216 dpi: small table digits stay legible
_engine = None


def available() -> bool:
    try:
        return importlib.util.find_spec("rapidocr_onnxruntime") is not None
    except (ImportError, ValueError):
        return False


def _get_engine():
    global _engine
    if _engine is None:
        from rapidocr_onnxruntime import RapidOCR

        _engine = RapidOCR()
    return _engine


def ocr_page(pdf, index: int) -> PageContent:
    import numpy as np

    page = pdf[index]
    try:
        tf = page_transform(page)
        bitmap = page.render(scale=SCALE, grayscale=True)
        image = bitmap.to_numpy()
    finally:
        page.close()
    if image.ndim == 3:
        image = image[..., 0]
    content = PageContent(index + 1, tf.width, tf.height)
    engine = _get_engine()
    rgb = np.stack([image] * 3, axis=-1)
    result, _ = engine(rgb)
    boxes = []
    for box, text, _score in result or []:
        text = (text or "").strip()
        if not text:
            continue
        xs = [float(p[0]) / SCALE for p in box]
        ys = [float(p[1]) / SCALE for p in box]
        boxes.append((text, min(xs), max(xs), min(ys), max(ys)))
    # OCR boxes hug the ink, so their height varies with the glyphs of the line
    # ("0.21%;" vs "（类）"): lines near the usual height get the usual height, which
    # keeps body text from looking like headings.
    heights = sorted(b[4] - b[3] for b in boxes)
    usual = heights[len(heights) // 2] if heights else 0.0
    for text, x0, x1, top, bottom in boxes:
        h = bottom - top
        if usual and 0.75 * usual <= h <= 1.25 * usual:
            mid = (top + bottom) / 2
            top, bottom = mid - usual / 2, mid + usual / 2
        _spread(content, text, x0, x1, top, bottom)
    _rulings(content, image)
    return content


def _spread(content: PageContent, text: str, x0: float, x1: float, top: float, bottom: float) -> None:
    """A recognised text box → characters laid out across the box (CJK one em, Latin half)."""
    height = max(bottom - top, 1.0)
    size = height / (ASCENT + DESCENT) * 0.9
    base = bottom - DESCENT * size
    weights = [0.5 if ch.isascii() else 1.0 for ch in text]
    total = sum(weights) or 1.0
    unit = (x1 - x0) / total
    x = x0
    for ch, w in zip(text, weights):
        nx = x + w * unit
        if not ch.isspace():
            content.chars.append(Char(ch, x, nx, base, size))
        x = nx


def _rulings(content: PageContent, image) -> None:
    """Long thin dark runs in the bitmap → ruling segments (page points)."""
    import numpy as np

    dark = image < 140
    min_len = int(20 * SCALE)

    def runs(mask_rows, horizontal: bool) -> None:
        for i, row in enumerate(mask_rows):
            if row.sum() < min_len:
                continue
            padded = np.concatenate(([0], row.astype(np.int8), [0]))
            diff = np.diff(padded)
            starts = np.flatnonzero(diff == 1)
            ends = np.flatnonzero(diff == -1)
            for s, e in zip(starts, ends):
                if e - s >= min_len:
                    if horizontal:
                        content.hlines.append(Segment(s / SCALE, i / SCALE, e / SCALE, i / SCALE))
                    else:
                        content.vlines.append(Segment(i / SCALE, s / SCALE, i / SCALE, e / SCALE))

    runs(dark, True)
    runs(dark.T, False)
