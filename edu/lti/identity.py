"""Keyed hashes of what identifies an LMS user or course: the tables hold these, never the LTI values.

The key is derived from the app's SECRET_KEY: without it, a copy of the database cannot be matched to LMS users
by hashing known subjects. Rotating SECRET_KEY makes every mapping new (students start again as new
pseudonyms), as docs/integrations.md says.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from flask import current_app


def _key() -> bytes:
    secret = current_app.config["SECRET_KEY"]
    return hmac.new(secret.encode() if isinstance(secret, str) else secret, b"lti-identity-v1",
                    hashlib.sha256).digest()


def _keyed(*parts: str) -> str:
    message = json.dumps(parts).encode()  # a JSON array: no two different lists of parts give the same bytes
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


def subject_key(issuer: str, subject: str) -> str:
    """The LMS user (``sub`` is unique within the issuer)."""
    return _keyed("sub", issuer, subject)


def context_key(issuer: str, deployment_id: str, context_id: str) -> str:
    """The LMS course: the same course id in another deployment is another course."""
    return _keyed("context", issuer, deployment_id, context_id)
