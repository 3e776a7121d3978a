"""Numbers the narrative states, as structured claims.

Every amount ("10,176.60万元"), percentage ("占比8.55%", "增长40.3%", "完成年初预算的
445.66%") and count ("共有车辆1辆") in the 情况说明 becomes a Claim with the phrase
that names it, the sentence and section it sits in, and its source line. Rules then
decide which table cell a claim speaks about and whether the numbers agree.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..extract.numbers import UNIT_SCALE, parse_number
from ..extract.textnorm import compact, key, strip_ordinal
from ..model.document import Document
from ..model.narrative import Paragraph, Section
from ..model.provenance import Provenance
from .narrative_map import phrase_topic, topic_of
from ..patterns import lazy_compile
from ..records import record

_NUMBER = r"\d[\d,，]*(?:\.\s?\d+)*"
_AMOUNT = lazy_compile(rf"({_NUMBER})\s*(亿元|万元|元)")
_PERCENT = lazy_compile(rf"({_NUMBER})\s*[%％]")
_COUNT = lazy_compile(r"(\d+)\s*(辆|台（套）|台\(套\)|台|个|人次|批次)")
_ANY_NUMBER = lazy_compile(f"{_AMOUNT.pattern}|{_PERCENT.pattern}|{_COUNT.pattern}")
# Clause breaks: sentence punctuation, a comma not inside a number, 、 after an amount.
# Every branch starts with its break character so the engine can skip ahead quickly.
_CLAUSE = lazy_compile(r"[；;。：:！？!?\n]|[，,](?:(?<!\d[，,])|(?!\d))|、(?<=[元%％]、)")
_SENTENCE = lazy_compile(r"[。；;！？!?\n]")
_DIGIT = lazy_compile(r"\d")
_CHANGE_VERB = lazy_compile(r"(增加|减少|增长|下降|上升|降低|节约|减支|增支)了?$")
_COMPARE_PREFIX = lazy_compile(r"^(?:与|比|较)?(?:上年|上一年|去年|\d{4}年)度?(?:相比|决算|预算数|预算)?[，,]?|^(?:与|比|较)(?:上年|去年|\d{4}年)")
_NOISE_PREFIX = lazy_compile(r"^(?:其中|主要包括|主要用于|包括|主要是|分别是|合计|共计|共|为|是|达到|约)[:：]?")
_YEAR_PREFIX = lazy_compile(r"^(?:截至)?(?:19|20)\d{2}\s*年度?(?:\d{1,2}月\d{1,2}日)?")
_SELF_PREFIX = lazy_compile(r"^(?:本部门|本单位|我单位|我部门|本局|部门|单位)(?:（单位）)?")
_CLASS_SUFFIX = lazy_compile(r"[（(]类[)）]$")
_COMPARED_WITH = lazy_compile(r"(?:比|较|与)(?:上年|去年|\d{4}年)度?(?:决算|预算数|预算)?$")
_BUDGET_WORD = lazy_compile(r"年初预算|全年预算|预算[数为]$")
_BUDGET_TAIL = lazy_compile(r"(?:年初预算|全年预算|预算数)为?$")
_ACTUAL_TAIL = lazy_compile(r"(?:支出决算|决算数|决算)为?$")
_CHANGE_TAIL = lazy_compile(r"(?:增长|下降|增加|减少|上升|降低)$")
_INCREASE_TAIL = lazy_compile(r"(?:增长|增加|上升)$")
_SHARE_BASE = lazy_compile(r"占(.+?)的?$")
# a paragraph about one 科目: "1.“一般公共服务支出（类）…（项）”…" or "…支出-…-…"科目
_LEADING_NUMBER = lazy_compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、)")
_ITEM = lazy_compile(
    r"^\s*(?:\d{1,2}\s*[.、．]\s*)?[“\"]?("
    r"[^“”\"，。；：:]{2,30}?[（(]类[)）](?:[^“”\"，。；：:]{2,30}?[（(]款[)）])?(?:[^“”\"，。；：:]{2,40}?[（(]项[)）])?"
    r"|[^“”\"，。；：:\-—–]{2,30}支出[-—–][^“”\"，。；：:]{2,80}?(?=[”\"]|科目)"
    r")"
)



@record
class Claim:
    kind: str  # "amount" | "budget" | "actual" | "change" | "change_pct" | "share" | "completion" | "count"
    value: Decimal  # 万元, percent or count
    raw: str
    decimals: int  # printed decimals (for tolerance)
    subject: str  # normalised phrase naming the number (entity for budget/actual/change)
    phrase: str  # the clause text as printed
    sentence: int  # index of the sentence within the paragraph
    paragraph: Paragraph
    section: Section
    path: tuple[str, ...]  # section titles from the part down
    prov: Provenance
    unit: str = "万元"
    direction: int = 0  # change: +1 increase, -1 decrease
    base_name: str | None = None  # share: the base named after 占 (占本年支出合计的)
    index: int = 0  # order within the paragraph
    start: int = 0  # where the number starts in the paragraph text
    end: int = 0  # and where it ends
    sentence_text: str = ""  # the sentence it stands in
    topic: str | None = None  # which tables it speaks of (narrative_map.TOPICS); None: not settled
    item: str | None = None  # the 科目 the paragraph is about ("1.“X（类）Y（款）Z（项）”…"), if any


def _decimals(raw: str) -> int:
    raw = raw.replace(" ", "")
    if "." in raw:
        return len(raw.rsplit(".", 1)[1])
    return 0


def _subject(text: str, department: str | None) -> str:
    s = strip_ordinal(compact(text))
    if department:
        s = s.replace(key(department), "").replace(department, "")
    for _ in range(3):
        before = s
        s = _SELF_PREFIX.sub("", _NOISE_PREFIX.sub("", _YEAR_PREFIX.sub("", s)))
        if s == before:
            break
    return s


def _entity(subject: str) -> str:
    s = _CLASS_SUFFIX.sub("", subject)
    return s


def _pieces(pattern: re.Pattern, text: str, offset: int = 0):
    """re.split(pattern, text) with each piece's offset (in the paragraph)."""
    pos = 0
    for m in pattern.finditer(text):
        yield offset + pos, text[pos : m.start()]
        pos = m.end()
    yield offset + pos, text[pos:]


