"""Ingest: files → workers (parse, check, flatten) → the parent writes each report whole.

Workers return plain rows (see flatten.py); the parent owns the database. Reports are
written in groups, each group in one transaction, so an interruption (Ctrl-C, a kill,
a crash) never leaves part of a report: a re-run skips the reports already stored (by
content hash) and does the rest. Failures become rows of `failures`, never abort.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from . import schema
from ..records import record

REPORT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".pdf", ".html", ".htm"}
GROUP_REPORTS = 256  # reports per transaction at most (each statement has a fixed cost)
GROUP_SECONDS = 3.0  # and at most this long between commits


@record
class IngestStats:
    files: int = 0
    stored: int = 0
    unchanged: int = 0  # content already stored
    superseded: int = 0  # older versions replaced by a new one
    failed: int = 0
    seconds: float = 0.0
    report_ids: set = field(default_factory=set)
    interrupted: bool = False

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("files", "stored", "unchanged", "superseded", "failed", "seconds", "interrupted")}


def expand(paths: Iterable[str]) -> list[str]:
    """Report files under the given paths (folders recursively), sorted, de-duplicated."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            out.extend(str(x) for x in sorted(path.rglob("*")) if x.is_file() and x.suffix.lower() in REPORT_SUFFIXES)
        else:
            out.append(str(path))
    seen: set[str] = set()
    return [p for p in out if not (p in seen or seen.add(p))]


def open_store(db: str):
    """The store for writing, its tables created when new. A file that is not a store, or
    one another process is writing, is an InputError (one line, exit 2 at the CLI)."""
    import duckdb

    from ..errors import InputError

    try:
        con = duckdb.connect(db)
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        raise InputError(f"{db}: cannot open the store for writing ({first[:300]})") from None
    con.execute("SET enable_progress_bar = false")  # the CLI draws its own
    schema.create_all(con)
    return con


def _sha(path: str) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


# --------------------------------------------------------------------------- running the workers
def work_task(task, options=None) -> dict:
    """The batch engine's entry point (module level, runs in a worker)."""
    from .flatten import work

    path = task.path if hasattr(task, "path") else task
    out = work(path)
    out["status"] = "checked" if out["status"] == "ok" else "unreadable"
    return out


def _die_with_parent() -> None:
    """Worker initializer: a worker whose parent dies is killed too (Linux), never orphaned."""
    import sys

    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


