"""Variants of real reports: injected defects, and conversion-like noise.

Each defect variant records the line it changed; a checker "finds and locates" it
when some error or warning names that line (as its location or a related cell).
Noise variants must change nothing: same facts, the same errors and warnings.
Selections are deterministic (seeded) so failures reproduce.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal

from gongkai import catalog
from gongkai.checks.claims import narrative_claims
from gongkai.checks.narrative_map import resolve_amount, topic_of
from gongkai.ingest.text_reader import clean_cell
from gongkai.model.table import CellStatus


@dataclass
class Variant:
    kind: str
    description: str
    text: str
    line: int | None  # the changed line (None: the defect is an absence)
    expect_rules: tuple[str, ...] = ()  # when set, one of these rules must report it
    lines: set[int] | None = None  # all changed lines (a consistently shifted table)

    def located_by(self, finding) -> bool:
        wanted = self.lines or ({self.line} if self.line else set())
        places = {finding.location.line} | {r.line for r in finding.related}
        return bool(wanted & places)


SHIFT_RULES = ("X01", "X02", "X03", "X04", "X05", "X06", "X10", "X11", "X12", "X13", "X14", "N01", "N02")


def _replace_cell(lines: list[str], line_no: int, raw: str, new: str, every: bool = False) -> bool:
    """Replace the cell printed as `raw` on a line (all equal cells when `every`)."""
    cells = lines[line_no - 1].split("\t")
    hits = [i for i, c in enumerate(cells) if clean_cell(c) == raw]
    if not hits or (len(hits) > 1 and not every):
        return False
    for i in hits:
        cells[i] = cells[i].replace(raw.strip(), new) if raw.strip() in cells[i] else new
    lines[line_no - 1] = "\t".join(cells)
    return True


def _unique_cells(lines: list[str], items: list[tuple]) -> list[tuple]:
    """The (…, cell) items whose cell's printed value occurs once on its line (so _replace_cell can change it)."""
    counts: dict[int, dict[str, int]] = {}
    out = []
    for item in items:
        cell = item[-1]
        line_no = cell.prov.line
        if line_no not in counts:
            seen: dict[str, int] = {}
            for c in lines[line_no - 1].split("\t"):
                seen[clean_cell(c)] = seen.get(clean_cell(c), 0) + 1
            counts[line_no] = seen
        if counts[line_no].get(cell.raw) == 1:
            out.append(item)
    return out


def _table_span(table, lines: list[str]) -> tuple[int | None, int | None]:
    """First and last line of a table as printed: from its label (预算公开表N) or title to its
    last row or note. (table.end is where its last block starts, short of a multi-line grid.)"""
    start = table.prov.line
    if start:
        above = next((k for k in range(start - 1, max(start - 4, 0), -1) if lines[k - 1].strip()), None)
        if above is not None and re.fullmatch(r"预算公开表\s*\d+", lines[above - 1].strip()):
            start = above
    ends = [table.end.line, table.no_data_note.prov.line if table.no_data_note is not None else None]
    ends += [r.prov.line for r in table.rows] + [c.prov.line for r in table.rows for c in r.cells.values()]
    return start, max((x for x in ends if x), default=None)


def _bump(value: Decimal, rng: random.Random) -> Decimal:
    delta = Decimal(rng.choice([1, 2, 5, 10, 20, 50, 100])) + Decimal(rng.choice([0, 11, 37])) / 100
    return value + delta if rng.random() < 0.7 or value <= delta else value - delta


def _fmt(value: Decimal, like: str) -> str:
    decimals = len(like.split(".")[1].strip()) if "." in like else 0
    text = f"{value:.{decimals}f}"
    if "," in like and abs(value) >= 1000:
        text = f"{value:,.{decimals}f}"
    return text


