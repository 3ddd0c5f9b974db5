"""A PIN reset is not a way in: whoever signs in with a new PIN (the teacher who reset it included) finds nothing
private from before.

At a reset the student's reflections are deleted (nobody, the student included, reads them again); their step-outs
and linked survey answers from before stop showing on their own pages (the lesson page, "My data" and its
download) but stay in the class totals; and for ``NOTICE_DAYS`` their home page says so, on every sign-in, with no
way to dismiss it. Services flush, never commit."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update

from edu.extensions import db
from edu.models import BlockResponse, Reflection, Student

NOTICE_DAYS = 14

_BLOCKS = BlockResponse.__table__.c


def forget_before_reset(students: list[Student], now: datetime) -> None:
    """What a reset at ``now`` hides for good. A step-out chosen before it counts as stepped out and back (the
    student sees the step again, the class totals still count it) and keeps its time, which is how "My data" knows
    to leave it out."""
    ids = [student.id for student in students]
    if not ids:
        return
    db.session.execute(delete(Reflection).where(Reflection.student_id.in_(ids)))
    db.session.execute(
        update(BlockResponse.__table__)
        .where(_BLOCKS.student_id.in_(ids), _BLOCKS.kind == "stepout", _BLOCKS.choice == "out")
        .values(choice="returned", updated_at=_BLOCKS.updated_at)  # the time as it was: not "changed now"
    )
    for student in students:
        student.pin_reset_at = now
    db.session.flush()


_LAST_RESET = select(Student.pin_reset_at).where(Student.id == bindparam("student_id"))


def last_reset(student_id: int) -> datetime | None:
    return db.session.scalar(_LAST_RESET, {"student_id": student_id})


def notice_date(student: Student, now: datetime) -> datetime | None:
    """When the PIN was reset, while the home page must still say so (``NOTICE_DAYS``), else None. Read from the
    student as loaded for this request: a reset also ends the student's sessions, so it is never newer."""
    reset_at = student.pin_reset_at
    if reset_at is not None and now - reset_at < timedelta(days=NOTICE_DAYS):
        return reset_at
    return None


def shown_to_student(row, reset_at: datetime | None) -> bool:
    """Whether a step-out or a linked survey answer shows on the student's own pages: not when it is from before
    the last PIN reset."""
    return reset_at is None or row.updated_at > reset_at
