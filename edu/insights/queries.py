"""The SQL behind every insights figure: aggregates computed by the database, never loops over rows.

Each function returns a handful of rows (one per group, item, value or week), whatever the number of students:
- :func:`item_counts`: answers per (item, value) for a phase, linked and anonymous answers together;
- :func:`paired_sums`: per group and linked scale, the sums that give pre/post means, SDs, the mean change and
  the SD of the change (d_z) over students with both a pre and a post score (one pass over the answers, the
  pre and post scores of each student side by side by conditional aggregation);
- :func:`completion_counts`: students who finished every lesson of an assigned module, per class and module;
- :func:`quiz_attempt_scores`: submitted attempts' scores of a class, for the weekly quiz results.

Scores are kept exact: a knowledge score 100·c/a (c right out of a answered) and a Likert scale score t/a are
multiples of 1/L with L = lcm(1..number of items), so SQL sums L·score as whole numbers and the SDs come out
without rounding error (every student changed by the same amount gives an SD of exactly 0, so d_z is
undefined, as the rules say). Surveys too long for that to fit in 64-bit integers fall back to floats.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Float, Integer, and_, case, cast, false, func, literal, literal_column, or_, select

from edu.extensions import db
from edu.insights import stats
from edu.models import (
    AnonymousSurveyAnswer,
    Assignment,
    Classroom,
    LessonProgress,
    QuizAttempt,
    Student,
    SurveyAnswer,
)

SURVEY_ID = "prepost"
EXACT_LIMIT = 10**6  # largest whole-number score kept exact (its square times 10^6 students fits in 63 bits)


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


def item_counts(scope: Scope, phase: str) -> dict[str, dict[str, int]]:
    """{item id: {value: count}} over linked and anonymous answers in scope (skips excluded)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    linked = db.session.execute(
        select(SurveyAnswer.item_id, SurveyAnswer.value, func.count())
        .join(Student, Student.id == SurveyAnswer.student_id)
        .where(scope.contains(Student.classroom_id), SurveyAnswer.survey_id == SURVEY_ID,
               SurveyAnswer.phase == phase, SurveyAnswer.value.is_not(None))
        .group_by(SurveyAnswer.item_id, SurveyAnswer.value))
    anonymous = db.session.execute(
        select(AnonymousSurveyAnswer.item_id, AnonymousSurveyAnswer.value, func.count())
        .where(scope.contains(AnonymousSurveyAnswer.classroom_id), AnonymousSurveyAnswer.survey_id == SURVEY_ID,
               AnonymousSurveyAnswer.phase == phase, AnonymousSurveyAnswer.value.is_not(None))
        .group_by(AnonymousSurveyAnswer.item_id, AnonymousSurveyAnswer.value))
    for item_id, value, count in [*linked, *anonymous]:
        counts[item_id][value] = counts[item_id].get(value, 0) + count
    return counts


# ---- paired pre/post sums per linked scale ------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleRule:
    """How one linked scale is scored in SQL."""

    scale: str
    item_ids: tuple[str, ...]
    unit: int  # scores are whole multiples of 1/unit
    need: int  # answered items needed for a score: 2 * answered >= need

    @property
    def exact(self) -> bool:
        top = 100 if self.scale == stats.KNOWLEDGE else stats.LIKERT_HIGH
        return top * self.unit <= EXACT_LIMIT


def scale_rules(survey) -> list[ScaleRule]:
    """The linked scales of the survey with their scoring constants (see the module docstring)."""
    by_scale: dict[str, list] = defaultdict(list)
    for item in survey.items:
        if item.identity == "linked":
            by_scale[item.scale].append(item)
    rules = []
    for scale, items in by_scale.items():
        unit = math.lcm(*range(1, len(items) + 1))
        # Knowledge: at least one answer. Likert: at least half the scale's items (stats.likert_score).
        rules.append(ScaleRule(scale, tuple(i.id for i in items), unit, 1 if scale == stats.KNOWLEDGE else len(items)))
    return rules


def _points(survey, rules: list[ScaleRule]):
    """Per answer: knowledge 100 if right else 0; Likert the 1..5 score, reverse-keyed items reversed."""
    linked = {i.id: i for i in survey.items if i.identity == "linked"}
    right = [and_(SurveyAnswer.item_id == i.id, SurveyAnswer.value == o.id)
             for i in linked.values() if i.type == "knowledge" for o in i.options if o.correct]
    knowledge = [i.id for i in linked.values() if i.type == "knowledge"]
    reverse = [i.id for i in linked.values() if i.type == "likert" and i.reverse]
    likert = [i.id for i in linked.values() if i.type == "likert" and not i.reverse]
    value = cast(SurveyAnswer.value, Integer)
    whens = []
    if right:
        whens.append((or_(*right), _const(100)))
    if knowledge:
        whens.append((SurveyAnswer.item_id.in_(knowledge), _const(0)))
    if reverse:
        whens.append((SurveyAnswer.item_id.in_(reverse), _const(stats.LIKERT_LOW + stats.LIKERT_HIGH) - value))
    if likert:
        whens.append((SurveyAnswer.item_id.in_(likert), value))
    return case(*whens, else_=None)


