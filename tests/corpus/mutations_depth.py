"""Injected defects a careful reviewer finds beyond the tables (sibling of mutations.py).

A changed performance score, a changed itemised amount in a form's 项目概况, a deleted
情况说明 section, a swapped comparison word, a changed 政府采购 part. Each variant
records the line it changed (or None for an absence) and the rules expected to find it.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal

from gongkai.checks.claims import narrative_claims
from gongkai.checks.form_text import itemised
from gongkai.checks.narrative_map import topic_of
from tests.corpus.mutations import Variant, _fmt

FORM_RULES = ("F05", "F06", "F07", "F15", "F16")
TEXT_RULES = ("F11", "F12", "F13")
SECTION_RULES = ("C04", "C05", "C06", "C07")
COMPARISON_RULES = ("N03", "N13")
PROCUREMENT_RULES = ("N10", "N01")


def _replace_last_cell(lines: list[str], line_no: int, raw: str, new: str) -> bool:
    """Replace the last cell printed as `raw` on a line: a score printed after an equal weight."""
    cells = lines[line_no - 1].split("\t")
    hits = [i for i, c in enumerate(cells) if c.strip() == raw]
    if not hits:
        return False
    cells[hits[-1]] = cells[hits[-1]].replace(raw, new)
    lines[line_no - 1] = "\t".join(cells)
    return True


def depth_variants(text: str, doc, seed: int = 7) -> list[Variant]:
    rng = random.Random(seed)
    lines = text.split("\n")
    out: list[Variant] = []

    def variant(kind, description, new_lines, line, rules, changed=None):
        out.append(Variant(kind, description, "\n".join(new_lines), line, tuple(rules), changed))

    # 1. a performance score changed (an indicator's 得分), in forms read completely
    forms = [f for f in doc.performance_forms if f.kind == "self_evaluation" and f.readable and f.total_score and f.indicators]
    for form in rng.sample(forms, min(3, len(forms))):
        scored = [i for i in form.indicators if i.score is not None and i.score.value >= 2 and i.score.prov.line]
        if not scored:
            continue
        ind = rng.choice(scored)
        new = _fmt(ind.score.value - 2, ind.score.raw)
        ls = list(lines)
        if _replace_last_cell(ls, ind.score.prov.line, ind.score.raw, new):
            variant("form-score", f"{form.project} {ind.level3}: {ind.score.raw} → {new}", ls, ind.score.prov.line, FORM_RULES,
                    {ind.score.prov.line, form.total_score.prov.line})
    # 2. an itemised amount changed in a target form's 项目概况 (lists that add up as printed)
    listed = []
    for form in doc.target_forms:
        for field in form.texts:
            items = itemised(field.text) if field.label == "项目概况" else None
            if items and field.prov.line and (items.total == items.sum or any(abs(items.sum - a.value) < Decimal("0.005") for a in (form.annual_total, form.implementation_total) if a)):
                listed.append((form, field, items))
    for form, field, items in rng.sample(listed, min(3, len(listed))):
        _, amount, raw, _ = rng.choice(items.items)
        number = re.match(r"[\d.]+", raw).group(0)
        new = raw.replace(number, _fmt(amount + Decimal(rng.choice([3, 5, 12])), number), 1)
        ls = list(lines)
        if ls[field.prov.line - 1].count(raw) == 1:
            ls[field.prov.line - 1] = ls[field.prov.line - 1].replace(raw, new, 1)
            variant("itemised-amount", f"{form.project}: {raw} → {new}", ls, field.prov.line, TEXT_RULES)
    # 3. a 情况说明 section deleted with its sub-sections
    ordered = sorted((s for s in doc.walk_sections() if s.prov.line), key=lambda s: s.prov.line)
    narrative = [s for s in ordered if s.part == "第三部分" and 1 <= s.level <= 2 and s.title]
    picks = [s for s in narrative if "情况" in s.title or "说明" in s.title]
    for s in rng.sample(picks, min(3, len(picks))):
        start = s.prov.line
        stop = min([x.prov.line for x in ordered if x.prov.line > start and x.level <= s.level] + [len(lines) + 1])
        if stop - start > 80:
            continue
        variant("deleted-section", f"{s.number} {s.title} (L{start}–{stop - 1}) deleted", lines[: start - 1] + lines[stop - 1 :], None, SECTION_RULES)
    # 4. a comparison word swapped (增加 ↔ 减少, 增长 ↔ 下降) where its two numbers or its rate are stated
    claims = narrative_claims(doc)
    swaps = {"增加": "减少", "减少": "增加"}
    changes = []
    for i, c in enumerate(claims):
        if c.kind != "change" or c.value == 0:
            continue
        pct = next((x for x in claims[i + 1 : i + 3] if x.kind == "change_pct" and x.paragraph is c.paragraph and x.sentence == c.sentence and x.value), None)
        word = next((w for w in swaps if c.phrase.rstrip().endswith(w + c.raw) or (w + c.raw) in c.phrase), None)
        if pct is not None and word and lines[c.prov.line - 1].count(word + c.raw) == 1:
            changes.append((c, word))
    for c, word in rng.sample(changes, min(3, len(changes))):
        ls = list(lines)
        ls[c.prov.line - 1] = ls[c.prov.line - 1].replace(word + c.raw, swaps[word] + c.raw, 1)
        variant("swapped-comparison", f"“{c.phrase.strip()}”: {word} → {swaps[word]}", ls, c.prov.line, COMPARISON_RULES)
    # 5. a 政府采购 part changed in the narrative
    parts = [c for c in claims if topic_of(c.path) == "procurement" and c.kind == "amount" and re.search(r"货物|工程|服务", c.subject)]
    parts = [c for c in parts if lines[c.prov.line - 1].count(c.raw) == 1]
    for c in rng.sample(parts, min(2, len(parts))):
        number = c.raw[: -len(c.unit)] if c.raw.endswith(c.unit) else c.raw
        new = c.raw.replace(number, _fmt(c.value + Decimal("2.5"), number.replace(",", "")), 1)
        ls = list(lines)
        ls[c.prov.line - 1] = ls[c.prov.line - 1].replace(c.raw, new, 1)
        variant("procurement-part", f"“{c.phrase.strip()}” → {new}", ls, c.prov.line, PROCUREMENT_RULES)
    return out
