"""Changing an assignment after it was made: its dates, the students it is for, one student's extension; and
who is behind on it (not started, or past their due date)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select

from edu.extensions import db
from edu.models import Assignment, AssignmentExtension, AssignmentStudent, Classroom, Student
from edu.teach.services import (
    InvalidAssignment,
    ensure_active,
    local_day_bounds,
    owned_assignment,
    owned_student,
)


def set_dates(classroom: Classroom, assignment_id: int, opens_on: date | None, due_on: date | None) -> Assignment:
    ensure_active(classroom)
    row = owned_assignment(classroom, assignment_id)
    if opens_on and due_on and due_on < opens_on:
        raise InvalidAssignment("due before open")
    timezone = classroom.school.timezone
    row.opens_at = local_day_bounds(opens_on, timezone)[0] if opens_on else None
    row.due_at = local_day_bounds(due_on, timezone)[1] if due_on else None
    db.session.flush()
    return row


def chosen_students(assignment: Assignment) -> set[int]:
    """The students an assignment is for; empty when it is for the whole class."""
    return set(db.session.scalars(select(AssignmentStudent.student_id)
                                  .where(AssignmentStudent.assignment_id == assignment.id)))


def set_students(classroom: Classroom, assignment_id: int, student_ids: list[int]) -> None:
    """Give the assignment to these students of the class only; none (or all of them) means the whole class."""
    ensure_active(classroom)
    row = owned_assignment(classroom, assignment_id)
    chosen = {owned_student(classroom, sid).id for sid in student_ids}
    db.session.execute(delete(AssignmentStudent).where(AssignmentStudent.assignment_id == row.id))
    if chosen and chosen != {s.id for s in classroom.students}:
        db.session.add_all(AssignmentStudent(assignment_id=row.id, student_id=sid) for sid in sorted(chosen))
    db.session.flush()


def extensions(assignment: Assignment) -> dict[int, datetime]:
    return dict(db.session.execute(select(AssignmentExtension.student_id, AssignmentExtension.due_at)
                                   .where(AssignmentExtension.assignment_id == assignment.id)).all())


def extend(classroom: Classroom, assignment_id: int, student_id: int, due_on: date | None) -> None:
    """A later due date for one student (end of that day in the school's time zone); None removes it."""
    ensure_active(classroom)
    row = owned_assignment(classroom, assignment_id)
    student = owned_student(classroom, student_id)
    existing = db.session.get(AssignmentExtension, (row.id, student.id))
    if due_on is None:
        if existing is not None:
            db.session.delete(existing)
    else:
        due_at = local_day_bounds(due_on, classroom.school.timezone)[1]
        if existing is None:
            db.session.add(AssignmentExtension(assignment_id=row.id, student_id=student.id, due_at=due_at))
        else:
            existing.due_at = due_at
    db.session.flush()


@dataclass(frozen=True)
class Behind:
    student: Student
    module_title: str
    state: str  # not_started | overdue
    due_at: datetime | None


def behind(grid) -> list[Behind]:
    """Students who have not started a module, or have work in it past their due date, from the progress grid."""
    rows = []
    for summary in grid.modules:
        for student, cells in grid.rows:
            mine = [cell for column, cell in zip(grid.columns, cells, strict=True)
                    if column.module_id == summary.module_id]
            if not mine or any(cell.state == "not_assigned" for cell in mine):
                continue
            due = grid.due_for(student.id, summary.module_id)
            if any(cell.state == "overdue" for cell in mine):
                rows.append(Behind(student, summary.title, "overdue", due))
            elif all(cell.state == "not_started" for cell in mine):
                rows.append(Behind(student, summary.title, "not_started", due))
    return rows
