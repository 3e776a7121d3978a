"""Text a reviewer marks up: leftovers, the wrong document kind, years, punctuation, garbling.

Each rule scans the prose once (gongkai.checks.sentences.prose_units: one unit per printed
paragraph, each character traceable to its source line) with precompiled patterns. The
patterns accept full- and half-width punctuation alike, so a converter's choice of width
changes nothing.
"""

from __future__ import annotations

import re

from ...extract.textnorm import compact, is_cjk, key
from ..engine import Context, Location, Severity, rule
from ..sentences import DOC_NUMBER, PAIRS, YEAR, TextUnit, heading_units, other_units, prose_units
from .metadata import _same_department
from ...patterns import lazy_compile

_REF = "财政部部门预决算公开格式要求；公开情况检查表"


def _units(ctx: Context) -> list[TextUnit]:
    return prose_units(ctx.doc, ctx.shared)


def _everywhere(ctx: Context) -> list[TextUnit]:
    """The prose, then table notes and the forms' analysis text (for leftovers and typing errors)."""
    return prose_units(ctx.doc, ctx.shared) + other_units(ctx.doc, ctx.shared)


_HALF = lazy_compile(r"(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)|[();]")
_FULL = {",": "，", ":": "：", "(": "（", ")": "）", ";": "；"}


def _show(text: str) -> str:
    """Printed text quoted in a message, in full-width punctuation (as the converter's choice of
    width is not the report's); the location keeps the text exactly as printed."""
    return _HALF.sub(lambda m: _FULL[m.group()], text)


def _headings(ctx: Context) -> list[TextUnit]:
    if "heading_units" not in ctx.shared:
        ctx.shared["heading_units"] = heading_units(ctx.doc)
    return ctx.shared["heading_units"]


def _which(unit: TextUnit) -> str:
    """How a message names a heading unit: 的目录条目 / 的标题 / 的部分标题."""
    if unit.kind == "toc":
        return "的目录条目"
    return "的部分标题" if unit.section is not None and unit.section.level == 0 else "的标题"


def _where(unit: TextUnit, start: int, end: int) -> Location:
    return Location.at(unit.prov_at(start), section=unit.title, excerpt=unit.excerpt(start, end))


def _heading_where(unit: TextUnit) -> Location:
    return Location.at(unit.prov, section=unit.title, excerpt=unit.text[:80])


# --------------------------------------------------------------------------- leftovers
# ○○ as a blank, not the zeros of a date written in numerals (二〇〇九年)
_PLACEHOLDER = lazy_compile(r"(?<![A-Za-z])(?:[XxＸｘ]{2,}|×{2,}|某某|(?<![一二三四五六七八九十零〇○])[○〇]{2,}(?![一二三四五六七八九十零〇○年]))(?![A-Za-z])")


@rule(
    "T01", "text", "error",
    "文中留有“XX”“××”“某某”等占位符",
    "模板中的占位符（XX局、××万元、某某项目）须替换为实际内容。",
    _REF,
)
def placeholders(ctx: Context) -> None:
    """Placeholders (XX, ××, 某某, ○○) in the title, headings and prose."""
    for unit in _headings(ctx) + _everywhere(ctx):
        m = _PLACEHOLDER.search(unit.text)
        if m:
            where = _heading_where(unit) if unit.kind in ("heading", "toc") else _where(unit, m.start(), m.end())
            ctx.report(f"文中留有占位符“{_show(m.group())}”：“{_show(where.excerpt)}”", where, actual=m.group())


_DIRECTION = {"增加": 1, "增长": 1, "上升": 1, "提高": 1, "减少": -1, "下降": -1, "降低": -1, "减": -1, "增": 1}
_ALTERNATIVE = lazy_compile(
    r"(增加|增长|上升|提高|减少|下降|降低)\s*(?:[（(]\s*(增加|增长|上升|提高|减少|下降|降低|减|增)\s*[)）]|[/／]\s*(增加|增长|上升|提高|减少|下降|降低))"
)


@rule(
    "T02", "text", "error",
    "“增加（减少）”等选择项未作选择",
    "模板中的“增加（减少）”“增长（下降）”须按实际情况选定一种表述。",
    _REF,
)
def unchosen(ctx: Context) -> None:
    """A template alternative such as 增加（减少） or 增长/下降 left as printed."""
    for unit in _everywhere(ctx):
        for m in _ALTERNATIVE.finditer(unit.text):
            other = m.group(2) or m.group(3)
            if _DIRECTION[m.group(1)] == _DIRECTION[other]:
                continue
            ctx.report(f"“{m.group()}”未选定表述：“{_show(unit.excerpt(m.start(), m.end()))}”", _where(unit, m.start(), m.end()), actual=m.group())


