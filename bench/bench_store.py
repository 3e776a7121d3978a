"""Corpus store at scale: ingest throughput, and an interrupted ingest resumed.

    python bench/bench_store.py                    # 10,000 synthetic reports, 2 workers
    python bench/bench_store.py --n 2000 --jobs 2
    python bench/bench_store.py --kill --n 300     # kill ingest midway, re-run, compare

Generates the reports with `gongkai synth` (timed apart), ingests them into a fresh
store with `gongkai ingest` (a separate process, as a user runs it) and prints wall
time, reports/s, the store's size and row counts. With --kill, the same ingest is
killed (SIGKILL, parent and workers) after --kill-after seconds and run again; the
store's content digest must equal the one of an uninterrupted run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _gongkai(*args: str) -> list[str]:
    return [sys.executable, "-m", "gongkai", *args]


def ingest(src: Path, db: Path, jobs: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system of the ingest and its workers)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(_gongkai("ingest", str(src), "--db", str(db), "-j", str(jobs)), check=True, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def counts(db: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in ("reports", "facts", "findings", "measures", "claims", "failures")}
    finally:
        con.close()


def digest(db: Path) -> dict:
    import duckdb

    from gongkai.store.digest import content_digest

    con = duckdb.connect(str(db), read_only=True)
    try:
        return content_digest(con)
    finally:
        con.close()


def killed_then_resumed(src: Path, db: Path, jobs: int, after: float) -> tuple[int, bool]:
    """Ingest, SIGKILL the whole process group after `after` seconds, then ingest again.
    Returns (reports stored by the killed run, whether it was killed before finishing)."""
    proc = subprocess.Popen(_gongkai("ingest", str(src), "--db", str(db), "-j", str(jobs)), stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        proc.wait(timeout=after)
        killed = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        killed = True
    partial = counts(db)["reports"] if db.exists() else 0
    subprocess.run(_gongkai("ingest", str(src), "--db", str(db), "-j", str(jobs)), check=True, stderr=subprocess.DEVNULL)
    return partial, killed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", help="Folder for reports and stores (default: a temporary one, removed)")
    ap.add_argument("--kill", action="store_true", help="Kill ingest midway, re-run, compare with an uninterrupted run")
    ap.add_argument("--kill-after", type=float, default=4.0)
    args = ap.parse_args()

    from gongkai.synth import write_corpus

    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="gongkai-bench-store-"))
    try:
        src = work / "reports"
        if not src.exists():
            t = time.perf_counter()
            write_corpus(src, args.n, args.seed)
            print(f"synth: {args.n} reports in {time.perf_counter() - t:.1f} s")
        db = work / "full.duckdb"
        if db.exists():
            db.unlink()
        load = os.getloadavg()[0]
        seconds, cpu = ingest(src, db, args.jobs)
        c = counts(db)
        size = db.stat().st_size / 1e6
        print(f"ingest: {c['reports']} reports in {seconds:.1f} s with {args.jobs} workers = {c['reports'] / seconds:.1f} reports/s "
              f"({os.cpu_count()} cores, load average {load:.1f} before); store {size:.0f} MB; rows: {c}")
        # On a shared machine the wall time depends on the others; the CPU time does not:
        # on `jobs` otherwise idle cores the ingest takes about cpu / min(jobs, cores) seconds.
        cores = min(args.jobs, os.cpu_count() or 1)
        print(f"cpu: {cpu:.1f} s ({cpu / max(1, c['reports']) * 1000:.1f} ms per report) → about {cpu / cores:.0f} s on {cores} idle cores")
        if args.kill:
            db2 = work / "resumed.duckdb"
            if db2.exists():
                db2.unlink()
            partial, killed = killed_then_resumed(src, db2, args.jobs, args.kill_after)
            same = digest(db) == digest(db2)
            print(f"kill: {'killed' if killed else 'finished before the kill'} with {partial} reports stored; "
                  f"after re-run the store {'EQUALS' if same else 'DIFFERS FROM'} the uninterrupted one")
            if not same:
                return 1
        return 0
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
