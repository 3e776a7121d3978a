"""Find the document's structure in the block stream: 目录, parts, and table spans.

A standard table is found by its title and/or its label (公开01表, 预算公开表1, 表一)
— never by a 目录 entry or a narrative heading: an anchor counts only when a grid
or a no-data note follows it before the next anchor.
"""

from __future__ import annotations

import re
from dataclasses import field
from functools import lru_cache

from rapidfuzz import fuzz, process

from ..ingest.blocks import Block
from ..model.narrative import TocEntry
from ..profiles import Profile, TableSpec
from .textnorm import chinese_number, compact, key, strip_ordinal
from ..patterns import lazy_compile
from ..records import record

_PART = lazy_compile(r"^第([一二三四五六七八九十])部分")
_LABEL = lazy_compile(
    r"^(?:(?P<nat>公开\s*(?P<n1>\d{1,2})\s*表?)"
    r"|(?P<bud>(?:预算公开|部门公开|单位公开|部门预算公开|预算)表\s*(?P<n2>\d{1,2}))"
    r"|(?P<cn>表\s*(?P<n3>[一二三四五六七八九十]{1,3}))"
    r"|(?P<hu>附表\s*(?P<n4>\d{1,2})))$"
)
_YEAR_PREFIX = lazy_compile(r"^(?:\d{4}\s*年度?|\(\d{4}\)年?度?)")
_TOC_TAIL = lazy_compile(r"(?:\.{2,}|…{1,}|·{2,}|—{2,})\s*\d*\s*$|\s\d{1,3}$")
_PAGE_NUMBER_END = lazy_compile(r"\d{1,3}$")
_PAGE_TAIL = lazy_compile(r"(\d{1,3})\s*$")
_LEADER_TAIL = lazy_compile(r"[.…·]{2,}.*$")
_LEADER_PAGE = lazy_compile(r"[.…·\s]*\d{1,3}\s*$")
_CONTINUED = lazy_compile(r"[（(]?续(?:表)?[)）]?$")
_NOTE = lazy_compile(r"^(?:注|说明|备注|附注)\s*[:：\d.、]|本表无数据|无此项|无数据|没有.*(?:收入|支出)")
_NO_DATA = lazy_compile(r"本表无数据|无此项(?:收支|支出|收入)?|本表为空|无(?:相关)?数据|故本表无|没有.{0,20}(?:收入|支出|经费)")
_PAGE_NUMBER = lazy_compile(r"^(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3})$")
_META = lazy_compile(
    r"^(?:(?:部门|单位|预算单位)名称\s*[:：]|(?:金额)?单位\s*[:：]|\d{4}\s*年度?$|编制单位\s*[:：]|\(\d{4}\)\s*年度)"
)


@record
class Anchor:
    index: int  # block index
    title: str | None = None  # printed title (compacted)
    title_index: int | None = None
    label: str | None = None  # printed label
    label_ordinal: int | None = None
    matches: list[tuple[str, str, float]] = field(default_factory=list)  # (profile, table, score)


@record
class TableSpan:
    anchor: Anchor
    start: int  # first block index of the span (anchor)
    grids: list[int] = field(default_factory=list)  # block indexes of the table's grids
    meta: list[int] = field(default_factory=list)  # text blocks between anchor and first grid
    notes: list[int] = field(default_factory=list)
    end: int = 0  # last block index belonging to the table
    spec: TableSpec | None = None


@record
class Structure:
    toc: list[TocEntry]
    toc_range: tuple[int, int] | None
    parts: dict[int, int]  # part number → block index of its heading
    spans: list[TableSpan]
    profile: Profile | None
    profile_scores: dict[str, float]


def parse_label(text: str) -> tuple[str, int] | None:
    t = compact(text)
    m = _LABEL.match(t)
    if not m:
        return None
    for group in ("n1", "n2", "n4"):
        if m.group(group):
            return t, int(m.group(group))
    n = chinese_number(m.group("n3"))
    return (t, n) if n else None