_INSTRUCTION = lazy_compile(
    r"[（(【\[]\s*(?:说明|注|请|此处|如|若|无[^（(）)]{0,8}的单位)[:：]?[^（(）)【】\[\]]{0,40}?(?:填写|填报|填列|列示|删除|保留|据实|表述|注明)[^（(）)【】\[\]]{0,30}[)）】\]]"
    r"|请(?:据实|如实|按实际|根据实际情况)?(?:填写|填列|补充|列示)|此处(?:填写|说明|列示)|(?:如无|若无)[^。；;]{0,12}(?:请|可)(?:删除|注明)"
)


@rule(
    "T03", "text", "warning",
    "文中留有模板的填写说明",
    "“（说明……）”“请填写……”等模板提示语应在公开前删除。",
    _REF,
)
def instructions(ctx: Context) -> None:
    """Instructions of the template (（请填写…）, 此处说明…, 如无请删除) left in the prose."""
    for unit in _units(ctx):
        m = _INSTRUCTION.search(unit.text)
        if m:
            ctx.report(f"文中留有模板填写说明“{m.group()}”", _where(unit, m.start(), m.end()), actual=m.group())


_MISSING_NUMBER = lazy_compile(
    r"(?:为|是|达|达到|增加|减少|增长|下降|上升|降低|节约|合计|总计|共计|占比|占|约|支出|收入|安排|预算|决算)\s*(?:万元|亿元|%|％)"
)


@rule(
    "T04", "text", "error",
    "金额或比例的数字空缺",
    "“支出万元”“增长%”说明模板中的数字没有填写。",
    _REF,
)
def missing_numbers(ctx: Context) -> None:
    """A unit (万元, %) printed where its number should be: 增长%, 支出万元."""
    for unit in _everywhere(ctx):
        for m in _MISSING_NUMBER.finditer(unit.text):
            if "单位" in unit.text[max(0, m.start() - 4):m.start()]:
                continue  # 金额单位为万元
            ctx.report(f"“{m.group()}”缺少数字：“{_show(unit.excerpt(m.start(), m.end()))}”", _where(unit, m.start(), m.end()), actual=m.group())


# --------------------------------------------------------------------------- document kind
_DEPT_HEADING = lazy_compile(r"部门(?:决算|预算)|部门(?:收支|收入|支出)|本部门(?![（(]单位)")
_FINAL_WORDS = lazy_compile(r"决算")
_BUDGET_WORDS = lazy_compile(r"(?<!年初)(?<!全年)(?<!一般公共)(?<!政府性基金)(?<!国有资本经营)(?<!社会保险基金)预算(?:公开|表|报表|情况说明|收支|编制说明)")
_BUDGET_DOC_FINAL = lazy_compile(r"(?<!上年)(?<!\d年)(?<!\d年度)决算(?:公开|表|报表|情况说明)")


@rule(
    "T05", "text", "warning",
    "单位报告中出现“部门”的表述",
    "单位预决算公开的标题和各部分标题应称“单位”，不应沿用部门预决算模板的“部门决算/部门预算”。",
    _REF,
)
def unit_report_says_department(ctx: Context) -> None:
    """In a 单位 report, the title, part headings and prose do not call it a 部门 report."""
    if ctx.doc.meta.scope != "单位":
        return
    for unit in _headings(ctx):
        m = _DEPT_HEADING.search(unit.text)
        if m:
            ctx.report(f"单位{ctx.doc.meta.kind or ''}报告{_which(unit)}“{_show(unit.text[:60])}”称“{m.group()}”", _heading_where(unit), expected="单位", actual=m.group())
    for unit in _units(ctx):
        for m in re.finditer(r"本部门(?![（(]\s*单位)", unit.text):
            ctx.report(f"单位{ctx.doc.meta.kind or ''}报告中称“本部门”：“{_show(unit.excerpt(m.start(), m.end()))}”", _where(unit, m.start(), m.end()), expected="本单位", actual=m.group())
            break


# in the 情况说明: a 决算 speaking of its 部门预算 (收入/支出/公开…), a 预算 of its own 决算
_BUDGET_IN_FINAL = lazy_compile(r"(?:部门|单位)预算(?:收入|支出|收支|总体|公开|情况说明|编制说明)")
_FINAL_IN_BUDGET = lazy_compile(r"(?<!预)(?:部门|单位)?决算(?:收入|支出|收支|总体|公开|情况说明)")
_EARLIER_YEAR = lazy_compile(r"(?:(\d{4})\s*年度?|上年度?|上一年度?|以前年度|往年)(?:部门|单位)?$")


