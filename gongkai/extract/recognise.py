"""Recognise a table by what it is, when no profile names it.

From the title's words and the header's semantics (类/款/项 codes, 收入/支出 sides,
基本支出/项目支出, 人员经费/公用经费, fund types) a table gets a role of the shared role
vocabulary (docs/profiles.md), a layout reader and canonical column ids — a TableSpec
built on the fly, so the layout readers and the role-based rules work unchanged on a
template no profile describes. A table that fits no role is still read (header-path
columns, row labels, codes) with role None.

Everything here is a handful of substring tests per title and header cell: cheap.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..ingest.blocks import Block
from ..profiles import ColumnSpec, IdentitySpec, RowSpec, SideSpec, TableSpec
from .grid import GRow, has_number, header_paths, is_index_row, is_number, last_filled
from .textnorm import compact, key, strip_ordinal, without_fund_names
from ..patterns import lazy_compile

# --------------------------------------------------------------------------- roles
# (role for 预算, role for 决算, words that must all be in the title, words none of which may be)
_ROLE_RULES: list[tuple[str | None, str | None, tuple[str, ...], tuple[str, ...]]] = [
    ("budget_three_public_running", None, ("三公", "机关运行"), ()),
    ("budget_three_public", "three_public", ("三公",), ()),
    ("budget_running_costs", None, ("机关运行经费",), ()),
    ("budget_fiscal_summary", "fiscal_summary", ("财政拨款", "收", "支", "总表"), ()),
    ("budget_summary", "summary", ("收", "支", "总表"), ("收入总表", "支出总表", "收入预算总表", "支出预算总表")),
    ("budget_gpb_basic_by_economic", "gpb_basic_by_economic", ("一般公共预算", "基本支出"), ()),
    # roles no rule uses yet: better named apart than taken for the 支出总表
    ("budget_basic_by_economic", "basic_by_economic", ("基本支出",), ("项目支出",)),
    ("budget_expenditure_by_economic", "expenditure_by_economic", ("经济分类",), ()),
    ("budget_procurement", "procurement", ("政府采购",), ()),
    ("budget_gov_fund_income", None, ("政府性基金", "收入"), ("支出",)),
    ("budget_gov_fund_expenditure", "gov_fund", ("政府性基金",), ()),
    ("budget_soe_expenditure", "soe_capital", ("国有资本经营", "支出"), ("收入",)),
    ("budget_soe", "soe_capital", ("国有资本经营",), ()),
    ("budget_gpb_expenditure", "gpb_expenditure", ("一般公共预算", "支出"), ()),
    ("budget_projects_current", None, ("项目支出",), ("上年结转",)),
    ("budget_projects_carryover", None, ("项目支出", "上年结转"), ()),
    (None, "related_info", ("相关信息",), ()),
    ("budget_fiscal_expenditure", "fiscal_expenditure", ("财政拨款", "支出"), ("收",)),
    ("budget_income", "income_by_function", ("收入",), ("支出",)),
    ("budget_expenditure", "expenditure_by_function", ("支出",), ("收入",)),
]
_STATISTICAL = ("表",)
_FORM_WORDS = ("绩效", "目标表", "自评")


def role_for(title: str, kind: str | None) -> str | None:
    """The role a title names, or None. `kind` is 预算 / 决算 (from the title, else the cover)."""
    t = key(title)
    kind_words = without_fund_names(t)  # "一般公共预算财政拨款支出表" names a fund, not the report's kind
    if "决算" in kind_words:
        kind = "决算"
    elif "预算" in kind_words:
        kind = "预算"
    for budget, final, need, avoid in _ROLE_RULES:
        if all(w in t for w in need) and not any(w in t for w in avoid):
            role = final if kind == "决算" else budget
            if role is not None:
                return role
    return None


# --------------------------------------------------------------------------- titles
_TITLE_END = lazy_compile(r"表(?:[（(][^（）()]{1,14}[）)])?$")
_CONTINUED = lazy_compile(r"[（(]?续表?[)）]?$")


def is_table_title(text: str) -> bool:
    t = _CONTINUED.sub("", compact(strip_ordinal(text)))
    return 4 <= len(t) <= 60 and bool(_TITLE_END.search(t)) and not any(w in t for w in _FORM_WORDS) and t not in ("附表", "目录")


# --------------------------------------------------------------------------- columns
# (id, words in the header label): the first rule whose word is in the label wins.
_COLUMN_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("index", ("序号", "栏次", "行次", "编号")),
    ("year", ("年度", "年份")),
    ("vehicle", ("公务用车购置及运行",)),
    ("vehicle_purchase", ("购置费", "公务用车购置")),
    ("vehicle_operation", ("运行维护费", "运行费")),
    ("outbound", ("因公出国",)),
    ("reception", ("公务接待",)),
    ("running_costs", ("机关运行经费",)),
    ("personnel", ("人员经费",)),
    ("public", ("公用经费",)),
    ("basic", ("基本支出",)),
    ("project", ("项目支出",)),
    ("special_account", ("财政专户",)),
    ("unit_funds", ("单位资金",)),
    ("superior_subsidy", ("上级补助",)),
    ("subsidy_affiliated", ("对附属单位补助",)),
    ("affiliated", ("附属单位上缴",)),
    ("remit_superior", ("上缴上级",)),
    ("gpb", ("一般公共预算",)),
    ("gf", ("政府性基金",)),
    ("soe", ("国有资本经营",)),
    ("fiscal", ("财政拨款",)),
    ("business", ("事业收入",)),
    ("operating", ("经营收入", "经营支出")),
    ("other", ("其他收入", "其他资金")),
    ("current", ("当年预算",)),
    ("carryover", ("上年结转", "上年财政拨款结转")),
    ("opening", ("年初结转",)),
    ("closing", ("年末结转", "年终结转")),
    ("change", ("增减",)),
    ("change_pct", ("增长", "幅度", "%")),
    ("prior", ("上年",)),
    ("income", ("本年收入",)),
]
_TOTAL_WORDS = ("合计", "小计", "总计")
_STAGE = {"预算数": "budget", "决算数": "actual", "全年预算数": "budget", "年初预算数": "budget"}
NOT_MONEY = frozenset({"index", "year", "change_pct"})
_NO_TOTAL_OF = NOT_MONEY | {"change", "prior"}


def _word_id(text: str) -> str | None:
    for cid, words in _COLUMN_WORDS:
        if any(w in text for w in words):
            return cid
    return None


def column_ids(paths: list[list[str]], fallback: str = "total") -> list[ColumnSpec]:
    """Canonical column specs for value positions given their header paths (top → bottom)."""
    ids: list[str] = []
    nodes: list[tuple[str, ...]] = []  # the header node each column stands for
    keyed = [[key(p) for p in path if p] for path in paths]
    root: list[str] = list(keyed[0]) if keyed else []
    for path in keyed[1:]:  # the header node above every column ("一般公共预算支出")
        while root and path[: len(root)] != root:
            root.pop()
    for n, path in enumerate(keyed):
        leaf = path[-1] if path else ""
        if leaf in _TOTAL_WORDS or leaf.endswith(_TOTAL_WORDS) and len(leaf) <= 6:
            node = tuple(path[:-1])
            parent = _word_id(path[-2]) if len(path) >= 2 and len(node) > len(root) else None
            cid = parent if parent and parent not in NOT_MONEY and parent not in ("income", "prior", "change") else "total"
        elif leaf in _STAGE and len(path) >= 2:
            # 预算数 / 决算数 under an item (决算 三公 table): budget_outbound, actual_total …
            node = tuple(path)
            above = path[-2]
            if above == "小计" and len(path) >= 3:
                item = _word_id(path[-3]) or "total"
            else:
                item = "total" if above in _TOTAL_WORDS else _word_id(above)
            cid = f"{_STAGE[leaf]}_{item}" if item else f"c{n + 1}"
            if cid in ids:  # a merged label spilled into the next column: the item above it
                other = next((f"{_STAGE[leaf]}_{i}" for i in map(_word_id, reversed(path[:-2])) if i and f"{_STAGE[leaf]}_{i}" not in ids), None)
                cid = other or cid
        elif len(path) >= 2 and len(leaf) <= 2 and "".join(path).endswith(_TOTAL_WORDS):
            node = tuple(path[:-1])  # a label wrapped inside its cell: "本年收入合.计"
            cid = "total"
        else:
            node = tuple(path)
            found = [i for i in map(_word_id, reversed(path)) if i]
            # the most specific word, unless an earlier column took it (a merged label spilled over)
            cid = next((i for i in found if i not in ids), found[0] if found else None)
            if cid is None:  # a label wrapped inside its cell: "其他收.入"
                cid = _word_id("".join(path))
            if cid is None:
                cid = fallback if n == 0 and fallback else f"c{n + 1}"
        base, k = cid, 2
        while cid in ids:
            cid = f"{base}_{k}"
            k += 1
        ids.append(cid)
        nodes.append(node)
    ids = _stages(ids, keyed)
    specs = []
    for n, (cid, path) in enumerate(zip(ids, paths)):
        label = ".".join(compact(p) for p in path if p) or cid
        total_of: tuple[str, ...] = ()
        leaf = key(path[-1]) if path else ""
        if leaf in _TOTAL_WORDS or (leaf.endswith(_TOTAL_WORDS) and len(leaf) <= 6):
            node = nodes[n]
            kids = [ids[j] for j in range(len(ids)) if j != n and len(nodes[j]) == len(node) + 1 and nodes[j][: len(node)] == node]
            if len(kids) >= 2 and not any(k in _NO_TOTAL_OF or re.fullmatch(r"c\d+", k) or k.split("_")[0] in _NO_TOTAL_OF for k in kids):
                total_of = tuple(kids)
        specs.append(ColumnSpec(cid, label, (), total_of))
    return specs


def _stages(ids: list[str], paths: list[list[str]]) -> list[str]:
    """The same items printed twice, under 预算数 and then 决算数 (a header the converter
    garbled): the first run is budget_…, the second actual_…."""
    twins = [i for i in ids if i.endswith("_2") and i[:-2] in ids]
    text = "".join("".join(p) for p in paths)
    if not twins or len(twins) * 2 != len(ids) or "决算" not in text or "预算" not in text:
        return ids
    return [f"actual_{i[:-2]}" if i in twins else f"budget_{i}" for i in ids]


def guard_columns(specs: list[ColumnSpec], data: list[GRow], vstart: int) -> list[ColumnSpec]:
    """A column of years or of a 1, 2, 3 … run is never money, whatever its header says."""
    out = []
    for i, s in enumerate(specs):
        values = [compact(r.get(vstart + i)) for r in data if r.get(vstart + i).strip()]
        if len(values) >= 2 and s.id not in NOT_MONEY:
            if all(re.fullmatch(r"(?:19|20)\d{2}年?", v) for v in values):
                s = ColumnSpec("year" if "year" not in [o.id for o in out] else f"year_{i}", s.label)
            elif all(v.isdigit() for v in values) and [int(v) for v in values] == list(range(int(values[0]), int(values[0]) + len(values))) and int(values[0]) <= 1:
                s = ColumnSpec("index" if "index" not in [o.id for o in out] else f"index_{i}", s.label)
        out.append(s)
    return out


# --------------------------------------------------------------------------- rows (two-sided tables)
_ROW_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("grand_total", ("收入总计", "支出总计", "总计")),
    ("income_total", ("本年收入合计", "收入合计")),
    ("expenditure_total", ("本年支出合计", "支出合计")),
    ("use_nonfiscal_balance", ("使用非财政拨款结余",)),
    ("opening_balance", ("年初结转", "年初财政拨款结转")),
    ("closing_balance", ("年末结转", "年末财政拨款结转")),
    ("year_end_carryover", ("年终结转", "结转下年")),
    ("surplus_distribution", ("结余分配",)),
    ("carryover", ("上年结转", "上年财政拨款结转")),
    ("special_account", ("财政专户",)),
    ("unit_funds", ("单位资金",)),
    ("superior_subsidy", ("上级补助",)),
    ("affiliated", ("附属单位上缴",)),
    ("gpb", ("一般公共预算",)),
    ("gf", ("政府性基金",)),
    ("soe", ("国有资本经营",)),
    ("fiscal", ("财政拨款",)),
    ("business", ("事业收入",)),
    ("operating", ("经营收入",)),
    ("other", ("其他收入",)),
]
_SUB_ORDINAL = lazy_compile(r"^\s*(?:\d{1,2}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）])")
_GROUPS = ("fiscal", "opening_balance", "closing_balance", "carryover", "year_end_carryover")
_FUNDS = ("gpb", "gf", "soe", "special_account", "unit_funds")
_TOTALS = ("grand_total", "income_total", "expenditure_total")


def _side_rows(labels: list[str], name: str, final: bool = False) -> tuple[tuple[RowSpec, ...], tuple[IdentitySpec, ...]]:
    """Row specs for one side's printed labels, and the identities the side's structure states.

    A fund row (一般公共预算 …) printed under a group row (财政拨款收入, 年初结转和结余 …)
    — numbered 1. / （一） or simply following it — is part of that group: group = Σ its
    rows. 本年收入合计 = Σ the rows above it; 总计 = 本年收入合计 + the rows between them,
    or, without a 合计 row, Σ the rows above it. Unnamed rows (功能分类 classes) are "@items".
    """
    specs: list[RowSpec] = []
    used: set[str] = set()
    level0: list[tuple[str, int]] = []  # (row id or "@items", position) of rows that are not part of a group
    groups: dict[str, list[str]] = {}
    group: str | None = None
    for pos, text in enumerate(labels):
        if not text.strip():
            continue
        lk = key(strip_ordinal(text))
        rid = next((r for r, words in _ROW_WORDS if any(w in lk for w in words)), None)
        if rid is None:
            group = None
            if not any(level0 and x == "@items" for x, _ in level0[-1:]):
                level0.append(("@items", pos))
            continue
        sub = group is not None and rid in _FUNDS and (_SUB_ORDINAL.match(text) or group != "fiscal" or rid in used)
        if sub:
            if group != "fiscal":
                rid = f"{group.split('_')[0]}_{rid}"
        elif final and rid in ("gpb", "gf", "soe"):
            rid = f"fiscal_{rid}"  # 决算 templates name them so (公开01/04)
        if rid in used:
            continue
        used.add(rid)
        specs.append(RowSpec(rid, (compact(text),), total=rid in _TOTALS))
        if sub:
            groups.setdefault(group, []).append(rid)
            continue
        group = rid if rid in _GROUPS else None
        level0.append((rid, pos))
    idents = [IdentitySpec(g, tuple(parts), name) for g, parts in groups.items() if len(parts) >= 2]
    ids = [x for x, _ in level0]
    for total in ("income_total", "expenditure_total"):
        if total in ids:
            before = ids[: ids.index(total)]
            if before == ["@items"] or (len(before) >= 2 and "@items" not in before and not any(b in _TOTALS for b in before)):
                idents.append(IdentitySpec(total, tuple(before), name))
            if "grand_total" in ids and ids.index("grand_total") > ids.index(total):
                between = ids[ids.index(total) + 1 : ids.index("grand_total")]
                if "@items" not in between:
                    idents.append(IdentitySpec("grand_total", (total, *between), name))
            break
    else:
        if "grand_total" in ids:
            before = ids[: ids.index("grand_total")]
            if before == ["@items"] or (len(before) >= 2 and "@items" not in before):
                idents.append(IdentitySpec("grand_total", tuple(before), name))
    return tuple(specs), tuple(idents)


# --------------------------------------------------------------------------- layout
_CODE = lazy_compile(r"^\d{3}(?:\d{2}){0,2}$")
_SPLIT2 = lazy_compile(r"^\d{1,2}$")


def _code_position(data: list[GRow]) -> tuple[int, int] | None:
    """(position, columns) of the codes when most data rows start with one: 201 | 05 | 01 or 2010501."""
    votes: dict[tuple[int, int], int] = {}
    for r in data:
        for p in range(min(3, len(r.cells))):
            c = compact(r.cells[p])
            if re.fullmatch(r"\d{3}", c) and _SPLIT2.fullmatch(compact(r.get(p + 1))):
                depth = 3 if _SPLIT2.fullmatch(compact(r.get(p + 2))) else 2
                votes[(p, depth)] = votes.get((p, depth), 0) + 2
                break
            if _CODE.match(c) or re.match(r"^\d{3}(?:\d{2}){0,2}\s*[\u4e00-\u9fff]", r.cells[p].strip()):
                votes[(p, 1)] = votes.get((p, 1), 0) + 1
                break
    if not votes:
        return None
    (p, depth), n = max(votes.items(), key=lambda kv: kv[1])
    if n < max(1, len(data) // 3):
        return None
    if depth > 1:  # a 类-only row "201 | | | 名称" has no 款 cell: take the deepest seen
        depth = max(d for (q, d) in votes if q == p)
    return p, depth


def _header_codes(header: list[GRow]) -> tuple[int, int] | None:
    """Code columns named by the header alone (an empty table): 类 | 款 (| 项) or 科目编码."""
    for r in header:
        cells = [key(c) for c in r.cells]
        if "类" in cells and "款" in cells:
            return cells.index("类"), 3 if "项" in cells else 2
    for r in header:
        for p, c in enumerate(key(c) for c in r.cells[:3]):
            if "编码" in c or "代码" in c:
                return p, 1
    return None


def _split_position(header: list[GRow], data: list[GRow]) -> int | None:
    """Where the right half of a two-sided table starts (its own 项目 / 支出 label column)."""
    for r in header:
        cells = [key(c) for c in r.cells]
        items = [i for i, c in enumerate(cells) if c in ("项目", "科目", "科目名称", "支出项目", "收入项目")]
        if len(items) >= 2 and items[1] >= 2:
            return items[1]
    for r in header:
        cells = [key(c) for c in r.cells]
        spend = [i for i, c in enumerate(cells) if i >= 2 and c.startswith(("本年支出", "支出", "财政拨款支出"))]
        income = [i for i, c in enumerate(cells) if c.startswith(("本年收入", "收入", "财政拨款收入"))]
        if spend and income and income[0] < spend[0]:
            return spend[0]
    return None


def _split(rows: list[GRow]) -> tuple[list[GRow], list[GRow]]:
    for i, r in enumerate(rows):
        if has_number(r.cells) and not is_index_row(r.cells) and not all(re.fullmatch(r"(?:19|20)\d{2}年?", compact(c)) for c in r.cells if c.strip() and is_number(c)):
            return rows[:i], rows[i:]
    return rows, []


def _paths(header: list[GRow], start: int, stop: int) -> list[list[str]]:
    width = max([len(r.cells) for r in header] + [stop])
    paths = header_paths([r.cells for r in header], width)
    return [paths[p] if p < len(paths) else [] for p in range(start, stop)]


def infer_spec(table_id: str, title: str, rows: list[GRow], kind: str | None, ordinal: int) -> TableSpec:
    """A TableSpec for a table no profile names: role, layout and columns read from its print."""
    spec = _infer_spec(table_id, title, rows, kind, ordinal)
    if spec.role and spec.columns and spec.layout != "economic_blocks":
        spec = replace(spec, columns=_borrow_totals(spec.role, spec.columns))
        proto = _prototype(spec.role, spec.layout)
        if proto is not None and spec.layout == "coded":
            if len(spec.columns) == 1 and len(proto.columns) == 1:  # one amount column: the role's name for it
                spec = replace(spec, columns=(ColumnSpec(proto.columns[0].id, spec.columns[0].label),))
            if proto.codes == "revenue":  # 收入分类 codes, not 支出功能分类
                spec = replace(spec, codes="revenue")
    return spec


def _borrow_totals(role: str, columns: tuple[ColumnSpec, ...]) -> tuple[ColumnSpec, ...]:
    """A column the header does not show as a 合计 of others gets the `total_of` a shipped
    profile declares for the same role and column id, when all its parts are printed."""
    from ..profiles import all_profiles

    declared: dict[str, tuple[str, ...]] = {}
    for p in all_profiles():
        for t in p.tables:
            if t.role == role:
                for c in t.all_columns():
                    if c.total_of:
                        declared.setdefault(c.id, c.total_of)
    ids = {c.id for c in columns}
    out = []
    for c in columns:
        parts = declared.get(c.id)
        if not c.total_of and parts and set(parts) <= ids:
            c = ColumnSpec(c.id, c.label, c.aliases, parts)
        out.append(c)
    return tuple(out)


def _infer_spec(table_id: str, title: str, rows: list[GRow], kind: str | None, ordinal: int) -> TableSpec:
    role = role_for(title, kind)
    header, data = _split(rows)
    width = max([last_filled(r.cells) + 1 for r in rows] + [1])
    codes = _code_position(data) if data else None
    if codes is None:
        codes = _header_codes(header)
    split = _split_position(header, data)
    fallback_left = "income"
    fallback_right = "expenditure" if (role or "").startswith(("summary", "fiscal_summary")) else "total"
    if split is not None and (codes is None or codes[0] != 0):
        lkeys = ["label"] + (["line_no"] if any(key(r.get(1)) == "行次" for r in header) else [])
        rkeys = ["label"] + (["line_no"] if any(key(r.get(split + 1)) == "行次" for r in header) else [])
        lpaths = _paths(header, len(lkeys), split)
        rpaths = _paths(header, split + len(rkeys), width)
        final = (role or "") in ("summary", "fiscal_summary")
        lrows, lid = _side_rows([r.get(0) for r in data], "收入", final)
        rrows, rid = _side_rows([r.get(split) for r in data], "支出", final)
        lcols, rcols = column_ids(lpaths, fallback_left), column_ids(rpaths, fallback_right)
        if len(lcols) == 1:  # one amount per side: the side's own name, as the role rules expect
            lcols = [ColumnSpec(fallback_left, lcols[0].label)]
        if len(rcols) == 1:
            rcols = [ColumnSpec(fallback_right, rcols[0].label)]
        left = SideSpec("收入", tuple(lkeys), tuple(lcols), lrows)
        right = SideSpec("支出", tuple(rkeys), tuple(rcols), rrows, class_rows=True)
        return TableSpec(table_id, role or "", ordinal, title, "two_sided", left=left, right=right, identities=lid + rid)
    blocks = _economic_blocks(header)
    if blocks >= 2:
        proto = _prototype(role, "economic_blocks", blocks)
        if proto is not None:
            return replace(proto, id=table_id, title=title, ordinal=ordinal, labels=())
    if _economic_named(header):
        proto = _prototype(role, "economic_named")
        if proto is not None:
            columns = tuple(column_ids(_paths(header, 2, max(width, 3))))
            return replace(proto, id=table_id, title=title, ordinal=ordinal, labels=(), columns=columns)
    if codes is not None:
        pos, depth = codes
        vstart = pos + depth + 1
        specs = guard_columns(column_ids(_paths(header, vstart, max(width, vstart + 1)), "total" if role else ""), data, vstart)
        economic = sum(1 for r in data if compact(r.get(pos))[:1] in ("3", "5")) > len(data) // 2
        return TableSpec(table_id, role or "", ordinal, title, "coded", columns=tuple(specs), codes="economic" if economic else "functional")
    labelled = [r for r in data if r.get(0).strip() and not is_number(r.get(0))]
    if len(data) == 1 and not labelled or (len(data) == 1 and len(header) >= 2):
        start = 1 if labelled else 0
        specs = guard_columns(column_ids(_paths(header, start, max(width, start + 1)), "total" if role else ""), data, start)
        return TableSpec(table_id, role or "", ordinal, title, "single_row", columns=tuple(specs))
    keys = ("label", "line_no") if any(key(r.get(1)) in ("行次", "栏次") for r in header) else ("label",)
    vstart = len(keys)
    specs = guard_columns(column_ids(_paths(header, vstart, max(width, vstart + 1)), "total" if role else ""), data, vstart)
    spec = TableSpec(table_id, role or "", ordinal, title, "labeled", columns=tuple(specs), keys=keys)
    proto = _prototype(role, "labeled")
    if proto is not None:  # the role's named rows (合计, 因公出国（境）费 …) and their identities
        spec = replace(spec, rows=proto.rows, sections=proto.sections, first_row_total=proto.first_row_total, identities=proto.identities)
        if len(specs) == 1 and len(proto.columns) == 1:  # one amount column: the role's own name for it
            spec = replace(spec, columns=(ColumnSpec(proto.columns[0].id, specs[0].label),))
    return spec


def _economic_blocks(header: list[GRow]) -> int:
    """How many (科目代码, 科目名称, 金额) blocks a header prints side by side."""
    best = 0
    for r in header:
        n = sum(1 for c in r.cells if any(w in key(c) for w in ("科目代码", "科目编码")))
        best = max(best, n)
    return best


def _economic_named(header: list[GRow]) -> bool:
    """Names only, two classifications side by side (部门预算经济科目名称 | 政府预算经济科目名称)."""
    return any(sum(1 for c in r.cells if "经济科目名称" in key(c) or "经济分类科目名称" in key(c)) >= 2 for r in header)


def _prototype(role: str | None, layout: str, blocks: int | None = None) -> TableSpec | None:
    """A shipped profile's table of this role and layout: the structure its reader needs."""
    if not role:
        return None
    from ..profiles import all_profiles

    found = None
    for p in all_profiles():
        for t in p.tables:
            if t.role == role and t.layout == layout:
                if blocks is None or len(t.blocks) == blocks:
                    return t
                found = found or t
    if found is not None and blocks is not None:
        return replace(found, blocks=(found.blocks[0],) + (found.blocks[-1],) * (blocks - 1))
    return found


