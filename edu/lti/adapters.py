"""PyLTI1p3's core classes with the project's own request, cookie, session and launch-data storage (its bundled
Flask adapter is not used: it reads ``werkzeug.__version__``, which current Werkzeug no longer has).

Each class here subclasses one of PyLTI1p3's documented extension points (Request, CookieService,
SessionService, LaunchDataStorage, Redirect, ToolConfAbstract, OIDCLogin, MessageLaunch); nothing of the library
is replaced at run time.
"""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Request as FlaskRequest
from flask import Response, redirect
from pylti1p3.cookie import CookieService
from pylti1p3.deployment import Deployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.message_launch import MessageLaunch
from pylti1p3.oidc_login import OIDCLogin
from pylti1p3.redirect import Redirect
from pylti1p3.registration import Registration
from pylti1p3.request import Request
from pylti1p3.session import SessionService
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy import delete, select

from edu.extensions import db
from edu.models import LtiLaunchValue, LtiPlatform, LtiToolKey, utcnow

# The claims a launch is saved with (for the deep-linking picker, which reads the launch back): everything else,
# names, email, picture, the subject and roles included, is dropped before anything is stored.
KEPT_CLAIMS = (
    "iss", "aud", "https://purl.imsglobal.org/spec/lti/claim/message_type",
    "https://purl.imsglobal.org/spec/lti/claim/version", "https://purl.imsglobal.org/spec/lti/claim/deployment_id",
    "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings",
)
COOKIE_PREFIX = "lti1p3-"


class FlaskLtiRequest(Request):
    """The launch's form or query parameters, read from Flask's request."""

    def __init__(self, request: FlaskRequest):
        self._request = request

    @property
    def session(self):
        raise NotImplementedError("launch data lives in DatabaseLaunchStorage, not the browser session")

    def is_secure(self) -> bool:
        return self._request.is_secure

    def get_param(self, key: str) -> str:
        if self._request.method == "POST":
            return self._request.form.get(key, "")
        return self._request.args.get(key, "")


class LtiCookies(CookieService):
    """Reads cookies from the request and collects the ones to set, which `apply` writes on the response. Over
    HTTPS they are SameSite=None (the platform posts the launch from its own site, and a Lax cookie would not
    come with it) and Secure; they are HttpOnly and short-lived either way."""

    def __init__(self, request: FlaskRequest):
        self._request = request
        self._pending: list[tuple[str, str, int | None]] = []

    def get_cookie(self, name: str) -> str | None:
        return self._request.cookies.get(COOKIE_PREFIX + name)

    def set_cookie(self, name: str, value, exp: int | None = 3600):
        self._pending.append((COOKIE_PREFIX + name, str(value), exp))

    def apply(self, response: Response) -> Response:
        secure = self._request.is_secure
        for name, value, exp in self._pending:
            response.set_cookie(name, value, max_age=exp, secure=secure, httponly=True,
                                samesite="None" if secure else "Lax", path="/lti/")
        return response


def _purge_expired() -> None:
    db.session.execute(delete(LtiLaunchValue).where(LtiLaunchValue.expires_at < utcnow()))


def put_value(key: str, value, seconds: int) -> None:
    _purge_expired()
    row = db.session.get(LtiLaunchValue, key) or LtiLaunchValue(key=key)
    row.value = json.dumps(value)
    row.expires_at = utcnow() + timedelta(seconds=seconds)
    db.session.add(row)
    db.session.flush()


def get_value(key: str):
    row = db.session.scalar(select(LtiLaunchValue).where(LtiLaunchValue.key == key,
                                                         LtiLaunchValue.expires_at >= utcnow()))
    return json.loads(row.value) if row else None


def take_value(key: str) -> bool:
    """Delete the value if it is there and live; True only for the one caller that deleted it."""
    result = db.session.execute(delete(LtiLaunchValue).where(LtiLaunchValue.key == key,
                                                             LtiLaunchValue.expires_at >= utcnow()))
    return result.rowcount == 1


class DatabaseLaunchStorage(LaunchDataStorage):
    """State, nonce and launch data in the database, so every app server sees them and the browser's own
    (SameSite=Lax) session cookie is never needed on the platform's cross-site POST. Keys are random (state: a
    UUID, nonce: 64 hex digits); the state cookie binds a launch to the browser that started it."""

    def get_session_cookie_name(self) -> str | None:
        return None

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str):
        return get_value(self._prepare_key(key))

    def set_value(self, key: str, value, exp: int | None = None) -> None:
        put_value(self._prepare_key(key), value, exp or 3600)

    def check_value(self, key: str) -> bool:
        return get_value(self._prepare_key(key)) is not None

    def take(self, key: str) -> bool:
        return take_value(self._prepare_key(key))