# A unit printed on the title's line: "收入支出决算总表  金额单位：万元".
_UNIT_TAIL = lazy_compile(r"[（(]?(?:金额)?单位[:：](?:万元|千元|元|亿元)[)）]?$")
# The department and year before a title: "示例市数据管理局2024年度收入支出决算总表".
_OWNER_YEAR_PREFIX = lazy_compile(r"^\D{2,30}?(?:19|20)\d{2}年度?")
# The last character of a department's name (局, 委员会, 办公室, 中心, 街道办事处 …): a title
# printed after the department's name is matched without it.
_OWNER_END = frozenset("局委会室办心部厅处院所站队馆社校府司团")

# A table's number as printed before its title: 公开01表, 表一, 预算公开表1, 附表2, 表3-1.
TABLE_NUMBER = r"公开\d{1,2}表?|附?表\s*\d{1,2}(?:[-—–－]\d{1,2})?|附?表\s*[一二三四五六七八九十]{1,3}|(?:预算公开|部门公开)表\d{1,2}"
_TABLE_NUMBER = lazy_compile(rf"^(?:{TABLE_NUMBER})[:：.．、\-—–－]?")


@lru_cache(maxsize=8192)
def title_key(text: str) -> str:
    """Title matching key: no ordinal, label, year prefix or "(续)"."""
    t = compact(text)
    t = strip_ordinal(t)
    m = _TABLE_NUMBER.match(t)
    if m and len(t) > m.end():
        t = t[m.end():]
    t = _UNIT_TAIL.sub("", t)
    t = _YEAR_PREFIX.sub("", t)
    t = _CONTINUED.sub("", t)
    t = re.sub(r"^[上下]?[\u4e00-\u9fff]{0,20}?(?:局|委员会|部|中心|办公室|院|所|厅|委)\s*\d{4}\s*年度?部门决算表$", "", t)
    m = _OWNER_YEAR_PREFIX.match(t)
    if m and len(t) - m.end() >= 4 and t.endswith("表"):
        t = t[m.end():]
    return key(t)


class TitleIndex:
    """All profiles' table titles, for exact and fuzzy lookup."""

    def __init__(self, profiles: tuple[Profile, ...]):
        self.entries: list[tuple[str, str, str]] = []  # (title key, profile id, table id)
        for p in profiles:
            for t in p.tables:
                for title in t.titles:
                    self.entries.append((key(title), p.id, t.id))
        self._keys = [e[0] for e in self.entries]
        self._exact: dict[str, list[tuple[str, str]]] = {}
        for k, pid, tid in self.entries:
            self._exact.setdefault(k, []).append((pid, tid))

    def match(self, text: str) -> list[tuple[str, str, float]]:
        k = title_key(text)
        if len(k) < 4 or len(k) > 40:
            return []
        if k in self._exact:
            return [(pid, tid, 100.0) for pid, tid in self._exact[k]]
        if k.endswith("表"):
            for i in range(2, len(k) - 4):  # 示例市数据管理局|收入支出决算总表
                if k[i - 1] in _OWNER_END and k[i:] in self._exact:
                    return [(pid, tid, 100.0) for pid, tid in self._exact[k[i:]]]
        if len(k) < 8:
            return []
        best: dict[tuple[str, str], float] = {}
        for title, score, index in process.extract(k, self._keys, scorer=fuzz.ratio, score_cutoff=90, limit=None):
            if abs(len(title) - len(k)) > 3:
                continue  # a longer or shorter heading that merely contains a title
            _, pid, tid = self.entries[index]
            if score > best.get((pid, tid), 0):
                best[(pid, tid)] = score
        return [(pid, tid, s) for (pid, tid), s in best.items()]