def _about_earlier_year(text: str, start: int, year: int | None) -> bool:
    """The words before `start` name an earlier year (2023年度, 上年): its 决算 may be cited."""
    m = _EARLIER_YEAR.search(text, max(0, start - 8), start)
    return m is not None and not (m.group(1) and year and int(m.group(1)) >= year)


@rule(
    "T06", "text", "warning",
    "决算报告中出现预算报告的表述（或相反）",
    "决算公开的标题不应写成“预算公开/预算表/预算情况说明”，预算公开也不应写成决算；决算中的“年初预算”“全年预算数”不在此列。",
    _REF,
)
def wrong_document_kind(ctx: Context) -> None:
    """The title, headings and 情况说明 of a 决算 do not speak of 预算公开/预算表/部门预算收入, nor a 预算's of its 决算."""
    kind = ctx.doc.meta.kind
    if kind not in ("决算", "预算"):
        return
    for unit in _headings(ctx):
        text = compact(unit.text)
        if kind == "决算":
            m = None if "决算" in text else _BUDGET_WORDS.search(text)
        else:
            m = None if "预算" in text.replace("一般公共预算", "") else _BUDGET_DOC_FINAL.search(text)
        if m:
            other = "预算" if kind == "决算" else "决算"
            ctx.report(f"{kind}报告{_which(unit)}“{_show(unit.text[:60])}”写作“{m.group()}”（{other}的表述）", _heading_where(unit), expected=kind, actual=other)
    wrong = _BUDGET_IN_FINAL if kind == "决算" else _FINAL_IN_BUDGET
    for unit in _units(ctx):
        if unit.section is None or unit.section.part != "第三部分":
            continue
        m = next((m for m in wrong.finditer(unit.text) if not _about_earlier_year(unit.text, m.start(), ctx.doc.meta.year)), None)
        if m:
            other = "预算" if kind == "决算" else "决算"
            ctx.report(
                f"{kind}报告的情况说明中写作“{m.group()}”（{other}的表述）：“{_show(unit.excerpt(m.start(), m.end()))}”",
                _where(unit, m.start(), m.end()), expected=kind, actual=m.group(),
            )


# --------------------------------------------------------------------------- years
_COMPARISON = lazy_compile(
    r"(?:与|同|比|较)\s*((?:19|20)\d{2})\s*年度?\s*(年初预算|全年预算|调整预算|预算执行数|预算数|预算|决算数|决算|同期)?\s*(?:数)?\s*(?:相比|比较|对比|持平|相同|增加|减少|增长|下降|上升|降低|有所|基本|[，,])"
)


@rule(
    "T07", "text", "error",
    "比较年度不是上一年度",
    "与上年比较的表述应比较上一年度（2025年预算与2024年比较），写成其他年度是错误的比较对象。",
    _REF,
)
def comparison_year(ctx: Context) -> None:
    """“与YYYY年相比/比YYYY年增加”: YYYY is the report's year minus one."""
    year = ctx.doc.meta.year
    if not year:
        return
    for unit in _units(ctx):
        for m in _COMPARISON.finditer(unit.text):
            y = int(m.group(1))
            if y == year - 1 or (y == year and ctx.doc.meta.kind == "决算" and "预算" in (m.group(2) or "")):
                continue  # a 决算 compares with the same year's budget
            ctx.report(
                f"与{y}年比较，报告年度为{year}年，应与{year - 1}年比较：“{_show(unit.excerpt(m.start(), m.end()))}”",
                _where(unit, m.start(), m.end()), expected=str(year - 1), actual=str(y),
            )


_AS_OF = lazy_compile(r"截[至止]\s*((?:19|20)\d{2})\s*年(?:度)?\s*(?:(\d{1,2})\s*月)?")


