"""Narrative reasoning beyond single cells: totals against their parts, comparison words
against the numbers they compare, statements that contradict each other.

narrative.py holds each stated figure against the table cell it names; these rules
hold the narrative's statements against each other, so they also work where no table
prints the figure (a 决算's 年初预算 by class, a 预算's 政府采购预算).
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from ... import catalog
from ...extract.textnorm import key
from ..claims import Claim, ClaimList
from ..engine import Context, Location, Severity, fmt, rule, tolerance
from ..narrative_map import topic_of
from .narrative import _claims, _entity, _where
from ...patterns import lazy_compile

# A stated total and the complete set of parts a reader expects beside it: (name, topic,
# total pattern, parts as (label, pattern, required)). Patterns match the claim's subject key.
_PARTITIONS: list[tuple[str, str, str, list[tuple[str, str, bool]]]] = [
    ("政府采购", "procurement", r"^政府采购(?:支出|预算|合同)?(?:金额)?总额$|^政府采购(?:支出|预算)$", [
        ("货物", r"^(?:政府采购)?货物(?:采购)?(?:支出|预算|金额)?$", True),
        ("工程", r"^(?:政府采购)?工程(?:采购)?(?:支出|预算|金额)?$", True),
        ("服务", r"^(?:政府采购)?服务(?:采购)?(?:支出|预算|金额)?$", True),
    ]),
    ("基本支出", "basic", r"基本支出$", [
        ("人员经费", r"^人员经费$", True),
        ("公用经费", r"^公用经费$", True),
    ]),
    ("支出合计", "expenditure", r"^(?:本年)?支出合计$", [
        ("基本支出", r"^基本支出$", True),
        ("项目支出", r"^项目支出$", True),
        ("上缴上级支出", r"^上缴上级支出$", False),
        ("经营支出", r"^经营支出$", False),
        ("对附属单位补助支出", r"^对附属单位补助支出$", False),
    ]),
    ("收入合计", "income", r"^(?:本年)?收入合计$", [
        ("财政拨款收入", r"^财政拨款收入$", True),
        ("上级补助收入", r"^上级补助收入$", False),
        ("事业收入", r"^事业收入$", False),
        ("经营收入", r"^经营收入$", False),
        ("附属单位上缴收入", r"^附属单位上缴收入$", False),
        ("其他收入", r"^其他收入$", False),
    ]),
    ("“三公”经费", "three_public", r"三公", [
        ("因公出国（境）费", r"^因公出国\(境\)费(?:用)?(?:支出)?(?:预算)?$", True),
        ("公务用车购置费", r"^公务用车购置(?:费)?(?:支出)?(?:预算)?$", True),
        ("公务用车运行维护费", r"^公务用车运行(?:维护)?费(?:支出)?(?:预算)?$", True),
        ("公务接待费", r"^公务接待费(?:支出)?(?:预算)?$", True),
    ]),
]
_COMPILED = [(n, t, re.compile(p), [(lab, re.compile(pp), req) for lab, pp, req in parts]) for n, t, p, parts in _PARTITIONS]
_AMOUNTS = ("amount", "actual", "budget")


def _subject_key(claims: ClaimList, c: Claim) -> str:
    return key(_entity(claims, c) if not c.subject else c.subject)


def _by_section(claims: ClaimList) -> dict[int, list[Claim]]:
    out: dict[int, list[Claim]] = {}
    for c in claims:
        out.setdefault(id(c.section), []).append(c)
    return out


def _other_year(ctx: Context, c: Claim) -> bool:
    year = ctx.doc.meta.year
    if re.search(r"上年|去年|上一年", c.phrase):
        return True
    return bool(year and any(int(y) != year for y in re.findall(r"((?:19|20)\d{2})\s*年", c.phrase)))


def _report_sum(ctx: Context, what: str, total: Claim, parts: list[Claim], *, severity=None) -> None:
    stated = sum((p.value for p in parts), Decimal(0))
    listed = "＋".join(f"{p.raw}" for p in parts)
    ctx.compare(
        f"情况说明“{total.phrase.strip()}”，所列{what}{listed} = {fmt(stated)}万元",
        total.value, stated, _where(total), parts=len(parts),
        related=lambda: [_where(p) for p in parts[:6]], severity=severity,
    )


@rule(
    "N10", "narrative", "error",
    "情况说明所述合计与所列分项之和不符",
    "情况说明写出总额及其全部组成部分时（政府采购 = 货物 + 工程 + 服务；基本支出 = 人员经费 + 公用经费；"
    "“三公”经费 = 出国 + 车辆购置 + 车辆运行 + 接待；支出合计 = 基本支出 + 项目支出 + …），分项之和应等于总额，"
    "允许每个分项0.01万元的尾数误差。",
    "情况说明数据口径；财政部部门决算公开通知",
)
def totals_and_parts(ctx: Context) -> None:
    """A stated total equals the sum of the parts listed with it (all parts of a known partition)."""
    claims = _claims(ctx)
    for section_claims in _by_section(claims).values():
        topic = topic_of(section_claims[0].path)
        for name, t, total_re, parts in _COMPILED:
            if topic != t:
                continue
            for kinds in (("amount", "actual"), ("budget",)):
                pool = [c for c in section_claims if c.kind in kinds and not _other_year(ctx, c)]
                total = next((c for c in pool if total_re.search(_subject_key(claims, c))), None)
                if total is None:
                    continue
                after = [c for c in pool if c is not total and (c.paragraph is not total.paragraph or c.index > total.index)]
                found: list[Claim] = []
                missing_required = False
                for _label, part_re, required in parts:
                    hit = next((c for c in after if part_re.search(_subject_key(claims, c))), None)
                    if hit is not None:
                        found.append(hit)
                    elif required:
                        missing_required = True
                        break
                if missing_required or not found:
                    continue
                stated = sum((p.value for p in found), Decimal(0))
                if len(found) < len(parts) and stated < total.value:
                    continue  # an unlisted optional part may hold the rest
                _report_sum(ctx, name + "的分项", total, found)


@lru_cache(maxsize=4096)
def _is_class(subject: str) -> bool:
    name = re.sub(r"[（(]类[)）]$", "", subject)
    return bool(catalog.functional().codes_for_name(name, level="类"))


@rule(
    "N11", "narrative", "error",
    "各类科目年初预算（决算）之和与所述总额不符",
    "“一般公共预算财政拨款支出年初预算X万元……其中：各类年初预算A、B……”：所列各类科目的年初预算（或支出）之和应等于所述总额；"
    "少于总额可能是漏列了科目（警告），多于总额是错误。允许每个分项0.01万元的尾数误差。",
    "情况说明数据口径",
)
def classes_add_up(ctx: Context) -> None:
    """The 类 amounts a section lists add up to the total it states first (年初预算 and 决算 alike)."""
    claims = _claims(ctx)
    for section_claims in _by_section(claims).values():
        if topic_of(section_claims[0].path) not in ("gpb", "expenditure", "fiscal"):
            continue
        for kinds in (("budget",), ("amount", "actual")):
            pool = [c for c in section_claims if c.kind in kinds]
            if len(pool) < 3:
                continue
            pool = [c for c in pool if not _other_year(ctx, c)]
            classes = [c for c in pool if "支出" in c.phrase and _is_class(_subject_key(claims, c))]
            if len(classes) < 2:
                continue
            if any(re.search(r"[（(]类[)）]", c.phrase) and c not in classes for c in pool):
                continue  # a listed 类 whose name is not a class (reported by N01): the list cannot be added up
            first = pool[0]
            if first in classes or classes[0].index < first.index and classes[0].paragraph is first.paragraph:
                continue
            seen: set[str] = set()
            parts = []
            for c in classes:
                k = _subject_key(claims, c)
                if k not in seen:
                    seen.add(k)
                    parts.append(c)
            stated = sum((p.value for p in parts), Decimal(0))
            if abs(stated - first.value) <= tolerance(len(parts)):
                if stated != first.value:
                    _report_sum(ctx, "各类科目", first, parts)
                continue
            if re.search(r"等[。；;]?\s*$", parts[-1].sentence_text) or "等" in parts[-1].paragraph.text[parts[-1].end : parts[-1].end + 12]:
                continue  # "……等": the list says it is not complete
            _report_sum(ctx, "各类科目", first, parts, severity=Severity.WARNING if stated < first.value else None)


_SME = lazy_compile(r"中小企业")
_SMALL = lazy_compile(r"小微企业")
_PROCUREMENT_TOTAL = lazy_compile(r"^政府采购(?:支出|预算|合同)?(?:金额)?总额$|^政府采购(?:支出|预算)$")


@rule(
    "N12", "narrative", "error",
    "授予中小企业（小微企业）的合同金额超过政府采购总额",
    "授予中小企业的合同金额不能超过政府采购支出总额，授予小微企业的不能超过授予中小企业的。",
    "政府采购促进中小企业发展管理办法；部门决算公开通知",
)
def sme_within_total(ctx: Context) -> None:
    """授予中小企业 ≤ 政府采购总额 and 授予小微企业 ≤ 授予中小企业."""
    claims = _claims(ctx)
    for section_claims in _by_section(claims).values():
        if topic_of(section_claims[0].path) != "procurement":
            continue
        amounts = [c for c in section_claims if c.kind in _AMOUNTS and not _other_year(ctx, c)]
        total = next((c for c in amounts if _PROCUREMENT_TOTAL.search(key(c.subject))), None)
        sme = next((c for c in amounts if _SME.search(c.subject)), None)
        small = next((c for c in amounts if _SMALL.search(c.subject)), None)
        for part, whole, what in ((sme, total, "政府采购总额"), (small, sme, "授予中小企业合同金额")):
            if part is None or whole is None or part.value <= whole.value:
                continue
            ctx.report(
                f"“{part.phrase.strip()}”超过{what}{fmt(whole.value)}万元", _where(part),
                expected=f"≤ {fmt(whole.value)}", actual=part.value, difference=part.value - whole.value, related=[_where(whole)],
            )


# ------------------------------------------------------------------------- comparison words
_GREATER = lazy_compile(r"大于|高于|多于|超过|超出")
_LESS = lazy_compile(r"小于|低于|少于|不足")
_EQUAL = lazy_compile(r"等于|持平|相同|一致|相等|不变")
_YEAR = lazy_compile(r"((?:19|20)\d{2})\s*年")
_REASON_PREFIX = lazy_compile(r"^(?:主要原因是|主要是|原因是|其中|主要包括)[:：]?")


def _year_of(ctx: Context, c: Claim) -> int | None:
    """The year a claim's own phrase names (上年 → the year before), or None."""
    year = ctx.doc.meta.year
    m = _YEAR.search(c.phrase)
    if m:
        return int(m.group(1))
    if year and re.search(r"上年|去年|上一年", c.phrase):
        return year - 1
    return None


