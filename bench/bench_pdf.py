"""Speed of the PDF reader's stages on the corpus PDFs (one core, warm process).

    .venv/bin/python bench/bench_pdf.py [--runs 25] [--compare] [PDF ...]

Columns: pages; per page, the median (fastest) milliseconds and the pages per second
at the median, for
  chars+lines  PDFium: open, characters and ruling lines of every page
  read         gongkai.ingest.pdf_reader.read_pdf_blocks (the whole reader: + tables, lines)
  parse+check  gongkai.api.parse_bytes + every rule (what `gongkai check report.pdf` does)
--compare adds pdfplumber's time for just its characters and lines, and for a bare
table pass (page.extract_tables() on every page), with the ratio of the table pass to
gongkai's parse + check (medians of --plumber-runs runs). Parse and parse + check times are bench/bench.py's (docs/benchmarks.md).
Without PDF arguments the corpus in ../shared/corpus/pdf is used.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]  # bench.py (the shared helpers), then the package

from bench import _median_ms, _pin_one_core  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "pdf"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*", type=Path)
    ap.add_argument("--runs", type=int, default=25)
    ap.add_argument("--compare", action="store_true", help="also time pdfplumber: chars + lines, and a bare extract_tables() pass")
    ap.add_argument("--plumber-runs", type=int, default=3, help="runs of each pdfplumber pass (slow)")
    args = ap.parse_args()
    _pin_one_core()
    pdfs = args.pdfs or sorted(CORPUS.glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs given and no corpus at {CORPUS}", file=sys.stderr)
        return 2

    from gongkai.ingest.pdf_reader import open_pdf, read_pages, read_pdf_blocks

    from gongkai.api import parse_bytes
    from gongkai.checks import check

    columns = ["chars+lines", "read", "parse+check"] + (["pdfplumber", "pdfplumber tables"] if args.compare else [])
    print(f"{'file':<52} {'pages':>5} " + " ".join(f"{c:>26}" for c in columns))
    print(f"{'':<52} {'':>5} " + " ".join(f"{'ms/page (fastest)  pages/s':>26}" for _ in columns))
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
            "parse+check": lambda: check(parse_bytes(data, str(path))),
            "pdfplumber": lambda: _pdfplumber(path),
            "pdfplumber tables": lambda: _pdfplumber_tables(path),
        }
        cells = []
        medians = {}
        for name in columns:
            tasks[name]()  # warm-up
            median, fastest = _median_ms(tasks[name], args.plumber_runs if name.startswith("pdfplumber") else args.runs)
            medians[name] = median
            cells.append(f"{median / pages:7.1f} ({fastest / pages:5.1f}) {pages * 1000 / median:8.0f}")
        print(f"{path.name[:52]:<52} {pages:>5} " + " ".join(f"{c:>26}" for c in cells))
        if args.compare:
            print(f"{'':<52} {'':>5} gongkai parse + check is {medians['pdfplumber tables'] / medians['parse+check']:.1f}× "
                  f"as fast as a bare pdfplumber table pass ({medians['parse+check']:.0f} ms vs {medians['pdfplumber tables']:.0f} ms, medians)")
    return 0


def _pdfplumber_tables(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()


def _pdfplumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.chars, page.lines, page.rects  # noqa: B018 - forces the layout analysis


if __name__ == "__main__":
    raise SystemExit(main())
