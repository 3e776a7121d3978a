"""Required narrative sections, judged by the report's own 目录 and the template's outline.

C04 asks whether a topic is spoken of anywhere; these rules ask whether the section
itself is there: a heading the 目录 lists, a heading the template requires, a number
that the headings around it skip.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ...extract.textnorm import chinese_number, key, strip_ordinal
from ...model.narrative import Section
from ..engine import Context, Location, rule
from ...patterns import lazy_compile

_PART = lazy_compile(r"^第([一二三四五六七八九十]+)部分")
_TABLE_PART = lazy_compile(r"决算表|预算表|报表|公开表")
_MARKUP = lazy_compile(r"<[^>]+>|^#+\s*|^[-*]\s+")
_HEADING_LIKE = lazy_compile(r"^\s*(?:#|<b>|第.{1,3}部分|[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}\s*[、.．](?!\d))")


def _norm(text: str) -> str:
    return key(strip_ordinal(_MARKUP.sub("", text.strip())))


def _short_lines(ctx: Context) -> list[tuple[int, str]]:
    """(line number, key) of the short untabbed lines of a text source: headings the
    converter may have left as plain lines. Read once per run."""
    if "short_lines" not in ctx.shared:
        ctx.shared["short_lines"] = [
            (n, _norm(line)) for n, line in enumerate(ctx.doc.source_lines, 1)
            if line and len(line) <= 60 and "\t" not in line and _HEADING_LIKE.match(line)
        ]
    return ctx.shared["short_lines"]


def _section_keys(ctx: Context) -> list[str]:
    keys = [_norm(s.title) for s in ctx.doc.walk_sections() if s.title]
    keys += [_norm((s.number or "") + s.title) for s in ctx.doc.walk_sections() if s.level == 0 and s.title]
    return [k for k in keys if k]


def _line_keys(ctx: Context, start: int | None = None, stop: int | None = None) -> list[str]:
    """Heading-like plain lines of a text source after the 目录 (or within start–stop)."""
    if start is None:
        start = max((e.prov.line or 0 for e in ctx.doc.toc), default=0)
    stop = stop if stop is not None else len(ctx.doc.source_lines)
    return [k for n, k in _short_lines(ctx) if start < n <= stop and k]


def _paragraph_starts(ctx: Context) -> list[str]:
    """The opening words of every paragraph: a heading the reader did not recognise (PDF) stays one."""
    return [k for k in (_norm(p.text[:40]) for s in ctx.doc.walk_sections() for p in s.paragraphs) if k]


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


def _present(entry: str, headings: list[str]) -> bool:
    if not entry or entry in headings:
        return True
    for h in headings:
        if h == entry or (len(entry) >= 4 and (h.startswith(entry) or entry.startswith(h) and len(h) >= max(4, len(entry) - 4))):
            return True
        if len(entry) >= 6 and fuzz.ratio(h, entry) >= 88:
            return True
        if len(entry) >= 6 and 0 < len(h) - len(entry) <= 4 and _subsequence(entry, h):
            return True  # 其他重要事项说明 / 其他重要事项的情况说明
    return False


@rule(
    "C05", "completeness", "warning",
    "目录列出的说明部分在正文中没有",
    "报告自己的目录列出的各部分（情况说明各节、名词解释等）在正文中都应有对应的标题和内容；只在别处提到该主题不算。",
    "财政部部门预决算公开格式：目录与正文一致",
)
def toc_sections_present(ctx: Context) -> None:
    """Every narrative entry of the report's 目录 has a heading in the body."""
    if len(ctx.doc.toc) < 5 or len(ctx.doc.toc) > 80 or sum(len(e.text) > 40 for e in ctx.doc.toc) > 2:
        return  # no 目录, or text read as one: nothing to hold the body against
    sections = _section_keys(ctx) + _paragraph_starts(ctx)
    lines: list[str] | None = None

    def present(entry: str) -> bool:
        nonlocal lines
        if _present(entry, sections):
            return True
        if lines is None:
            lines = _line_keys(ctx)
        return _present(entry, lines)

    in_tables = False
    missing = []
    for entry in ctx.doc.toc:
        text = entry.text.strip()
        m = _PART.match(key(text))
        if m:
            in_tables = bool(_TABLE_PART.search(text))
            if in_tables:
                continue
            wanted = _norm(text[m.end():]) if len(text) > m.end() else ""
            if present(key(text)) or (wanted and present(wanted)):
                continue
        elif in_tables or re.match(r"^(?:公开\d|表[一二三四五六七八九十])", key(text)):
            continue
        elif present(_norm(text)):
            continue
        missing.append(entry)
    narrative_entries = [e for e in ctx.doc.toc if not re.match(r"^(?:公开\d|表[一二三四五六七八九十])", key(e.text))]
    if len(missing) * 2 > max(1, len(narrative_entries)):
        return  # most of the 目录 not found: the body's headings were not read, not missing
    for entry in missing:
        text = entry.text.strip()
        ctx.report(
            f"目录列出“{text}”（第{entry.page}页），正文中没有这一部分" if entry.page else f"目录列出“{text}”，正文中没有这一部分",
            Location.at(entry.prov, section=text, excerpt=text),
        )


