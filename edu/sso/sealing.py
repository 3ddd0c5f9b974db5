"""Client secrets at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) under a key
derived from the app's SECRET_KEY with HKDF, so a copy of the database alone does not give them away. Changing
SECRET_KEY makes the stored secrets unreadable: the admin enters them again (docs/integrations.md)."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

_INFO = b"boundaries oidc client secret v1"


def _fernet() -> Fernet:
    secret = current_app.config["SECRET_KEY"]
    material = secret.encode() if isinstance(secret, str) else secret
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(material)
    return Fernet(base64.urlsafe_b64encode(key))


def seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str | None:
    """The secret, or None when it was sealed under another SECRET_KEY (or tampered with)."""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None
