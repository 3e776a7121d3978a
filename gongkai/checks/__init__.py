"""Check: the reviewer's rule engine."""

from __future__ import annotations

import os
from typing import Iterable

from ..model.document import Document
from .engine import CATEGORIES, REGISTRY, CheckResult, Finding, Location, Rule, Severity, run_rules


def check(doc: Document, rules: Iterable[str] | None = None) -> CheckResult:
    """Run the rule catalogue (or the named rules) on a parsed document."""
    from ..api import paused_gc

    with paused_gc():
        return run_rules(doc, rules)


def check_file(path: str | os.PathLike) -> CheckResult:
    from ..api import parse

    return check(parse(path))


def all_rules() -> list[Rule]:
    from . import rules  # noqa: F401

    return list(REGISTRY.values())


__all__ = ["CATEGORIES", "CheckResult", "Finding", "Location", "Rule", "Severity", "all_rules", "check", "check_file"]
