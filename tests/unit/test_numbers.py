from decimal import Decimal

import pytest

from gongkai.extract.numbers import parse_number, split_numbers
from gongkai.model.table import CellStatus


@pytest.mark.parametrize(
    "raw, value",
    [
        ("10176.60", "10176.60"),
        ("7983. 87", "7983.87"),  # a space inside the number (001 L142)
        ("2,384.38", "2384.38"),  # thousands separator
        ("1, 000", "1000"),  # thousands comma plus space (001 L882)
        ("314, 63", "314.63"),  # comma used as decimal point (001 L285)
        ("2.119.60", "2119.60"),  # period used as thousands separator (001 L591)
        ("4,830,486.45", "4830486.45"),
        ("0. 03", "0.03"),
        ("１２.５", "12.5"),  # full-width digits
        ("-3.20", "-3.20"),
        ("100.00%", "100.00"),
        (".5", "0.5"),
    ],
)
def test_amounts(raw, value):
    parsed = parse_number(raw)
    assert parsed.status is CellStatus.VALUE
    assert parsed.value == Decimal(value)
    assert str(parsed.value) == value


@pytest.mark.parametrize(
    "raw, status",
    [("", CellStatus.EMPTY), ("   ", CellStatus.EMPTY), ("——", CellStatus.NA), ("————", CellStatus.NA), ("-", CellStatus.NA),
     ("#DIV/0!", CellStatus.ERROR), ("#N/A", CellStatus.ERROR), ("#VALUE!", CellStatus.ERROR), ("#REF!", CellStatus.ERROR),
     ("—\u3000—", CellStatus.NA), ("－\xa0－", CellStatus.NA),
     ("达成预期指标", CellStatus.TEXT), ("≥90%", CellStatus.TEXT), ("12,3456", CellStatus.TEXT)],
)
def test_non_amounts(raw, status):
    parsed = parse_number(raw)
    assert parsed.status is status
    assert parsed.value is None


def test_percent_flag():
    assert parse_number("97.22%").percent
    assert not parse_number("97.22").percent


def test_split_numbers_keeps_a_number_with_a_stray_space():
    assert split_numbers("7983. 87") == ["7983. 87"]
    assert split_numbers("1,000 1,000") == ["1,000", "1,000"]
    assert split_numbers("82.5 82.5 82.5") == ["82.5", "82.5", "82.5"]
