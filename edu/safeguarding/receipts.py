"""Receipt codes for anonymous questions: shown to the student once, stored only as a keyed hash. Pure functions.

A code is 12 characters of the RFC 4648 base32 alphabet (60 bits), drawn by ``secrets``; it is shown in groups
of four. Typing is forgiving: case, spaces and dashes are ignored, and 0, 1 and 8 (not in the alphabet) are read
as O, I and B. The hash is HMAC-SHA256 under the app's secret key, so a copy of the database alone cannot test
guesses offline, and nothing about the student goes into it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
LENGTH = 12
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str | None:
    """The code in canonical form, or None if it cannot be one."""
    code = re.sub(r"[\s\-]+", "", (typed or "")).upper().translate(_LOOKALIKES)
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


def display(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def code_hash(secret: str, code: str) -> str:
    return hmac.new(secret.encode(), f"receipt:{code}".encode(), hashlib.sha256).hexdigest()
