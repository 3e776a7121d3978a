"""Cells for spreadsheets (xlsx, CSV) that show a report's text and never run it.

A spreadsheet evaluates a cell whose text starts with `=`, `+`, `-` or `@` as a formula
(`=cmd|' /C calc'!A0` starts a program through DDE, `=HYPERLINK(...)` leaks data), and
some strip a leading tab or carriage return first. Reports are written by others, so any
text cell — a department name, a row label, a raw cell — may carry one.

The rule applied here, after OWASP's CSV-injection guidance:

- A text is *dangerous* when, after leading whitespace (spaces, tab, CR, LF, no-break and
  ideographic spaces), it starts with `= + - @` or their full-width forms `＝ ＋ － ＠`
  (Excel with a Chinese IME turns those into formulas too), or when it starts with a tab
  or carriage return. A lone sign (`-`, a dash meaning zero) and a plain number (`-12.50`, `+3`, `1,234.5`, `-5%`) is not dangerous:
  it is a value, not a formula, and stays a number for whoever analyses the file.
- **xlsx**: every text is stored with the string data type (openpyxl would otherwise
  store a text starting with `=` as a formula) and dangerous ones also get Excel's quote
  prefix, so editing the cell keeps it text. The reader sees exactly the original text.
- **CSV**: a dangerous text is prefixed with an apostrophe `'` — the character spreadsheets
  themselves use to mean "this is text". Programs reading the CSV can strip a leading `'`
  (`unguard_csv`); numbers and ordinary text are never changed.
- Control characters that xlsx cannot store (openpyxl raises IllegalCharacterError on
  them) are escaped visibly (`\\x07`), and a text longer than a cell holds (32,767
  characters) is cut with a note.
"""

from __future__ import annotations


from ..textsafe import visible
from ..patterns import lazy_compile

_TRIGGERS = frozenset("=+-@＝＋－＠")
_LEADING_SPACE = " \t\r\n\u00a0\u3000"
_NUMBER = lazy_compile(r"[+\-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+\-]?\d+)?%?")
XLSX_CELL_LIMIT = 32767


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet could evaluate `text` as a formula."""
    if not text:
        return False
    if text[0] in "\t\r":
        return True
    stripped = text.lstrip(_LEADING_SPACE)
    if len(stripped.rstrip(_LEADING_SPACE)) <= 1 or stripped[0] not in _TRIGGERS:
        return False  # nothing to evaluate; a lone "-" (a dash for zero) stays as printed
    return not (_NUMBER.fullmatch(stripped) and any(ch.isdigit() for ch in stripped))


def csv_cell(value):
    """A value for a CSV cell: dangerous text gets a leading apostrophe, the rest is unchanged."""
    if isinstance(value, str) and is_dangerous(value):
        return "'" + value
    return value


def csv_row(row: dict) -> dict:
    return {k: csv_cell(v) for k, v in row.items()}


def unguard_csv(text: str) -> str:
    """The original text of a CSV cell written by `csv_cell`."""
    return text[1:] if text.startswith("'") and is_dangerous(text[1:]) else text


def xlsx_text(text: str) -> str:
    """Text xlsx can store: controls escaped, cut to the cell limit."""
    text = visible(text)
    if len(text) > XLSX_CELL_LIMIT:
        note = f"…（截断，原文{len(text)}字）"
        text = text[: XLSX_CELL_LIMIT - len(note)] + note
    return text


def append_row(sheet, values) -> int:
    """`sheet.append(values)` with every text cell stored as text (never as a formula);
    returns the row number. (Cells are built here: `sheet.max_row` scans every cell.)"""
    from openpyxl.cell.cell import Cell

    row = []
    for value in values:
        if isinstance(value, str):
            value = xlsx_text(value)
            cell = Cell(sheet, value=value)
            cell.data_type = "s"  # openpyxl types a text starting with "=" as a formula
            if is_dangerous(value):
                cell.quotePrefix = True
            row.append(cell)
        else:
            row.append(value)
    sheet.append(row)
    return sheet._current_row  # what append just wrote (openpyxl keeps no public counter)