@rule(
    "T08", "text", "warning",
    "“截至”日期的年度与报告不符",
    "决算所述“截至……”的时点应在报告年度（通常为年末）；预算所述资产等时点通常为上年年末。",
    _REF,
)
def as_of_year(ctx: Context) -> None:
    """截至YYYY年…: the report's year (决算) or the year before / the year itself (预算)."""
    year, kind = ctx.doc.meta.year, ctx.doc.meta.kind
    if not year or kind not in ("决算", "预算"):
        return
    allowed = {year} if kind == "决算" else {year - 1, year}
    for unit in _units(ctx):
        for m in _AS_OF.finditer(unit.text):
            y = int(m.group(1))
            if y in allowed or (kind == "决算" and y == year + 1 and m.group(2) and int(m.group(2)) <= 6):
                continue  # a 决算 may cite its compilation date early next year
            ctx.report(
                f"“{m.group().strip()}”的年度为{y}年，{year}年{kind}应为{year if kind == '决算' else year - 1}年：“{_show(unit.excerpt(m.start(), m.end()))}”",
                _where(unit, m.start(), m.end()), expected=str(year if kind == "决算" else year - 1), actual=str(y),
            )


_CURRENT_FIGURE = lazy_compile(
    r"((?:19|20)\d{2})\s*年度?\s*(?:部门|单位)?\s*(?:预算|决算|收入总计|支出总计|收入合计|支出合计|财政拨款收入|财政拨款支出|一般公共预算财政拨款|政府性基金预算财政拨款|国有资本经营预算财政拨款|“?三公”?经费|机关运行经费|政府采购支出)"
)


@rule(
    "T09", "text", "warning",
    "本年数据前写了其他年度",
    "情况说明中本年度的收支、预算（决算）数、三公经费等数据前所写的年度应为报告年度或上年，不应是更早或更晚的年度。",
    _REF,
)
def far_year(ctx: Context) -> None:
    """“YYYY年收入总计/三公经费/…” in the prose names the report's year or the year before."""
    year = ctx.doc.meta.year
    if not year:
        return
    for unit in _units(ctx):
        for m in _CURRENT_FIGURE.finditer(unit.text):
            y = int(m.group(1))
            if y in (year, year - 1):
                continue
            # a paragraph opening with the wrong year is M03's
            if m.start() == 0 and unit.section is not None and unit.section.part == "第三部分":
                continue
            ctx.report(
                f"“{m.group()}”的年度为{y}年，报告年度为{year}年：“{_show(unit.excerpt(m.start(), m.end()))}”",
                _where(unit, m.start(), m.end()), expected=str(year), actual=str(y),
            )


@rule(
    "T10", "text", "error",
    "标题或部分标题中的年度与报告年度不符",
    "报告标题和“第N部分”标题中的年度应为报告年度。",
    _REF,
)
def heading_year(ctx: Context) -> None:
    """The years in the report's title and part titles are the report's year."""
    year = ctx.doc.meta.year
    if not year:
        return
    for unit in _headings(ctx):
        if unit.section is not None and unit.section.level != 0:
            continue
        for m in YEAR.finditer(unit.text):
            y = int(m.group(1))
            if y != year:
                ctx.report(f"{_which(unit)[1:]}“{_show(unit.text[:60])}”中的年度为{y}年，报告年度为{year}年", _heading_where(unit), expected=str(year), actual=str(y))
                break


# words of the sentence that the issuer's code follows (依据财预〔2020〕10号 → 财预)
_ISSUER_LEAD = lazy_compile(r"^(?:.*?(?:根据|依据|按照|参照|执行|落实|印发|转发|以|和|及|与|或|为|是|见|据|的|文件|通知))+")


@rule(
    "T11", "text", "warning",
    "同一文号写法不一致",
    "同一文件的发文字号应统一写法，年份用六角括号〔〕（如 财预〔2020〕10号）。",
    "GB/T 9704-2012《党政机关公文格式》发文字号",
)
def document_numbers(ctx: Context) -> None:
    """One 文号 (issuer, year, number) written with different brackets or spacing."""
    seen: dict[tuple[str, str, str], tuple[str, TextUnit, int, int]] = {}
    for unit in _units(ctx):
        if "号" not in unit.text:
            continue
        for m in DOC_NUMBER.finditer(unit.text):
            issuer = _ISSUER_LEAD.sub("", m.group(1)) or m.group(1)
            ident = (issuer, m.group(3), m.group(5))
            printed = re.sub(r"\s+", "", m.group()[len(m.group(1)) - len(issuer):])
            first = seen.get(ident)
            if first is None:
                seen[ident] = (printed, unit, m.start(), m.end())
                continue
            if first[0] != printed:
                ctx.report(
                    f"文号写法不一致：“{printed}”与前文“{first[0]}”",
                    _where(unit, m.start(), m.end()), expected=first[0], actual=printed,
                    related=[_where(first[1], first[2], first[3])],
                )
                seen[ident] = (printed, unit, m.start(), m.end())


