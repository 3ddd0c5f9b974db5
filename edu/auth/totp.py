"""Time-based one-time codes (RFC 6238) for two-step sign-in, and the one-time recovery codes beside them.

Pure functions: the caller passes the time (`now`, seconds since the epoch) so tests can fix the clock, and
stores the last accepted time step, so that a code works once (RFC 6238 §5.2).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import pyotp

ISSUER = "Boundaries"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/i/l: read from paper without mistakes


def new_secret() -> str:
    return pyotp.random_base32()


def setup_secret(server_key: str, account_id: int, nonce: str) -> str:
    """The key offered on the setup page, derived from the server key, the account and a random nonce kept in
    the session: the cookie holds only the nonce, so whoever reads the cookie cannot compute the key."""
    digest = hmac.new(server_key.encode(), f"two-step-setup:{account_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


def digits_of(code: str | None) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())


def matching_step(secret: str, code: str | None, now: float) -> int | None:
    """The time step whose code this is (the current one, or one step either side for clock drift), or None."""
    code = digits_of(code)
    if len(code) != 6:
        return None
    generator = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(generator.at(step * STEP_SECONDS), code):
            return step
    return None


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def new_recovery_codes() -> list[str]:
    """Ten codes of 10 characters (about 49 bits each), shown once as `abcde-fghjk`."""
    return ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]


def normalise_recovery_code(text: str | None) -> str:
    return "".join(ch for ch in (text or "").lower() if ch.isalnum())


def looks_like_recovery_code(text: str | None) -> bool:
    code = normalise_recovery_code(text)
    return len(code) == 10 and any(ch.isalpha() for ch in code)


def format_recovery_code(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"

