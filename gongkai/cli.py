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
from concurrent.futures import ProcessPoolExecutor, as_completed
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

    buf = io.StringIO()
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
    for file in files:
        doc = _parse(file)
        for record in iter_facts(doc):
            if writer is not None:
                writer.writerow(record)
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
@click.option("-j", "--jobs", type=int, default=0, help="Parallel workers for folders (default: all cores).")
@click.option("--db", help="Run the checks across reports (R01–R19) on this store instead (see `gongkai ingest`).")
def check(inputs, fmt, output, example, rule_ids, min_severity, color, jobs, db) -> None:
    """Check reports like a finance-bureau reviewer. Exit 0: no errors; 1: errors; 2: unreadable.

    INPUTS are report files (text or PDF) or folders of them; a folder is checked in
    parallel and gets a summary (one row per report) written as summary.csv.
    """
    from .checks import check as run_check
    from .checks.engine import Severity

    if db:
        from .cli_store import cross_check

        sys.exit(cross_check(db, [r.strip() for r in rule_ids.split(",")] if rule_ids else None, "json" if fmt == "json" else "text"))
    paths = list(inputs)
    if example:
        paths.append(_example_path())
    if not paths:
        raise click.UsageError("give a report file or folder (or --example)")
    rules = [r.strip() for r in rule_ids.split(",")] if rule_ids else None
    files, folders = _expand(paths)
    if folders or len(files) > 1:
        sys.exit(_batch(files, fmt, output, rules, jobs))
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
    files, folders = [], []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            folders.append(p)
            found = sorted(x for x in path.rglob("*") if x.is_file() and x.suffix.lower() in REPORT_SUFFIXES)
            files.extend(str(x) for x in found)
        else:
            files.append(p)
    if folders and not files:
        raise _Unreadable(f"{', '.join(folders)}: no report files (.txt, .md, .pdf) in this folder")
    return files, folders


def _check_one(args) -> dict:
    """Check one report and write its report file (in a worker); return its summary row."""
    path, rules, fmt, report_path = args
    from .api import parse
    from .checks import check as run_check
    from .checks.engine import Severity

    try:
        result = run_check(parse(path), rules)
    except Exception as exc:  # noqa: BLE001
        message = str(exc) if isinstance(exc, InputError) else f"{path}: {exc.__class__.__name__}: {exc}"
        return {"path": path, "status": "unreadable", "message": message}
    _write(str(report_path), _render(result, fmt, False, Severity.INFO))
    meta = result.doc.meta
    s = result.summary
    return {
        "path": path, "status": "checked", "department": meta.department, "year": meta.year, "kind": meta.kind,
        "profile": meta.profile, "errors": s["errors"], "warnings": s["warnings"], "infos": s["infos"],
        "report": report_path.name,
    }


def _report_names(files: list[str], suffix: str) -> list[str]:
    """One report file name per input: its stem, numbered when two inputs share a stem."""
    seen: dict[str, int] = {}
    names = []
    for f in files:
        stem = Path(f).stem
        seen[stem] = seen.get(stem, 0) + 1
        names.append(f"{stem}.{suffix}" if seen[stem] == 1 else f"{stem}-{seen[stem]}.{suffix}")
    return names


def _batch(files: list[str], fmt: str, output: str | None, rules, jobs: int) -> int:
    out_dir = Path(output or "gongkai-report")
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = jobs or os.cpu_count() or 1
    suffix = {"text": "txt", "json": "json", "html": "html", "xlsx": "xlsx"}[fmt]
    tasks = [(f, rules, fmt, out_dir / name) for f, name in zip(files, _report_names(files, suffix))]
    rows: list[dict] = []
    with click.progressbar(length=len(files), label="checking", file=sys.stderr) as bar:
        if workers == 1 or len(files) == 1:
            for task in tasks:
                rows.append(_check_one(task))
                bar.update(1)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                for future in as_completed([pool.submit(_check_one, task) for task in tasks]):
                    rows.append(future.result())
                    bar.update(1)
    rows.sort(key=lambda r: r["path"])
    fields = ["path", "status", "department", "year", "kind", "profile", "errors", "warnings", "infos", "report", "message"]
    with open(out_dir / "summary.csv", "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    click.echo(f"{'file':<48} {'department':<24} {'year':>4} {'kind':<4} {'err':>4} {'warn':>4} {'info':>4}")
    for r in rows:
        if r["status"] != "checked":
            click.echo(f"{Path(r['path']).name[:48]:<48} UNREADABLE: {r.get('message', '')}")
            continue
        click.echo(f"{Path(r['path']).name[:48]:<48} {(r['department'] or '')[:24]:<24} {r['year'] or '':>4} {r['kind'] or '':<4} {r['errors']:>4} {r['warnings']:>4} {r['infos']:>4}")
    click.echo(f"summary written to {out_dir / 'summary.csv'}", err=True)
    if any(r["status"] != "checked" for r in rows):
        return EXIT_UNREADABLE
    return EXIT_FINDINGS if any(r["errors"] for r in rows) else EXIT_OK


# ----------------------------------------------------------------------------- rules
@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True)
@click.option("-o", "--output", help="Write here instead of standard output.")
def rules_cmd(fmt: str, output: str | None) -> None:
    """List the rule catalogue (markdown: the text of docs/rules.md)."""
    from .checks.catalogue import rules_json, rules_markdown, rules_text

    _write(output, {"text": rules_text, "markdown": rules_markdown, "json": rules_json}[fmt]())


# ----------------------------------------------------------------------------- serve
@main.command()
@click.option("--db", "db", default="gongkai.duckdb", show_default=True, type=click.Path(dir_okay=False), help="The store to serve.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--write", is_flag=True, help="Allow triage of findings (needs --user).")
@click.option("--user", help="Your name, recorded with each triage decision.")
@click.option("--upload-limit", default=20, show_default=True, type=int, help="Largest upload, in MiB.")
def serve(db, host, port, write, user, upload_limit) -> None:
    """The web portal over a store (read-only unless --write --user NAME)."""
    if write and not (user and user.strip()):
        raise click.UsageError("--write needs --user NAME (recorded with each triage decision)")
    if not Path(db).is_file():
        raise _Unreadable(f"{db}: no such store (create it with `gongkai ingest`)")
    import uvicorn

    from .web import create_app

    app = create_app(db, write=write, user=user, upload_limit=upload_limit * 1048576)
    click.echo("preparing the portal's summaries …", err=True)
    app.state.store.warm()
    click.echo(f"gongkai portal on http://{host}:{port}/ ({'write, user ' + user if write else 'read-only'})", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.command()
def example() -> None:
    """Print the path of the bundled example report."""
    click.echo(_example_path())


def _register_store_commands() -> None:
    from .cli_store import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_register_store_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
