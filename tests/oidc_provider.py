"""A small OpenID Connect provider for the tests, on localhost over HTTP in a thread: discovery, JWKS, an
authorization endpoint (code flow, PKCE S256 required) and a token endpoint that checks the client's secret, the
code (once), the redirect URI and the PKCE verifier, and returns an ID token signed with RS256 (joserfc).

Tests choose who "signs in" at the provider (`user`) and may override ID token claims (`override`) to play a
misbehaving or hostile provider: another audience, an expired token, a stale nonce, another issuer."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey


class Provider:
    def __init__(self, client_id: str = "boundaries-test", client_secret: str = "s3cret-value",
                 redirect_uris: tuple[str, ...] = ("http://localhost/signin/school/return",), clock=time.time):
        self.clock = clock  # the tests' clock, which they may move forward
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = redirect_uris
        self.key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig", "alg": "RS256"})
        self.user: dict = {"sub": "248289761001", "email": "kim@school.kr", "email_verified": True}
        self.override: dict = {}  # claims to put in (or, with value None, leave out of) the next ID tokens
        self.discovery_issuer: str | None = None  # a discovery document that names another issuer
        self.codes: dict[str, dict] = {}
        self.authorize_requests: list[dict] = []
        self.token_requests = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ---- the endpoints ------------------------------------------------------------------------------------------

    def metadata(self) -> dict:
        return {
            "issuer": self.discovery_issuer or self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["iss", "sub", "aud", "exp", "iat", "nonce", "email", "email_verified"],
        }

    def authorize(self, query: dict) -> tuple[int, dict, bytes]:
        q = {k: v[0] for k, v in query.items()}
        self.authorize_requests.append(q)
        if q.get("client_id") != self.client_id or q.get("redirect_uri") not in self.redirect_uris:
            return 400, {}, b"unknown client or redirect_uri"
        if (q.get("response_type") != "code" or "openid" not in q.get("scope", "").split()
                or q.get("code_challenge_method") != "S256" or not q.get("code_challenge") or not q.get("state")):
            return 400, {}, b"invalid request"
        code = secrets.token_urlsafe(24)
        self.codes[code] = {"nonce": q.get("nonce"), "challenge": q["code_challenge"],
                            "redirect_uri": q["redirect_uri"], "user": dict(self.user)}
        location = q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
        return 302, {"Location": location}, b""

    def token(self, headers, body: dict) -> tuple[int, dict, bytes]:
        self.token_requests += 1
        form = {k: v[0] for k, v in body.items()}
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        auth = headers.get("Authorization", "")
        if auth.startswith("Basic "):
            from urllib.parse import unquote

            client_id, _sep, client_secret = base64.b64decode(auth[6:]).decode().partition(":")
            client_id, client_secret = unquote(client_id), unquote(client_secret)
        if client_id != self.client_id or client_secret != self.client_secret:
            return _json(401, {"error": "invalid_client"})
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if form.get("grant_type") != "authorization_code" or grant is None:
            return _json(400, {"error": "invalid_grant"})
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return _json(400, {"error": "invalid_grant"})
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return _json(400, {"error": "invalid_grant", "error_description": "PKCE"})
        now = int(self.clock())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, **grant["user"]}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        for name, value in self.override.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        id_token = jwt.encode({"alg": "RS256", "kid": "test-key-1"}, claims, self.key)
        return _json(200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                           "id_token": id_token})

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, headers: dict, body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/.well-known/openid-configuration":
                    self._send(*_json(200, provider.metadata()))
                elif url.path == "/jwks":
                    self._send(*_json(200, KeySet([provider.key]).as_dict(private=False)))
                elif url.path == "/authorize":
                    self._send(*provider.authorize(parse_qs(url.query)))
                else:
                    self._send(404, {}, b"")

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = parse_qs(self.rfile.read(length).decode())
                if urlparse(self.path).path == "/token":
                    self._send(*provider.token(self.headers, body))
                else:
                    self._send(404, {}, b"")

        return Handler


def _json(status: int, data: dict) -> tuple[int, dict, bytes]:
    return status, {"Content-Type": "application/json", "Cache-Control": "no-store"}, json.dumps(data).encode()
