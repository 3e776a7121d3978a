"""Does any step grow faster than its input? Scaling curves on synthetic reports.

    .venv/bin/python bench/scaling.py [--max 64] [--runs 3]

Starting from the bundled example (gongkai/examples/example_final_2024.txt), four series:
  rows      every coded table row (类/款/项) printed k times: k× rows, with repeated keys
            and repeated parents (the hostile "every row repeated" case)
  items     every 项 row printed k times under its single 款: parents sum k× more rows
  findings  every coded row printed k times with its total cell changed, so each copy
            breaks "合计 = 基本支出 + 项目支出": k× findings, each with related cells
  page      the rows series as a one-line web page (.html), then k × 4 KB of markup that
            never closes ("</", "<!--"): html.parser's re-scans must not make it quadratic
for k = 1, 2, 4, … max. For each k: parse + check time (median of --runs), findings, and
the related locations they carry. The fitted exponent p says how the added cost grows:
t(k) − t(1) ∝ (k − 1)^p, fitted over k ≥ 4 (see slope()); 1.0 is linear. Timing noise on
a shared machine moves p by about ±0.1; use --runs 5 or more for a steadier fit.
"""

from __future__ import annotations

import argparse
import math
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gongkai.api import parse_bytes, parse_text  # noqa: E402
from gongkai.checks import check  # noqa: E402

EXAMPLE = ROOT / "gongkai" / "examples" / "example_final_2024.txt"
CODED = re.compile(r"^(\d{3}|\d{5}|\d{7})\t")
AMOUNT = re.compile(r"\d+\.\d\d")


def synthetic(kind: str, k: int, text: str) -> str:
    if kind == "page":
        from tests.support import as_html_page

        return as_html_page(synthetic("rows", k, text)).replace("\n", "") + "</<!--" * (700 * k)
    out = []
    for line in text.split("\n"):
        m = CODED.match(line)
        if not m:
            out.append(line)
            continue
        if kind == "items" and len(m.group(1)) != 7:
            out.append(line)
            continue
        out.append(line)
        for i in range(1, k):
            if kind == "findings":  # change the first amount: breaks the row's total
                copy = AMOUNT.sub(lambda a: f"{float(a.group()) + i:.2f}", line, count=1)
            else:
                copy = line
            out.append(copy)
    return "\n".join(out)


def slope(points: list[tuple[int, float]]) -> float:
    """The exponent p of the added cost: least-squares slope of log(t(k) − t(1)) on
    log(k − 1) over k ≥ 4. The fixed part of the example (narrative, forms, start of
    every table) costs the same at every k and is taken out by the subtraction."""
    base = points[0][1]
    pts = [(math.log(k - 1), math.log(t - base)) for k, t in points if k >= 4 and t > base]
    if len(pts) < 2:
        return float("nan")
    mx = statistics.fmean(x for x, _ in pts)
    my = statistics.fmean(y for _, y in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--max", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--series", default="rows,items,findings,page")
    args = ap.parse_args()
    text = EXAMPLE.read_text(encoding="utf-8")
    check(parse_text(text))  # warm caches
    ks = [2**i for i in range(int(math.log2(args.max)) + 1)]
    results = {}
    for kind in args.series.split(","):
        points = []
        print(f"{kind:<9} {'k':>3} {'lines':>7} {'ms median':>10} {'findings':>9} {'related':>8}")
        for k in ks:
            src = synthetic(kind, k, text)
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                result = check(parse_bytes(src.encode("utf-8"), "report.html") if kind == "page" else parse_text(src))
                times.append(time.perf_counter() - start)
            t = statistics.median(times)
            related = sum(len(f.related) for f in result.findings)
            points.append((k, t))
            print(f"{'':<9} {k:>3} {src.count(chr(10)) + 1:>7} {t * 1000:>10.1f} {len(result.findings):>9} {related:>8}", flush=True)
        results[kind] = slope(points)
        print(f"{kind:<9} fitted exponent of the added cost: {results[kind]:.2f}\n", flush=True)
    print("exponents: " + ", ".join(f"{k} {v:.2f}" for k, v in results.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
