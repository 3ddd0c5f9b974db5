"""Aggregates from the database, handed to the pure rules in stats.py and suppression.py.

Every figure shown to anyone but the student comes through here: the teacher's class outcomes, the school
admin's insights, and the research export. Counting happens in SQL (GROUP BY), never by loading every row.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from edu.extensions import db
from edu.insights import stats
from edu.insights.suppression import TeacherItemSummary, suppress_table, teacher_item_summary
from edu.models import (
    AnonymousSurveyAnswer,
    Assignment,
    Classroom,
    LessonProgress,
    School,
    Student,
    SurveyAnswer,
)

SURVEY_ID = "prepost"
PHASES = ("pre", "post")
LIKERT = ("1", "2", "3", "4", "5")


def item_options(item) -> list[str]:
    return [o.id for o in item.options] if item.type == "knowledge" else list(LIKERT)


# ---- counts -------------------------------------------------------------------------------------------------


def item_counts(classroom_ids: list[int], phase: str) -> dict[str, dict[str, int]]:
    """{item id: {value: count}} over linked and anonymous answers of these classes (skips excluded)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    if not classroom_ids:
        return counts
    linked = db.session.execute(
        select(SurveyAnswer.item_id, SurveyAnswer.value, func.count())
        .join(Student, Student.id == SurveyAnswer.student_id)
        .where(Student.classroom_id.in_(classroom_ids), SurveyAnswer.survey_id == SURVEY_ID,
               SurveyAnswer.phase == phase, SurveyAnswer.value.is_not(None))
        .group_by(SurveyAnswer.item_id, SurveyAnswer.value))
    anonymous = db.session.execute(
        select(AnonymousSurveyAnswer.item_id, AnonymousSurveyAnswer.value, func.count())
        .where(AnonymousSurveyAnswer.classroom_id.in_(classroom_ids), AnonymousSurveyAnswer.survey_id == SURVEY_ID,
               AnonymousSurveyAnswer.phase == phase, AnonymousSurveyAnswer.value.is_not(None))
        .group_by(AnonymousSurveyAnswer.item_id, AnonymousSurveyAnswer.value))
    for item_id, value, count in [*linked, *anonymous]:
        counts[item_id][value] = counts[item_id].get(value, 0) + count
    return counts


def student_scores(classroom_ids: list[int], survey) -> dict[str, list[tuple[float | None, float | None]]]:
    """Pre/post pairs per linked scale: knowledge as percent correct, Likert scales as mean item scores."""
    answers: dict[tuple[int, str], dict[str, str]] = defaultdict(dict)
    rows = db.session.execute(
        select(SurveyAnswer.student_id, SurveyAnswer.phase, SurveyAnswer.item_id, SurveyAnswer.value)
        .join(Student, Student.id == SurveyAnswer.student_id)
        .where(Student.classroom_id.in_(classroom_ids), SurveyAnswer.survey_id == SURVEY_ID))
    for student_id, phase, item_id, value in rows:
        if value is not None:
            answers[(student_id, phase)][item_id] = value
    linked = [i for i in survey.items if i.identity == "linked"]
    by_scale: dict[str, list] = defaultdict(list)
    for i in linked:
        by_scale[i.scale].append(i)
    students = {student_id for student_id, _ in answers}
    pairs: dict[str, list[tuple[float | None, float | None]]] = defaultdict(list)
    for student_id in students:
        for scale, items in by_scale.items():
            pre = _scale_score(scale, items, answers.get((student_id, "pre"), {}))
            post = _scale_score(scale, items, answers.get((student_id, "post"), {}))
            pairs[scale].append((pre, post))
    return pairs


def _scale_score(scale: str, items: list, answers: dict[str, str]) -> float | None:
    if scale == stats.KNOWLEDGE:
        answered = [i for i in items if i.id in answers]
        correct = sum(1 for i in answered if any(o.correct and o.id == answers[i.id] for o in i.options))
        return stats.knowledge_percent(correct, len(answered)) if answered else None
    values = {i.id: int(answers[i.id]) for i in items if i.id in answers}
    return stats.likert_score(values, [i.id for i in items], reverse={i.id for i in items if i.reverse})


# ---- the teacher's class outcomes --------------------------------------------------------------------------


@dataclass
class ItemView:
    item: object
    pre: TeacherItemSummary
    post: TeacherItemSummary


@dataclass
class ClassOutcomes:
    outcomes: dict[str, stats.ScaleOutcome]
    items: list[ItemView] = field(default_factory=list)
    anonymous_means: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


def item_mean(item, counts: dict[str, int], min_n: int) -> float | None:
    """Mean of a Likert item's answers (reverse-keyed items reversed), only with at least min_n answers."""
    n = sum(counts.values())
    if item.type != "likert" or n < min_n:
        return None
    total = sum((stats.reverse_score(int(v)) if item.reverse else int(v)) * c for v, c in counts.items())
    return total / n


