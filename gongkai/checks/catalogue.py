"""The rule catalogue as documentation (docs/rules.md is generated from here)."""

from __future__ import annotations

import json

from . import all_rules as _per_report_rules
from .engine import CATEGORIES


def all_rules():
    """Every rule: those run on one report, then the checks across reports (R01–R19)."""
    from .cross_report import cross_rules

    return _per_report_rules() + cross_rules()

_HEADER = """# Rule catalogue

Generated from the rule registry by `gongkai rules --format markdown`; a test keeps
this file in sync. Every finding names its rule id, severity and evidence (table,
row/code, column, values compared, source line or page).

Rounding policy: printed amounts are rounded from 元, so a total may differ from the
sum of its printed parts by up to 0.01 万元 per part. A table printed in another unit
allows one unit of the last digit it prints instead (0.01 元 for 元 with 分, 1 元 for
whole 元, 1 千元 for whole 千元); a comparison across tables uses the coarser of their
allowances, and a figure printed in two units agrees up to the coarser rounding. Such a difference is reported as
*info* and says it is rounding; a larger one gets the rule's severity. The allowance
is for a sum against its parts only: one figure printed twice (the same cell in two
tables, a narrative amount and the cell it quotes) must be identical, so even 0.01 万元
there is a warning; a percentage outside the interval its rounded inputs allow
(computed exactly from their printed precision) is a warning even by one unit in the
last place.

Severities: **error** — a defect the report must fix; **warning** — very likely a
problem, check it; **info** — noted for the reviewer (rounding, unknown codes, cases
a regulation allows).
"""


def rules_markdown() -> str:
    out = [_HEADER]
    rules = all_rules()
    for category, name in CATEGORIES.items():
        group = [r for r in rules if r.category == category]
        if not group:
            continue
        out.append(f"\n## {name} ({category})\n")
        out.append("| id | severity | rule | what it checks | why | needs |")
        out.append("|---|---|---|---|---|---|")
        for r in group:
            needs = ", ".join(r.requires) if r.requires else "—"
            if r.applies_to:
                needs += f" ({'/'.join(r.applies_to)} only)"
            cells = [r.id, r.severity.value, r.title, r.doc or r.explanation, f"{r.explanation} — {r.reference}", needs]
            out.append("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(out) + "\n"


def rules_text() -> str:
    lines = []
    for r in all_rules():
        lines.append(f"{r.id:<4} {r.severity.value:<8} {CATEGORIES[r.category]:<6} {r.title}")
    return "\n".join(lines) + "\n"


def rules_json() -> str:
    data = [
        {
            "id": r.id, "category": r.category, "severity": r.severity.value, "title": r.title,
            "checks": r.doc, "explanation": r.explanation, "reference": r.reference,
            "requires": list(r.requires), "applies_to": list(r.applies_to),
        }
        for r in all_rules()
    ]
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
