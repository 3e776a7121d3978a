"""Appendix forms → structured records.

Forms are found by their first row (项目名称 / 转移支付(项目)名称 / 部门名称 …) and
read by labels and by the order of numbers, not by column position: converted forms
shift their cells freely. What cannot be read is recorded in `problems` so checks
can skip it rather than guess.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from itertools import combinations

from ..ingest.blocks import Block, GridRow
from ..model.forms import Amount, FundLine, Indicator, OverallTargetForm, PerformanceForm, TargetForm, TextField
from ..model.provenance import Provenance
from ..model.table import CellStatus, Grid
from .narrative import heading_of
from .numbers import UNIT_SCALE, parse_number, split_numbers
from .textnorm import compact, key
from ..patterns import lazy_compile

_L1 = {"产出指标": "产出指标", "效益指标": "效益指标", "满意度指标": "满意度指标", "满意指标": "满意度指标"}
_L2 = (
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益", "社会效益", "生态效益", "可持续影响",
    "服务对象满意度", "满意度", "社会效益指标", "经济效益指标", "生态效益指标", "可持续影响指标",
    "服务对象满意度指标", "经济成本指标", "社会成本指标", "生态环境成本指标",
)
_GRADES = {"优": "优", "良": "良", "中": "中", "差": "差", "优秀": "优", "良好": "良", "合格": "中", "不合格": "差"}


# ---------------------------------------------------------------------------- detection
def _row_key(row: GridRow) -> str:
    return key("".join(row.cells))


class _Rows(list):
    """A form's rows with their matching keys (see _row_key) computed once."""

    def __init__(self, rows: list[GridRow], keys: list[str] | None = None):
        super().__init__(rows)
        self.keys = keys if keys is not None else [_row_key(r) for r in rows]


def _start_kind(rows: list[GridRow], keys: list[str], i: int) -> str | None:
    if "名称" not in keys[i]:
        return None
    row = rows[i]
    cells = [key(c) for c in row.cells if c.strip()][:3]
    if not cells:
        return None
    head = "".join(cells[:2])
    if "转移支付" in head and "名称" in head:
        return "transfer"
    if any(re.search(r"^[a-z]{0,2}[项页]?目名称$|^项目名称[:：]?$", c) for c in cells[:2]):
        ahead = "".join(keys[i + 1 : i + 8])
        if "项目属性" in ahead or "实施期资金总额" in ahead or "项目期" in ahead:
            return "target"
        if "预算数" in ahead or "执行" in ahead or "主管部门" in ahead or "部门及" in ahead:
            return "self"
        return None
    if any(c.startswith("部门名称") for c in cells[:2]):
        ahead = "".join(keys[i : i + 6])
        if "内设职能部门数" in ahead or "所属预算单位数" in ahead:
            return "overall"
    return None


# ---------------------------------------------------------------------------- helpers
_OF_WHICH = lazy_compile(r"^其中[:：]")


@lru_cache(maxsize=4096)
def _source_label(cell: str) -> str:
    """"其中:中央财政资金:" → "中央财政资金"."""
    return _OF_WHICH.sub("", compact(cell)).rstrip(":：")

def _numbers(cells: list[str], provs: list[Provenance]) -> list[Amount]:
    out = []
    for cell, prov in zip(cells, provs):
        if not cell.strip():
            continue
        for part in split_numbers(cell):
            parsed = parse_number(part)
            if parsed.status is CellStatus.VALUE:
                out.append(Amount(parsed.value, part.strip(), prov))
    return out


def _amounts(row: GridRow, start: int = 0) -> list[Amount]:
    return _numbers(row.cells[start:], [row.cell_prov(i) for i in range(start, len(row.cells))])


def _texts(row: GridRow) -> list[str]:
    return [c for c in row.cells if c.strip() and parse_number(c).status is not CellStatus.VALUE]


def _find(rows: _Rows, *words: str, start: int = 0, stop: int | None = None) -> int | None:
    """The first row from `start` whose key holds all the words."""
    stop = min(len(rows) if stop is None else stop, len(rows))
    keys = rows.keys
    if len(words) == 1:  # the common case, without a generator per row
        word = words[0]
        for i in range(start, stop):
            if word in keys[i]:
                return i
        return None
    for i in range(start, stop):
        k = keys[i]
        if all(w in k for w in words):
            return i
    return None


