"""Synthetic disclosure-report PDFs drawn with reportlab, so the ground truth is known.

The CJK text uses reportlab's built-in CID font STSong-Light (no font file needed;
PDFium and pdfminer both map it to proper Unicode). Numbers are set in Times-Roman
*with a slightly raised baseline*, as in real reports, so line assembly has to
group by baseline with a tolerance.

Tables are described by a lattice: column widths, merged header cells and data rows.
`Table.expected_rows()` gives the grid rows a correct reader must produce (a spanning
cell's text at its top-left position, covered positions blank, wrapped text joined).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CID = "STSong-Light"  # reportlab's built-in CID font: not embedded in the PDF
BOX = "GongkaiBoxSong"  # a generated TrueType font with square glyphs, embedded (subset)
LATIN = "Times-Roman"
NUMBER_RISE = 0.9  # points: numbers sit this much above the CJK baseline
_RUN = re.compile(r"[0-9.,%+\-]+|[^0-9.,%+\-]+")
_registered: set[str] = set()

CJK = BOX  # the font the synthetic reports use for Chinese text


def _fonts() -> None:
    if CID not in _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(CID))
        _registered.add(CID)
    if BOX not in _registered:
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont(BOX, io.BytesIO(box_font())))
        _registered.add(BOX)


_RANGES = [(0x20, 0x7E), (0x2010, 0x206F), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF)]


def box_font() -> bytes:
    """A minimal TrueType font: a square glyph for every Chinese character (one em) and
    every ASCII/punctuation character (half an em, fullwidth forms one em).

    Real reports embed subsets of their Chinese fonts; a font whose glyphs exist lets
    PDFium compute character boxes the way it does for real files. Built here so the
    tests need no font file (there is none with Chinese glyphs on a bare system).
    """
    import struct

    def square(x0: int, y0: int, x1: int, y1: int) -> bytes:
        pts = [(x0, y0), (x0, y1), (x1, y1), (x1, y0)]
        data = struct.pack(">hhhhhHH", 1, x0, y0, x1, y1, 3, 0) + bytes([1, 1, 1, 1])
        deltas = [(x - px, y - py) for (x, y), (px, py) in zip(pts, [(0, 0)] + pts[:-1])]
        data += b"".join(struct.pack(">h", dx) for dx, _ in deltas) + b"".join(struct.pack(">h", dy) for _, dy in deltas)
        return data + b"\0" * (-len(data) % 4)

    wide_glyph, narrow_glyph = square(60, -60, 940, 800), square(40, 0, 460, 700)
    codes = [c for lo, hi in _RANGES for c in range(lo, hi + 1)]
    glyphs = [b""]  # .notdef (empty)
    widths = [500]
    for code in codes:
        wide = code >= 0x3000 or 0x2E80 <= code
        widths.append(1000 if wide else 500)
        glyphs.append(b"" if code == 0x20 else (wide_glyph if wide else narrow_glyph))
    n = len(glyphs)
    loca, off = [], 0
    for g in glyphs:
        loca.append(off)
        off += len(g)
    loca.append(off)
    glyf = b"".join(glyphs)

    def name_table() -> bytes:
        records = [(1, "Gongkai Box Song"), (2, "Regular"), (4, "Gongkai Box Song"), (6, BOX)]
        strings = b""
        recs = b""
        for nid, text in records:
            raw = text.encode("utf-16-be")
            recs += struct.pack(">HHHHHH", 3, 1, 0x409, nid, len(raw), len(strings))
            strings += raw
        return struct.pack(">HHH", 0, len(records), 6 + 12 * len(records)) + recs + strings

    # cmap format 4: one segment per range (idDelta maps it onto consecutive glyphs), then 0xFFFF
    segs, first = [], 1
    for lo, hi in _RANGES:
        segs.append((lo, hi, (first - lo) & 0xFFFF))
        first += hi - lo + 1
    segs.append((0xFFFF, 0xFFFF, 1))
    seg_count = len(segs)
    search = 2 ** (seg_count.bit_length() - 1)
    sub = struct.pack(">HHHH", seg_count * 2, search * 2, search.bit_length() - 1, 2 * seg_count - 2 * search)
    sub += b"".join(struct.pack(">H", e) for _, e, _ in segs) + b"\0\0"
    sub += b"".join(struct.pack(">H", s) for s, _, _ in segs)
    sub += b"".join(struct.pack(">H", d) for _, _, d in segs)
    sub += b"\0\0" * seg_count
    sub = struct.pack(">HHH", 4, 6 + len(sub), 0) + sub
    cmap = struct.pack(">HHHHI", 0, 1, 3, 1, 12) + sub

    tables = {
        b"head": struct.pack(">HHHHIIHHqqhhhhHHhhh", 1, 0, 1, 0, 0, 0x5F0F3CF5, 0, 1000, 0, 0, 0, -120, 1000, 880, 0, 8, 2, 1, 0),
        b"hhea": struct.pack(">HHhhhHhhhhhhhhhhhH", 1, 0, 880, -120, 0, 1000, 0, 0, 1000, 1, 0, 0, 0, 0, 0, 0, 0, n),
        b"maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x00010000, n, 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        b"OS/2": struct.pack(">HhHHHhhhhhhhhhhh", 1, 800, 400, 5, 0, 500, 500, 0, 0, 500, 500, 0, 0, 50, 300, 0)
        + bytes(10) + bytes(16) + b"NONE" + struct.pack(">HHHhhhHHII", 0x40, 0x20, 0xFFFF, 880, -120, 0, 880, 120, 0x00040001, 0),
        b"hmtx": b"".join(struct.pack(">Hh", w, 0) for w in widths),
        b"cmap": cmap,
        b"loca": b"".join(struct.pack(">I", o) for o in loca),
        b"glyf": glyf,
        b"name": name_table(),
        b"post": struct.pack(">IIhhIIIII", 0x00030000, 0, -100, 50, 0, 0, 0, 0, 0),
    }
    tags = sorted(tables)
    search = 2 ** (len(tags).bit_length() - 1)
    out = struct.pack(">IHHHH", 0x00010000, len(tags), search * 16, search.bit_length() - 1, len(tags) * 16 - search * 16)
    offset = 12 + 16 * len(tags)
    body = b""
    for tag in tags:
        data = tables[tag]
        padded = data + b"\0" * (-len(data) % 4)
        checksum = sum(struct.unpack(">%dI" % (len(padded) // 4), padded)) & 0xFFFFFFFF
        out += struct.pack(">4sIII", tag, checksum, offset + len(body), len(data))
        body += padded
    return out + body


def width(text: str, size: float) -> float:
    total = 0.0
    for run in _RUN.findall(text):
        font = LATIN if run[0] in "0123456789.,%+-" else CJK
        total += pdfmetrics.stringWidth(run, font, size)
    return total


@dataclass
class Table:
    """A table drawn on one page.

    widths: column widths; header: (r0, c0, r1, c1, text) merged header cells in
    header-row coordinates (text may contain "\\n" for a wrapped cell); header_rows:
    number of header lattice rows; rows: data rows (one string per column, "" blank).
    rules=False omits the horizontal rules between data rows (verticals stay).
    """

    widths: list[float]
    rows: list[list[str]]
    header: list[tuple[int, int, int, int, str]] = field(default_factory=list)
    header_rows: int = 0
    header_height: float = 18.0
    size: float = 9.0
    rules: bool = True
    numeric_right: bool = True

    def row_height(self, row: list[str]) -> float:
        lines = max(len(c.split("\n")) for c in row) if row else 1
        return max(18.0, lines * self.size * 1.3 + 6)

    def expected_rows(self) -> list[list[str]]:
        n = len(self.widths)
        grid = [[""] * n for _ in range(self.header_rows)]
        for r0, c0, _r1, _c1, text in self.header:
            grid[r0][c0] = text.replace("\n", "")
        out = [r for r in grid if any(r)]
        out += [[c.replace("\n", "") for c in row] for row in self.rows if any(row)]
        return out


class Doc:
    def __init__(self, encrypt=None):
        _fonts()
        self.buf = io.BytesIO()
        self.canvas = canvas.Canvas(self.buf, pagesize=A4, encrypt=encrypt, invariant=1)
        self.width, self.height = A4
        self.pages = 0
        self._open = False
        self._obj = None

    # -------------------------------------------------------------- pages
    def page(self, landscape_page: bool = False, rotate: int = 0) -> "Doc":
        if self._open:
            self.canvas.showPage()
        size = landscape(A4) if landscape_page else A4
        self.canvas.setPageSize(size)
        self.width, self.height = size
        if rotate:
            self.canvas.setPageRotation(rotate)
        self.pages += 1
        self._open = True
        return self

    def bytes(self) -> bytes:
        if self._open:
            self.canvas.showPage()
            self._open = False
        self.canvas.save()
        return self.buf.getvalue()

    # -------------------------------------------------------------- text
    def text(self, x: float, top: float, text: str, size: float = 12.0, center: bool = False, right: bool = False, obj=None) -> None:
        """Draw a line whose em box starts at `top` (points from the page top); numbers in Times.

        A line is one text object (BT … ET) switching fonts between runs; `obj` collects
        several lines (a whole table) into one text object, as many generators do.
        """
        c = self.canvas
        w = width(text, size)
        if center:
            x = x - w / 2
        elif right:
            x = x - w
        base = self.height - top - 0.86 * size
        t = obj if obj is not None else c.beginText()
        t.setTextOrigin(x, base)
        for run in _RUN.findall(text):
            numeric = run[0] in "0123456789.,%+-"
            t.setFont(LATIN if numeric else CJK, size)
            t.setRise(NUMBER_RISE if numeric else 0.0)
            t.textOut(run)
        t.setRise(0.0)
        if obj is None:
            c.drawText(t)

    # -------------------------------------------------------------- tables
    def table(self, t: Table, x: float, top: float) -> float:
        """Draw `t` with its top-left corner at (x, top); returns the bottom (points from the top)."""
        c = self.canvas
        c.setLineWidth(0.6)
        self._obj = c.beginText()
        xs = [x]
        for w in t.widths:
            xs.append(xs[-1] + w)
        ys = [top + k * t.header_height for k in range(t.header_rows + 1)]
        for r0, c0, r1, c1, text in t.header:
            self._cell(xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1], text, t.size, "center")
        y = ys[-1]
        data_top = y
        for row in t.rows:
            h = t.row_height(row)
            for k, text in enumerate(row):
                numeric = t.numeric_right and bool(re.fullmatch(r"[-\d,.]+", text)) and len(text) > 3
                align = "right" if numeric else "left"
                if t.rules:
                    self._cell(xs[k], y, xs[k + 1], y + h, text, t.size, align)
                else:
                    self._text_in(xs[k], y, xs[k + 1], y + h, text, t.size, align, top_aligned=True)
            y += h
        if not t.rules:  # only the verticals and the frame around the data area
            for xv in xs:
                self._line(xv, data_top, xv, y)
            self._line(xs[0], data_top, xs[-1], data_top)
            self._line(xs[0], y, xs[-1], y)
        c.drawText(self._obj)
        self._obj = None
        return y

    def _line(self, x0: float, top0: float, x1: float, top1: float) -> None:
        self.canvas.line(x0, self.height - top0, x1, self.height - top1)

    def _cell(self, x0: float, y0: float, x1: float, y1: float, text: str, size: float, align: str) -> None:
        self.canvas.rect(x0, self.height - y1, x1 - x0, y1 - y0, stroke=1, fill=0)
        self._text_in(x0, y0, x1, y1, text, size, align)

    def _text_in(self, x0, y0, x1, y1, text, size, align, top_aligned=False) -> None:
        if not text:
            return
        lines = text.split("\n")
        pitch = size * 1.3
        if top_aligned:
            first = y0 + 3
        else:
            first = (y0 + y1) / 2 - (len(lines) * pitch) / 2 + (pitch - size) / 2
        for k, ln in enumerate(lines):
            top = first + k * pitch
            if align == "center":
                self.text((x0 + x1) / 2, top, ln, size, center=True, obj=self._obj)
            elif align == "right":
                self.text(x1 - 3, top, ln, size, right=True, obj=self._obj)
            else:
                self.text(x0 + 3, top, ln, size, obj=self._obj)


# ------------------------------------------------------------------ the synthetic report

DEPT = "上海市测试区示例局"

HU1 = Table(
    widths=[170, 70, 170, 70],
    header_rows=2,
    header=[(0, 0, 0, 1, "收入"), (0, 2, 0, 3, "支出"), (1, 0, 1, 0, "项目"), (1, 1, 1, 1, "决算数"), (1, 2, 1, 2, "项目"), (1, 3, 1, 3, "决算数")],
    rows=[
        ["一、一般公共预算财政拨款收入", "12,340.05", "一、一般公共服务支出", "10,106.66"],
        ["二、政府性基金预算财政拨款收入", "", "二、外交支出", ""],
        ["八、其他收入", "6.20", "八、社会保障和就业支出", "1,787.20"],
        ["", "", "十九、住房保障支出", "446.19"],
        ["本年收入合计", "12,346.25", "本年支出合计", "12,340.05"],
        ["使用非财政拨款结余（含专用结余）", "", "结余分配", ""],
        ["年初结转和结余", "49.14", "年末结转和结余", "55.34"],
        ["总计", "12,395.39", "总计", "12,395.39"],
    ],
)

_HU2_HEADER = [
    (0, 0, 0, 3, "项目"),
    (1, 0, 1, 2, "支出功能分类"),
    (2, 0, 2, 2, "科目编码"),
    (1, 3, 3, 3, "科目名称"),
    (3, 0, 3, 0, "类"),
    (3, 1, 3, 1, "款"),
    (3, 2, 3, 2, "项"),
    (0, 4, 3, 4, "本年收入合\n计"),
    (0, 5, 3, 5, "财政拨款收\n入"),
    (0, 6, 3, 6, "上级补助\n收入"),
    (0, 7, 3, 7, "事业收\n入"),
    (0, 8, 3, 8, "经营收\n入"),
    (0, 9, 3, 9, "附属单\n位上\n缴收入"),
    (0, 10, 3, 10, "其他收\n入"),
]
HU2_WIDTHS = [40, 40, 40, 160, 70, 70, 55, 50, 50, 55, 50]
HU2_PAGE_A = Table(
    widths=HU2_WIDTHS,
    header_rows=4,
    header=_HU2_HEADER,
    rows=[
        ["", "", "", "合计", "12,346.25", "12,340.05", "", "", "", "", "6.20"],
        ["201", "", "", "一般公共服务支出", "10,112.86", "10,106.66", "", "", "", "", "6.20"],
        ["201", "06", "", "财政事务", "10,112.86", "10,106.66", "", "", "", "", "6.20"],
        ["201", "06", "01", "行政运行", "9,511.90", "9,511.89", "", "", "", "", "0.01"],
        ["201", "06", "02", "一般行政管理事务", "600.96", "594.77", "", "", "", "", "6.19"],
        ["208", "", "", "社会保障和就业支出", "1,787.20", "1,787.20", "", "", "", "", ""],
        ["208", "05", "", "行政事业单位养老支出", "1,787.20", "1,787.20", "", "", "", "", ""],
        ["208", "05", "05", "机关事业单位基本养老保险\n缴费支出", "1,160.75", "1,160.75", "", "", "", "", ""],
        ["208", "05", "06", "机关事业单位职业年金缴费支出", "626.45", "626.45", "", "", "", "", ""],
    ],
)
HU2_PAGE_B = Table(  # the continuation page: no header repeated
    widths=HU2_WIDTHS,
    rows=[
        ["221", "", "", "住房保障支出", "446.19", "446.19", "", "", "", "", ""],
        ["221", "02", "", "住房改革支出", "446.19", "446.19", "", "", "", "", ""],
        ["221", "02", "01", "住房公积金", "187.69", "187.69", "", "", "", "", ""],
        ["221", "02", "03", "购房补贴", "258.50", "258.50", "", "", "", "", ""],
    ],
)

HU5 = Table(  # drawn without horizontal rules between the data rows
    widths=[40, 40, 40, 190, 70, 70, 70],
    header_rows=4,
    header=[
        (0, 0, 0, 3, "项目"),
        (1, 0, 1, 2, "支出功能分类"),
        (2, 0, 2, 2, "科目编码"),
        (1, 3, 3, 3, "科目名称"),
        (3, 0, 3, 0, "类"),
        (3, 1, 3, 1, "款"),
        (3, 2, 3, 2, "项"),
        (0, 4, 3, 4, "合计"),
        (0, 5, 3, 5, "基本支出"),
        (0, 6, 3, 6, "项目支出"),
    ],
    rules=False,
    rows=[
        ["201", "", "", "一般公共服务支出", "2,106.66", "1,503.52", "603.14"],
        ["201", "06", "", "财政事务", "2,106.66", "1,503.52", "603.14"],
        ["201", "06", "01", "行政运行", "1,511.89", "1,503.52", "8.37"],
        ["201", "06", "02", "一般行政管理事务", "594.77", "", "594.77"],
        ["208", "", "", "社会保障和就业支出", "160.75", "160.75", ""],
        ["208", "05", "", "行政事业单位养老支出", "160.75", "160.75", ""],
        ["208", "05", "05", "机关事业单位基本养老保险\n缴费支出", "160.75", "160.75", ""],
        ["", "", "", "合计", "2,267.41", "1,664.27", "603.14"],
    ],
)

HU7 = Table(
    widths=[62] * 12,
    header_rows=5,
    header=[
        (0, 0, 0, 11, "财政拨款“三公”经费"),
        (1, 0, 2, 1, "合计"),
        (1, 2, 2, 3, "因公出国（境）费"),
        (1, 4, 1, 9, "公务用车购置及运行维护费"),
        (2, 4, 2, 5, "小计"),
        (2, 6, 3, 7, "公务用车购置费"),
        (2, 8, 2, 9, "公务用车运行维护费"),
        (1, 10, 3, 11, "公务接待费"),
        (3, 0, 3, 0, ""),
        (3, 1, 3, 1, ""),
        (3, 2, 3, 2, ""),
        (3, 3, 3, 3, ""),
        (3, 4, 3, 4, ""),
        (3, 5, 3, 5, ""),
        (3, 8, 3, 8, ""),
        (3, 9, 3, 9, ""),
    ]
    + [(4, k, 4, k, "预算数" if k % 2 == 0 else "决算数") for k in range(12)],
    rows=[["3.50", "2.45", "1.00", "0.50", "2.00", "1.50", "", "", "2.00", "1.50", "0.50", "0.45"]],
    numeric_right=False,
)

HU8 = Table(
    widths=[40, 40, 40, 90, 70, 60, 45, 55, 55, 70],
    header_rows=3,
    header=[
        (0, 0, 0, 3, "项目"),
        (1, 0, 1, 2, "支出功能分类\n科目编码"),
        (1, 3, 2, 3, "科目名称"),
        (2, 0, 2, 0, "类"),
        (2, 1, 2, 1, "款"),
        (2, 2, 2, 2, "项"),
        (0, 4, 2, 4, "年初结转和\n结余"),
        (0, 5, 2, 5, "本年收入"),
        (0, 6, 0, 8, "本年支出"),
        (1, 6, 2, 6, "小计"),
        (1, 7, 2, 7, "基本支出"),
        (1, 8, 2, 8, "项目支出"),
        (0, 9, 2, 9, "年末结转和\n结余"),
    ],
    rows=[["", "", "", "", "", "", "", "", "", ""], ["合计", "", "", "", "", "", "", "", "", ""]],
)

NARRATIVE = f"{DEPT}2024年度收入支出总计12,395.39万元。与2023年度相比，收入支出总计减少56.95万元，下降0.46%。"
HU8_NOTE = "注：本单位无政府性基金预算财政拨款收入支出，故本表无数据。"

# page numbers (1-based) of the generated report
PAGE_HU1, PAGE_HU2A, PAGE_HU2B, PAGE_HU5, PAGE_HU7, PAGE_HU8, PAGE_TEXT = 3, 4, 5, 6, 7, 8, 9


def report(encrypt=None, narrative: list[tuple[str, str]] | None = None, style: str = "spaced") -> bytes:
    """The synthetic report; with `narrative`, its 情况说明 holds those sections typeset in `style`."""
    d = Doc(encrypt=encrypt)
    d.page()
    d.text(d.width / 2, 300, DEPT, 24, center=True)
    d.text(d.width / 2, 340, "2024年度部门决算", 24, center=True)

    d.page()  # 目录: the table titles appear here too
    d.text(d.width / 2, 80, "目录", 18, center=True)
    toc = [
        "第一部分 " + DEPT + "概况",
        "第二部分 " + DEPT + "2024年度部门决算表",
        "一、收入支出决算总表",
        "二、收入决算表",
        "五、一般公共预算财政拨款支出决算表",
        "七、财政拨款“三公”经费支出决算表",
        "八、政府性基金预算财政拨款收入支出决算表",
        "第三部分 " + DEPT + "2024年度部门决算情况说明",
        "一、收入支出决算总体情况说明",
    ]
    for k, line in enumerate(toc):
        d.text(72 if line.startswith("第") else 96, 130 + 28 * k, line, 12)

    d.page()
    d.text(d.width / 2, 70, "第二部分 " + DEPT + "2024年度部门决算表", 16, center=True)
    d.text(d.width / 2, 120, "收入支出决算总表", 15, center=True)
    d.text(d.width - 60, 150, "单位：万元", 10, right=True)
    d.table(HU1, 57, 168)

    d.page(landscape_page=True)
    d.text(d.width / 2, 60, "收入决算表", 15, center=True)
    d.text(d.width - 60, 90, "单位：万元", 10, right=True)
    d.table(HU2_PAGE_A, 60, 108)
    d.page(landscape_page=True)
    d.table(HU2_PAGE_B, 60, 60)

    d.page()
    d.text(d.width / 2, 70, "一般公共预算财政拨款支出决算表", 15, center=True)
    d.text(d.width - 40, 100, "单位：万元", 10, right=True)
    d.table(HU5, 28, 118)

    d.page(landscape_page=True)
    d.text(d.width / 2, 70, "财政拨款“三公”经费支出决算表", 15, center=True)
    d.text(d.width - 50, 100, "单位：万元", 10, right=True)
    d.table(HU7, 49, 118)

    d.page(landscape_page=True)
    d.text(d.width / 2, 70, "政府性基金预算财政拨款收入支出决算表", 15, center=True)
    d.text(d.width - 120, 100, "单位：万元", 10, right=True)
    bottom = d.table(HU8, 130, 118)
    d.text(135, bottom + 10, HU8_NOTE, 10)

    d.page()
    if narrative is not None:
        narrative_pages(d, narrative, style)
        return d.bytes()
    d.text(d.width / 2, 70, "第三部分 " + DEPT + "2024年度部门决算情况说明", 16, center=True)
    d.text(72, 120, "一、收入支出决算总体情况说明", 12)
    # the narrative sentence, wrapped at the right margin like a word processor would
    first, rest = NARRATIVE[:34], NARRATIVE[34:]
    d.text(96, 150, first, 12)
    d.text(72, 167, rest, 12)
    return d.bytes()


# ------------------------------------------------------------------ a longer 情况说明, typeset three ways

# (heading, body) pairs; a body "" is a heading followed directly by a sub-heading
SECTIONS = [
    ("一、收入支出决算总体情况说明", f"{DEPT}2024年度收入支出总计12,395.39万元。与2023年度相比，收入支出总计减少56.95万元，下降0.46%。主要原因是人员减少。"),
    ("二、收入决算情况说明", "本年收入合计12,346.25万元，其中：财政拨款收入12,340.05万元，占99.95%；其他收入6.20万元，占0.05%。"),
    ("五、一般公共预算财政拨款支出决算情况说明", ""),
    ("（一）一般公共预算财政拨款支出决算总体情况", "一般公共预算财政拨款支出2,267.41万元，主要用于保障机构运转和履行职能。"),
    ("七、财政拨款“三公”经费支出决算情况说明", "“三公”经费财政拨款支出年初预算为3.50万元，支出决算为2.45万元，完成预算的70.00%。其中：因公出国（境）费支出决算为0.50万元；公务接待费支出决算为0.45万元。"),
]
PART_THREE = "第三部分 " + DEPT + "2024年度部门决算情况说明"


def wrap(text: str, size: float, room: float) -> list[str]:
    """Lines of at most `room` points, broken between characters as Chinese word processors do."""
    lines, line = [], ""
    for ch in text:
        if line and width(line + ch, size) > room:
            lines.append(line)
            line = ""
        line += ch
    return lines + ([line] if line else [])


def narrative_pages(d: "Doc", sections: list[tuple[str, str]], style: str) -> None:
    """The 情况说明, typeset as
    - "spaced": headings set larger, space before headings and between paragraphs;
    - "tight": a Word/WPS page without paragraph spacing, headings at body size, every line
      at the same pitch;
    - "runin": headings at body size run into their paragraph ("一、…说明。2024年度…"), as a
      re-typeset copy or a converter's text has them.
    """
    size, left, right, bottom = 12.0, 72.0, d.width - 72.0, d.height - 72.0
    pitch = 18.0
    top = 70.0
    if style == "spaced":
        d.text(d.width / 2, top, PART_THREE, 16, center=True)
    else:
        d.text(left, top, PART_THREE, size)
    top += 50 if style == "spaced" else pitch

    def line(text: str, at: float, sz: float = size) -> None:
        nonlocal top
        if top + pitch > bottom:
            d.page()
            top = 70.0
        d.text(at, top, text, sz)
        top += pitch if sz == size else sz * 1.6

    for heading, body in sections:
        if style == "runin" and body:
            text = heading + "。" + body
            first = True
            for piece in wrap(text, size, right - left - (24 if first else 0)):
                line(piece, left + (24 if first else 0))
                first = False
            continue
        if style == "spaced":
            top += 10
            line(heading, left, 14.0)
        else:
            line(heading, left)
        if body:
            pieces = wrap(body, size, right - left - 24)
            first = pieces[0]
            rest = wrap(body[len(first):], size, right - left)
            line(first, left + 24)
            for piece in rest:
                line(piece, left)
            if style == "spaced":
                top += 8


# ------------------------------------------------------------------ ground truth of report()


def _f(table, code, item, column, value, page):
    return (table, code, item, column, value, page)


EXPECTED_FACTS = {
    # 沪一 收入支出决算总表 (two sides)
    _f("沪一", None, "一般公共预算财政拨款收入", "收入.决算数", "12340.05", PAGE_HU1),
    _f("沪一", None, "其他收入", "收入.决算数", "6.20", PAGE_HU1),
    _f("沪一", None, "本年收入合计", "收入.决算数", "12346.25", PAGE_HU1),
    _f("沪一", None, "年初结转和结余", "收入.决算数", "49.14", PAGE_HU1),
    _f("沪一", None, "总计", "收入.决算数", "12395.39", PAGE_HU1),
    _f("沪一", None, "一般公共服务支出", "支出.决算数", "10106.66", PAGE_HU1),
    _f("沪一", None, "社会保障和就业支出", "支出.决算数", "1787.20", PAGE_HU1),
    _f("沪一", None, "住房保障支出", "支出.决算数", "446.19", PAGE_HU1),
    _f("沪一", None, "本年支出合计", "支出.决算数", "12340.05", PAGE_HU1),
    _f("沪一", None, "年末结转和结余", "支出.决算数", "55.34", PAGE_HU1),
    _f("沪一", None, "总计", "支出.决算数", "12395.39", PAGE_HU1),
    # 沪二 收入决算表 (split codes, two pages)
    _f("沪二", None, "合计", "本年收入合计", "12346.25", PAGE_HU2A),
    _f("沪二", None, "合计", "财政拨款收入", "12340.05", PAGE_HU2A),
    _f("沪二", None, "合计", "其他收入", "6.20", PAGE_HU2A),
    _f("沪二", "201", "一般公共服务支出", "本年收入合计", "10112.86", PAGE_HU2A),
    _f("沪二", "201", "一般公共服务支出", "财政拨款收入", "10106.66", PAGE_HU2A),
    _f("沪二", "201", "一般公共服务支出", "其他收入", "6.20", PAGE_HU2A),
    _f("沪二", "20106", "财政事务", "本年收入合计", "10112.86", PAGE_HU2A),
    _f("沪二", "20106", "财政事务", "财政拨款收入", "10106.66", PAGE_HU2A),
    _f("沪二", "20106", "财政事务", "其他收入", "6.20", PAGE_HU2A),
    _f("沪二", "2010601", "行政运行", "本年收入合计", "9511.90", PAGE_HU2A),
    _f("沪二", "2010601", "行政运行", "财政拨款收入", "9511.89", PAGE_HU2A),
    _f("沪二", "2010601", "行政运行", "其他收入", "0.01", PAGE_HU2A),
    _f("沪二", "2010602", "一般行政管理事务", "本年收入合计", "600.96", PAGE_HU2A),
    _f("沪二", "2010602", "一般行政管理事务", "财政拨款收入", "594.77", PAGE_HU2A),
    _f("沪二", "2010602", "一般行政管理事务", "其他收入", "6.19", PAGE_HU2A),
    _f("沪二", "208", "社会保障和就业支出", "本年收入合计", "1787.20", PAGE_HU2A),
    _f("沪二", "208", "社会保障和就业支出", "财政拨款收入", "1787.20", PAGE_HU2A),
    _f("沪二", "20805", "行政事业单位养老支出", "本年收入合计", "1787.20", PAGE_HU2A),
    _f("沪二", "20805", "行政事业单位养老支出", "财政拨款收入", "1787.20", PAGE_HU2A),
    _f("沪二", "2080505", "机关事业单位基本养老保险缴费支出", "本年收入合计", "1160.75", PAGE_HU2A),
    _f("沪二", "2080505", "机关事业单位基本养老保险缴费支出", "财政拨款收入", "1160.75", PAGE_HU2A),
    _f("沪二", "2080506", "机关事业单位职业年金缴费支出", "本年收入合计", "626.45", PAGE_HU2A),
    _f("沪二", "2080506", "机关事业单位职业年金缴费支出", "财政拨款收入", "626.45", PAGE_HU2A),
    _f("沪二", "221", "住房保障支出", "本年收入合计", "446.19", PAGE_HU2B),
    _f("沪二", "221", "住房保障支出", "财政拨款收入", "446.19", PAGE_HU2B),
    _f("沪二", "22102", "住房改革支出", "本年收入合计", "446.19", PAGE_HU2B),
    _f("沪二", "22102", "住房改革支出", "财政拨款收入", "446.19", PAGE_HU2B),
    _f("沪二", "2210201", "住房公积金", "本年收入合计", "187.69", PAGE_HU2B),
    _f("沪二", "2210201", "住房公积金", "财政拨款收入", "187.69", PAGE_HU2B),
    _f("沪二", "2210203", "购房补贴", "本年收入合计", "258.50", PAGE_HU2B),
    _f("沪二", "2210203", "购房补贴", "财政拨款收入", "258.50", PAGE_HU2B),
    # 沪五 一般公共预算财政拨款支出决算表 (no rules between data rows)
    _f("沪五", "201", "一般公共服务支出", "合计", "2106.66", PAGE_HU5),
    _f("沪五", "201", "一般公共服务支出", "基本支出", "1503.52", PAGE_HU5),
    _f("沪五", "201", "一般公共服务支出", "项目支出", "603.14", PAGE_HU5),
    _f("沪五", "20106", "财政事务", "合计", "2106.66", PAGE_HU5),
    _f("沪五", "20106", "财政事务", "基本支出", "1503.52", PAGE_HU5),
    _f("沪五", "20106", "财政事务", "项目支出", "603.14", PAGE_HU5),
    _f("沪五", "2010601", "行政运行", "合计", "1511.89", PAGE_HU5),
    _f("沪五", "2010601", "行政运行", "基本支出", "1503.52", PAGE_HU5),
    _f("沪五", "2010601", "行政运行", "项目支出", "8.37", PAGE_HU5),
    _f("沪五", "2010602", "一般行政管理事务", "合计", "594.77", PAGE_HU5),
    _f("沪五", "2010602", "一般行政管理事务", "项目支出", "594.77", PAGE_HU5),
    _f("沪五", "208", "社会保障和就业支出", "合计", "160.75", PAGE_HU5),
    _f("沪五", "208", "社会保障和就业支出", "基本支出", "160.75", PAGE_HU5),
    _f("沪五", "20805", "行政事业单位养老支出", "合计", "160.75", PAGE_HU5),
    _f("沪五", "20805", "行政事业单位养老支出", "基本支出", "160.75", PAGE_HU5),
    _f("沪五", "2080505", "机关事业单位基本养老保险缴费支出", "合计", "160.75", PAGE_HU5),
    _f("沪五", "2080505", "机关事业单位基本养老保险缴费支出", "基本支出", "160.75", PAGE_HU5),
    _f("沪五", None, "合计", "合计", "2267.41", PAGE_HU5),
    _f("沪五", None, "合计", "基本支出", "1664.27", PAGE_HU5),
    _f("沪五", None, "合计", "项目支出", "603.14", PAGE_HU5),
    # 沪七 三公 (one row under a four-level header)
    _f("沪七", None, None, "合计.预算数", "3.50", PAGE_HU7),
    _f("沪七", None, None, "合计.决算数", "2.45", PAGE_HU7),
    _f("沪七", None, None, "因公出国（境）费.预算数", "1.00", PAGE_HU7),
    _f("沪七", None, None, "因公出国（境）费.决算数", "0.50", PAGE_HU7),
    _f("沪七", None, None, "公务用车购置及运行维护费.小计.预算数", "2.00", PAGE_HU7),
    _f("沪七", None, None, "公务用车购置及运行维护费.小计.决算数", "1.50", PAGE_HU7),
    _f("沪七", None, None, "公务用车购置及运行维护费.公务用车运行维护费.预算数", "2.00", PAGE_HU7),
    _f("沪七", None, None, "公务用车购置及运行维护费.公务用车运行维护费.决算数", "1.50", PAGE_HU7),
    _f("沪七", None, None, "公务接待费.预算数", "0.50", PAGE_HU7),
    _f("沪七", None, None, "公务接待费.决算数", "0.45", PAGE_HU7),
}


# ------------------------------------------------------------------ small special PDFs


def rotated_table() -> bytes:
    """A portrait page shown landscape (/Rotate 90), content drawn rotated: reads upright."""
    d = Doc()
    d.page(rotate=90)
    c = d.canvas
    c.saveState()
    c.translate(d.width, 0)
    c.rotate(90)
    # inside the rotation, the drawing space is landscape: width 842, height 595
    d.width, d.height = d.height, d.width
    d.text(d.width / 2, 60, "收入决算表", 15, center=True)
    d.table(Table(widths=[60, 200, 80], header_rows=1, header=[(0, 0, 0, 0, "科目编码"), (0, 1, 0, 1, "科目名称"), (0, 2, 0, 2, "决算数")], rows=[["201", "一般公共服务支出", "2,106.66"], ["20106", "财政事务", "1,511.89"]]), 200, 100)
    c.restoreState()
    d.width, d.height = d.height, d.width
    return d.bytes()


def image_only() -> bytes:
    """A 'scan': one page holding only an image of a table, no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (600, 300), 255)
    draw = ImageDraw.Draw(img)
    for y in range(20, 300, 40):
        draw.line([(20, y), (580, y)], fill=0, width=2)
    for x in (20, 200, 400, 580):
        draw.line([(x, 20), (x, 260)], fill=0, width=2)
    d = Doc()
    d.page()
    d.canvas.drawImage(ImageReader(img), 72, 400, width=450, height=225)
    return d.bytes()


