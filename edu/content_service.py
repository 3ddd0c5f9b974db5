"""The app's view of the content tree: loaded once, reloaded in development when a file changes."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, current_app

from edu.content import load_catalog
from edu.content.loader import tree_fingerprint

if TYPE_CHECKING:
    from edu.content import Catalog

_lock = threading.Lock()


class ContentHolder:
    def __init__(self, root: Path, reload: bool):
        self.root = root
        self.reload = reload
        self._catalog: Catalog | None = None
        self._fingerprint = None

    def get(self) -> Catalog:

        if self._catalog is not None and not self.reload:
            return self._catalog
        fingerprint = tree_fingerprint(self.root) if self.reload else None
        if self._catalog is None or fingerprint != self._fingerprint:
            with _lock:
                if self._catalog is None or fingerprint != self._fingerprint:
                    self._catalog = load_catalog(self.root, today=date.today())
                    self._fingerprint = fingerprint
        return self._catalog


def init_content(app: Flask) -> None:
    app.extensions["edu_content"] = ContentHolder(
        Path(app.config["EDU_CONTENT_DIR"]), reload=bool(app.config["EDU_RELOAD_CONTENT"])
    )


def catalog() -> Catalog:
    return current_app.extensions["edu_content"].get()