@lru_cache(maxsize=64)
def _up_to_label(label_word: str) -> re.Pattern:
    return re.compile(r"^.*?" + re.escape(label_word) + r"[^:：]*[:：]?")


def _value_after(row: GridRow, label_word: str, until_word: str | None = None) -> str | None:
    cells = row.cells
    for i, c in enumerate(cells):
        if label_word in key(c):
            rest = []
            for c2 in cells[i + 1 :]:
                if until_word and until_word in key(c2):
                    break
                if c2.strip():
                    rest.append(c2)
            own = _up_to_label(label_word).sub("", compact(c))
            text = compact("".join(rest)) or own
            return text or None
    return None


def _yuan(a: Amount | None, unit: str) -> Amount | None:
    if a is None or unit != "元":
        return a
    return Amount(a.value * UNIT_SCALE["元"], a.raw, a.prov)


# ---------------------------------------------------------------------------- funds
def _fund_line(source: str, nums: list[Amount], prov: Provenance, problems: list[str]) -> FundLine:
    """Assign the numbers of a funds row to its seven columns.

    Converted rows gain, lose or split cells, so the numbers are read in order and,
    when there are more than seven, the reading that makes 结余 = 预算 − 执行 and
    执行率 = 执行 ÷ 预算 hold is chosen.
    """
    line = FundLine(source=source, prov=prov)
    nums = _merge_split_decimal(nums)
    n = len(nums)
    names = ("initial_target", "initial_budget", "annual_budget", "executed", "balance", "rate", "score")
    if n > 7:
        # the fit does not look at the first two columns, and ties go to the leftmost reading,
        # so those two are always the first two numbers
        readings = [(0, 1) + idx for idx in combinations(range(2, n), 5)]
        fit, best = max(((_fund_fit([nums[i] for i in idx]), idx) for idx in readings), key=lambda x: (x[0], [-i for i in x[1]]))
        chosen = [nums[i] for i in best]
        if fit < 4:
            problems.append(f"“{source}”行有{n}个数（应为7个），无法确定各列")
        for name, amount in zip(names, chosen):
            setattr(line, name, amount)
    elif n == 7:
        for name, amount in zip(names, nums):
            setattr(line, name, amount)
    elif n == 6:
        if nums[-1].value > 10:  # the last is the rate: the score is missing
            for name, amount in zip(names[:6], nums):
                setattr(line, name, amount)
        else:
            for name, amount in zip(names[1:], nums):
                setattr(line, name, amount)
    elif n == 5:
        for name, amount in zip(names[2:], nums):
            setattr(line, name, amount)
        problems.append(f"“{source}”行只有5个数")
    elif n:
        problems.append(f"“{source}”行只有{n}个数")
    return line


def _fund_fit(seven: list[Amount]) -> int:
    """How well seven numbers read as target, budget, annual, executed, balance, rate, score."""
    _, _, annual, executed, balance, rate, score = (a.value for a in seven)
    fit = 0
    if abs(annual - executed - balance) <= Decimal("0.011"):
        fit += 2
    if annual and abs(executed / annual * 100 - rate) <= Decimal("0.06"):
        fit += 2
    if abs(min(Decimal(10), rate / 10) - score) <= Decimal("0.011"):
        fit += 1
    return fit


def _merge_split_decimal(nums: list[Amount]) -> list[Amount]:
    """"51. 6" + "88" printed in two cells for 51.688: join when it reproduces a neighbour."""
    if len(nums) <= 7:
        return nums
    values = [a.value for a in nums]
    for i in range(len(nums) - 1):
        joined = parse_number(nums[i].raw + nums[i + 1].raw)
        if joined.value is not None and joined.value != values[i] and joined.value in values[:i] + values[i + 2 :]:
            return nums[:i] + [Amount(joined.value, nums[i].raw + nums[i + 1].raw, nums[i].prov)] + nums[i + 2 :]
    return nums