def paragraph_item(text: str, carried: str | None) -> str | None:
    """The 科目 a paragraph is about: named at its start, or the previous paragraph's when
    this one goes on with the same list item (it starts with no number of its own)."""
    m = _ITEM.match(text)
    if m:
        return m.group(1)
    return None if _LEADING_NUMBER.match(text) else carried


def paragraph_claims(
    section: Section, path: tuple[str, ...], paragraph: Paragraph, department: str | None,
    carried: str | None = None, carried_item: str | None = None,
) -> list[Claim]:
    """The claims of a paragraph; `carried` and `carried_item` are the topic and the 科目 the
    section's previous paragraph ended in (a list item's text may run over paragraphs)."""
    text = paragraph.text
    out: list[Claim] = []
    if not _DIGIT.search(text):
        return out
    index = 0
    # the section's title settles the topic; where it names none (or only the whole
    # report: 预算编制说明), the claim's own words do, or those of an earlier claim of the
    # paragraph ("1.“…（项）”25.77万元。2024年预算安排25.77万元")
    section_topic = topic_of(path)
    general = section_topic in (None, "overview")
    item = paragraph_item(text, carried_item)
    sentence_topic = carried  # the last topic the paragraph's (or the one before's) own words named
    for si, (sentence_at, sentence) in enumerate(_pieces(_SENTENCE, text)):
        if not _DIGIT.search(sentence):
            continue
        for clause_at, clause in _pieces(_CLAUSE, sentence, sentence_at):
            if not clause.strip():
                continue
            cursor = 0
            for m in _ANY_NUMBER.finditer(clause):
                before = clause[cursor : m.start()]
                cursor = m.end()

                def claim(kind: str, value: Decimal, decimals: int, subject: str, **more) -> Claim:
                    nonlocal sentence_topic
                    topic = section_topic
                    if general:
                        topic = phrase_topic(compact(clause[: m.start()])) or sentence_topic
                        sentence_topic = topic or sentence_topic
                    return Claim(
                        kind, value, m.group(0), decimals, subject, clause, si, paragraph, section, path,
                        paragraph.prov, index=index, start=clause_at + m.start(), end=clause_at + m.end(),
                        sentence_text=sentence, topic=topic, item=item, **more,
                    )

                if m.group(2):  # amount
                    number, unit = m.group(1), m.group(2)
                    parsed = parse_number(number)
                    if parsed.value is None:
                        continue
                    subject = _subject(before, department)
                    kind = "amount"
                    direction = 0
                    cmp_subject = subject
                    verb = _CHANGE_VERB.search(subject)
                    if verb:
                        kind = "change"
                        direction = 1 if verb.group(1) in ("增加", "增长", "上升", "增支") else -1
                        cmp_subject = _COMPARED_WITH.sub("", _COMPARE_PREFIX.sub("", _CHANGE_VERB.sub("", subject)))
                    elif _BUDGET_WORD.search(subject):
                        kind = "budget"
                        cmp_subject = _BUDGET_TAIL.sub("", subject)
                    elif _ACTUAL_TAIL.search(subject):
                        kind = "actual"
                        cmp_subject = _ACTUAL_TAIL.sub("", subject)
                    out.append(claim(kind, parsed.value * UNIT_SCALE[unit], _decimals(number), _entity(cmp_subject), direction=direction))
                elif m.group(3):  # percent
                    number = m.group(3)
                    parsed = parse_number(number)
                    if parsed.value is None:
                        continue
                    lead = compact(before)
                    if _CHANGE_TAIL.search(lead):
                        direction = 1 if _INCREASE_TAIL.search(lead) else -1
                        out.append(claim("change_pct", parsed.value, _decimals(number), "", unit="%", direction=direction))
                    elif "完成" in lead and "预算" in lead:
                        out.append(claim("completion", parsed.value, _decimals(number), lead, unit="%"))
                    elif "占" in lead:
                        base = None
                        bm = _SHARE_BASE.search(lead)
                        if bm and bm.group(1) not in ("比", "比为", "比例"):
                            base = re.sub(r"的$", "", bm.group(1))
                        out.append(claim("share", parsed.value, _decimals(number), lead, unit="%", base_name=base))
                else:  # count
                    number, unit = m.group(4), m.group(5)
                    out.append(claim("count", Decimal(number), 0, _subject(before, department), unit=unit))
                index += 1
    return out


