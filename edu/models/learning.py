"""What students do in lessons and quizzes, and the per-student completion rows behind school figures."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from edu.extensions import db
from edu.models.base import utcnow


class LessonProgress(db.Model):
    __tablename__ = "lesson_progress"
    __table_args__ = (
        UniqueConstraint("student_id", "lesson_id"),
        # Covers the school's module completion counts (edu/insights/queries.py) without reading the rows.
        Index("ix_lesson_progress_completion", "student_id", "lesson_id", "completed_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(64), index=True)
    content_version: Mapped[str] = mapped_column(String(64))
    last_step: Mapped[int] = mapped_column(Integer, default=0)
    furthest_step: Mapped[int] = mapped_column(Integer, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class BlockResponse(db.Model):
    """A student's choice in an inline check, a scenario, a flip, a card sort or a group chat (its moves so far,
    joined by dots) inside a lesson (never graded)."""

    __tablename__ = "block_responses"
    __table_args__ = (UniqueConstraint("student_id", "lesson_id", "block_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(64))
    block_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # check | scenario | stepout | flip | sort | chat
    choice: Mapped[str] = mapped_column(String(64))
    content_version: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Reflection(db.Model):
    """Private reflection text: only the student who wrote it ever sees it."""

    __tablename__ = "reflections"
    __table_args__ = (UniqueConstraint("student_id", "lesson_id", "block_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(64))
    block_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (UniqueConstraint("student_id", "quiz_id", "attempt_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    quiz_id: Mapped[str] = mapped_column(String(64), index=True)
    attempt_no: Mapped[int] = mapped_column(Integer)
    content_version: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    score: Mapped[int | None] = mapped_column(Integer)
    max_score: Mapped[int | None] = mapped_column(Integer)

    answers: Mapped[list[QuizAnswer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", passive_deletes=True
    )


class QuizAnswer(db.Model):
    __tablename__ = "quiz_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(64))
    option_ids: Mapped[str] = mapped_column(String(255))  # sorted, comma-separated
    correct: Mapped[bool | None] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers")


class ModuleCompletion(db.Model):
    """That a student has completed every lesson of a module for their class's locale and region: written with
    the lesson completion that made it so, so school figures count one row per finished module instead of
    every completed lesson (edu/insights/completions.py). Nothing more than lesson_progress holds; goes with
    the student."""

    __tablename__ = "module_completions"
    __table_args__ = (
        UniqueConstraint("student_id", "module_id"),
        # Covers the completion counts (edu/insights/completions.py) without reading the rows.
        Index("ix_module_completions_counts", "student_id", "module_id", "lessons"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64))
    lessons: Mapped[str] = mapped_column(String(16))  # completions.lessons_key of the lesson set completed
    completed_at: Mapped[datetime] = mapped_column(DateTime)


class ModuleCompletionSet(db.Model):
    """A lesson set (per locale, region and module) that module_completions is complete for: every student of
    a class with that set who has completed it has a row (edu/insights/completions.py). Content only."""

    __tablename__ = "module_completion_sets"
    locale: Mapped[str] = mapped_column(String(5), primary_key=True)
    region: Mapped[str] = mapped_column(String(4), primary_key=True)
    module_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    lessons: Mapped[str] = mapped_column(String(16), primary_key=True)
    filled_at: Mapped[datetime] = mapped_column(DateTime)
