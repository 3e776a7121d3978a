"""Command line for the corpus store: `gongkai ingest | export | triage | synth`
(and `gongkai check --db`, wired in cli.py). Thin shells over gongkai.store."""

from __future__ import annotations

import json
import os
import sys

import click

from .cli import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, _Unreadable, _write

DEFAULT_DB = "gongkai.duckdb"


def _connect(db: str, read_only: bool = True):
    from .errors import InputError
    from .store.query import connect

    try:
        return connect(db, read_only=read_only)
    except InputError as exc:
        raise _Unreadable(str(exc)) from None


# ----------------------------------------------------------------------------- ingest
@click.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--db", default=DEFAULT_DB, show_default=True, help="The store (DuckDB file); created when missing.")
@click.option("-j", "--jobs", type=int, default=0, help="Parallel workers (default: all cores).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where the parse/check work runs: local processes, or a Dask cluster (GONGKAI_DASK_SCHEDULER=host:port, else a local cluster).")
@click.option("--cross-check/--no-cross-check", default=True, show_default=True, help="Run the checks across reports after ingesting.")
@click.option("--aliases", "aliases_file", type=click.Path(dir_okay=False), help="CSV of department names to treat as one (columns: alias, canonical[, reason]), e.g. renamings.")
@click.option("--expected", "expected_file", type=click.Path(dir_okay=False),
              help="CSV of the reports that should exist, for coverage (columns 部门,年度,类型[,地区,范围,发布日期]); replaces the stored list.")
def ingest(paths, db, jobs, engine, cross_check, aliases_file, expected_file) -> None:
    """Read reports (text or PDF; folders recursively) into the store.

    Idempotent by content hash; a new version of a report supersedes the old one; files
    that cannot be read are recorded in `failures` with the reason. Exit 2 only when
    nothing could be stored. With only --aliases or --expected, no PATHS are needed."""
    from .store.ingest import expand, ingest as run_ingest, open_store

    if not paths and not (aliases_file or expected_file):
        raise click.UsageError("give report files or folders (or --aliases / --expected to load a list)")
    files = expand(paths) if paths else []
    if paths and not files:
        raise _Unreadable(f"{', '.join(paths)}: no report files (.txt, .md, .pdf)")
    for path in (expected_file, aliases_file):
        if path and not os.path.isfile(path):
            raise _Unreadable(f"{path}: no such file")
    open_store(db).close()  # a store that cannot be written is said before any work starts
    from .store.expected import load_expected
    from .store.ingest import load_aliases

    for path, load, what in ((expected_file, load_expected, "expected report(s)"), (aliases_file, load_aliases, "department alias(es)")):
        if path:
            try:
                n = load(db, path)
            except (OSError, ValueError) as exc:  # ListError is a ValueError
                raise _Unreadable(f"{path}: {exc}") from None
            click.echo(f"{n} {what} loaded", err=True)
    if not files:
        return
    with click.progressbar(length=len(files), label="ingesting", file=sys.stderr) as bar:
        stats = run_ingest(files, db, jobs=jobs, engine=engine, progress=bar.update, cross_check=cross_check)
    click.echo(
        f"{stats.files} files: {stats.stored} stored, {stats.unchanged} unchanged, {stats.superseded} superseding an older version, "
        f"{stats.failed} failed ({stats.seconds:.1f} s) → {db}", err=True)
    if stats.failed and not (stats.stored or stats.unchanged):
        sys.exit(EXIT_UNREADABLE)


def cross_check(db: str, rules: list[str] | None, fmt: str) -> int:
    """`gongkai check --db`: run the checks across reports; print them; exit 1 on errors."""
    from .store.crosscheck import cross_findings_json, run_cross_checks
    from .store.ingest import open_store

    if not os.path.exists(db):
        raise _Unreadable(f"{db}: no such database (create it with `gongkai ingest`)")
    _connect(db).close()  # a file that is not a store: one line, exit 2, and nothing written to it
    con = open_store(db)
    try:
        summary = run_cross_checks(con, rules)
        rows = cross_findings_json(con, rules)
    finally:
        con.close()
    if fmt == "json":
        _write(None, json.dumps({"summary": summary, "findings": rows}, ensure_ascii=False, indent=1) + "\n")
    else:
        click.echo(f"跨报告检查：{summary['pairs']} 对报告，{summary['findings']} 项发现")
        for r in rows:
            where = f"{r.get('table_id') or ''} 第{r['line']}行" if r.get("line") else (f"第{r['page']}页" if r.get("page") else "")
            click.echo(f"[{r['severity']}] {r['rule']} {r['message']}  ({where}) — {r.get('match')}")
    return EXIT_FINDINGS if any(r["severity"] == "error" for r in rows) else EXIT_OK


# ----------------------------------------------------------------------------- export
@click.command()
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["csv", "parquet", "xlsx", "sqlite"]), required=True)
@click.option("-o", "--output", help="Folder (csv, parquet) or file (xlsx, sqlite).")
def export(db, fmt, output) -> None:
    """Export the store: CSV, Parquet (facts partitioned by year and region), xlsx or SQLite."""
    import sqlite3
    from pathlib import Path

    from .store.export import default_output, export as run_export

    target = Path(output or default_output(fmt, db))
    folder = target if fmt in ("csv", "parquet") else target.parent
    folder.mkdir(parents=True, exist_ok=True)  # an OSError here is one line, exit 2
    if not os.access(folder, os.W_OK):
        raise _Unreadable(f"{folder}: cannot write here")
    con = _connect(db)
    try:
        written = run_export(con, fmt, str(target))
    except sqlite3.Error as exc:
        raise _Unreadable(f"{target}: cannot write the SQLite file ({exc})") from None
    except OSError as exc:
        raise _Unreadable(f"{target}: cannot write here ({exc.strerror or exc.__class__.__name__})") from None
    finally:
        con.close()
    click.echo(f"wrote {len(written)} file(s) under {target}", err=True)


