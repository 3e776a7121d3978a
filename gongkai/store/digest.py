"""Fingerprints of a store's content: two stores with equal digests hold the same data
(used to show that an interrupted and resumed ingest equals an uninterrupted one)."""

from __future__ import annotations


# Columns that say when or in which run something was written, not what was written.
RUN_COLUMNS = {"ingest_run", "ingested_at", "failed_at", "doc_seq"}  # doc_seq: the order reports finished in


def content_digest(con) -> dict[str, str]:
    """A SHA-256 per table of the store's content (rows in a canonical order, run and time
    columns left out): two stores with the same digests hold the same data."""
    import hashlib

    from .schema import TABLES

    out = {}
    for table in TABLES:
        if table == "meta":
            continue
        cols = [r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()]
        keep = [c for c in cols if c not in RUN_COLUMNS]
        if not keep:
            continue
        quoted = ", ".join(f'"{c}"' for c in keep)
        h = hashlib.sha256()
        cur = con.execute(f'SELECT {quoted} FROM "{table}" ORDER BY ALL')
        while True:
            chunk = cur.fetchmany(50_000)
            if not chunk:
                break
            for row in chunk:
                h.update(repr(row).encode())
        out[table] = h.hexdigest()
    return out
