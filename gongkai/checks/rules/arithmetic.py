"""Arithmetic inside one table: row totals, 类/款/项 hierarchy, 合计, declared identities."""

from __future__ import annotations

from decimal import Decimal

from ...profiles import get_profile
from ..cells import children_index, first_column, side_items
from ..engine import Context, fmt, rule

_CODED = ("coded",)


def _sum(rows, column) -> tuple[Decimal, int]:
    """Σ of the rows' printed values in `column`, and how many there were."""
    total, n = Decimal(0), 0
    for r in rows:
        cell = r.cells.get(column)
        if cell is not None and cell.value is not None:
            total += cell.value
            n += 1
    return total, n


def _check_sum(ctx: Context, table, total, parts, column, message, sums: dict | None = None) -> None:
    """total's cell in `column` equals the sum of the parts' cells; `message()` names the identity.

    `sums` remembers Σ per (parts list, column): a 类 printed twice shares its 款 list,
    which is then summed once (a table of repeated rows stays linear)."""
    if sums is None:
        expected, n = _sum(parts, column.id)
    else:
        key = (id(parts), column.id)
        if key not in sums:
            sums[key] = _sum(parts, column.id)
        expected, n = sums[key]
    actual = total.amount(column.id)
    if expected == actual:
        return
    ctx.compare(
        message(), expected, actual, ctx.cell_loc(table, total, column.id), parts=max(1, n),
        related=lambda: ctx.related_cells(table, parts, column.id, n),
    )


@rule(
    "A01", "arithmetic", "error",
    "行合计不等于各分项之和",
    "合计列等于其组成列之和，例如 本年收入合计 = 财政拨款收入 + 上级补助收入 + …；基本支出 + 项目支出 = 合计；“三公”合计 = 出国 + 用车小计 + 接待。",
    "部门决算报表表内平衡关系",
)
def row_totals(ctx: Context) -> None:
    """For every column declared as the total of other columns, each row's total equals Σ its parts."""
    for table in ctx.doc.tables:
        for col in table.columns:
            if not col.total_of:
                continue
            parts = [p for p in col.total_of if table.column(p) is not None]
            for row in table.rows:
                values = [v for v in (row.value(p) for p in parts) if v is not None]
                if row.value(col.id) is None and not any(values):
                    continue
                expected = sum(values, Decimal(0))
                actual = row.amount(col.id)
                if expected == actual:
                    continue
                related = lambda: [ctx.cell_loc(table, row, p) for p in parts if row.value(p) is not None]  # noqa: E731
                name = row.label or row.any_code
                ctx.compare(
                    f"{table.id}{'“' + name + '”' if name else ''}{col.label} ≠ {'+'.join(table.column(p).label for p in parts)}",
                    expected, actual, ctx.cell_loc(table, row, col.id), parts=max(1, len(values)), related=related,
                )


@rule(
    "A02", "arithmetic", "error",
    "类/款金额不等于下级科目之和",
    "功能分类科目逐级汇总：类 = Σ款，款 = Σ项。",
    "政府收支分类科目层级汇总关系",
)
def hierarchy(ctx: Context) -> None:
    """In coded tables every 类 equals the sum of its 款 and every 款 the sum of its 项 (per column)."""
    for table in ctx.doc.tables:
        if table.layout not in _CODED:
            continue
        by_parent = children_index(table)
        sums: dict = {}
        for parent in table.rows:
            if not parent.code or len(parent.code) >= 7:
                continue
            kids = by_parent.get((parent.code, parent.side))
            if not kids:
                continue
            level = "类" if len(parent.code) == 3 else "款"
            for col in table.columns:
                _check_sum(ctx, table, parent, kids, col, lambda: f"{table.id} {parent.code}{parent.label}（{level}）{col.label} ≠ 下级科目之和", sums)


