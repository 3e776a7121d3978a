"""Converter text (PDF-to-markdown) → block stream.

Understands the table notations converters emit: tab-separated rows (with inline
<b>/<p> tags), markdown pipe tables (docling, marker) and HTML <table> with
rowspan/colspan (MinerU); headings with or without '#'.
"""

from __future__ import annotations

import re

from ..model.provenance import at_line
from .blocks import Block, GridRow
from ..patterns import lazy_compile

_TAG = lazy_compile(r"<\s*/?\s*(?:b|i|u|p|br|em|strong|span|div|ul|ol|li|sup|sub|font)\b[^>]*>", re.I)
_COMMENT = lazy_compile(r"<!--.*?-->")  # docling marks each figure with <!-- image -->
_SPACE = lazy_compile(r"[\s\u00a0\u3000]+")
_HEADING = lazy_compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_PIPE_ROW = lazy_compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = lazy_compile(r"^\s*:?-{2,}:?\s*$")
_BULLET = lazy_compile(r"^\s*(?:[-*+•]\s+)+")
_PAGE_NUMBER = lazy_compile(r"^\s*[-—–]\s*\d{1,4}\s*[-—–]\s*$")  # "- 5 -": a page number, not a list item
_IMAGE = lazy_compile(r"^\s*!\[[^\]]*\]\([^)]*\)\s*$")
_TABLE_OPEN = lazy_compile(r"<table\b", re.I)
_TABLE_CLOSE = lazy_compile(r"</table\s*>", re.I)


# Whitespace other than a plain space, a tab or a newline (the last two separate cells
# and lines): Python's \s without those three, spelled out so the search is a plain scan.
_ODD_SPACE = lazy_compile("[\x0b\x0c\r\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")


# Markdown bold around a label, a heading or a line (docling and marker print header
# cells and headings bold): **合计**. Not __合计__: in these reports underscores are the
# blanks of a template left unfilled ("支出__万元，增长__%", rule T04).
_EMPHASIS = lazy_compile(r"(?<!\*)\*\*([^*\s][^*]*?)\*\*(?!\*)")


def _needs_cleaning(text: str) -> bool:
    """Markup, entities, bold, runs of spaces or unusual whitespace: what clean_cell deals with."""
    return "<" in text or "&" in text or "  " in text or "**" in text or _ODD_SPACE.search(text) is not None


def clean_cell(text: str) -> str:
    """Remove inline markup and collapse whitespace; keep inner spaces (they matter later)."""
    if not text:
        return text
    if "\t" not in text and not _needs_cleaning(text):
        return text.strip(" ")
    if "<" in text:
        if "<!--" in text:
            text = _COMMENT.sub(" ", text)
        text = _TAG.sub(" ", text)
    if "**" in text:
        text = _EMPHASIS.sub(r"\1", text)
    if "&" in text:
        import html  # its entity table costs a millisecond to load; few reports need it

        text = html.unescape(text)
    return _SPACE.sub(" ", text).strip()


def _split_tabs(line: str, may_need_cleaning: bool = True) -> list[str]:
    if may_need_cleaning and _needs_cleaning(line):
        return [clean_cell(c) for c in line.split("\t")]
    if " " not in line:
        return line.split("\t")
    return [c.strip(" ") for c in line.split("\t")]


def _split_pipes(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = re.split(r"(?<!\\)\|", body)
    return [clean_cell(c.replace("\\|", "|").replace("<br>", " ")) for c in cells]


def read_text_blocks(text: str, lines: list[str] | None = None) -> list[Block]:
    """The block stream of a text; `lines` is text.split("\\n") when the caller has it."""
    if lines is None:
        lines = text.split("\n")
    dirty = _needs_cleaning(text)  # checked per line only when the text has any of it
    blocks: list[Block] = []
    gap = True
    i = 0
    n = len(lines)
    while i < n:
        raw = lines[i].rstrip("\r")
        lineno = i + 1
        if not raw.strip():
            gap = True
            i += 1
            continue
        if "<" in raw and _TABLE_OPEN.search(raw):
            i, before = _read_html_table(lines, i, blocks, gap)
            gap = False
            continue
        if "|" in raw and _PIPE_ROW.match(raw) and raw.count("|") >= 3:
            rows: list[GridRow] = []
            while i < n and _PIPE_ROW.match(lines[i].rstrip("\r")):
                cells = _split_pipes(lines[i].rstrip("\r"))
                if not all(_PIPE_SEPARATOR.match(c) or not c for c in cells) or not any(cells):
                    rows.append(GridRow(cells, at_line(i + 1)))
                i += 1
            if rows:
                blocks.append(Block("grid", rows=rows, prov=rows[0].prov, gap_before=gap))
            gap = False
            continue
        if "\t" in raw:
            rows = []
            while i < n:
                line = lines[i]
                if "\t" not in line or line.isspace():
                    break
                i += 1
                rows.append(GridRow(_split_tabs(line, dirty), at_line(i)))
            if len(rows) == 1 and len(rows[0].cells) <= 2 and sum(1 for c in rows[0].cells if c) <= 1:
                only = next((c for c in rows[0].cells if c), "")
                if only:
                    blocks.append(Block("text", text=only, prov=rows[0].prov, gap_before=gap))
            else:
                blocks.append(Block("grid", rows=rows, prov=rows[0].prov, gap_before=gap))
            gap = False
            continue
        i += 1
        if "![" in raw and _IMAGE.match(raw):
            continue
        m = _HEADING.match(raw) if "#" in raw[:8] else None
        if m:
            content = clean_cell(_BULLET.sub("", m.group(2)))
            if content:
                blocks.append(Block("heading", text=content, level=len(m.group(1)), prov=at_line(lineno), gap_before=gap))
                gap = False
            continue
        head = raw.lstrip()[:1]
        bullet = head in "-*+•" and _BULLET.match(raw) is not None and not _PAGE_NUMBER.match(raw)
        content = clean_cell(_BULLET.sub("", raw) if bullet else raw.strip())
        if content:
            blocks.append(Block("text", text=content, prov=at_line(lineno), gap_before=gap, list_item=bullet))
            gap = False
    return blocks


def _read_html_table(lines: list[str], i: int, blocks: list[Block], gap: bool) -> tuple[int, bool]:
    """Consume an HTML table starting on line i; text around it becomes text blocks."""
    from .html_table import parse_html_table  # html.parser: only for reports that hold HTML tables

    start = i
    first = lines[i]
    open_at = _TABLE_OPEN.search(first).start()
    before = clean_cell(first[:open_at])
    if before:
        blocks.append(Block("text", text=before, prov=at_line(i + 1), gap_before=gap))
    parts = [first[open_at:]]
    j = i
    while not _TABLE_CLOSE.search(parts[-1]) and j + 1 < len(lines):
        j += 1
        parts.append(lines[j])
    markup = "\n".join(parts)
    close = _TABLE_CLOSE.search(markup)
    after = ""
    if close:
        after = markup[close.end():]
        markup = markup[: close.end()]
    rows = [GridRow(cells, at_line(start + offset)) for offset, cells in parse_html_table(markup) if any(cells)]
    if rows:
        blocks.append(Block("grid", rows=rows, prov=rows[0].prov, gap_before=gap or bool(before)))
    after = clean_cell(after)
    if after:
        blocks.append(Block("text", text=after, prov=at_line(j + 1)))
    return j + 1, bool(before)