def _read_funds(form: PerformanceForm, rows: _Rows, start: int, stop: int) -> None:
    header = _find(rows, "预算数", start=start, stop=stop)
    if header is None:
        header = _find(rows, "执行", start=start, stop=stop)
    if header is None:
        form.problems.append("找不到资金执行情况表头")
        return
    first = True
    for i in range(header, stop):
        row = rows[i]
        k = rows.keys[i]
        if i > header and ("年度目标" in k or "绩效目标" in k or "实际完成" in k or "一级指标" in k):
            break
        nums = _amounts(row)
        if len(nums) < 3:
            continue
        texts = [compact(t) for t in _texts(row)]
        source = next((t for t in texts if "资金" in t or "合计" in t), texts[0] if texts else "")
        if first:
            source = "资金总额"
        form.funds.append(_fund_line(source.rstrip(":："), nums, row.prov, form.problems))
        first = False
    if not form.funds:
        form.problems.append("资金执行情况没有数值")


# ---------------------------------------------------------------------------- indicators
@lru_cache(maxsize=4096)
def _level1(text: str) -> str | None:
    k = key(text)
    for word, canon in _L1.items():
        if k == word or (k.startswith(word[:2]) and k.endswith("指标") and len(k) <= 6 and word[:2] in ("产出", "效益")):
            return canon
    if k in ("产出", "效益", "满意度"):
        return k + "指标"
    return None


@lru_cache(maxsize=4096)
def _level2(text: str) -> str | None:
    k = key(text)
    return text if k in _L2 or (k.endswith("指标") and len(k) <= 8 and any(k.startswith(w[:2]) for w in _L2)) else None


def _indicator(row: GridRow, l1: str | None, l2: str | None, scored: bool) -> tuple[Indicator | None, str | None, str | None]:
    cells = row.cells
    first = 1 if cells and "绩效指标" in key(cells[0]) else 0
    level3 = None
    rest_start = None
    row_l2 = False
    for i in range(first, len(cells)):
        c = cells[i]
        if not c or c.isspace():
            continue
        if not row_l2:
            lv1 = _level1(c)
            if lv1:
                l1 = lv1
                continue
            lv2 = _level2(c)
            if lv2:
                l2, row_l2 = compact(lv2), True
                continue
        if scored and parse_number(c).status is CellStatus.VALUE:
            rest_start = i  # no level-3 text: values only
            break
        level3 = compact(c)
        rest_start = i + 1
        break
    if rest_start is None:
        return None, l1, l2
    rest = cells[rest_start:]
    ind = Indicator(l1, l2, level3, prov=row.prov)
    if scored:
        numeric = [j for j, c in enumerate(rest) if c.strip() and parse_number(c).status is CellStatus.VALUE and not parse_number(c).percent]
        if len(numeric) >= 2:
            w, s = numeric[-2], numeric[-1]
            ind.weight = Amount(parse_number(rest[w]).value, rest[w].strip(), row.cell_prov(rest_start + w))
            ind.score = Amount(parse_number(rest[s]).value, rest[s].strip(), row.cell_prov(rest_start + s))
            values = [compact(c) for c in rest[:w] if c.strip()]
            after = [compact(c) for c in rest[s + 1 :] if c.strip()]
            ind.note = "".join(after) or None
        elif len(numeric) == 1:
            w = numeric[0]
            ind.weight = Amount(parse_number(rest[w]).value, rest[w].strip(), row.cell_prov(rest_start + w))
            values = [compact(c) for c in rest[:w] if c.strip()]
        else:
            values = [compact(c) for c in rest if c.strip()]
        ind.target, ind.adjusted_target, ind.actual = (values + [None, None, None])[:3]
    else:
        values = [compact(c) for c in rest if c and not c.isspace()]
        if values:
            ind.target = values[0]
            if len(values) > 1:
                ind.actual = values[1]
    return ind, l1, l2


def _read_indicators(rows: _Rows, start: int, stop: int, scored: bool) -> tuple[list[Indicator], int]:
    """Indicator rows from the 一级指标 header to the 总分 row (returned index)."""
    header = _find(rows, "一级指标", start=start, stop=stop)
    if header is None:
        header = _find(rows, "三级指标", start=start, stop=stop)
    if header is None:
        return [], stop
    out: list[Indicator] = []
    l1 = l2 = None
    keys = rows.keys
    i = header + 1
    while i < stop:
        row = rows[i]
        k = keys[i]
        if k.startswith("总分") or "项目绩效分析" in k or "自评结果分析" in k or k.startswith("说明") or "负责人" in k:
            break
        if "一级指标" in k or "三级指标" in k:
            i += 1
            continue
        ind, l1, l2 = _indicator(row, l1, l2, scored)
        if ind is not None and (ind.level3 or ind.weight):
            out.append(ind)
        i += 1
    return out, i


