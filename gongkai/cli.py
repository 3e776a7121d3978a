"""Command line: `gongkai parse | facts | check | rules | example`.

Each command is a thin shell over the Python API of the same name. Unreadable input
gets one line on stderr and exit code 2; `check` exits 1 when errors were found.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
REPORT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".pdf", ".html", ".htm"}


class _Unreadable(click.ClickException):
    exit_code = EXIT_UNREADABLE

    def show(self, file=None):
        click.echo(f"gongkai: {self.message}", err=True)


def _fail(exc: BaseException, path: str) -> _Unreadable:
    if isinstance(exc, InputError):
        return _Unreadable(str(exc))
    if os.environ.get("GONGKAI_DEBUG"):
        traceback.print_exc()
    return _Unreadable(f"{path}: cannot read this file ({exc.__class__.__name__}: {exc}); set GONGKAI_DEBUG=1 for details")


def _parse(path: str):
    from .api import parse

    try:
        return parse(path)
    except Exception as exc:  # noqa: BLE001 — every failure to read becomes one line + exit 2
        raise _fail(exc, path) from None


def _write(out: str | None, data: str | bytes) -> None:
    if out in (None, "-"):
        if isinstance(data, bytes):
            sys.stdout.buffer.write(data)
        else:
            sys.stdout.write(data)
        return
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(out, mode, **({} if isinstance(data, bytes) else {"encoding": "utf-8"})) as fh:
        fh.write(data)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gongkai")
def main() -> None:
    """gongkai (公开): read, check and compare budget / final-account disclosure reports."""


# ----------------------------------------------------------------------------- parse
@main.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["json", "summary"]), default="json", show_default=True)
@click.option("-o", "--output", help="Write here instead of standard output.")
def parse(file: str, fmt: str, output: str | None) -> None:
    """Print the whole model of a report (text or PDF) as JSON."""
    from .model.serialize import to_jsonable

    doc = _parse(file)
    if fmt == "json":
        _write(output, json.dumps(to_jsonable(doc), ensure_ascii=False, indent=1) + "\n")
        return
    lines = [
        f"{doc.meta.department} {doc.meta.year} {doc.meta.kind} · {doc.meta.profile_name}",
        f"tables: {', '.join(t.id for t in doc.tables)}" + (f"  missing: {', '.join(m.id for m in doc.missing_tables)}" if doc.missing_tables else ""),
        f"forms: self-evaluation {len(doc.performance_forms)}, targets {len(doc.target_forms)}, overall {len(doc.overall_target_forms)}",
        f"warnings: {len(doc.warnings)}",
    ]
    _write(output, "\n".join(lines) + "\n")


# ----------------------------------------------------------------------------- facts
@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", help="Write here instead of standard output.")
def facts(files: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Tidy long-format data: one record per non-empty numeric table cell."""
    from .facts import FIELDS, facts as iter_facts
    from .report.spreadsheet import csv_row

    buf = io.StringIO()
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
    for file in files:
        doc = _parse(file)
        for record in iter_facts(doc):
            if writer is not None:
                writer.writerow(csv_row(record))
            else:
                buf.write(json.dumps(record, ensure_ascii=False) + "\n")
    _write(output, buf.getvalue())


# ----------------------------------------------------------------------------- check
def _render(result, fmt: str, color: bool, min_severity):
    if fmt == "text":
        from .report.text import render_text

        return render_text(result, color=color, min_severity=min_severity)
    if fmt == "json":
        from .report.json_report import result_to_dict

        return json.dumps(result_to_dict(result), ensure_ascii=False, indent=1) + "\n"
    if fmt == "html":
        from .report.html import render_html

        return render_html(result)
    from .report.xlsx import render_xlsx

    return render_xlsx(result)


def _example_path() -> str:
    return str(Path(__file__).parent / "examples" / "example_final_2024.txt")


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "xlsx"]), default="text", show_default=True)
@click.option("-o", "--output", help="Output file (one report) or folder (several reports).")
@click.option("--example", is_flag=True, help="Check the bundled example report.")
@click.option("--rules", "rule_ids", help="Only these rules, comma-separated (e.g. A01,N02).")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"]), default="info", show_default=True, help="Hide findings below this severity (text format).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: when writing to a terminal).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Parallel workers for folders (default: all cores).")
@click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True, help="Folders: seconds allowed per report (0: no limit).")
@click.option("--memory-mb", type=click.IntRange(min=0), default=1024, show_default=True, help="Folders: memory allowed per report, in MB (0: no limit).")
@click.option("--resume/--no-resume", default=True, show_default=True, help="Folders: keep the rows of reports an earlier run into the same output folder already checked.")
def check(inputs, fmt, output, example, rule_ids, min_severity, color, jobs, timeout, memory_mb, resume) -> None:
    """Check reports like a finance-bureau reviewer. Exit 0: no errors; 1: errors; 2: unreadable.

    INPUTS are report files (text or PDF) or folders of them; a folder is checked in
    parallel and gets a summary (one row per report) written as summary.csv.
    """
    from .checks import check as run_check
    from .checks.engine import Severity

    paths = list(inputs)
    if example:
        paths.append(_example_path())
    if not paths:
        raise click.UsageError("give a report file or folder (or --example)")
    rules = [r.strip() for r in rule_ids.split(",")] if rule_ids else None
    files, folders = _expand(paths)
    if folders or len(files) > 1:
        from .batch import Limits

        sys.exit(_batch(paths, fmt, output, rules, jobs, Limits(timeout=timeout or None, memory_mb=memory_mb or None), resume, min_severity))
    file = files[0]
    result = run_check(_parse(file), rules)
    if color is None:
        color = output in (None, "-") and sys.stdout.isatty()
    rendered = _render(result, fmt, color, Severity(min_severity))
    if fmt in ("html", "xlsx") and output in (None, "-") and sys.stdout.isatty():
        output = f"{Path(file).stem}.gongkai.{fmt}"
        click.echo(f"report written to {output}", err=True)
    _write(output, rendered)
    sys.exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


