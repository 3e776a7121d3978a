"""Speed and memory of parse and check on the corpus (single process, one core).

    python bench/bench.py                 # print the results
    python bench/bench.py --write         # also rewrite the table in docs/benchmarks.md
    python bench/bench.py --repeat 100    # the "corpus ×100" run (default 100)

Medians of repeated runs in one warm process: what a batch run or the portal sees
per document. Start-up of the interpreter is not included.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gongkai.api import parse  # noqa: E402
from gongkai.checks import check  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def _median_ms(fn, runs: int) -> tuple[float, float]:
    """(median, fastest) in milliseconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, min(times) * 1000


def _calibration_loop() -> int:
    total = 0
    for i in range(200_000):
        total += i * i
    return total


def _pin_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        except OSError:
            pass


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=25)
    ap.add_argument("--repeat", type=int, default=100)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    _pin_one_core()
    files = sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "pdf").glob("*.pdf"))
    if not files:
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 1
    # The same fixed CPU-bound loop before and after: how steady the machine was.
    noise_before = _median_ms(_calibration_loop, args.runs)
    rows = []
    for path in files:
        parse(path)  # warm caches (profiles, catalogues, regexes)
        parse_ms = _median_ms(lambda: parse(path), args.runs)
        total_ms = _median_ms(lambda: check(parse(path)), args.runs)
        doc = parse(path)
        tracemalloc.start()
        check(parse(path))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = path.stat().st_size
        pages = doc.source.pages
        rows.append((path.name, size, doc.source.lines or 0, pages, parse_ms, total_ms, peak / 1048576))
    noise_after = _median_ms(_calibration_loop, args.runs)
    texts = [p for p in files if p.suffix == ".txt"]
    start = time.perf_counter()
    for _ in range(args.repeat):
        for path in texts:
            parse(path)
    corpus_s = time.perf_counter() - start
    try:
        import resource

        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    except ImportError:  # pragma: no cover
        rss = float("nan")
    lines = [
        "| file | size (KB) | lines / pages | parse, ms median (fastest) | parse + check, ms median (fastest) | pages/s (parse, parse + check) | peak alloc (MB) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, size, nlines, pages, (p_ms, p_min), (t_ms, t_min), peak in rows:
        per = f"{pages} p" if pages else f"{nlines}"
        rate = f"{pages / (p_ms / 1000):.0f}, {pages / (t_ms / 1000):.0f}" if pages else "—"
        lines.append(f"| {name} | {size / 1024:.0f} | {per} | {p_ms:.1f} ({p_min:.1f}) | {t_ms:.1f} ({t_min:.1f}) | {rate} | {peak:.1f} |")
    summary = (
        f"Corpus ×{args.repeat} ({len(texts)} text reports, {len(texts) * args.repeat} parses): {corpus_s:.2f} s, "
        f"{corpus_s / (len(texts) * args.repeat) * 1000:.1f} ms per report; peak RSS {rss:.0f} MB.\n\n"
        f"Machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}, one core; "
        f"median of {args.runs} runs in a warm process.\n\n"
        f"Machine steadiness: a fixed pure-Python loop took {noise_before[0]:.1f} ms median / {noise_before[1]:.1f} ms fastest "
        f"before the runs and {noise_after[0]:.1f} / {noise_after[1]:.1f} ms after (median ÷ fastest "
        f"{noise_before[0] / noise_before[1]:.2f} and {noise_after[0] / noise_after[1]:.2f}; about 1.0 on a quiet machine). "
        f"On a shared virtual machine the medians above are inflated by the same factor."
    )
    table = "\n".join(lines)
    print(table)
    print()
    print(summary)
    if args.write:
        doc_path = ROOT / "docs" / "benchmarks.md"
        text = doc_path.read_text(encoding="utf-8")
        new = re.sub(r"<!-- bench:start -->.*<!-- bench:end -->", f"<!-- bench:start -->\n{table}\n\n{summary}\n<!-- bench:end -->", text, flags=re.S)
        doc_path.write_text(new, encoding="utf-8")
        print(f"updated {doc_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
