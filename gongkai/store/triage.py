"""The reviewer's workflow: triage findings, see what a new version fixed, and write the
整改通知 (one docx per department) and the batch's 检查表 (xlsx).

Decisions are kept by finding_id (stable across re-checks and versions) in the
append-only `triage` table. Writing needs an explicit flag and a user name (the CLI's
--write and --user).
"""

from __future__ import annotations

from datetime import datetime

from .query import TRIAGE_STATUSES, _all, _attach_triage, finding


class TriageError(ValueError):
    pass


def set_triage(con, finding_id: str, status: str, user: str, note: str | None = None) -> dict:
    if status not in TRIAGE_STATUSES:
        raise TriageError(f"status must be one of {'/'.join(TRIAGE_STATUSES)}, not {status!r}")
    user = (user or "").strip()
    if not user:
        raise TriageError("a user name is needed to record a decision (--user)")
    if finding(con, finding_id) is None:
        raise TriageError(f"no finding {finding_id}")
    con.execute("INSERT INTO triage VALUES (?, ?, ?, ?, ?)", [finding_id, status, note, user, datetime.now()])
    return finding(con, finding_id)


def open_findings(con, *, department: str | None = None, min_severity: str = "warning", include_false_positive: bool = False) -> list[dict]:
    """Current findings to act on (triage 误报 left out unless asked), with their report."""
    sev = {"error": ("error",), "warning": ("error", "warning"), "info": ("error", "warning", "info")}[min_severity]
    params: list = list(sev)
    where = f"r.is_current AND f.severity IN ({','.join('?' * len(sev))})"
    if department:
        where += " AND (r.department = ? OR r.department_key = ?)"
        params += [department, department]
    rows = _all(con, f"SELECT f.*, r.department, r.department_key, r.region, r.year, r.kind, r.scope, r.source_name FROM findings f JOIN reports r USING (doc_id) WHERE {where} "
                     "ORDER BY r.department_key, r.year, r.kind, CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.rule, f.line", params)
    _attach_triage(con, rows)
    if not include_false_positive:
        rows = [r for r in rows if not (r.get("triage") and r["triage"]["status"] == "误报")]
    return rows


def _where(r: dict) -> str:
    parts = [x for x in (r.get("table_id"), r.get("code") or r.get("row"), r.get("column"), r.get("section")) if x]
    pos = f"第{r['page']}页" if r.get("page") else (f"第{r['line']}行" if r.get("line") else "")
    return "，".join(parts) + (f"（{pos}）" if pos else "")


def write_notice(con, department: str, out: str, *, issuer: str = "财政局", deadline: str | None = None) -> int:
    """整改通知 for one department (docx). Returns the number of items listed."""
    from docx import Document
    from docx.shared import Pt

    rows = open_findings(con, department=department)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.size = Pt(11)
    name = rows[0]["department"] if rows else department
    doc.add_heading(f"关于{name}预决算公开问题的整改通知", level=1)
    doc.add_paragraph(f"{name}：")
    doc.add_paragraph(
        f"经审核，你单位公开的预决算报告存在以下{len(rows)}项问题，请逐项核实整改"
        + (f"，并于{deadline}前重新公开并报送整改情况。" if deadline else "，重新公开后报送整改情况。")
    )
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "报告", "规则", "位置", "问题", "审核意见")):
        cell.text = text
    for i, r in enumerate(rows, 1):
        cells = table.add_row().cells
        report = f"{r.get('year') or ''}年{r.get('scope') or ''}{r.get('kind') or ''}（{r.get('source_name')}）"
        opinion = (r.get("triage") or {}).get("note") or ""
        values = (str(i), report, f"{r['rule']}（{ {'error': '错误', 'warning': '警告', 'info': '提示'}[r['severity']] }）", _where(r), r["message"], opinion)
        for cell, text in zip(cells, values):
            cell.text = text or ""
    doc.add_paragraph("")
    doc.add_paragraph(f"{issuer}")
    doc.add_paragraph(datetime.now().strftime("%Y年%m月%d日"))
    doc.save(out)
    return len(rows)


SHEET_COLUMNS = ["地区", "部门", "年度", "类别", "范围", "文件", "版本", "错误", "警告", "提示", "已确认", "误报", "待处理", "提取警告", "模板"]


def write_sheet(con, out: str) -> int:
    """The batch's 检查表: one row per current report with counts and triage progress (xlsx)."""
    from openpyxl import Workbook

    from ..report.spreadsheet import append_row

    reports = _all(con, "SELECT * FROM reports WHERE is_current ORDER BY region, department_key, year, kind, scope")
    counts = {}
    for r in _all(con, "SELECT f.doc_id, f.severity, f.finding_id, t.status FROM findings f JOIN reports r USING (doc_id) "
                       'LEFT JOIN (SELECT finding_id, arg_max(status, "at") AS status FROM triage GROUP BY finding_id) t USING (finding_id) WHERE r.is_current'):
        c = counts.setdefault(r["doc_id"], {"error": 0, "warning": 0, "info": 0, "确认": 0, "误报": 0, "todo": 0})
        c[r["severity"]] += 1
        if r["status"] in ("确认", "误报"):
            c[r["status"]] += 1
        elif r["severity"] != "info":
            c["todo"] += 1
    wb = Workbook()
    ws = wb.active
    ws.title = "检查表"
    append_row(ws, SHEET_COLUMNS)
    for r in reports:
        c = counts.get(r["doc_id"], {"error": 0, "warning": 0, "info": 0, "确认": 0, "误报": 0, "todo": 0})
        append_row(ws, [r["region"], r["department"], r["year"], r["kind"], r["scope"], r["source_name"], r["version"], c["error"], c["warning"],
                        c["info"], c["确认"], c["误报"], c["todo"], r["extraction_warnings"], r["profile_name"]])
    failures = _all(con, "SELECT path, stage, reason FROM failures ORDER BY path")
    if failures:
        wf = wb.create_sheet("未能读取")
        append_row(wf, ["文件", "阶段", "原因"])
        for f in failures:
            append_row(wf, [f["path"], f["stage"], f["reason"]])
    wb.save(out)
    return len(reports)
