"""A teacher-paced live lesson: the class's current step, its questions, and who has answered (never what).

What a table holds is what an insider could read, so the tables are built for that (docs/privacy.md, "Live lessons"):
- ``live_answerers`` says that a student answered a question, never what: no option, no time.
- ``live_tallies`` holds one counter per option, every one created at zero when the teacher opens the step, so
  neither row order nor creation time says who chose first; an answer adds one to a counter.
- Revealing writes the totals, frozen, into ``live_questions.totals`` in the teacher's transaction and deletes
  the counters; ending the lesson deletes every counter and answerer row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from edu.extensions import db
from edu.models.base import utcnow


class LiveLesson(db.Model):
    """A lesson a teacher runs live for a class; one running (``ended_at`` empty) per class at a time."""

    __tablename__ = "live_lessons"
    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(64))
    step: Mapped[int] = mapped_column(Integer, default=0)  # the step index the class is on
    version: Mapped[int] = mapped_column(Integer, default=1)  # grows with each move, reveal and the end
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class LiveQuestion(db.Model):
    """A check, scenario, poll or myth-or-fact block of a live lesson, open until the teacher reveals it."""

    __tablename__ = "live_questions"
    live_id: Mapped[int] = mapped_column(ForeignKey("live_lessons.id", ondelete="CASCADE"), primary_key=True)
    block_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    revealed_at: Mapped[datetime | None] = mapped_column(DateTime)
    totals: Mapped[str | None] = mapped_column(Text)  # JSON {option id: count}, written once, on reveal


class LiveTally(db.Model):
    """One option's running count while its question is open: no student, no time."""

    __tablename__ = "live_tallies"
    live_id: Mapped[int] = mapped_column(ForeignKey("live_lessons.id", ondelete="CASCADE"), primary_key=True)
    block_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    option_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class LiveAnswerer(db.Model):
    """That a student answered a question (one answer each), kept apart from the counts: no option, no time."""

    __tablename__ = "live_answerers"
    live_id: Mapped[int] = mapped_column(ForeignKey("live_lessons.id", ondelete="CASCADE"), primary_key=True)
    block_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