def _read_total(form: PerformanceForm, rows: _Rows, i: int, stop: int) -> int:
    if i >= stop or not rows.keys[i].startswith("总分"):
        return i
    row = rows[i]
    tokens: list[tuple[str, Provenance]] = []
    for j, c in enumerate(row.cells):
        if parse_number(c).status is CellStatus.VALUE:
            tokens.append((compact(c), row.cell_prov(j)))
            continue
        for t in c.split():
            tokens.append((t, row.cell_prov(j)))
    seen_label = False
    numbers: list[Amount] = []
    for t, prov in tokens:
        tk = compact(t)
        if not seen_label:
            if "总" in tk or "分" in tk:
                seen_label = tk.endswith("分") or seen_label or tk == "总分"
                rest = re.sub(r"^总?分", "", tk)
                if not rest:
                    continue
                tk = rest
            else:
                continue
        parsed = parse_number(tk)
        if parsed.status is CellStatus.VALUE:
            numbers.append(Amount(parsed.value, tk, prov))
        elif tk in _GRADES:
            form.grade = _GRADES[tk]
    nxt = i + 1
    if not numbers:  # 总分 / 92.5 / 优 printed on three lines
        for j in range(i + 1, min(i + 3, stop)):
            cells = [c for c in rows[j].cells if c.strip()]
            if len(cells) == 1:
                parsed = parse_number(cells[0])
                if parsed.status is CellStatus.VALUE and not numbers:
                    numbers.append(Amount(parsed.value, cells[0], rows[j].prov))
                    nxt = j + 1
                elif compact(cells[0]) in _GRADES:
                    form.grade = _GRADES[compact(cells[0])]
                    nxt = j + 1
    if numbers:
        form.total_score = numbers[-1]
    return nxt


def _read_analysis(rows: _Rows, start: int, stop: int) -> list[TextField]:
    out = []
    for i in range(start, stop):
        row = rows[i]
        texts = [(j, c) for j, c in enumerate(row.cells) if c.strip()]
        if not texts:
            continue
        longest = max(texts, key=lambda x: len(x[1]))
        labels = [compact(c) for j, c in texts if j < longest[0] and len(compact(c)) <= 24]
        label = next((lab for lab in reversed(labels) if lab not in ("项目绩效分析", "自评结果分析")), labels[-1] if labels else "")
        text = compact(longest[1]) if len(longest[1]) > 12 else " ".join(compact(c) for _, c in texts)
        out.append(TextField(label, text, row.cell_prov(longest[0])))
    return out


# ---------------------------------------------------------------------------- form readers
# "XX项目支出绩效自评表（2024年度）", "XX绩效目标表": the project, then the form.
_FORM_TITLE = lazy_compile(r"^(.*?)(?:项目)?(?:支出)?绩效(自评|目标)表(?:[（(]\d{4}年度?[)）])?$")


def _form_title(title: str | None) -> tuple[str, str | None] | None:
    """(form kind, project) when the text is a performance form's title."""
    m = _FORM_TITLE.match(compact(title or ""))
    if not m:
        return None
    return ("self_evaluation" if m.group(2) == "自评" else "target"), (m.group(1) or None)


def _project_from_title(title: str | None) -> str | None:
    parsed = _form_title(title)
    return parsed[1] if parsed else (compact(title) or None if title else None)


