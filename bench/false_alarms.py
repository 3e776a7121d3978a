"""Each rule's findings on the corpus, by severity: the measure behind severity calibration.

    python bench/false_alarms.py            # print the table
    python bench/false_alarms.py --write    # also rewrite the table in docs/calibration.md
    python bench/false_alarms.py --errors   # list every error finding (to review by hand)

Reads ../shared/corpus (seeds/*.txt and pdf/*.pdf; a file gongkai cannot read is listed
as such). On the seeds, error and warning findings are compared with the hand-reviewed
genuine findings of tests/corpus/test_corpus_findings.py: a finding not in that list is
counted as a false alarm. PDF findings have no reviewed list; they are counted apart.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gongkai.api import parse  # noqa: E402
from gongkai.checks import all_rules, check  # noqa: E402
from gongkai.errors import InputError  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
DOC = ROOT / "docs" / "calibration.md"
BEGIN, END = "<!-- false-alarms:begin -->", "<!-- false-alarms:end -->"


def reviewed() -> dict[str, Counter]:
    """The genuine error/warning findings of each seed, as reviewed by hand."""
    from tests.corpus.test_corpus_findings import EXPECTED

    return {name: Counter((r, s, line) for r, s, line, _ in rows) for name, rows in EXPECTED.items()}


def measure(errors_out: list | None = None):
    genuine = reviewed()
    counts: dict[str, Counter] = defaultdict(Counter)  # rule → {error, warning, info, false_error, false_warning, pdf_error, pdf_warning}
    unread = []
    files = sorted((CORPUS / "seeds").glob("*.txt")) + sorted((CORPUS / "pdf").glob("*.pdf"))
    for path in files:
        try:
            result = check(parse(path))
        except InputError as exc:
            unread.append((path.name, str(exc).split(": ", 1)[-1]))
            continue
        left = Counter(genuine.get(path.name, Counter()))
        for f in result.findings:
            sev = f.severity.value
            c = counts[f.rule]
            c[sev] += 1
            if sev == "info":
                continue
            if path.suffix == ".pdf":
                c["pdf_" + sev] += 1
            else:
                k = (f.rule, sev, f.location.line)
                if left[k] > 0:
                    left[k] -= 1
                else:
                    c["false_" + sev] += 1
            if errors_out is not None and sev == "error":
                where = f.location.line or f"p{f.location.page}"
                errors_out.append(f"{path.name[:28]:<28} {f.rule} {where}: {f.message[:110]}")
    return counts, unread, len(files)


def table(counts, unread, n_files) -> str:
    rules = all_rules()
    lines = [
        f"Measured on {n_files} corpus files ({n_files - len(unread)} read). "
        "errors/warnings: findings at that severity; false: on the seeds, not among the hand-reviewed "
        "genuine findings; PDF: findings on the PDFs (not reviewed in a test).",
        "",
        "| rule | severity | title | errors | false errors | warnings | false warnings | infos | PDF errors | PDF warnings |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rules:
        c = counts.get(r.id, Counter())
        lines.append(
            f"| {r.id} | {r.severity.value} | {r.title} | {c['error']} | {c['false_error']} | {c['warning']} | "
            f"{c['false_warning']} | {c['info']} | {c['pdf_error']} | {c['pdf_warning']} |"
        )
    total = Counter()
    for c in counts.values():
        total.update(c)
    lines.append(
        f"| all | | | {total['error']} | {total['false_error']} | {total['warning']} | {total['false_warning']} | "
        f"{total['info']} | {total['pdf_error']} | {total['pdf_warning']} |"
    )
    if unread:
        lines += ["", "Not read: " + "; ".join(f"{n} ({why})" for n, why in unread)]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="rewrite the table in docs/calibration.md")
    ap.add_argument("--errors", action="store_true", help="list every error finding")
    args = ap.parse_args()
    errors: list[str] | None = [] if args.errors else None
    counts, unread, n = measure(errors)
    text = table(counts, unread, n)
    print(text)
    if errors:
        print("\nerror findings:\n" + "\n".join(errors))
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        doc = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: f"{BEGIN}\n{text}\n{END}", doc, flags=re.S)
        DOC.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