def _bare(subject: str) -> str:
    s = _REASON_PREFIX.sub("", subject)
    s = re.sub(r"^(?:19|20)\d{2}\s*年度?", "", s)
    return re.sub(r"(?:为|是|共)$", "", s)


@rule(
    "N13", "narrative", "error",
    "比较用语与所比较的两个数不符",
    "“增加/减少/持平”“大于/小于/等于”等用语应与其比较的两个数一致：写“增加”时本年数应大于上年数，"
    "写“持平”时两数应相等；句中写出两年数额时，增减额应等于两数之差。",
    "情况说明数据口径",
)
def comparison_words(ctx: Context) -> None:
    """A change's direction (and amount) agrees with the two years' figures stated for it; 大于/小于/等于 agree with their two numbers."""
    claims = _claims(ctx)
    year = ctx.doc.meta.year
    by_paragraph: dict[int, list[Claim]] = {}
    for c in claims:
        by_paragraph.setdefault(id(c.paragraph), []).append(c)
    for group in by_paragraph.values():
        for c in group:
            if c.kind != "change" or c.direction == 0 or not year:
                continue
            # the two years' figures stated after the change ("主要原因是2023年X 0万元，2024年X 17.47万元")
            later = [x for x in group if x.index > c.index and x.kind in ("amount", "actual") and x.sentence - c.sentence <= 1]
            prior = next((x for x in later if _year_of(ctx, x) == year - 1), None)
            if prior is None:
                continue
            current = next((x for x in later if x.index > prior.index and _year_of(ctx, x) == year and _bare(key(x.subject)) == _bare(key(prior.subject))), None)
            if current is None:
                continue
            delta = current.value - prior.value
            entity = key(_entity(claims, c) or next((x.subject for x in group if x.subject and x.index < c.index), ""))
            same_item = bool(entity) and _bare(key(prior.subject)) in (entity, re.sub(r"支出$", "", entity))
            word = "增加" if c.direction > 0 else "减少"
            if delta != 0 and (delta > 0) != (c.direction > 0):
                ctx.report(
                    f"“{c.phrase.strip()}”写作“{word}”，但所述上年{fmt(prior.value)}万元、本年{fmt(current.value)}万元是{'增加' if delta > 0 else '减少'}",
                    _where(c), severity=None if same_item else Severity.WARNING,
                    expected="增加" if delta > 0 else "减少", actual=word, related=[_where(prior), _where(current)],
                )
            elif same_item and delta != 0:
                ctx.compare(
                    f"“{c.phrase.strip()}”与所述上年{fmt(prior.value)}万元、本年{fmt(current.value)}万元之差",
                    abs(delta), c.value, _where(c), parts=2, related=[_where(prior), _where(current)],
                )
    # 大于 / 小于 / 等于 / 持平 between two stated figures of one sentence
    for c in claims:
        if c.kind not in _AMOUNTS:
            continue
        same = [x for x in claims.sentence_of(c) if x.index > c.index and x.kind in _AMOUNTS]
        if not same:
            continue
        other = same[0]
        between = c.paragraph.text[c.end : other.start]
        if len(between) > 24:
            continue
        if _GREATER.search(between):
            ok, word = c.value > other.value, _GREATER.search(between).group(0)
        elif _LESS.search(between):
            ok, word = c.value < other.value, _LESS.search(between).group(0)
        elif _EQUAL.search(between):
            ok, word = c.value == other.value, _EQUAL.search(between).group(0)
        else:
            continue
        if not ok:
            ctx.report(
                f"“{c.raw}{between}{other.raw}”：{fmt(c.value)}与{fmt(other.value)}不是“{word}”的关系", _where(c),
                expected=word, actual=f"{fmt(c.value)} / {fmt(other.value)}", related=[_where(other)],
            )
    # 持平 with a change stated beside it
    for c in claims:
        if c.kind == "change" and c.value != 0 and re.search(r"持平|不变", c.sentence_text):
            ctx.report(
                f"“{c.sentence_text.strip()[:60]}”既称持平，又称{'增加' if c.direction > 0 else '减少'}{fmt(c.value)}万元", _where(c),
                severity=Severity.WARNING, expected="持平（变动为0）", actual=c.raw,
            )


