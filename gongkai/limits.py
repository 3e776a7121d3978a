"""Resource limits: how much of an input gongkai reads before it stops with a clear message.

Every limit has a default that is far above any real disclosure report and low enough
that a hostile or broken file cannot take more than seconds and a bounded amount of
memory. Raise one with an environment variable (`GONGKAI_MAX_PAGES=1000`) or, on the
command line, `--limit pages=1000` (which sets the same variable, so batch workers see
it too). docs/limits.md lists them with the reasoning behind each default.
"""

from __future__ import annotations

import os

from .errors import InputError
from .records import record


@record(frozen=True)
class Limit:
    name: str
    default: int
    unit: str
    what: str

    @property
    def env(self) -> str:
        return "GONGKAI_MAX_" + self.name.upper().replace("-", "_")

    @property
    def value(self) -> int:
        raw = os.environ.get(self.env)
        if raw:
            try:
                value = int(raw)
            except ValueError:
                return self.default
            if value > 0:
                return value
        return self.default


LIMITS = {
    limit.name: limit
    for limit in (
        Limit("text-mb", 16, "MiB", "size of a text report"),
        Limit("pdf-mb", 64, "MiB", "size of a PDF report"),
        Limit("pages", 300, "pages", "pages of a PDF read"),
        Limit("lines", 200_000, "lines", "lines of a text report"),
        Limit("line-chars", 1_000_000, "characters", "characters on one line of a text report (not a web page, which is read by element: many pages are one line)"),
        Limit("rows", 30_000, "rows", "table rows of a report, all tables together"),
        Limit("columns", 200, "columns", "columns of one table row"),
        Limit("span", 100, "cells", "rowspan/colspan of one HTML table cell"),
        Limit("table-cells", 400_000, "cells", "cells of one HTML table after spans are expanded"),
        Limit("findings", 500, "findings", "findings listed per rule (the rest are counted in one note)"),
        Limit("pdf-inflated-mb", 512, "MiB", "data of a PDF's compressed streams once inflated (flate bombs)"),
        Limit("pdf-fallback-seconds", 5, "seconds", "time spent in the slow PDF fallback reader (pdfminer) per document"),
        Limit("amount-digits", 16, "digits", "integer digits of an amount (more is read as text, not a number)"),
    )
}


def limit(name: str) -> int:
    """The current value of limit `name`."""
    return LIMITS[name].value


def exceeded(name: str, actual: int | str, path: str | None = None, where: str = "") -> InputError:
    """The one-line error for an input over limit `name`, saying how to raise it."""
    lim = LIMITS[name]
    return InputError(
        f"{lim.what}{f' ({where})' if where else ''}: {actual} {lim.unit}, over the limit of {lim.value:,} {lim.unit}; "
        f"raise it with --limit {name}=N or {lim.env}=N",
        path,
    )


def apply(settings: tuple[str, ...]) -> None:
    """Apply `--limit name=N` settings (raises ValueError with a one-line reason)."""
    for setting in settings:
        name, _, value = setting.partition("=")
        name = name.strip().lower()
        if name not in LIMITS:
            raise ValueError(f"unknown limit {name!r} (known: {', '.join(LIMITS)})")
        try:
            number = int(value)
        except ValueError:
            raise ValueError(f"--limit {setting}: the value must be a whole number") from None
        if number <= 0:
            raise ValueError(f"--limit {setting}: the value must be positive")
        os.environ[LIMITS[name].env] = str(number)


def markdown_table() -> str:
    rows = ["| limit | default | environment variable | what it bounds |", "|---|---|---|---|"]
    for lim in LIMITS.values():
        rows.append(f"| `{lim.name}` | {lim.default:,} {lim.unit} | `{lim.env}` | {lim.what} |")
    return "\n".join(rows) + "\n"
