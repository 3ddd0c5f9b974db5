"""The SQL behind every insights figure: aggregates computed by the database, never loops over rows.

Each function returns a handful of rows (one per group, item, value or week), whatever the number of students:
- :func:`phase_item_counts`: answers per (phase, item, value), linked and anonymous answers together (the exact
  sums behind a class release, see releases.py);
- :func:`completion_counts`: students who finished every lesson of an assigned module, per class and module
  (from module_completions when they can stand in, see completions.py, else from the lesson progress);
- :func:`quiz_attempt_scores`: submitted attempts' scores of a class, for the weekly quiz results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import (
    Integer,
    and_,
    case,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
)

from edu.domain import SURVEY_ID, region_column
from edu.extensions import db
from edu.insights import completions
from edu.models import (
    AnonymousSurveyAnswer,
    Assignment,
    Classroom,
    LessonProgress,
    QuizAttempt,
    Student,
    SurveyAnswer,
)


@dataclass(frozen=True)
class Scope:
    """The classes a figure covers: one class, every class of a school (optionally only those not archived),
    or (for benchmarks of a whole district) every class."""

    classroom_id: int | None = None
    school_id: int | None = None
    active_only: bool = False

    @classmethod
    def of_class(cls, classroom_id: int) -> Scope:
        return cls(classroom_id=classroom_id)

    @classmethod
    def of_school(cls, school_id: int, active_only: bool = False) -> Scope:
        return cls(school_id=school_id, active_only=active_only)

    def classroom_filter(self) -> list:
        """Conditions on Classroom for the classes in scope."""
        conditions = []
        if self.classroom_id is not None:
            conditions.append(Classroom.id == self.classroom_id)
        if self.school_id is not None:
            conditions.append(Classroom.school_id == self.school_id)
        if self.active_only:
            conditions.append(Classroom.archived_at.is_(None))
        return conditions

    def contains(self, classroom_id_column):
        """A condition that the class in ``classroom_id_column`` is in scope."""
        if self.classroom_id is not None and not self.active_only:
            return classroom_id_column == self.classroom_id
        return classroom_id_column.in_(select(Classroom.id).where(*self.classroom_filter()))


def _int(value) -> int:
    return int(value or 0)


def _const(value: int):
    """An integer inlined in the SQL text (so both databases see an integer, and division stays integral)."""
    return literal_column(str(int(value)), Integer)


# ---- survey item counts -----------------------------------------------------------------------------------


def phase_item_counts(scope: Scope, item_ids: list[str] | None = None) -> dict[str, dict[str, dict[str, int]]]:
    """{phase: {item id: {value: count}}} over linked and anonymous answers in scope (skips excluded), for
    ``item_ids`` only if given: both phases in one query per table, and only the items a figure shows.
    Plain joins, so the planner can walk a school's students, or (for very large scopes) the answers in
    (item, phase, value) order with no sort."""
    counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    linked = (select(SurveyAnswer.phase, SurveyAnswer.item_id, SurveyAnswer.value, func.count())
              .join(Student, Student.id == SurveyAnswer.student_id)
              .join(Classroom, Classroom.id == Student.classroom_id))
    anonymous = (select(AnonymousSurveyAnswer.phase, AnonymousSurveyAnswer.item_id, AnonymousSurveyAnswer.value,
                        func.count())
                 .join(Classroom, Classroom.id == AnonymousSurveyAnswer.classroom_id))
    for model, query in ((SurveyAnswer, linked), (AnonymousSurveyAnswer, anonymous)):
        chosen = [model.item_id.in_(item_ids)] if item_ids is not None else []
        result = db.session.execute(
            query.where(*scope.classroom_filter(), model.survey_id == SURVEY_ID, model.value.is_not(None), *chosen)
            .group_by(model.item_id, model.phase, model.value))
        for phase, item_id, value, count in result:
            counts[phase][item_id][value] = counts[phase][item_id].get(value, 0) + count
    return counts


# ---- module completion --------------------------------------------------------------------------------------


def completion_counts(scope: Scope, lesson_sets: dict[tuple[str, str, str, str], tuple[str, ...]],
                      use_completions: bool | None = None) -> dict[tuple[int, str], int]:
    """{(classroom id, module id): students who finished every lesson of the module}, for modules assigned to the
    class. ``lesson_sets`` maps (locale, region, age band, module id) to the lessons a class of that locale,
    region and band has in the module (from the catalog). Reads module_completions when they can stand in for the lesson
    progress (``use_completions`` None: when completions.table_counts finds them usable; False: never; tests
    force either path), else the lesson progress; both give the same counts."""
    lesson_sets = {key: lessons for key, lessons in lesson_sets.items() if lessons}
    if not lesson_sets:
        return {}
    if use_completions is not False:
        counts = completions.table_counts(scope, lesson_sets)
        if counts is not None:
            return counts
        if use_completions:
            raise ValueError("module_completions cannot stand in for the lesson progress in this scope")
    return _progress_completion_counts(scope, lesson_sets)


def _progress_completion_counts(scope: Scope, lesson_sets: dict[tuple[str, str, str, str], tuple[str, ...]],
                                ) -> dict[tuple[int, str], int]:
    """completion_counts from the lesson progress itself: every completed lesson joined to its student and
    class, matched to the class's lesson sets (the path used when module_completions cannot stand in)."""
    region = region_column(Classroom.country)
    matches = [and_(Classroom.locale == locale, region == reg, Classroom.age_band == band,
                    LessonProgress.lesson_id.in_(lessons))
               for (locale, reg, band, _module), lessons in lesson_sets.items()]
    module = case(*((m, literal(key[3])) for m, key in zip(matches, lesson_sets, strict=True)), else_=None)
    need = case(*((m, _const(len(lessons))) for m, lessons in zip(matches, lesson_sets.values(), strict=True)),
                else_=None)
    rows = (
        select(Student.classroom_id, LessonProgress.student_id, module.label("module"), need.label("need"))
        .join(Student, Student.id == LessonProgress.student_id)
        .join(Classroom, Classroom.id == Student.classroom_id)
        .where(*scope.classroom_filter(), LessonProgress.completed_at.is_not(None), or_(false(), *matches))
    ).subquery("finished_lessons")
    finished = (
        select(rows.c.classroom_id, rows.c.module)
        .group_by(rows.c.classroom_id, rows.c.student_id, rows.c.module, rows.c.need)
        .having(func.count() == rows.c.need)
    ).subquery("finished_modules")
    result = db.session.execute(
        select(finished.c.classroom_id, finished.c.module, func.count())
        .join(Assignment, and_(Assignment.classroom_id == finished.c.classroom_id, Assignment.kind == "module",
                               Assignment.target_id == finished.c.module))
        .group_by(finished.c.classroom_id, finished.c.module))
    return {(classroom_id, module_id): count for classroom_id, module_id, count in result}