# ------------------------------------------------------------------------- contradictions
_THRESHOLD_COUNT = lazy_compile(
    r"(?:单价|单位价值|价值)?\s*(\d+(?:\.\d+)?)\s*万元\s*[（(]?\s*含?\s*[)）]?\s*以上[^。；;，,]{0,16}?(\d+)\s*(台（套）|台\(套\)|台|套|件|辆)"
)


@rule(
    "N14", "narrative", "error",
    "情况说明前后陈述相互矛盾",
    "同一报告中的陈述不能相互矛盾：单价50万元以上的设备不能少于单价100万元以上的设备。",
    "情况说明数据口径",
)
def contradictions(ctx: Context) -> None:
    """Counts above a lower value threshold are at least the counts above a higher one."""
    seen: list[tuple[Decimal, int, str, object]] = []
    for section in ctx.doc.walk_sections():
        for p in section.paragraphs:
            if "以上" not in p.text:
                continue
            for m in _THRESHOLD_COUNT.finditer(p.text):
                seen.append((Decimal(m.group(1)), int(m.group(2)), m.group(0), p))
    for low, n_low, text_low, p_low in seen:
        for high, n_high, text_high, p_high in seen:
            if high > low and n_high > n_low:
                ctx.report(
                    f"“{text_low}”少于“{text_high}”：单价{fmt(low)}万元以上的数量不能少于{fmt(high)}万元以上的",
                    Location.at(p_low.prov, excerpt=text_low), expected=f"≥ {n_high}", actual=str(n_low),
                    related=[Location.at(p_high.prov, excerpt=text_high)],
                )
