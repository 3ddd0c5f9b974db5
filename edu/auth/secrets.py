"""Hashing of staff passwords, student PINs and recovery codes.

Each secret gets what it needs (docs/decisions.md, "PIN hashing"):
- passwords: argon2id with the library's recommended parameters (RFC 9106 low-memory: 64 MiB, t=3, p=4), since a
  stolen password hash must resist offline guessing. The test suite, which makes and signs in well over a thousand
  staff accounts, sets `EDU_PASSWORD_HASHING = "light"` (argon2id at its minimum cost); the app refuses that
  setting unless TESTING is on (edu/config.py);
- PINs: a keyed hash, HMAC-SHA256 under the PIN key (`EDU_PIN_KEY`, held outside the database) over a random
  salt and the PIN. A 6-digit PIN has only 10^6 values, so no affordable slow hash protects a stolen PIN hash
  (argon2 at the bell's cost falls in hours); without the key the database gives nothing to guess against, and
  whoever has the key also has the session key beside it and needs no PIN. Online limits protect PINs. A check
  costs microseconds, so a school's bell is not spent on hashing. PINs hashed with argon2id before December
  2026 still verify and are replaced by a keyed hash at the next sign-in;
- recovery codes: random (about 49 bits), argon2id at one of OWASP's minimum configurations (7 MiB, t=5, p=1).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

PASSWORD_HASHERS = {
    "standard": PasswordHasher(),  # argon2id with the library's current recommended parameters
    "light": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),  # argon2id's minimum: tests only
}
_code_hasher = PasswordHasher(time_cost=5, memory_cost=7168, parallelism=1)  # argon2id, an OWASP minimum
KEYED_PIN_PREFIX = "$hmac-sha256$"
_SALT_BYTES = 16
log = logging.getLogger(__name__)


def _verify(hasher: PasswordHasher, stored_hash: str, secret: str) -> bool:
    try:
        return hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def _password_hasher() -> PasswordHasher:
    return PASSWORD_HASHERS[current_app.config["EDU_PASSWORD_HASHING"]]


def hash_password(password: str) -> str:
    return _password_hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    return _verify(_password_hasher(), stored_hash, password)


def password_needs_rehash(stored_hash: str) -> bool:
    return _password_hasher().check_needs_rehash(stored_hash)


def _pin_key(key: bytes | None) -> bytes:
    return key if key is not None else current_app.config["EDU_PIN_KEY"]


def _key_id(key: bytes) -> str:
    """Names the key a hash was made with (not the key: a hash of it), so a changed key is told apart from a
    wrong PIN."""
    return hashlib.sha256(b"boundaries-pin-key-id" + key).hexdigest()[:8]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _mac(key: bytes, salt: bytes, pin: str) -> bytes:
    return hmac.new(key, salt + pin.encode(), hashlib.sha256).digest()


def hash_pin(pin: str, key: bytes | None = None) -> str:
    """`$hmac-sha256$k=<key id>$<salt>$<mac>` under the PIN key (the app's, unless one is given)."""
    key = _pin_key(key)
    salt = secrets.token_bytes(_SALT_BYTES)
    return f"{KEYED_PIN_PREFIX}k={_key_id(key)}${_b64(salt)}${_b64(_mac(key, salt, pin))}"


def verify_pin(stored_hash: str, pin: str, key: bytes | None = None) -> bool:
    if not stored_hash.startswith(KEYED_PIN_PREFIX):
        return _verify(_code_hasher, stored_hash, pin)  # argon2id, as PINs were hashed before December 2026
    key = _pin_key(key)
    try:
        key_part, salt, mac = stored_hash[len(KEYED_PIN_PREFIX):].split("$")
        salt_bytes, mac_bytes = (base64.b64decode(part + "=" * (-len(part) % 4)) for part in (salt, mac))
    except ValueError:
        return False
    if key_part != f"k={_key_id(key)}":
        log.warning("a PIN hash was made under another PIN key: set EDU_PIN_KEY back, or reset the PINs")
        return False
    return hmac.compare_digest(mac_bytes, _mac(key, salt_bytes, pin))


def pin_needs_rehash(stored_hash: str, key: bytes | None = None) -> bool:
    """True for a PIN hash that is not a keyed hash under the current key (an argon2id one, from before)."""
    return not stored_hash.startswith(f"{KEYED_PIN_PREFIX}k={_key_id(_pin_key(key))}$")


def hash_recovery_code(code: str) -> str:
    """Recovery codes are random (about 49 bits each), so an OWASP-minimum argon2id is plenty; checking one
    against an account's ten stored hashes stays well under a second."""
    return _code_hasher.hash(code)


def verify_recovery_code(stored_hash: str, code: str) -> bool:
    return _verify(_code_hasher, stored_hash, code)
