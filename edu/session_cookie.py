"""The session cookie: Flask's signed cookie, its signature checked once per cookie in a process.

Opening the session cost a lesson request 15% of its instructions (docs/performance.md, "Tenth round"): Flask
builds a new signing serializer for every request, then checks the cookie's HMAC, decodes its base64,
decompresses it and parses its JSON. A student's browser sends the same cookie for many requests in a row (it
changes only when the session does), and a cookie whose signature was good once is good again for as long as
its age allows: so the serializer is built once per secret key, and a verified cookie's contents (as JSON text)
and signing time are kept. A kept cookie is still refused once older than the session lifetime, as Flask
refuses it, and each request gets its own fresh session data parsed from the kept text, so nothing one
request changes reaches another. Saving an unchanged session sets nothing, as in Flask, but without reading
the cookie's settings first. Kept cookies stay in this process's memory only (never logged, never
written), and all are dropped at once past ``MAX_VERIFIED_COOKIES``.
"""

from __future__ import annotations

import time

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature

MAX_VERIFIED_COOKIES = 10_000


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
        keys = self._keys(app)
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie or not app.secret_key:
            return super().open_session(app, request)  # no cookie: a new session (no secret key: none at all)
        max_age = app.permanent_session_lifetime.total_seconds()
        kept = self._verified.get((keys, cookie))
        if kept is None:
            try:
                data, signed_at = self.get_signing_serializer(app).loads(
                    cookie, max_age=int(max_age), return_timestamp=True)
            except BadSignature:
                return self.session_class()
            kept = (signed_at.timestamp(), self.serializer.dumps(data))
            if len(self._verified) >= MAX_VERIFIED_COOKIES:
                self._verified.clear()
            self._verified[(keys, cookie)] = kept
        signed_at, text = kept
        if time.time() - signed_at > max_age:
            return self.session_class()  # expired, as itsdangerous would say
        return self.session_class(self.serializer.loads(text))

    def save_session(self, app: Flask, session, response) -> None:
        """Flask's, with its answer for an unchanged session (nearly every request) given before it reads the
        cookie's seven settings: only ``Vary: Cookie`` if the session was read."""
        if not self.should_set_cookie(app, session):  # unchanged (a changed one, even emptied, is saved)
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)


def init_session_cookie(app: Flask) -> None:
    app.session_interface = VerifiedCookieSessions()
