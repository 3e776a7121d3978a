"""Killing ingest midway and re-running gives the same store as an uninterrupted run."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from gongkai.store.digest import content_digest
from gongkai.store.ingest import ingest
from gongkai.synth import write_corpus

ROOT = Path(__file__).resolve().parents[2]

# Ingest in a child process that SIGKILLs itself (no cleanup, no flush, like the OOM killer)
# after `after` reports have come back from the workers; small groups so some are committed.
KILLER = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from gongkai.store import ingest as ing
    ing.GROUP_REPORTS = 4
    seen = 0
    def progress(n):
        global seen
        seen += n
        if seen >= {after}:
            os.kill(os.getpid(), signal.SIGKILL)
    ing.ingest([{src!r}], {db!r}, jobs=2, progress=progress)
    """
)


def _digest(db: str) -> dict:
    con = duckdb.connect(db, read_only=True)
    try:
        return content_digest(con)
    finally:
        con.close()


def test_killed_ingest_resumes_to_the_same_store(tmp_path):
    src = tmp_path / "reports"
    write_corpus(src, 24, seed=7, years=2, max_units=2, defects=True, defect_rate=0.3)
    full = str(tmp_path / "full.duckdb")
    ingest([str(src)], full, jobs=2)

    killed = str(tmp_path / "killed.duckdb")
    proc = subprocess.run([sys.executable, "-c", KILLER.format(root=str(ROOT), src=str(src), db=killed, after=14)], capture_output=True, timeout=120)
    assert proc.returncode < 0  # killed by the signal, not finished
    con = duckdb.connect(killed, read_only=True)
    partial = con.execute("SELECT count(*) FROM reports").fetchone()[0]
    # whole reports only: every stored report has its tables, facts and measures
    orphans = con.execute("SELECT count(*) FROM (SELECT DISTINCT doc_id FROM facts) f ANTI JOIN reports r USING (doc_id)").fetchone()[0]
    con.close()
    assert 0 < partial < 24 and orphans == 0

    stats = ingest([str(src)], killed, jobs=2)
    assert stats.unchanged == partial and stats.stored == 24 - partial
    assert _digest(killed) == _digest(full)
