"""`gongkai check FOLDER`: the batch engine applied to checking reports.

Each worker parses and checks one report and writes its report file into the output
folder (atomically, see output.py); the parent writes the summary rows as they come.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from . import inputs as _inputs
from .engine import Limits, Outcome, Task, display_path, run
from .output import claim, release, same_file_id
from .summary import Summary

SUFFIX = {"text": "txt", "json": "json", "html": "html", "xlsx": "xlsx"}


def check_file(task: Task, options: dict) -> dict:
    """Worker side: parse, check, render and write one report; return its summary row."""
    from ..api import parse
    from ..checks import check as run_check
    from ..errors import InputError
    from .output import write_atomic

    try:
        result = run_check(parse(task.path), options["rules"])
    except MemoryError:
        raise
    except InputError as exc:
        return {"status": "unreadable", "reason": display_path(str(exc)), "size": task.size, "mtime_ns": task.mtime_ns, "report": task.extra["report"]}
    except Exception as exc:  # noqa: BLE001 — any failure to read is this file's row
        return {"status": "unreadable", "reason": display_path(f"{task.key}: {exc.__class__.__name__}: {exc}"), "size": task.size, "mtime_ns": task.mtime_ns, "report": task.extra["report"]}
    render: Callable = options["render"]
    meta = result.doc.meta
    s = result.summary
    row = {
        "status": "checked", "department": meta.department, "year": meta.year, "kind": meta.kind,
        "profile": meta.profile, "errors": s["errors"], "warnings": s["warnings"], "infos": s["infos"],
        "report": task.extra["report"], "size": task.size, "mtime_ns": task.mtime_ns, "sha256": result.doc.source.sha256,
    }
    try:
        write_atomic(options["out"], task.extra["report"], render(result, options["format"]))
    except OSError as exc:
        row.update(status="unwritable", reason=f"{task.extra['report']}: cannot write the report ({exc.strerror or exc})")
    return row


@dataclass
class BatchResult:
    out: str
    outcome: Outcome
    counts: dict[str, int] = field(default_factory=dict)
    errors: int = 0  # errors found in the checked reports
    first_rows: list[dict] = field(default_factory=list)  # up to TABLE_ROWS rows, for the terminal
    note: str = ""

    @property
    def interrupted(self) -> bool:
        return self.outcome.interrupted


TABLE_ROWS = 200


def check_batch(
    args: list[str],
    out: str,
    *,
    fmt: str,
    rules: list[str] | None,
    render: Callable,
    jobs: int = 0,
    limits: Limits = Limits(),
    resume: bool = True,
    on_row: Callable[[dict], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> BatchResult:
    """Check every report below `args` into the folder `out`. Raises OutputError when
    the output folder cannot be used."""
    real, lock = claim(out, args)
    try:
        roots = _inputs.roots_of(args)
        skip = {fid for fid in [same_file_id(real)] if fid}
        total = _inputs.count(roots, skip)
        spread = total > _inputs.SPREAD_AT
        options = {"format": fmt, "rules": sorted(rules) if rules else None}
        summary = Summary(real, options, resume=resume, spread=spread)
        spread = summary.spread  # a resumed run keeps the layout it started with
        result = BatchResult(out, Outcome(), note=summary.note)
        if on_total:
            on_total(total)

        def row_done(row: dict) -> None:
            if len(result.first_rows) < TABLE_ROWS:
                result.first_rows.append(row)
            if on_row:
                on_row(row)

        def fresh_tasks():
            for task in _inputs.tasks(roots, SUFFIX[fmt], skip, spread):
                kept = summary.kept(task)
                if kept is None:
                    yield task
                else:
                    row_done(kept)

        def add(row: dict) -> None:
            summary.add(row)
            row_done(row)

        work_options = {"format": fmt, "rules": rules, "out": real, "render": render}
        outcome = None
        try:
            outcome = run(fresh_tasks(), check_file, work_options, jobs=jobs, limits=limits, on_row=add)
        finally:
            summary.close(complete=outcome is not None and not outcome.interrupted)
        result.outcome = outcome
        result.counts = dict(summary.counts)
        result.errors = summary.errors
        return result
    finally:
        release(lock)

