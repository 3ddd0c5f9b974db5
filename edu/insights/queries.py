"""The SQL behind every insights figure: aggregates computed by the database, never loops over rows.

Each function returns a handful of rows (one per group, item, value or week), whatever the number of students:
- :func:`item_counts`: answers per (item, value) for a phase, linked and anonymous answers together;
- :func:`paired_sums`: per group and linked scale, the sums that give pre/post means, SDs, the mean change and
  the SD of the change (d_z) over students with both a pre and a post score (one pass over the answers, the
  pre and post scores of each student side by side by conditional aggregation);
- :func:`completion_counts`: students who finished every lesson of an assigned module, per class and module
  (from module_completions when they can stand in, see completions.py, else from the lesson progress);
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
from functools import partial

from sqlalchemy import (
    Float,
    Integer,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
)

from edu.extensions import db
from edu.insights import completions, scale_scores, stats
from edu.models import (
    AnonymousSurveyAnswer,
    Assignment,
    Classroom,
    LessonProgress,
    QuizAttempt,
    Student,
    SurveyAnswer,
    SurveyScaleScore,
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
    return phase_item_counts(scope).get(phase, {})


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


def _answer_rows(survey, rules: list[ScaleRule], scope: Scope, group_column):
    """One row per answer of a linked scale in scope: (student, group, scale, phase, points, answered = 1).
    The path used when the per-student scale scores cannot stand in (scale_scores.usable)."""
    scale = case(*((SurveyAnswer.item_id.in_(r.item_ids), literal(r.scale)) for r in rules))
    return (
        select(SurveyAnswer.student_id, group_column, scale.label("scale"), SurveyAnswer.phase,
               _points(survey, rules).label("points"), _const(1).label("answered"))
        .join(Student, Student.id == SurveyAnswer.student_id)
        .join(Classroom, Classroom.id == Student.classroom_id)
        .where(*scope.classroom_filter(), SurveyAnswer.survey_id == SURVEY_ID, SurveyAnswer.value.is_not(None),
               SurveyAnswer.item_id.in_([i for r in rules for i in r.item_ids]))
    ).subquery("answers")


def _scale_score_rows(rules: list[ScaleRule], scope: Scope, group_column):
    """One row per student, phase and linked scale in scope, from survey_scale_scores (summed at submission):
    the same columns as :func:`_answer_rows`, a few rows per student instead of one per answer."""
    score = SurveyScaleScore
    return (
        select(score.student_id, group_column, score.scale, score.phase, score.points, score.answered)
        .join(Student, Student.id == score.student_id)
        .join(Classroom, Classroom.id == Student.classroom_id)
        .where(*scope.classroom_filter(), score.survey_id == SURVEY_ID, score.scale.in_([r.scale for r in rules]))
    ).subquery("answers")


def _per_student(rows):
    """Per student and scale: the group and the points and answered items of each phase. Grouped by student
    and scale only (the group follows from the student), so the database can group in index order."""
    def phase_sum(column, phase: str):
        return func.sum(case((rows.c.phase == phase, column), else_=0))

    return (
        select(rows.c.student_id, rows.c.scale, func.min(rows.c.grp).label("grp"),
               phase_sum(rows.c.points, "pre").label("pre_points"),
               phase_sum(rows.c.answered, "pre").label("pre_answered"),
               phase_sum(rows.c.points, "post").label("post_points"),
               phase_sum(rows.c.answered, "post").label("post_answered"))
        .group_by(rows.c.student_id, rows.c.scale)
    ).subquery("per_student")


def paired_sums(scope: Scope, survey, group=None, use_scale_scores: bool | None = None,
                ) -> dict[tuple[object, str], stats.PairedSums]:
    """{(group, scale): sums over complete pairs} for the linked scales; ``group`` is a Classroom column
    (e.g. Classroom.age_band) or None for one group (keyed None). Groups without complete pairs are absent.
    Reads survey_scale_scores when they can stand in for the answers (``use_scale_scores`` None: checked
    with scale_scores.usable; tests force either path), else the answers; both give the same sums."""
    rules = scale_rules(survey)
    if not rules:
        return {}
    exact = all(rule.exact for rule in rules)
    group_column = (group if group is not None else literal_column("0")).label("grp")
    if use_scale_scores is None:
        use_scale_scores = scale_scores.usable(survey, scope)
    source = _scale_score_rows if use_scale_scores else partial(_answer_rows, survey)
    sums = _per_student(source(rules, scope, group_column))
    unit = case(*((sums.c.scale == r.scale, _const(r.unit if exact else 1)) for r in rules))
    need = case(*((sums.c.scale == r.scale, _const(r.need)) for r in rules))

    def score(phase: str):
        points, answered = sums.c[f"{phase}_points"], sums.c[f"{phase}_answered"]
        if exact:  # answered divides the unit: an integer division (plain "/" on integers), exact
            return points * unit.op("/")(func.nullif(answered, 0))
        return cast(points, Float) / func.nullif(answered, 0)

    students = (
        select(sums.c.grp, sums.c.scale, score("pre").label("pre"), score("post").label("post"))
        .where(sums.c.pre_answered >= 1, sums.c.post_answered >= 1, 2 * sums.c.pre_answered >= need,
               2 * sums.c.post_answered >= need)
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


def completion_counts(scope: Scope, lesson_sets: dict[tuple[str, str, str], tuple[str, ...]],
                      use_completions: bool | None = None) -> dict[tuple[int, str], int]:
    """{(classroom id, module id): students who finished every lesson of the module}, for modules assigned to the
    class. ``lesson_sets`` maps (locale, region, module id) to the lessons a class of that locale and region
    has in the module (from the catalog). Reads module_completions when they can stand in for the lesson
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


def _progress_completion_counts(scope: Scope, lesson_sets: dict[tuple[str, str, str], tuple[str, ...]],
                                ) -> dict[tuple[int, str], int]:
    """completion_counts from the lesson progress itself: every completed lesson joined to its student and
    class, matched to the class's lesson sets (the path used when module_completions cannot stand in)."""
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
