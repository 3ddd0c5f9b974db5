"""The Flask application class: Flask, with its check for coroutines made once per function."""

from __future__ import annotations

from flask import Flask

MAX_CHECKED_FUNCTIONS = 1_000


class BoundariesFlask(Flask):
    """Flask asks of every hook and view, on every request, whether it is an ``async def`` function (to run it
    in an event loop): eleven checks per lesson page, each through ``inspect``, 2% of the page's cost. A
    function's answer never changes, so the plain functions found are remembered and handed back at once;
    anything else goes through Flask's own check (``ensure_sync`` is the documented place to change it). Only
    the app's own hooks, views and error handlers come here, a fixed set; the cap guards against anything that
    would pass new functions forever."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._plain_functions: set = set()

    def ensure_sync(self, func):
        try:
            if func in self._plain_functions:
                return func
        except TypeError:  # an unhashable callable: checked every time
            return super().ensure_sync(func)
        synchronous = super().ensure_sync(func)
        if synchronous is func and len(self._plain_functions) < MAX_CHECKED_FUNCTIONS:
            self._plain_functions.add(func)
        return synchronous
