"""What is assigned to a student's class: module cards with lesson and quiz states, where to continue, and
whether a lesson or quiz is assigned and open."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, bindparam, cast, exists, literal, literal_column, select, union_all

from edu.database import core_execute
from edu.domain import SURVEY_ID
from edu.extensions import db
from edu.learn.errors import NotFound, Paused, SurveyFirst
from edu.learn.quizzes import QuizStatus, quiz_statuses
from edu.models import (
    Assignment,
    AssignmentExtension,
    AssignmentStudent,
    LessonProgress,
    ModulePause,
    Student,
    SurveySubmission,
    utcnow,
)
from edu.safeguarding.services import paused_modules


@dataclass
class LessonStatus:
    lesson: object
    progress: LessonProgress | None

    @property
    def state(self) -> str:
        if self.progress is None:
            return "not_started"
        return "done" if self.progress.completed_at else "in_progress"

    @property
    def step_fraction(self) -> tuple[int, int]:
        total = len(self.lesson.steps)
        if self.progress is None:
            return 0, total
        if self.progress.completed_at:
            return total, total
        return min(self.progress.furthest_step + 1, total), total


@dataclass
class ModuleCard:
    assignment: Assignment
    module: object
    title: str
    summary: str
    lessons: list[LessonStatus] = field(default_factory=list)
    quizzes: list[QuizStatus] = field(default_factory=list)
    paused: bool = False
    due_at: datetime | None = None  # the class's due date, or this student's extension

    def is_open(self, now: datetime) -> bool:
        return self.assignment.opens_at is None or self.assignment.opens_at <= now

    def is_overdue(self, now: datetime) -> bool:
        return bool(self.due_at and self.due_at < now and not self.is_done)

    @property
    def lessons_done(self) -> bool:
        """Every lesson finished (the module-end page is open); the quiz may still be to do."""
        return bool(self.lessons) and all(ls.state == "done" for ls in self.lessons)

    @property
    def is_done(self) -> bool:
        lessons_done = all(ls.state == "done" for ls in self.lessons)
        return lessons_done and all(q.counted is not None for q in self.quizzes)

    @property
    def done_count(self) -> tuple[int, int]:
        done = sum(ls.state == "done" for ls in self.lessons) + sum(q.counted is not None for q in self.quizzes)
        return done, len(self.lessons) + len(self.quizzes)


def module_lessons(catalog, module_id: str, locale: str, region: str, band: str | None = None) -> list:
    """The module's lessons a class of ``region`` and age ``band`` sees (a university-only lesson never reaches
    a middle or high school class)."""
    return catalog.lessons_for(module_id, locale, region=region, band=band)


def module_quizzes(catalog, module_id: str, locale: str, region: str, band: str | None = None) -> list:
    """The module's quiz for the class's region, as a list (empty when the module has none); one quiz serves
    every band, so ``band`` is accepted (as `module_lessons` takes it) and changes nothing."""
    quiz = catalog.quiz_for(module_id, locale, region)
    return [quiz] if quiz is not None else []


# An assignment is for the student when it names no students (the whole class) or names them (`student_id`).
FOR_THE_STUDENT = (~exists().where(AssignmentStudent.assignment_id == Assignment.id)
                   | exists().where(AssignmentStudent.assignment_id == Assignment.id,
                                    AssignmentStudent.student_id == bindparam("student_id")))
# The queries of the student's home page, built once with bound parameters (building costs more than running).
_ASSIGNMENTS = (select(Assignment).where(Assignment.classroom_id == bindparam("classroom_id"), FOR_THE_STUDENT)
                .order_by(Assignment.position, Assignment.id))
_EXTENSIONS = select(AssignmentExtension.assignment_id, AssignmentExtension.due_at).where(
    AssignmentExtension.student_id == bindparam("student_id"))
_ASSIGNMENTS_OF_KIND = _ASSIGNMENTS.where(Assignment.kind == bindparam("kind"))
_PROGRESS = select(LessonProgress).where(LessonProgress.student_id == bindparam("student_id"))


def assignments_of(student: Student, kind: str | None = None) -> list[Assignment]:
    params = {"classroom_id": student.classroom_id, "student_id": student.id}
    if kind:
        return list(db.session.scalars(_ASSIGNMENTS_OF_KIND, {**params, "kind": kind}))
    return list(db.session.scalars(_ASSIGNMENTS, params))


def extensions_of(student: Student) -> dict[int, datetime]:
    """assignment id -> the student's extended due date."""
    return dict(db.session.execute(_EXTENSIONS, {"student_id": student.id}).all())


def progress_by_lesson(student: Student) -> dict[str, LessonProgress]:
    rows = db.session.scalars(_PROGRESS, {"student_id": student.id})
    return {row.lesson_id: row for row in rows}


