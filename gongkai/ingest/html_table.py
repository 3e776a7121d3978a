"""HTML <table> → grid rows, with rowspan/colspan expanded.

A spanned cell's text goes in its top-left position and the positions it covers are
left empty, which is how the tab-separated converters print merged cells too.
"""

from __future__ import annotations

from html.parser import HTMLParser

from ..limits import exceeded, limit


def defuse(markup: str) -> str:
    """The markup with every construct that is never closed written as text (&lt;).

    CPython's html.parser scans to the end of the input again for each '<' that opens a
    tag, comment or CDATA section it cannot close, so a page of 800 KB of '</' or '<!--'
    took minutes. After the last '>' no '<' can close; after the last '-->' no comment
    can; after the last ']]>' no CDATA section can. Browsers show such text as text.
    """
    last = markup.rfind(">")
    if "<" in markup[last + 1 :]:
        markup = markup[: last + 1] + markup[last + 1 :].replace("<", "&lt;")
    for opening, closing in (("<!--", "-->"), ("<![", "]]>")):
        end = markup.rfind(closing)
        if opening in markup[end + 1 :]:
            markup = markup[: end + 1] + markup[end + 1 :].replace(opening, "&lt;" + opening[1:])
    return markup


class TableRows:
    """A table's rows as its markup gives them: each cell's text and spans, each row's
    source line. Cells and rows left open are closed by the next, as browsers do."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, list[tuple[str, int, int]]]] = []  # (line, cells)
        self._row: list[tuple[str, int, int]] | None = None
        self._row_line = 0
        self._cell: list[str] | None = None
        self._span = (1, 1)
        self._max_span = limit("span")

    def start_row(self, line: int) -> None:
        self.end_row()
        self._row, self._row_line = [], line

    def start_cell(self, attrs, line: int) -> None:
        self.end_cell()
        if self._row is None:  # a cell outside any <tr>
            self.start_row(line)
        a = dict(attrs)
        self._cell = []
        self._span = (_int(a.get("rowspan"), self._max_span), _int(a.get("colspan"), self._max_span))

    def data(self, text: str) -> None:
        if self._cell is not None:
            self._cell.append(text)

    def end_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append((" ".join("".join(self._cell).split()), *self._span))
        self._cell = None

    def end_row(self) -> None:
        self.end_cell()
        if self._row is not None:
            self.rows.append((self._row_line, self._row))
        self._row = None

    def start_tag(self, tag: str, attrs, line: int) -> None:
        """A start tag met inside the table (nested tables excepted)."""
        if tag == "tr":
            self.start_row(line)
        elif tag in ("td", "th"):
            self.start_cell(attrs, line)
        elif tag in ("br", "p", "div", "li"):
            self.data(" ")

    def end_tag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.end_cell()
        elif tag == "tr":
            self.end_row()

    def grid(self) -> list[tuple[int, list[str]]]:
        """Rows as (source line, cells), rowspan/colspan expanded."""
        self.end_row()
        return expand(self.rows)


class _TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.table = TableRows()
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._depth += 1
        if self._depth <= 1:  # nested tables are flattened into their cell's text
            self.table.start_tag(tag, attrs, self.getpos()[0])

    def handle_endtag(self, tag):
        if tag == "table":
            self._depth -= 1
        if self._depth <= 1:
            self.table.end_tag(tag)

    def handle_data(self, data):
        self.table.data(data)


def _int(value: str | None, most: int) -> int:
    """A span as written, bounded by the span limit (a larger one is cut to it)."""
    try:
        return max(1, min(int(value or 1), most))
    except ValueError:
        return 1


def parse_html_table(markup: str) -> list[tuple[int, list[str]]]:
    """Rows as (1-based line offset within `markup`, cells)."""
    parser = _TableParser()
    parser.feed(defuse(markup))
    parser.close()
    return parser.table.grid()


def expand(rows: list[tuple[int, list[tuple[str, int, int]]]]) -> list[tuple[int, list[str]]]:
    """Cells with their spans → a grid: a spanned cell's text in its top-left position."""
    grid: list[list[str | None]] = []
    lines: list[int] = []
    pending: dict[tuple[int, int], bool] = {}  # positions covered by spans from above
    budget = limit("table-cells")  # positions written or reserved, so spans cannot blow up memory
    used = 0
    for r, (line, cells) in enumerate(rows):
        row: list[str | None] = []
        col = 0
        for text, rowspan, colspan in cells:
            used += rowspan * colspan
            if used > budget:
                raise exceeded("table-cells", f"more than {budget:,}")
            while pending.pop((r, col), False):
                row.append("")
                col += 1
            row.append(text)
            for c in range(col + 1, col + colspan):
                row.append("")
            for rr in range(r + 1, r + rowspan):
                for c in range(col, col + colspan):
                    pending[(rr, c)] = True
            col += colspan
        while pending.pop((r, col), False):
            row.append("")
            col += 1
        grid.append(row)
        lines.append(line)
    return [(line, [c or "" for c in row]) for line, row in zip(lines, grid)]
