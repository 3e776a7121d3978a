"""Text-quality defects injected into real reports: what a reviewer marks up in the prose.

Each variant changes one printed line of the report's prose and names the rule that must
report it at that line (Variant from tests/corpus/mutations.py). Selections are seeded.
"""

from __future__ import annotations

import random
import re

from gongkai.checks.sentences import prose_units
from tests.corpus.mutations import Variant

_AMOUNT = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})*|\d+)\.(\d{2})(?=万元)")
_INCREASE = re.compile(r"增加(?=\d)")
_LAST_YEAR = re.compile(r"与上年相比|比上年|较上年")
_REASON = re.compile(r"主要原因是([^。；;]{4,})。")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{6}")


def _prose_lines(doc, lines: list[str]) -> list[tuple[int, object]]:
    """(line number, unit) of each single printed line of prose (no tabs, not a heading)."""
    out = []
    for unit in prose_units(doc):
        for n in unit.lines:
            raw = lines[n - 1]
            if "\t" not in raw and not raw.lstrip().startswith("#") and len(raw.strip()) >= 12:
                out.append((n, unit))
    return out


def text_defect_variants(text: str, doc, seed: int = 5) -> list[Variant]:
    rng = random.Random(seed)
    lines = text.split("\n")
    prose = _prose_lines(doc, lines)
    out: list[Variant] = []

    def variant(kind, description, n, new_line, rules):
        ls = list(lines)
        ls[n - 1] = new_line
        out.append(Variant(kind, description, "\n".join(ls), n, rules))

    def pick(pred):
        pool = [(n, u) for n, u in prose if pred(lines[n - 1])]
        return rng.choice(pool) if pool else (None, None)

    # doubled punctuation: a full stop printed twice
    n, _ = pick(lambda s: "。" in s.rstrip()[:-1])
    if n:
        line = lines[n - 1]
        k = rng.choice([m.start() for m in re.finditer("。", line)])
        variant("doubled-punctuation", f"L{n} 。→。。", n, line[:k] + "。" + line[k:], ("T12",))
    # a deleted full stop at the end of a section's last paragraph
    ends = []
    for unit in prose_units(doc):
        section = unit.section
        if section is not None and section.paragraphs and section.paragraphs[-1].prov == unit.prov and not section.children:
            last = unit.lines[-1]
            if lines[last - 1].rstrip().endswith("。") and len(unit.text) >= 20:
                ends.append(last)
    if ends:
        n = rng.choice(ends)
        line = lines[n - 1].rstrip()
        variant("deleted-full-stop", f"L{n} final 。 removed", n, line[:-1], ("T13",))
    # a stray closing quote inside a sentence
    n, _ = pick(lambda s: "“" not in s and "”" not in s and _CJK_RUN.search(s))
    if n:
        line = lines[n - 1]
        m = _CJK_RUN.search(line)
        variant("stray-quote", f"L{n} stray ”", n, line[: m.start() + 3] + "”" + line[m.start() + 3:], ("T14",))
    # an unfinished sentence after 主要原因是
    n, _ = pick(lambda s: _REASON.search(s))
    if n:
        line = lines[n - 1]
        variant("unfinished-sentence", f"L{n} reason removed", n, _REASON.sub("主要原因是。", line, count=1), ("T15",))
    else:
        n, _ = pick(lambda s: s.rstrip().endswith("。"))
        if n:
            variant("unfinished-sentence", f"L{n} ends after 主要原因是", n, lines[n - 1].rstrip()[:-1] + "，主要原因是。", ("T15",))
    # 部门 wording in a 单位 report
    if doc.meta.scope == "单位":
        n, _ = pick(lambda s: "本单位" in s)
        if n:
            variant("department-wording", f"L{n} 本单位→本部门", n, lines[n - 1].replace("本单位", "本部门", 1), ("T05",))
        else:
            n, _ = pick(lambda s: s.lstrip().startswith(str(doc.meta.year)))
            if n:
                line = lines[n - 1]
                k = line.index(str(doc.meta.year)) + 4
                k += 1 if line[k:k + 1] == "年" else 0
                k += 1 if line[k:k + 1] == "度" else 0
                variant("department-wording", f"L{n} 本部门 inserted", n, line[:k] + "本部门" + line[k:], ("T05",))
    # a comparison with the wrong year
    year = doc.meta.year
    if year:
        n, _ = pick(lambda s: _LAST_YEAR.search(s) or f"比{year - 1}年" in s)
        if n:
            line = lines[n - 1]
            new = line.replace(f"比{year - 1}年", f"比{year - 2}年", 1) if f"比{year - 1}年" in line else _LAST_YEAR.sub(lambda m: m.group().replace("上年", f"{year - 2}年"), line, count=1)
            variant("comparison-year", f"L{n} compared with {year - 2}", n, new, ("T07",))
    # 增加（减少） left unchosen
    n, _ = pick(lambda s: _INCREASE.search(s))
    if n:
        variant("unchosen-alternative", f"L{n} 增加（减少）", n, _INCREASE.sub("增加（减少）", lines[n - 1], count=1), ("T02",))
    # a placeholder for an amount / an amount with two decimal points
    amounts = [(n, u) for n, u in prose if _AMOUNT.search(lines[n - 1])]
    for kind, rules in (("placeholder", ("T01",)), ("two-decimal-points", ("T17",))):
        if not amounts:
            break
        n, _ = rng.choice(amounts)
        line = lines[n - 1]
        m = rng.choice(list(_AMOUNT.finditer(line)))
        whole, cents = m.group(1).replace(",", ""), m.group(2)
        new = "XX" if kind == "placeholder" else (f"{whole[0]}.{whole[1:]}.{cents}" if len(whole) > 1 else f"{whole}.{cents[0]}.{cents[1]}")
        variant(kind, f"L{n} {m.group()} → {new}", n, line[: m.start()] + new + line[m.end():], rules)
    # characters that do not display
    n, _ = pick(lambda s: _CJK_RUN.search(s))
    if n:
        line = lines[n - 1]
        m = _CJK_RUN.search(line)
        variant("garbled", f"L{n} replacement characters", n, line[: m.start() + 2] + "\ufffd\ufffd" + line[m.start() + 4:], ("T16",))
    return out