def grid_rows(blocks: list[Block], grids: list[int]) -> list[GRow]:
    rows = []
    for seg, gi in enumerate(grids):
        for r in blocks[gi].rows:
            if any(c.strip() for c in r.cells):
                rows.append(GRow(list(r.cells), r.prov, r.cell_provs, seg))
    return rows


__all__ = ["NOT_MONEY", "column_ids", "grid_rows", "infer_spec", "is_table_title", "role_for"]


def recognise_spans(blocks: list[Block], known: list, anchors: list, parts: dict[int, int], toc_range, kind: str | None, need_role: bool = False) -> list:
    """Spans (with inferred specs) for the titled grids no profile table took
    (`need_role`: only those whose title names a role)."""
    from .locate import _TOC_TAIL, Anchor, build_spans, parse_label

    taken = {s.anchor.index for s in known} | {s.anchor.title_index for s in known if s.anchor.title_index is not None}
    for s in known:
        taken.update(range(s.start, s.end + 1))
    candidates: list = []
    # a title stands at most a few blocks before a grid (the unit and department lines between)
    near: set[int] = set()
    for g, b in enumerate(blocks):
        if b.kind == "grid" and g not in taken:
            near.update(range(max(0, g - 6), g))
    for i in sorted(near):
        b = blocks[i]
        if b.kind == "grid" or i in taken or (toc_range and toc_range[0] <= i < toc_range[1]):
            continue
        if len(b.text) > 60 or _TOC_TAIL.search(b.text):
            continue
        label = parse_label(b.text)
        if label:
            # a table number on its own line ("公开01表"): the title is the line just before it …
            prev = candidates[-1] if candidates else None
            if prev is not None and prev.label is None and i - prev.index <= 3 and not any(blocks[j].kind == "grid" for j in range(prev.index + 1, i)):
                prev.label, prev.label_ordinal = label
                continue
            # … or the next short line
            for j in range(i + 1, min(i + 4, len(blocks))):
                nb = blocks[j]
                if nb.kind == "grid":
                    break
                if is_table_title(nb.text) and not parse_label(nb.text):
                    candidates.append(Anchor(i, title=compact(strip_ordinal(nb.text)), title_index=j, label=label[0], label_ordinal=label[1]))
                    taken.add(j)
                    break
            else:
                candidates.append(Anchor(i, title=label[0], title_index=i, label=label[0], label_ordinal=label[1]))
            continue
        if i in taken or not is_table_title(b.text):
            continue
        candidates.append(Anchor(i, title=compact(strip_ordinal(b.text)), title_index=i))
    if not candidates:
        return []
    stops = sorted([*(s.anchor for s in known), *candidates], key=lambda a: a.index)
    new = {a.index for a in candidates}
    out = []
    for span in build_spans(blocks, stops, parts, toc_range):
        if span.anchor.index not in new or not span.grids or (need_role and role_for(span.anchor.title or "", kind) is None):
            continue
        rows = grid_rows(blocks, span.grids)
        if not any(has_number(r.cells) for r in rows) and not span.notes:
            continue
        span.spec = infer_spec("", span.anchor.title or "", rows, kind, 0)
        out.append(span)
    return out


def number_inferred(known: list, inferred: list) -> list:
    """All spans in document order; inferred tables get ids 表01 … and ordinals after the profile's."""
    from dataclasses import replace

    spans = sorted([*known, *inferred], key=lambda s: s.start)
    ordinal = max([s.spec.ordinal for s in known] + [0])
    n = 0
    mine = {id(s) for s in inferred}
    for s in spans:
        if id(s) in mine:
            n += 1
            s.spec = replace(s.spec, id=f"表{n:02d}", ordinal=ordinal + n)
    return spans
