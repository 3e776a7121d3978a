"""The reviewer's checklist (公开情况检查表): one row per required part, 是/否/未检查.

Which checks stand behind each row is data (checklist.toml, versioned). A row is 否 when
an error or warning falls in it or its part is absent, 是 when its checks ran and found
nothing, and 未检查 when none of its checks could run (template not recognised, rules
skipped or not selected): a check that did not run never counts as a pass.
"""

from __future__ import annotations

import io
import tomllib
from dataclasses import field
from functools import lru_cache
from pathlib import Path

from ..checks.engine import REGISTRY, CheckResult, Finding, Severity
from ..model.provenance import Provenance
from ..records import record

YES, NO, UNCHECKED = "是", "否", "未检查"
SPEC = Path(__file__).with_name("checklist.toml")


@record
class ChecklistRow:
    part: str
    content: str
    status: str = YES
    problems: list[str] = field(default_factory=list)
    rules: tuple[str, ...] = ()
    table: str | None = None  # a table row: the table's id


@record
class Checklist:
    title: str
    version: str
    rows: list[ChecklistRow]


@lru_cache(maxsize=1)
def spec() -> dict:
    with open(SPEC, "rb") as fh:
        return tomllib.load(fh)


def problem_text(f: Finding) -> str:
    """A finding as a reviewer writes it: where, then what (warnings marked 请核实)."""
    loc = f.location
    where = Provenance(loc.line, loc.page).describe() if (loc.line or loc.page) else (loc.table or "")
    tail = "（请核实）" if f.severity is Severity.WARNING else ""
    return f"{where}：{f.message}{tail}" if where else f.message + tail


def _table_rules(role: str) -> set[str]:
    wanted = {"C01", "C03", "M01", "M02"}
    for r in REGISTRY.values():
        if any(role in group.split("|") for group in r.requires):
            wanted.add(r.id)
    return wanted


def build_checklist(result: CheckResult) -> Checklist:
    from ..profiles import get_profile

    doc = result.doc
    data = spec()
    ran = set(result.rules_run)
    skipped = {s.rule: s.reason for s in result.skipped}
    profile = get_profile(doc.meta.profile) if doc.meta.profile else None
    headings = [s.title for s in doc.walk_sections() if s.title]
    prose = any(p.text for s in doc.walk_sections() for p in s.paragraphs)
    # a rule that failed did not check anything: its rows cannot pass (engine finding E01)
    failed = {f.location.section.removeprefix("规则") for f in result.findings if f.note == "rule-failed" and f.location.section}
    findings = [f for f in result.findings if f.severity is not Severity.INFO and f.note != "rule-failed"]
    rows: list[ChecklistRow] = []
    specs: list[dict] = []
    missing = {m.id for m in doc.missing_tables}
    for item in data["row"]:
        row = ChecklistRow(item["part"], item["content"], rules=tuple(item.get("rules", ())))
        rows.append(row)
        specs.append(item)
        if item.get("tables"):
            if profile is None:
                row.status = UNCHECKED
                row.problems.append("未识别报告模板，无法按模板核对应公开的报表")
                continue
            for t in profile.tables:
                printed = doc.table(t.id)
                present = printed is not None
                title = printed.title if present and printed.title else t.title  # as the report prints it
                trow = ChecklistRow(f"{t.id} {title}", f"公开“{title}”，表内、表间数据一致", rules=tuple(sorted(_table_rules(t.role))), table=t.id)
                if not present and t.id not in missing:
                    trow.status = UNCHECKED
                rows.append(trow)
                specs.append({"table": t.id})
    # each finding goes to one row: its table's, else the first row whose rules and headings fit
    leftovers = []
    for f in findings:
        target = next((r for r in rows if r.table and f.location.table == r.table), None)
        if target is None:
            for r, item in zip(rows, specs):
                if r.table or f.rule not in r.rules:
                    continue
                words = item.get("sections")
                if words and f.rule not in item.get("section_rules", r.rules):
                    words = None  # the row takes this rule's findings wherever they are
                if words and not any(w in (f.location.section or "") for w in words):
                    continue
                if words or target is None:
                    target = r
                    if words:
                        break
        if target is None:
            leftovers.append(f)
        else:
            target.problems.append(problem_text(f))
    if leftovers:
        rows[-1].problems.extend(problem_text(f) for f in leftovers)
    for r, item in zip(rows, specs):
        if r.status == UNCHECKED:
            continue
        words = item.get("present")
        absent = bool(words) and not any(w in h for h in headings for w in words)
        if item.get("forms") and (doc.performance_forms or doc.target_forms or doc.overall_target_forms):
            absent = False
        if item.get("cover") and not (doc.meta.department and doc.meta.year):
            r.problems.insert(0, "封面未标明部门名称或年度")
        if item.get("toc") and not doc.toc:
            r.problems.insert(0, "没有目录")
        if absent:
            r.problems.insert(0, f"未找到“{r.part}”部分")
        if r.table is None and not prose and not r.problems and item.get("text", False):
            r.status = UNCHECKED
            r.problems.append("没有读到正文文字（可能是扫描件或无法识别的版式），无法检查文字表述")
            continue
        broken = sorted(set(r.rules) & failed)
        if r.problems:
            r.status = NO
            r.problems.extend(f"规则{x}执行出错，相应检查未完成" for x in broken)
        elif broken:
            r.status = UNCHECKED
            r.problems.append(f"规则{'、'.join(broken)}执行出错，检查未完成")
        elif r.rules and not (set(r.rules) & ran):
            r.status = UNCHECKED
            reasons = sorted({skipped[x] for x in r.rules if x in skipped})
            r.problems.append("检查未运行" + (f"：{'；'.join(reasons)}" if reasons else "（未选择相应规则）"))
        elif r.table and r.table in missing:
            r.status = NO
    meta = doc.meta
    title = f"{meta.department or doc.source.name}{meta.year or ''}年度{meta.scope or ''}{meta.kind or ''}公开情况检查表"
    return Checklist(title, str(data["version"]), rows)


