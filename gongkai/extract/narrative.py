"""Narrative text → a heading tree of paragraphs with line numbers."""

from __future__ import annotations

import re

from ..ingest.blocks import Block
from ..model.narrative import Paragraph, Section
from .textnorm import compact

_PART = re.compile(r"^第([一二三四五六七八九十])部分\s*(.*)$")
_LEVELS = [
    (1, re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.*)$")),
    (2, re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*[、.．]?\s*(.*)$")),
    (3, re.compile(r"^(\d{1,2})\s*[、.．](?!\d)\s*(.*)$")),
    (4, re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]\s*(.*)$")),
]
_SENTENCE_END = "。；;！？!?"
_CLAUSE_END = "。；;！？!?：:，,"


def heading_of(block: Block, following: Block | None = None) -> tuple[int, str | None, str] | None:
    """(level, number, title) when the block is a heading, else None.

    On a PDF page, a numbered line whose next line follows it without a gap is the
    first line of a wrapped paragraph, not a heading. (Converter text has a line per
    paragraph, so there a missing blank line says nothing.)
    """
    text = block.text.strip()
    m = _PART.match(compact(text))
    wrapped = (
        block.kind == "text" and block.prov.page is not None
        and following is not None and following.kind == "text" and not following.gap_before
    )
    if wrapped and not m:
        return None
    if m and len(text) < 60:
        return 0, f"第{m.group(1)}部分", m.group(2)
    for level, pattern in _LEVELS:
        m = pattern.match(text)
        if m:
            title = m.group(2).strip()
            if block.kind == "heading" or (len(text) <= 40 and not re.search(r"\d+(?:\.\d+)?\s*(?:万元|%)", text) and text[-1] not in _CLAUSE_END):
                return level, m.group(1), compact(title)
            return None
    if block.kind == "heading" and len(text) <= 80:
        return 1, None, compact(text)
    return None


def build_sections(blocks: list[Block], skip: set[int], start: int) -> list[Section]:
    roots: list[Section] = []
    stack: list[Section] = []
    part_name: str | None = None
    pieces: dict[int, tuple[Paragraph, list[str]]] = {}  # paragraphs wrapped over several lines
    for i in range(start, len(blocks)):
        if i in skip:
            continue
        b = blocks[i]
        if b.kind == "grid":
            continue
        h = heading_of(b, blocks[i + 1] if i + 1 < len(blocks) else None)
        if h is not None:
            level, number, title = h
            section = Section(title=title, number=number, level=level, prov=b.prov)
            if level == 0:
                part_name = number
                section.part = part_name
                roots.append(section)
                stack = [section]
                continue
            section.part = part_name
            while stack and stack[-1].level >= level:
                stack.pop()
            if stack:
                stack[-1].children.append(section)
            else:
                roots.append(section)
            stack.append(section)
            continue
        text = b.text.strip()
        if not stack:
            section = Section(title="", level=0, prov=b.prov)
            roots.append(section)
            stack = [section]
        current = stack[-1]
        last = current.paragraphs[-1] if current.paragraphs else None
        if last is not None:
            entry = pieces.get(id(last))
            if _continues(entry[1][-1] if entry else last.text, text):
                if entry is None:
                    entry = pieces[id(last)] = (last, [last.text])
                entry[1].append(text)
                continue
        current.paragraphs.append(Paragraph(text, b.prov))
    for paragraph, parts in pieces.values():  # joined once: += on a long paragraph is quadratic
        paragraph.text = "".join(parts)
    return roots


def _continues(previous: str, text: str) -> bool:
    """A line that carries on the previous one (a wrapped sentence, orphan punctuation)."""
    if not previous:
        return False
    if text[0] in _CLAUSE_END + "）)”":
        return True
    if previous[-1] in _SENTENCE_END or previous[-1] in "：:":
        return False
    if any(p.match(text) for _, p in _LEVELS):
        return False
    return True
