"""The pre/post survey: linked answers, anonymous answers and the frozen private releases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from edu.extensions import db
from edu.models.base import random_id, utcnow


class SurveySubmission(db.Model):
    """That a student completed a survey phase. Says nothing about their `identity: none` answers."""

    __tablename__ = "survey_submissions"
    __table_args__ = (UniqueConstraint("student_id", "survey_id", "phase"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(8))  # pre | post
    content_version: Mapped[str] = mapped_column(String(64))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)


class SurveyAnswer(db.Model):
    """An answer to an `identity: linked` item (may be tied to the student's pre/post pair)."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("student_id", "survey_id", "phase", "item_id"),
        # Covers the insights aggregates (item counts, pre/post pairs) without reading the rows.
        Index("ix_survey_answers_aggregates", "student_id", "survey_id", "phase", "item_id", "value"),
        # Item counts over very many students (a district) in (item, phase, value) order: no sort.
        Index("ix_survey_answers_item_counts", "survey_id", "item_id", "phase", "value", "student_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(8))
    item_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(String(64))  # option id or likert 1..5; None = prefer not to answer
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class SurveyRelease(db.Model):
    """A frozen, differentially private release of survey figures (edu/insights/releases.py): one per class,
    phase and term, or one per school and term. Holds only noisy sums, the public number of respondents and
    the queries' declared sensitivity and ε, never an answer. Goes with its class (or school)."""

    __tablename__ = "survey_releases"
    __table_args__ = (UniqueConstraint("scope", "term"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    classroom_id: Mapped[int | None] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    scope: Mapped[str] = mapped_column(String(40))  # "class:<id>:<phase>" or "school:<id>"
    phase: Mapped[str | None] = mapped_column(String(8))
    term: Mapped[str] = mapped_column(String(16))
    epsilon: Mapped[float] = mapped_column(Float)
    figures: Mapped[str] = mapped_column(Text)  # JSON, see releases.py
    released_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AnonymousSurveyAnswer(db.Model):
    """An answer to an `identity: none` item: no student column, no exact time (ISO week only), and a random
    id, so neither a column nor an id sequence ties it to the student who gave it."""

    __tablename__ = "anonymous_survey_answers"
    __table_args__ = (
        # Covers the insights item counts per class without reading the rows.
        Index("ix_anonymous_survey_answers_aggregates", "classroom_id", "survey_id", "phase", "item_id", "value"),
        # Item counts over very many classes in (item, phase, value) order: no sort.
        Index("ix_anonymous_survey_answers_item_counts", "survey_id", "item_id", "phase", "value", "classroom_id"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    survey_id: Mapped[str] = mapped_column(String(64))
    phase: Mapped[str] = mapped_column(String(8))
    item_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[str | None] = mapped_column(String(64))
    week: Mapped[str] = mapped_column(String(8))  # e.g. 2026-W48