def module_cards(student: Student, catalog, locale: str, assignments: list[Assignment]) -> list[ModuleCard]:
    """A card per module among the class's ``assignments`` (``assignments_of``), with lesson and quiz states."""
    classroom = student.classroom
    progress = progress_by_lesson(student)
    paused = paused_modules(classroom.id)
    extended = extensions_of(student)
    cards = []
    for assignment in (a for a in assignments if a.kind == "module"):
        module = catalog.module(assignment.target_id)
        if module is None:
            continue
        card = ModuleCard(assignment, module, module.title.get(locale, module.id), module.summary.get(locale, ""),
                          paused=module.id in paused, due_at=extended.get(assignment.id, assignment.due_at))
        for lesson in module_lessons(catalog, module.id, locale, classroom.region, classroom.age_band):
            card.lessons.append(LessonStatus(lesson, progress.get(lesson.id)))
        card.quizzes.extend(module_quizzes(catalog, module.id, locale, classroom.region))
        cards.append(card)
    quizzes = [quiz for card in cards for quiz in card.quizzes]
    statuses = quiz_statuses(student, quizzes)
    for card in cards:
        card.quizzes = [statuses[quiz.id] for quiz in card.quizzes]
    return cards


def continue_target(cards: list[ModuleCard], now: datetime) -> LessonStatus | None:
    """The lesson last worked on and not finished; else the first lesson not started in an open module."""
    available = [card for card in cards if card.is_open(now) and not card.paused]
    in_progress = [ls for card in available for ls in card.lessons if ls.state == "in_progress"]
    if in_progress:
        return max(in_progress, key=lambda ls: ls.progress.updated_at)
    return next((ls for card in available for ls in card.lessons if ls.state == "not_started"), None)


# The queries of every lesson page are built once: building a statement costs SQLAlchemy more than running it.
def select_open_modules(*columns):
    """``columns`` of each module assigned to a class (``classroom_id``), for the student (``student_id``), and open
    at ``now``, joined to its pause for the class if it is paused."""
    return (select(*columns).select_from(Assignment)
            .outerjoin(ModulePause, (ModulePause.classroom_id == Assignment.classroom_id)
                       & (ModulePause.module_id == Assignment.target_id))
            .where(Assignment.classroom_id == bindparam("classroom_id"), Assignment.kind == "module", FOR_THE_STUDENT,
                   (Assignment.opens_at.is_(None)) | (Assignment.opens_at <= bindparam("now"))))


# A row ("pre_survey", ...) says the class has an open pre-survey the student has neither answered nor skipped:
# the lessons and quizzes wait for it (it is voluntary, so skipping it is enough).
_NO_ORDER = literal_column("0")
PRE_SURVEY_PENDING = select(literal("pre_survey"), literal(""), literal(""), _NO_ORDER, _NO_ORDER).where(
    Assignment.classroom_id == bindparam("classroom_id"), Assignment.kind == "pre_survey",
    (Assignment.opens_at.is_(None)) | (Assignment.opens_at <= bindparam("now")),
    ~exists().where(SurveySubmission.student_id == bindparam("student_id"),
                    SurveySubmission.survey_id == SURVEY_ID, SurveySubmission.phase == "pre"))
_OPEN_MODULES = union_all(
    select_open_modules(literal("module"), Assignment.target_id, cast(ModulePause.id, String),
                        Assignment.position.label("position"), Assignment.id.label("assignment_id")),
    PRE_SURVEY_PENDING,
).order_by(literal_column("position"), literal_column("assignment_id"))


def open_modules_from(rows) -> list[tuple[str, bool]]:
    """(module id, paused) from rows of `_OPEN_MODULES` (or a query that includes them); SurveyFirst while the
    class's open pre-survey waits for the student."""
    if any(row[0] == "pre_survey" for row in rows):
        raise SurveyFirst()
    return [(module_id, pause_id is not None) for kind, module_id, pause_id, *_order in rows if kind == "module"]


def _open_modules(student: Student) -> list[tuple[str, bool]]:
    """(module id, paused) of each module assigned to the student's class and open now, in the class's order:
    one query."""
    rows = core_execute(_OPEN_MODULES, {"classroom_id": student.classroom_id, "student_id": student.id,
                                        "now": utcnow()}).all()
    return open_modules_from(rows)


def find_assigned(student: Student, catalog, item_id: str, locale: str, items_of, open_modules):
    """The lesson or quiz, if it belongs to one of ``open_modules`` (as `_open_modules` gives them).

    NotFound otherwise; Paused if its module is paused for the class (incident mode).
    """
    region, band = student.classroom.region, student.classroom.age_band
    for module_id, paused in open_modules:
        for item in items_of(catalog, module_id, locale, region, band):
            if item.id == item_id:
                if paused:
                    raise Paused(module_id)
                return item
    raise NotFound(item_id)


def module_card(student: Student, catalog, module_id: str, locale: str) -> ModuleCard:
    """The card of one module assigned to the student's class and open now (the module-end page).
    NotFound if it is not; Paused if it is paused for the class."""
    for open_id, paused in _open_modules(student):
        if open_id == module_id:
            if paused:
                raise Paused(module_id)
            assignment = next(a for a in assignments_of(student, "module") if a.target_id == module_id)
            cards = module_cards(student, catalog, locale, [assignment])
            if cards:
                return cards[0]
    raise NotFound(module_id)


def find_assigned_lesson(student: Student, catalog, lesson_id: str, locale: str):
    return find_assigned(student, catalog, lesson_id, locale, module_lessons, _open_modules(student))


def find_assigned_quiz(student: Student, catalog, quiz_id: str, locale: str):
    return find_assigned(student, catalog, quiz_id, locale, module_quizzes, _open_modules(student))


# ---- lessons ---------------------------------------------------------------------------------------------