def is_toc_like(block: Block) -> bool:
    if block.kind == "grid":
        rows = [r for r in block.rows if any(r.cells)]
        if not rows:
            return False
        paged = 0
        for r in rows:
            cells = [c for c in r.cells if c]
            last = cells[-1] if cells else ""
            if _PAGE_NUMBER_END.search(last) and (len(cells) > 1 or _TOC_TAIL.search(last)):
                paged += 1
        return paged >= max(1, len(rows) // 2)
    return len(block.text) < 80 and bool(_TOC_TAIL.search(block.text))


def find_toc(blocks: list[Block]) -> tuple[list[TocEntry], tuple[int, int] | None]:
    start = None
    for i, b in enumerate(blocks[:200]):
        if b.kind in ("heading", "text") and key(b.text) in ("目录", "目次"):
            start = i
            break
    if start is None:
        return [], None
    entries: list[TocEntry] = []
    leaders = False  # the 目录 prints leader dots or page numbers
    page = None
    end = start + 1
    i = start + 1
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "grid":
            if not is_toc_like(b) and entries:
                break
            for r in b.rows:
                entry = _toc_entry("".join(r.cells), r.prov)
                if entry:
                    entries.append(entry)
        else:
            found = _toc_entries(b.text, b.prov)
            part = _PART.match(compact(b.text))
            if part and not _TOC_TAIL.search(b.text) and entries and _already_listed(b.text, entries):
                break  # the body's own part heading
            if not found:
                break
            if entries and not _TOC_TAIL.search(b.text) and _toc_closed(b, blocks[i + 1] if i + 1 < len(blocks) else None, entries, leaders, page):
                break
            leaders = leaders or bool(_TOC_TAIL.search(b.text))
            page = b.prov.page
            entries.extend(found)
        end = i + 1
        i += 1
    return entries, (start, end)


def _toc_closed(b: Block, following: Block | None, entries: list[TocEntry], leaders: bool, page: int | None) -> bool:
    """A line without leader dots or a page number after 目录 entries: the body has begun
    when it repeats an entry (the body's first heading), reads as a sentence, or, in a
    目录 that prints leaders or page numbers, stands on a new page or is not the first
    half of a wrapped entry."""
    text = compact(b.text)
    if text[-1:] in "。；;" or (len(text) > 24 and "，" in text) or _repeats_entry(text, entries):
        return True
    if leaders:
        if b.prov.page is not None and b.prov.page != page:
            return True
        return following is None or following.kind == "grid" or not _TOC_TAIL.search(following.text)
    return False


def _repeats_entry(text: str, entries: list[TocEntry]) -> bool:
    k = _YEAR_PREFIX.sub("", key(strip_ordinal(text)))
    if len(k) < 4:
        return False
    for e in entries:
        t = _YEAR_PREFIX.sub("", key(strip_ordinal(e.text)))
        # "部门主要职能" is printed with the department's name: "上海市…办公室主要职能"
        if k == t or (t[:2] in ("部门", "单位") and len(t) >= 6 and k.endswith(t[2:]) and 2 <= len(k) - len(t) + 2 <= 26):
            return True
    return False


# a run of leader dots, and the page number after it (not the ordinal of the next entry: "1. …")
_LEADER_RUN = lazy_compile(r"(?:\.{2,}|…+|·{2,}|—{2,})\s*(?:(\d{1,3})(?![\d.、．]))?\s*")


def _toc_entries(text: str, prov) -> list[TocEntry]:
    """The entries of a 目录 line; a PDF line may hold several ("一、职能……二、机构设置……")."""
    pieces = [m for m in _LEADER_RUN.finditer(text)]
    if len(pieces) <= 1 or not text[pieces[-1].end():].strip() and len(pieces) == 1:
        entry = _toc_entry(text, prov)
        return [entry] if entry else []
    out: list[TocEntry] = []
    pos = 0
    for m in pieces:
        body = text[pos : m.start()].strip(" .…·")
        pos = m.end()
        if body and len(body) <= 80:
            out.append(TocEntry(compact(body), int(m.group(1)) if m.group(1) else None, prov))
    rest = _toc_entry(text[pos:], prov) if text[pos:].strip() else None
    if rest:
        out.append(rest)
    return out


def _already_listed(text: str, entries: list[TocEntry]) -> bool:
    k = key(text)
    return any(key(e.text) == k for e in entries)


def _toc_entry(text: str, prov) -> TocEntry | None:
    text = text.strip()
    if not text:
        return None
    body = _LEADER_TAIL.sub("", text)
    page = None
    tail = _PAGE_TAIL.search(text)
    if tail:
        page = int(tail.group(1))
        body = _LEADER_PAGE.sub("", body) if body.endswith(tail.group(1)) else body
    body = body.strip(" .…·")
    if not body or len(body) > 80:
        return None
    return TocEntry(compact(body), page, prov)


def find_parts(blocks: list[Block], toc_range: tuple[int, int] | None) -> dict[int, int]:
    parts: dict[int, int] = {}
    for i, b in enumerate(blocks):
        if toc_range and toc_range[0] <= i < toc_range[1]:
            continue
        if b.kind == "grid":
            continue
        m = _PART.match(compact(b.text))
        if m and len(b.text) < 60 and not _TOC_TAIL.search(b.text):
            n = chinese_number(m.group(1))
            if n and n not in parts:
                parts[n] = i
    return parts


def find_anchors(blocks: list[Block], index: TitleIndex, toc_range: tuple[int, int] | None) -> list[Anchor]:
    raw: list[Anchor] = []
    for i, b in enumerate(blocks):
        if toc_range and toc_range[0] <= i < toc_range[1]:
            continue
        if b.kind == "grid":
            continue
        text = b.text
        if len(text) > 60 or _TOC_TAIL.search(text):
            continue
        label = parse_label(text)
        if label:
            raw.append(Anchor(i, label=label[0], label_ordinal=label[1]))
            continue
        matches = index.match(text)
        if matches:
            anchor = Anchor(i, title=compact(strip_ordinal(text)), title_index=i, matches=matches)
            # a label glued to the title: "表一2024年预算收支总表", "公开01表 收入支出决算总表"
            glued = re.match(r"^(公开\d{1,2}表?|表[一二三四五六七八九十]{1,3}|(?:预算公开|部门公开)表\d{1,2})", compact(text))
            if glued:
                lab = parse_label(glued.group(1))
                if lab:
                    anchor.label, anchor.label_ordinal = lab
            raw.append(anchor)
    # merge a label with a title printed next to it (either order, ≤3 blocks, no grid between)
    merged: list[Anchor] = []
    for a in raw:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and a.index - prev.index <= 3
            and not any(blocks[j].kind == "grid" for j in range(prev.index + 1, a.index))
            and ((prev.label and not prev.title and a.title and not a.label) or (prev.title and not prev.label and a.label and not a.title))
        ):
            if a.title:
                prev.title, prev.title_index, prev.matches = a.title, a.index, a.matches
            else:
                prev.label, prev.label_ordinal = a.label, a.label_ordinal
            continue
        merged.append(a)
    return merged


