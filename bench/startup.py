"""Cold start: process start to exit of `gongkai --version`, `gongkai rules` and a small check.

    .venv/bin/python bench/startup.py [--runs 21]

Each command is run --runs times as a fresh process (the console script next to this
Python, else `python -m gongkai`); medians and fastest runs are printed, next to a bare
`python -c pass` measured the same way, interleaved, so a busy machine inflates all of
them alike. The small check is the bundled example (494 lines).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "gongkai" / "examples" / "example_final_2024.txt"


def _gongkai() -> list[str]:
    script = Path(sys.executable).with_name("gongkai")
    return [str(script)] if script.exists() else [sys.executable, "-m", "gongkai"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=21)
    args = ap.parse_args()
    gk = _gongkai()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "gongkai --version": gk + ["--version"],
        "gongkai rules": gk + ["rules"],
        "gongkai check (example, text)": gk + ["check", str(EXAMPLE), "-o", os.devnull],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():  # interleaved: drift hits every command alike
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
            times[name].append(time.perf_counter() - start)
    base = statistics.median(times["python -c pass"])
    print(f"{'command':<32} {'median ms':>10} {'fastest ms':>11} {'median − bare python':>21}")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:<32} {med * 1000:>10.1f} {min(ts) * 1000:>11.1f} {(med - base) * 1000:>21.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
