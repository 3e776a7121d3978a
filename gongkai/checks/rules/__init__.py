"""Every rule module; importing this package registers the whole catalogue."""

from . import arithmetic, classification, completeness, forms, metadata, narrative, reconciliation  # noqa: F401
