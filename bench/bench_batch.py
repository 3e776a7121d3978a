"""Batch throughput and memory: `gongkai check FOLDER` over N generated text reports.

    .venv/bin/python bench/bench_batch.py [-n 10000] [-j 2] [--keep DIR]

Generates N distinct reports from the bundled example (each with its own department
name and amounts shifted, so every report is parsed and checked for real), runs
`gongkai check FOLDER --format json -o OUT -j J` as a separate process, and samples the
memory of the parent and of its workers (/proc, every 0.2 s). Prints reports/s, the
parent's peak RSS (sampled, and VmHWM), and the largest worker RSS seen; with --resume-check
it then kills nothing but re-runs the same command and reports how long the resume took
(every row kept). Linux only (reads /proc).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "gongkai" / "examples" / "example_final_2024.txt"
AMOUNT = re.compile(r"(\d+)\.(\d\d)")


def generate(folder: Path, n: int) -> None:
    """N reports in folders of 1,000 (as a province's year might arrive)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    dept = "示例市数据管理局"
    for i in range(n):
        sub = folder / f"batch{i // 1000:03}"
        if i % 1000 == 0:
            sub.mkdir(parents=True, exist_ok=True)
        shift = i % 7  # a planted difference in one narrative amount varies the findings
        body = text.replace(dept, f"示例市第{i}号数据管理局")
        if shift:
            body = AMOUNT.sub(lambda m: f"{m.group(1)}.{(int(m.group(2)) + shift) % 100:02}", body, count=shift)
        (sub / f"report_{i:06}.txt").write_text(body, encoding="utf-8")


def _rss_kb(pid: int, field: str = "VmRSS") -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except OSError:
        return []


def run_batch(folder: Path, out: Path, jobs: int) -> dict:
    script = Path(sys.executable).with_name("gongkai")
    cmd = ([str(script)] if script.exists() else [sys.executable, "-m", "gongkai"]) + [
        "check", str(folder), "--format", "json", "-o", str(out), "-j", str(jobs),
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    parent_peak = worker_peak = hwm = 0
    samples: list[tuple[float, int]] = []
    while proc.poll() is None:
        rss = _rss_kb(proc.pid)
        hwm = max(hwm, _rss_kb(proc.pid, "VmHWM"))
        parent_peak = max(parent_peak, rss)
        samples.append((time.perf_counter() - start, rss))
        for child in _children(proc.pid):
            worker_peak = max(worker_peak, _rss_kb(child))
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    state = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    rows = sum(state["counts"].values())
    # parent memory early in the run (after 10 % of it) against its peak: constant or growing?
    early = [rss for t, rss in samples if t >= 0.1 * seconds][:5]
    return {
        "exit": proc.returncode, "seconds": seconds, "rows": rows, "counts": state["counts"], "state": state["state"],
        "reports_per_s": rows / seconds, "parent_peak_mb": parent_peak / 1024, "parent_hwm_mb": hwm / 1024,
        "parent_early_mb": (min(early) if early else 0) / 1024, "worker_peak_mb": worker_peak / 1024,
        "stderr_tail": err.strip().splitlines()[-2:],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000)
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--keep", type=Path, help="generate into (or reuse) this folder and keep it")
    ap.add_argument("--resume-check", action="store_true", help="re-run into the same output folder and time the resume")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="gongkai-batch-"))
    folder, out = base / "in", base / "out"
    try:
        if not folder.exists():
            t = time.perf_counter()
            generate(folder, args.n)
            print(f"generated {args.n} reports in {time.perf_counter() - t:.1f} s")
        if out.exists():
            shutil.rmtree(out)
        r = run_batch(folder, out, args.jobs)
        print(json.dumps(r, ensure_ascii=False, indent=1))
        if args.resume_check:
            again = run_batch(folder, out, args.jobs)
            print("resume:", json.dumps({k: again[k] for k in ("seconds", "rows", "state", "parent_peak_mb")}))
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
