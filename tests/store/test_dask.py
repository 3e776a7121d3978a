"""`gongkai ingest --engine dask` (a Dask local cluster) writes the same store as local workers."""

from __future__ import annotations

import duckdb
import pytest

from gongkai.store.digest import content_digest
from gongkai.store.ingest import ingest
from gongkai.synth import write_corpus

pytest.importorskip("dask.distributed")


def test_dask_engine_writes_the_same_store(tmp_path):
    src = tmp_path / "reports"
    write_corpus(src, 8, seed=3, years=2, max_units=1)
    (src / "junk.txt").write_text("不是报告\n", encoding="utf-8")
    local, dask = str(tmp_path / "local.duckdb"), str(tmp_path / "dask.duckdb")
    ingest([str(src)], local, jobs=1)
    stats = ingest([str(src)], dask, jobs=2, engine="dask")
    assert stats.stored == 8 and stats.failed == 1
    digests = []
    for db in (local, dask):
        con = duckdb.connect(db, read_only=True)
        digests.append(content_digest(con))
        con.close()
    assert digests[0] == digests[1]
