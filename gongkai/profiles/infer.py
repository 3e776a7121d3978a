"""Draft a profile (TOML) from a report of a template gongkai does not know yet.

The report is read with no profile at all, so every table is recognised by what it is;
the draft records what the recogniser saw — titles, roles, layouts, column ids and
labels, the rows of two-sided tables, the identities their numbering states — for a
person to review, correct and save in a profile folder (docs/profiles.md).
"""

from __future__ import annotations

import json

from ..model.document import Document
from ..model.table import Table
from ..patterns import lazy_compile

_YEAR_PREFIX = lazy_compile(r"^(?:\d{4}\s*年度?)")


def _s(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _list(items) -> str:
    return "[" + ", ".join(_s(x) for x in items) + "]"


def _columns(cols, indent: str = "") -> list[str]:
    out = [f"{indent}columns = ["]
    for c in cols:
        extra = f", total_of = {_list(c.total_of)}" if c.total_of else ""
        out.append(f"{indent}  {{ id = {_s(c.id)}, label = {_s(c.label)}{extra} }},")
    out.append(f"{indent}]")
    return out


def _title(table: Table) -> str:
    return _YEAR_PREFIX.sub("", table.title) or table.title


def draft_profile(doc: Document, profile_id: str, name: str | None = None, region: str = "") -> str:
    kind = doc.meta.kind or ""
    lines = [
        f"# Draft profile inferred by `gongkai profile infer` from {doc.source.name}.",
        "# Review every table: titles, roles (see docs/profiles.md), column ids and identities.",
        "# Tables with role = \"\" fit no known role; give them one or delete them.",
        "",
        f"id = {_s(profile_id)}",
        f"name = {_s(name or profile_id)}",
        f"kind = {_s(kind)}",
        f"region = {_s(region)}",
        'amount_unit = "万元"',
        f"detect_keywords = {_list([kind] if kind else [])}",
    ]
    for n, t in enumerate(doc.tables, 1):
        lines += ["", "[[tables]]", f"id = {_s(f'表{n:02d}')}", f"role = {_s(t.role or '')}", f"ordinal = {n}", f"title = {_s(_title(t))}",
                  f"labels = {_list([t.label] if t.label else [])}", f"layout = {_s(t.layout or 'labeled')}"]
        if t.layout == "coded" and t.codes:
            lines.append(f"codes = {_s(t.codes)}")
        if t.identities:
            lines.append("identities = [")
            for i in t.identities:
                side = f"side = {_s(i.side)}, " if i.side else ""
                lines.append(f"  {{ {side}total = {_s(i.total)}, parts = {_list(i.parts)} }},")
            lines.append("]")
        if t.layout == "two_sided":
            for part, side in (("left", "收入"), ("right", "支出")):
                cols = [c for c in t.columns if c.side == side]
                rows = [r for r in t.rows if r.side == side and r.role and r.role != "class"]
                lines += ["", f"[tables.{part}]", f"name = {_s(side)}", 'keys = ["label"]']
                if part == "right":
                    lines.append("class_rows = true")
                lines += _columns(cols)
                lines.append("rows = [")
                for r in rows:
                    total = ", total = true" if r.is_total else ""
                    lines.append(f"  {{ id = {_s(r.role)}, labels = {_list([r.label])}{total} }},")
                lines.append("]")
        else:
            lines += _columns(t.columns)
    return "\n".join(lines) + "\n"