class ClaimList(list):
    """Claims in document order, indexed by sentence."""

    def __init__(self, claims: list[Claim]):
        super().__init__(claims)
        self._sentences: dict[tuple[int, int], list[Claim]] = {}
        for c in claims:
            self._sentences.setdefault((id(c.paragraph), c.sentence), []).append(c)

    def sentence_of(self, claim: Claim) -> list[Claim]:
        return self._sentences.get((id(claim.paragraph), claim.sentence), [])


def narrative_claims(doc: Document) -> ClaimList:
    """Claims of the 情况说明 (and of the whole text when no 第三部分 is marked)."""
    out: list[Claim] = []
    # the parts that are a 情况说明 / 编制说明 (第三部分 in the national template, but a
    # template may number its parts otherwise); with no parts, the whole text
    parts = {s.number: s.title for s in doc.sections if s.level == 0 and s.number}
    explained = {n for n, title in parts.items() if "说明" in title and "名词解释" not in title}
    wanted = explained or ({"第三部分"} if "第三部分" in parts else None)

    department = doc.meta.department
    # Depth-first with an explicit stack (a recursive closure would be a reference cycle
    # keeping the whole document alive until the cyclic collector runs).
    stack: list[tuple[Section, tuple[str, ...]]] = [(root, ()) for root in reversed(doc.sections)]
    while stack:
        section, path = stack.pop()
        here = path + ((section.title,) if section.title else ())
        if wanted is None or section.part in wanted or (section.level == 0 and section.number in wanted):
            carried = carried_item = None
            for p in section.paragraphs:
                claims = paragraph_claims(section, here, p, department, carried, carried_item)
                carried_item = paragraph_item(p.text, carried_item)
                if claims:
                    carried = claims[-1].topic
                out.extend(claims)
        stack.extend((child, here) for child in reversed(section.children))
    return ClaimList(out)
