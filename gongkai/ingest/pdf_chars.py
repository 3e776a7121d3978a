"""Characters and ruling lines of a text-layer PDF page, through PDFium (pypdfium2).

Everything leaves this module in *display* coordinates: PDF points, origin at the
top-left of the page as it is shown (crop box and /Rotate applied), y growing
downwards — the convention of pdfplumber's ``top``/``bottom`` and of
:class:`gongkai.model.provenance.Provenance`.

Only the raw PDFium calls that are needed are made, once per character and once
per path segment: this is the hot loop of the PDF reader.
"""

from __future__ import annotations

import ctypes
import math
from dataclasses import field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..records import record

# The em box of a character relative to its baseline, as a fraction of the font
# size. Font ascent/descent differ between the Chinese and the Latin fonts of one
# report (Times New Roman's loose box is twice as tall as FangSong's), so the
# vertical extent is computed from baseline and size, identical for every font.
ASCENT = 0.86
DESCENT = 0.14

_SKIP = frozenset(" \t\r\n\f\v\u00a0\u3000\u2002\u2003\u2009\u200b\ufeff\x00")
_WHITE = 245  # a stroke/fill this light is not a visible ruling line


class Char:
    """One character: text, x-extent, baseline and effective font size (display space)."""

    __slots__ = ("text", "x0", "x1", "base", "size", "top", "bottom", "cx", "cy")

    def __init__(self, text: str, x0: float, x1: float, base: float, size: float):
        self.text = text
        self.x0 = x0
        self.x1 = x1
        self.base = base
        self.size = size
        self.top = base - ASCENT * size
        self.bottom = base + DESCENT * size
        self.cx = (x0 + x1) / 2
        self.cy = base - (ASCENT - DESCENT) / 2 * size

    def __repr__(self) -> str:
        return f"Char({self.text!r}, x={self.x0:.1f}-{self.x1:.1f}, base={self.base:.1f}, size={self.size:.1f})"


@record
class Segment:
    """An axis-parallel ruling line: horizontal (y0 == y1) or vertical (x0 == x1)."""

    x0: float
    y0: float
    x1: float
    y1: float


@record
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    chars: list[Char] = field(default_factory=list)
    hlines: list[Segment] = field(default_factory=list)
    vlines: list[Segment] = field(default_factory=list)
    images: int = 0  # image objects on the page (a scan has images and no chars)
    unmapped: int = 0  # characters without a Unicode mapping
    glyphless: int = 0  # text PDFium could not measure (a non-embedded font it has no substitute for)


class _Transform:
    """PDF user space → display space (crop box origin at top-left, /Rotate applied)."""

    __slots__ = ("left", "bottom", "right", "top", "rotation", "width", "height")

    def __init__(self, cropbox: tuple[float, float, float, float], rotation: int):
        left, bottom, right, top = cropbox
        self.left, self.bottom, self.right, self.top = left, bottom, right, top
        self.rotation = rotation % 360
        w, h = right - left, top - bottom
        self.width, self.height = (h, w) if self.rotation in (90, 270) else (w, h)

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x


def page_transform(page: pdfium.PdfPage) -> _Transform:
    try:
        box = page.get_cropbox()
    except Exception:  # pragma: no cover - defensive: a broken box
        box = page.get_mediabox()
    return _Transform(tuple(float(v) for v in box), int(page.get_rotation() or 0))


def _page_text(raw, count: int) -> str | None:
    """All characters of the text page in one call (one UTF-16 unit per index), or None."""
    buf = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buf)
    if written <= 0:
        return None
    text = bytes(buf)[: 2 * (written - 1)].decode("utf-16-le", errors="surrogatepass")
    return text if len(text) == count else None


