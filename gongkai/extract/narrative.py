"""Narrative text → a heading tree of paragraphs with line numbers.

Headings are found by the text's own grammar, not by its typography: the numbering
(第X部分, 一、, （一）, 1., （1）, ①), the 目录's outline (a line that repeats a 目录
entry is that entry's heading) and the wording of titles (…情况说明, …概况). Font size
only confirms: a copy re-typeset with headings at body size, or a Word/WPS PDF without
paragraph spacing, gives the same tree as a well-spaced one.

On a PDF page a line is a heading only when it ends there: a numbered line that runs
to the right edge of the text and goes on in the next line is the first line of a
wrapped paragraph. A heading followed on the same line by its body text
("一、收入支出预算总体情况。2025年…") is split into the heading and a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import field

from ..ingest.blocks import Block
from ..model.narrative import Paragraph, Section, TocEntry
from .textnorm import compact, key, strip_ordinal
from ..patterns import lazy_compile
from ..records import record

_PART = lazy_compile(r"^第([一二三四五六七八九十])部分\s*(.*)$")
_LEVELS = [
    (1, re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.*)$")),
    (2, re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[)）]\s*[、.．]?\s*(.*)$")),
    (3, re.compile(r"^(\d{1,2})\s*[、.．](?!\d)\s*(.*)$")),
    (4, re.compile(r"^[（(]\s*(\d{1,2})\s*[)）]\s*(.*)$")),
    (5, re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*(.*)$")),
]
_SENTENCE_END = "。；;！？!?"
_CLAUSE_END = "。；;！？!?：:，,"
_INNER_STOP = lazy_compile(r"[。；;！？!?，,：:]")  # a title is not a sentence
_FIGURE = lazy_compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％)")
# a title does not end in a function word or an opening bracket: the line goes on
_OPEN_END = set("的和及与为在对是了、（(“《-—")
# the words a title of a report's narrative ends with
_TITLE_END = lazy_compile(
    r"(?:情况|说明|概况|职能|职责|机构设置|名词解释|附件|原因|依据|目标|概述|方案|周期|主体|安排|构成|"
    r"预算|决算|经费|支出|收入|管理|评价)$"
)
# a title run into its body ("一、收入支出预算总体情况。2025年…") ends in one of these;
# a list item ("四、实施综合管理。对区域内…") does not
_SPLIT_END = lazy_compile(r"(?:情况|说明|概况|解释|原因|依据|概述)$")
_YEAR = lazy_compile(r"^(?:19|20)\d{2}年度?")
_CONTINUATION_START = lazy_compile(r"^[，,。；;：:、）)”’》%％]|^[（(][类款项][)）]|^\d[\d,.]*\s*(?:万元|亿元|元|%|％)")


@record
class _Outline:
    """What the grammar needs besides the line itself: the 目录's titles and each PDF
    page's right text edge."""

    toc: set[str] = field(default_factory=set)
    edges: dict[int, float] = field(default_factory=dict)  # page → right edge of its text
    lefts: dict[int, float] = field(default_factory=dict)  # page → left edge

    @classmethod
    def of(cls, blocks: list[Block], toc: list[TocEntry] | None) -> "_Outline":
        keys = {k for e in toc or () if len(k := _outline_key(e.text)) >= 4}
        edges: dict[int, float] = {}
        lefts: dict[int, float] = {}
        for b in blocks:
            if b.kind != "grid" and b.prov.page is not None and b.prov.bbox is not None:
                x0, x1 = b.prov.bbox[0], b.prov.bbox[2]
                if x1 > edges.get(b.prov.page, 0.0):
                    edges[b.prov.page] = x1
                if x0 < lefts.get(b.prov.page, 1e9):
                    lefts[b.prov.page] = x0
        return cls(keys, edges, lefts)

    def runs_to_edge(self, block: Block) -> bool:
        bbox = block.prov.bbox
        if bbox is None:
            return True
        height = max(bbox[3] - bbox[1], 6.0)
        if bbox[0] > self.lefts.get(block.prov.page, bbox[0]) + 4 * height:
            return False  # a centred line (a title), not a paragraph's line (indented 2 characters at most)
        # line-breaking rules keep "（项）。" together, so a wrapped line may end a few
        # characters short of the edge
        return bbox[2] >= self.edges.get(block.prov.page, bbox[2]) - 3.5 * height

    def lists(self, text: str) -> bool:
        """The line repeats a 目录 entry (the department's name or the year may be spelt out)."""
        if not self.toc:
            return False
        k = _outline_key(text)
        if len(k) < 4:
            return False
        if k in self.toc:
            return True
        for t in self.toc:
            # "部门主要职能" is printed with the department's name: "上海市…办公室主要职能"
            if t[:2] in ("部门", "单位") and len(t) >= 6 and k.endswith(t[2:]) and 2 <= len(k) - len(t) + 2 <= 26:
                return True
        return False


def _outline_key(text: str) -> str:
    k = key(strip_ordinal(compact(text)))
    return _YEAR.sub("", k).rstrip("。.")


def _wrapped(block: Block, following: Block | None, outline: _Outline) -> bool:
    """On a PDF page: the line goes on in the next one (it is not a line of its own)."""
    if block.kind != "text" or block.prov.page is None or following is None or following.kind != "text":
        return False
    nxt = following.text.strip()
    if _CONTINUATION_START.match(nxt):
        return True
    if following.gap_before or following.prov.page != block.prov.page:
        return False
    return outline.runs_to_edge(block)