def choose_profile(anchors: list[Anchor], profiles: tuple[Profile, ...], kind: str | None) -> tuple[Profile | None, dict[str, float]]:
    scores: dict[str, float] = {}
    for p in profiles:
        matched = {tid for a in anchors for pid, tid, _ in a.matches if pid == p.id}
        labels = [a for a in anchors if a.label and not a.matches]
        score = len(matched) - 0.5 * (len(p.tables) - len(matched))
        # label style is evidence too: 公开NN表 belongs to templates that print it
        styles = {_label_style(lab) for t in p.tables for lab in t.labels}
        for a in anchors:
            if a.label and _label_style(a.label) in styles:
                score += 0.25
        score += 0.1 * len(labels) if p.tables and p.tables[0].labels else 0
        if kind and p.kind and p.kind != kind:
            score -= 5
        scores[p.id] = score
    if not scores:
        return None, scores
    best = max(profiles, key=lambda p: (scores[p.id], -len(p.tables)))
    matched_any = any(pid == best.id for a in anchors for pid, _, _ in a.matches)
    labelled = any(a.label for a in anchors)
    if not matched_any and not labelled:
        return None, scores
    return best, scores


@lru_cache(maxsize=1024)
def _label_style(label: str) -> str:
    return re.sub(r"[\d一二三四五六七八九十]+", "#", compact(label))