def read_chars(textpage: pdfium.PdfTextPage, tf: _Transform, content: PageContent) -> None:
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return
    text = _page_text(raw, count)
    get_unicode = pdfium_c.FPDFText_GetUnicode
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    get_origin = pdfium_c.FPDFText_GetCharOrigin
    get_size = pdfium_c.FPDFText_GetFontSize
    get_matrix = pdfium_c.FPDFText_GetMatrix
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    p_rect, p_matrix, p_ox, p_oy = ctypes.byref(rect), ctypes.byref(matrix), ctypes.byref(ox), ctypes.byref(oy)
    rotated = tf.rotation != 0
    left, top = tf.left, tf.top
    sqrt = math.sqrt
    out = content.chars
    append = out.append
    seen: set[tuple[str, int, int]] = set()
    cache: dict[tuple[float, float], tuple[float, float, float]] = {}
    unmapped = 0
    for i in range(count):
        if text is not None:
            ch = text[i]
            code = ord(ch)
        else:
            code = get_unicode(raw, i)
            ch = chr(code) if 0 < code < 0x110000 else "\ufffd"
        if code < 33 or ch in _SKIP:
            continue
        if code == 0xFFFD or 0xE000 <= code <= 0xF8FF or code >= 0xFFFE and code <= 0xFFFF:
            unmapped += 1
            continue
        if 0xD800 <= code <= 0xDFFF:
            continue  # half of a pair the single-call text could not map; rare
        get_box(raw, i, p_rect)
        font_size = get_size(raw, i)
        # Effective size (font size x text/CTM scale) and baseline offset from the box
        # bottom depend on font and scale only: computed once per (size, box height).
        rb, rt = rect.bottom, rect.top
        metrics_key = (font_size, round(rt - rb, 2))
        metrics = cache.get(metrics_key)
        if metrics is None:
            size = font_size
            skewed = False
            if get_matrix(raw, i, p_matrix):
                a, b = matrix.a, matrix.b
                scale = sqrt(abs(a * matrix.d - b * matrix.c))
                if scale > 0:
                    size *= scale
                # neither horizontal nor vertical: a diagonal watermark, not content
                skewed = abs(a) > 0.1 * abs(b) and abs(b) > 0.1 * abs(a)
            if size <= 0.5 or size > 400:
                size = abs(rt - rb) or 10.0
            get_origin(raw, i, p_ox, p_oy)
            metrics = cache[metrics_key] = (size, oy.value - rb, skewed)
        size, dy, skewed = metrics
        if skewed:
            continue
        if rotated:
            ax, ay = tf(rect.left, rt)
            bx, by = tf(rect.right, rb)
            x0, x1 = (ax, bx) if ax <= bx else (bx, ax)
            get_origin(raw, i, p_ox, p_oy)
            base = tf(ox.value, oy.value)[1]
        else:
            x0 = rect.left - left
            x1 = rect.right - left
            base = top - (rb + dy)
        if x1 - x0 < 0.01:
            x1 = x0 + size * 0.5
        key = (ch, int(x0 * 2), int(base * 2))  # overprinted duplicates ("fake bold")
        if key in seen:
            continue
        seen.add(key)
        append(Char(ch, x0, x1, base, size))
    content.unmapped += unmapped


