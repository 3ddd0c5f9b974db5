"""Classes and their rosters, seen only by the teacher who owns them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from edu.auth.codes import new_join_code
from edu.extensions import db
from edu.models import Account, Classroom


class NotFound(Exception):
    """The object does not exist or belongs to someone else (shown as 404 either way)."""


def classes_of(teacher: Account, archived: bool = False) -> list[Classroom]:
    query = select(Classroom).where(Classroom.teacher_id == teacher.id)
    query = query.where(Classroom.archived_at.is_not(None) if archived else Classroom.archived_at.is_(None))
    return list(db.session.scalars(query.order_by(Classroom.created_at.desc(), Classroom.id.desc())))


def owned_classroom(teacher: Account, classroom_id: int) -> Classroom:
    classroom = db.session.get(Classroom, classroom_id)
    if classroom is None or classroom.teacher_id != teacher.id:
        raise NotFound(classroom_id)
    return classroom


def create_classroom(teacher: Account, name: str, locale: str, age_band: str, country: str) -> Classroom:
    for _ in range(20):
        classroom = Classroom(
            school_id=teacher.school_id, teacher=teacher, name=name, locale=locale,
            age_band=age_band, country=country, join_code=new_join_code(),
        )
        db.session.add(classroom)
        try:
            with db.session.begin_nested():
                db.session.flush()
        except IntegrityError:  # join code collision: 887 million codes, but be sure
            db.session.expunge(classroom)
            continue
        return classroom
    raise RuntimeError("could not allocate a join code")