def defect_variants(text: str, doc, seed: int = 7) -> list[Variant]:
    rng = random.Random(seed)
    lines = text.split("\n")
    out: list[Variant] = []

    def variant(kind, description, new_lines, line, rules=(), lines=None):
        out.append(Variant(kind, description, "\n".join(new_lines), line, tuple(rules), lines))

    # 1. a changed cell / 2. a changed total, in tables with row or column identities
    coded = [t for t in doc.tables if t.layout in ("coded", "two_sided", "labeled", "single_row") and t.has_data]
    cells = [(t, r, c) for t in coded for r in t.rows for c in r.cells.values() if c.status is CellStatus.VALUE and c.value and c.prov.line]
    cells = _unique_cells(lines, cells)  # a value printed twice on its line cannot be changed alone
    leaves = [x for x in cells if not x[1].is_total]
    totals = [x for x in cells if x[1].is_total]
    for pool, kind in ((leaves, "changed-cell"), (totals, "changed-total")):
        for table, row, cell in rng.sample(pool, min(4, len(pool))):
            new = _fmt(_bump(cell.value, rng), cell.raw)
            ls = list(lines)
            if _replace_cell(ls, cell.prov.line, cell.raw, new):
                variant(kind, f"{table.id} {row.label} {cell.column}: {cell.raw} → {new}", ls, cell.prov.line)
    # 3. a table shifted consistently: a class chain of the 一般公共预算 table, every column
    gpb = doc.table_by_role("gpb_expenditure") or doc.table_by_role("budget_gpb_expenditure")
    if gpb is not None:
        leaves7 = [r for r in gpb.rows if r.code and len(r.code) == 7 and any(c.value for c in r.cells.values())]
        if leaves7:
            leaf = rng.choice(leaves7)
            chain = [r for r in gpb.rows if r.code in (leaf.code[:3], leaf.code[:5], leaf.code)] + [gpb.total_row()]
            delta = Decimal(rng.choice([3, 8, 15])) + Decimal("0.25")
            ls = list(lines)
            part = "basic" if leaf.value("basic") else "project"
            ok = True
            for r in chain:
                if r is None:
                    continue
                for column in ("total", part):
                    c = r.cells.get(column)
                    if c is None or c.value is None or not c.prov.line:
                        ok = False
                        continue
                    # the total and the part printed alike on one line are both shifted
                    ok &= _replace_cell(ls, c.prov.line, c.raw, _fmt(c.value + delta, c.raw), every=column == "total")
                    if column == "total" and r.value(part) == c.value:
                        break
            if ok:
                variant("shifted-table", f"{gpb.id} {leaf.code} chain +{delta} ({part})", ls, leaf.prov.line, SHIFT_RULES, lines={r.prov.line for r in chain if r is not None})
    # 4/5. narrative amounts and percentages
    claims = narrative_claims(doc)
    amounts = []
    for c in claims:
        if c.kind in ("amount", "actual") and c.value > 0:
            target = resolve_amount(doc, topic_of(c.path), c.kind, c.subject)
            if target is not None and target.printed:
                amounts.append(c)
    pcts = [c for c in claims if c.kind in ("share", "change_pct", "completion") and c.value > 0]
    # a claim printed twice on its line cannot be changed alone
    amounts, pcts = ([c for c in pool if lines[c.prov.line - 1].count(c.raw) == 1] for pool in (amounts, pcts))
    for c, kind in [(x, "narrative-amount") for x in rng.sample(amounts, min(3, len(amounts)))] + [(x, "narrative-percent") for x in rng.sample(pcts, min(3, len(pcts)))]:
        line = c.prov.line
        number = c.raw[: -len(c.unit)] if c.raw.endswith(c.unit) else c.raw.rstrip("%％")
        new_value = c.value * (Decimal("1.5") if c.value < 10 else Decimal("1.2")) + Decimal("1")
        new = _fmt(new_value, number.replace(",", ""))
        ls = list(lines)
        if ls[line - 1].count(c.raw) == 1:
            ls[line - 1] = ls[line - 1].replace(c.raw, c.raw.replace(number, new), 1)
            variant(kind, f"“{c.phrase.strip()}” {number} → {new}", ls, line)
    # 6. a deleted table / 7. a deleted no-data note
    for table in rng.sample(doc.tables, min(2, len(doc.tables))):
        start, end = _table_span(table, lines)
        if start and end and end > start:
            ls = lines[: start - 1] + lines[end:]
            variant("deleted-table", f"{table.id} removed", ls, None, ("C01",))
    for table in doc.tables:
        if table.no_data_note is not None and table.no_data_note.prov.line:
            ls = list(lines)
            ls[table.no_data_note.prov.line - 1] = ""
            variant("deleted-note", f"{table.id} no-data note removed", ls, None, ("C03",))
            break
    # 8. a changed 三公 figure (table 09)
    tp = doc.table_by_role("three_public") or doc.table_by_role("budget_three_public")
    if tp is not None:
        vals = _unique_cells(lines, [(r, c) for r in tp.rows for c in r.cells.values() if c.value and c.prov.line])
        if vals:
            r, c = rng.choice(vals)
            new = _fmt(c.value + Decimal("1.5"), c.raw)
            ls = list(lines)
            if _replace_cell(ls, c.prov.line, c.raw, new):
                variant("three-public", f"{tp.id} {c.column}: {c.raw} → {new}", ls, c.prov.line)
    # 9. a performance form whose rate, score or grade no longer fits (readable forms only)
    forms = [f for f in doc.performance_forms if f.readable and f.kind == "self_evaluation" and f.total_funds and f.total_funds.rate and f.total_score]
    for form in rng.sample(forms, min(3, len(forms))):
        choice = rng.choice(["rate", "total", "grade"])
        ls = list(lines)
        if choice == "rate":
            amount = form.total_funds.rate
            new = _fmt(amount.value - Decimal("7.5") if amount.value > 50 else amount.value + Decimal("7.5"), amount.raw)
            done = _replace_cell(ls, amount.prov.line, amount.raw, new)
            line = amount.prov.line
        elif choice == "total":
            amount = form.total_score
            new = _fmt(amount.value - 6, amount.raw)
            done = _replace_cell(ls, amount.prov.line, amount.raw, new)
            line = amount.prov.line
        else:
            amount = form.total_score
            other = {"优": "良", "良": "优", "中": "良", "差": "中"}.get(form.grade or "", "中")
            line = amount.prov.line
            done = _replace_cell(ls, line, form.grade, other) if form.grade else False
        if done:
            variant("form", f"{form.project}: {choice}", ls, line, ("F01", "F03", "F06", "F07", "F04"))
    # 10. a code given another code's name
    functional = catalog.functional()
    coded_rows = [(t, r) for t in doc.tables if t.layout == "coded" for r in t.rows if r.code and len(r.code) == 7 and functional.name_matches(r.code, r.label)]
    if coded_rows:
        table, row = rng.choice(coded_rows)
        own = set(functional.names(row.code))
        others = [e for e in functional.entries if e.level == "项" and e.name not in own and e.code[:5] != row.code[:5] and (not doc.meta.year or not e.years or doc.meta.year in e.years)]
        other = rng.choice(others)
        ls = list(lines)
        cells = ls[row.prov.line - 1].split("\t")
        if len(cells) > 1:
            cells[1] = other.name
            ls[row.prov.line - 1] = "\t".join(cells)
            variant("code-name", f"{table.id} {row.code} named {other.name} ({other.code})", ls, row.prov.line, ("K01",))
    # 11. a wrong department or year in a table header
    headed = [t for t in doc.tables if t.department]
    if headed:
        table = rng.choice(headed)
        ls = list(lines)
        for i in range(table.prov.line - 1, min(table.prov.line + 12, len(ls))):
            if table.department in ls[i].replace(" ", ""):
                ls[i] = ls[i].replace(table.department[:2], "某某", 1) if table.department[:2] in ls[i] else ls[i]
                variant("header-department", f"{table.id} department", ls, i + 1, ("M01",))
                break
        ls = list(lines)
        year = str(doc.meta.year)
        for i in range(table.prov.line - 1, min(table.prov.line + 12, len(ls))):
            if re.search(year + r"\s*年度", ls[i]) and ("部门名称" in ls[i] or ls[i].strip().startswith(year)):
                ls[i] = ls[i].replace(year, str(doc.meta.year - 1), 1)
                variant("header-year", f"{table.id} year", ls, i + 1, ("M02",))
                break
    return out


