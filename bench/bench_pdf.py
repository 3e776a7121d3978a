"""Speed of the PDF reader on the corpus PDFs (one core, best of N runs).

    .venv/bin/python bench/bench_pdf.py [--runs 5] [--compare] [PDF ...]

Columns: pages; ms per page and pages/second for
  chars+lines  PDFium: open, characters and ruling lines of every page
  read         gongkai.ingest.pdf_reader.read_pdf_blocks (the whole reader)
  parse        gongkai.api.parse (reader + extraction into the model)
  parse+check  parse, then gongkai.checks.check (column left out if checks are absent)
--compare adds pdfplumber's time for just its characters and lines (the alternative).
Without PDF arguments the corpus in ../shared/corpus/pdf is used.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"


def best(fn, runs: int) -> tuple[float, float]:
    """(best, median) wall time in seconds of fn() over `runs` runs, after one warm-up."""
    fn()
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--compare", action="store_true", help="also time pdfplumber (chars + lines only)")
    args = ap.parse_args()
    pdfs = args.pdfs or sorted(CORPUS.glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs given and no corpus at {CORPUS}", file=sys.stderr)
        return 2

    from gongkai.api import parse
    from gongkai.ingest.pdf_reader import open_pdf, read_pages, read_pdf_blocks

    try:
        from gongkai.checks import check
    except ImportError:
        check = None

    columns = ["chars+lines", "read", "parse"] + (["parse+check"] if check else []) + (["pdfplumber"] if args.compare else [])
    print(f"{'file':<52} {'pages':>5} " + " ".join(f"{c:>22}" for c in columns))
    print(f"{'':<52} {'':>5} " + " ".join(f"{'ms/page  pages/s':>22}" for _ in columns))
    for path in pdfs:
        data = path.read_bytes()

        def chars_lines():
            pdf = open_pdf(data, str(path))
            try:
                read_pages(pdf, str(path), data)
            finally:
                pdf.close()

        pages = read_pdf_blocks(data, str(path))[1]
        tasks = {
            "chars+lines": chars_lines,
            "read": lambda: read_pdf_blocks(data, str(path)),
            "parse": lambda: parse(path),
        }
        if check:
            tasks["parse+check"] = lambda: check(parse(path))
        if args.compare:
            tasks["pdfplumber"] = lambda: _pdfplumber(path)
        cells = []
        for name in columns:
            runs = 1 if name == "pdfplumber" else args.runs
            fastest, _median = best(tasks[name], runs)
            cells.append(f"{fastest * 1000 / pages:8.1f} {pages / fastest:8.0f}")
        print(f"{path.name[:52]:<52} {pages:>5} " + " ".join(f"{c:>22}" for c in cells))
    return 0


def _pdfplumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.chars, page.lines, page.rects  # noqa: B018 - forces the layout analysis


if __name__ == "__main__":
    raise SystemExit(main())
