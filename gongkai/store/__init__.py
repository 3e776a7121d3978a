"""The corpus store: many reports in one DuckDB database, checked against each other.

    ingest.py   files → per-report rows (workers) → one transaction per report (parent)
    flatten.py  a parsed and checked Document → plain rows (picklable)
    schema.py   the tables (docs/store.md is the public contract)
    measures.py named amounts (总支出, 三公 …) read from role-based facts
    names.py    department names: regions, normalisation, aliases
    expected.py the expected-reports list (coverage), read from a CSV
    query.py    read-only queries shared by the CLI and the portal
"""
