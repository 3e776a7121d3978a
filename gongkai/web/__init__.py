"""The web portal over the store (`gongkai serve`)."""

from .app import create_app

__all__ = ["create_app"]