# The national 决算 template's 情况说明 outline (财政部部门决算公开模板): topic words of each heading.
_OUTLINE = {
    "决算": [
        ("收入支出决算总体情况", ("收入支出决算总体", "收支决算总体")),
        ("收入决算情况", ("收入决算情况",)),
        ("支出决算情况", ("支出决算情况",)),
        ("财政拨款收支决算总体情况", ("财政拨款收支决算总体", "财政拨款收入支出决算总体")),
        ("一般公共预算财政拨款支出决算情况", ("一般公共预算财政拨款支出决算",)),
        ("一般公共预算财政拨款基本支出决算情况", ("基本支出决算",)),
        ("“三公”经费支出决算情况", ("三公",)),
        ("机关运行经费支出情况", ("机关运行经费",)),
        ("政府采购情况", ("政府采购",)),
        ("国有资产占用情况", ("国有资产", "资产占用", "资产占有")),
        ("预算绩效情况", ("绩效",)),
    ],
    "预算": [
        ("“三公”经费", ("三公",)),
        ("机关运行经费", ("机关运行经费",)),
        ("政府采购情况", ("政府采购",)),
        ("国有资产占有使用情况", ("国有资产", "资产占用", "资产占有")),
        ("绩效", ("绩效",)),
    ],
}


def _narrative_part(ctx: Context) -> list[Section]:
    return [s for s in ctx.doc.walk_sections() if s.part == "第三部分" and s.level > 0]


# Sub-sections that come as a set: when a report prints one of them, the template wants all.
_GROUPS = {
    "决算": [
        [("一般公共预算财政拨款支出决算总体情况", ("一般公共预算", "总体")), ("一般公共预算财政拨款支出决算结构情况", ("一般公共预算", "结构")),
         ("一般公共预算财政拨款支出决算具体情况", ("一般公共预算", "具体"))],
        [("“三公”经费支出决算总体情况", ("三公", "总体")), ("“三公”经费支出决算具体情况", ("三公", "具体"))],
    ],
    "预算": [
        [("一般公共预算当年支出规模变化情况", ("一般公共预算", "规模")), ("一般公共预算当年支出结构情况", ("一般公共预算", "结构"))],
        [("整体绩效目标", ("整体绩效",)), ("项目绩效目标", ("项目绩效",))],
    ],
}


@rule(
    "C06", "completeness", "warning",
    "模板要求的说明部分没有单独的标题",
    "模板规定的情况说明各部分（三公经费、机关运行经费、政府采购、国有资产占用、预算绩效……）应各有标题和内容；"
    "只在其他部分或名词解释中提到该主题，不等于作了说明。成组的小节（如一般公共预算支出的总体、结构、具体情况）"
    "印了其中一节时，其余各节也应有。",
    "财政部部门决算/预算公开模板：情况说明的组成部分",
)
def outline_sections_present(ctx: Context) -> None:
    """Each part of the template's 情况说明 outline has its own heading in 第三部分."""
    kind = ctx.doc.meta.kind or ""
    sections = _narrative_part(ctx)
    if kind not in _OUTLINE or len(sections) < 4:
        return  # no 情况说明 read as sections: C04 speaks for it
    titles = [key(s.title) for s in sections]
    part = next(s for s in ctx.doc.walk_sections() if s.part == "第三部分")
    stop = min((s.prov.line for s in ctx.doc.sections if s.level == 0 and (s.prov.line or 0) > (part.prov.line or 0)), default=len(ctx.doc.source_lines))
    short_lines: list[str] | None = None

    def in_lines(words: tuple[str, ...]) -> bool:
        nonlocal short_lines
        if short_lines is None:
            short_lines = [t for t in _line_keys(ctx, part.prov.line or 0, stop) if len(t) <= 30] if part.prov.line else []
        return any(all(w in t for w in words) for t in short_lines)
    where = Location.at(part.prov, section="第三部分 情况说明", excerpt=part.title)

    def has(words: tuple[str, ...]) -> bool:
        return any(all(w in t for w in words) for t in titles) or in_lines(words)

    for label, words in _OUTLINE[kind]:
        if not any(has((w,)) for w in words):
            ctx.report(f"情况说明中没有“{label}”部分的标题", where, expected=label, actual="无此部分")
    for group in _GROUPS.get(kind, ()):
        present = [has(words) for _, words in group]
        if any(present) and not all(present):
            for (label, _), ok in zip(group, present):
                if not ok:
                    ctx.report(f"情况说明中没有“{label}”一节（同组的其他小节都有）", where, expected=label, actual="无此小节")


def _ordinal(section: Section) -> int | None:
    number = (section.number or "").strip("（）()、. ")
    if number.isdigit():
        return int(number)
    return chinese_number(number)


@rule(
    "C07", "completeness", "warning",
    "说明部分的序号不连续（缺少一节）",
    "同一层级的标题序号应连续（一、二、三……）；跳号说明中间一节缺失或序号写错。",
    "公文格式：层次序号",
)
def numbering_gaps(ctx: Context) -> None:
    """Sibling headings of the 情况说明 count up without a gap (一、二、四 lacks 三)."""

    def check(children: list[Section]) -> None:
        previous = None
        for child in children:
            n = _ordinal(child)
            if n is None:
                continue
            if previous is not None and n > previous + 1 and n - previous <= 5:
                missing = "、".join(str(k) for k in range(previous + 1, n))
                ctx.report(
                    f"“{child.number}{child.title}”前缺少第{missing}节（同级标题从{previous}跳到{n}）",
                    Location.at(child.prov, section=child.title, excerpt=f"{child.number} {child.title}"),
                    expected=str(previous + 1), actual=str(n),
                )
            previous = n

    for root in ctx.doc.sections:
        if root.part != "第三部分":
            continue
        stack = [root]
        while stack:
            s = stack.pop()
            if s.level <= 2:
                check(s.children)
            stack.extend(s.children)
