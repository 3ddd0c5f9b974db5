"""The teacher's progress grid: students (by pseudonym) × lessons and quizzes of the assigned modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from edu.extensions import db
from edu.learn.assignments import module_quizzes
from edu.learn.quizzes import counted_attempt
from edu.models import (
    AssignmentExtension,
    AssignmentStudent,
    Classroom,
    LessonProgress,
    QuizAttempt,
    Student,
    utcnow,
)
from edu.teach.services import assignments


@dataclass(frozen=True)
class Column:
    kind: str  # lesson | quiz
    id: str
    title: str
    module_id: str


@dataclass(frozen=True)
class Cell:
    state: str  # not_started | in_progress | done | overdue | not_assigned (given to other students only)
    score: str | None = None


@dataclass
class ModuleSummary:
    module_id: str
    title: str
    columns: list[Column] = field(default_factory=list)
    students_done: int = 0
    student_count: int = 0

    @property
    def percent(self) -> float:
        return self.students_done / self.student_count if self.student_count else 0.0


@dataclass
class ProgressGrid:
    columns: list[Column]
    rows: list[tuple[Student, list[Cell]]]
    modules: list[ModuleSummary]
    student_count: int
    due: dict[str, datetime | None] = field(default_factory=dict)  # module id -> the class's due date
    extended: dict[tuple[int, str], datetime] = field(default_factory=dict)  # (student, module) -> extension

    def due_for(self, student_id: int, module_id: str) -> datetime | None:
        return self.extended.get((student_id, module_id), self.due.get(module_id))


def progress_grid(classroom: Classroom, catalog, locale: str) -> ProgressGrid:

    now = utcnow()
    students = sorted(classroom.students, key=lambda s: s.pseudonym)
    ids = [s.id for s in students]
    progress = {(p.student_id, p.lesson_id): p for p in db.session.scalars(
        select(LessonProgress).where(LessonProgress.student_id.in_(ids)))} if ids else {}
    attempts: dict[tuple[int, str], list[QuizAttempt]] = {}
    if ids:
        for attempt in db.session.scalars(select(QuizAttempt).where(QuizAttempt.student_id.in_(ids))):
            attempts.setdefault((attempt.student_id, attempt.quiz_id), []).append(attempt)

    columns: list[Column] = []
    modules: list[ModuleSummary] = []
    due: dict[str, datetime | None] = {}
    extended: dict[tuple[int, str], datetime] = {}
    chosen: dict[str, set[int]] = {}
    for assignment in assignments(classroom):
        if assignment.kind != "module" or catalog.module(assignment.target_id) is None:
            continue
        module = catalog.module(assignment.target_id)
        summary = ModuleSummary(module.id, module.title.get(locale, module.id), student_count=len(students))
        for lesson in catalog.lessons_for(module.id, locale, region=classroom.region, band=classroom.age_band):
            summary.columns.append(Column("lesson", lesson.id, lesson.title, module.id))
        for quiz in module_quizzes(catalog, module.id, locale, classroom.region):
            summary.columns.append(Column("quiz", quiz.id, quiz.title, module.id))
        columns.extend(summary.columns)
        modules.append(summary)
        due[module.id] = assignment.due_at
        chosen[module.id] = set(db.session.scalars(select(AssignmentStudent.student_id).where(
            AssignmentStudent.assignment_id == assignment.id)))
        for student_id, due_at in db.session.execute(select(AssignmentExtension.student_id, AssignmentExtension.due_at)
                                                     .where(AssignmentExtension.assignment_id == assignment.id)):
            extended[(student_id, module.id)] = due_at

    rows = []
    for student in students:
        cells = []
        for column in columns:
            if chosen[column.module_id] and student.id not in chosen[column.module_id]:
                cells.append(Cell("not_assigned"))
                continue
            student_due = extended.get((student.id, column.module_id), due[column.module_id])
            overdue = bool(student_due and student_due < now)
            if column.kind == "lesson":
                row = progress.get((student.id, column.id))
                state = "not_started" if row is None else ("done" if row.completed_at else "in_progress")
                cells.append(Cell("overdue" if overdue and state != "done" else state))
            else:
                tries = attempts.get((student.id, column.id), [])
                counted = counted_attempt(tries, classroom.quiz_policy)
                if counted is not None:
                    cells.append(Cell("done", f"{counted.score}/{counted.max_score}"))
                else:
                    state = "in_progress" if tries else "not_started"
                    cells.append(Cell("overdue" if overdue else state))
        rows.append((student, cells))
        for summary in modules:
            if all(cell.state == "done" for column, cell in zip(columns, cells, strict=True)
                   if column.module_id == summary.module_id):
                summary.students_done += 1
    for summary in modules:
        if chosen[summary.module_id]:
            summary.student_count = len(chosen[summary.module_id] & set(ids))
    return ProgressGrid(columns, rows, modules, len(students), due, extended)