def _local_run(paths: list[str], jobs: int, on_row: Callable[[dict], None]) -> bool:
    """Fallback runner (bounded submission over a process pool). Returns interrupted."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    if jobs == 1 or len(paths) <= 1:
        for p in paths:
            on_row(work_task(p))
        return False
    with ProcessPoolExecutor(max_workers=jobs, initializer=_die_with_parent) as pool:
        pending: dict = {}
        queue = iter(paths)
        done_all = False
        while True:
            while not done_all and len(pending) < jobs * 4:
                p = next(queue, None)
                if p is None:
                    done_all = True
                    break
                pending[pool.submit(work_task, p)] = p
            if not pending:
                return False
            done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for fut in done:
                p = pending.pop(fut)
                try:
                    on_row(fut.result())
                except Exception as exc:  # a dead worker: the pool is broken; record and stop cleanly
                    if getattr(exc, "__module__", "").startswith("concurrent"):
                        on_row({"status": "crashed", "path": p, "reason": f"{exc.__class__.__name__}: {exc}"})
                        for other, q in pending.items():
                            on_row({"status": "crashed", "path": q, "reason": "worker pool broken"})
                        return True
                    raise


def _run(paths: list[str], jobs: int, on_row, engine: str) -> bool:
    if engine == "dask":
        from .distributed import dask_run

        return dask_run(paths, jobs, on_row)
    try:
        from ..batch import Limits, Task, run  # the shared batch engine, when present
    except ImportError:
        return _local_run(paths, jobs, on_row)
    outcome = run((Task(p) for p in paths), work_task, None, jobs=jobs, limits=Limits(), on_row=on_row)
    return bool(outcome.interrupted)


# --------------------------------------------------------------------------- writing
class Writer:
    """Buffers finished reports and writes them in groups, one transaction per group."""

    def __init__(self, con, run_id: int, stats: IngestStats):
        self.con = con
        self.run_id = run_id
        self.stats = stats
        self.buffer: list[dict] = []
        self.last = time.monotonic()
        self.known: set[str] = {r[0] for r in con.execute("SELECT doc_id FROM reports").fetchall()}
        self.next_seq = int(con.execute("SELECT coalesce(max(doc_seq), 0) + 1 FROM reports").fetchone()[0])
        self.failed_paths: set[str] = {r[0] for r in con.execute("SELECT path FROM failures").fetchall()}
        self.fact_cols = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'facts' ORDER BY ordinal_position").fetchall()]

    def add(self, row: dict) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= GROUP_REPORTS or time.monotonic() - self.last >= GROUP_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        group, self.buffer = self.buffer, []
        self.last = time.monotonic()
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            self._write(group)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise

    def _write(self, group: list[dict]) -> None:
        con = self.con
        now = datetime.now()
        rows: dict[str, list[tuple]] = {t: [] for t in schema.DOC_TABLES}
        seqs: dict[str, list[int]] = {t: [] for t in schema.DOC_TABLES}
        facts: dict[tuple, tuple[list[tuple], list[int]]] = {}  # by field set (a newer facts() may add fields)
        report_rows = []
        failures = []
        done_paths = []
        fresh = []
        for r in group:
            if r.get("status") != "checked":
                failures.append((r.get("path"), r.get("sha256"), r.get("stage") or r.get("status"), r.get("reason"), self.run_id, now))
                self.stats.failed += 1
                continue
            done_paths.append(r["path"])
            if r["doc_id"] in self.known:
                self.stats.unchanged += 1
                continue
            self.known.add(r["doc_id"])
            fresh.append(r)
        # versions: one query for the group; reports of one group follow each other in order
        rids = sorted({r["report_id"] for r in fresh})
        latest: dict[str, int] = {}
        if rids:
            for rid, v in con.execute(f"SELECT report_id, max(version) FROM reports WHERE report_id IN ({','.join('?' * len(rids))}) GROUP BY report_id", rids).fetchall():
                latest[rid] = v
        supersede = []  # (new doc_id, report_id) for versions already in the store
        in_group: dict[str, int] = {}  # report_id → index of its latest row in this group
        for r in fresh:
            rep = dict(r["report"])
            rid = rep["report_id"]
            prev = latest.get(rid)
            if rid in in_group:  # an earlier version arrived in this same group
                i = in_group[rid]
                report_rows[i] = report_rows[i][:3] + (False, r["doc_id"]) + report_rows[i][5:]
                self.stats.superseded += 1
            elif prev is not None:
                supersede.append((r["doc_id"], rid))
                self.stats.superseded += 1
            latest[rid] = (prev or 0) + 1
            seq = self.next_seq
            self.next_seq += 1
            rep.update(version=latest[rid], is_current=True, superseded_by=None, ingest_run=self.run_id, ingested_at=now, published=None, doc_seq=seq)
            in_group[rid] = len(report_rows)
            report_rows.append(tuple(rep.get(c) for c in schema.columns("reports")))
            extras = [e for e in r.get("fact_extras", []) if e not in self.fact_cols]
            for e in extras:
                con.execute(f'ALTER TABLE facts ADD COLUMN "{e}" VARCHAR')
                self.fact_cols.append(e)
            cols = tuple(schema.row_columns("facts") + list(r.get("fact_extras", [])))
            for table, trows in r["rows"].items():
                if table == "facts":
                    frows, fseqs = facts.setdefault(cols, ([], []))
                    frows.extend(trows)
                    fseqs.extend([seq] * len(trows))
                else:
                    rows[table].extend(trows)
                    seqs[table].extend([seq] * len(trows))
            self.stats.stored += 1
            self.stats.report_ids.add(rid)
        if supersede:
            con.executemany("UPDATE reports SET is_current = false, superseded_by = ? WHERE report_id = ? AND is_current", [list(x) for x in supersede])
        _insert(con, "reports", schema.columns("reports"), report_rows)
        for table, trows in rows.items():
            if table != "facts":
                _insert(con, table, schema.row_columns(table), trows, seqs[table])
        for cols, (trows, fseqs) in facts.items():
            _insert(con, "facts", list(cols), trows, fseqs)
        cleared = [p for p in done_paths if p in self.failed_paths]
        if cleared:  # a file that failed before and reads now
            con.execute(f"DELETE FROM failures WHERE path IN ({','.join('?' * len(cleared))})", cleared)
            self.failed_paths.difference_update(cleared)
        if failures:
            con.executemany("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?, ?, ?)", failures)
            self.failed_paths.update(f[0] for f in failures)


_ARROW_TYPES: dict[str, object] = {}


def _arrow_type(sql_type: str):
    import pyarrow as pa

    t = sql_type.split()[0].upper()
    if t.startswith("DECIMAL"):
        return pa.string()  # cast by DuckDB on insert: exact, no float on the way
    return {"VARCHAR": pa.string(), "INTEGER": pa.int64(), "BIGINT": pa.int64(), "BOOLEAN": pa.bool_(),
            "TIMESTAMP": pa.timestamp("us"), "DATE": pa.date32()}.get(t, pa.string())


def _insert(con, table: str, cols: list[str], rows: list[tuple], doc_seq: list[int] | None = None) -> None:
    """Bulk insert through Arrow (one statement per table and group)."""
    if not rows:
        return
    import pyarrow as pa

    if doc_seq is not None:
        cols = list(cols) + ["doc_seq"]

    types = dict(schema.TABLES[table])
    arrays = []
    for c, values in zip(cols, zip(*rows)):
        typ = _arrow_type(types.get(c, "VARCHAR"))
        try:
            arrays.append(pa.array(values, type=typ))
        except (pa.ArrowTypeError, pa.ArrowInvalid):  # amounts as Decimal, numbers in text columns
            arrays.append(pa.array([None if v is None else (v if isinstance(v, str) else _text(v)) for v in values], type=typ))
    if doc_seq is not None:
        arrays.append(pa.array(doc_seq, type=pa.int64()))
    batch = pa.Table.from_arrays(arrays, names=[f"c{i}" for i in range(len(cols))])
    con.register("_gongkai_batch", batch)
    try:
        quoted = ", ".join(f'"{c}"' for c in cols)
        select = ", ".join(f"c{i}" for i in range(len(cols)))
        con.execute(f'INSERT INTO "{table}" ({quoted}) SELECT {select} FROM _gongkai_batch')
    finally:
        con.unregister("_gongkai_batch")


def _text(v) -> str:
    from decimal import Decimal

    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def load_aliases(db: str, path: str) -> int:
    """Department names to treat as one (renamings, abbreviations), from a CSV with the
    columns alias, canonical[, reason] (UTF-8, a header row). Replaces earlier entries."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not {"alias", "canonical"} <= set(reader.fieldnames):
            raise ValueError("needs the columns alias and canonical (and optionally reason)")
        rows = [(r["alias"].strip(), r["canonical"].strip(), (r.get("reason") or "").strip() or None) for r in reader if (r.get("alias") or "").strip() and (r.get("canonical") or "").strip()]
    con = open_store(db)
    try:
        con.executemany("INSERT OR REPLACE INTO aliases VALUES (?, ?, ?)", [list(r) for r in rows])
    finally:
        con.close()
    return len(rows)


