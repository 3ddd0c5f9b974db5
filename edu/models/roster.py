"""Which students came from an imported OneRoster roster: a keyed hash of the roster's ``sourcedId``, per class, so
a second import of the same roster finds the same students. Never the id itself, never a name or a label."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from edu.extensions import db


class RosterLink(db.Model):
    __tablename__ = "roster_links"
    __table_args__ = (UniqueConstraint("classroom_id", "source_hash"),)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    source_hash: Mapped[str] = mapped_column(String(64))