# --------------------------------------------------------------------------- punctuation
_P = "。，；、：！？,;:!?"
_DOUBLE = lazy_compile(rf"(?<![{_P}])[{_P}][{_P}](?![{_P}])")
_EMPHATIC = {"？！", "！？", "?!", "!?"}


@rule(
    "T12", "text", "warning",
    "标点重复或连用",
    "“。。”“，。”“；。”等标点连用是录入错误。",
    _REF,
)
def doubled_punctuation(ctx: Context) -> None:
    """Two sentence marks in a row (。。, ，。, ；。, 、、)."""
    for unit in _everywhere(ctx):
        for m in _DOUBLE.finditer(unit.text):
            if m.group() in _EMPHATIC:
                continue
            ctx.report(f"标点“{_show(m.group())}”连用：“{_show(unit.excerpt(m.start(), m.end()))}”", _where(unit, m.start(), m.end()), actual=m.group())


_ORDINAL_START = lazy_compile(r"^(?:第?[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[)）]|\d{1,2}[、.．](?!\d)|[①-⑳])")
_LABEL_LINE = lazy_compile(r"单位[：:]|编制部门|金额单位|^注[：:]|^说明[：:]|^附[件表]|^表\s*\d|[图表]$|目录|表\s*[（(]?\s*(?:19|20)\d{2}\s*[)）]?\s*年度?")


def _ends_word(ch: str) -> bool:
    """A character a sentence's last word can end in: a Chinese character, a digit, %."""
    return is_cjk(ch) or ch.isdecimal() or ch in "%％"


_PROSE_PARTS = {None, "第一部分", "第三部分", "第四部分", "第六部分"}
_CN_NUM = "一二三四五六七八九十"


_GRAM = 4


def _openings(text: str) -> set[str]:
    """The words right after an item's subject, where the subject is a budget item's name
    (国防支出|年初预算…, 公务接待费|支出…): the parallel openings of a list of items."""
    m = _ITEM_SUBJECT.match(text)
    if m is None:
        return set()
    rest = text[m.end():m.end() + _GRAM]
    if len(rest) == _GRAM and all(map(is_cjk, rest)):
        return {rest}
    amount = _WORD_BEFORE_AMOUNT.match(text, m.end())  # 公务接待费|支出0.52万元
    return {amount.group() + "#"} if amount else set()


_WORD_BEFORE_AMOUNT = lazy_compile(r"[\u4e00-\u9fff]{1,4}(?=\d)")


_ITEM_SUBJECT = lazy_compile(r"[\u4e00-\u9fff]{2,16}?(?:支出|经费|费)(?:[（(]类[)）])?")


def _joined_items(ctx: Context) -> None:
    """Parallel items (国防支出年初预算…。 / 科学技术支出年初预算…。) one of which lost its full
    stop: the reader joins it with the next item. A break in a paragraph (a blank line) after a
    word, followed by the words that open two other items of the section, is such a join; a
    converter's page break cuts a sentence and rarely lands just before an item's subject."""
    by_section: dict[int, list[TextUnit]] = {}
    for unit in _units(ctx):
        if unit.section is not None:
            by_section.setdefault(id(unit.section), []).append(unit)
    for units in by_section.values():
        if len(units) < 3 or not any(u.breaks for u in units):
            continue
        counts: dict[str, int] = {}
        for u in units:
            for g in _openings(u.text):
                counts[g] = counts.get(g, 0) + 1
        for u in units:
            edges = [0, *u.breaks, len(u.text)]
            for k, b in enumerate(u.breaks, 1):
                if not _ends_word(u.text[b - 1]) or not any(counts.get(g, 0) >= 2 for g in _openings(u.text[b:])):
                    continue
                if not (_PROSE_MARK.search(u.text, edges[k - 1], b) and _PROSE_MARK.search(u.text, b, edges[k + 1])):
                    continue  # title lines (of an attached document), not sentences
                ctx.report(
                    f"段落结尾缺少句号：“…{_show(u.text[max(0, b - 30):b])}”（下一段“{_show(u.text[b:b + 12])}…”被接在一起）",
                    Location.at(u.prov_at(b - 1), section=u.title, excerpt=u.text[max(0, b - 40):b]),
                )


def _is_ordinal(text: str, number: str | None) -> bool:
    """`text` opens with the item number `number` (1、 / 1. / （1） / 一、 — not 1.5)."""
    if not number:
        return False
    if text[:1] in ("（", "("):
        rest = text[1:].lstrip()
        return rest.startswith(number) and rest[len(number):].lstrip()[:1] in ("）", ")")
    if not text.startswith(number):
        return False
    rest = text[len(number):].lstrip()
    return rest[:1] in ("、", ".", "．") and not rest[1:2].isdecimal()