def class_outcomes(classroom: Classroom, survey, min_n: int) -> ClassOutcomes:
    ids = [classroom.id]
    result = ClassOutcomes(outcomes=stats.class_outcomes(student_scores(ids, survey), min_n=min_n))
    counts = {phase: item_counts(ids, phase) for phase in PHASES}
    for item in survey.items:
        per_phase = {phase: {o: counts[phase].get(item.id, {}).get(o, 0) for o in item_options(item)}
                     for phase in PHASES}
        result.items.append(ItemView(item,
                                     teacher_item_summary(per_phase["pre"], item.sensitive, min_n),
                                     teacher_item_summary(per_phase["post"], item.sensitive, min_n)))
        if item.identity == "none" and item.type == "likert":
            result.anonymous_means[item.id] = (item_mean(item, per_phase["pre"], min_n),
                                               item_mean(item, per_phase["post"], min_n))
    return result


# ---- the school admin's insights ---------------------------------------------------------------------------


BREAKDOWNS = ("classroom", "age_band")


def completion_table(school: School, catalog, breakdown: str, k: int):
    """Students who finished each assigned module, by one breakdown (class or age band), suppressed at k."""
    classrooms = list(db.session.scalars(select(Classroom).where(Classroom.school_id == school.id,
                                                                 Classroom.archived_at.is_(None))))
    label = {c.id: (c.name if breakdown == "classroom" else c.age_band) for c in classrooms}
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for classroom in classrooms:
        modules = db.session.scalars(select(Assignment.target_id).where(
            Assignment.classroom_id == classroom.id, Assignment.kind == "module")).all()
        for module_id in modules:
            lesson_ids = [ls.id for ls in catalog.lessons_for(module_id, classroom.locale, region=classroom.region)]
            if not lesson_ids:
                continue
            finished = db.session.scalar(
                select(func.count()).select_from(
                    select(LessonProgress.student_id)
                    .join(Student, Student.id == LessonProgress.student_id)
                    .where(Student.classroom_id == classroom.id, LessonProgress.lesson_id.in_(lesson_ids),
                           LessonProgress.completed_at.is_not(None))
                    .group_by(LessonProgress.student_id)
                    .having(func.count() == len(lesson_ids)).subquery()))
            cells[(label[classroom.id], module_id)] += finished or 0
    return suppress_table(dict(cells), k=k) if cells else None


def school_outcomes(school: School, survey, breakdown: str, k: int) -> dict[str, dict[str, stats.ScaleOutcome]]:
    """Pooled outcomes per group of the breakdown (class or age band); a group below k pairs shows nothing."""
    classrooms = list(db.session.scalars(select(Classroom).where(Classroom.school_id == school.id)))
    groups: dict[str, list[int]] = defaultdict(list)
    for c in classrooms:
        groups[c.name if breakdown == "classroom" else c.age_band].append(c.id)
    return {group: stats.class_outcomes(student_scores(ids, survey), min_n=k) for group, ids in groups.items()}


def least_changed_items(school: School, survey, k: int, limit: int = 5) -> list[tuple[object, float, float]]:
    """Attitude and bystander items whose school mean moved least from pre to post (what to teach again)."""
    ids = list(db.session.scalars(select(Classroom.id).where(Classroom.school_id == school.id)))
    counts = {phase: item_counts(ids, phase) for phase in PHASES}
    rows = []
    for item in survey.items:
        if item.type != "likert":
            continue
        pre = item_mean(item, counts["pre"].get(item.id, {}), k)
        post = item_mean(item, counts["post"].get(item.id, {}), k)
        if pre is not None and post is not None:
            rows.append((item, pre, post))
    return sorted(rows, key=lambda row: row[2] - row[1])[:limit]


def quiz_results_over_time(classroom: Classroom, catalog, locale: str) -> list[tuple[str, list[tuple[str, int, float]]]]:
    """Per assigned quiz: (ISO week, submitted attempts, average score %) in week order."""
    from edu.learn.services import module_quizzes
    from edu.models import QuizAttempt

    results = []
    modules = db.session.scalars(select(Assignment.target_id).where(
        Assignment.classroom_id == classroom.id, Assignment.kind == "module").order_by(Assignment.position))
    for module_id in modules:
        for quiz in module_quizzes(catalog, module_id, locale, classroom.region):
            weeks: dict[str, list[float]] = defaultdict(list)
            for submitted_at, score, max_score in db.session.execute(
                    select(QuizAttempt.submitted_at, QuizAttempt.score, QuizAttempt.max_score)
                    .join(Student, Student.id == QuizAttempt.student_id)
                    .where(Student.classroom_id == classroom.id, QuizAttempt.quiz_id == quiz.id,
                           QuizAttempt.submitted_at.is_not(None))):
                year, week, _ = submitted_at.isocalendar()
                weeks[f"{year}-W{week:02d}"].append(100.0 * (score or 0) / max_score if max_score else 0.0)
            if weeks:
                results.append((quiz.title, [(week, len(v), sum(v) / len(v)) for week, v in sorted(weeks.items())]))
    return results