def _title_like(title: str) -> bool:
    t = compact(title)
    if not t or len(t) > 40 or _FIGURE.search(t):
        return False
    if t[-1] in _CLAUSE_END or t[-1] in _OPEN_END or _INNER_STOP.search(t):
        return False
    return t.count("（") + t.count("(") == t.count("）") + t.count(")") and t.count("“") == t.count("”")


# a title run into its body with no stop at all, as converters join lines:
# "收入支出预算总体情况 2025年…", "收入支出预算总体情况2025年…"
_RUN_ON = lazy_compile(r"^(.{2,30}?(?:情况|说明|概况))(?:\s+|(?=(?:19|20)\d{2}\s*年))(\S.*)$")


def _split_title(title: str) -> tuple[str, str] | None:
    """"收入支出预算总体情况。2025年…" → ("收入支出预算总体情况", "2025年…")."""
    m = re.search(r"[。：:]", title)
    run_on = _RUN_ON.match(title)
    if run_on and (m is None or m.start() > run_on.end(1)):
        head, rest = run_on.group(1), run_on.group(2).strip()
        return (head, rest) if _title_like(head) else None
    if m is None or m.start() == 0:
        return None
    head, rest = title[: m.start()], title[m.end():].strip()
    if re.search(r"[，,；;]", head) or len(compact(head)) > 30 or not _title_like(head):
        return None
    return head, rest


def heading_of(
    block: Block, following: Block | None = None, outline: _Outline | None = None, after_sentence: bool = True
) -> tuple[int, str | None, str, str] | None:
    """(level, number, title, body text on the same line) when the block is a heading, else None.

    after_sentence: the text before this line ended a sentence (or there is none), as a
    title standing on its own line needs.
    """
    grammar = outline is not None  # the outline and title wording, when the caller has them
    outline = outline or _Outline()
    text = block.text.strip()
    if not text:
        return None
    c = compact(text)
    m = _PART.match(c)
    if m and len(text) < 60:
        return 0, f"第{m.group(1)}部分", m.group(2), ""
    wrapped = _wrapped(block, following, outline)
    for level, pattern in _LEVELS:
        m = pattern.match(text)
        if not m:
            continue
        title = m.group(2).strip()
        if block.kind == "heading" and len(text) <= 80:
            return level, m.group(1), compact(title), ""
        whole = title
        # a full stop ends a title only after the words that close a narrative title
        # ("…情况说明。"); "9、统筹安全生产和职业安全健康管理。" is a list item
        if title[-1:] in "：:" and _TITLE_END.search(compact(title[:-1])) or title[-1:] == "。" and _SPLIT_END.search(compact(title[:-1])):
            whole = title[:-1]  # "（一）“三公”经费支出决算总体情况说明。", "二、收入预算情况："
        if not wrapped and _title_like(whole):
            return level, m.group(1), compact(whole), ""
        if level <= 2:
            split = _split_title(title)
            if split is not None and (_SPLIT_END.search(compact(split[0])) or outline.lists(split[0])):
                return level, m.group(1), compact(split[0]), split[1]
        return None
    if block.kind == "heading" and len(text) <= 80:
        return 1, None, c, ""
    if not grammar or wrapped or not after_sentence or len(c) > 60 or c[-1] in _CLAUSE_END:
        return None
    if outline.lists(c):
        return 1, None, c, ""
    if len(c) <= 40 and _TITLE_END.search(c) and _title_like(c) and not _sentence_goes_on(c, following):
        return 1, None, c, ""
    return None


_GOES_ON = lazy_compile(r"^[\u4e00-\u9fff]{1,6}\d")


def _sentence_goes_on(title: str, following: Block | None) -> bool:
    """"2024年机关运行经费" + "支出104.85万元。": a sentence wrapped after a noun that can end
    a title. Only the strongest title words ("…情况", "…说明") stand against such a next line."""
    if following is None or _SPLIT_END.search(title):
        return False
    return bool(_GOES_ON.match(compact(following.text)))


def build_sections(blocks: list[Block], skip: set[int], start: int, toc: list[TocEntry] | None = None) -> list[Section]:
    roots: list[Section] = []
    stack: list[Section] = []
    part_name: str | None = None
    outline = _Outline.of(blocks, toc)
    after_sentence = True
    pieces: dict[int, tuple[Paragraph, list[str]]] = {}  # paragraphs wrapped over several lines
    for i in range(start, len(blocks)):
        if i in skip:
            continue
        b = blocks[i]
        if b.kind == "grid":
            after_sentence = True
            continue
        h = heading_of(b, _next_line(blocks, i, skip), outline, after_sentence)
        if h is not None:
            level, number, title, rest = h
            after_sentence = True
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
            if rest:
                section.paragraphs.append(Paragraph(rest, b.prov))
                after_sentence = rest[-1] in _SENTENCE_END or rest[-1] in "：:"
            continue
        text = b.text.strip()
        if not text:
            continue
        after_sentence = text[-1] in _SENTENCE_END or text[-1] in "：:"
        if not stack:
            section = Section(title="", level=0, prov=b.prov)
            roots.append(section)
            stack = [section]
        current = stack[-1]
        last = current.paragraphs[-1] if current.paragraphs else None
        if last is not None and not b.list_item:
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


def _next_line(blocks: list[Block], i: int, skip: set[int]) -> Block | None:
    """The block after i, when it belongs to the narrative too."""
    j = i + 1
    return blocks[j] if j < len(blocks) and j not in skip else None


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
