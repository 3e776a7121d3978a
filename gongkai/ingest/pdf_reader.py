"""Text-layer PDF → the block stream (headings, text lines, table grids) with page boxes.

Pipeline per page (see docs/pdf.md):
  1. PDFium (pypdfium2) gives the characters (with baseline and font size) and the
     ruling lines drawn by path objects              → gongkai.ingest.pdf_chars
  2. ruling lines → table lattices; characters inside a table go to its cells,
     the others are grouped into visual lines         → gongkai.ingest.pdf_layout
  3. lines and grids are emitted top to bottom; lines set clearly larger than the
     body text are headings.
A PDF without a text layer (a scan) is OCR'd when the optional engine is installed
(gongkai.ingest.pdf_ocr), otherwise refused with a message that says so.
"""

from __future__ import annotations

from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..errors import InputError
from ..limits import exceeded, limit
from ..model.provenance import Provenance
from .blocks import Block, GridRow
from .pdf_chars import PageContent, miner_pages, read_page, within
from .pdf_layout import Line, TableRegion, fill_table, find_tables, group_lines, join_wrapped
from ..patterns import lazy_compile

HEADING_RATIO = 1.15  # a line this much larger than the body text is a heading
MIN_TEXT_CHARS = 8  # a page with fewer characters has no usable text layer
OCR_HINT = "OCR is needed (install the optional extra: pip install 'gongkai[ocr]')"


class _Page:
    __slots__ = ("number", "width", "height", "lines", "tables")

    def __init__(self, number: int, width: float, height: float, lines: list[Line], tables: list[TableRegion]):
        self.number = number
        self.width = width
        self.height = height
        self.lines = lines
        self.tables = tables


_ENCRYPT = lazy_compile(rb"/Encrypt\s*(?:\d+\s+\d+\s+R|<<)")


def open_pdf(data: bytes, shown: str):
    """Open with PDFium; every failure is an InputError with a one-line reason."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        # PDFium's error code is thread state that a failure does not always reset
        # (an empty page tree fails with a stale code), so look at the file as well.
        code = getattr(exc, "err_code", None)
        if _ENCRYPT.search(data):
            if code == pdfium_c.FPDF_ERR_SECURITY:
                raise InputError("the PDF uses an unsupported encryption (security handler); provide an unencrypted copy", shown) from None
            raise InputError("the PDF is encrypted and needs a password; provide an unencrypted copy", shown) from None
        if len(data) < 1_000_000 and _page_count(data) == 0:  # an empty page tree is a tiny file
            raise InputError("the PDF has no pages", shown) from None
        raise InputError(f"the PDF is damaged or truncated and cannot be opened ({_reason(exc)})", shown) from None
    except Exception as exc:  # ctypes/OS level failures: still one line for the user
        raise InputError(f"the PDF cannot be opened ({type(exc).__name__}: {exc})", shown) from None
    if b"%%EOF" not in data[-4096:]:
        pdf.close()
        raise InputError("the PDF is truncated (its end-of-file marker is missing); download it again", shown)
    return pdf


_STREAM = lazy_compile(rb"(?<!end)stream\r?\n")
_ENDSTREAM = lazy_compile(rb"endstream")


def check_inflated_size(data: bytes, shown: str) -> None:
    """Refuse a flate bomb before PDFium inflates it: inflate every stream that zlib
    accepts, a megabyte at a time and without keeping the output, and stop once the
    total passes the limit. Linear in the file; a real report inflates to tens of MiB."""
    import bisect
    import zlib

    budget = limit("pdf-inflated-mb") * 1048576
    total = 0
    ends = [m.start() for m in _ENDSTREAM.finditer(data)]
    for m in _STREAM.finditer(data):
        start = m.end()
        if start + 2 > len(data):
            break
        cmf, flg = data[start], data[start + 1]
        if cmf & 0x0F != 8 or cmf >> 4 > 7 or (cmf * 256 + flg) % 31:
            continue  # not a zlib header
        k = bisect.bisect_left(ends, start)
        stop = ends[k] if k < len(ends) else len(data)
        inflater = zlib.decompressobj()
        chunk = data[start:min(stop, start + 65536)]
        pos = start + len(chunk)
        try:
            while chunk and not inflater.eof:
                total += len(inflater.decompress(chunk, 1048576))
                if total > budget:
                    raise exceeded("pdf-inflated-mb", f"more than {budget // 1048576:,}", shown)
                if inflater.unconsumed_tail:
                    chunk = inflater.unconsumed_tail
                else:
                    chunk = data[pos:min(stop, pos + 65536)]
                    pos += len(chunk)
        except zlib.error:
            continue


def _page_count(data: bytes) -> int | None:
    """Pages according to pdfminer (only asked when PDFium refuses a file); None if unreadable
    or when pdfminer takes longer than the fallback's time limit."""
    try:
        return within(limit("pdf-fallback-seconds"), lambda: len(miner_pages(data)))
    except Exception:
        return None


