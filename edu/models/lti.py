"""LTI 1.3: the platforms (LMSs) a school registered, the tool's own key, LMS courses mapped to classes, LMS users
mapped to students, and short-lived launch values (state, nonce, launch tickets).

Nothing from the LMS that names a person is kept: a course and a user are stored only as keyed hashes
(edu/lti/identity.py), so the tables say neither who a student is in the LMS nor which course a class is.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from edu.extensions import db
from edu.models.base import utcnow


class LtiPlatform(db.Model):
    """One LMS registration of a school: what its LMS administrator gave the school admin."""

    __tablename__ = "lti_platforms"
    __table_args__ = (UniqueConstraint("issuer", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    issuer: Mapped[str] = mapped_column(String(255))
    client_id: Mapped[str] = mapped_column(String(255))
    deployment_ids: Mapped[str] = mapped_column(Text, default="")  # one a line
    auth_login_url: Mapped[str] = mapped_column(String(500))
    auth_token_url: Mapped[str] = mapped_column(String(500))
    key_set_url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    def deployments(self) -> list[str]:
        return [line.strip() for line in self.deployment_ids.splitlines() if line.strip()]


class LtiToolKey(db.Model):
    """The school's own RSA key pair: the private key signs deep-linking responses and is never shown; the
    public key is served in the tool's JWKS."""

    __tablename__ = "lti_tool_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), unique=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_pem: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LtiCourse(db.Model):
    """An LMS course (keyed hash of issuer, deployment and context id) mapped to one class."""

    __tablename__ = "lti_courses"
    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[int] = mapped_column(ForeignKey("lti_platforms.id", ondelete="CASCADE"), index=True)
    context_key: Mapped[str] = mapped_column(String(64), unique=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    classroom = relationship("Classroom")


class LtiStudent(db.Model):
    """An LMS user (keyed hash of issuer and subject) who is this pseudonymous student of a mapped class."""

    __tablename__ = "lti_students"
    __table_args__ = (UniqueConstraint("subject_key", "course_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("lti_courses.id", ondelete="CASCADE"), index=True)
    subject_key: Mapped[str] = mapped_column(String(64))
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), unique=True)


class LtiLaunchValue(db.Model):
    """A short-lived value of the launch protocol (OIDC nonce, state, the minimal launch data, a launch ticket),
    shared by every app server; expired rows are deleted as new ones are written."""

    __tablename__ = "lti_launch_values"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