@rule(
    "A03", "arithmetic", "error",
    "合计不等于各类之和",
    "表中“合计”行等于全部类级科目之和。",
    "部门决算报表表内平衡关系",
)
def table_total(ctx: Context) -> None:
    """In coded tables the 合计 row equals the sum of the 类 rows (per column)."""
    for table in ctx.doc.tables:
        if table.layout not in _CODED:
            continue
        total = table.total_row()
        classes = [r for r in table.rows if r.code and len(r.code) == 3]
        if total is None or not classes:
            continue
        for col in table.columns:
            _check_sum(ctx, table, total, classes, col, lambda: f"{table.id}合计行{col.label} ≠ 各类之和")


@rule(
    "A04", "arithmetic", "error",
    "总表中的合计、总计关系不成立",
    "收支总表：本年收入合计 = Σ各项收入；总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余；支出方同理；相关信息表：采购合计 = 货物 + 工程 + 服务，车辆合计 = Σ各类车辆；项目表：合计 = Σ各项目。",
    "部门决算/预算报表表内平衡关系（模板中声明的恒等式）",
)
def declared_identities(ctx: Context) -> None:
    """The row identities each template profile declares for its fixed-row tables hold in every column."""
    profile = get_profile(ctx.doc.meta.profile) if ctx.doc.meta.profile else None
    if profile is None:
        return
    for table in ctx.doc.tables:
        spec = profile.table(table.id)
        if spec is None:
            continue
        for ident in spec.identities:
            total = table.row_by_role(ident.total, ident.side)
            if total is None:
                continue
            parts = []
            for p in ident.parts:
                if p == "@items":
                    parts.extend(side_items(table, ident.side, total))
                else:
                    r = table.row_by_role(p, ident.side)
                    if r is not None:
                        parts.append(r)
            if not parts:
                continue  # this print of the template has no breakdown rows for the total
            columns = [c for c in table.columns if c.side == ident.side] if ident.side else table.columns
            names = "+".join(dict.fromkeys((r.label or r.key) for r in parts)) if len(parts) <= 4 else f"{len(parts)}项之和"
            for col in columns:
                _check_sum(ctx, table, total, parts, col, lambda: f"{table.id}“{total.label}”{col.label} ≠ {names}")


@rule(
    "A05", "arithmetic", "error",
    "收入总计不等于支出总计",
    "收支总表左右两方的总计必须相等。",
    "部门决算/预算收支总表平衡关系",
    requires=("summary|budget_summary",),
)
def balanced_totals(ctx: Context) -> None:
    """In every two-sided summary table (收支总表, 财政拨款收支总表) 收入总计 = 支出总计."""
    for table in ctx.doc.tables:
        if table.layout != "two_sided":
            continue
        sides = list(dict.fromkeys(r.side for r in table.rows if r.side))
        if len(sides) != 2:
            continue
        left = table.row_by_role("grand_total", sides[0])
        right = table.row_by_role("grand_total", sides[1])
        lc, rc = first_column(table, sides[0]), first_column(table, sides[1])
        if left is None or right is None or lc is None or rc is None:
            continue
        lv, rv = left.value(lc), right.value(rc)
        if lv is None and rv is None:
            continue
        ctx.compare(
            f"{table.id}收入总计 ≠ 支出总计", lv or Decimal(0), rv or Decimal(0), ctx.cell_loc(table, right, rc),
            related=[ctx.cell_loc(table, left, lc)],
        )


