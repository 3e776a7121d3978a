"""Speed of the PDF reader's stages on the corpus PDFs (one core, warm process).

    .venv/bin/python bench/bench_pdf.py [--runs 25] [--compare] [PDF ...]

Columns: pages; per page, the median (fastest) milliseconds and the pages per second
at the median, for
  chars+lines  PDFium: open, characters and ruling lines of every page
  read         gongkai.ingest.pdf_reader.read_pdf_blocks (the whole reader: + tables, lines)
--compare adds pdfplumber's time for just its characters and lines (the alternative;
one run). Parse and parse + check times are bench/bench.py's (docs/benchmarks.md).
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
    ap.add_argument("--compare", action="store_true", help="also time pdfplumber (chars + lines only, one run)")
    args = ap.parse_args()
    _pin_one_core()
    pdfs = args.pdfs or sorted(CORPUS.glob("*.pdf"))
    if not pdfs:
        print(f"no PDFs given and no corpus at {CORPUS}", file=sys.stderr)
        return 2

    from gongkai.ingest.pdf_reader import open_pdf, read_pages, read_pdf_blocks

    columns = ["chars+lines", "read"] + (["pdfplumber"] if args.compare else [])
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
            "pdfplumber": lambda: _pdfplumber(path),
        }
        cells = []
        for name in columns:
            tasks[name]()  # warm-up
            median, fastest = _median_ms(tasks[name], 1 if name == "pdfplumber" else args.runs)
            cells.append(f"{median / pages:7.1f} ({fastest / pages:5.1f}) {pages * 1000 / median:8.0f}")
        print(f"{path.name[:52]:<52} {pages:>5} " + " ".join(f"{c:>26}" for c in cells))
    return 0


def _pdfplumber(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.chars, page.lines, page.rects  # noqa: B018 - forces the layout analysis


if __name__ == "__main__":
    raise SystemExit(main())
