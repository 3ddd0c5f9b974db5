"""Schools and staff accounts: sign-in, two-step recovery codes, the audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from edu.extensions import db
from edu.models.base import utcnow

if TYPE_CHECKING:
    from edu.models.classes import Classroom


class School(db.Model):
    __tablename__ = "schools"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2), default="KR")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Seoul")
    retention_days: Mapped[int] = mapped_column(Integer, default=90)
    # Guardian consent for students under 14 (the school's record: when and how it was collected).
    guardian_consent_on: Mapped[date | None] = mapped_column(Date)
    guardian_consent_method: Mapped[str | None] = mapped_column(String(200))
    # A safeguarding case still "new" after this many hours sends an escalation reminder (the admin sets it).
    safeguarding_escalation_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    # Teachers linked to a school account must sign in with it (edu/sso); admins keep password + two-step.
    sso_required: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The admin's settings (edu/school/): which class languages teachers may choose (comma-separated codes),
    # whether middle-school classes wait for the guardian-consent record, the months the two terms start in
    # ("3,9"; None: the country's usual terms) and the address phones reach the app at (None: EDU_PUBLIC_URL).
    languages: Mapped[str] = mapped_column(String(40), default="ko,en", server_default="ko,en")
    guardian_consent_required: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    term_starts: Mapped[str | None] = mapped_column(String(5))
    public_url: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    accounts: Mapped[list[Account]] = relationship(back_populates="school")
    classrooms: Mapped[list[Classroom]] = relationship(back_populates="school")


class Account(UserMixin, db.Model):
    """A teacher, curriculum author or school admin: signs in with email + password."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    is_safeguarding_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # two-factor sign-in (required for admins)
    # The time step of the last code accepted: a code of that step or an earlier one is refused (RFC 6238 §5.2).
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # The day someone last tried to sign up with this address: the owner is told at their next sign-in.
    signup_attempt_on: Mapped[date | None] = mapped_column(Date)
    # An admin removed this account from the school: it no longer signs in (its rows and audit lines stay).
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    school: Mapped[School | None] = relationship(back_populates="accounts")

    def get_id(self) -> str:
        # The session version is part of the id: bumping it ends every earlier session.
        return f"a:{self.id}:{self.session_version}"

    @property
    def is_student(self) -> bool:
        return False


class StaffInvitation(db.Model):
    """A link the school's admin gives a colleague: it adds one staff account to the school, once, before it
    expires. Only a hash of the link's secret is stored (the admin sees the link once)."""

    __tablename__ = "staff_invitations"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    invited_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    role: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RecoveryCode(db.Model):
    """One of the ten one-time codes shown once when two-step sign-in is set up; stored hashed."""

    __tablename__ = "recovery_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class AuditEvent(db.Model):
    """Sensitive actions (viewing a student's answers, exporting, deleting, key destruction, incident mode),
    viewable by the school admin. Ids only: never free text."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(120))  # e.g. "classroom:12", "student:40"
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
