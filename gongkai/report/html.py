"""One self-contained HTML file a reviewer can e-mail: findings with the source
excerpt (or a page crop for PDFs) and the offending cell highlighted, plus every
extracted table. Everything is escaped; nothing is loaded from outside the file."""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import __version__
from ..checks.engine import CATEGORIES, CheckResult, Finding, Location, Severity
from ..model.serialize import format_decimal
from ..model.table import CellStatus


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("gongkai.report", "templates"), autoescape=select_autoescape(["html", "j2"]))


def _anchor(table: str | None, code: str | None, row: str | None, column: str | None) -> str:
    raw = f"cell-{table}-{code or row}-{column}"
    return re.sub(r"[^\w\-]", "_", raw)


def _excerpt(doc, loc: Location):
    out = []
    for n, text in doc.excerpt(loc.line, 2):
        text = text.replace("\t", " ⇥ ")
        mark = None
        if n == loc.line and loc.excerpt:
            at = text.find(loc.excerpt)
            if at >= 0:
                mark = (at, at + len(loc.excerpt))
        out.append((n, text[:400], n == loc.line, mark))
    return out or None


class _Crops:
    """The page crops of one report: the PDF is opened at the first crop and only once;
    pages and identical crops are rendered once (pdf_crop.PageCrops)."""

    def __init__(self, doc):
        self.doc = doc
        self.pages = None  # pdf_crop.PageCrops once opened
        self.unavailable = False  # rendering is not possible (no renderer, unreadable PDF)

    def __call__(self, loc: Location) -> str | None:
        doc = self.doc
        if doc.source_bytes is None or not loc.page or not loc.bbox or self.unavailable:
            return None
        if self.pages is None:
            try:
                from .pdf_crop import PageCrops

                self.pages = PageCrops(doc.source_bytes)
            except Exception:  # a crop is a convenience; the text evidence stands without it
                self.unavailable = True
                return None
        try:
            png = self.pages.render(loc.page, loc.bbox, loc.bbox)
        except Exception:
            return None
        return base64.b64encode(png).decode("ascii")

    def close(self) -> None:
        if self.pages is not None:
            self.pages.close()
            self.pages = None


def render_html(result: CheckResult, min_severity: Severity = Severity.INFO) -> str:
    doc = result.doc
    worst: dict[str, Severity] = {}  # cell anchor → the most severe finding on it
    groups = []
    counter = 0
    crops = _Crops(doc)
    try:
        shown = [f for f in result.findings if f.severity.rank <= min_severity.rank]
        # errors first, then warnings, then notes; within a severity, by section of the review
        for severity, category, name in ((s, c, n) for s in Severity for c, n in CATEGORIES.items()):
            items = []
            for f in (x for x in shown if x.severity is severity and x.category == category):
                counter += 1
                anchor = None
                if f.location.table and f.location.column:
                    anchor = _anchor(f.location.table, f.location.code, f.location.row, f.location.column)
                    if anchor not in worst or f.severity.rank < worst[anchor].rank:
                        worst[anchor] = f.severity
                items.append(_finding_view(doc, f, counter, anchor, crops))
            if items:
                groups.append({"category": category, "name": name, "severity": severity.value, "severity_label": severity.label, "findings": items})
    finally:
        crops.close()
    flags = {anchor: severity.value for anchor, severity in worst.items()}
    tables = [_table_view(t, flags) for t in doc.tables]
    meta = doc.meta
    title = f"{meta.department or doc.source.name} {meta.year or ''}年度{meta.kind or ''}公开检查报告"
    return _env().get_template("report.html.j2").render(
        title=title, doc=doc, summary=result.summary, groups=groups, tables=tables,
        skipped=result.skipped, version=__version__, hidden=min_severity is not Severity.INFO and min_severity.label,
    )


def _finding_view(doc, f: Finding, n: int, anchor: str | None, crops: _Crops) -> dict:
    return {
        "id": n,
        "rule": f.rule,
        "severity": f.severity.value,
        "severity_label": f.severity.label,
        "message": f.message,
        "where": f.location.describe(),
        "expected": f.expected,
        "actual": f.actual,
        "cell_anchor": anchor,
        "excerpt": _excerpt(doc, f.location),
        "crop": crops(f.location),
        "page": f.location.page,
        "related": [r.describe() + (f"：{r.excerpt}" if r.excerpt else "") for r in f.related],
    }


def _table_view(table, flags: dict[str, str]) -> dict:
    columns = [c.label for c in table.columns]
    rows = []
    flagged = 0
    for row in table.rows:
        cells = []
        for col in table.columns:
            cell = row.cells.get(col.id)
            anchor = _anchor(table.id, row.any_code, row.label or None, col.label)
            flag = flags.get(anchor)
            if flag:
                flagged += 1
            text = ""
            if cell is not None:
                if cell.status is CellStatus.VALUE and cell.value is not None:
                    text = format_decimal(cell.value)
                elif cell.status is not CellStatus.EMPTY:
                    text = cell.raw
            where = cell.prov.describe() if cell is not None else ""
            cells.append({"text": text, "flag": f"flag-{flag}" if flag else "", "anchor": anchor if flag else None, "where": where})
        rows.append({"code": row.code or row.ref_code, "label": row.label, "cells": cells})
    return {"id": table.id, "title": table.title, "columns": columns, "rows": rows, "no_data": table.no_data_note is not None, "flagged": flagged}
