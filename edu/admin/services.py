"""What a school admin sees: the school's teachers and classes, never individual answers."""

from __future__ import annotations

from sqlalchemy import func, select

from edu.extensions import db
from edu.models import Account, Assignment, Classroom, ModuleCompletion, School, Student
from edu.school.services import staff_of


def school_overview(school: School) -> dict:
    """The school's staff, and its classes with their teachers, number of students and of modules finished (the
    exact participation record an admin keeps: design.md §4; never anything a student wrote or answered)."""
    teachers = staff_of(school)
    rows = db.session.execute(
        select(Classroom, func.count(Student.id))
        .outerjoin(Student, Student.classroom_id == Classroom.id)
        .where(Classroom.school_id == school.id)
        .group_by(Classroom.id)
        .order_by(Classroom.name)
    ).all()
    finished = dict(db.session.execute(
        select(Student.classroom_id, func.count(ModuleCompletion.id))
        .join(ModuleCompletion, ModuleCompletion.student_id == Student.id)
        .join(Classroom, Classroom.id == Student.classroom_id)
        .where(Classroom.school_id == school.id)
        .group_by(Student.classroom_id)
    ).all())
    return {"teachers": teachers, "classrooms": [(c, n) for c, n in rows], "finished": finished}


class NotFound(Exception):
    pass


def set_safeguarding_lead(school: School, account_id: int, lead: bool) -> None:
    account = db.session.get(Account, account_id)
    if account is None or account.school_id != school.id or account.removed_at is not None:
        raise NotFound(account_id)
    account.is_safeguarding_lead = lead
    db.session.flush()


def class_modules(school: School) -> dict[int, list[str]]:
    """The modules assigned to each class of the school (for incident mode)."""

    rows = db.session.execute(
        select(Assignment.classroom_id, Assignment.target_id)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .where(Classroom.school_id == school.id, Assignment.kind == "module")
        .order_by(Assignment.position)
    ).all()
    modules: dict[int, list[str]] = {}
    for classroom_id, module_id in rows:
        modules.setdefault(classroom_id, []).append(module_id)
    return modules
