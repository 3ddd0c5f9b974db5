"""The tool's own key pair (one per school): generated on first need, the private key never shown."""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pylti1p3.registration import Registration
from sqlalchemy import select

from edu.extensions import db
from edu.models import LtiToolKey


def school_key(school_id: int) -> LtiToolKey:
    """The school's key, made now if it has none (call inside a write)."""
    key = db.session.scalar(select(LtiToolKey).where(LtiToolKey.school_id == school_id))
    if key is None:
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private_pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                            serialization.NoEncryption()).decode()
        public_pem = private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        key = LtiToolKey(school_id=school_id, private_pem=private_pem, public_pem=public_pem,
                         kid=Registration.get_jwk(public_pem)["kid"])
        db.session.add(key)
        db.session.flush()
    return key


def jwks() -> dict:
    """Every school's public key (kid: the key's RFC 7638 thumbprint), as a JSON Web Key Set."""
    keys = db.session.scalars(select(LtiToolKey).order_by(LtiToolKey.id))
    return {"keys": [dict(Registration.get_jwk(key.public_pem)) for key in keys]}
