"""The OpenID Connect relying party, built on Authlib: discovery, the authorization request (state, nonce, PKCE
S256), the code exchange at the token endpoint and the ID token's checks (signature by a key of the provider's
JWKS, iss, aud, azp, exp, iat, nonce). Knows nothing of accounts or the database."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlparse

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

SCOPE = "openid email"
TIMEOUT = 8  # seconds for each request to a provider
LEEWAY = 60  # seconds of clock difference tolerated on exp and iat
MAX_TOKEN_AGE = 600  # an ID token issued longer ago than this is refused
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
_DISCOVERY_TTL = 3600
_discovered: dict[str, tuple[float, dict]] = {}
_lock = threading.Lock()


class ProviderError(Exception):
    """The provider could not be reached, or answered something that is not OpenID Connect."""


class TokenRefused(Exception):
    """The provider's answer did not prove who signed in (a bad signature or claim, an error from its token
    endpoint)."""


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str | None
    email_verified: bool


def issuer_url_problem(url: str, production: bool) -> str | None:
    """Why an issuer URL cannot be used, or None. https only; plain http only for this machine outside
    production (a provider started by the tests)."""
    parsed = urlparse(url)
    if parsed.scheme == "https" and parsed.hostname:
        if parsed.query or parsed.fragment:
            return "query"
        return None
    if (parsed.scheme == "http" and parsed.hostname in ("127.0.0.1", "localhost", "::1") and not production
            and not parsed.query and not parsed.fragment):
        return None
    return "https"


def discover(issuer: str) -> dict:
    """The provider's metadata (OpenID Connect Discovery 1.0), whose `issuer` must be exactly the configured one
    (§4.3), cached for an hour per process."""
    now = time.monotonic()
    with _lock:
        cached = _discovered.get(issuer)
    if cached and now - cached[0] < _DISCOVERY_TTL:
        return cached[1]
    metadata = _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
    if metadata.get("issuer") != issuer:
        raise ProviderError("the discovery document names another issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(key), str):
            raise ProviderError(f"the discovery document has no {key}")
    with _lock:
        _discovered[issuer] = (now, metadata)
    return metadata


def forget(issuer: str) -> None:
    with _lock:
        _discovered.pop(issuer, None)


def _get_json(url: str) -> dict:
    try:
        response = requests.get(url, timeout=TIMEOUT, allow_redirects=False)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderError(str(error)) from error
    if not isinstance(data, dict):
        raise ProviderError("not a JSON object")
    return data


def _session(metadata: dict, client_id: str, client_secret: str | None, redirect_uri: str) -> OAuth2Session:
    methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    auth_method = "client_secret_basic" if "client_secret_basic" in methods else "client_secret_post"
    return OAuth2Session(client_id, client_secret, scope=SCOPE, redirect_uri=redirect_uri,
                         code_challenge_method="S256", token_endpoint_auth_method=auth_method)


def authorization_url(metadata: dict, client_id: str, redirect_uri: str, state: str, nonce: str,
                      code_verifier: str, login_hint: str | None = None) -> str:
    extra = {"nonce": nonce}
    if login_hint:
        extra["login_hint"] = login_hint
    with _session(metadata, client_id, None, redirect_uri) as client:
        url, _state = client.create_authorization_url(metadata["authorization_endpoint"], state=state,
                                                      code_verifier=code_verifier, **extra)
    return url


def exchange_code(metadata: dict, client_id: str, client_secret: str, redirect_uri: str, code: str,
                  code_verifier: str, nonce: str, now: float) -> Identity:
    """Trade the authorization code for tokens at the token endpoint (a direct request from this server, with the
    client's secret and the PKCE verifier) and check the ID token; the person it names, or TokenRefused."""
    with _session(metadata, client_id, client_secret, redirect_uri) as client:
        try:
            token = client.fetch_token(metadata["token_endpoint"], code=code, code_verifier=code_verifier,
                                       timeout=TIMEOUT)
        except requests.RequestException as error:
            raise ProviderError(str(error)) from error
        except (OAuthError, ValueError) as error:  # the provider refused the code, or did not answer in JSON
            raise TokenRefused(f"token endpoint: {type(error).__name__}") from error
    if "id_token" not in token:
        raise TokenRefused("no id_token")
    return check_id_token(metadata, client_id, token["id_token"], nonce, token.get("access_token"), now)


def check_id_token(metadata: dict, client_id: str, id_token: str, nonce: str, access_token: str | None,
                   now: float) -> Identity:
    allowed = [alg for alg in metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
               if alg in SIGNING_ALGORITHMS]
    registry = JWSRegistry(algorithms=allowed, strict_check_header=False)  # as Authlib's own client
    try:
        try:
            decoded = jwt.decode(id_token, KeySet.import_key_set(_get_json(metadata["jwks_uri"])), registry=registry)
        except InvalidKeyIdError:
            raise TokenRefused("signed with a key the provider does not publish") from None
        claims = CodeIDToken(decoded.claims, decoded.header,
                             {"iss": {"essential": True, "value": metadata["issuer"]},
                              "aud": {"essential": True, "value": client_id},
                              "nonce": {"essential": True, "value": nonce}},
                             {"nonce": nonce, "client_id": client_id, "access_token": access_token})
        claims.validate(now=int(now), leeway=LEEWAY)
    except (JoseError, ValueError) as error:  # logged by kind only: a message might quote a claim's value
        raise TokenRefused(type(error).__name__) from error
    issued = claims.get("iat")
    if not isinstance(issued, (int, float)) or issued > now + LEEWAY or issued < now - MAX_TOKEN_AGE:
        raise TokenRefused("iat outside the accepted window")
    # Entra ID sends no email_verified; its optional claim xms_edov says the domain owner verified the address.
    verified = claims.get("email_verified", claims.get("xms_edov"))
    return Identity(issuer=claims["iss"], subject=claims["sub"],
                    email=claims.get("email") if isinstance(claims.get("email"), str) else None,
                    email_verified=verified is True or verified == "true")
