"""Ingest's parse/check work on a Dask cluster (`gongkai ingest --engine dask`).

Dask rather than Ray: it installs as pure Python wheels (no 200 MB runtime), runs the
same code on a laptop (LocalCluster) and on a cluster (a scheduler address), and its
`as_completed` gives the bounded, streaming submission the store needs. Workers run
the same `work_task` as local workers and return the same picklable rows; the parent
writes them to the store as usual, so the store — and its Parquet export — is the
same whichever engine ran the work. See docs/store.md ("Distributed ingest").
"""

from __future__ import annotations

import os


def dask_run(paths: list[str], jobs: int, on_row, address: str | None = None) -> bool:
    """Run work_task over paths on Dask; rows reach on_row as they finish. Returns interrupted."""
    from dask.distributed import Client, LocalCluster, as_completed

    from .ingest import work_task

    address = address or os.environ.get("GONGKAI_DASK_SCHEDULER")
    cluster = None
    if address:
        client = Client(address)
    else:
        cluster = LocalCluster(n_workers=max(1, jobs), threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    try:
        window = max(4, jobs * 8)
        queue = iter(paths)
        origin = {}
        futures = as_completed()

        def submit(path: str) -> None:
            fut = client.submit(work_task, os.path.abspath(path), pure=False)
            origin[fut.key] = path
            futures.add(fut)

        for path in queue:
            submit(path)
            if futures.count() >= window:
                break
        for fut in futures:
            path = origin.pop(fut.key)
            try:
                row = fut.result()
                row["path"] = path
            except Exception as exc:  # noqa: BLE001 — a lost worker is one failed file
                row = {"status": "crashed", "path": path, "reason": f"{exc.__class__.__name__}: {exc}"}
            on_row(row)
            nxt = next(queue, None)
            if nxt is not None:
                submit(nxt)
        return False
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
