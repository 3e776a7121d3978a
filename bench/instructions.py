"""Instructions executed per parse + check, counted by valgrind (callgrind).

    python bench/instructions.py                       # the largest corpus text file
    python bench/instructions.py path/to/report.txt    # any report

Wall-clock times on a shared virtual machine vary by half from one minute to the
next; an instruction count does not. Use it to compare two versions of the code:
the same file, the same Python, run one after the other. It needs valgrind
(Debian: apt-get install valgrind) and takes about a minute.

Only the work inside `functools.reduce` is counted (callgrind --toggle-collect), so
interpreter start-up, imports and the warm-up runs are left out.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "seeds"

_CHILD = """
import functools, sys
sys.path.insert(0, {root!r})
from gongkai.api import parse
from gongkai.checks import check
path = {path!r}
for _ in range(2):
    check(parse(path))  # warm caches
functools.reduce(lambda acc, _: check(parse(path)) and acc, range({runs}), None)
"""


def count(path: Path, runs: int) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "child.py"
        script.write_text(_CHILD.format(root=str(ROOT), path=str(path), runs=runs), encoding="utf-8")
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", "--toggle-collect=functools_reduce",
             f"--callgrind-out-file={Path(tmp) / 'callgrind.out'}", sys.executable, str(script)],
            capture_output=True, text=True, check=True,
        )
    m = re.search(r"Collected : (\d+)", out.stderr)
    if not m:
        raise RuntimeError("valgrind printed no instruction count:\n" + out.stderr[-2000:])
    return int(m.group(1))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", type=Path)
    ap.add_argument("--runs", type=int, default=2)
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    path = args.file
    if path is None:
        files = sorted(CORPUS.glob("*.txt"), key=lambda p: p.stat().st_size)
        if not files:
            print(f"no corpus at {CORPUS}; name a report", file=sys.stderr)
            return 2
        path = files[-1]
    total = count(path, args.runs)
    print(f"{path.name}: {total / args.runs / 1e6:.1f} million instructions per parse + check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
