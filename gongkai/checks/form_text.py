"""What the forms' own text states: cost formulas, itemised amounts, indicator quantities.

Performance forms explain their money in prose: "40*1500*3=20万元", "共计19万元",
"1.商务接待35万元；2.专家咨询费20万元…". These helpers read such statements so the
form rules can hold them against each other and against the form's funds block.
Arithmetic is exact (Decimal); a printed result may differ from its formula only by
the rounding of its last printed digit, in 元 or in 万元.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..extract.numbers import half_unit
from ..patterns import lazy_compile
from ..records import record

_EXPR_CHARS = "0123456789.+-*/×xX÷()（）"
_OPS = set("+*×xX÷/")
_RESULT = lazy_compile(r"[=＝]\s*(\d+(?:\.\d+)?)\s*(万元|元|万)?")
# "134万元(200*550*5+…)" and "(150*1380)20.7万元": an amount with its formula in brackets
_AMOUNT_THEN_FORMULA = lazy_compile(r"(\d+(?:\.\d+)?)\s*(万元|元|万)\s*[（(]([\d.+\-*/×xX÷ ()]+)[)）]")
_FORMULA_THEN_AMOUNT = lazy_compile(r"[（(]([\d.+\-*/×xX÷ ]+)[)）]\s*(\d+(?:\.\d+)?)\s*(万元|元|万)")


_OPERATION = lazy_compile(r"\d\s*[*×xX÷/+]\s*[\d(（]")


@record
class Formula:
    expression: str  # as printed
    value: Decimal  # the expression's value
    stated: Decimal  # the result as printed
    stated_raw: str
    unit: str  # 万元 | 元 | ""
    decimals: int
    start: int  # where the formula starts in the text
    explicit: bool  # "expr = result" (True) or an amount with a bracketed formula (False)

    def agrees(self) -> bool:
        """The result is the expression's value, rounded as printed, in 元 or in 万元."""
        half = half_unit(self.decimals)
        candidates = [self.stated]
        if self.unit in ("万元", "万"):
            candidates.append(self.stated * 10000)  # operands in 元, result in 万元
            half_yuan = half * 10000
        else:
            half_yuan = half
        if abs(self.value - candidates[0]) <= half:
            return True
        return len(candidates) > 1 and abs(self.value - candidates[1]) <= half_yuan

    @property
    def in_wan(self) -> Decimal:
        """The expression's value in the result's unit, for the message."""
        if self.unit in ("万元", "万") and abs(self.value - self.stated) > abs(self.value - self.stated * 10000):
            return self.value / 10000
        return self.value


class _Eval:
    """A tiny exact evaluator for + − × ÷ and brackets (no eval())."""

    def __init__(self, text: str):
        self.tokens = re.findall(r"\d+(?:\.\d+)?|[+\-*/()]", text)
        self.i = 0

    def parse(self) -> Decimal | None:
        try:
            value = self.expr()
        except (IndexError, InvalidOperation, ZeroDivisionError, ValueError):
            return None
        return value if self.i == len(self.tokens) else None

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def expr(self) -> Decimal:
        value = self.term()
        while self.peek() in ("+", "-"):
            op = self.take()
            value = value + self.term() if op == "+" else value - self.term()
        return value

    def term(self) -> Decimal:
        value = self.atom()
        while self.peek() in ("*", "/"):
            op = self.take()
            value = value * self.atom() if op == "*" else value / self.atom()
        return value

    def atom(self) -> Decimal:
        t = self.take()
        if t == "(":
            value = self.expr()
            if self.take() != ")":
                raise ValueError("unbalanced")
            return value
        if t in "+-*/)":
            raise ValueError("operand expected")
        return Decimal(t)


def evaluate(expression: str) -> Decimal | None:
    text = expression.translate(str.maketrans({"×": "*", "x": "*", "X": "*", "÷": "/", "（": "(", "）": ")"})).replace(" ", "")
    return _Eval(text).parse()


def _balanced(expr: str) -> str:
    """Drop brackets opened before the formula or closed after it: "（6610+100)*12" stays whole."""
    while expr and expr[0] == ")":
        expr = expr[1:]
    depth = 0
    for ch in expr:
        depth += ch == "("
        depth -= ch == ")"
    while depth > 0 and expr.startswith("(") and not expr.startswith("((") and expr.count("(") > expr.count(")"):
        expr = expr[1:]
        depth -= 1
    while depth < 0 and expr.endswith(")"):
        expr = expr[:-1]
        depth += 1
    return expr


def _decimals(raw: str) -> int:
    return len(raw.split(".", 1)[1]) if "." in raw else 0


