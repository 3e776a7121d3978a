"""A report published as a web page (a whole HTML document) → block stream.

Government sites publish many reports as pages: headings in <h1>–<h6>, paragraphs in
<p>/<div>, tables in <table>, often the whole page inside a layout table, and often the
whole document on one source line. The text reader reads converter text line by line
and would see one long line of markup; this reader follows the elements instead.

- <h1>–<h6> become headings of that level; block elements (p, div, li, br, tr …) end
  a text block; <script>, <style> and the <head> are skipped.
- A table that holds no other table is a table (html_table.TableRows: rowspan and
  colspan expanded). A table that holds tables is page layout: its cells are
  read as text and its inner tables as tables.
- Provenance is the source line where each block starts, so a finding points at the
  page's own line.
"""

from __future__ import annotations

from html.parser import HTMLParser

from ..model.provenance import at_line
from .blocks import Block, GridRow
from .html_table import TableRows, defuse

_SKIPPED = {"script", "style", "head", "noscript", "template", "title"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "dl", "dt", "dd", "section", "article", "header", "footer", "main",
    "aside", "nav", "blockquote", "center", "pre", "hr", "form", "fieldset", "tr", "td", "th", "caption",
    "table", "tbody", "thead", "tfoot", "figure", "figcaption", "address", "body",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


class _Table:
    def __init__(self) -> None:
        self.rows = TableRows()  # its rows, were it a table
        self.blocks: list[Block] = []  # what its cells hold, were it page layout
        self.nested = False


class _PageReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[Block] = []
        self.tables: list[_Table] = []
        self.skip = 0
        self.buffer: list[str] = []
        self.buffer_line = 0
        self.heading = 0
        self.gap = True  # a block element began since the last block: a new paragraph, not a wrapped line (<br>)
        self.caption = False  # inside a table's <caption>: its title, printed above it

    def _emit(self, block: Block) -> None:
        depth = len(self.tables) - (1 if self.caption else 0)  # a caption stands outside its table
        (self.tables[depth - 1].blocks if depth > 0 else self.out).append(block)

    def _flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        if text:
            kind = "heading" if self.heading else "text"
            self._emit(Block(kind, text=text, level=self.heading, prov=at_line(self.buffer_line), gap_before=self.gap))
            self.gap = False
        self.buffer = []

    def _boundary(self, tag: str) -> None:
        self._flush()
        if tag != "br":
            self.gap = True

    def handle_starttag(self, tag, attrs):
        if tag == "body":  # a <head> left open (or opened twice) must not hide the page
            self.skip = 0
        if tag in _SKIPPED:
            self.skip += 1
            return
        if self.skip:
            return
        if tag in _HEADINGS:
            self._boundary(tag)
            self.heading = _HEADINGS[tag]
        elif tag in _BLOCK:
            self._boundary(tag)
        if tag == "caption" and self.tables:
            self.caption = True
        if tag == "table":
            if self.tables:
                self.tables[-1].nested = True
            self.tables.append(_Table())
        elif self.tables:
            self.tables[-1].rows.start_tag(tag, attrs, self.getpos()[0])

    def handle_startendtag(self, tag, attrs):
        if not self.skip and tag in _BLOCK:
            self._boundary(tag)

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in _HEADINGS:
            self._boundary(tag)
            self.heading = 0
        elif tag in _BLOCK:
            self._boundary(tag)
        if tag == "caption":
            self.caption = False
        if tag == "table" and self.tables:
            self._close_table()
        elif self.tables:
            self.tables[-1].rows.end_tag(tag)

    def _close_table(self) -> None:
        table = self.tables.pop()
        if table.nested:  # page layout: what its cells hold, in order
            for block in table.blocks:
                self._emit(block)
            return
        rows = [GridRow(cells, at_line(line)) for line, cells in table.rows.grid() if any(cells)]
        if rows:
            self._emit(Block("grid", rows=rows, prov=rows[0].prov, gap_before=True))
            self.gap = True

    def handle_data(self, data):
        if self.skip:
            return
        if self.tables:
            self.tables[-1].rows.data(data)
        if not self.buffer:
            if not data.strip():
                return
            self.buffer_line = self.getpos()[0]
        self.buffer.append(data)

    def blocks(self) -> list[Block]:
        self._flush()
        while self.tables:  # tables never closed (a page cut short) are read as if closed
            self._close_table()
        return self.out


def read_html_page(text: str) -> list[Block]:
    text = defuse(text)
    reader = _PageReader()
    reader.feed(text)
    reader.close()
    return reader.blocks()
