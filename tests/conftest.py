"""Shared test configuration (helpers and corpus caches live in tests/support.py)."""