def _reason(exc: Exception) -> str:
    text = str(exc).strip().rstrip(".")
    return text.replace("Failed to load document ", "").strip("() ") or type(exc).__name__


def read_pages(pdf, shown: str, data: bytes) -> list[PageContent]:
    count = len(pdf)
    if count == 0:
        raise InputError("the PDF has no pages", shown)
    if count > limit("pages"):
        raise exceeded("pages", f"{count:,}", shown)
    pages = []
    miner: dict = {}  # pdfminer's parse of the document, if some page needs it
    for i in range(count):
        try:
            pages.append(read_page(pdf, i, data, miner))
        except (pdfium.PdfiumError, OSError, ValueError) as exc:
            raise InputError(f"the PDF is damaged: page {i + 1} cannot be read ({_reason(exc)})", shown) from None
    return pages


def read_pdf_blocks(data: bytes, shown: str) -> tuple[list[Block], int, list[int]]:
    """The block stream of a PDF, its page count and the pages read by OCR. Raises InputError."""
    check_inflated_size(data, shown)
    pdf = open_pdf(data, shown)
    try:
        contents = read_pages(pdf, shown, data)
        # a page has no usable text layer when it has (almost) no characters, or when
        # most of them have no Unicode meaning (fonts without a ToUnicode map)
        textless = [p for p in contents if len(p.chars) < MIN_TEXT_CHARS or p.unmapped > len(p.chars)]
        before = list(contents)
        if len(textless) == len(contents):
            unmapped = sum(p.unmapped for p in contents)
            contents = _ocr_or_refuse(pdf, contents, shown, unmapped)
        elif textless:
            contents = _ocr_some(pdf, contents, textless)
        ocr_pages = [new.number for old, new in zip(before, contents) if new is not old]
        return layout_blocks(contents, _unread_pages(contents)), len(contents), ocr_pages
    finally:
        pdf.close()


def _unread_pages(contents: list[PageContent]) -> dict[int, str]:
    """Pages whose content could not be read: "page-image-only" (images, no usable text:
    a scanned page OCR did not read) or "page-blank" (neither text nor images)."""
    out: dict[int, str] = {}
    for p in contents:
        text = sum(1 for ch in p.chars if not ch.text.isspace())
        if p.images and (text < MIN_TEXT_CHARS or p.unmapped > text):
            out[p.number] = "page-image-only"
        elif not p.images and text == 0 and not p.hlines and not p.vlines:
            out[p.number] = "page-blank"
    return out


def _ocr_or_refuse(pdf, contents: list[PageContent], shown: str, unmapped: int) -> list[PageContent]:
    from . import pdf_ocr

    if not pdf_ocr.available():
        if unmapped >= MIN_TEXT_CHARS:
            raise InputError(f"the PDF's text layer cannot be decoded (fonts without a Unicode map): {OCR_HINT}", shown)
        raise InputError(f"scanned PDF without a text layer: {OCR_HINT}", shown)
    try:
        return [pdf_ocr.ocr_page(pdf, p.number - 1) for p in contents]
    except Exception as exc:  # the OCR engine failing is the user's input problem too
        raise InputError(f"scanned PDF without a text layer, and OCR failed ({type(exc).__name__}: {exc})", shown) from None


def _ocr_some(pdf, contents: list[PageContent], textless: list[PageContent]) -> list[PageContent]:
    """Pages that are images among text pages: OCR them when possible, else leave them empty."""
    from . import pdf_ocr

    scanned = [p for p in textless if p.images or p.unmapped]
    if not scanned or not pdf_ocr.available():
        return contents
    by_number = {p.number: p for p in contents}
    for p in scanned:
        try:
            by_number[p.number] = pdf_ocr.ocr_page(pdf, p.number - 1)
        except Exception:
            continue
    return [by_number[p.number] for p in contents]


# --------------------------------------------------------------------------- layout → blocks


def layout_page(content: PageContent) -> _Page:
    tables = find_tables(content)
    rest = content.chars
    if tables:
        inside: list[list] = [[] for _ in tables]
        rest = []
        for ch in content.chars:
            for k, t in enumerate(tables):
                if t.contains(ch):
                    inside[k].append(ch)
                    break
            else:
                rest.append(ch)
        for t, chars in zip(tables, inside):
            fill_table(t, chars)
    return _Page(content.number, content.width, content.height, group_lines(rest), tables)


