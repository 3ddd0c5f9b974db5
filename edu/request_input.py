"""What a request carries, without NUL characters.

No text a person types needs U+0000, PostgreSQL refuses it in text ("text fields cannot contain NUL"), and SQLite
would store it unseen. The character is dropped from every form field and query argument (names and values) as
the request is parsed, so no view has to remember it and nothing else the person typed is lost; a URL whose path
holds one names nothing that exists, and is answered 404 before any view looks it up.
"""

from __future__ import annotations

from flask import Flask, Request, abort, request
from werkzeug.datastructures import ImmutableMultiDict

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


def _refuse_nul_in_path():
    if any(isinstance(value, str) and NUL in value for value in (request.view_args or {}).values()):
        abort(404)


def init_request_input(app: Flask) -> None:
    app.request_class = EduRequest
    app.before_request(_refuse_nul_in_path)
