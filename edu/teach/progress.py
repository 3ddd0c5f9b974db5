"""The teacher's progress grid: students (by pseudonym) × lessons and quizzes of the assigned modules."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from edu.extensions import db
from edu.learn.assignments import module_quizzes
from edu.learn.quizzes import counted_attempt
from edu.models import Classroom, LessonProgress, QuizAttempt, Student, utcnow
from edu.teach.services import assignments


@dataclass(frozen=True)
class Column:
    kind: str  # lesson | quiz
    id: str
    title: str
    module_id: str


@dataclass(frozen=True)
class Cell:
    state: str  # not_started | in_progress | done | overdue
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
    due: dict[str, object] = {}
    for assignment in assignments(classroom):
        if assignment.kind != "module" or catalog.module(assignment.target_id) is None:
            continue
        module = catalog.module(assignment.target_id)
        summary = ModuleSummary(module.id, module.title.get(locale, module.id), student_count=len(students))
        for lesson in catalog.lessons_for(module.id, locale, region=classroom.region):
            summary.columns.append(Column("lesson", lesson.id, lesson.title, module.id))
        for quiz in module_quizzes(catalog, module.id, locale, classroom.region):
            summary.columns.append(Column("quiz", quiz.id, quiz.title, module.id))
        columns.extend(summary.columns)
        modules.append(summary)
        due[module.id] = assignment.due_at

    rows = []
    for student in students:
        cells = []
        for column in columns:
            overdue = bool(due.get(column.module_id) and due[column.module_id] < now)
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
    return ProgressGrid(columns, rows, modules, len(students))
