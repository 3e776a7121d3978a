"""The 问题清单 a reviewer reads in a terminal: grouped by section, coloured by severity."""

from __future__ import annotations

import click

from ..checks.engine import CATEGORIES, CheckResult, Finding, Severity
from ..textsafe import visible

_COLOURS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _evidence(f: Finding) -> str:
    parts = []
    where = f.location.describe()
    if where:
        parts.append(where)
    if f.expected is not None or f.actual is not None:
        parts.append(f"应为 {f.expected if f.expected is not None else '—'}，实为 {f.actual if f.actual is not None else '—'}")
    lines = sorted({r.line for r in f.related if r.line})
    pages = sorted({r.page for r in f.related if r.page})
    if lines:
        parts.append("相关行：" + "、".join(str(n) for n in lines[:12]) + ("…" if len(lines) > 12 else ""))
    elif pages:
        parts.append("相关页：" + "、".join(str(n) for n in pages[:12]))
    return "；".join(parts)


def render_text(result: CheckResult, color: bool = True, min_severity: Severity = Severity.INFO) -> str:
    doc = result.doc
    meta = doc.meta
    style = (lambda text, **kw: click.style(text, **kw)) if color else (lambda text, **kw: text)
    out: list[str] = []
    title = f"{meta.department or doc.source.name} {meta.year or ''}年度{meta.kind or ''}公开 · 问题清单"
    out.append(style(visible(title), bold=True))
    out.append(f"文件：{visible(doc.source.name)}　模板：{meta.profile_name or '未识别'}　表：{len(doc.tables)}张"
               + (f"（缺{len(doc.missing_tables)}张）" if doc.missing_tables else "")
               + f"　绩效自评表：{len(doc.performance_forms)}张" + (f"　绩效目标表：{len(doc.target_forms)}张" if doc.target_forms else ""))
    s = result.summary
    out.append(
        "结果："
        + style(f"错误 {s['errors']}", fg="red", bold=bool(s["errors"]))
        + "　" + style(f"警告 {s['warnings']}", fg="yellow")
        + "　" + style(f"提示 {s['infos']}", fg="cyan")
        + f"　（运行规则 {s['rules_run']} 条，跳过 {s['rules_skipped']} 条）"
    )
    shown = [f for f in result.findings if f.severity.rank <= min_severity.rank]
    # errors first, then warnings, then notes; within a severity, by section of the review
    for severity in Severity:
        for category, name in CATEGORIES.items():
            group = [f for f in shown if f.severity is severity and f.category == category]
            if not group:
                continue
            out.append("")
            out.append(style(f"【{severity.label}·{name}】{len(group)}项", bold=True))
            for n, f in enumerate(group, 1):
                tag = style(f"[{f.severity.label}]", fg=_COLOURS[f.severity], bold=f.severity is Severity.ERROR)
                out.append(f"{n:>3}. {tag} {f.rule} {visible(f.message)}")
                evidence = _evidence(f)
                if evidence:
                    out.append(style(f"     ↳ {visible(evidence)}", dim=True))
    if not shown:
        out.append("")
        out.append(style("未发现问题。", fg="green"))
    if doc.warnings:
        out.append("")
        out.append(style(f"【读取提示】{len(doc.warnings)}项（这些位置的数据可能读取不准，请对照原文）", bold=True))
        for w in doc.warnings[:30]:
            out.append(f"     {w.prov.describe()} {visible(w.message)}")
    return "\n".join(out) + "\n"