def build_spans(blocks: list[Block], anchors: list[Anchor], parts: dict[int, int], toc_range) -> list[TableSpan]:
    stops = sorted({a.index for a in anchors} | {a.title_index for a in anchors if a.title_index is not None} | set(parts.values()))
    spans: list[TableSpan] = []
    for a in anchors:
        start = max(a.index, a.title_index or a.index)
        limit = next((s for s in stops if s > start), len(blocks))
        span = TableSpan(anchor=a, start=a.index)
        i = start + 1
        seen_grid = False
        closed = False  # the table's note ("注：本表反映…") follows its last grid
        while i < limit:
            b = blocks[i]
            if b.kind == "grid":
                if not seen_grid and is_toc_like(b) and _looks_like_toc_rows(b):
                    break
                if closed:
                    break  # a grid after the table's closing note is another (untitled) table
                span.grids.append(i)
                seen_grid = True
                span.end = i
            else:
                text = compact(b.text)
                if _NOTE.search(text) or _NO_DATA.search(text):
                    span.notes.append(i)
                    span.end = i
                    closed = seen_grid and not _NO_DATA.search(text)
                elif _META.match(text) or _PAGE_NUMBER.match(text) or text == "表" or _CONTINUED.fullmatch(text):
                    if not seen_grid:
                        span.meta.append(i)
                    span.end = max(span.end, i)
                elif _note_follows(blocks, i, limit):
                    # a template instruction left in ("本表反映…情况") before the table's no-data note
                    span.notes.append(i)
                    span.end = i
                elif seen_grid:
                    # anything else after the grid ends the table, unless the same grid continues
                    nxt = i + 1
                    if nxt < limit and blocks[nxt].kind == "grid" and len(text) <= 30 and title_key(b.text) == title_key(a.title or ""):
                        i += 1
                        continue
                    break
                elif len(text) > 80:
                    break  # narrative prose: the anchor was a heading, not a table
                else:
                    span.meta.append(i)
            i += 1
        if span.grids or any(_NO_DATA.search(compact(blocks[j].text)) for j in span.notes):
            span.end = max(span.end, start)
            spans.append(span)
    return spans


def _note_follows(blocks: list[Block], i: int, limit: int) -> bool:
    """A no-data note within the next two text blocks, before anything else begins."""
    for j in range(i + 1, min(i + 3, limit)):
        if blocks[j].kind == "grid":
            return False
        if _NO_DATA.search(compact(blocks[j].text)) and len(blocks[j].text) <= 80:
            return len(blocks[i].text) <= 200
    return False


def _looks_like_toc_rows(block: Block) -> bool:
    rows = [r for r in block.rows if any(r.cells)]
    return all(len([c for c in r.cells if c]) <= 2 for r in rows)


def assign_specs(spans: list[TableSpan], profile: Profile, warn) -> list[TableSpan]:
    """Give every span its profile table; merge continuations; drop duplicates."""
    out: list[TableSpan] = []
    by_spec: dict[str, TableSpan] = {}
    for span in spans:
        a = span.anchor
        spec = None
        candidates = sorted((m for m in a.matches if m[0] == profile.id), key=lambda m: -m[2])
        if candidates:
            spec = profile.table(candidates[0][1])
        if spec is None and a.label_ordinal is not None:
            spec = next((t for t in profile.tables if t.ordinal == a.label_ordinal and _label_fits(a.label, t)), None)
        if spec is None:
            continue
        if a.label_ordinal is not None and spec.ordinal != a.label_ordinal and _label_fits(a.label, spec):
            warn("label-title-mismatch", f"表号“{a.label}”与表名“{a.title}”不一致，按表名识别为{spec.id}", span)
        span.spec = spec
        if spec.id in by_spec:
            first = by_spec[spec.id]
            if out and out[-1] is first:  # printed again right after itself: a continuation page
                first.grids.extend(span.grids)
                first.notes.extend(span.notes)
                first.end = max(first.end, span.end)
                continue
            warn("duplicate-table", f"{spec.id}（{spec.title}）出现了两次，只采用第一次", span)
            continue
        by_spec[spec.id] = span
        out.append(span)
    return out


def _label_fits(label: str | None, spec: TableSpec) -> bool:
    if not label:
        return False
    if not spec.labels:
        return True
    style = _label_style(label)
    return any(style == _label_style(x) for x in spec.labels) or style in ("表#",)


_TITLE_INDEXES: dict[int, tuple[tuple[Profile, ...], TitleIndex]] = {}


def _title_index(profiles: tuple[Profile, ...]) -> TitleIndex:
    """One title index per set of profiles (the loaded profiles are cached, so their tuple is too)."""
    hit = _TITLE_INDEXES.get(id(profiles))
    if hit is None or hit[0] is not profiles:
        hit = (profiles, TitleIndex(profiles))
        _TITLE_INDEXES[id(profiles)] = hit
    return hit[1]


