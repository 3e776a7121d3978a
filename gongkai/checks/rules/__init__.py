"""Every rule module; importing this package registers the whole catalogue."""

from . import arithmetic, classification, completeness, form_review, forms, metadata, narrative, outline, reasoning, reconciliation, text  # noqa: F401
