"""The batch summary: summary.jsonl and summary.csv, a row appended as each report finishes,
and summary.json saying whether the batch is complete.

- summary.jsonl / summary.csv: one row per input file, in the order they finished.
  CSV cells that a spreadsheet would evaluate are written as text (report.spreadsheet).
- summary.json: {"state": "running" | "complete" | "interrupted", counts, options, ...}.
  Only "complete" means every input has its row. A run killed outright leaves "running".
- Resume: a re-run with the same options keeps the rows of files already "checked" or
  "unreadable" whose size and modification time are unchanged (and whose report still
  exists), and does the rest again (new files, changed files, "crashed", "timeout",
  "memory", "unwritable"). Kept rows are copied into the new summary as the walk meets
  their file, so an interrupted resume loses nothing either: until a run completes, the
  rows not yet copied wait in summary.previous.jsonl, which a re-run reads too.
"""

from __future__ import annotations

import csv
import json
import os
import time

from .output import open_append, remove, write_atomic

FIELDS = [
    "path", "status", "reason", "department", "year", "kind", "profile",
    "errors", "warnings", "infos", "report", "size", "mtime_ns", "sha256", "seconds",
]
KEEP = {"checked", "unreadable"}
JSONL, CSV, STATE, PREVIOUS = "summary.jsonl", "summary.csv", "summary.json", "summary.previous.jsonl"


def _csv_cell(value):
    try:
        from ..report.spreadsheet import csv_cell
    except ImportError:  # pragma: no cover
        return value
    return csv_cell(value)


def _read_state(root: str) -> dict:
    try:
        with open(os.path.join(root, STATE), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return {}


def _rows(path: str):
    try:
        fh = open(path, encoding="utf-8", errors="replace")
    except OSError:
        return
    with fh:
        for line in fh:
            try:
                row = json.loads(line)
            except ValueError:  # a line cut short by a kill
                continue
            if isinstance(row, dict) and row.get("report"):
                yield row, line if line.endswith("\n") else line + "\n"


class Summary:
    def __init__(self, root: str, options: dict, resume: bool = True, spread: bool = False):
        self.root = root
        self.options = options
        self.done: dict[str, tuple] = {}  # report name → (size, mtime_ns, jsonl line)
        self.counts: dict[str, int] = {}
        self.errors = 0
        self.started = time.time()
        old = _read_state(root)
        self.resumed = resume and old.get("options") == options
        self.note = ""
        self.spread = bool(old.get("spread", spread)) if self.resumed else spread
        if resume and old and not self.resumed:
            self.note = "the output folder holds a batch run with other options; starting its summary afresh"
        if self.resumed:
            for name in (PREVIOUS, JSONL):  # later rows win
                for row, line in _rows(os.path.join(root, name)):
                    if row.get("status") in KEEP and (row["status"] != "checked" or os.path.isfile(os.path.join(root, row["report"]))):
                        self.done[row["report"]] = (row.get("size"), row.get("mtime_ns"), line)
                    else:
                        self.done.pop(row["report"], None)
            write_atomic(root, PREVIOUS, "".join(v[2] for v in self.done.values()))
        else:
            remove(root, PREVIOUS)
        for name in (JSONL, CSV, STATE):
            if os.path.islink(os.path.join(root, name)):
                os.unlink(os.path.join(root, name))
        self._write_state("running")
        self.jsonl = open_append(root, JSONL, truncate=True)
        self.csv_fh = open_append(root, CSV, truncate=True)
        self.csv_fh.write("\ufeff")  # spreadsheets then read the CSV as UTF-8
        self.csv = csv.DictWriter(self.csv_fh, fieldnames=FIELDS, extrasaction="ignore", lineterminator="\r\n")
        self.csv.writeheader()
        self.csv_fh.flush()

    def _write_state(self, state: str) -> None:
        data = {
            "state": state,
            "complete": state == "complete",  # false: some inputs may have no row yet
            "options": self.options,
            "spread": self.spread,
            "counts": self.counts,
            "errors_found": self.errors,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(self.started)),
            "updated": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "files": {"jsonl": JSONL, "csv": CSV},
        }
        write_atomic(self.root, STATE, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def kept(self, task) -> dict | None:
        """The row recorded for this task by an earlier run, if it still holds; it is
        written to the new summary and returned."""
        entry = self.done.pop(task.extra["report"], None)
        if entry is None or entry[0] != task.size or entry[1] != task.mtime_ns:
            return None
        row = json.loads(entry[2])
        row["path"] = task.key
        self._append(row, json.dumps(row, ensure_ascii=False) + "\n")
        return row

    def add(self, row: dict) -> None:
        self._append(row, json.dumps({k: row.get(k) for k in FIELDS if k in row}, ensure_ascii=False) + "\n")

    def _append(self, row: dict, line: str) -> None:
        self.counts[row["status"]] = self.counts.get(row["status"], 0) + 1
        self.errors += int(row.get("errors") or 0)
        self.jsonl.write(line)
        self.jsonl.flush()
        self.csv.writerow({k: _csv_cell(v) for k, v in row.items() if k in FIELDS})
        self.csv_fh.flush()

    def close(self, complete: bool) -> None:
        self.jsonl.close()
        self.csv_fh.close()
        self._write_state("complete" if complete else "interrupted")
        if complete:
            remove(self.root, PREVIOUS)
