"""What a request carries, without NUL characters.

No text a person types needs U+0000, PostgreSQL refuses it in text ("text fields cannot contain NUL"), and SQLite
would store it unseen. The character is dropped from every form field and query argument (names and values) as
the request is parsed, so no view has to remember it and nothing else the person typed is lost; a URL whose path
holds one matches no route (404), so no view ever looks it up.
"""

from __future__ import annotations

from flask import Flask, Request, request
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing import UnicodeConverter

NUL = "\x00"


def _without_nul(value):
    return value.replace(NUL, "") if isinstance(value, str) else value


class WithoutNul(ImmutableMultiDict):
    """The parsed fields, each name and text value without NUL (uploaded files are left as they are)."""

    def __init__(self, mapping=None):
        if mapping is not None and not isinstance(mapping, dict):  # the parser's (name, value) pairs
            mapping = [(_without_nul(name), _without_nul(value)) for name, value in mapping]
        super().__init__(mapping)


class EduRequest(Request):
    parameter_storage_class = WithoutNul


class TextWithoutNul(UnicodeConverter):
    """The default URL part (``<name>``, ``<string:name>``): any text but "/" and NUL."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's name
        super().__init__(map, *args, **kwargs)
        self.regex = self.regex.replace("[^/]", "[^/\\x00]")


def init_request_input(app: Flask) -> None:
    """Call before the blueprints are registered: their rules take the converters in place then."""
    app.request_class = EduRequest
    app.url_map.converters["default"] = app.url_map.converters["string"] = TextWithoutNul


def client_ip() -> str:
    """The address rate limits count by (behind a proxy, the one ProxyFix took from ``X-Forwarded-For``)."""
    return request.remote_addr or "unknown"