class LtiSessions(SessionService):
    """PyLTI1p3's session service over `DatabaseLaunchStorage`, with two changes: a nonce works once (it is
    deleted as it is checked, so a replayed id_token is refused), and launch data is saved with the claims the
    picker needs only."""

    data_storage: DatabaseLaunchStorage
    _launch_data_lifetime = 3600

    def __init__(self, request: Request):
        self.data_storage = DatabaseLaunchStorage()
        self.data_storage.set_request(request)

    def check_nonce(self, nonce: str) -> bool:
        return self.data_storage.take(self._get_key("nonce", nonce))

    def save_launch_data(self, key: str, jwt_body):
        kept = {claim: jwt_body[claim] for claim in KEPT_CLAIMS if claim in jwt_body}
        self._set_value(self._get_key(key, add_prefix=False), kept)


class LtiRedirect(Redirect[Response]):
    def __init__(self, location: str, cookies: LtiCookies):
        self._location = location
        self._cookies = cookies

    def do_redirect(self) -> Response:
        return self._cookies.apply(redirect(self._location, code=302))

    def do_js_redirect(self) -> Response:
        return self.do_redirect()  # no script: a plain redirect works in every browser

    def set_redirect_url(self, location: str):
        self._location = location

    def get_redirect_url(self) -> str:
        return self._location


def registration_of(platform: LtiPlatform) -> Registration:
    key = db.session.scalar(select(LtiToolKey).where(LtiToolKey.school_id == platform.school_id))
    registration = (Registration().set_issuer(platform.issuer).set_client_id(platform.client_id)
                    .set_auth_login_url(platform.auth_login_url).set_auth_token_url(platform.auth_token_url)
                    .set_key_set_url(platform.key_set_url))
    if key is not None:
        registration.set_tool_private_key(key.private_pem).set_tool_public_key(key.public_pem)
    return registration


def find_platform(iss: str, client_id: str | None) -> LtiPlatform | None:
    """The registration for this issuer and client id; without a client id, the issuer's only one."""
    query = select(LtiPlatform).where(LtiPlatform.issuer == iss)
    if client_id:
        return db.session.scalar(query.where(LtiPlatform.client_id == client_id))
    rows = db.session.scalars(query.limit(2)).all()
    return rows[0] if len(rows) == 1 else None


class DatabaseToolConf(ToolConfAbstract):
    """Registrations as the school admins entered them. One issuer may have many client ids (every school on
    Canvas Cloud shares Canvas's issuer), so registrations are always found by issuer and client id."""

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_registration_by_issuer(self, iss: str, *args, **kwargs):
        platform = find_platform(iss, None)
        return registration_of(platform) if platform else None

    def find_registration_by_params(self, iss: str, client_id: str, *args, **kwargs):
        platform = find_platform(iss, client_id)
        return registration_of(platform) if platform else None

    def find_deployment(self, iss: str, deployment_id: str):
        platform = find_platform(iss, None)
        return _deployment(platform, deployment_id)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str, *args, **kwargs):
        return _deployment(find_platform(iss, client_id), deployment_id)


def _deployment(platform: LtiPlatform | None, deployment_id: str) -> Deployment | None:
    if platform is None or deployment_id not in platform.deployments():
        return None
    return Deployment().set_deployment_id(deployment_id)


class LtiLogin(OIDCLogin):
    def get_redirect(self, url: str) -> LtiRedirect:
        return LtiRedirect(url, self._cookie_service)


class LtiLaunch(MessageLaunch):
    """A message launch whose id_token must also carry an expiry and an issue time (PyJWT then checks both)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.set_jwt_verify_options({"verify_aud": False, "require": ["exp", "iat"]})

    def _get_request_param(self, key: str) -> str:
        return self._request.get_param(key)


def tool_objects(request: FlaskRequest) -> tuple[FlaskLtiRequest, DatabaseToolConf, LtiSessions, LtiCookies]:
    lti_request = FlaskLtiRequest(request)
    return lti_request, DatabaseToolConf(), LtiSessions(lti_request), LtiCookies(request)
