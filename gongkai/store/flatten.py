"""One report → plain rows for the store (runs in a worker; everything returned pickles).

`work(path)` reads, parses and checks one file and returns {"status": "ok", "rows":
{table: [tuples in schema column order]}, ...} or {"status": "failed", "stage",
"reason"}. The parent assigns versions and writes the rows in one transaction.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

from . import schema
from .names import department_key, region_of, report_id as make_report_id
from ..patterns import lazy_compile

FUNDS = (
    ("一般公共预算", "一般公共预算"), ("政府性基金", "政府性基金预算"), ("国有资本经营", "国有资本经营预算"),
    ("财政专户", "财政专户管理资金"), ("单位资金", "单位资金"), ("财政拨款", "财政拨款"),
)
_FUND_IDS = {"gpb": "一般公共预算", "gf": "政府性基金预算", "soe": "国有资本经营预算", "special_account": "财政专户管理资金", "unit_funds": "单位资金", "fiscal": "财政拨款"}
_INCOME_ROLES = ("income", "revenue")


def _fund(column_id: str, label: str) -> str | None:
    base = column_id.split("_", 1)[-1] if column_id.startswith(("budget_", "actual_", "exp_")) else column_id
    if base in _FUND_IDS:
        return _FUND_IDS[base]
    for word, name in FUNDS:
        if word in (label or ""):
            return name
    return None


def _direction(table, row, column) -> str | None:
    side = row.side or (column.side if column else None)
    if side in ("收入", "支出"):
        return side
    role = table.role or ""
    if "income" in role or "revenue" in role:
        return "收入"
    if "expenditure" in role or "three_public" in role or "running" in role or "basic" in role:
        return "支出"
    return None


def _hash(*parts) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def finding_id(report_id: str, f) -> str:
    loc = f.location
    return _hash(report_id, f.rule, loc.table, loc.code or loc.row, loc.column, loc.section, f.expected, f.actual)


def _loc_json(loc) -> dict:
    return {k: v for k, v in (("table", loc.table), ("row", loc.row), ("code", loc.code), ("column", loc.column), ("section", loc.section), ("line", loc.line), ("page", loc.page)) if v is not None}


def work(path: str) -> dict:
    """Parse and check one report and flatten it. Never raises: a failure is a result."""
    import os

    from ..errors import InputError

    stage = "read"
    try:
        from ..api import parse

        stage = "parse"
        doc = parse(path)
        stage = "check"
        from ..checks import check

        result = check(doc)
        stage = "flatten"
        rows = flatten(result, os.path.abspath(path))
        return {"status": "ok", "path": path, **rows}
    except InputError as exc:
        return {"status": "failed", "path": path, "stage": stage, "reason": str(exc), "sha256": _sha(path)}
    except Exception as exc:  # noqa: BLE001 — a failure is recorded, never ends the batch
        return {"status": "failed", "path": path, "stage": stage, "reason": f"{exc.__class__.__name__}: {exc}", "sha256": _sha(path)}


def _sha(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.sha256(fh.read()).hexdigest()
    except OSError:
        return None


def flatten(result, source_path: str) -> dict:
    from ..facts import facts as iter_facts
    from ..model.table import CellStatus

    doc = result.doc
    meta, src = doc.meta, doc.source
    doc_id = src.sha256
    region = region_of(meta.department)
    rid = make_report_id(region, meta.department, meta.year, meta.kind, meta.scope, fallback=doc_id)
    summary = result.summary
    report = {
        "doc_id": doc_id, "report_id": rid, "department": meta.department, "department_key": department_key(meta.department) or None,
        "region": region or None, "unit_code": meta.unit_code, "year": meta.year, "kind": meta.kind, "scope": meta.scope,
        "title": meta.title, "profile": meta.profile, "profile_name": meta.profile_name, "source_name": src.name,
        "source_path": source_path, "format": src.format, "size": src.size, "pages": src.pages, "lines": src.lines,
        "reader": src.reader, "errors": summary["errors"], "warnings": summary["warnings"], "infos": summary["infos"],
        "extraction_warnings": summary["extraction_warnings"], "tables_found": len(doc.tables),
        "tables_missing": ",".join(m.id for m in doc.missing_tables) or None,
        "unit_count": unit_count(doc),
    }

    tables = []
    for i, t in enumerate(doc.tables):
        cols = [{"id": c.id, "label": c.label, "side": c.side} for c in t.columns]
        tables.append((doc_id, t.id, i, t.role, t.title, t.label, t.layout, t.codes, t.unit, len(t.rows), len(t.columns),
                       json.dumps(cols, ensure_ascii=False), t.has_data, t.prov.line, t.prov.page, t.end.line, t.end.page))

    # facts: every field facts() yields (whatever its version), plus the store's dimensions
    from .measures import column_phase

    fact_cols = schema.row_columns("facts")
    known = set(fact_cols)
    extras: list[str] | None = None
    cols = fact_cols
    facts_rows = []
    it = iter_facts(doc)
    kind = meta.kind
    common = {"doc_id": doc_id, "report_id": rid, "region": region or None, "scope": meta.scope}
    for t in doc.tables:
        per_column = {}
        col_by_id = {c.id: c for c in t.columns}
        for c in t.columns:
            per_column[c.id] = (column_phase(c.label, kind), _fund(c.id, c.label))
        system = t.codes
        for ri, row in enumerate(t.rows):
            code = row.any_code
            digits = code if code and code.isdigit() else None
            row_part = None
            for column_id, cell in row.cells.items():
                if cell.status is not CellStatus.VALUE or cell.value is None:
                    continue
                rec = next(it)
                if extras is None:
                    extras = [k for k in rec if k not in known]
                    cols = fact_cols + extras
                if row_part is None:
                    row_part = {
                        "table_role": t.role, "row_ord": ri, "row_key": row.key, "code_system": system if digits else None,
                        "class_code": digits[:3] if digits and len(digits) >= 3 else None,
                        "kuan_code": digits[:5] if digits and len(digits) >= 5 else None,
                        "xiang_code": digits[:7] if digits and len(digits) >= 7 else None,
                        "level": row.level, "is_total": row.is_total,
                    }
                phase, fund = per_column.get(column_id) or (column_phase(column_id, kind), _fund(column_id, column_id))
                column = col_by_id.get(column_id)
                rec.update(common)
                rec.update(row_part)
                rec["phase"] = phase
                rec["fund"] = fund
                rec["direction"] = _direction(t, row, column)
                rec["value"] = format(cell.value, "f")
                facts_rows.append(tuple(map(rec.get, cols)))
    extras = extras or []

    from .measures import extract

    measures = [(doc_id, rid, m["measure"], m["phase"], m["value"], m["table_id"], m["row"], m["column"], m["line"], m["page"])
                for m in (x.as_row() for x in extract(doc))]

    findings = []
    seen: dict[str, int] = {}
    for f in result.findings:
        fid = finding_id(rid, f)
        n = seen.get(fid, 0)
        seen[fid] = n + 1
        if n:
            fid = _hash(fid, n)
        loc = f.location
        related = [_loc_json(x) for x in f.related[:20]]
        findings.append(_finding_row(fid, doc_id, rid, f.rule, f.severity.value, f.category, f.message, loc, f.expected, f.actual, f.difference, f.note, related))

    forms, indicators = _forms(doc, doc_id)
    claims = _claims(doc, doc_id)
    return {
        "doc_id": doc_id, "report_id": rid, "report": report, "fact_extras": extras,
        "rows": {"tables": tables, "facts": facts_rows, "measures": measures, "findings": findings, "forms": forms, "indicators": indicators, "claims": claims},
    }


_UNITS_WITH_SELF = lazy_compile(r"本部(?:机关)?(?:以及|及|和)下属(\d+)(?:家|个)")
_UNITS = lazy_compile(
    r"(?:编制|公开)范围的?(?:[^。；]{0,8}?)单位(?:共|包括|有)?(?:计)?(\d+|[一二三四五六七八九十]+)(?:个|家)"
    r"|(?:无下属(?:预算)?单位|没有下属(?:预算)?单位)"
)
_CN_DIGITS = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}


def unit_count(doc) -> int | None:
    """The number of units the department says its report covers (编制范围的单位共N家), if stated."""
    for section in doc.walk_sections():
        for p in section.paragraphs:
            if "单位" not in p.text:
                continue
            m = _UNITS_WITH_SELF.search(p.text)
            if m:
                return int(m.group(1)) + 1  # the department's own office and its subordinate units
            m = _UNITS.search(p.text)
            if m:
                n = m.group(1)
                if n is None:
                    return 1
                if n.isdigit():
                    return int(n)
                if n == "十":
                    return 10
                return _CN_DIGITS.get(n[-1], 0) + (10 if n.startswith("十") else _CN_DIGITS.get(n[0], 0) * 10 if "十" in n else 0) if len(n) > 1 else _CN_DIGITS.get(n)
    return None


def _finding_row(fid, doc_id, rid, rule, severity, category, message, loc, expected, actual, difference, note, related, other: dict | None = None) -> tuple:
    other = other or {}
    return (fid, doc_id, rid, rule, severity, category, message, loc.table, loc.table_title, loc.row, loc.code, loc.column, loc.section,
            loc.line, loc.page, loc.excerpt, expected, actual, difference, note, json.dumps(related, ensure_ascii=False) if related else None,
            other.get("doc_id"), other.get("report_id"), other.get("table_id"), other.get("row"), other.get("column"), other.get("line"), other.get("page"), other.get("match"),
            json.dumps([round(v, 2) for v in loc.bbox]) if loc.bbox else None)


def _amount(a) -> Decimal | None:
    return a.value if a is not None else None


def _forms(doc, doc_id: str):
    forms, indicators = [], []
    items = [(f.kind, f) for f in doc.performance_forms] + [("target", f) for f in doc.target_forms] + [("overall_target", f) for f in doc.overall_target_forms]
    for i, (kind, f) in enumerate(items):
        project = getattr(f, "project", None)
        fid = _hash(doc_id, kind, i, project)
        if kind in ("self_evaluation", "transfer_payment"):
            tf = f.total_funds
            budget, executed, rate = (_amount(tf.annual_budget), _amount(tf.executed), _amount(tf.rate)) if tf else (None, None, None)
            score, grade, unit = _amount(f.total_score), f.grade, f.unit
        elif kind == "target":
            budget, executed, rate, score, grade, unit = _amount(f.annual_total), None, None, None, None, f.implementing_unit
        else:
            budget = _amount(f.funds_by_use.get("合计") or f.funds_by_source.get("合计"))
            executed = rate = score = grade = unit = None
        forms.append((fid, doc_id, i, kind, f.title, project, f.department, unit, budget, executed, rate, score, grade,
                      len(f.indicators), "；".join(f.problems) or None, f.prov.line, f.prov.page))
        for j, ind in enumerate(f.indicators):
            indicators.append((fid, doc_id, j, ind.level1, ind.level2, ind.level3, ind.target, ind.adjusted_target, ind.actual,
                               _amount(ind.weight), _amount(ind.score), ind.period, ind.prov.line, ind.prov.page))
    return forms, indicators


def _claims(doc, doc_id: str) -> list[tuple]:
    from ..checks.claims import narrative_claims
    from ..checks.narrative_map import resolve_amount, topic_of
    from ..checks.rules.narrative import _current_for_change, _entity

    claims = narrative_claims(doc)
    out = []
    for i, c in enumerate(claims):
        implied = None
        table_id = table_role = row = column_id = None
        if c.kind == "change" and c.unit == "万元":
            current = _current_for_change(claims, c)
            if current is not None:
                implied = current - c.value if c.direction > 0 else current + c.value
            subject = _entity(claims, c)
            target = resolve_amount(doc, topic_of(c.path), "amount", subject) if subject else None
            if target is not None and len(target.refs) == 1:
                ref = target.refs[0]
                table_id, table_role, row, column_id = ref.table.id, ref.table.role, ref.row.key, ref.column
        out.append((doc_id, i, c.kind, c.value, c.unit, c.raw, c.subject, c.phrase.strip()[:200], c.section.title or None,
                    c.direction, implied, table_id, table_role, row, column_id, c.prov.line, c.prov.page))
    return out
