"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_wtf.csrf import generate_csrf

from edu.kept import keep

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])


def fixed_headers(production: bool) -> list[tuple[str, str]]:
    """The headers every response carries, whoever asks for whatever."""
    headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if production:
        headers.append(("Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
    return headers


NO_STORE = ("Cache-Control", "no-store")


class SecurityHeaders:
    """WSGI middleware adding the fixed headers to every response the app sends, error pages and static files
    included. They are header tuples built once, appended as the response starts: setting them one by one on
    each Flask response (which checks and normalises every name and value) cost 4% of a lesson request. A
    header of the same name set by the app is replaced: one policy for every page.

    Every response that does not set its own ``Cache-Control`` (only static files do, to be cached for a year
    under their hashed names) gets ``no-store``: no page, public or signed in, and no error is kept by a browser
    or a proxy. A student who leaves with the quick exit leaves no copy of a help page in the browser's cache."""

    def __init__(self, wsgi_app, production: bool):
        self.wsgi_app = wsgi_app
        self.headers = fixed_headers(production)
        self.names = frozenset(name.lower() for name, _value in self.headers)

    def __call__(self, environ, start_response):
        def start_with_headers(status, headers, exc_info=None):
            kept, cache_control = [], False
            for header in headers:
                name = header[0].lower()
                if name not in self.names:
                    kept.append(header)
                    cache_control = cache_control or name == "cache-control"
            kept.extend(self.headers)
            if not cache_control:
                kept.append(NO_STORE)
            return start_response(status, kept, exc_info)

        return self.wsgi_app(environ, start_with_headers)


MAX_SIGNED_CSRF_TOKENS = 10_000
_signed_csrf_tokens: dict[tuple[str, str], str] = {}


def csrf_token() -> str:
    """This session's token for a form: Flask-WTF's ``generate_csrf``, signed once per session in a process.

    Flask-WTF signs the session's random token anew for every request, a timestamped signature that cost 6% of a
    lesson request. Tokens have no time limit here (``WTF_CSRF_TIME_LIMIT`` is None: a long lesson must still
    submit), so one signature is as valid as the next, and the first is kept in memory for the session's later
    pages. A token identifies no one and is kept only in this process; HTML is never compressed
    (BREACH, docs/deploy.md), so a token that stays the same across a session's pages gives nothing away. The
    kept tokens are dropped all at once past ``MAX_SIGNED_CSRF_TOKENS`` (then signed again as pages ask). The
    lesson page (edu/learn/step_cache.py) asks for it first, so the forms it renders get the same token; other
    pages still have theirs signed by Flask-WTF."""
    secret_key = current_app.secret_key
    if "csrf_token" not in g:
        signed = _signed_csrf_tokens.get((secret_key, session.get("csrf_token")))
        if signed is not None:
            g.csrf_token = signed  # where generate_csrf looks first: forms on the page get the same token
            return signed
    token = generate_csrf()  # makes the session's random token first if it has none
    return keep(_signed_csrf_tokens, (secret_key, session["csrf_token"]), token, MAX_SIGNED_CSRF_TOKENS)


def check_csrf_only_on_writes(app: Flask) -> None:
    """Flask-WTF's check before every request, entered only for the methods it checks (POST, PUT, PATCH,
    DELETE). For any other request it looked up the view's blueprint and name for its exemptions before it
    looked at the method and returned: 4% of a lesson page's cost for nothing. Writes go through it as before."""
    before = app.before_request_funcs[None]
    check = next(hook for hook in before if hook.__name__ == "csrf_protect")

    def csrf_protect_writes():
        if request.method in app.config["WTF_CSRF_METHODS"]:
            return check()
        return None

    before[before.index(check)] = csrf_protect_writes


def init_security(app: Flask) -> None:
    app.wsgi_app = SecurityHeaders(app.wsgi_app, production=app.config["EDU_ENV"] == "production")
    check_csrf_only_on_writes(app)  # Flask-WTF's hook is in place (csrf.init_app comes first)
