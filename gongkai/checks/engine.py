"""The rule engine: registered rules, findings with evidence, the rounding policy.

A rule is a function decorated with @rule(...). It receives a Context and reports
findings through it. Rules name the table roles they need; a rule whose tables the
document's template does not have is skipped with a note, never run on nothing.
"""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal
from enum import Enum
from itertools import islice
from typing import Callable, Iterable

from ..limits import limit
from ..model.document import Document
from ..model.provenance import NOWHERE, Provenance
from ..model.serialize import format_decimal
from ..model.table import Cell, Row, Table
from ..records import record

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


@record
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


@record
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
    related_more: int = 0  # related locations not listed (beyond RELATED_MAX)
    repeats: int = 1  # the same finding at the same place, printed this many times (repeated rows)


RELATED_MAX = 20  # related locations listed per finding; the rest are counted in related_more


class Related:
    """Related locations made lazily: only the first RELATED_MAX are built, the rest counted.

    `Related(n, locations)`: `locations` yields the n locations (a generator, so a sum
    over 100,000 cells costs nothing beyond the sum itself)."""

    __slots__ = ("count", "locations")

    def __init__(self, count: int, locations: Iterable[Location]):
        self.count = count
        self.locations = locations


@record(frozen=True)
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
def tolerance(parts: int, step: Decimal = CENT) -> Decimal:
    """Printed amounts are rounded: allow one rounding step (a cent of 万元 unless the
    table says otherwise, see rounding_step) per summed part."""
    return step * max(1, parts)


def rounding_step(table: Table | None) -> Decimal:
    """How far one printed amount of `table` may be from its exact value, in 万元: a cent
    of 万元 for tables printed in 万元 (rounded from 元, as the reports say); for tables
    printed in another unit, one unit of the last digit they print (元 with 分: 0.01 元;
    whole 元: 1 元; whole 千元: 1 千元), converted to 万元."""
    if table is None or table.scale == 1:
        return CENT
    decimals = None
    for row in table.rows:
        for cell in row.cells.values():
            if cell.value is None or not cell.raw:
                continue
            digits = cell.raw.replace(",", "").strip()
            d = len(digits) - digits.index(".") - 1 if "." in digits else 0
            decimals = d if decimals is None else min(decimals, d)
    return table.scale * Decimal(1).scaleb(-(decimals or 0))


def _step_text(step: Decimal, table: Table | None) -> str:
    """A difference or rounding allowance in the table's own unit ("0.01元"), or in 万元."""
    if table is not None and table.scale != 1:
        return f"{fmt(step / table.scale)}{table.unit}"
    return f"{fmt(step)}万元"


