"""One-time PINs that can't get lost: kept server-side for 10 minutes, on a page of their own.

Creating students, printing new cards and resetting a PIN each end with a redirect to that page, so a reload or a
language switch shows the same cards again and never makes new ones. The sheet is a row found by the SHA-256 of a
random key that only the page's address holds; the PINs in it are encrypted (HMAC-SHA256 as a keystream, then an
HMAC tag) with a key derived from that random key and the app's secret key. So neither the database alone nor the
database with the logs (which name endpoints, never addresses: edu/logging_setup.py) shows a PIN. A sheet is
deleted when it expires: on the next sheet written, when an expired one is asked for, and by
`flask --app edu retention`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from edu.extensions import db
from edu.models import Account, Classroom, PinSheet, Student, utcnow

KEEP_FOR = timedelta(minutes=10)
_TAG = 32


@dataclass(frozen=True)
class Sheet:
    cards: list[tuple[Student, str]]
    expires_at: datetime


def _keys(token: str) -> tuple[bytes, bytes]:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    root = hmac.new(secret, b"pin-sheet:" + token.encode(), hashlib.sha256).digest()
    encrypt = hmac.new(root, b"encrypt", hashlib.sha256).digest()
    return encrypt, hmac.new(root, b"authenticate", hashlib.sha256).digest()


def _keystream(key: bytes, length: int) -> bytes:
    blocks = (hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha256).digest()
              for counter in range(length // 32 + 1))
    return b"".join(blocks)[:length]


def seal(token: str, plain: bytes) -> bytes:
    encrypt, authenticate = _keys(token)
    body = bytes(a ^ b for a, b in zip(plain, _keystream(encrypt, len(plain)), strict=True))
    return body + hmac.new(authenticate, body, hashlib.sha256).digest()


def unseal(token: str, sealed: bytes) -> bytes | None:
    encrypt, authenticate = _keys(token)
    body, tag = sealed[:-_TAG], sealed[-_TAG:]
    if not hmac.compare_digest(tag, hmac.new(authenticate, body, hashlib.sha256).digest()):
        return None
    return bytes(a ^ b for a, b in zip(body, _keystream(encrypt, len(body)), strict=True))


def _lookup(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def purge_expired(now: datetime | None = None) -> int:
    result = db.session.execute(delete(PinSheet).where(PinSheet.expires_at <= (now or utcnow())))
    return result.rowcount or 0


def keep(classroom: Classroom, teacher: Account, cards: list[tuple[Student, str]]) -> str:
    """Store the cards for KEEP_FOR; returns the random key for the sheet's address."""
    purge_expired()
    token = secrets.token_urlsafe(24)
    plain = json.dumps([[student.id, pin] for student, pin in cards]).encode()
    db.session.add(PinSheet(lookup=_lookup(token), classroom_id=classroom.id, teacher_id=teacher.id,
                            sealed=seal(token, plain), expires_at=utcnow() + KEEP_FOR))
    db.session.flush()
    return token


def read(classroom: Classroom, teacher: Account, token: str) -> Sheet | None:
    """The cards, while the sheet lasts and only for the teacher and class it was made for; else None.
    Students removed since are left out. Reads only (a GET): the caller purges expired sheets in a write."""
    row = db.session.scalar(select(PinSheet).where(PinSheet.lookup == _lookup(token)))
    if row is None or row.classroom_id != classroom.id or row.teacher_id != teacher.id:
        return None
    if row.expires_at <= utcnow():
        return None
    plain = unseal(token, row.sealed)
    if plain is None:
        return None
    students = {s.id: s for s in classroom.students}
    cards = [(students[sid], pin) for sid, pin in json.loads(plain) if sid in students]
    return Sheet(sorted(cards, key=lambda card: card[0].pseudonym), row.expires_at)