def _is_formula(expr: str) -> bool:
    digits = re.findall(r"\d+(?:\.\d+)?", expr)
    return len(digits) >= 2 and any(ch in _OPS for ch in expr)


def formulas(text: str) -> list[Formula]:
    """The cost formulas a text states, with their values."""
    out: list[Formula] = []
    if not any(op in text for op in "*×xX÷/+") or not _OPERATION.search(text):
        return out
    norm = text.replace("（", "(").replace("）", ")")
    for m in _RESULT.finditer(norm):
        j = m.start()
        while j > 0 and norm[j - 1] in _EXPR_CHARS + " ":
            j -= 1
        expr = _balanced(norm[j : m.start()].strip())
        if not expr or not (expr[0].isdigit() or expr[0] == "(") or not _is_formula(expr):
            continue
        if norm[m.end() : m.end() + 1] in ("%", "％") or (m.group(2) is None and norm[m.end() : m.end() + 1].isdigit()):
            continue
        value = evaluate(expr)
        if value is None:
            continue
        raw = m.group(1)
        out.append(Formula(expr, value, Decimal(raw), raw + (m.group(2) or ""), m.group(2) or "", _decimals(raw), norm.find(expr, j), True))
    bracketed = "*" in norm or "×" in norm
    for m in _AMOUNT_THEN_FORMULA.finditer(norm) if bracketed else ():
        expr = m.group(3).strip()
        if "*" not in expr and "×" not in expr or not _is_formula(expr):
            continue
        value = evaluate(expr)
        if value is not None:
            out.append(Formula(expr, value, Decimal(m.group(1)), m.group(1) + m.group(2), m.group(2), _decimals(m.group(1)), m.start(), False))
    for m in _FORMULA_THEN_AMOUNT.finditer(norm) if bracketed else ():
        expr = m.group(1).strip()
        if "*" not in expr and "×" not in expr or not _is_formula(expr):
            continue
        value = evaluate(expr)
        if value is not None:
            out.append(Formula(expr, value, Decimal(m.group(2)), m.group(2) + m.group(3), m.group(3), _decimals(m.group(2)), m.start(), False))
    return out


# ---------------------------------------------------------------------------- itemised amounts
_WAN = r"(\d+(?:\.\d+)?)\s*(?:万元|万(?![\u4e00-\u9fff]))"
_WAN_AMOUNT = lazy_compile(_WAN)
_TOTAL = lazy_compile(r"(?:共计|合计|总计|总额|申请|预算为?|经费|费用)\s*(?:约|为|需)?[:：]?\s*" + _WAN)
# top-level items: "1." "1、" "1," "（1）" — arabic numerals counting up from 1
# digits first (the engine then skips ahead to digits quickly); the character before is checked in Python
_ITEM = lazy_compile(r"(\d{1,2})\s*[.、．,，](?!\d)")
_ITEM_MARKS = ("1.", "1、", "1,", "1，", "1．", "1 .", "1 、")


@record
class Itemised:
    total: Decimal | None  # the total stated before the list (共计/合计/申请 …)
    total_raw: str | None
    items: list[tuple[int, Decimal, str, Decimal]]  # (number, amount in 万元, as printed, all its amounts added)

    @property
    def sum(self) -> Decimal:
        """The items' amounts added (an item's amount is the first it states)."""
        return sum((a for _, a, _, _ in self.items), Decimal(0))

    @property
    def sum_every(self) -> Decimal:
        """Every amount of every item added: the reading when an item lists several costs."""
        return sum((e for _, _, _, e in self.items), Decimal(0))

    @property
    def decimals(self) -> int:
        return max((_decimals(raw.rstrip("万元")) for _, _, raw, _ in self.items), default=0)


