"""What families see without signing in: a school's public key and contact line, and a class's notice key.

Kept in tables of their own (not columns on schools and classrooms) so the school-settings page and these pages
change different rows. Nothing here is about a student."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from edu.extensions import db
from edu.models.base import utcnow

if TYPE_CHECKING:
    from edu.models.accounts import School


class SchoolFamilySettings(db.Model):
    """The school's public key (in every family-sheet link it shares, so the sheet shows the school's contact line;
    random, never derived from the school's id) and that contact line, set by the school admin."""

    __tablename__ = "school_family_settings"
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(32), unique=True)
    contact_line: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    school: Mapped[School] = relationship()


class ClassNotice(db.Model):
    """The key of a class's page for families (what the class is taught and when); a new key ends the old link."""

    __tablename__ = "class_notices"
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), primary_key=True)
    notice_key: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
