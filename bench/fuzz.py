"""Long fuzz run: thousands of malformed, hostile and oddly named inputs through the CLI.

    python bench/fuzz.py [--inputs 10000] [--seed 1] [--timeout 60] [--category pdf ...]

Inputs come from tests/fuzz/generators.py (one generator per category). Each input is
checked in a forked child of a warmed-up parent (imports done once), with the command
picked at random (check text/json/html/xlsx, parse, facts). Reported per category:
inputs, exit codes, tracebacks, "exit 2 without exactly one line", rule failures (E01),
time (median, worst) and peak memory (the child's maximum resident set, worst).
A child over --timeout seconds is killed and counted as a hang. Examples of every
problem are written to bench/fuzz-failures/ (name, content, command, stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import select
import statistics
import sys
import tempfile
import time
import traceback
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fuzz.generators import CATEGORIES  # noqa: E402

COMMANDS = [
    ["check", "--format", "json"],
    ["check", "--format", "text"],
    ["check", "--format", "html", "-o", "{out}/r.html"],
    ["check", "--format", "xlsx", "-o", "{out}/r.xlsx"],
    ["parse", "--format", "summary"],
    ["facts", "--format", "csv"],
]


def child(args: list[str], out_fd: int, err_fd: int, report_fd: int) -> None:
    """Run the CLI in this (forked) process; report exit code, time and peak memory."""
    os.dup2(out_fd, 1)
    os.dup2(err_fd, 2)
    from gongkai.cli import main

    start = time.perf_counter()
    code = 0
    try:
        main(args, prog_name="gongkai", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 — what the user would see as a traceback
        traceback.print_exc()
        code = 99
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        pass
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    os.write(report_fd, json.dumps({"code": code, "seconds": elapsed, "peak_kib": peak}).encode())
    os._exit(0)


def run_one(name: bytes, data: bytes, command: list[str], timeout: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(os.fsencode(tmp), name)
        with open(path, "wb") as fh:
            fh.write(data)
        args = [a.replace("{out}", tmp) for a in command] + [os.fsdecode(path)]
        out = open(os.path.join(tmp, ".stdout"), "wb+")
        err = open(os.path.join(tmp, ".stderr"), "wb+")
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            try:
                child(args, out.fileno(), err.fileno(), w)
            finally:
                os._exit(98)
        os.close(w)
        ready, _, _ = select.select([r], [], [], timeout)
        if not ready:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            os.close(r)
            return {"code": "hang", "seconds": timeout, "peak_kib": 0, "stderr": ""}
        raw = os.read(r, 65536)
        os.close(r)
        _, status = os.waitpid(pid, 0)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        out.seek(0)
        stdout = out.read()
        out.close()
        err.close()
    if not raw:
        return {"code": f"died({status})", "seconds": 0, "peak_kib": 0, "stderr": stderr}
    result = json.loads(raw)
    result["stderr"] = stderr
    result["e01"] = False
    if result["code"] in (0, 1) and command[:3] == ["check", "--format", "json"]:
        try:
            result["e01"] = any(f["rule"] == "E01" for f in json.loads(stdout)["findings"])
        except ValueError:
            result["e01"] = True
    return result


def problem(result: dict) -> str | None:
    code = result["code"]
    if code == "hang" or str(code).startswith("died"):
        return str(code)
    if code == 99 or "Traceback" in result["stderr"]:
        return "traceback"
    if code not in (0, 1, 2):
        return f"exit {code}"
    if code == 2 and (result["stderr"].count("\n") != 1 or not result["stderr"].startswith("gongkai: ")):
        return "exit 2 without one line"
    if result.get("e01"):
        return "rule failed (E01)"
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--inputs", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--category", action="append", choices=sorted(CATEGORIES))
    ap.add_argument("--failures", default=str(ROOT / "bench" / "fuzz-failures"))
    opts = ap.parse_args()
    import gongkai.cli  # noqa: F401 — warm the parent so children start fast
    from gongkai.api import parse_text  # noqa: F401
    from gongkai.checks import check  # noqa: F401

    rng = random.Random(opts.seed)
    categories = opts.category or sorted(CATEGORIES)
    stats: dict[str, dict] = defaultdict(lambda: {"n": 0, "codes": defaultdict(int), "problems": defaultdict(int), "times": [], "peak": 0})
    failures = Path(opts.failures)
    started = time.time()
    for i in range(opts.inputs):
        category = categories[i % len(categories)]
        seed = rng.randrange(2**32)
        name, data = CATEGORIES[category](random.Random(seed))
        command = COMMANDS[rng.randrange(len(COMMANDS))]
        result = run_one(name, data, command, opts.timeout)
        s = stats[category]
        s["n"] += 1
        s["codes"][str(result["code"])] += 1
        s["times"].append(result["seconds"])
        s["peak"] = max(s["peak"], result["peak_kib"])
        what = problem(result)
        if what:
            s["problems"][what] += 1
            failures.mkdir(parents=True, exist_ok=True)
            stem = f"{category}-{seed}"
            (failures / f"{stem}.input").write_bytes(data)
            (failures / f"{stem}.json").write_text(json.dumps({"problem": what, "name": name.decode("utf-8", "backslashreplace"), "command": command, "stderr": result["stderr"][-4000:]}, ensure_ascii=False, indent=1))
        if (i + 1) % 200 == 0:
            print(f"{i + 1} inputs, {time.time() - started:.0f} s", file=sys.stderr)
    print(f"{'category':<14} {'inputs':>6} {'exit codes':<28} {'problems':<30} {'median s':>8} {'worst s':>8} {'peak MiB':>8}")
    for category in categories:
        s = stats[category]
        if not s["n"]:
            continue
        codes = " ".join(f"{k}:{v}" for k, v in sorted(s["codes"].items()))
        problems = " ".join(f"{k}:{v}" for k, v in sorted(s["problems"].items())) or "none"
        print(f"{category:<14} {s['n']:>6} {codes:<28} {problems:<30} {statistics.median(s['times']):>8.3f} {max(s['times']):>8.2f} {s['peak'] / 1024:>8.0f}")
    total = sum(sum(s["problems"].values()) for s in stats.values())
    print(f"{opts.inputs} inputs in {time.time() - started:.0f} s; {total} problems" + (f" (examples in {failures})" if total else ""))


if __name__ == "__main__":
    main()
