"""Hashing of staff passwords and student PINs with argon2id.

Two hashers, because the two secrets need different things (docs/decisions.md, "PIN hashing"):
- passwords use the library's recommended parameters (RFC 9106 low-memory: 64 MiB, t=3, p=4), since a stolen
  password hash must resist offline guessing;
- PINs use one of OWASP's minimum configurations (7 MiB, t=5, p=1): a 6-digit PIN has only 10^6 values, so no
  affordable cost protects a stolen PIN hash, while a whole school signs in at the bell. Online rate limits
  protect PINs. OWASP lists five argon2id minimums that give "an equal level of defense", trading memory for
  passes (46 MiB t=1, 19 MiB t=2, 12 MiB t=3, 9 MiB t=4, 7 MiB t=5); the 7 MiB one costs the least CPU per
  check on the machines measured (docs/performance.md).

argon2 reads the parameters from the stored hash, so either hasher verifies any argon2 hash; `*_needs_rehash`
says when a stored hash was made with other parameters than the current ones.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_password_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_pin_hasher = PasswordHasher(time_cost=5, memory_cost=7168, parallelism=1)  # argon2id, an OWASP minimum


def _verify(hasher: PasswordHasher, stored_hash: str, secret: str) -> bool:
    try:
        return hasher.verify(stored_hash, secret)
    except (VerificationError, InvalidHashError):
        return False


def hash_password(password: str) -> str:
    return _password_hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    return _verify(_password_hasher, stored_hash, password)


def password_needs_rehash(stored_hash: str) -> bool:
    return _password_hasher.check_needs_rehash(stored_hash)


def hash_pin(pin: str) -> str:
    return _pin_hasher.hash(pin)


def verify_pin(stored_hash: str, pin: str) -> bool:
    return _verify(_pin_hasher, stored_hash, pin)


def pin_needs_rehash(stored_hash: str) -> bool:
    return _pin_hasher.check_needs_rehash(stored_hash)


def hash_recovery_code(code: str) -> str:
    """Recovery codes are random (about 49 bits each), so the PIN hasher's cost is plenty; checking one against
    an account's ten stored hashes stays well under a second."""
    return _pin_hasher.hash(code)


def verify_recovery_code(stored_hash: str, code: str) -> bool:
    return _verify(_pin_hasher, stored_hash, code)