def scanned_pages(data: bytes, images: tuple[int, ...] = (), blank: tuple[int, ...] = ()) -> bytes:
    """`data` with the pages `images` replaced by a picture of themselves (a scan, no text
    layer) and the pages `blank` by an empty page (page numbers 1-based)."""
    import pypdfium2 as pdfium
    from reportlab.lib.utils import ImageReader

    pdf = pdfium.PdfDocument(data)
    try:
        for number in sorted(set(images) | set(blank)):
            page = pdf[number - 1]
            w, h = page.get_size()
            picture = page.render(scale=1.5, grayscale=True).to_pil() if number in images else None
            page.close()
            d = Doc()
            d.canvas.setPageSize((w, h))
            d.width, d.height = w, h
            d.page()
            d.canvas.setPageSize((w, h))
            if picture is not None:
                d.canvas.drawImage(ImageReader(picture), 0, 0, width=w, height=h)
            one = pdfium.PdfDocument(d.bytes())
            pdf.del_page(number - 1)
            pdf.import_pages(one, [0], index=number - 1)
            one.close()
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    finally:
        pdf.close()


def no_pages() -> bytes:
    """A structurally valid PDF whose page tree is empty (written by PDFium itself)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    out = io.BytesIO()
    pdf.save(out)
    pdf.close()
    return out.getvalue()


def watermarked() -> bytes:
    """A table under a large diagonal watermark (grey, 45°), which is not content."""
    d = Doc()
    d.page()
    d.text(72, 100, "收入决算表", 15)
    c = d.canvas
    c.saveState()
    c.translate(300, 400)
    c.rotate(45)
    c.setFillGray(0.85)
    c.setFont(CJK, 60)
    c.drawString(0, 0, "内部资料")
    c.restoreState()
    table = Table(
        widths=[60, 200, 80],
        header_rows=1,
        header=[(0, 0, 0, 0, "科目编码"), (0, 1, 0, 1, "科目名称"), (0, 2, 0, 2, "决算数")],
        rows=[["201", "一般公共服务支出", "2,106.66"]],
    )
    d.table(table, 72, 300)
    return d.bytes()


WRAPPED_HEADING = ["上海市某某区某某局关于二〇二四年度部门决算及政府采购", "和国有资产占用情况以及项目支出绩效评价结果等有关", "事项的说明"]


def wrapped_heading() -> bytes:
    """A heading (18 pt) wrapped over three lines at the right margin, among body text (12 pt)."""
    d = Doc()
    d.page()
    body = "本部门严格按照预算法和有关规定编制决算，收入支出情况如下文所述。"
    d.text(72, 80, body, 12)
    top = 110.0
    for line in WRAPPED_HEADING:
        d.text(72, top, line, 18)
        top += 18 * 1.25
    for k in range(4):
        d.text(72, top + 12 + k * 18, body, 12)
    return d.bytes()
