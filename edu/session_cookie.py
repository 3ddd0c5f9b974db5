"""The session cookie: Flask's signed cookie, its signature checked once per cookie in a process.

Opening the session cost a lesson request 15% of its instructions (docs/performance.md, "Tenth round"): Flask
builds a new signing serializer for every request, then checks the cookie's HMAC, decodes its base64,
decompresses it and parses its JSON. A student's browser sends the same cookie for many requests in a row (it
changes only when the session does), and a cookie whose signature was good once is good again for as long as
its age allows: so the serializer is built once per secret key, and a verified cookie's contents and signing
time are kept, keyed by the whole ``Cookie`` header (finding it skips parsing the header into cookies). A kept
cookie is still refused once older than the session lifetime, as Flask refuses it. Each request gets its own
session data: a copy of the kept dict when every value in it is immutable (strings, numbers, booleans, null:
a signed-in student's session), else parsed afresh from the kept JSON text (lists and dicts could be changed in
place), so nothing one request changes reaches another. Saving an unchanged session sets nothing, as in Flask,
but without reading the cookie's settings first. Kept cookies stay in this process's memory only (never logged,
never written), and all are dropped at once past ``MAX_VERIFIED_COOKIES``.
"""

from __future__ import annotations

import time

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

from edu.kept import keep

MAX_VERIFIED_COOKIES = 10_000
IMMUTABLE_VALUES = frozenset({str, int, float, bool, type(None)})


class VerifiedCookieSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple, object] = {}
        self._verified: dict[tuple, tuple[float, str]] = {}  # (keys, cookie) -> (signed at, JSON text)

    def _keys(self, app: Flask) -> tuple:
        return (*(app.config["SECRET_KEY_FALLBACKS"] or ()), app.secret_key)

    def get_signing_serializer(self, app: Flask):
        keys = self._keys(app)
        serializer = self._serializers.get(keys)
        if serializer is None and app.secret_key:
            serializer = self._serializers[keys] = super().get_signing_serializer(app)
        return serializer

    def open_session(self, app: Flask, request):
        if not app.secret_key:
            return None  # Flask's answer: no session at all
        header = request.environ.get("HTTP_COOKIE")
        if not header:
            return self.session_class()
        keys = self._keys(app)
        kept = self._verified.get((keys, header))
        if kept is None:
            kept = self._verify(app, request)
            if kept is None:
                return self.session_class()  # no session cookie, or a forged or expired one: a new session
            keep(self._verified, (keys, header), kept, MAX_VERIFIED_COOKIES)
        signed_at, contents = kept
        if time.time() - signed_at > app.permanent_session_lifetime.total_seconds():
            return self.session_class()  # expired, as itsdangerous would say
        if isinstance(contents, dict):
            return self.session_class(contents)  # a copy: its values are immutable, so nothing is shared
        return self.session_class(self.serializer.loads(contents))

    def _verify(self, app: Flask, request) -> tuple[float, dict | str] | None:
        """(signed at, contents) of the request's session cookie if its signature is good and it is not too old;
        the contents as a dict if every value is immutable (a copy of it is then a fresh session), else as JSON
        text to parse for each request."""
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return None
        try:
            data, signed_at = self.get_signing_serializer(app).loads(
                cookie, max_age=int(app.permanent_session_lifetime.total_seconds()), return_timestamp=True)
        except BadSignature:
            return None
        if all(type(value) in IMMUTABLE_VALUES for value in data.values()):
            return signed_at.timestamp(), dict(data)
        return signed_at.timestamp(), self.serializer.dumps(data)

    def save_session(self, app: Flask, session, response) -> None:
        """Flask's, with its answer for an unchanged session (nearly every request) given before it reads the
        cookie's seven settings: only ``Vary: Cookie`` if the session was read."""
        if not self.should_set_cookie(app, session):  # unchanged (a changed one, even emptied, is saved)
            if session.accessed:
                _vary_on_cookie(response)
            return
        super().save_session(app, session, response)


def _vary_on_cookie(response) -> None:
    """``Vary: Cookie``, as Flask adds it, set directly when the response has no ``Vary`` yet (Werkzeug's
    header-set object cost more than the rest of saving an unchanged session)."""
    headers = response.headers
    if headers.getlist("Vary"):  # (a list, not `in`: Werkzeug answers `in` by raising and catching KeyError)
        response.vary.add("Cookie")
    else:
        headers.add("Vary", "Cookie")


def init_session_cookie(app: Flask) -> None:
    app.session_interface = VerifiedCookieSessions()