def _prev_ordinal(number: str) -> str | None:
    if number.isdigit():
        return str(int(number) - 1) if int(number) > 1 else None
    if len(number) == 1 and number in _CN_NUM[1:]:
        return _CN_NUM[_CN_NUM.index(number) - 1]
    return None


def _next_ordinal(number: str) -> str | None:
    """The ordinal printed after `number` in the same style: 9 → "10、"/"10."; 三 → "四、"."""
    if number.isdigit():
        return str(int(number) + 1)
    if len(number) == 1 and number in _CN_NUM[:-1]:
        return _CN_NUM[_CN_NUM.index(number) + 1]
    return None
_CLOSERS = "）)”’》】」』"
_PROSE_MARK = lazy_compile(r"[，。；;]|,(?!\d)")
_DEFINITION = lazy_compile(r"^[^：:]{2,16}[：:]\s*(?:指|是|反映|包括)")  # 名词解释: 财政拨款收入：指…


@rule(
    "T13", "text", "warning",
    "段落结尾缺少句号",
    "每段文字应以句号（或分号、冒号）结束。",
    _REF,
)
def missing_full_stop(ctx: Context) -> None:
    """A paragraph of prose that ends without sentence punctuation; a numbered item that
    lost its full stop (and so reads as a heading) before the next item."""
    for unit in _units(ctx):
        text = unit.text
        bare = text.rstrip(_CLOSERS)
        if len(text) < 10 or unit.last_on_page or not bare or not _ends_word(bare[-1]):
            continue
        if bare != text and text[-1] in "）)":
            k = max(text.rfind("（"), text.rfind("("))
            if k > 0 and text[k - 1] in "。；;！？!?…":
                continue  # a bracketed note after the last sentence
        sentence = _PROSE_MARK.search(text)
        if (not sentence and _LABEL_LINE.search(text)) or (not sentence and not _DEFINITION.search(text) and (_ORDINAL_START.match(text) or len(text) < 16)):
            continue  # a caption, a label line or a heading the reader did not take as one
        ctx.report(f"段落结尾缺少句号：“…{_show(text[-30:])}”", Location.at(unit.prov_at(len(text) - 1), section=unit.title, excerpt=text[-40:]))
    _joined_items(ctx)
    for parent in ctx.doc.walk_sections():
        for k, section in enumerate(parent.children):
            if section.level < 1 or section.part not in _PROSE_PARTS or not section.number:
                continue
            if len(section.title) < 6 or section.title[-1:] in _CLOSERS + "：:":
                continue
            if section.paragraphs:  # the next item reads as this heading's paragraph
                item = _is_ordinal(section.paragraphs[0].text, _next_ordinal(section.number))
            else:  # an empty heading right after the items before it
                item = not section.children and k == 0 and bool(parent.paragraphs) and _is_ordinal(parent.paragraphs[-1].text, _prev_ordinal(section.number))
            if not item:
                continue
            ctx.report(
                f"第{section.number}项结尾缺少句号：“{_show(section.title[-30:])}”",
                Location.at(section.prov, section=section.title, excerpt=section.title[-40:]),
            )


def _open_in_title(unit: TextUnit, opens: str, closes: str) -> bool:
    title = unit.section.title if unit.section is not None and unit.section.paragraphs and unit.section.paragraphs[0].prov == unit.prov else ""
    return sum(title.count(c) for c in opens) > sum(title.count(c) for c in closes)


@rule(
    "T14", "text", "warning",
    "引号、书名号或括号不成对",
    "一段文字中的“ ”、《 》、（ ）、【 】应成对出现。",
    _REF,
)
def unbalanced(ctx: Context) -> None:
    """Each paragraph's quotes, title marks and brackets pair up (a stray “ or ” is reported)."""
    # a form's text cell may be cut at a page end by the converter: notes and prose only
    for unit in _units(ctx) + [u for u in other_units(ctx.doc, ctx.shared) if u.kind == "note"]:
        text = unit.text
        marks = _BRACKET.findall(text)
        if not marks:
            continue
        for opens, closes, name in PAIRS:
            depth, first_bad, i = 0, None, -1
            for ch in marks:
                if ch in opens:
                    depth += 1
                elif ch in closes:
                    depth -= 1
                    if depth < 0 and first_bad is None:
                        first_bad = ch
            if depth == 0 and first_bad is None:
                continue
            if first_bad is None:  # an opener left open: point at the last one
                if unit.last_on_page:
                    continue  # the paragraph goes on over the page
                i = max(text.rfind(c) for c in opens)
            elif unit.first_on_page or _open_in_title(unit, opens, closes):
                continue  # the sentence began on the page before, or in a line read as a heading
            else:
                i = _first_stray(text, opens, closes)
            ctx.report(f"{name}不成对：“{_show(unit.excerpt(i, i + 1))}”", _where(unit, i, i + 1), actual=text[i])


