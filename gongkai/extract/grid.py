"""Grid rows of one table, and the header analysis every layout shares."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from itertools import combinations

from rapidfuzz import fuzz

from ..model.provenance import Provenance
from ..model.table import Cell, CellStatus
from ..profiles import ColumnSpec
from .numbers import parse_number
from .textnorm import compact, key
from ..patterns import lazy_compile
from ..records import record

_INDEX_WORDS = {"栏次", "档次", "栏号", "行次栏次"}
_CODE = lazy_compile(r"^\d{3}(?:\d{2}){0,2}$")
_SMALL_NUMBER = lazy_compile(r"\d{1,2}")


@record
class GRow:
    cells: list[str]
    prov: Provenance
    cell_provs: list[Provenance] | None
    segment: int  # index of the grid block (page piece) the row came from

    def cprov(self, index: int) -> Provenance:
        if self.cell_provs and 0 <= index < len(self.cell_provs):
            return self.cell_provs[index]
        return self.prov

    def get(self, index: int) -> str:
        return self.cells[index] if 0 <= index < len(self.cells) else ""

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c]


def is_number(text: str) -> bool:
    return parse_number(text).status is CellStatus.VALUE


def last_filled(cells: list[str]) -> int:
    """Index of the last non-blank cell, -1 when there is none."""
    for i in range(len(cells) - 1, -1, -1):
        if cells[i].strip():
            return i
    return -1


def has_number(cells: list[str]) -> bool:
    """Any cell holds a number."""
    for c in cells:
        if c and parse_number(c).status is CellStatus.VALUE:
            return True
    return False


def is_index_row(cells: list[str]) -> bool:
    """A 栏次 row ("栏次 1 2 3 …") or a bare column-numbering row ("1 2 3 … 7")."""
    filled = [compact(c) for c in cells if c.strip()]
    if not filled:
        return False
    if any(c in _INDEX_WORDS for c in filled):
        rest = [c for c in filled if c not in _INDEX_WORDS]
        return all(_SMALL_NUMBER.fullmatch(c) for c in rest)
    if len(filled) >= 3 and all(_SMALL_NUMBER.fullmatch(c) for c in filled):
        numbers = [int(c) for c in filled]
        return numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] <= 2
    return False


def is_code(text: str) -> bool:
    return bool(_CODE.match(text))


def header_paths(rows: list[list[str]], width: int) -> list[list[str]]:
    """Per position, the header labels from top to bottom (spans filled rightwards)."""
    rows = [r for r in rows if not is_index_row(r)]
    paths: list[list[str]] = [[] for _ in range(width)]
    for r_index, row in enumerate(rows):
        last_row = r_index == len(rows) - 1
        current = ""
        for p in range(width):
            text = compact(row[p]) if p < len(row) else ""
            if text:
                current = text
            elif not last_row and current and _below_has_label(rows, r_index, p):
                text = current  # a merged cell spanning to the right
            else:
                current = "" if last_row else current
            if text and (not paths[p] or paths[p][-1] != text):
                paths[p].append(text)
    return paths


def _below_has_label(rows: list[list[str]], r_index: int, p: int) -> bool:
    return any(p < len(r) and r[p].strip() for r in rows[r_index + 1 :])


@lru_cache(maxsize=16384)
def similarity(printed: str, spec: ColumnSpec, year: int | None) -> float:
    if not printed:
        return 0.0
    pk = key(printed)
    best = 0.0
    for candidate in spec.all_labels(year):
        ck = key(candidate)
        leaf = ck.rsplit(".", 1)[-1]
        for target in (ck, leaf):
            if pk == target or pk.endswith("." + target):
                return 100.0
            best = max(best, fuzz.ratio(pk.rsplit(".", 1)[-1], leaf), fuzz.ratio(pk, target))
    return best


@record
class ColumnMap:
    specs: list[ColumnSpec | None]  # per value position
    uncertain: bool = False
    note: str | None = None
    reordered: bool = False  # read by name in an order other than the template's

    @property
    def worth_a_warning(self) -> bool:
        return bool(self.note) and (self.uncertain or self.reordered)


def _named_order(printed: list[str], specs: tuple[ColumnSpec, ...], year: int | None) -> list[ColumnSpec] | None:
    """The template's columns in the printed order, when every printed label is exactly
    the label (or an alias) of one of them, the whole label and not only its last part
    (本年收入.单位资金 is not 上年结转's 单位资金), and that order is not the template's;
    else None."""
    if not all(printed):
        return None
    named = []
    for p in printed:
        pk = key(p)
        exact = [s for s in specs if any(key(label) == pk for label in s.all_labels(year))]
        if len(exact) != 1:
            return None
        named.append(exact[0])
    if len({id(s) for s in named}) != len(specs) or all(a is b for a, b in zip(named, specs)):
        return None
    return named


def map_columns(printed: list[str], specs: tuple[ColumnSpec, ...], year: int | None) -> ColumnMap:
    """Decide which template column each printed value position holds.

    Same count: the template's order wins (a header whose text is garbled or
    shifted by conversion is still placed by position), unless every printed label names
    one template column and together they name them all in another order. Different count: a
    monotone alignment by label similarity, so inserted or missing columns are found.
    """
    n, m = len(printed), len(specs)
    if n == m:
        named = _named_order(printed, specs, year)
        if named is not None:
            moved = "、".join(f"“{p}”" for p, s, t in zip(printed, named, specs) if s is not t)
            return ColumnMap(named, note=f"列的顺序与模板不同（{moved}），按列名读取", reordered=True)
        disagreements = []
        for i, (p, s) in enumerate(zip(printed, specs)):
            if not p:
                continue
            own = similarity(p, s, year)
            others = [(similarity(p, o, year), o) for o in specs if o is not s]
            best_other = max(others, key=lambda x: x[0], default=(0, None))
            if own < 50 and best_other[0] >= 95:
                disagreements.append(f"“{p}”")
        note = None
        if disagreements:
            note = "表头顺序与模板不一致（" + "、".join(disagreements) + "），按模板位置读取"
        return ColumnMap(list(specs), uncertain=bool(disagreements), note=note)
    scores = [[similarity(p, s, year) for s in specs] for p in printed]
    legible = sum(1 for row in scores if row and max(row) >= 80)
    if legible < min(n, m) / 2:
        mapped: list[ColumnSpec | None] = list(specs[:n]) + [None] * max(0, n - m)
        return ColumnMap(mapped, uncertain=True, note="表头无法辨认，且列数与模板不同，按位置读取")
    # Needleman–Wunsch style: maximise total similarity of a monotone matching.
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            options = (best[i - 1][j - 1] + scores[i - 1][j - 1] - 50, best[i - 1][j], best[i][j - 1])
            k = max(range(3), key=lambda x: options[x])
            best[i][j], move[i][j] = options[k], k
    mapped = [None] * n
    i, j = n, m
    while i > 0 and j > 0:
        if move[i][j] == 0:
            mapped[i - 1] = specs[j - 1]
            i, j = i - 1, j - 1
        elif move[i][j] == 1:
            i -= 1
        else:
            j -= 1
    return ColumnMap(mapped, uncertain=False, note=f"表头有{n}列数值、模板为{m}列，按列名对齐")


def make_cell(column: str, raw: str, prov: Provenance, scale: Decimal | None = None, unit: str = "万元") -> Cell:
    """A model cell from printed text; `scale` converts the printed unit to 万元."""
    parsed = parse_number(raw)
    value = parsed.value
    if value is not None and scale is not None:
        value = value * scale
    return Cell(column, raw, value, parsed.status, prov, unit)


def place_narrow_segment(
    slot_count: int,
    columns: list[str],
    rows: list[list[tuple[int, str]]],
    active: set[str] | None,
    identities: list[tuple[str, tuple[str, ...]]],
) -> tuple[list[str], bool]:
    """Map the value slots of a page piece with fewer columns than the table.

    Converters drop empty columns page by page. Among the monotone ways to put the
    slots into the table's columns, choose the one that puts no value into a column
    that is empty in the table's total row and keeps row totals true; prefer the
    left-aligned reading. Returns the mapping and whether it is certain.
    """
    m = len(columns)
    if slot_count >= m:
        return columns[:slot_count], True
    used = sorted({s for row in rows for s, raw in row if s < slot_count and is_number(raw)})
    scored: list[tuple[float, tuple[int, ...]]] = []
    for combo in combinations(range(m), slot_count):
        penalty = 0.0
        for row in rows:
            placed = {columns[combo[s]]: raw for s, raw in row if s < slot_count}
            if active is not None:
                penalty += 10 * sum(1 for col, raw in placed.items() if raw and col not in active and is_number(raw))
            for total, parts in identities:
                if total in placed and is_number(placed[total]):
                    part_values = [parse_number(placed[p]).value for p in parts if p in placed and is_number(placed[p])]
                    diff = abs(parse_number(placed[total]).value - sum(part_values, Decimal(0)))
                    if part_values and diff > Decimal("0.05"):
                        penalty += 5
        penalty += 0.01 * sum(abs(c - s) for s, c in enumerate(combo))
        scored.append((penalty, combo))
    scored.sort()
    best = scored[0]
    plausible = [combo for penalty, combo in scored if penalty < 1]
    certain = bool(plausible) and all(tuple(c[s] for s in used) == tuple(best[1][s] for s in used) for c in plausible)
    return [columns[c] for c in best[1]], certain