def fmt(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return format_decimal(value.quantize(CENT) if value == value.quantize(CENT) else value.normalize())


# --------------------------------------------------------------------------- context
@record
class Skipped:
    rule: str
    reason: str


class Context:
    def __init__(self, doc: Document, rule: Rule, shared: dict | None = None):
        self.doc = doc
        self.rule = rule
        self.findings: list[Finding] = []
        self.shared = shared if shared is not None else {}  # work shared by the rules of one run
        self._seen: dict[tuple, Finding] = {}  # the same finding at the same place → reported once

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

    def _step(self, location: Location | None, related=None) -> tuple[Decimal, Table | None, bool]:
        """The rounding step of a comparison (see rounding_step): the coarsest among the
        table it is located in and the tables of its related cells; the table that step
        belongs to; and whether the tables print in different units, so the same figure
        cannot be printed identically in both."""
        steps = self.shared.setdefault("rounding_steps", {})
        ids = {location.table} if location is not None and location.table else set()
        if isinstance(related, list):
            ids.update(r.table for r in related if r.table)
        found: list[tuple[Decimal, Table | None]] = []
        for table_id in ids:
            if table_id not in steps:
                table = self.doc.table(table_id)
                steps[table_id] = (rounding_step(table), table)
            found.append(steps[table_id])
        if not found:
            return CENT, None, False
        step, table = max(found, key=lambda x: x[0])
        return step, table, len({x[0] for x in found}) > 1

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
        related: list[Location] | Related | Callable[[], list[Location] | Related] | None = None,
        note: str | None = None,
    ) -> Finding:
        """Add a finding. `related` may be a list, a Related or a function giving either
        (called only here, so a rule pays for evidence only when it reports). At most
        RELATED_MAX related locations are kept; the rest are counted in related_more.
        The same finding at the same place (a row printed twice) is reported once, with
        `repeats` counting the copies and the message naming their lines."""
        sev = Severity(severity) if severity is not None else self.rule.severity
        exp = fmt(expected) if isinstance(expected, Decimal) else expected
        act = fmt(actual) if isinstance(actual, Decimal) else actual
        where = location or Location()
        key = (sev, message, exp, act, note, where.table, where.code, where.row, where.column, where.section)
        first = self._seen.get(key)
        if first is not None:
            return _repeat(first, where)
        if callable(related):
            related = related()
        if sev is Severity.ERROR and location is not None and location.table in self._partial_tables():
            # rows of this table may be on a page that could not be read: not proven wrong
            sev = Severity.WARNING
            note = (note + "；" if note else "") + "此表之后有无法读取的扫描页，表中可能缺少续表各行"
        more = 0
        if isinstance(related, Related):
            more = max(0, related.count - RELATED_MAX)
            related = list(islice(related.locations, RELATED_MAX))
        elif related and len(related) > RELATED_MAX:
            more = len(related) - RELATED_MAX
            related = related[:RELATED_MAX]
        f = Finding(
            rule=self.rule.id,
            severity=sev,
            category=self.rule.category,
            message=message,
            location=where,
            expected=exp,
            actual=act,
            difference=fmt(difference) if difference is not None else None,
            related=related or [],
            note=note,
            related_more=more,
        )
        self._seen[key] = f
        self.findings.append(f)
        return f

    def related_cells(self, table: Table, rows: Iterable[Row], column: str, count: int) -> Related:
        """The cells of `rows` in `column` that hold a value (`count` of them), as evidence."""
        return Related(count, (self.cell_loc(table, r, column) for r in rows if r.value(column) is not None))

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
        parts=0 means one figure printed twice (the same cell in two tables): it must be
        identical, so even a cent is at least a warning.
        """
        diff = actual - expected
        if diff == 0:
            return None
        step, table, mixed = self._step(location, related)
        if parts == 0 and mixed:
            parts = 1  # a figure printed in 万元 and in 元 can agree only up to the coarser rounding
        if parts == 0:
            sev = Severity(severity) if severity is not None else self.rule.severity
            return self.report(
                f"{what}：应为{fmt(expected)}，实为{fmt(actual)}，相差{fmt(abs(diff))}万元（同一数字两处印刷，应完全一致）",
                location,
                severity=sev if abs(diff) > CENT else Severity.WARNING,
                expected=expected,
                actual=actual,
                difference=diff,
                related=related,
            )
        tol = tolerance(parts, step)
        if abs(diff) <= tol:
            return self.report(
                f"{what}：相差{_step_text(abs(diff), table)}，在尾数误差允许范围内（每个加数{_step_text(step, table)}，共{_step_text(tol, table)}）",
                location,
                severity=Severity.INFO,
                expected=expected,
                actual=actual,
                difference=diff,
                related=related,
                note="rounding",
            )
        return self.report(
            f"{what}：应为{fmt(expected)}，实为{fmt(actual)}，相差{_step_text(abs(diff), table)}，超出尾数误差（{_step_text(tol, table)}）",
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
        if actual + tolerance(parts, self._step(location, related)[0]) >= minimum:
            return None
        return self.report(
            message(), location, severity=severity, expected=f"≥ {fmt(minimum)}", actual=actual,
            difference=actual - minimum, related=related,
        )


_REPEATED = "（同一位置的相同问题共"


def _repeat(first: Finding, where: Location) -> Finding:
    """`first` met again at `where` (a row printed more than once): counted, not listed twice."""
    first.repeats += 1
    if len(first.related) < RELATED_MAX:
        first.related.append(where)
    else:
        first.related_more += 1
    base = first.message.split(_REPEATED, 1)[0]
    first.message = f"{base}{_REPEATED}{first.repeats}处：此行在表中重复印出，其余各处见相关位置）"
    return first


# --------------------------------------------------------------------------- running
@record
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
    cap = limit("findings")
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
        if rule_.id == RULE_FAILED:  # reported by the engine below, never run itself
            continue
        ctx = Context(doc, rule_, shared)
        try:
            rule_.func(ctx)
        except Exception as exc:  # a rule bug must not hide the other findings, nor itself
            if __debug__ and _debugging():
                import traceback

                traceback.print_exc()
            findings.extend(ctx.findings)
            findings.append(_rule_failed(rule_, exc))
            continue
        ran.append(rule_.id)
        findings.extend(_capped(rule_, ctx.findings, cap))
    findings.sort(key=lambda f: (f.severity.rank, list(CATEGORIES).index(f.category), f.location.line or 0, f.location.page or 0, f.rule))
    return CheckResult(doc, findings, skipped, ran)


def _capped(rule_: Rule, found: list[Finding], cap: int) -> list[Finding]:
    """At most `cap` findings of one rule, the most severe first, and one more that counts the rest."""
    if len(found) <= cap:
        return found
    found = sorted(found, key=lambda f: f.severity.rank)  # stable: the rule's order within a severity
    kept, rest = found[:cap], found[cap:]
    worst = min((f.severity for f in rest), key=lambda s: s.rank)
    counts = "、".join(f"{s.label}{n}项" for s in Severity if (n := sum(1 for f in rest if f.severity is s)))
    kept.append(Finding(
        rule=rule_.id, severity=worst, category=rule_.category,
        message=f"另有{len(rest)}项同类问题未逐项列出（{counts}；每条规则最多列出{cap}项，可用 --limit findings=N 提高）",
        note="capped",
    ))
    return kept


RULE_FAILED = "E01"


def _rule_failed_doc(ctx: Context) -> None:
    """A rule stopped with an internal error, so its checks on this report did not run
    (reported by the engine for the rule that failed; the report is not clean)."""


REGISTRY[RULE_FAILED] = Rule(
    RULE_FAILED, "execution", Severity.ERROR, "规则执行失败",
    "一条规则在本报告上执行出错，其检查未完成；报告不能视为已通过该项检查。请保留输入文件并报告此问题。",
    "gongkai 自身", (), _rule_failed_doc,
)


def _rule_failed(rule_: Rule, exc: Exception) -> Finding:
    from ..textsafe import one_line

    detail = one_line(f"{exc.__class__.__name__}: {exc}")[:300]
    return Finding(
        rule=RULE_FAILED, severity=Severity.ERROR, category="execution",
        message=f"规则{rule_.id}（{rule_.title}）执行出错，本项检查未完成：{detail}",
        location=Location(section=f"规则{rule_.id}"), note="rule-failed",
    )


def _debugging() -> bool:
    import os

    return bool(os.environ.get("GONGKAI_DEBUG"))