_BRACKET = lazy_compile("[" + "".join(o + c for o, c, _ in PAIRS) + "]")


def _first_stray(text: str, opens: str, closes: str) -> int:
    depth = 0
    for i, ch in enumerate(text):
        if ch in opens:
            depth += 1
        elif ch in closes:
            depth -= 1
            if depth < 0:
                return i
    return 0


_UNFINISHED_KW = r"(?:主要原因是|主要原因为|原因是|原因为|主要用于|具体用于|主要包括|具体包括|包括|主要是|主要有|分别是|分别为)"
_UNFINISHED = lazy_compile(rf"(?=[主原具包分]){_UNFINISHED_KW}\s*[：:，,]?\s*[。；;]|{_UNFINISHED_KW}\s*$")


@rule(
    "T15", "text", "error",
    "句子没有写完",
    "“主要原因是”“主要用于”“包括”之后应写明内容，不能直接以句号结束（段落在此结束而没有标点的，可能只是漏了列表前的冒号，报警告）。",
    _REF,
)
def unfinished(ctx: Context) -> None:
    """A sentence or paragraph that ends right after 主要原因是 / 主要用于 / 包括."""
    for unit in _everywhere(ctx):
        for m in _UNFINISHED.finditer(unit.text):
            at_end = m.group()[-1] not in "。；;"
            if at_end and (unit.last_on_page or unit.kind != "paragraph"):
                continue  # a form's cell or a note need not end with punctuation
            # “…包括” ending a paragraph may only lack the colon before a list: a warning
            ctx.report(
                f"句子在“{m.group().rstrip('。；;，,：: ')}”之后没有写完：“{_show(unit.excerpt(m.start(), m.end()))}”",
                _where(unit, m.start(), m.end()), actual=m.group(), severity=Severity.WARNING if at_end else None,
            )


# --------------------------------------------------------------------------- characters
# (cid:123) is how a PDF glyph without a character mapping comes out: it shows nothing readable
_UNDISPLAYABLE = lazy_compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\\(cid:\\d+\\)")
# Latin-1 and cp1252 characters: UTF-8 read as either becomes a run of these (政务 → æ”¿åŠ¡)
_LATIN = "\u00a0-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
_SUSPECT = lazy_compile("[\x00-\x08\x0b-\x1f\x7f-\u00ff□■\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff锟烫屯]|\\(cid:")
_MOJIBAKE = lazy_compile(f"[{_LATIN}]{{4,}}|(?:锟斤拷|烫烫|屯屯)+|[□■]{{2,}}")
_ACCENTED = lazy_compile("[\u00c0-\u00ff]")


def _mojibake(text: str):
    for m in _MOJIBAKE.finditer(text):
        if m.group()[0] in "锟烫屯□■" or len(_ACCENTED.findall(m.group())) >= 2:
            return m
    return None


@rule(
    "T16", "text", "error",
    "乱码或无法显示的字符",
    "替换字符（�）、私用区字符和控制字符在公开文本中无法显示；成串的乱码说明文字编码出错。",
    _REF,
)
def garbled(ctx: Context) -> None:
    """Replacement characters, private-use and control characters, mojibake runs (one finding a paragraph)."""
    units = _everywhere(ctx) + _headings(ctx)
    for unit in units:
        if not _SUSPECT.search(unit.text):
            continue
        m = _UNDISPLAYABLE.search(unit.text)
        if m:
            where = _heading_where(unit) if unit.kind in ("heading", "toc") else _where(unit, m.start(), m.end())
            what = m.group() if len(m.group()) > 1 else f"U+{ord(m.group()):04X}"
            ctx.report(f"文字中有无法显示的字符（{what}）：“{_show(where.excerpt)}”", where, actual=what)
            continue
        m = _mojibake(unit.text)
        if m:
            where = _heading_where(unit) if unit.kind in ("heading", "toc") else _where(unit, m.start(), m.end())
            ctx.report(f"文字中有乱码“{m.group()[:20]}”", where, severity=Severity.WARNING, actual=m.group()[:20])
    for w in ctx.doc.warnings:
        if w.code in ("garbled-text", "text-garbled", "undisplayable"):
            ctx.report(f"提取时发现乱码：{w.message}", Location.at(w.prov, table=w.table), severity=Severity.WARNING)