@rule(
    "A06", "arithmetic", "error",
    "经济分类金额汇总不成立",
    "经济分类类级科目 = Σ款级科目；人员经费合计 = 工资福利支出 + 对个人和家庭的补助；公用经费合计 = 其余各类之和（预算表：合计 = Σ类、类 = Σ款）。",
    "支出经济分类科目汇总关系",
    requires=("gpb_basic_by_economic|budget_gpb_basic_by_economic",),
)
def economic_sums(ctx: Context) -> None:
    """Economic tables: class = Σ items; 人员经费合计 / 公用经费合计 = Σ their classes."""
    for table in ctx.doc.tables:
        if table.layout == "economic_blocks":
            classes = [r for r in table.rows if r.code and len(r.code) == 3]
            by_parent = children_index(table)
            sums: dict = {}
            for parent in classes:
                kids = by_parent.get((parent.code, parent.side))
                col = next(iter(parent.cells), None)
                if not kids or col is None:
                    continue
                if (id(kids), col) not in sums:  # a class printed twice shares its items: summed once
                    sums[(id(kids), col)] = _sum(kids, col)
                expected, n = sums[(id(kids), col)]
                actual = parent.value(col) or Decimal(0)
                if n == 0 and actual == 0:
                    continue
                ctx.compare(
                    f"{table.id} {parent.code}{parent.label} ≠ 所属款级科目之和", expected, actual, ctx.cell_loc(table, parent, col),
                    parts=max(1, n), related=lambda: ctx.related_cells(table, kids, col, n),
                )
            for total in [r for r in table.rows if r.is_total]:
                col = next(iter(total.cells), None)
                members = [r for r in classes if col in r.cells]
                if col is None or not members:
                    continue
                expected, n = _sum(members, col)
                actual = total.value(col)
                if actual is None and expected == 0:
                    continue
                if actual is None:
                    ctx.report(
                        f"{table.id}“{total.label}”未填列，而各类合计为{fmt(expected)}", ctx.cell_loc(table, total, col),
                        severity="warning", expected=expected, actual="空白",
                    )
                    continue
                ctx.compare(
                    f"{table.id}“{total.label}” ≠ 各类之和", expected, actual, ctx.cell_loc(table, total, col), parts=max(1, n),
                    related=lambda: ctx.related_cells(table, members, col, n),
                )
        elif table.layout == "economic_named":
            total = table.total_row()
            classes = [r for r in table.rows if r.level == 1]
            for col in table.columns:
                if total is not None and classes:
                    expected, n = _sum(classes, col.id)
                    actual = total.value(col.id) or Decimal(0)
                    if n or actual:
                        ctx.compare(f"{table.id}合计行{col.label} ≠ 各类之和", expected, actual, ctx.cell_loc(table, total, col.id), parts=max(1, n))
                current = None
                items: list = []
                for r in table.rows + [None]:
                    if r is None or r.level == 1 or r.is_total:
                        if current is not None and items:
                            expected, n = _sum(items, col.id)
                            actual = current.value(col.id) or Decimal(0)
                            if n or actual:
                                ctx.compare(f"{table.id}“{current.label}”{col.label} ≠ 所属科目之和", expected, actual, ctx.cell_loc(table, current, col.id), parts=max(1, n))
                        current, items = (r if r is not None and r.level == 1 else None), []
                    elif current is not None:
                        items.append(r)


@rule(
    "A07", "arithmetic", "error",
    "年末结转和结余 ≠ 年初 + 收入 − 支出",
    "政府性基金、国有资本经营预算财政拨款收支表中，年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出。",
    "部门决算报表表内平衡关系",
    requires=("gov_fund|soe_capital",),
)
def carry_forward(ctx: Context) -> None:
    """Rows of tables with 年初/收入/支出/年末 columns satisfy 年末 = 年初 + 收入 − 支出."""
    for table in ctx.doc.tables:
        cols = {c.id for c in table.columns}
        spent = "exp_total" if "exp_total" in cols else ("total" if "total" in cols else None)
        if not {"opening", "income", "closing"} <= cols or spent is None:
            continue
        for row in table.rows:
            values = [row.value(c) for c in ("opening", "income", spent, "closing")]
            if all(v is None for v in values):
                continue
            opening, income, out, closing = (v or Decimal(0) for v in values)
            ctx.compare(
                f"{table.id}“{row.label}”年末结转和结余 ≠ 年初 + 收入 − 支出", opening + income - out, closing,
                ctx.cell_loc(table, row, "closing"), parts=3,
            )