def read_self_evaluation(rows: _Rows, title: str | None) -> PerformanceForm:
    form = PerformanceForm(kind="self_evaluation", title=title, project=None, prov=rows[0].prov, end=rows[-1].prov)
    first = rows[0]
    label_index = next(i for i, c in enumerate(first.cells) if c.strip() and ("名称" in key(c)))
    name = compact("".join(c for c in first.cells[label_index + 1 :] if c.strip()))
    clean_label = key(first.cells[label_index]) == "项目名称"
    from_title = _project_from_title(title)
    form.project = name if (clean_label and name) or not from_title else from_title
    dept_row = _find(rows, "主管部门", stop=4) or _find(rows, "部门及", stop=4)
    if dept_row is not None:
        form.department = _value_after(rows[dept_row], "部门及", "预算单位") or _value_after(rows[dept_row], "主管部门", "预算单位")
        form.unit = _value_after(rows[dept_row], "预算单位")
        if not form.unit and dept_row + 1 < len(rows):
            filled = [c for c in rows[dept_row + 1].cells if c.strip()]
            if len(filled) == 1 and re.match(r"^\d{3,9}\s*[-—]", filled[0]):
                form.unit = compact(filled[0])
        if form.department and form.unit and form.unit in form.department:
            form.department = form.department.replace(form.unit, "")
    goal_row = _find(rows, "年度目标")
    ind_start = _find(rows, "一级指标") or _find(rows, "三级指标") or len(rows)
    _read_funds(form, rows, 0, goal_row if goal_row is not None else ind_start)
    if goal_row is not None:
        for j in range(goal_row, min(goal_row + 3, ind_start)):
            longs = [compact(c) for c in rows[j].cells if len(c.strip()) > 15]
            if longs:
                form.goal = longs[0]
                form.achievement = longs[1] if len(longs) > 1 else None
                break
    form.indicators, total_at = _read_indicators(rows, 0, len(rows), scored=True)
    after = _read_total(form, rows, total_at, len(rows))
    form.analysis = _read_analysis(rows, after, len(rows))
    if not form.indicators:
        form.problems.append("没有读到绩效指标")
    elif any(ind.score is None for ind in form.indicators):
        form.problems.append("部分指标缺少分值或得分")
    elif any(ind.level1 is None for ind in form.indicators):
        form.problems.append("一级指标名称无法识别")
    if form.total_score is None:
        form.problems.append("没有读到总分")
    return form


def read_transfer(rows: _Rows, title: str | None) -> PerformanceForm:
    form = PerformanceForm(kind="transfer_payment", title=title, project=None, prov=rows[0].prov, end=rows[-1].prov)
    form.project = _value_after(rows[0], "名称")
    r = _find(rows, "地方主管部门", stop=6)
    if r is not None:
        form.department = _value_after(rows[r], "地方主管部门", "资金使用单位")
        form.unit = _value_after(rows[r], "资金使用单位")
    start = _find(rows, "资金投入情况") or _find(rows, "全年预算数")
    if start is not None:
        for i in range(start, min(start + 10, len(rows))):
            k = rows.keys[i]
            if i > start and ("资金管理" in k or "总体目标" in k or "绩效指标" in k):
                break
            texts = [compact(t) for t in _texts(rows[i]) if not t.strip().startswith("#")]
            nums = _amounts(rows[i])
            label = next((t for t in texts if "资金" in t or "总额" in t), None)
            if label is None or ("全年预算数" in k):
                continue
            line = FundLine(source=re.sub(r"^其中[:：]", "", label).rstrip(":："), prov=rows[i].prov)
            if len(nums) >= 1:
                line.annual_budget = nums[0]
            if len(nums) >= 2:
                line.executed = nums[1]
            if len(nums) >= 3:
                line.rate = nums[2]
            form.funds.append(line)
    form.indicators, _ = _read_indicators(rows, 0, len(rows), scored=False)
    return form