# --------------------------------------------------------------------------- the command
def ingest(
    paths: Iterable[str],
    db: str = "gongkai.duckdb",
    *,
    jobs: int = 0,
    engine: str = "local",
    progress: Callable[[int], None] | None = None,
    cross_check: bool = True,
) -> IngestStats:
    started = time.monotonic()
    files = expand(paths)
    con = open_store(db)
    try:
        run_id = int(con.execute("SELECT coalesce(max(CAST(value AS INTEGER)), 0) + 1 FROM meta WHERE key = 'ingest_run'").fetchone()[0])
        con.execute("INSERT OR REPLACE INTO meta VALUES ('ingest_run', ?)", [str(run_id)])
        stats = IngestStats(files=len(files))
        writer = Writer(con, run_id, stats)
        # content already stored is skipped before any parsing (idempotence, resume)
        todo = []
        for f in files:
            sha = _sha(f)
            if sha is not None and sha in writer.known:
                stats.unchanged += 1
                if progress:
                    progress(1)
            else:
                todo.append(f)

        def on_row(row: dict) -> None:
            writer.add(row)
            if progress:
                progress(1)

        try:
            stats.interrupted = _run(todo, jobs or os.cpu_count() or 1, on_row, engine)
        finally:
            writer.flush()
        if cross_check and stats.report_ids:
            from .crosscheck import run_cross_checks

            run_cross_checks(con)
        stats.seconds = time.monotonic() - started
        return stats
    finally:
        con.close()
