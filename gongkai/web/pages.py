"""The portal's pages over the store's query layer."""

from __future__ import annotations


def register(app) -> None:
    pass
