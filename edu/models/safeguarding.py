"""Anonymous questions, talk-to-someone requests, safeguarding cases, live polls and step-out counts."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from edu.extensions import db
from edu.models.base import random_id, utcnow

if TYPE_CHECKING:
    from edu.models.accounts import Account
    from edu.models.classes import Classroom, Student


class AnonymousQuestion(db.Model):
    """A question to the teacher with no identity at all: no student, no session, no IP, no exact time."""

    __tablename__ = "anonymous_questions"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)  # matched a disclosure cue
    status: Mapped[str] = mapped_column(String(12), default="new")  # new | answered | dismissed
    answer: Mapped[str | None] = mapped_column(Text)
    created_on: Mapped[date] = mapped_column(Date)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The question as published to the class with the answer: the teacher's general rewording, or the student's
    # words when the teacher chose to publish them unchanged (NULL on rows answered before rewording existed).
    public_text: Mapped[str | None] = mapped_column(Text)
    # A keyed hash of the receipt code the student was shown once (edu/safeguarding/receipts.py): never the code.
    receipt_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    classroom: Mapped[Classroom] = relationship()
    messages: Mapped[list[QuestionMessage]] = relationship(order_by="QuestionMessage.seq",
                                                           cascade="all, delete-orphan")


class QuestionMessage(db.Model):
    """A private message in an anonymous question's thread: from the student (holding the receipt code) or from
    staff. Like the question: no student, no session, no IP, only the day; ``seq`` orders the thread."""

    __tablename__ = "question_messages"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    question_id: Mapped[str] = mapped_column(ForeignKey("anonymous_questions.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    author: Mapped[str] = mapped_column(String(8))  # student | staff
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    created_on: Mapped[date] = mapped_column(Date)


class HelpRequest(db.Model):
    """"I want to talk to someone": by design NOT anonymous; the teacher sees the pseudonym and the time."""

    __tablename__ = "help_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime)

    student: Mapped[Student] = relationship()
    classroom: Mapped[Classroom] = relationship()


class LivePoll(db.Model):
    __tablename__ = "live_polls"
    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(64))
    block_id: Mapped[str] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)


class PollVote(db.Model):
    """One anonymous vote: no student column, random id."""

    __tablename__ = "poll_votes"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    poll_id: Mapped[int] = mapped_column(ForeignKey("live_polls.id", ondelete="CASCADE"), index=True)
    option_id: Mapped[str] = mapped_column(String(64))


class PollVoter(db.Model):
    """That a student has voted in a poll (one vote each), kept apart from the votes: no option, no time."""

    __tablename__ = "poll_voters"
    poll_id: Mapped[int] = mapped_column(ForeignKey("live_polls.id", ondelete="CASCADE"), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class StepoutRelease(db.Model):
    """How many students of a class stepped out of a lesson, as first shown to the teacher: frozen from then on."""

    __tablename__ = "stepout_releases"
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    released_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SafeguardingCase(db.Model):
    """A possible disclosure (an anonymous question that matched a cue) for the class teacher and the school's
    safeguarding lead. Names no student; its times are rounded down to the hour."""

    __tablename__ = "safeguarding_cases"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str | None] = mapped_column(ForeignKey("anonymous_questions.id", ondelete="CASCADE"),
                                                    unique=True)
    state: Mapped[str] = mapped_column(String(12), default="new")  # new | acknowledged | referred | closed
    opened_at: Mapped[datetime] = mapped_column(DateTime)  # rounded down to the hour
    notified_at: Mapped[datetime | None] = mapped_column(DateTime)  # staff emailed (by the 15-minute job)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime)  # escalation reminder sent

    classroom: Mapped[Classroom] = relationship()
    question: Mapped[AnonymousQuestion | None] = relationship()
    events: Mapped[list[CaseEvent]] = relationship(order_by="CaseEvent.id", cascade="all, delete-orphan")


class CaseEvent(db.Model):
    """Who moved a case to which state, and when (rounded down to the hour)."""

    __tablename__ = "safeguarding_case_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("safeguarding_cases.id", ondelete="CASCADE"), index=True)
    state: Mapped[str] = mapped_column(String(12))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime)

    account: Mapped[Account | None] = relationship()