# --------------------------------------------------------------------------- noise
_TO_HALF = {"，": ",", "：": ":", "（": "(", "）": ")", "；": ";"}
_PUNCT_SWAP = str.maketrans(_TO_HALF)
# the other way, for reports printed with half-width punctuation only; a comma or colon
# between digits is a thousands separator or a time and stays as it is
_TO_FULL = re.compile(r"(?<!\d),|,(?!\d)|(?<!\d):|:(?!\d)|[();]")
_FULL = {v: k for k, v in _TO_HALF.items()}


def _widen(line: str) -> str:
    return _TO_FULL.sub(lambda m: _FULL[m.group()], line)


def noise_variants(text: str, doc, seed: int = 11) -> list[tuple[str, str]]:
    """Conversion-like noise that must not change any fact or finding."""
    rng = random.Random(seed)
    lines = text.split("\n")
    out = []
    # spaces inside numbers of table cells
    ls = list(lines)
    cells = [c for t in doc.tables for r in t.rows for c in r.cells.values() if c.status is CellStatus.VALUE and c.prov.line and "." in c.raw]
    for c in rng.sample(cells, min(25, len(cells))):
        if " " not in c.raw:
            spaced = c.raw.replace(".", ". ", 1)
            _replace_cell(ls, c.prov.line, c.raw, spaced)
    out.append(("spaces-in-numbers", "\n".join(ls)))
    # blank lines inside tables
    ls = list(lines)
    grid_lines = [i for i, line in enumerate(ls) if "\t" in line and i + 1 < len(ls) and "\t" in ls[i + 1]]
    for i in sorted(rng.sample(grid_lines, min(6, len(grid_lines))), reverse=True):
        ls.insert(i + 1, "")
    out.append(("blank-lines-in-tables", "\n".join(ls)))
    # full-/half-width punctuation swapped in narrative and labels (whichever width the report uses)
    swap = (lambda line: line.translate(_PUNCT_SWAP)) if any(p in text for p in _TO_HALF) else _widen
    ls = [swap(line) if rng.random() < 0.6 else line for line in lines]
    out.append(("punctuation-width", "\n".join(ls)))
    # a row label wrapped into two cells' worth of text with a space
    ls = list(lines)
    labelled = [r for t in doc.tables if t.layout == "coded" for r in t.rows if r.code and len(r.label) >= 6 and r.prov.line]
    for r in rng.sample(labelled, min(8, len(labelled))):
        cells = ls[r.prov.line - 1].split("\t")
        if len(cells) > 1 and clean_cell(cells[1]).replace(" ", "") == r.label:
            name = cells[1].replace(" ", "")
            cut = len(name) // 2
            cells[1] = name[:cut] + " " + name[cut:]
            ls[r.prov.line - 1] = "\t".join(cells)
    out.append(("wrapped-labels", "\n".join(ls)))
    # a row label split over two cells of the same row (the row gains a cell)
    ls = list(lines)
    for t in doc.tables:
        if t.layout not in ("coded", "two_sided", "labeled"):
            continue
        candidates = [r for r in t.rows if len(r.label) >= 6 and r.prov.line and any(c.value for c in r.cells.values())]
        for r in rng.sample(candidates, min(2, len(candidates))):
            cells = ls[r.prov.line - 1].split("\t")
            hits = [i for i, c in enumerate(cells) if clean_cell(c).replace(" ", "") == r.label]
            if len(hits) == 1:
                i = hits[0]
                name = cells[i]
                cut = len(name) // 2
                cells[i:i + 1] = [name[:cut], name[cut:]]
                ls[r.prov.line - 1] = "\t".join(cells)
    out.append(("label-split-over-cells", "\n".join(ls)))
    return out
