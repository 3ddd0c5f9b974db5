"""Rendered pages kept per process, for pages that are the same for many people but for the CSRF token.

A page goes in under a key that names everything it depends on (the caller builds the key and decides what may be
cached: see edu/learn/step_cache.py for lesson steps, edu/auth/signin_page.py for the student sign-in form). The
CSRF token is the one per-session part: the page is stored with the token cut out, and each request puts its own
token back in. Pages are kept as UTF-8 bytes, as they are sent, and dropped oldest-first past the cache's size.
Development (templates reloading) renders every time.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app
from flask_wtf.csrf import generate_csrf

_CSRF_SLOT = secrets.token_hex(16).encode()  # a marker no content can contain: it is new in every process


class PageCache:
    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[tuple, bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_render(self, key: tuple, render: Callable[[], bytes]) -> bytes:
        """The page under ``key`` with this request's CSRF token in it, rendered by ``render`` if not stored."""
        token = generate_csrf().encode()
        with self._lock:
            stored = self._entries.get(key)
            if stored is not None:
                self._entries.move_to_end(key)
                self.hits += 1
        if stored is None:
            self.misses += 1
            stored = render().replace(token, _CSRF_SLOT)
            with self._lock:
                self._entries[key] = stored
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return stored.replace(_CSRF_SLOT, token)

    def __len__(self) -> int:
        return len(self._entries)


def render_cached(name: str, key: tuple | None, render: Callable[[], str]) -> bytes:
    """The page as UTF-8 bytes: from the app's cache ``name`` under ``key``, or rendered afresh when ``key`` is None
    or templates reload (development)."""
    def page() -> bytes:
        return str(render()).encode()

    cache: PageCache = current_app.extensions[name]
    if key is None or current_app.config.get("EDU_RELOAD_CONTENT"):
        return page()
    return cache.get_or_render(key, page)
