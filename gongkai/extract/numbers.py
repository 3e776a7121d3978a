"""Amounts as printed → Decimal, tolerant of conversion noise.

"7983. 87" (space inside), "2,384.38" and "1, 000" (thousands separators),
"2.119.60" (a period used as thousands separator), "314, 63" (comma as decimal
point), "——" (not applicable), "#DIV/0!" (spreadsheet error), "100.00%".
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from ..limits import limit
from ..model.table import CellStatus
from ..patterns import lazy_compile
from ..records import record

_DASHES = set("—–-－_―─~～")
_SPREADSHEET_ERRORS = ("#DIV/0!", "#VALUE!", "#N/A", "#REF!", "#NAME?", "#NUM!", "#NULL!")
_NUMERIC = lazy_compile(r"^[+\-−]?[\d.,]*\d[\d.,]*$")
_WS = lazy_compile(r"[\s\u00a0\u3000]+")


@record(frozen=True)
class Parsed:
    value: Decimal | None
    status: CellStatus
    percent: bool = False


EMPTY = Parsed(None, CellStatus.EMPTY)


_TEXT = Parsed(None, CellStatus.TEXT)
_NA = Parsed(None, CellStatus.NA)
_ERROR = Parsed(None, CellStatus.ERROR)


def parse_number(raw: str | None) -> Parsed:
    if not raw:
        return EMPTY
    return _parse_number(raw)


@lru_cache(maxsize=65536)
def _parse_number(raw: str) -> Parsed:
    text = _WS.sub("", unicodedata.normalize("NFKC", raw))
    if not text:
        return EMPTY
    if all(ch in _DASHES for ch in text):
        return _NA
    upper = text.upper()
    if any(upper.startswith(err) for err in _SPREADSHEET_ERRORS):
        return _ERROR
    percent = text.endswith("%")
    if percent:
        text = text[:-1]
    text = text.replace("−", "-")
    if not _NUMERIC.match(text):
        return _TEXT
    value = _resolve_separators(text)
    if value is None:
        return _TEXT
    return Parsed(value, CellStatus.VALUE, percent)


def _resolve_separators(text: str) -> Decimal | None:
    sign = ""
    if text[0] in "+-":
        sign, text = ("-" if text[0] == "-" else ""), text[1:]
    if not text or text[0] in ".,":
        text = "0" + text
    if text[-1] in ".,":
        text = text[:-1]
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        if text.rfind(".") > text.rfind(","):
            text = text.replace(",", "")
        else:  # 1.234,56 (European)
            text = text.replace(".", "").replace(",", ".")
    elif commas:
        groups = text.split(",")
        if all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3:
            text = text.replace(",", "")
        elif commas == 1 and 1 <= len(groups[1]) <= 2:
            text = text.replace(",", ".")  # "314,63": a comma used as decimal point
        elif all(len(g) == 3 for g in groups[1:]):
            text = text.replace(",", "")
        else:
            return None
    elif dots > 1:
        groups = text.split(".")
        if all(len(g) == 3 for g in groups[1:-1]):
            text = "".join(groups[:-1]) + "." + groups[-1]  # "2.119.60"
        else:
            return None
    try:
        value = Decimal(sign + text)
    except InvalidOperation:
        return None
    # A 30-digit "amount" is no amount (and would overflow the 28-digit arithmetic of the
    # checks): beyond the limit the cell is read as text, like any other non-number.
    if value.adjusted() >= limit("amount-digits") or len(value.as_tuple().digits) > _MAX_SIGNIFICANT:
        return None
    return value


_MAX_SIGNIFICANT = 24  # with at most 16 integer digits: 8 decimals, and sums stay within 28 digits


UNIT_SCALE = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}
"""Factor from a printed amount unit to 万元, the model's unit."""


def half_unit(decimals: int) -> Decimal:
    """Half of the last printed digit: how far a figure printed with `decimals` decimals
    may be from the value it was rounded from (2 → 0.005)."""
    return Decimal(5) / (Decimal(10) ** (decimals + 1))


def split_numbers(cell: str) -> list[str]:
    """A cell holding several numbers separated by spaces ("1,000 1,000") → its parts."""
    parts = cell.split()
    if len(parts) > 1 and all(parse_number(p).status is CellStatus.VALUE for p in parts):
        # "7983. 87" is one number with a stray space, not two.
        joined = parse_number(cell)
        if joined.status is CellStatus.VALUE and len(parts) == 2 and (parts[0].endswith((".", ",")) or len(parts[1]) <= 2):
            return [cell]
        return parts
    return [cell]
