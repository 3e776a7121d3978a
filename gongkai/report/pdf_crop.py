"""A PNG of the page region around a box, with the box highlighted (for HTML reports).

Boxes are in the reader's coordinates: PDF points, origin at the top-left of the page
as displayed (crop box and /Rotate applied) — exactly what Provenance.bbox holds.
Rendering is PDFium's (pypdfium2); drawing and PNG encoding are Pillow's.
"""

from __future__ import annotations

import io

BBox = tuple[float, float, float, float]

HIGHLIGHT_FILL = (255, 214, 0, 70)
HIGHLIGHT_LINE = (220, 20, 20, 255)
MAX_PIXELS = 4_000_000  # a crop never renders larger than this (a whole page at scale 2 is ~2M)
DEFAULT_MARGIN = (48.0, 30.0)


class PageCrops:
    """Crops of one PDF: the document is opened once, each page loaded once and each
    distinct crop rendered once. Close it (or use it as a context manager) when done.

    Raises gongkai.errors.InputError when the PDF cannot be opened.
    """

    def __init__(self, pdf_bytes: bytes):
        import pypdfium2 as pdfium

        from ..errors import InputError

        try:
            self._pdf = pdfium.PdfDocument(pdf_bytes)
        except pdfium.PdfiumError as exc:
            raise InputError(f"the PDF cannot be opened for rendering ({exc})") from None
        self._pages: dict[int, tuple] = {}  # page number → (PdfPage, display transform)
        self._pngs: dict[tuple, bytes] = {}

    def __enter__(self) -> "PageCrops":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for pg, _ in self._pages.values():
            pg.close()
        self._pages.clear()
        self._pdf.close()

    def _page(self, page: int) -> tuple:
        loaded = self._pages.get(page)
        if loaded is None:
            from ..ingest.pdf_chars import page_transform

            count = len(self._pdf)
            if not 1 <= page <= count:
                raise ValueError(f"page {page} is out of range (the PDF has {count} pages)")
            pg = self._pdf[page - 1]
            try:
                loaded = (pg, page_transform(pg))
            except Exception:
                pg.close()
                raise
            self._pages[page] = loaded
        return loaded

    def render(
        self,
        page: int,
        bbox: BBox | None,
        highlight: BBox | None = None,
        scale: float = 2.0,
        margin: float | tuple[float, float] = DEFAULT_MARGIN,
    ) -> bytes:
        """PNG bytes of page `page` (1-based) around `bbox` (± margin points), `highlight` outlined.

        bbox None renders the whole page. Raises ValueError for a page out of range.
        """
        key = (page, _key(bbox), _key(highlight), scale, _key(margin) if isinstance(margin, (list, tuple)) else margin)
        png = self._pngs.get(key)
        if png is None:
            png = self._pngs[key] = self._render(page, bbox, highlight, scale, margin)
        return png

    def _render(self, page: int, bbox: BBox | None, highlight: BBox | None, scale: float, margin) -> bytes:
        from PIL import Image, ImageDraw

        pg, tf = self._page(page)
        width, height = tf.width, tf.height
        mx, my = (margin, margin) if isinstance(margin, (int, float)) else margin
        if bbox is None:
            x0, y0, x1, y1 = 0.0, 0.0, width, height
        else:
            bx0, by0, bx1, by1 = _normal(bbox)
            x0, y0 = max(0.0, bx0 - mx), max(0.0, by0 - my)
            x1, y1 = min(width, bx1 + mx), min(height, by1 + my)
            if x1 - x0 < 1 or y1 - y0 < 1:  # a box off the page: show the whole page
                x0, y0, x1, y1 = 0.0, 0.0, width, height
        area = (x1 - x0) * (y1 - y0) * scale * scale
        if area > MAX_PIXELS:
            scale = max(0.5, scale * (MAX_PIXELS / area) ** 0.5)
        crop = (x0, height - y1, width - x1, y0)  # amounts cut off: left, bottom, right, top
        bitmap = pg.render(scale=scale, crop=crop, may_draw_forms=True)
        try:
            image = bitmap.to_pil().convert("RGB")
        finally:
            bitmap.close()
        if highlight is not None:
            hx0, hy0, hx1, hy1 = _normal(highlight)
            box = ((hx0 - x0) * scale, (hy0 - y0) * scale, (hx1 - x0) * scale, (hy1 - y0) * scale)
            overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(overlay)
            line = max(2, round(scale))
            pad = line  # the outline sits just outside the box, not over the digits
            draw.rectangle((box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad), fill=HIGHLIGHT_FILL, outline=HIGHLIGHT_LINE, width=line)
            image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue()


def render_crop(
    pdf_bytes: bytes,
    page: int,
    bbox: BBox | None,
    highlight: BBox | None = None,
    scale: float = 2.0,
    margin: float | tuple[float, float] = DEFAULT_MARGIN,
) -> bytes:
    """PNG bytes of page `page` (1-based) around `bbox` (± margin points), `highlight` outlined.

    bbox None renders the whole page. Raises ValueError for a page out of range and
    gongkai.errors.InputError when the PDF cannot be opened. For several crops of one
    PDF, use PageCrops (opens the document once).
    """
    with PageCrops(pdf_bytes) as crops:
        return crops.render(page, bbox, highlight, scale, margin)


def _key(box) -> tuple | None:
    return None if box is None else tuple(float(v) for v in box)


def _normal(box: BBox) -> BBox:
    x0, y0, x1, y1 = (float(v) for v in box)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