def _mat_mul(m: tuple, n: tuple) -> tuple:
    """Apply m, then n (both PDF matrices a b c d e f)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def read_rulings(page: pdfium.PdfPage, tf: _Transform, content: PageContent) -> None:
    """Horizontal and vertical ruling lines from path objects (also inside form XObjects)."""
    raw = page.raw
    fm = pdfium_c.FS_MATRIX()
    pf = ctypes.byref(fm)
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.byref(x), ctypes.byref(y)
    fillmode, stroke = ctypes.c_int(), ctypes.c_int()
    pfill, pstroke = ctypes.byref(fillmode), ctypes.byref(stroke)
    cr, cg, cb, ca = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    pr, pg, pb, pa = ctypes.byref(cr), ctypes.byref(cg), ctypes.byref(cb), ctypes.byref(ca)
    bl, bb, br, bt = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    pbl, pbb, pbr, pbt = ctypes.byref(bl), ctypes.byref(bb), ctypes.byref(br), ctypes.byref(bt)

    def visible(getter, obj) -> bool:
        if not getter(obj, pr, pg, pb, pa):
            return True
        if ca.value == 0:
            return False
        return not (cr.value >= _WHITE and cg.value >= _WHITE and cb.value >= _WHITE)

    def add(x0: float, y0: float, x1: float, y1: float) -> None:
        X0, Y0 = tf(x0, y0)
        X1, Y1 = tf(x1, y1)
        dx, dy = abs(X1 - X0), abs(Y1 - Y0)
        if dy <= 1.0 and dx >= 2.0:
            yy = (Y0 + Y1) / 2
            content.hlines.append(Segment(min(X0, X1), yy, max(X0, X1), yy))
        elif dx <= 1.0 and dy >= 2.0:
            xx = (X0 + X1) / 2
            content.vlines.append(Segment(xx, min(Y0, Y1), xx, max(Y0, Y1)))

    def add_bar(X0: float, Y0: float, X1: float, Y1: float) -> bool:
        """A thin bar (display space, X0 <= X1, Y0 <= Y1) is a ruling line: added, True."""
        w, h = X1 - X0, Y1 - Y0
        if h <= 3.0 and w >= 2.0:
            content.hlines.append(Segment(X0, (Y0 + Y1) / 2, X1, (Y0 + Y1) / 2))
            return True
        if w <= 3.0 and h >= 2.0:
            content.vlines.append(Segment((X0 + X1) / 2, Y0, (X0 + X1) / 2, Y1))
            return True
        return False

    def add_box(xs: list[float], ys: list[float]) -> None:
        # a filled subpath: a thin bar is a line; a coloured cell background gives its edges
        pts = [tf(a, b) for a, b in zip(xs, ys)]
        X0 = min(p[0] for p in pts)
        X1 = max(p[0] for p in pts)
        Y0 = min(p[1] for p in pts)
        Y1 = max(p[1] for p in pts)
        if add_bar(X0, Y0, X1, Y1):
            return
        w, h = X1 - X0, Y1 - Y0
        if w >= 2.0 and h >= 2.0 and (w < tf.width * 0.95 or h < tf.height * 0.95):
            content.hlines.append(Segment(X0, Y0, X1, Y0))
            content.hlines.append(Segment(X0, Y1, X1, Y1))
            content.vlines.append(Segment(X0, Y0, X0, Y1))
            content.vlines.append(Segment(X1, Y0, X1, Y1))

    def path(obj, parent: tuple) -> None:
        n = pdfium_c.FPDFPath_CountSegments(obj)
        if n <= 1:
            return
        pdfium_c.FPDFPath_GetDrawMode(obj, pfill, pstroke)
        stroked = bool(stroke.value) and visible(pdfium_c.FPDFPageObj_GetStrokeColor, obj)
        filled = fillmode.value != 0 and visible(pdfium_c.FPDFPageObj_GetFillColor, obj)
        if not stroked and not filled:
            return
        if (n == 2 and stroked) or (n <= 5 and filled and not stroked):
            # the common case, one line or one bar per path object: its bounds say it all
            if pdfium_c.FPDFPageObj_GetBounds(obj, pbl, pbb, pbr, pbt):
                a, b, c, d, e, f = parent
                xs_ = [a * bx + c * by + e for bx, by in ((bl.value, bb.value), (br.value, bt.value))]
                ys_ = [b * bx + d * by + f for bx, by in ((bl.value, bb.value), (br.value, bt.value))]
                P0 = tf(min(xs_), min(ys_))
                P1 = tf(max(xs_), max(ys_))
                X0, X1 = min(P0[0], P1[0]), max(P0[0], P1[0])
                Y0, Y1 = min(P0[1], P1[1]), max(P0[1], P1[1])
                if add_bar(X0, Y0, X1, Y1):
                    return
                if n == 2 or X1 - X0 < 2.0 or Y1 - Y0 < 2.0:
                    return  # a diagonal or a dot
        own = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        if pdfium_c.FPDFPageObj_GetMatrix(obj, pf):
            own = (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)
        a, b, c, d, e, f = _mat_mul(own, parent)
        cur = start = None
        sub_x: list[float] = []
        sub_y: list[float] = []
        curved = False

        def flush() -> None:
            nonlocal curved
            if filled and not stroked and len(sub_x) >= 3 and not curved:
                add_box(sub_x, sub_y)
            sub_x.clear()
            sub_y.clear()
            curved = False

        for k in range(n):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj, k)
            if not seg:
                continue
            pdfium_c.FPDFPathSegment_GetPoint(seg, px, py)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            X = a * x.value + c * y.value + e
            Y = b * x.value + d * y.value + f
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                flush()
                cur = start = (X, Y)
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO:
                if cur is not None and stroked:
                    add(cur[0], cur[1], X, Y)
                cur = (X, Y)
            else:  # Bézier control or end point: not a ruling line
                curved = True
                cur = (X, Y)
            sub_x.append(X)
            sub_y.append(Y)
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                if stroked and cur is not None:
                    add(cur[0], cur[1], start[0], start[1])
                cur = start
        flush()

    # Depth-first over the page's objects and, inside form XObjects, theirs, in drawing order.
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack = [(pdfium_c.FPDFPage_GetObject, raw, identity, 0, iter(range(pdfium_c.FPDFPage_CountObjects(raw))))]
    while stack:
        getter, parent, m, depth, indices = stack[-1]
        i = next(indices, None)
        if i is None:
            stack.pop()
            continue
        obj = getter(parent, i)
        if not obj:
            continue
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind == pdfium_c.FPDF_PAGEOBJ_PATH:
            path(obj, m)
        elif kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
            # PDFium's text page silently drops a text object whose glyphs it cannot
            # measure (zero-width bounds: a non-embedded CJK font and no system font
            # to substitute). Count them; the page is then read with pdfminer.
            if pdfium_c.FPDFPageObj_GetBounds(obj, pbl, pbb, pbr, pbt) and (br.value - bl.value < 0.01 or bt.value - bb.value < 0.01):
                font = pdfium_c.FPDFTextObj_GetFont(obj)
                if font and not pdfium_c.FPDFFont_GetIsEmbedded(font):
                    content.glyphless += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            content.images += 1
        elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < 8:
            own = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            if pdfium_c.FPDFPageObj_GetMatrix(obj, pf):
                own = (fm.a, fm.b, fm.c, fm.d, fm.e, fm.f)
            count = pdfium_c.FPDFFormObj_CountObjects(obj)
            stack.append((pdfium_c.FPDFFormObj_GetObject, obj, _mat_mul(own, m), depth + 1, iter(range(count))))


def read_page(pdf: pdfium.PdfDocument, index: int, data: bytes, miner: dict) -> PageContent:
    """Characters and ruling lines of page `index` (0-based). `data` is the file (for the
    pdfminer fallback) and `miner` the caller's per-document cache of pdfminer's parse."""
    page = pdf[index]
    try:
        tf = page_transform(page)
        content = PageContent(index + 1, tf.width, tf.height)
        textpage = page.get_textpage()
        try:
            read_chars(textpage, tf, content)
        finally:
            textpage.close()
        read_rulings(page, tf, content)
        if content.glyphless:
            chars = read_chars_pdfminer(data, index, tf, miner)
            if chars is not None:
                content.chars = chars
    finally:
        page.close()
    return content


def miner_pages(data: bytes) -> list:
    """pdfminer.six's pages of a document (its parse of the file). Raises on any failure,
    ImportError included."""
    return list(_miner_page_iter(data))


def _quiet_pdfminer() -> None:
    """pdfminer logs every oddity of a damaged file as a warning, which Python's last-resort
    handler prints to stderr: a user's one-line error must stay one line."""
    import logging

    log = logging.getLogger("pdfminer")
    if not log.handlers:
        log.addHandler(logging.NullHandler())
        log.propagate = False


