"""Official classification catalogues (政府收支分类科目) shipped as data.

functional.tsv   支出功能分类科目: 类 (3 digits), 款 (5), 项 (7)
economic.tsv     部门预算支出经济分类科目: 类 (3), 款 (5)
economic_gov.tsv 政府预算支出经济分类科目 (5xx)
Columns: code, name, level, years (comma-separated years the name is valid in).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from ..extract.textnorm import key
from ..records import record

DATA = Path(__file__).parent / "data"


@record(frozen=True)
class Entry:
    code: str
    name: str
    level: str
    years: frozenset[int]


class Catalogue:
    def __init__(self, entries: list[Entry]):
        self.entries = entries
        self._by_code: dict[str, list[Entry]] = {}
        for e in entries:
            self._by_code.setdefault(e.code, []).append(e)
        # Name indexes per level (None: all levels), built on first use: normalising
        # every name costs more than a one-file check needs (it looks up 类 names only).
        self._by_name: dict[str | None, dict[str, list[Entry]]] = {}

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, code: str) -> bool:
        return code in self._by_code

    def names(self, code: str, year: int | None = None) -> list[str]:
        """Official names of a code (the year's first when known)."""
        entries = self._by_code.get(code, [])
        if year is not None:
            entries = sorted(entries, key=lambda e: year not in e.years)
        return [e.name for e in entries]

    def name_matches(self, code: str, name: str) -> bool | None:
        """True/False when the code is known, None when it is not in the catalogue."""
        entries = self._by_code.get(code)
        if not entries:
            return None
        k = key(name)
        return any(key(e.name) == k for e in entries)

    def codes_for_name(self, name: str, level: str | None = None, prefix: str | None = None) -> list[str]:
        index = self._by_name.get(level)
        if index is None:
            index = self._by_name[level] = {}
            for e in self.entries:
                if level is None or e.level == level:
                    index.setdefault(key(e.name), []).append(e)
        found = index.get(key(name), [])
        return sorted({e.code for e in found if prefix is None or e.code.startswith(prefix)})


def _load(filename: str) -> Catalogue:
    path = DATA / filename
    entries: list[Entry] = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh, delimiter="\t"):
                if not row or row[0].startswith("#") or row[0] == "code":
                    continue
                code, name = row[0].strip(), row[1].strip()
                level = row[2].strip() if len(row) > 2 else ""
                years = frozenset(int(y) for y in row[3].split(",") if y.strip().isdigit()) if len(row) > 3 else frozenset()
                entries.append(Entry(code, name, level, years))
    return Catalogue(entries)


@lru_cache(maxsize=None)
def functional() -> Catalogue:
    return _load("functional.tsv")


@lru_cache(maxsize=None)
def economic() -> Catalogue:
    return _load("economic.tsv")


@lru_cache(maxsize=None)
def economic_gov() -> Catalogue:
    return _load("economic_gov.tsv")
