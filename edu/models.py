"""Database models (SQLAlchemy 2 typed style).

Privacy rules that the schema itself enforces:
- a Student has no email, name, birth date or photo column: only a generated pseudonym and a PIN hash;
- survey answers to `identity: none` items live in AnonymousSurveyAnswer, which has no student column.
All times are naive UTC.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from edu.domain import region_of
from edu.extensions import db

ROLES = ("student", "teacher", "author", "admin")
STAFF_ROLES = ("teacher", "author", "admin")
AGE_BANDS = ("middle", "high", "university")
QUIZ_POLICIES = ("best", "latest")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


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
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    school: Mapped[School | None] = relationship(back_populates="accounts")
    classrooms: Mapped[list[Classroom]] = relationship(back_populates="teacher")

    def get_id(self) -> str:
        # The session version is part of the id: bumping it ends every earlier session.
        return f"a:{self.id}:{self.session_version}"

    @property
    def is_student(self) -> bool:
        return False


class RecoveryCode(db.Model):
    """One of the ten one-time codes shown once when two-step sign-in is set up; stored hashed."""

    __tablename__ = "recovery_codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class Classroom(db.Model):
    __tablename__ = "classrooms"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    locale: Mapped[str] = mapped_column(String(5))
    age_band: Mapped[str] = mapped_column(String(16))
    country: Mapped[str] = mapped_column(String(2))
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    joining_open: Mapped[bool] = mapped_column(Boolean, default=True)
    # Joining by code closes by itself JOINING_OPEN_DAYS after this (edu/teach/joining.py).
    joining_opened_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    quiz_policy: Mapped[str] = mapped_column(String(8), default="best")
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    school: Mapped[School] = relationship(back_populates="classrooms")
    teacher: Mapped[Account] = relationship(back_populates="classrooms")
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
    """A student's choice in an inline check, a scenario, a flip or a card sort inside a lesson (never graded)."""

    __tablename__ = "block_responses"
    __table_args__ = (UniqueConstraint("student_id", "lesson_id", "block_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[str] = mapped_column(String(64))
    block_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # check | scenario | stepout | flip | sort
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


def random_id() -> str:
    return uuid.uuid4().hex


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


# ---- safeguarding and the live classroom ------------------------------------------------------------------


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


class ModulePause(db.Model):
    """Incident mode: a module paused for one class while a real case is handled at the school."""

    __tablename__ = "module_pauses"
    __table_args__ = (UniqueConstraint("classroom_id", "module_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    classroom_id: Mapped[int] = mapped_column(ForeignKey("classrooms.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[str] = mapped_column(String(64))
    paused_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


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
