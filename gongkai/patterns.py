"""Regular expressions compiled when first used, not when their module is imported.

A one-file check is mostly start-up, and compiling patterns was the largest part of it:
a character class holding Chinese characters makes CPython's `re` build a map of the
whole Basic Multilingual Plane (0.2–1 ms per class), the rules and readers hold a few
hundred such patterns, and a given document reaches only some of them. A long-lived
process (a batch worker, the portal) pays each compile once either way.
"""

from __future__ import annotations

import re


class LazyPattern:
    """Stands in for `re.compile(source, flags)`, compiling on the first attribute used.

    Each attribute looked up is stored on the instance, so later calls
    (`PATTERN.search(...)`) find the compiled pattern's bound method directly and
    cost no more than calling the compiled pattern itself.
    """

    def __init__(self, source: str, flags: int = 0):
        self.pattern = source
        self._flags = flags

    def compiled(self) -> re.Pattern:
        found = self.__dict__.get("_compiled")
        if found is None:
            found = self.__dict__["_compiled"] = re.compile(self.pattern, self._flags)
        return found

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy/pickle protocol lookups: behave as a plain object
            raise AttributeError(name)
        value = getattr(self.compiled(), name)
        self.__dict__[name] = value
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self._flags})"


def lazy_compile(source: str, flags: int = 0) -> re.Pattern:
    """A pattern that compiles on first use; typed as `re.Pattern` for its callers."""
    return LazyPattern(source, flags)  # type: ignore[return-value]
