"""The batch engine: many files, long-lived worker processes, one result row per file.

Used by `gongkai check FOLDER` and by the corpus store's ingest. API:

    from gongkai.batch import Limits, Task, run

    outcome = run(
        tasks,                  # iterable of Task(path, key, size, mtime_ns, extra); consumed lazily
        work,                   # top-level function work(task: Task, options) -> dict, run in a worker
        options,                # anything picklable, passed to every call of work
        jobs=2,                 # worker processes (0: one per core)
        limits=Limits(),        # per-file time and memory limits (defaults below)
        on_row=callback,        # called in the parent with each row, as soon as its file finishes
    )
    outcome.counts              # {"checked": n, "unreadable": n, "timeout": n, ...}
    outcome.interrupted         # True after Ctrl-C / SIGTERM (rows of unfinished files are not sent)

Every task yields exactly one row, a dict with at least
    path     the task's key (a printable form of the path, see display_path)
    status   "checked" or "unreadable" (set by `work`), or, set by the engine:
             "timeout"  the file took longer than limits.timeout seconds (worker killed and replaced)
             "memory"   the worker went over limits.memory_mb (MemoryError, or killed by the watchdog)
             "crashed"  the worker died (a signal such as SIGKILL from the OOM killer, or a bug in `work`)
    reason   why, for any status but "checked"
    seconds  wall time spent on the file
plus whatever `work` returned. `on_row` runs in the parent: a caller writes its summary
there (or, like the store, each report in its own transaction). An exception from
`on_row` stops the batch (workers are killed) and propagates.

Guarantees:
- a dead, hung or bloated worker costs one row, never the batch: it is replaced;
- bounded submission: a task is taken from `tasks` only when a worker is free, so the
  parent's memory does not grow with the number of files (stream `tasks` from a walk);
- workers die with the parent (Linux PR_SET_PDEATHSIG, plus a parent-pid check) and
  ignore SIGINT: Ctrl-C reaches the parent, which kills the workers and returns with
  `interrupted` set, promptly;
- workers are recycled after limits.tasks_per_worker files, so slow leaks cannot pile up.

`work` must be a module-level function (it is sent to workers by reference). It should
catch its own expected failures and return {"status": "unreadable", "reason": ...};
an exception escaping it becomes a "crashed" row (MemoryError: a "memory" row).
"""

from __future__ import annotations

from .engine import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Limits, Outcome, Task, display_path, run

__all__ = ["DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT", "Limits", "Outcome", "Task", "display_path", "run"]
