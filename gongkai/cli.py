"""Command line: `gongkai parse | facts | check | rules | example`.

Imports are kept inside the commands (and gongkai/__init__ loads the pipeline lazily),
so `gongkai --version`, `gongkai rules` and a batch's parent start quickly.

Each command is a thin shell over the Python API of the same name. Unreadable input
gets one line on stderr and exit code 2; `check` exits 1 when errors were found.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from pathlib import Path

import click

from . import __version__
from .errors import InputError

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
REPORT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ".pdf", ".html", ".htm"}


class _Unreadable(click.ClickException):
    exit_code = EXIT_UNREADABLE

    def show(self, file=None):
        from .textsafe import one_line

        click.echo(f"gongkai: {one_line(self.message)}", err=True)


def _fail(exc: BaseException, path: str) -> _Unreadable:
    from .textsafe import one_line, path_text

    if isinstance(exc, InputError):
        return _Unreadable(str(exc))
    if os.environ.get("GONGKAI_DEBUG"):
        import traceback

        traceback.print_exc()
    if isinstance(exc, MemoryError):
        return _Unreadable(f"{path_text(path)}: not enough memory to read this file; see docs/limits.md")
    return _Unreadable(f"{path_text(path)}: cannot read this file ({exc.__class__.__name__}: {one_line(str(exc))[:300]}); set GONGKAI_DEBUG=1 for details")


def _parse(path: str):
    from .api import parse

    try:
        return parse(path)
    except Exception as exc:  # noqa: BLE001 — every failure to read becomes one line + exit 2
        raise _fail(exc, path) from None


def _write(out: str | None, data: str | bytes) -> None:
    """Write to standard output or to the file `out` (via a temporary file renamed into
    place, so a failed write leaves no half file); every failure is one line, exit 2."""
    from .textsafe import path_text

    if out in (None, "-"):
        try:
            if isinstance(data, bytes):
                sys.stdout.buffer.write(data)
            else:
                sys.stdout.write(data)
            sys.stdout.flush()
        except BrokenPipeError:  # `gongkai ... | head`: the reader has what it wanted
            _quiet_stdout()
        except OSError as exc:
            raise _Unreadable(f"cannot write to standard output ({exc.strerror or exc})") from None
        return
    target = Path(out)
    if target.is_dir():
        raise _Unreadable(f"{path_text(out)}: is a directory; give a file name for the output")
    payload = data if isinstance(data, bytes) else data.encode("utf-8", "surrogateescape")
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        if target.exists() and not target.is_file():  # a device or a pipe (/dev/stdout): write to it
            tmp = None
            with open(target, "wb") as fh:
                fh.write(payload)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(payload)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise _Unreadable(f"{path_text(out)}: cannot write the output ({exc.strerror or exc.__class__.__name__})") from None


def _not_an_input(output: str | None, inputs) -> None:
    """Refuse an output file that is one of the inputs: a report must never overwrite its source."""
    if output in (None, "-") or not os.path.exists(output):
        return
    from .textsafe import path_text

    for path in inputs:
        try:
            same = os.path.samefile(output, path)
        except OSError:
            continue
        if same:
            raise _Unreadable(f"{path_text(output)}: is an input report; give another output file")


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at /dev/null so Python's exit flush stays silent."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _limits_option(func):
    """`--limit NAME=N` (repeatable): raise one of the documented resource limits."""
    def apply(ctx, param, values):
        from .limits import apply as apply_limits

        try:
            apply_limits(values)
        except ValueError as exc:
            raise _Unreadable(str(exc)) from None
        return values

    return click.option(
        "--limit", "limits_", multiple=True, metavar="NAME=N", expose_value=False, callback=apply,
        help="Raise a resource limit, e.g. --limit pages=1000 (see docs/limits.md).",
    )(func)


# "running": a one-report command runs, so the process may end without tearing the
# interpreter down; "process": the CLI is the process (`run`), not called in-process.
_ONE_REPORT = {"running": False, "process": False}


def _one_report(command):
    """A command that reads one report and exits: no cyclic garbage collection, no teardown.

    Its time is mostly start-up, and start-up creates tens of thousands of long-lived
    objects (modules, classes, compiled patterns) that the collector would scan again and
    again and that the interpreter would free one by one at exit; what the command itself
    allocates lives until exit anyway. A batch turns both back on (see `check`).
    """

    @functools.wraps(command)
    def run(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        _ONE_REPORT["running"] = True
        try:
            return command(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return run


def _not_one_report() -> None:
    """The command turned out to be a batch or a store's checks: collect garbage, exit normally."""
    _ONE_REPORT["running"] = False
    if _ONE_REPORT["process"]:
        gc.freeze()  # what start-up made lives as long as the process: never scan it again
    gc.enable()