def assigned_modules(scope: Scope) -> list[tuple[int, str, str, str, str, str]]:
    """(classroom id, class name, age band, locale, region, module id) of every module assignment in scope,
    ordered by class and module id (the order the earlier per-class queries met them in on SQLite, so tables,
    and the cells complementary suppression picks, stay as they were)."""
    return [tuple(row) for row in db.session.execute(
        select(Classroom.id, Classroom.name, Classroom.age_band, Classroom.locale, region_column(Classroom.country),
               Assignment.target_id)
        .join(Assignment, Assignment.classroom_id == Classroom.id)
        .where(*scope.classroom_filter(), Assignment.kind == "module")
        .order_by(Classroom.id, Assignment.target_id))]


# ---- quizzes ------------------------------------------------------------------------------------------------


def quiz_attempt_scores(classroom_id: int, quiz_ids: list[str]) -> list[tuple[str, object, int | None, int | None]]:
    """(quiz id, submitted at, score, max score) of the class's submitted attempts at these quizzes."""
    if not quiz_ids:
        return []
    return [tuple(row) for row in db.session.execute(
        select(QuizAttempt.quiz_id, QuizAttempt.submitted_at, QuizAttempt.score, QuizAttempt.max_score)
        .join(Student, Student.id == QuizAttempt.student_id)
        .where(Student.classroom_id == classroom_id, QuizAttempt.quiz_id.in_(quiz_ids),
               QuizAttempt.submitted_at.is_not(None)))]