HEADER = ["序号", "检查项目", "检查内容", "符合要求", "存在问题"]


def render_checklist_xlsx(result: CheckResult) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    cl = build_checklist(result)
    wb = Workbook()
    ws = wb.active
    ws.title = "公开情况检查表"
    ws.append([cl.title])
    ws.append([f"检查清单版本 {cl.version}；由 gongkai 按规则生成，“未检查”表示该项检查未能运行，须人工核对"])
    ws.append(HEADER)
    for cell in ws[1] + ws[3]:
        cell.font = Font(bold=True)
    fills = {NO: PatternFill("solid", fgColor="FFCCC7"), UNCHECKED: PatternFill("solid", fgColor="FFF1B8")}
    for i, r in enumerate(cl.rows, 1):
        ws.append([i, r.part, r.content, r.status, "\n".join(f"{k}. {p}" for k, p in enumerate(r.problems, 1)) if len(r.problems) > 1 else "".join(r.problems)])
        if r.status in fills:
            ws.cell(ws.max_row, 4).fill = fills[r.status]
    for col, width in zip("ABCDE", (6, 28, 40, 10, 100)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A4"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def render_checklist_docx(result: CheckResult) -> bytes:
    from docx import Document as Docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    cl = build_checklist(result)
    d = Docx()
    section = d.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))
    d.add_heading(cl.title, level=1)
    d.add_paragraph(f"检查清单版本 {cl.version}；“未检查”表示该项检查未能运行，须人工核对。")
    table = d.add_table(rows=1, cols=len(HEADER))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADER):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for i, r in enumerate(cl.rows, 1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = str(i), r.part, r.content, r.status
        cells[4].text = "\n".join(f"{k}. {p}" for k, p in enumerate(r.problems, 1)) if len(r.problems) > 1 else "".join(r.problems)
    for row in table.rows:
        for cell, width in zip(row.cells, (Cm(1.2), Cm(4.5), Cm(6), Cm(1.8), Cm(12))):
            cell.width = width
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(9)
    d.core_properties.title = cl.title
    d.core_properties.author = "gongkai"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def render_checklist(result: CheckResult, kind: str = "xlsx") -> bytes:
    return render_checklist_docx(result) if kind == "docx" else render_checklist_xlsx(result)
