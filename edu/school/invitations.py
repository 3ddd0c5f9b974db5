"""Staff invitations: a link the school's admin gives a colleague. It works once, for INVITE_DAYS; only a hash of
its secret is stored, so a copy of the database cannot be turned into a working link."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from edu import audit
from edu.auth.secrets import hash_password
from edu.auth.services import find_account
from edu.extensions import db
from edu.models import Account, School, StaffInvitation, utcnow

INVITE_DAYS = 7
INVITE_ROLES = ("teacher", "admin")


class NotFound(Exception):
    pass


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def invite(admin: Account, role: str) -> str:
    """A new invitation to the admin's school; returns the link's secret (shown once, never stored)."""
    if role not in INVITE_ROLES:
        raise ValueError(role)
    key = secrets.token_urlsafe(24)
    invitation = StaffInvitation(school_id=admin.school_id, invited_by=admin.id, role=role, key_hash=_hash(key),
                                 expires_at=utcnow() + timedelta(days=INVITE_DAYS))
    db.session.add(invitation)
    db.session.flush()
    audit.record(admin, "invite_staff", f"invitation:{invitation.id}:{role}")
    return key


def open_invitations(school: School) -> list[StaffInvitation]:
    return list(db.session.scalars(select(StaffInvitation).where(
        StaffInvitation.school_id == school.id, StaffInvitation.used_at.is_(None),
        StaffInvitation.expires_at > utcnow()).order_by(StaffInvitation.created_at)))


def withdraw(admin: Account, invitation_id: int) -> None:
    """The admin takes back an unused invitation of their own school (another school's: NotFound)."""
    invitation = db.session.get(StaffInvitation, invitation_id)
    if invitation is None or invitation.school_id != admin.school_id or invitation.used_at is not None:
        raise NotFound(invitation_id)
    audit.record(admin, "withdraw_invitation", f"invitation:{invitation.id}:{invitation.role}")
    db.session.delete(invitation)
    db.session.flush()


def usable(key: str, lock: bool = False) -> StaffInvitation | None:
    """The invitation behind a link, while it is unused and unexpired; None otherwise (unknown, used, expired)."""
    query = select(StaffInvitation).where(StaffInvitation.key_hash == _hash(key[:100]))
    invitation = db.session.scalar(query.with_for_update() if lock else query)
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= utcnow():
        return None
    return invitation


def accept(key: str, email: str, password: str, locale: str | None) -> bool | None:
    """Join the invitation's school with a new account (True). None: the link is not usable (nothing changes).
    For an address that already has an account, nothing about that account changes (False) and its owner is told
    at their next sign-in, as at sign-up. Either way the link is used up, so trying it again tells nobody which it
    was; the password is hashed first, before any database work, so the timing is the same too."""
    password_hash = hash_password(password)
    invitation = usable(key, lock=True)
    if invitation is None:
        return None
    invitation.used_at = utcnow()
    account = find_account(email)
    if account is not None:
        account.signup_attempt_on = utcnow().date()
        db.session.flush()
        return False
    account = Account(role=invitation.role, email=email.strip().lower(), password_hash=password_hash,
                      locale=locale, school_id=invitation.school_id)
    try:
        with db.session.begin_nested():  # the same address signing up at the same moment: as if it was taken
            db.session.add(account)
            db.session.flush()
    except IntegrityError:
        taken = find_account(email)
        if taken is not None:
            taken.signup_attempt_on = utcnow().date()
        db.session.flush()
        return False
    audit.record(account, "join_school", f"account:{account.id}")
    return True
