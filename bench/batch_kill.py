"""Kill a worker, then the parent, in the middle of a real batch; re-run; compare.

    .venv/bin/python bench/batch_kill.py [-n 1000] [--dir DIR]

1. `gongkai check FOLDER --format json -o REF -j 2` over N generated reports: the reference.
2. The same into OUT: after 20 % of the rows, one worker is killed with SIGKILL (its
   report becomes a "crashed" row); after 50 %, the parent is killed with SIGKILL.
3. The same command again into OUT.
It prints whether OUT's summary equals REF's (every field but `seconds`) and whether
any worker outlived the parent. Linux only (reads /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_batch import _children, generate  # noqa: E402


def _rows(out: Path) -> list[str]:
    with open(out / "summary.jsonl", encoding="utf-8") as fh:
        return sorted(json.dumps({k: v for k, v in json.loads(line).items() if k != "seconds"}, sort_keys=True) for line in fh)


def _count(out: Path) -> int:
    try:
        with open(out / "summary.jsonl", encoding="utf-8") as fh:
            return sum(1 for _ in fh)
    except OSError:
        return 0


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--dir", type=Path)
    args = ap.parse_args()
    base = args.dir or Path(tempfile.mkdtemp(prefix="gongkai-kill-"))
    folder, ref, out = base / "in", base / "ref", base / "out"
    script = Path(sys.executable).with_name("gongkai")
    gk = [str(script)] if script.exists() else [sys.executable, "-m", "gongkai"]

    def start(target: Path):
        cmd = gk + ["check", str(folder), "--format", "json", "-o", str(target), "-j", "2"]
        return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait_rows(target: Path, n: int) -> None:
        while _count(target) < n:
            time.sleep(0.05)

    try:
        if not folder.exists():
            generate(folder, args.n)
        for d in (ref, out):
            shutil.rmtree(d, ignore_errors=True)
        start(ref).wait()
        proc = start(out)
        wait_rows(out, args.n // 5)
        workers = _children(proc.pid)
        os.kill(workers[0], signal.SIGKILL)
        print(f"killed worker {workers[0]} after {_count(out)} rows")
        wait_rows(out, args.n // 2)
        workers = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(2)
        state = json.loads((out / "summary.json").read_text(encoding="utf-8"))["state"]
        print(f"killed the parent after {_count(out)} rows; summary state {state!r}; "
              f"workers still running 2 s later: {[w for w in workers if _alive(w)]}")
        with open(out / "summary.jsonl", encoding="utf-8") as fh:
            crashed = [json.loads(line) for line in fh if '"crashed"' in line]
        print(f"crashed rows: {[(r['path'], r['reason']) for r in crashed]}")
        err = start(out).communicate()[1].decode("utf-8", "replace").strip().splitlines()
        print(f"re-run: {err[-2] if len(err) > 1 else err}")
        same = _rows(out) == _rows(ref)
        print(f"summary after the re-run equals the uninterrupted run's: {same} ({_count(out)} rows)")
        return 0 if same else 1
    finally:
        if not args.dir:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