_TWO_POINTS = lazy_compile(r"(?<![\d.．])\d+(?:\s?[.．]\s?\d+){2,}(?![\d.．])(?=\s*(?:万元|亿元|元|%|％))")


@rule(
    "T17", "text", "error",
    "数字中有两个小数点",
    "“2.119.60万元”这样的数字无法确定数值，应改正。",
    _REF,
)
def two_decimal_points(ctx: Context) -> None:
    """An amount or percentage printed with two decimal points (prose and table cells)."""
    for unit in _everywhere(ctx):
        for m in _TWO_POINTS.finditer(unit.text):
            ctx.report(f"数字“{m.group()}”有两个小数点：“{_show(unit.excerpt(m.start(), m.end()))}”", _where(unit, m.start(), m.end()), actual=m.group())
    for table in ctx.doc.tables:
        for row in table.rows:
            for column, cell in row.cells.items():
                raw = cell.raw
                if raw and raw.count(".") + raw.count("．") >= 2 and _TWO_CELL.fullmatch(raw.strip()):
                    ctx.report(f"{table.id}“{row.label}”的数字“{raw}”有两个小数点", ctx.cell_loc(table, row, column), actual=raw)


_TWO_CELL = lazy_compile(r"-?\d+(?:\s?[.．]\s?\d+){2,}")


@rule(
    "T18", "text", "warning",
    "空白页",
    "公开文本中不应有空白页（例如目录后的空白页）。",
    _REF,
)
def blank_pages(ctx: Context) -> None:
    """A page without any text (reported by the PDF reader)."""
    for w in ctx.doc.warnings:
        if w.code in ("page-blank", "blank-page"):
            page = w.prov.page
            ctx.report(f"第{page}页是空白页" if page else f"空白页：{w.message}", Location.at(w.prov), actual=w.message)


_NAME_IN_HEADING = lazy_compile(r"^第[一二三四五六七八九十]部分\s*(.+?)(?:(?:19|20)\d{2}\s*年度?)?\s*(?:部门|单位)?\s*(?:概况|基本情况|决算|预算|情况说明|名词解释)")
_ORG_END = lazy_compile(r"(?:局|委员会|委|办公室|办|中心|部|厅|处|院|所|站|队|馆|会|社|校|街道办事处|政府|管委会|公司)$")


@rule(
    "T19", "text", "error",
    "部分标题中的部门名称与封面不一致",
    "“第一部分 ××局概况”等部分标题中的部门名称应与封面一致（表头的名称由 M01 检查）。",
    _REF,
)
def heading_department(ctx: Context) -> None:
    """The department named in part titles equals the cover's (a truncation is only noted)."""
    dept = ctx.doc.meta.department
    if not dept:
        return
    for unit in _headings(ctx):
        if unit.section is not None and unit.section.level != 0:
            continue
        m = _NAME_IN_HEADING.match(compact(unit.text))
        if not m:
            continue
        name = m.group(1).strip()
        if len(name) < 4 or not _ORG_END.search(name):
            continue
        relation = _same_department(name, dept)
        if relation == "same" or key(dept) in key(name):
            continue
        if relation == "partial":
            ctx.report(f"{_which(unit)[1:]}中的部门名称“{name}”与封面“{dept}”不完全一致", _heading_where(unit), severity=Severity.INFO, expected=dept, actual=name)
        else:
            ctx.report(f"{_which(unit)[1:]}中的部门名称“{name}”与封面“{dept}”不一致", _heading_where(unit), expected=dept, actual=name)


_REPEATED = lazy_compile(r"([\u4e00-\u9fff]{2,6})\1|的的(?!确)")


@rule(
    "T21", "text", "warning",
    "字词重复",
    "“外贸外贸企业”“的的”这样连续重复的字词是录入错误。",
    _REF,
)
def repeated_words(ctx: Context) -> None:
    """A word of two to six characters printed twice in a row (外贸外贸), or 的的."""
    for unit in _everywhere(ctx):
        for m in _REPEATED.finditer(unit.text):
            ctx.report(f"“{m.group()}”字词重复：“{_show(unit.excerpt(m.start(), m.end()))}”", _where(unit, m.start(), m.end()), actual=m.group())
