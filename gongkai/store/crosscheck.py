"""Run the checks across reports (gongkai/checks/cross_report.py) over the store.

Pairs are built from the current versions: departments are matched by region and
normalised name (and the aliases table); every finding says how. The cross-report
findings of the current versions are replaced as a whole, with stable ids, so triage
(kept by finding_id) survives.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict

from ..checks.cross_report import CROSS_REGISTRY, CrossContext, Side, pairing_of
from .names import match as name_match, regions_compatible


def _hash(*parts) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode()).hexdigest()[:16]


def _sides(con) -> list[Side]:
    rows = con.execute(
        "SELECT doc_id, report_id, department, region, year, kind, scope, unit_code, source_name, department_key, unit_count FROM reports WHERE is_current"
    ).fetchall()
    return [Side(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], unit_count=r[10]) for r in rows], {r[0]: r[9] for r in rows}


def _load(con, sides: list[Side]) -> None:
    by_doc = {s.doc_id: s for s in sides}
    if not by_doc:
        return
    cur = con.execute("SELECT m.doc_id, m.measure, m.phase, m.value, m.table_id, m.row, m.column, m.line, m.page FROM measures m JOIN reports r USING (doc_id) WHERE r.is_current")
    for doc_id, measure, phase, value, table_id, row, column, line, page in cur.fetchall():
        s = by_doc.get(doc_id)
        if s is not None:
            s.measures[(measure, phase)] = {"measure": measure, "phase": phase, "value": value, "table_id": table_id, "row": row, "column": column, "line": line, "page": page}
    cur = con.execute(
        "SELECT c.doc_id, c.claim_kind, c.value, c.unit, c.raw, c.subject, c.phrase, c.section, c.direction, c.implied_prior, c.table_id, c.table_role, c.row, c.column_id, c.line, c.page "
        "FROM claims c JOIN reports r USING (doc_id) WHERE r.is_current AND c.claim_kind IN ('change', 'budget')"
    )
    names = ["doc_id", "claim_kind", "value", "unit", "raw", "subject", "phrase", "section", "direction", "implied_prior", "table_id", "table_role", "row", "column_id", "line", "page"]
    for row in cur.fetchall():
        s = by_doc.get(row[0])
        if s is not None:
            s.claims.append(dict(zip(names, row)))


def _claim_targets(con) -> dict[str, dict]:
    """The table cells the narratives' change claims name, for every current report, in one
    query: {doc_id: {(table_role, row_key, column_id): fact}}."""
    cur = con.execute(
        'SELECT f.doc_id, f.table_role, f.row_key, f.column_id, f.table_id, f.code, f.item, f."column", f.value, f.line, f.page '
        "FROM facts f JOIN (SELECT DISTINCT table_role, \"row\" AS row_key, column_id FROM claims WHERE claim_kind = 'change' AND table_role IS NOT NULL) t "
        "USING (table_role, row_key, column_id) JOIN reports r USING (doc_id) WHERE r.is_current"
    )
    out: dict[str, dict] = defaultdict(dict)
    for doc_id, role, row_key, column_id, table_id, code, item, column, value, line, page in cur.fetchall():
        out[doc_id].setdefault((role, row_key, column_id), {"table_id": table_id, "code": code, "item": item, "column": column, "value": value, "line": line, "page": page})
    return out


def pairs(sides: list[Side], keys: dict[str, str], aliases: dict[str, str]):
    """(pairing, a, b, match explanation) for every pair of reports the rules compare."""
    groups: dict[str, list[Side]] = defaultdict(list)
    for s in sides:
        k = keys.get(s.doc_id) or ""
        if k:
            groups[aliases.get(k, k)].append(s)
    for members in groups.values():
        index: dict[tuple, list[Side]] = defaultdict(list)
        for s in members:
            index[(s.kind, s.scope, s.year)].append(s)
        for s in members:
            # consecutive years: s is the later report
            for e in index.get((s.kind, s.scope, (s.year or 0) - 1), []):
                why = name_match(s.department, s.region, e.department, e.region, aliases)
                if why:
                    yield "consecutive", s, e, why
            # 决算 against the same year's 预算
            if s.kind == "决算":
                for b in index.get(("预算", s.scope, s.year), []):
                    why = name_match(s.department, s.region, b.department, b.region, aliases)
                    if why:
                        yield "budget_final", s, b, why
            # 部门 against 单位 of the same name (the 本级 unit)
            if s.scope == "部门":
                for u in index.get((s.kind, "单位", s.year), []):
                    why = name_match(s.department, s.region, u.department, u.region, aliases)
                    if why:
                        yield "dept_unit", s, u, why
    yield from _code_pairs(sides, keys)


def _code_pairs(sides: list[Side], keys: dict[str, str]):
    # 部门 against 单位 by code: a unit code starting with the department's code
    by_code: dict[tuple, list[Side]] = defaultdict(list)
    for s in sides:
        if s.scope == "单位" and s.unit_code:
            by_code[(s.kind, s.year)].append(s)
    for s in sides:
        if s.scope != "部门" or not s.unit_code:
            continue
        prefix = s.unit_code[:-3] if len(s.unit_code) > 3 else s.unit_code  # 部门 code of a “部门code+001” unit code
        for u in by_code.get((s.kind, s.year), []):
            if u.unit_code[:-3] == prefix and u.unit_code != s.unit_code and regions_compatible(s.region, u.region):
                if keys.get(u.doc_id) == keys.get(s.doc_id):
                    continue  # already paired by name
                yield "dept_unit", s, u, f"单位编码{u.unit_code}属于部门编码{prefix}（{s.department}）"


def run_cross_checks(con, rules: list[str] | None = None) -> dict:
    """Replace the cross-report findings of the current versions; return counts."""
    from ..store.flatten import _finding_row
    from ..checks.engine import Location

    sides, keys = _sides(con)
    _load(con, sides)
    targets = _claim_targets(con)
    for s in sides:
        cells = targets.get(s.doc_id, {})
        s.fact = lambda role, row, column, cells=cells: cells.get((role, row, column))
    aliases = {a: c for a, c in con.execute("SELECT alias, canonical FROM aliases").fetchall()}
    from .names import department_key

    aliases = {department_key(a) or a: department_key(c) or c for a, c in aliases.items()}
    wanted = [r for r in CROSS_REGISTRY.values() if not rules or r.id in rules]
    rows = []
    seen: dict[str, int] = {}
    n_pairs = 0
    all_pairs = list(pairs(sides, keys, aliases))
    units_of: dict[str, list] = defaultdict(list)
    for pairing, a, b, why in all_pairs:
        if pairing == "dept_unit":
            units_of[a.doc_id].append((b, why))
    by_doc = {s.doc_id: s for s in sides}
    for doc_id, members in units_of.items():
        units = sorted({u.doc_id: u for u, _ in members}.values(), key=lambda u: (u.unit_code or "", u.department or ""))
        why = "；".join(sorted({w for _, w in members}))
        all_pairs.append(("dept_all_units", by_doc[doc_id], units, f"部门所述单位{by_doc[doc_id].unit_count}家，库中单位报告{len(units)}份（{why}）"))
    for pairing, a, b, why in all_pairs:
        n_pairs += 1
        for rule in wanted:
            if pairing_of(rule.id) != pairing:
                continue
            ctx = CrossContext(rule, why)
            try:
                rule.func(ctx, a, b)
            except Exception as exc:  # a rule bug must not hide the others
                ctx.findings.clear()
                ctx.report(f"规则执行出错：{exc.__class__.__name__}: {exc}", a, {}, b, {}, key="error", severity="info")
            for f in ctx.findings:
                fid = _hash("cross", f.rule, f.here.report_id, f.there.report_id, f.key, f.expected, f.actual)
                n = seen.get(fid, 0)
                seen[fid] = n + 1
                if n:
                    fid = _hash(fid, n)
                h, t = f.here_at, f.there_at
                loc = Location(table=h.get("table_id"), row=h.get("row"), column=h.get("column"), line=h.get("line"), page=h.get("page"),
                               section=h.get("section"), excerpt=h.get("excerpt"))
                other = {"doc_id": f.there.doc_id, "report_id": f.there.report_id, "table_id": t.get("table_id"), "row": t.get("row"),
                         "column": t.get("column"), "line": t.get("line"), "page": t.get("page"), "match": f.match}
                related = [{k: v for k, v in {"doc_id": f.there.doc_id, "source": f.there.source_name, "table": t.get("table_id"), "row": t.get("row"),
                                               "column": t.get("column"), "line": t.get("line"), "page": t.get("page")}.items() if v is not None}]
                rows.append(_finding_row(fid, f.here.doc_id, f.here.report_id, f.rule, f.severity.value, "cross_report", f.message, loc,
                                         f.expected, f.actual, f.difference, f.note, related, other))
    from .ingest import _insert
    from . import schema

    con.execute("BEGIN TRANSACTION")
    try:
        if rules:
            con.execute(f"DELETE FROM findings WHERE category = 'cross_report' AND rule IN ({','.join('?' * len(rules))})", list(rules))
        else:
            con.execute("DELETE FROM findings WHERE category = 'cross_report'")
        seq = dict(con.execute("SELECT doc_id, doc_seq FROM reports").fetchall())
        _insert(con, "findings", schema.row_columns("findings"), rows, [seq.get(r[1]) for r in rows])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    by_sev: dict[str, int] = defaultdict(int)
    for r in rows:
        by_sev[r[4]] += 1
    return {"pairs": n_pairs, "findings": len(rows), **by_sev}


def cross_findings_json(con, rules: list[str] | None = None) -> list[dict]:
    from .query import _all

    where = f" AND rule IN ({','.join('?' * len(rules))})" if rules else ""
    rows = _all(con, f"SELECT * FROM findings WHERE category = 'cross_report'{where} ORDER BY rule, doc_id, finding_id", list(rules or []))
    for r in rows:
        r["related"] = json.loads(r.pop("related_json") or "[]")
    return rows