def itemised(text: str) -> Itemised | None:
    """A numbered list of amounts ("1.…35万元；2.…20万元…") with the total stated before it.

    Only a list numbered 1, 2, 3 … where every item states an amount in 万元 counts; the
    amount of an item is the first one it states (later ones explain it: rates, formulas).
    Nested lists ("一、…其中：1.…") and texts with a second "1." are not read.
    """
    if "万" not in text or not any(mark in text for mark in _ITEM_MARKS):
        return None
    norm = text.replace("（", "(").replace("）", ")")
    marks = [m for m in _ITEM.finditer(norm) if m.start() == 0 or norm[m.start() - 1] not in "0123456789."]
    seq: list[re.Match] = []
    for m in marks:
        n = int(m.group(1))
        if n == len(seq) + 1:
            seq.append(m)
        elif n == 1 and seq:
            return None  # a second list: nested or restarted, not read
    if len(seq) < 2:
        return None
    if any(int(m.group(1)) > len(seq) + 1 for m in marks if m.start() > seq[-1].start()):
        return None  # a number skipped ("5." then "7."): the list cannot be read whole
    if re.search(r"[一二三四五六七八九十]、", norm[: seq[-1].start()]):
        return None  # 一、… 二、… headings around the numbers: the list is nested
    items = []
    for k, m in enumerate(seq):
        end = seq[k + 1].start() if k + 1 < len(seq) else len(norm)
        body = norm[m.end() : end]
        if k + 1 == len(seq):  # the last item ends at its sentence
            stop = re.search(r"[。;；]", body)
            body = body[: stop.start()] if stop else body
        amounts = list(_WAN_AMOUNT.finditer(body))
        if not amounts or re.match(r"0\d", amounts[0].group(1)):
            return None
        a = amounts[0]
        every = sum((Decimal(x.group(1)) for x in amounts), Decimal(0))
        items.append((int(m.group(1)), Decimal(a.group(1)), a.group(0), every))
    total = None
    total_raw = None
    head = norm[: seq[0].start()]
    tm = None
    for tm in _TOTAL.finditer(head):
        pass
    if tm is not None:
        total, total_raw = Decimal(tm.group(1)), tm.group(0)
    return Itemised(total, total_raw, items)


_LIST_START = lazy_compile(r"(?<![\d.])1\s*[.、．,，](?!\d)|[一二三四五六七八九十]、|[(（]1[)）]")


def stated_total(text: str) -> tuple[Decimal, str] | None:
    """The total a text states for the whole project before it lists anything
    ("列出2024年工作预算，共计231.9万元，主要包括：…"); with no list, its only 共计/合计."""
    if "万" not in text:
        return None
    norm = text.replace("（", "(").replace("）", ")")
    first_list = _LIST_START.search(norm)
    head = norm[: first_list.start()] if first_list else norm
    found = [m for m in _TOTAL.finditer(head)]
    if first_list and found:
        return Decimal(found[0].group(1)), found[0].group(0)
    totals = {Decimal(m.group(1)): m.group(0) for m in found if re.match(r"共计|合计|总计", m.group(0))}
    if len(totals) != 1:
        return None
    return next(iter(totals.items()))


class TextReadings:
    """formulas / itemised / stated_total of each text, read once per document run."""

    def __init__(self):
        self._cache: dict[tuple[str, str], object] = {}

    def _get(self, name: str, fn, text: str):
        k = (name, text)
        if k not in self._cache:
            self._cache[k] = fn(text)
        return self._cache[k]

    def formulas(self, text: str) -> list[Formula]:
        return self._get("formulas", formulas, text)

    def itemised(self, text: str) -> Itemised | None:
        return self._get("itemised", itemised, text)

    def stated_total(self, text: str) -> tuple[Decimal, str] | None:
        return self._get("stated_total", stated_total, text)


# ---------------------------------------------------------------------------- indicator quantities
_QUANTITY = lazy_compile(r"^(≥|>=|＞=|>|＞|≤|<=|＜=|<|＜|=|＝|-|—|－)?\s*(\d+(?:\.\d+)?)\s*(%|％|[\u4e00-\u9fff]{1,3})?$")
_OP = {"≥": ">=", ">=": ">=", "＞=": ">=", ">": ">", "＞": ">", "≤": "<=", "<=": "<=", "＜=": "<=", "<": "<", "＜": "<",
       "=": "=", "＝": "=", "-": "=", "—": "=", "－": "="}


@record(frozen=True)
class Quantity:
    op: str | None  # ">=", "<=", ">", "<", "=" or None (a bare number)
    value: Decimal
    unit: str


def quantity(text: str | None) -> Quantity | None:
    """"≥90%", "=12个", "-8人" (an = read as -), "700册" → (op, value, unit)."""
    if not text:
        return None
    m = _QUANTITY.match(text.strip().replace(" ", ""))
    if not m:
        return None
    unit = (m.group(3) or "").replace("％", "%")
    return Quantity(_OP.get(m.group(1)) if m.group(1) else None, Decimal(m.group(2)), unit)


def falls_short(target: Quantity, actual: Quantity, lower_is_better: bool = False) -> bool:
    """The actual value misses the target (same unit; direction from the target's sign).

    An "=" target is missed from below (from above for costs, `lower_is_better`):
    doing more than planned, or spending less, is not a shortfall."""
    if target.unit != actual.unit or target.op is None:
        return False
    if target.op == ">=":
        return actual.value < target.value
    if target.op == ">":
        return actual.value <= target.value
    if target.op == "<=":
        return actual.value > target.value
    if target.op == "<":
        return actual.value >= target.value
    return actual.value > target.value if lower_is_better else actual.value < target.value