def paired_sums(scope: Scope, survey, group=None) -> dict[tuple[object, str], stats.PairedSums]:
    """{(group, scale): sums over complete pairs} for the linked scales; ``group`` is a Classroom column
    (e.g. Classroom.age_band) or None for one group (keyed None). Groups without complete pairs are absent."""
    rules = scale_rules(survey)
    if not rules:
        return {}
    exact = all(rule.exact for rule in rules)
    scale = case(*((SurveyAnswer.item_id.in_(r.item_ids), literal(r.scale)) for r in rules))
    unit = case(*((SurveyAnswer.item_id.in_(r.item_ids), _const(r.unit if exact else 1)) for r in rules))
    need = case(*((SurveyAnswer.item_id.in_(r.item_ids), _const(r.need)) for r in rules))
    group_column = (group if group is not None else literal_column("0")).label("grp")
    rows = (
        select(SurveyAnswer.student_id, group_column, scale.label("scale"), unit.label("unit"), need.label("need"),
               SurveyAnswer.phase, _points(survey, rules).label("points"))
        .join(Student, Student.id == SurveyAnswer.student_id)
        .join(Classroom, Classroom.id == Student.classroom_id)
        .where(*scope.classroom_filter(), SurveyAnswer.survey_id == SURVEY_ID, SurveyAnswer.value.is_not(None),
               SurveyAnswer.item_id.in_([i for r in rules for i in r.item_ids]))
    ).subquery("answers")

    def side(phase: str):
        in_phase = rows.c.phase == phase
        points = func.sum(case((in_phase, rows.c.points), else_=None))
        answered = func.sum(case((in_phase, 1), else_=0))
        if exact:  # answered divides the unit, so the integer division is exact
            score = points * (rows.c.unit / func.nullif(answered, 0))
        else:
            score = cast(points, Float) / func.nullif(answered, 0)
        return score, answered

    pre, pre_answered = side("pre")
    post, post_answered = side("post")
    students = (
        select(rows.c.grp, rows.c.scale, pre.label("pre"), post.label("post"))
        .group_by(rows.c.student_id, rows.c.grp, rows.c.scale, rows.c.unit, rows.c.need)
        .having(and_(pre_answered >= 1, post_answered >= 1, 2 * pre_answered >= rows.c.need,
                     2 * post_answered >= rows.c.need))
    ).subquery("students")
    change = students.c.post - students.c.pre
    result = db.session.execute(
        select(students.c.grp, students.c.scale, func.count(), func.sum(students.c.pre),
               func.sum(students.c.pre * students.c.pre), func.sum(students.c.post),
               func.sum(students.c.post * students.c.post), func.sum(change), func.sum(change * change))
        .group_by(students.c.grp, students.c.scale))
    convert = _int if exact else float
    units = {r.scale: r.unit if exact else 1 for r in rules}
    return {(grp if group is not None else None, scale_name):
            stats.PairedSums(int(n), *(convert(v or 0) for v in sums), unit=units[scale_name])
            for grp, scale_name, n, *sums in result}


# ---- module completion --------------------------------------------------------------------------------------


def region_of(country_column):
    return case((country_column == "KR", "KR"), else_="INTL")


def completion_counts(scope: Scope, lesson_sets: dict[tuple[str, str, str], tuple[str, ...]]) -> dict[tuple[int, str], int]:
    """{(classroom id, module id): students who finished every lesson of the module}, for modules assigned to the
    class. ``lesson_sets`` maps (locale, region, module id) to the lessons a class of that locale and region
    has in the module (from the catalog)."""
    lesson_sets = {key: lessons for key, lessons in lesson_sets.items() if lessons}
    if not lesson_sets:
        return {}
    region = region_of(Classroom.country)
    matches = [and_(Classroom.locale == locale, region == reg, LessonProgress.lesson_id.in_(lessons))
               for (locale, reg, _module), lessons in lesson_sets.items()]
    module = case(*((m, literal(key[2])) for m, key in zip(matches, lesson_sets, strict=True)), else_=None)
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
        select(Classroom.id, Classroom.name, Classroom.age_band, Classroom.locale, region_of(Classroom.country),
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
