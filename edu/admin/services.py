"""What a school admin sees: the school's teachers and classes, never individual answers."""

from __future__ import annotations

from sqlalchemy import func, select

from edu.extensions import db
from edu.models import Account, Classroom, School, Student


def school_overview(school: School) -> dict:
    teachers = list(db.session.scalars(
        select(Account).where(Account.school_id == school.id, Account.role == "teacher").order_by(Account.email)
    ))
    rows = db.session.execute(
        select(Classroom, func.count(Student.id))
        .outerjoin(Student, Student.classroom_id == Classroom.id)
        .where(Classroom.school_id == school.id)
        .group_by(Classroom.id)
        .order_by(Classroom.name)
    ).all()
    return {"teachers": teachers, "classrooms": [(c, n) for c, n in rows]}