def read_target(rows: _Rows, title: str | None) -> TargetForm:
    form = TargetForm(title=title, project=None, prov=rows[0].prov, end=rows[-1].prov)
    form.project = _value_after(rows[0], "名称")
    for word, attr, until in (("主管部门", "department", "实施单位"), ("实施单位", "implementing_unit", None), ("项目属性", "attribute", "项目期"), ("项目期", "period", None)):
        r = _find(rows, word, stop=8)
        if r is not None:
            setattr(form, attr, _value_after(rows[r], word, until))
    unit = "元" if _find(rows, "(元)", stop=8) is not None else "万元"  # keys fold （元） to (元)
    form.amount_unit = unit
    fstart = _find(rows, "资金总额", stop=12)
    fend = _find(rows, "项目概况") or (fstart + 6 if fstart is not None else None)
    if fstart is not None:
        for i in range(fstart, fend or fstart + 6):
            row = rows[i]
            pairs = []
            current = None
            for j, c in enumerate(row.cells):
                if not c.strip():
                    continue
                parsed = parse_number(c)
                if parsed.status is CellStatus.VALUE and current is not None:
                    pairs.append((current, Amount(parsed.value, c.strip(), row.cell_prov(j))))
                    current = None
                elif parsed.status is not CellStatus.VALUE:
                    current = _source_label(c)
            for n, (label, amount) in enumerate(pairs):
                amount = _yuan(amount, unit)
                implementation = n == 0 and len(pairs) > 1 or ("实施期" in label)
                if "实施期资金总额" in label:
                    form.implementation_total = amount
                elif "年度资金总额" in label:
                    form.annual_total = amount
                elif not implementation or len(pairs) == 1 and not form.annual_by_source.get(label):
                    form.annual_by_source[label] = amount
    for word in ("项目概况", "立项依据", "项目设立必要性", "保证项目实施的制度", "项目实施计划", "总体目标"):
        r = _find(rows, word)
        if r is not None:
            first_long = next((c for c in rows[r].cells if len(c) > 8 and len(c.strip()) > 8), None)
            if first_long:
                form.texts.append(TextField(word, compact(first_long), rows[r].prov))
    form.indicators, _ = _read_indicators(rows, 0, len(rows), scored=False)
    if form.annual_total is None:
        form.problems.append("没有读到年度资金总额")
    return form


def read_overall(rows: _Rows, title: str | None) -> OverallTargetForm:
    form = OverallTargetForm(title=title, prov=rows[0].prov, end=rows[-1].prov)
    form.department = _value_after(rows[0], "部门名称")
    for row in rows[:8]:
        cells = [c for c in row.cells if c.strip()]
        for j in range(len(cells) - 1):
            k = compact(cells[j])
            if k.endswith(("数", "人员数")) and re.match(r"^\d+\s*[个人]?$", compact(cells[j + 1])):
                form.facts[re.sub(r"^其中[:：]", "", k)] = compact(cells[j + 1])
    start = _find(rows, "按资金来源")
    if start is not None:
        for i in range(start + 1, min(start + 12, len(rows))):
            row = rows[i]
            k = rows.keys[i]
            if "核心职能" in k or "重点任务" in k or "绩效目标" in k:
                break
            current = None
            side = 0
            for j, c in enumerate(row.cells):
                if not c.strip():
                    continue
                parsed = parse_number(c)
                if parsed.status is CellStatus.VALUE and current:
                    target = form.funds_by_source if side == 0 else form.funds_by_use
                    target.setdefault(current, Amount(parsed.value, c.strip(), row.cell_prov(j)))
                    side += 1
                    current = None
                elif parsed.status is not CellStatus.VALUE:
                    label = re.sub(r"^其中[:：]", "", compact(c)).rstrip(":：")
                    if label in ("年度", "预算情况", "年度预算情况"):
                        continue
                    if label in ("基本支出", "项目支出") or (label == "合计" and side == 1):
                        side = max(side, 1)
                    current = label
    form.indicators, _ = _read_indicators(rows, 0, len(rows), scored=False)
    return form


# ---------------------------------------------------------------------------- driver
def is_form_title(text: str) -> bool:
    """A performance form's title: 项目支出绩效自评表, 绩效目标表, 整体支出绩效目标申报表 …"""
    t = compact(text)
    return "表" in t and ("绩效" in t or "申报" in t or "目标" in t)


def _title_before(blocks: list[Block], bi: int) -> tuple[int | None, str | None]:
    for j in range(bi - 1, max(-1, bi - 5), -1):
        b = blocks[j]
        if b.kind == "grid":
            break
        if is_form_title(b.text):
            return j, compact(b.text)
    return None, None