# ----------------------------------------------------------------------------- triage
@click.group()
def triage() -> None:
    """The reviewer's workflow: list, decide (确认/误报/备注), re-check, 整改通知, 检查表.

    Read-only unless --write and --user are given."""


@triage.command("list")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--department", help="Department name or normalised key.")
@click.option("--min-severity", type=click.Choice(["info", "warning", "error"]), default="warning", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def triage_list(db, department, min_severity, fmt) -> None:
    """Findings to act on, with their triage state."""
    from .store.triage import open_findings

    con = _connect(db)
    try:
        rows = open_findings(con, department=department, min_severity=min_severity, include_false_positive=True)
    finally:
        con.close()
    if fmt == "json":
        _write(None, json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    for r in rows:
        t = r.get("triage")
        state = f"{t['status']}（{t['user']}）" if t else "待处理"
        click.echo(f"{r['finding_id']}  {state:<10} {r['department']} {r['year']}{r['kind']} [{r['severity']}] {r['rule']} {r['message']}")


@triage.command("set")
@click.argument("finding_id")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--status", type=click.Choice(["确认", "误报", "备注"]), required=True)
@click.option("--note", help="The reviewer's remark (quoted in the 整改通知).")
@click.option("--user", help="Who decides (required with --write).")
@click.option("--write", is_flag=True, help="Actually record the decision (the store is read-only otherwise).")
def triage_set(finding_id, db, status, note, user, write) -> None:
    """Record a decision on a finding (kept across re-checks and new versions)."""
    from .store.triage import TriageError, set_triage

    if not write:
        raise click.UsageError("the store is read-only: add --write (and --user NAME) to record a decision")
    if not user:
        raise click.UsageError("--user NAME is required to record a decision")
    con = _connect(db, read_only=False)
    try:
        row = set_triage(con, finding_id, status, user, note)
    except TriageError as exc:
        raise _Unreadable(str(exc)) from None
    finally:
        con.close()
    click.echo(f"{finding_id}: {row['triage']['status']} by {row['triage']['user']}")


@triage.command("recheck")
@click.argument("report")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def triage_recheck(report, db, fmt) -> None:
    """What the current version of REPORT (report_id or doc_id) fixed and what is new."""
    from .store.query import get_report, recheck

    con = _connect(db)
    try:
        rep = get_report(con, report)
        if rep is None:
            raise _Unreadable(f"{report}: no such report")
        diff = recheck(con, rep["report_id"])
    finally:
        con.close()
    if fmt == "json":
        _write(None, json.dumps(diff, ensure_ascii=False, indent=1) + "\n")
        return
    click.echo(f"{rep['department']} {rep['year']}{rep['kind']}: 已修正 {len(diff['fixed'])}，新增 {len(diff['new'])}，仍存在 {len(diff['kept'])}")
    for label, key in (("已修正", "fixed"), ("新增", "new"), ("仍存在", "kept")):
        for f in diff[key]:
            t = f.get("triage")
            click.echo(f"  {label} {f['finding_id']} {f['rule']} {f['message']}" + (f"  [{t['status']}]" if t else ""))


@triage.command("notice")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("--department", required=True, help="Department name or normalised key.")
@click.option("-o", "--output", required=True, help="The .docx to write.")
@click.option("--issuer", default="财政局", show_default=True)
@click.option("--deadline", help="整改期限, e.g. 2025年6月30日.")
def triage_notice(db, department, output, issuer, deadline) -> None:
    """Write the 整改通知 for one department (docx): its open findings (误报 left out)."""
    from .store.triage import write_notice

    con = _connect(db)
    try:
        n = write_notice(con, department, output, issuer=issuer, deadline=deadline)
    finally:
        con.close()
    click.echo(f"{output}: {n} item(s)", err=True)


@triage.command("sheet")
@click.option("--db", default=DEFAULT_DB, show_default=True)
@click.option("-o", "--output", required=True, help="The .xlsx to write.")
def triage_sheet(db, output) -> None:
    """Write the batch's 检查表 (xlsx): one row per report, counts and triage progress."""
    from .store.triage import write_sheet

    con = _connect(db)
    try:
        n = write_sheet(con, output)
    finally:
        con.close()
    click.echo(f"{output}: {n} report(s)", err=True)


# ----------------------------------------------------------------------------- synth
@click.command()
@click.option("--n", "n", type=click.IntRange(1, 10_000_000), required=True, help="How many reports.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder to write (with manifest.jsonl).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--years", type=click.IntRange(1, 20), default=3, show_default=True, help="Years per department.")
@click.option("--max-units", type=click.IntRange(0, 20), default=3, show_default=True, help="Units per department at most (0: 部门 reports only).")
@click.option("--defects", is_flag=True, help="Inject defects into some reports (listed in manifest.jsonl).")
@click.option("--defect-rate", type=click.FloatRange(0, 1), default=0.2, show_default=True)
def synth(n, out, seed, years, max_units, defects, defect_rate) -> None:
    """Generate consistent synthetic 决算 reports (every identity holds unless --defects)."""
    from .synth import write_corpus

    manifest = write_corpus(out, n, seed, years=years, max_units=max_units, defects=defects, defect_rate=defect_rate)
    planted = sum(1 for m in manifest if m["defects"])
    click.echo(f"wrote {len(manifest)} reports to {out} ({planted} with defects); manifest.jsonl lists them", err=True)


COMMANDS = [ingest, export, triage, synth]
