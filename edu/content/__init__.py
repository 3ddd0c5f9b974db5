"""Boundaries content engine: a pure library (no Flask, no SQLAlchemy) that reads ``content/``.

    from edu.content import load_catalog
    catalog = load_catalog(Path("content"), today=date.today())

See docs/content-format-spec.md for the format and the API.
"""

from .catalog import Catalog
from .loader import load_catalog, tree_fingerprint
from .model import Issue

__all__ = ["Catalog", "Issue", "load_catalog", "tree_fingerprint"]
