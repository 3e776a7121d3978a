"""Check results as plain JSON data."""

from __future__ import annotations

from ..checks.engine import CATEGORIES, CheckResult, Finding, Location, Severity
from ..model.serialize import to_jsonable


def location_to_dict(loc: Location) -> dict:
    out = {
        "table": loc.table,
        "table_title": loc.table_title,
        "row": loc.row,
        "code": loc.code,
        "column": loc.column,
        "section": loc.section,
        "line": loc.line,
        "page": loc.page,
    }
    if loc.bbox:
        out["bbox"] = [round(v, 2) for v in loc.bbox]
    if loc.excerpt:
        out["excerpt"] = loc.excerpt
    return out


def finding_to_dict(f: Finding) -> dict:
    out = {
        "rule": f.rule,
        "severity": f.severity.value,
        "category": f.category,
        "category_name": CATEGORIES[f.category],
        "message": f.message,
        "location": location_to_dict(f.location),
        "expected": f.expected,
        "actual": f.actual,
        "difference": f.difference,
        "related": [location_to_dict(r) for r in f.related],
        "note": f.note,
    }
    if f.related_more:  # related locations beyond the listed ones (checks.engine.RELATED_MAX)
        out["related_more"] = f.related_more
    if f.repeats > 1:  # the same finding at the same place, from a row printed several times
        out["repeats"] = f.repeats
    return out


def document_summary(doc) -> dict:
    meta = to_jsonable(doc.meta)
    meta.pop("prov", None)
    return {
        "source": to_jsonable(doc.source),
        "metadata": meta,
        "tables": [t.id for t in doc.tables],
        "missing_tables": [m.id for m in doc.missing_tables],
        "performance_forms": len(doc.performance_forms),
        "target_forms": len(doc.target_forms),
    }


def result_to_dict(result: CheckResult, min_severity: Severity = Severity.INFO) -> dict:
    """The report as JSON; findings below `min_severity` are left out (the summary counts all)."""
    return {
        "document": document_summary(result.doc),
        "summary": result.summary,
        "min_severity": min_severity.value,
        "findings": [finding_to_dict(f) for f in result.findings if f.severity.rank <= min_severity.rank],
        "skipped_rules": [{"rule": s.rule, "reason": s.reason} for s in result.skipped],
        "extraction_warnings": [
            {"code": w.code, "message": w.message, "table": w.table, "line": w.prov.line, "page": w.prov.page}
            for w in result.doc.warnings
        ],
    }