def _unreadable_forms(blocks: list[Block], skip: set[int], titles_used: set[int], used_blocks: set[int]) -> list[PerformanceForm | TargetForm]:
    """Form titles whose table did not survive conversion (e.g. "[illegible]")."""
    out = []
    for i, b in enumerate(blocks):
        if i in skip or i in titles_used or b.kind == "grid" or len(b.text) > 100:
            continue
        parsed = _form_title(b.text)
        if parsed is None:
            continue
        following = [j for j in range(i + 1, min(i + 5, len(blocks))) if blocks[j].kind == "grid"]
        if any(j in used_blocks for j in following):
            continue
        kind, project = parsed
        title = compact(b.text)
        if kind == "target":
            form = TargetForm(title=title, project=project, prov=b.prov, end=b.prov)
        else:
            form = PerformanceForm(kind="self_evaluation", title=title, project=project, prov=b.prov, end=b.prov)
        form.problems.append("表格内容无法识别（转换时丢失）")
        out.append(form)
    return out


def extract_forms(blocks: list[Block], skip: set[int], warn):
    rows: list[GridRow] = []
    where: list[int] = []
    for bi, b in enumerate(blocks):
        if bi in skip or b.kind != "grid":
            continue
        for r in b.rows:
            rows.append(r)
            where.append(bi)
    keys = [_row_key(r) for r in rows]
    starts: list[tuple[int, str]] = []
    for i in range(len(rows)):
        kind = _start_kind(rows, keys, i)
        if kind:
            starts.append((i, kind))
    perf: list[PerformanceForm] = []
    targets: list[TargetForm] = []
    overall: list[OverallTargetForm] = []
    used_blocks: set[int] = set()
    titles_used: set[int] = set()
    for n, (i, kind) in enumerate(starts):
        stop = starts[n + 1][0] if n + 1 < len(starts) else len(rows)
        stop = _form_end(blocks, rows, where, i, stop)
        part = _Rows(rows[i:stop], keys[i:stop])
        used_blocks.update(where[i:stop])
        title_index, title = _title_before(blocks, where[i])
        if title_index is not None:
            titles_used.add(title_index)
        try:
            if kind == "self":
                perf.append(read_self_evaluation(part, title))
            elif kind == "transfer":
                perf.append(read_transfer(part, title))
            elif kind == "target":
                form = read_target(part, title)
                previous = targets[-1] if targets else None
                if previous is not None and previous.project == form.project and n > 0 and starts[n - 1][1] == "target":
                    previous.indicators.extend(form.indicators)
                    previous.end = form.end
                    if previous.annual_total is None:
                        previous.annual_total = form.annual_total
                    continue
                targets.append(form)
            elif kind == "overall":
                overall.append(read_overall(part, title))
        except (ValueError, IndexError, StopIteration) as exc:  # a form too broken to read
            warn("form-unreadable", f"附件表格无法读取（{exc.__class__.__name__}）", rows[i].prov)
    for form in _unreadable_forms(blocks, skip, titles_used, used_blocks):
        (targets if isinstance(form, TargetForm) else perf).append(form)
    perf.sort(key=lambda f: (f.prov.page or 0, f.prov.line or 0))
    targets.sort(key=lambda f: (f.prov.page or 0, f.prov.line or 0))
    grids = _generic_grids(blocks, skip | used_blocks)
    return perf, targets, overall, grids, used_blocks


def _form_end(blocks: list[Block], rows: list[GridRow], where: list[int], i: int, stop: int) -> int:
    """Stop a form at a narrative heading between its grids (e.g. 十一、国有资产…)."""
    for j in range(i + 1, stop):
        if where[j] != where[j - 1]:
            for bi in range(where[j - 1] + 1, where[j]):
                b = blocks[bi]
                if b.kind != "grid":
                    h = heading_of(b)
                    if h is not None and h[0] <= 1 and "表" not in b.text:
                        return j
    return stop


def _generic_grids(blocks: list[Block], skip: set[int]) -> list[Grid]:
    """Other appendix tables, kept as printed."""
    out: list[Grid] = []
    for bi, b in enumerate(blocks):
        if bi in skip or b.kind != "grid" or len(b.rows) < 2:
            continue
        title = ""
        for j in range(bi - 1, max(-1, bi - 4), -1):
            if blocks[j].kind != "grid" and len(blocks[j].text) <= 60:
                title = compact(blocks[j].text)
                break
        out.append(Grid(f"grid-{len(out) + 1}", title, [r.cells for r in b.rows], [r.prov for r in b.rows], b.prov))
    return out
