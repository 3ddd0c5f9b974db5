"""A test LMS: its own RSA key pair, its JWKS served over real HTTP on localhost (a thread), and id_tokens signed
the way a platform signs them (RS256, kid in the header)."""

from __future__ import annotations

import html
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwcrypto.jwk import JWK

ISSUER = "https://lms.school.test"
CLIENT_ID = "boundaries-10000000000001"
DEPLOYMENT = "1:4dde05e8ca1973bcca9bffc13e1548820eee93a3"
AUTH_URL = "https://lms.school.test/api/lti/authorize_redirect"
TOKEN_URL = "https://lms.school.test/login/oauth2/token"
RETURN_URL = "https://lms.school.test/courses/42/deep_linking_response"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
# What an LMS sends about a person, which Boundaries must never keep.
PERSON = {"name": "Minji Haneul-Kim", "given_name": "Minji", "family_name": "Haneul-Kim",
          "email": "minji.haneul-kim@student.school.test"}


def new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def private_pem(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def public_jwk(key, kid: str) -> dict:
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    jwk = json.loads(JWK.from_pem(pem).export_public())
    jwk.update(kid=kid, alg="RS256", use="sig")
    return jwk


class Platform:
    """The LMS side of LTI 1.3, with its JWKS at ``jwks_url`` until `close`."""

    def __init__(self):
        self.key, self.kid = new_key(), "platform-key-1"
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                path, _sep, query = self.path.partition("?")
                if path == "/jwks.json":
                    body = json.dumps({"keys": [public_jwk(platform.key, platform.kid)]}).encode()
                    return self._answer(200, "application/json", body)
                if path == "/auth":  # the platform's OIDC authorisation endpoint: posts the id_token back
                    return self._answer(200, "text/html", platform.auth_response(parse_qs(query)).encode())
                if path == "/course":  # a course page that frames the tool, as an LMS does by default
                    page = f'<!doctype html><title>Course</title><iframe src="{html.escape(platform.framed_src)}"'
                    return self._answer(200, "text/html", (page + ' width="600" height="400"></iframe>').encode())
                return self._answer(404, "text/plain", b"not found")

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                form = parse_qs(self.rfile.read(length).decode())
                if self.path == "/deep_link_return":
                    platform.deep_link_responses.append(form["JWT"][0])
                    return self._answer(200, "text/html", b"<!doctype html><title>LMS</title><p>Content added</p>")
                return self._answer(404, "text/plain", b"not found")

            def _answer(self, status: int, kind: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.address = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.jwks_url = self.address + "/jwks.json"
        self.deep_link_responses: list[str] = []
        self.framed_src = ""
        # login_hint -> the claims the platform launches that user with (a browser journey sets these)
        self.users: dict[str, dict] = {}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def registration(self) -> dict:
        return {"issuer": ISSUER, "client_id": CLIENT_ID, "deployment_ids": DEPLOYMENT + "\n",
                "auth_login_url": AUTH_URL, "auth_token_url": TOKEN_URL, "key_set_url": self.jwks_url}

    def claims(self, nonce: str, *, sub: str = "8f2d-lms-user-1", roles=(LEARNER,), context: str = "course-42",
               deep_link: bool = False, module: str | None = None, lifetime: int = 300, return_url: str | None = None,
               **changes) -> dict:
        now = int(time.time())
        body = {
            "iss": ISSUER, "aud": CLIENT_ID, "sub": sub, "nonce": nonce, "iat": now, "exp": now + lifetime,
            LTI + "deployment_id": DEPLOYMENT, LTI + "version": "1.3.0", LTI + "roles": list(roles),
            LTI + "context": {"id": context, "label": "HEALTH-8", "title": "Health 8 (Ms Park)"},
            LTI + "target_link_uri": "https://localhost/lti/launch", **PERSON,
            "https://purl.imsglobal.org/spec/lti/claim/lis": {"person_sourcedid": "SIS-20261234"},
        }
        if deep_link:
            body[LTI + "message_type"] = "LtiDeepLinkingRequest"
            body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
                "deep_link_return_url": RETURN_URL, "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["window"], "data": "opaque-platform-data"}
            if return_url:
                body["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"][
                    "deep_link_return_url"] = return_url
        else:
            body[LTI + "message_type"] = "LtiResourceLinkRequest"
            body[LTI + "resource_link"] = {"id": str(uuid.uuid4())}
            if module:
                body[LTI + "custom"] = {"module": module}
        body.update(changes)
        return body

    def auth_response(self, query: dict) -> str:
        """The page the platform answers its authorisation request with: a form that posts the signed id_token
        and the tool's state to the tool's redirect URI (submitted by a script, as LMSs do)."""
        def one(name):
            return query.get(name, [""])[0]

        claims = self.claims(one("nonce"), **self.users[one("login_hint")])
        fields = {"id_token": self.id_token(claims), "state": one("state")}
        inputs = "".join(f'<input type="hidden" name="{name}" value="{html.escape(value)}">'
                         for name, value in fields.items())
        return (f'<!doctype html><title>LMS</title><form method="post" action="{html.escape(one("redirect_uri"))}">'
                f'{inputs}</form><script>document.forms[0].submit()</script>')

    def id_token(self, claims: dict, key=None, kid: str | None = None) -> str:
        return jwt.encode(claims, private_pem(key or self.key), algorithm="RS256",
                          headers={"kid": kid or self.kid})
