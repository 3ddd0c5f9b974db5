"""Security headers on every response."""

from __future__ import annotations

from flask import Flask

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
        # Our own pages' URLs to our own server only (never to another site). Behind HTTPS the CSRF check needs
        # the Referer of a same-site POST (Flask-WTF's WTF_CSRF_SSL_STRICT): with no-referrer every form failed.
        ("Referrer-Policy", "same-origin"),
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
    included, as header tuples built once. A view that sets one of them itself (a page that needs another
    Content-Security-Policy) keeps its own.

    Every response that does not set its own ``Cache-Control`` (only static files do, to be cached for a year
    under their hashed names) gets ``no-store``: no page, public or signed in, and no error is kept by a browser
    or a proxy. A student who leaves with the quick exit leaves no copy of a help page in the browser's cache."""

    def __init__(self, wsgi_app, production: bool):
        self.wsgi_app = wsgi_app
        self.headers = fixed_headers(production)

    def __call__(self, environ, start_response):
        def start_with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _value in headers}
            headers = list(headers)
            headers.extend(header for header in self.headers if header[0].lower() not in present)
            if "cache-control" not in present:
                headers.append(NO_STORE)
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_with_headers)


def init_security(app: Flask) -> None:
    app.wsgi_app = SecurityHeaders(app.wsgi_app, production=app.config["EDU_ENV"] == "production")