def _expand(paths: list[str]) -> tuple[list[str], list[str]]:
    """(file arguments, folder arguments); folders are walked lazily by the batch."""
    from .batch.inputs import walk

    files = [p for p in paths if not os.path.isdir(p)]
    folders = [p for p in paths if os.path.isdir(p)]
    if folders and not files and not any(next(walk(f, set()), None) for f in folders):
        raise _Unreadable(f"{', '.join(_shown(f) for f in folders)}: no report files (.txt, .md, .pdf, .html) in this folder")
    return files, folders


def _shown(path: str) -> str:
    from .batch import display_path

    return display_path(path)


def _render_report(result, fmt: str, min_severity: str = "info"):
    """A batch worker's rendering of one report (module level: workers call it by name)."""
    from .checks.engine import Severity

    return _render(result, fmt, False, Severity(min_severity))


def _batch(paths: list[str], fmt: str, output: str | None, rules, jobs: int, limits, resume: bool, min_severity: str = "info") -> int:
    """Check folders / several files with the batch engine (gongkai.batch); print the
    summary table (up to 200 rows, else counts); exit 2 only when nothing was checked."""
    import functools

    from .batch.check import check_batch
    from .batch.output import OutputError

    out = output or "gongkai-report"
    bars = []

    def total(n: int) -> None:  # the output folder is claimed: show progress
        bars.append(click.progressbar(length=n, label="checking", file=sys.stderr))
        bars[0].__enter__()

    try:
        try:
            res = check_batch(
                paths, out, fmt=fmt, rules=rules, render=functools.partial(_render_report, min_severity=min_severity),
                jobs=jobs, limits=limits, resume=resume, on_row=lambda row: bars[0].update(1), on_total=total,
            )
        finally:
            if bars:
                bars[0].__exit__(None, None, None)
    except OutputError as exc:
        raise _Unreadable(_shown(str(exc))) from None
    except OSError as exc:
        raise _Unreadable(f"{_shown(out)}: cannot write the batch output ({exc.strerror or exc})") from None
    if res.note:
        click.echo(f"gongkai: {res.note}", err=True)
    done = sum(res.counts.values())
    if done <= len(res.first_rows):
        click.echo(f"{'file':<48} {'department':<24} {'year':>4} {'kind':<4} {'err':>4} {'warn':>4} {'info':>4}")
        for r in sorted(res.first_rows, key=lambda r: r["path"]):
            name = r["path"].removeprefix("./")[-48:]
            if r["status"] != "checked":
                click.echo(f"{name:<48} {r['status'].upper()}: {_shown(r.get('reason') or '')}")
                continue
            click.echo(f"{name:<48} {(r['department'] or '')[:24]:<24} {r['year'] or '':>4} {r['kind'] or '':<4} {r['errors']:>4} {r['warnings']:>4} {r['infos']:>4}")
    counts = ", ".join(f"{n} {status}" for status, n in sorted(res.counts.items()))
    state = "interrupted; the summary is incomplete, run the same command again to finish" if res.interrupted else "complete"
    click.echo(f"{done} reports ({counts or 'none'}), {res.errors} errors found; {state}", err=True)
    click.echo(f"reports and summary (summary.csv, summary.jsonl) written to {_shown(out)}", err=True)
    if res.interrupted:
        return 130
    if not res.counts.get("checked"):
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if res.errors else EXIT_OK


# ----------------------------------------------------------------------------- rules
@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("-o", "--output", help="Write here instead of standard output.")
def rules_cmd(fmt: str, output: str | None) -> None:
    """List the rule catalogue (markdown: the text of docs/rules.md)."""
    from .checks.catalogue import rules_json, rules_markdown, rules_text

    _write(output, {"text": rules_text, "markdown": rules_markdown, "json": rules_json}[fmt]())


@main.command()
def example() -> None:
    """Print the path of the bundled example report."""
    click.echo(_example_path())


if __name__ == "__main__":  # pragma: no cover
    main()
