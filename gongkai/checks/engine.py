"""The rule engine: registered rules, findings with evidence, the rounding policy.

A rule is a function decorated with @rule(...). It receives a Context and reports
findings through it. Rules name the table roles they need; a rule whose tables the
document's template does not have is skipped with a note, never run on nothing.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Callable, Iterable

from ..model.document import Document
from ..model.provenance import NOWHERE, Provenance
from ..model.serialize import format_decimal
from ..model.table import Cell, Row, Table

CENT = Decimal("0.01")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


CATEGORIES = {
    "completeness": "完整性",
    "arithmetic": "表内平衡",
    "reconciliation": "表间勾稽",
    "classification": "科目编码",
    "metadata": "基本信息",
    "narrative": "情况说明",
    "forms": "绩效表",
    "text": "文字表述",
    "cross_report": "跨报告",
    "execution": "规则执行",
}


@dataclass(slots=True)
class Location:
    table: str | None = None  # table id ("公开02") or None
    table_title: str | None = None
    row: str | None = None  # row label
    code: str | None = None
    column: str | None = None  # column label
    section: str | None = None  # narrative section title / form project
    line: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None
    excerpt: str | None = None  # the printed text at that place

    @classmethod
    def at(cls, prov: Provenance, **fields) -> "Location":
        """A location at a source position (line, or page and box), with the other fields given."""
        return cls(line=prov.line, page=prov.page, bbox=prov.bbox, **fields)

    def describe(self) -> str:
        parts = []
        if self.table:
            parts.append(f"{self.table}“{self.table_title}”" if self.table_title else self.table)
        if self.section:
            parts.append(self.section)
        if self.code or self.row:
            parts.append(" ".join(x for x in (self.code, self.row) if x))
        if self.column:
            parts.append(f"[{self.column}]")
        where = "，".join(parts)
        pos = Provenance(self.line, self.page).describe() if (self.line or self.page) else ""
        return f"{where}（{pos}）" if pos and where else (where or pos)


@dataclass(slots=True)
class Finding:
    rule: str
    severity: Severity
    category: str
    message: str
    location: Location = field(default_factory=Location)
    expected: str | None = None
    actual: str | None = None
    difference: str | None = None
    related: list[Location] = field(default_factory=list)
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    category: str
    severity: Severity
    title: str
    explanation: str
    reference: str
    requires: tuple[str, ...]  # table roles; any-of groups joined with "|"
    func: Callable[["Context"], None]
    applies_to: tuple[str, ...] = ()  # document kinds ("决算", "预算"); empty = all

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


REGISTRY: dict[str, Rule] = {}


def rule(
    id: str,
    category: str,
    severity: str,
    title: str,
    explanation: str,
    reference: str,
    requires: Iterable[str] = (),
    applies_to: Iterable[str] = (),
):
    """Register a rule. `requires` lists table roles; "a|b" means either role."""
    if category not in CATEGORIES:
        raise ValueError(f"unknown rule category {category!r}")

    def wrap(func: Callable[["Context"], None]):
        if id in REGISTRY:
            raise ValueError(f"duplicate rule id {id}")
        REGISTRY[id] = Rule(id, category, Severity(severity), title, explanation, reference, tuple(requires), func, tuple(applies_to))
        return func

    return wrap


# --------------------------------------------------------------------------- tolerance
def tolerance(parts: int) -> Decimal:
    """Printed amounts are rounded from 元: allow a cent per summed part."""
    return CENT * max(1, parts)


def fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format_decimal(value.quantize(CENT) if value == value.quantize(CENT) else value.normalize())


# --------------------------------------------------------------------------- context
@dataclass(slots=True)
class Skipped:
    rule: str
    reason: str


class Context:
    def __init__(self, doc: Document, rule: Rule, shared: dict | None = None):
        self.doc = doc
        self.rule = rule
        self.findings: list[Finding] = []
        self.shared = shared if shared is not None else {}  # work shared by the rules of one run

    # --- lookups ---------------------------------------------------------------------
    def table(self, role: str) -> Table | None:
        return self.doc.table_by_role(role)

    def loc(self, table: Table | None, row: Row | None = None, column: str | None = None, cell: Cell | None = None) -> Location:
        prov = cell.prov if cell is not None else (row.prov if row is not None else (table.prov if table else NOWHERE))
        col_label = None
        if table is not None and column is not None:
            c = table.column(column)
            col_label = c.label if c else column
        return Location(
            table=table.id if table else None,
            table_title=table.title if table else None,
            row=(row.label or None) if row else None,
            code=row.any_code if row else None,
            column=col_label,
            line=prov.line,
            page=prov.page,
            bbox=prov.bbox,
            excerpt=cell.raw if cell is not None and cell.raw else None,
        )

    def cell_loc(self, table: Table, row: Row, column: str) -> Location:
        return self.loc(table, row, column, row.cells.get(column))

    def _partial_tables(self) -> set[str]:
        if "partial_tables" not in self.shared:
            self.shared["partial_tables"] = {w.table for w in self.doc.warnings if w.code == "table-before-unread-page" and w.table}
        return self.shared["partial_tables"]

    # --- reporting ---------------------------------------------------------------------
    def report(
        self,
        message: str,
        location: Location | None = None,
        *,
        severity: Severity | str | None = None,
        expected: Decimal | str | None = None,
        actual: Decimal | str | None = None,
        difference: Decimal | None = None,
        related: list[Location] | Callable[[], list[Location]] | None = None,
        note: str | None = None,
    ) -> Finding:
        sev = Severity(severity) if severity is not None else self.rule.severity
        if callable(related):
            related = related()
        if sev is Severity.ERROR and location is not None and location.table in self._partial_tables():
            # rows of this table may be on a page that could not be read: not proven wrong
            sev = Severity.WARNING
            note = (note + "；" if note else "") + "此表之后有无法读取的扫描页，表中可能缺少续表各行"
        f = Finding(
            rule=self.rule.id,
            severity=sev,
            category=self.rule.category,
            message=message,
            location=location or Location(),
            expected=fmt(expected) if isinstance(expected, Decimal) else expected,
            actual=fmt(actual) if isinstance(actual, Decimal) else actual,
            difference=fmt(difference) if difference is not None else None,
            related=related or [],
            note=note,
        )
        self.findings.append(f)
        return f

    def compare(
        self,
        what: str,
        expected: Decimal,
        actual: Decimal,
        location: Location,
        *,
        parts: int = 1,
        related: list[Location] | Callable[[], list[Location]] | None = None,
        severity: Severity | str | None = None,
    ) -> Finding | None:
        """Report `what` when actual ≠ expected, applying the rounding policy.

        Within a cent per summed part: an info finding saying it is rounding.
        Beyond it: the rule's severity (an error unless the rule says otherwise).
        """
        diff = actual - expected
        if diff == 0:
            return None
        tol = tolerance(parts)
        if abs(diff) <= tol:
            return self.report(
                f"{what}：相差{fmt(abs(diff))}万元，在尾数误差允许范围内（每个加数0.01万元，共{fmt(tol)}万元）",
                location,
                severity=Severity.INFO,
                expected=expected,
                actual=actual,
                difference=diff,
                related=related,
                note="rounding",
            )
        return self.report(
            f"{what}：应为{fmt(expected)}，实为{fmt(actual)}，相差{fmt(abs(diff))}万元，超出尾数误差（{fmt(tol)}万元）",
            location,
            severity=severity,
            expected=expected,
            actual=actual,
            difference=diff,
            related=related,
        )

    def at_least(
        self,
        message: Callable[[], str],
        minimum: Decimal,
        actual: Decimal,
        location: Location,
        *,
        parts: int = 1,
        related: list[Location] | Callable[[], list[Location]] | None = None,
        severity: Severity | str | None = None,
    ) -> Finding | None:
        """Report `message()` when actual falls short of minimum by more than rounding."""
        if actual + tolerance(parts) >= minimum:
            return None
        return self.report(
            message(), location, severity=severity, expected=f"≥ {fmt(minimum)}", actual=actual,
            difference=actual - minimum, related=related,
        )


# --------------------------------------------------------------------------- running
@dataclass(slots=True)
class CheckResult:
    doc: Document
    findings: list[Finding]
    skipped: list[Skipped]
    rules_run: list[str]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def has_errors(self) -> bool:
        return self.count(Severity.ERROR) > 0

    @property
    def summary(self) -> dict:
        return {
            "errors": self.count(Severity.ERROR),
            "warnings": self.count(Severity.WARNING),
            "infos": self.count(Severity.INFO),
            "rules_run": len(self.rules_run),
            "rules_skipped": len(self.skipped),
            "extraction_warnings": len(self.doc.warnings),
        }


def _missing_roles(doc: Document, rule_: Rule, present: set[str], expected: set[str]) -> list[str]:
    missing = []
    for group in rule_.requires:
        options = group.split("|")
        if not any(o in present for o in options):
            missing.append(group if any(o in expected for o in options) else group + "（本模板没有此表）")
    return missing


def _profile_tables(doc: Document):
    from ..profiles import get_profile

    profile = get_profile(doc.meta.profile) if doc.meta.profile else None
    return profile.tables if profile else ()


def run_rules(doc: Document, only: Iterable[str] | None = None) -> CheckResult:
    from . import rules  # noqa: F401  (registers every rule)

    wanted = set(only) if only else None
    present = {t.role for t in doc.tables}
    expected = {t.role for t in _profile_tables(doc)}
    shared: dict = {}
    findings: list[Finding] = []
    skipped: list[Skipped] = []
    ran: list[str] = []
    for rule_ in REGISTRY.values():
        if wanted is not None and rule_.id not in wanted:
            continue
        if rule_.applies_to and doc.meta.kind not in rule_.applies_to:
            skipped.append(Skipped(rule_.id, f"只适用于{'/'.join(rule_.applies_to)}报告"))
            continue
        missing = _missing_roles(doc, rule_, present, expected)
        if missing:
            skipped.append(Skipped(rule_.id, "缺少所需的表：" + "、".join(missing)))
            continue
        ctx = Context(doc, rule_, shared)
        try:
            rule_.func(ctx)
        except Exception as exc:  # a rule bug must not hide the other findings
            skipped.append(Skipped(rule_.id, f"规则执行出错：{exc.__class__.__name__}: {exc}"))
            if __debug__ and _debugging():
                traceback.print_exc()
            continue
        ran.append(rule_.id)
        findings.extend(ctx.findings)
    findings.sort(key=lambda f: (f.severity.rank, list(CATEGORIES).index(f.category), f.location.line or 0, f.location.page or 0, f.rule))
    return CheckResult(doc, findings, skipped, ran)


def _debugging() -> bool:
    import os

    return bool(os.environ.get("GONGKAI_DEBUG"))