def _stdout_is_pipe() -> bool:
    import stat

    try:
        mode = os.fstat(sys.stdout.fileno()).st_mode
    except (OSError, ValueError, AttributeError):
        return False  # not a real file descriptor (tests capture output in memory)
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _rule_ids(text: str | None) -> list[str] | None:
    """--rules as given (any case, spaces, commas); an unknown id is an error, not 0 rules run."""
    if not text:
        return None
    from .checks import all_rules

    known = {r.id for r in all_rules()}
    ids = [r.strip().upper() for r in text.split(",") if r.strip()]
    unknown = [r for r in ids if r not in known]
    if unknown or not ids:
        raise _Unreadable(f"--rules: unknown rule id {', '.join(unknown) or repr(text)} (see `gongkai rules`)")
    return ids


# The corpus store's commands (gongkai/cli_store.py), loaded when one of them is asked
# for or listed, so a one-report command does not load them. A test keeps this in step.
STORE_COMMANDS = ("export", "ingest", "synth", "triage")


class _Cli(click.Group):
    """Usage errors (a bad option value, an unknown command) as one line, exit 2, like
    every other error: `gongkai: <what is wrong> (see `gongkai check --help`)`."""

    def list_commands(self, ctx):
        _register_store_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx, name):
        if name in STORE_COMMANDS:
            _register_store_commands()
        return super().get_command(ctx, name)

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as exc:
            raise _one_line_usage(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line_usage(exc) from None
        except InputError as exc:  # any command's unusable input or store: one line, exit 2
            raise _Unreadable(str(exc)) from None
        except OSError as exc:  # a file or folder that cannot be read or written (full disk, no such folder …)
            from .textsafe import path_text

            where = path_text(str(exc.filename)) + ": " if exc.filename else ""
            raise _Unreadable(f"{where}{exc.strerror or exc.__class__.__name__}") from None


def _one_line_usage(exc: click.UsageError) -> click.ClickException:
    if type(exc).__name__ == "NoArgsIsHelpError":  # `gongkai` alone: the help text is the answer
        return exc
    where = exc.ctx.command_path if exc.ctx is not None else "gongkai"
    return _Unreadable(f"{exc.format_message()} (see `{where} --help`)")


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="gongkai")
def main() -> None:
    """gongkai (公开): read and check budget / final-account disclosure reports."""


# ----------------------------------------------------------------------------- parse
@main.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["json", "summary"]), default="json", show_default=True)
@click.option("-o", "--output", help="Write here instead of standard output.")
@_limits_option
@_one_report
def parse(file: str, fmt: str, output: str | None) -> None:
    """Print the whole model of a report (text or PDF) as JSON."""
    from .model.serialize import to_jsonable

    _not_an_input(output, [file])
    doc = _parse(file)
    if fmt == "json":
        import json

        _write(output, json.dumps(to_jsonable(doc), ensure_ascii=False, indent=1) + "\n")
        return
    lines = [
        f"{doc.meta.department} {doc.meta.year} {doc.meta.kind} · {doc.meta.profile_name}",
        f"tables: {', '.join(t.id for t in doc.tables)}" + (f"  missing: {', '.join(m.id for m in doc.missing_tables)}" if doc.missing_tables else ""),
        f"forms: self-evaluation {len(doc.performance_forms)}, targets {len(doc.target_forms)}, overall {len(doc.overall_target_forms)}",
        f"warnings: {len(doc.warnings)}",
    ]
    from .textsafe import visible

    _write(output, visible("\n".join(lines)) + "\n")


@main.group()
def profile() -> None:
    """Template profiles: draft one for a report of a new template."""


