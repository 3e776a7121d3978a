"""A small store for the portal tests, ingested from variations of the bundled example:
two years of one department, a superseded version, and a department whose name and
cells carry HTML/script and spreadsheet formulas."""

from __future__ import annotations

from pathlib import Path

from tests.support import example_text, mutate

DEPARTMENT = "示例市数据管理局"
EVIL_DEPARTMENT = "示例市<script>alert(1)</script>局"
FORMULA_DEPARTMENT = "=HYPERLINK(1)数据局"


def _year(text: str, year: int) -> str:
    return text.replace("2023", str(year - 1)).replace("2024", str(year))


def write_reports(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    clean, defects = example_text(False), example_text(True)
    evil, _ = mutate(clean, "2010301\t行政运行", "行政运行", "<img src=x onerror=alert(2)>行政运行", after="公开02表")
    files = {
        "a2024": ("a_2024.txt", defects),
        "a2023": ("a_2023.txt", _year(clean, 2023)),
        "evil": ("evil.txt", evil.replace(DEPARTMENT, EVIL_DEPARTMENT)),
        "formula": ("formula.txt", clean.replace(DEPARTMENT, FORMULA_DEPARTMENT)),
    }
    out = {}
    for key, (name, text) in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        out[key] = path
    return out


def build_store(folder: Path) -> tuple[str, dict[str, Path]]:
    """The store (ingested twice: the second run supersedes the 2024 report with a new version)."""
    from gongkai.store.ingest import ingest

    src = folder / "src"
    files = write_reports(src)
    db = str(folder / "portal.duckdb")
    ingest([str(src)], db, jobs=1)
    # a corrected version of the 2024 report replaces the first (same department, year, kind)
    files["a2024"].write_text(example_text(False), encoding="utf-8")
    ingest([str(src)], db, jobs=1)
    return db, files
