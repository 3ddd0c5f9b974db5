"""Classes, their pseudonymous students, what is assigned to them and what is paused."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from edu.domain import region_of
from edu.extensions import db
from edu.models.base import utcnow

if TYPE_CHECKING:
    from edu.models.accounts import Account, School


class Classroom(db.Model):
    __tablename__ = "classrooms"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    locale: Mapped[str] = mapped_column(String(5))
    age_band: Mapped[str] = mapped_column(String(16))
    country: Mapped[str] = mapped_column(String(2))
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True)
    # Joining by code closes by itself JOINING_OPEN_DAYS after this (edu/teach/joining.py).
    joining_opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    quiz_policy: Mapped[str] = mapped_column(String(8), default="best")
    quiz_review: Mapped[str] = mapped_column(String(12), default="now", server_default="now")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    school: Mapped[School] = relationship(back_populates="classrooms")
    # Everyone who teaches the class, with the same rights (class_teachers; edu/teach/services.py decides access).
    teachers: Mapped[list[Account]] = relationship(secondary="class_teachers", order_by="Account.email",
                                                   viewonly=True)
    students: Mapped[list[Student]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan", passive_deletes=True
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="classroom", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Assignment.position",
    )

    @property
    def region(self) -> str:
        return region_of(self.country)


class ClassTeacher(db.Model):
    """One teacher of a class (a homeroom teacher, a counsellor): every teacher of a class has the same rights."""

    __tablename__ = "class_teachers"
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def taught_by(account_id: int):
    """The condition "this account is one of the class's teachers", for a query on Classroom."""
    return Classroom.id.in_(select(ClassTeacher.classroom_id).where(ClassTeacher.account_id == account_id))


class Student(UserMixin, db.Model):
    """A pseudonymous student. Deliberately no identifying columns."""

    __tablename__ = "students"
    __table_args__ = (UniqueConstraint("classroom_id", "pseudonym"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    pseudonym: Mapped[str] = mapped_column(String(64))
    pin_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(5))
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The last PIN reset: nothing private from before it is shown again (edu/learn/pin_reset.py).
    pin_reset_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_active_at: Mapped[datetime | None] = mapped_column(DateTime)

    classroom: Mapped[Classroom] = relationship(back_populates="students")

    role = "student"

    def get_id(self) -> str:
        return f"s:{self.id}:{self.session_version}"

    @property
    def is_student(self) -> bool:
        return True


# A pseudonym as it may be typed (any case, spaces anywhere) matches this key: sign-in finds the student through
# the index, whatever the size of the class. The spaces are SQL literals, so the index expression and the query's
# are the same text on SQLite and PostgreSQL.
pseudonym_key = func.replace(func.lower(Student.pseudonym), literal_column("' '"), literal_column("''"))
Index("ix_students_classroom_pseudonym_key", Student.classroom_id, pseudonym_key)


class Assignment(db.Model):
    """A module (or the pre/post survey) assigned to a class, with open and due dates."""

    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("classroom_id", "kind", "target_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # module | pre_survey | post_survey
    target_id: Mapped[str] = mapped_column(String(64))  # module id or survey id
    position: Mapped[int] = mapped_column(Integer, default=0)
    opens_at: Mapped[datetime | None] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    classroom: Mapped[Classroom] = relationship(back_populates="assignments")


class ModulePause(db.Model):
    """Incident mode: a module paused for one class while a real case is handled at the school."""

    __tablename__ = "module_pauses"
    __table_args__ = (UniqueConstraint("classroom_id", "module_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(64))
    paused_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PinSheet(db.Model):
    """One-time PINs just made (new students, new cards, a reset), kept for 10 minutes so a reload or a language
    switch never loses them (edu/teach/pin_sheets.py). Found by a hash of the random key in the page's address;
    the PINs are encrypted with a key derived from that key, so the database alone never shows a PIN."""

    __tablename__ = "pin_sheets"
    id: Mapped[int] = mapped_column(primary_key=True)
    lookup: Mapped[str] = mapped_column(String(64), unique=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class AssignmentStudent(db.Model):
    """An assignment given to some students of the class only: with no rows, it is for the whole class."""

    __tablename__ = "assignment_students"
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class AssignmentExtension(db.Model):
    """A later due date for one student (the teacher's extension)."""

    __tablename__ = "assignment_extensions"
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
    due_at: Mapped[datetime] = mapped_column(DateTime)