def layout_blocks(contents: list[PageContent], unread: dict[int, str] | None = None) -> list[Block]:
    """The block stream; a page that could not be read leaves a marker block (kind
    "page-image-only" or "page-blank", no text) where its content would be, so nothing
    reads across it as if it were not there (a table is not continued over it)."""
    pages = [layout_page(c) for c in contents]
    sizes: Counter = Counter()
    for p in pages:
        for ln in p.lines:
            sizes[round(ln.size, 1)] += len(ln.chars)
    body = sizes.most_common(1)[0][0] if sizes else 10.5
    # the left margin of body text, for telling a heading wrapped at the right margin
    lefts = sorted(min(ln.x0 for ln in body_lines) for p in pages if (body_lines := [ln for ln in p.lines if abs(ln.size - body) < 0.5]))
    margin = lefts[len(lefts) // 2] if lefts else 72.0
    # the usual white space between two lines of a paragraph: more than that is a gap
    pitches = []
    for p in pages:
        prev = None
        for ln in p.lines:  # in baseline order (group_lines)
            if prev is not None and abs(ln.size - body) < 0.5 and abs(prev.size - body) < 0.5:
                pitch = ln.base - prev.base
                if 0.9 * body < pitch < 3 * body:
                    pitches.append(pitch)
            prev = ln
    pitches.sort()
    leading = (pitches[len(pitches) // 2] - body) if pitches else 0.3 * body
    blocks: list[Block] = []
    for p in pages:
        if unread and p.number in unread:
            blocks.append(Block(unread[p.number], prov=Provenance(page=p.number), gap_before=True))
        blocks.extend(_page_blocks(p, body, margin, leading))
    return blocks


def _box(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    return (round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2))


def _page_blocks(page: _Page, body: float, margin: float, leading: float) -> list[Block]:
    items: list[tuple[float, float, int, object]] = []
    for ln in page.lines:
        items.append((ln.top, ln.x0, 0, ln))
    for t in page.tables:
        for k, ln in enumerate(t.before):
            items.append((t.top - 0.01 * (len(t.before) - k), ln.x0, 0, ln))
        if t.rows:
            items.append((t.top, t.bbox[0], 1, t))
        for k, ln in enumerate(t.after):
            items.append((t.bbox[3] + 0.01 * (k + 1), ln.x0, 0, ln))
    items.sort(key=lambda it: (it[0], it[2], it[1]))
    right = page.width - margin
    out: list[Block] = []
    prev_bottom: float | None = None
    prev_heading: Line | None = None
    for _, _, kind, item in items:
        if kind == 1:
            t: TableRegion = item  # type: ignore[assignment]
            rows = [
                GridRow(
                    list(row.cells),
                    Provenance(page=page.number, bbox=_box(*row.bbox)),
                    [Provenance(page=page.number, bbox=_box(*b)) for b in row.cell_boxes],
                )
                for row in t.rows
            ]
            out.append(Block("grid", rows=rows, prov=Provenance(page=page.number, bbox=_box(*t.bbox)), gap_before=True))
            prev_bottom = t.bbox[3]
            prev_heading = None
            continue
        ln: Line = item  # type: ignore[assignment]
        text = ln.text.strip()
        if not text:
            continue
        heading = ln.size >= HEADING_RATIO * body and len(text) <= 80
        if (
            heading
            and prev_heading is not None
            and out
            and out[-1].kind == "heading"
            and abs(ln.size - prev_heading.size) <= 0.1 * ln.size
            and ln.top - prev_heading.bottom <= 0.8 * ln.size
            and prev_heading.x1 >= right - 2 * ln.size
        ):
            # a heading wrapped over lines ("…部门决算情况" / "说明"): one block; the
            # next line is tested against this one, the text and box grow with each line
            last = out[-1]
            last.text = join_wrapped(last.text, text)
            last.prov = last.prov.merge(Provenance(page=page.number, bbox=_box(ln.x0, ln.top, ln.x1, ln.bottom)))
            prev_heading = ln
            prev_bottom = ln.bottom
            continue
        gap = prev_bottom is None or ln.top - prev_bottom > max(0.9 * ln.size, leading + 0.5 * ln.size)
        out.append(
            Block(
                "heading" if heading else "text",
                text=text,
                prov=Provenance(page=page.number, bbox=_box(ln.x0, ln.top, ln.x1, ln.bottom)),
                gap_before=gap,
            )
        )
        prev_bottom = ln.bottom
        prev_heading = ln if heading else None
    return out