@profile.command("infer")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--id", "profile_id", default="my-template", show_default=True, help="The new profile's id.")
@click.option("--name", help="A readable name for the template.")
@click.option("--region", default="", help="The region the template belongs to.")
@click.option("-o", "--output", help="Write the TOML here instead of standard output.")
def profile_infer(file: str, profile_id: str, name: str | None, region: str, output: str | None) -> None:
    """Draft a profile (TOML) from FILE, every table recognised by what it is, for review."""
    from .extract import build_document
    from .ingest import load
    from .profiles.infer import draft_profile

    try:
        loaded = load(file)
        doc = build_document(loaded.source, loaded.blocks, file, profiles=())
    except Exception as exc:  # noqa: BLE001 — one line + exit 2
        raise _fail(exc, file) from None
    _write(output, draft_profile(doc, profile_id, name, region))


# ----------------------------------------------------------------------------- facts
@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", help="Write here instead of standard output.")
@_limits_option
def facts(files: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Tidy long-format data: one record per non-empty numeric table cell."""
    from .facts import FIELDS, facts as iter_facts
    from .report.spreadsheet import csv_row

    import csv
    import io
    import json

    buf = io.StringIO()
    writer = None
    if fmt == "csv":
        writer = csv.DictWriter(buf, fieldnames=FIELDS, lineterminator="\n")
        writer.writeheader()
    _not_an_input(output, files)
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

        import json

        return json.dumps(result_to_dict(result, min_severity), ensure_ascii=False, indent=1) + "\n"
    if fmt == "html":
        from .report.html import render_html

        return render_html(result, min_severity)
    if fmt in ("checklist", "checklist-docx"):
        from .report.checklist import render_checklist

        return render_checklist(result, "docx" if fmt == "checklist-docx" else "xlsx")
    from .report.xlsx import render_xlsx

    return render_xlsx(result, min_severity)


def _example_path() -> str:
    return str(Path(__file__).parent / "examples" / "example_final_2024.txt")


@main.command()
@click.argument("inputs", nargs=-1, type=click.Path(dir_okay=True))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "html", "xlsx", "checklist"]), default="text", show_default=True, help="checklist: the reviewer's 公开情况检查表 (.xlsx, or .docx when -o ends in .docx).")
@click.option("-o", "--output", help="Output file (one report) or folder (several reports).")
@click.option("--example", is_flag=True, help="Check the bundled example report.")
@click.option("--rules", "rule_ids", help="Only these rules, comma-separated (e.g. A01,N02).")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"]), default="info", show_default=True, help="Hide findings below this severity (every format).")
@click.option("--color/--no-color", default=None, help="Colour the text report (default: when writing to a terminal).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Parallel workers for folders (default: all cores).")
@click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True, help="Folders: seconds allowed per report (0: no limit).")
@click.option("--memory-mb", type=click.IntRange(min=0), default=1024, show_default=True, help="Folders: memory allowed per report, in MB (0: no limit).")
@click.option("--resume/--no-resume", default=True, show_default=True, help="Folders: keep the rows of reports an earlier run into the same output folder already checked.")
@click.option("--db", help="Run the checks across reports (R01–R19) on this store instead (see `gongkai ingest`).")
@_limits_option
@_one_report
def check(inputs, fmt, output, example, rule_ids, min_severity, color, jobs, timeout, memory_mb, resume, db) -> None:
    """Check reports like a finance-bureau reviewer. Exit 0: no errors; 1: errors; 2: unreadable.

    INPUTS are report files (text or PDF) or folders of them. Several reports are
    checked in parallel into an output folder (-o, default gongkai-report): one report
    file each and a summary row each (summary.csv, summary.jsonl) as they finish. A
    report that fails, hangs or runs out of memory costs one row; running the same
    command again resumes an interrupted batch. Exit 2 then means nothing could be checked.
    """
    from .checks import check as run_check
    from .checks.engine import Severity

    if db:
        from .cli_store import cross_check

        _not_one_report()
        sys.exit(cross_check(db, [r.strip() for r in rule_ids.split(",")] if rule_ids else None, "json" if fmt == "json" else "text"))
    paths = list(inputs)
    if example:
        paths.append(_example_path())
    if not paths:
        raise click.UsageError("give a report file or folder (or --example)")
    rules = _rule_ids(rule_ids)
    files, folders = _expand(paths)
    if folders or len(files) > 1:
        from .batch import Limits

        _not_one_report()
        sys.exit(_batch(paths, fmt, output, rules, jobs, Limits(timeout=timeout or None, memory_mb=memory_mb or None), resume, min_severity))
    file = files[0]
    _not_an_input(output, [file])
    result = run_check(_parse(file), rules)
    if color is None:
        color = output in (None, "-") and sys.stdout.isatty()
    if fmt == "checklist" and str(output or "").lower().endswith(".docx"):
        fmt = "checklist-docx"
    rendered = _render(result, fmt, color, Severity(min_severity))
    if fmt in ("html", "xlsx", "checklist") and output in (None, "-") and sys.stdout.isatty():
        output = f"{Path(file).stem}.gongkai.{'checklist.xlsx' if fmt == 'checklist' else fmt}"
        click.echo(f"report written to {output}", err=True)
    if fmt in ("xlsx", "checklist", "checklist-docx") and output in (None, "-") and _stdout_is_pipe():
        raise _Unreadable(f"{'xlsx' if fmt == 'xlsx' else 'the checklist'} is a binary file: give -o REPORT.xlsx (or redirect to a file) instead of a pipe")
    _write(output, rendered)
    sys.exit(EXIT_FINDINGS if result.has_errors else EXIT_OK)


def _expand(paths: list[str]) -> tuple[list[str], list[str]]:
    """(file arguments, folder arguments); folders are walked lazily by the batch."""
    files = [p for p in paths if not os.path.isdir(p)]
    folders = [p for p in paths if os.path.isdir(p)]
    if folders and not files:
        from .batch.inputs import walk  # the batch machinery only when there is a folder

        if any(next(walk(f, set()), None) for f in folders):
            return files, folders
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
    from .textsafe import one_line
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
    except KeyboardInterrupt:  # before the workers started (while counting the files)
        click.echo("gongkai: interrupted before any report was checked", err=True)
        return 130
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
            name = r["path"].removeprefix("./")
            name = name if len(name) <= 48 else "…" + name[-47:]
            if r["status"] != "checked":
                click.echo(f"{name:<48} {r['status'].upper()}: {one_line(_shown(r.get('reason') or ''))}")
                continue
            dept = one_line(r["department"] or "")[:24]  # from the document: escapes shown, not run
            click.echo(f"{name:<48} {dept:<24} {r['year'] or '':>4} {one_line(r['kind'] or ''):<4} {r['errors']:>4} {r['warnings']:>4} {r['infos']:>4}")
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
@_one_report
def rules_cmd(fmt: str, output: str | None) -> None:
    """List the rule catalogue (markdown: the text of docs/rules.md)."""
    from .checks.catalogue import rules_json, rules_markdown, rules_text

    _write(output, {"text": rules_text, "markdown": rules_markdown, "json": rules_json}[fmt]())


# ----------------------------------------------------------------------------- serve
@main.command()
@click.option("--db", "db", default="gongkai.duckdb", show_default=True, type=click.Path(dir_okay=False), help="The store to serve.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--write", is_flag=True, help="Allow triage of findings (needs --user).")
@click.option("--user", help="Your name, recorded with each triage decision.")
@click.option("--upload-limit", default=20, show_default=True, type=int, help="Largest upload, in MiB.")
def serve(db, host, port, write, user, upload_limit) -> None:
    """The web portal over a store (read-only unless --write --user NAME)."""
    if write and not (user and user.strip()):
        raise click.UsageError("--write needs --user NAME (recorded with each triage decision)")
    if not Path(db).is_file():
        raise _Unreadable(f"{db}: no such store (create it with `gongkai ingest`)")
    from .store.query import connect

    connect(db, read_only=True).close()  # not a store, or locked for writing: one line, exit 2
    import socket

    try:  # a port in use or a host that is not this machine's: one line, before the server starts
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise _Unreadable(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from None
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
        if command.name not in main.commands:
            main.add_command(command)


def run() -> None:
    """The console entry point (`gongkai`, `python -m gongkai`).

    After a one-report command the process leaves at once (os._exit, once output is
    flushed): every file it wrote is closed, no worker or server is left, and freeing
    the interpreter's objects one by one would cost a tenth of a small check.
    """
    _ONE_REPORT["process"] = True
    try:
        main(prog_name="gongkai")
    except SystemExit as exc:
        if _ONE_REPORT["running"] and (exc.code is None or isinstance(exc.code, int)):
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            os._exit(exc.code or 0)
        raise


if __name__ == "__main__":  # pragma: no cover
    run()