def _miner_page_iter(data: bytes):
    import io

    _quiet_pdfminer()

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    return PDFPage.create_pages(PDFDocument(PDFParser(io.BytesIO(data))))


class _Timeout(Exception):
    pass


def within(seconds: float, work):
    """`work()`, stopped with TimeoutError after `seconds` (pure-Python work such as
    pdfminer's; an alarm signal, so only in the main thread and when no other alarm is
    set — elsewhere unbounded)."""
    import signal
    import threading

    if seconds <= 0:
        raise TimeoutError("no time left")
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return work()
    if signal.getitimer(signal.ITIMER_REAL)[0] > 0:  # the application's own alarm: leave it alone
        return work()

    def alarm(signum, frame):
        raise _Timeout()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return work()
    except _Timeout:
        raise TimeoutError(f"over {seconds:.1f} s") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def read_chars_pdfminer(data: bytes, index: int, tf: _Transform, miner: dict) -> list[Char] | None:
    """The characters of one page through pdfminer.six (slow; only for pages PDFium cannot measure).

    pdfminer needs no system fonts: widths come from the PDF and the CJK CMaps ship
    with it. Coordinates are taken in user space (page rotation switched off) and
    mapped to display space with the same transform as PDFium's. Pages are parsed
    only as far as the one needed, and all of pdfminer's work on one document shares
    the time limit `pdf-fallback-seconds`; past it the page is left to the caller's
    handling of unreadable glyphs.
    """
    import time

    from ..limits import limit

    try:
        from pdfminer.converter import PDFPageAggregator
        from pdfminer.layout import LTChar, LTContainer
        from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    except ImportError:  # pragma: no cover - pdfminer.six comes with pdfplumber
        return None
    if "deadline" not in miner:
        miner["deadline"] = time.monotonic() + limit("pdf-fallback-seconds")

    def one_page():
        if "pages" not in miner:  # parsed once per document, lazily (miner is the caller's cache)
            miner["iter"] = _miner_page_iter(data)
            miner["pages"] = []
            miner["manager"] = PDFResourceManager(caching=True)
        pages = miner["pages"]
        while len(pages) <= index:
            nxt = next(miner["iter"], None)
            if nxt is None:
                return None
            pages.append(nxt)
        target = pages[index]
        target.rotate = 0
        device = PDFPageAggregator(miner["manager"], laparams=None)
        PDFPageInterpreter(miner["manager"], device).process_page(target)
        return target, device.get_result()

    try:
        got = within(miner["deadline"] - time.monotonic(), one_page)
    except Exception:
        return None
    if got is None:
        return None
    target, layout = got
    mx0, my0 = target.mediabox[0], target.mediabox[1]
    out: list[Char] = []
    stack = [layout]
    while stack:
        node = stack.pop()
        for item in node:
            if isinstance(item, LTChar):
                text = item.get_text()
                if len(text) != 1 or text in _SKIP or ord(text) < 33:
                    continue
                a, b, c, d, e, f = item.matrix
                size = item.size or 10.0
                adv = item.adv
                p0 = tf(e + mx0, f + my0)  # origin
                p1 = tf(a * adv + e + mx0, b * adv + f + my0)  # end of the advance
                base = p0[1]
                x0, x1 = (p0[0], p1[0]) if p0[0] <= p1[0] else (p1[0], p0[0])
                out.append(Char(text, x0, x1, base, size))
            elif isinstance(item, LTContainer):
                stack.append(item)
    return out