def locate(blocks: list[Block], profiles: tuple[Profile, ...], kind: str | None, warn) -> Structure:
    toc, toc_range = find_toc(blocks)
    parts = find_parts(blocks, toc_range)
    index = _title_index(profiles)
    anchors = find_anchors(blocks, index, toc_range)
    spans = build_spans(blocks, anchors, parts, toc_range)
    span_anchors = [s.anchor for s in spans]
    profile, scores = choose_profile(span_anchors, profiles, kind)
    spans = assign_specs(spans, profile, warn) if profile is not None else []
    if profile is None or len(spans) < min(3, len(profile.tables)) or len(spans) * 2 < len(profile.tables):
        # no profile, or one that names few of the tables: recognise the others by what they are
        from .recognise import number_inferred, recognise_spans

        inferred = recognise_spans(blocks, spans, anchors, parts, toc_range, kind)
        if profile is not None and len(inferred) > len(spans):
            # a stray title match, not this template: every table recognised by what it is
            profile = None
            spans, inferred = [], recognise_spans(blocks, [], anchors, parts, toc_range, kind)
        spans = number_inferred(spans, inferred)
    else:
        # the template's own tables come from the profile; a table it does not list is added
        # when it is recognisably a budget/final-account table (other grids stay generic)
        from .recognise import number_inferred, recognise_spans

        extra = [s for s in recognise_spans(blocks, spans, anchors, parts, toc_range, kind, need_role=True) if s.spec.role]
        if extra:
            spans = number_inferred(spans, extra)
        untitled = match_untitled(blocks, spans, profile, parts, toc_range, warn)
        if untitled:
            spans = sorted([*spans, *untitled], key=lambda s: s.start)
    return Structure(toc, toc_range, parts, spans, profile, scores)


def _header_words(spec: TableSpec) -> set[str]:
    words: set[str] = set()
    for c in spec.all_columns():
        words.update(key(w) for w in c.label.split(".") if w)
        words.update(key(a) for a in c.aliases if a)
    return {w for w in words if len(w) >= 2}


def match_untitled(blocks: list[Block], spans: list[TableSpan], profile: Profile, parts: dict[int, int], toc_range, warn) -> list[TableSpan]:
    """Grids no table took whose header names the columns of a profile table that is
    otherwise missing: that table printed without its title. It is read as that table,
    with a warning that the title is missing, instead of being reported missing."""
    from .grid import has_number

    present = {s.spec.id for s in spans if s.spec is not None} | {s.spec.role for s in spans if s.spec is not None and s.spec.role}
    missing = [t for t in profile.tables if t.id not in present and t.role not in present]
    if not missing:
        return []
    taken: set[int] = set()
    for s in spans:
        taken.update(range(s.start, s.end + 1))
    out: list[TableSpan] = []
    for g, b in enumerate(blocks):
        if b.kind != "grid" or g in taken or (toc_range and toc_range[0] <= g < toc_range[1]):
            continue
        header = ""
        data = False
        for r in b.rows:
            if has_number(r.cells) and not all(c.strip().isdigit() and len(c.strip()) <= 2 for c in r.cells if c.strip()):
                data = True
                break
            header += key("".join(r.cells))
        if not data:
            continue
        scored = []
        for spec in missing:
            words = _header_words(spec)
            if len(words) >= 2:
                scored.append((sum(1 for w in words if w in header) / len(words), spec))
        scored.sort(key=lambda x: -x[0])
        if not scored or scored[0][0] < 0.75 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
            continue
        spec = scored[0][1]
        first = g
        while first - 1 >= 0 and first - 1 not in taken and blocks[first - 1].kind != "grid" and _META.match(compact(blocks[first - 1].text)):
            first -= 1
        anchor = Anchor(max(first - 1, 0))
        stops = sorted([*(s.anchor for s in spans), anchor], key=lambda a: a.index)
        span = next((x for x in build_spans(blocks, stops, parts, toc_range) if x.anchor is anchor), None)
        if span is None or g not in span.grids:
            continue
        span.start = first
        span.spec = spec
        warn("table-untitled", f"一张表没有表名，按表头识别为{spec.id}“{spec.title}”", span)
        out.append(span)
        taken.update(range(span.start, span.end + 1))
        missing.remove(spec)
        if not missing:
            break
    return out
