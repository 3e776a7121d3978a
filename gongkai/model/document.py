"""The document: metadata, tables, narrative, forms and what could not be read."""

from __future__ import annotations

from dataclasses import field

from .forms import OverallTargetForm, PerformanceForm, TargetForm
from .narrative import Section, TocEntry
from .provenance import NOWHERE, Provenance
from .table import Grid, Table
from ..records import record


@record
class SourceInfo:
    name: str  # file name as given (no directories)
    sha256: str
    format: str  # "text" | "pdf"
    size: int  # bytes
    encoding: str | None = None  # text only
    reader: str | None = None  # which reader produced the blocks
    lines: int | None = None
    pages: int | None = None
    ocr_pages: list[int] = field(default_factory=list)  # PDF pages whose text came from OCR
    script: str | None = None  # "traditional": printed in traditional characters, read converted to simplified


@record
class Metadata:
    title: str | None = None
    department: str | None = None  # department or unit as on the cover
    unit_code: str | None = None  # 预算单位 / 部门 code when printed, e.g. "606001"
    year: int | None = None
    kind: str | None = None  # "决算" | "预算"
    scope: str | None = None  # "部门" | "单位"
    profile: str | None = None  # detected template profile id
    profile_name: str | None = None
    amount_unit: str = "万元"
    prov: Provenance = NOWHERE


@record
class ExtractionWarning:
    code: str  # short id, e.g. "cell-unplaced"
    message: str
    prov: Provenance = NOWHERE
    table: str | None = None


@record
class MissingTable:
    id: str
    title: str
    # "missing", or "unreadable": it may lie on a page that could not be read (a scan)
    reason: str = "missing"
    pages: list[int] = field(default_factory=list)  # those pages


@record
class Document:
    source: SourceInfo
    meta: Metadata
    tables: list[Table] = field(default_factory=list)
    missing_tables: list[MissingTable] = field(default_factory=list)
    toc: list[TocEntry] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    performance_forms: list[PerformanceForm] = field(default_factory=list)
    target_forms: list[TargetForm] = field(default_factory=list)
    overall_target_forms: list[OverallTargetForm] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)  # other appendix tables, generic
    warnings: list[ExtractionWarning] = field(default_factory=list)
    # the source itself, for excerpts and page crops in reports (never serialised)
    source_lines: list[str] = field(default_factory=list, repr=False, metadata={"serialize": False})
    source_bytes: bytes | None = field(default=None, repr=False, metadata={"serialize": False})

    def excerpt(self, line: int | None, context: int = 0) -> list[tuple[int, str]]:
        """Source lines around `line` (text sources), numbered from 1."""
        if not line or not self.source_lines:
            return []
        start, stop = max(1, line - context), min(len(self.source_lines), line + context)
        return [(n, self.source_lines[n - 1]) for n in range(start, stop + 1)]

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)

    def table_by_role(self, role: str) -> Table | None:
        return next((t for t in self.tables if t.role == role), None)

    def walk_sections(self):
        for section in self.sections:
            yield from section.walk()

    def warn(self, code: str, message: str, prov: Provenance = NOWHERE, table: str | None = None) -> None:
        self.warnings.append(ExtractionWarning(code, message, prov, table))
