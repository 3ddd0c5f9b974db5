"""Per-student scale scores of the pre/post survey, kept beside the answers so school figures read a few rows
per student instead of every answer.

A ``survey_scale_scores`` row holds, for one student, survey, phase and linked scale, the points of the
answered items (knowledge 100 per right answer, Likert 1..5 with reverse-keyed items reversed) and how many
items were answered: exactly what :func:`edu.insights.queries.paired_sums` used to sum per answer. It holds
nothing the answers do not hold, never free text, and goes with the student (ON DELETE CASCADE).

Rows are written with the answers (``submit_survey``, the data generator, the migration's backfill), one per
linked scale per submission, also when no item of the scale was answered (answered 0), so their number is
checkable. Each row names the scoring it was computed with (a short hash of the scale's items, answer key and
reverse-keyed items). Figures use the rows only while they are complete and every row carries the scoring of
the survey asked about (:func:`usable`); otherwise, e.g. after an answer key was corrected in the content,
they fall back to the answers themselves, so a figure never depends on which path computed it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import Integer, and_, case, cast, column, func, literal, select, table

from edu.extensions import db
from edu.insights import stats
from edu.models import Student, SurveyScaleScore, SurveySubmission


def linked_scales(survey) -> dict[str, list]:
    """{scale: its linked items}, in the survey's order."""
    by_scale: dict[str, list] = defaultdict(list)
    for item in survey.items:
        if item.identity == "linked":
            by_scale[item.scale].append(item)
    return dict(by_scale)


def scoring_key(items) -> str:
    """A short hash of how a scale is scored: its items, their type, answer key and reverse keying."""
    parts = []
    for item in items:
        right = ",".join(sorted(o.id for o in item.options if o.correct)) if item.type == "knowledge" else ""
        parts.append(f"{item.id}|{item.type}|{int(bool(getattr(item, 'reverse', False)))}|{right}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def answer_points(item, value: str) -> int:
    """The points of one answer, as the SQL of queries.py scores it."""
    if item.type == "knowledge":
        return 100 if value in {o.id for o in item.options if o.correct} else 0
    return stats.LIKERT_LOW + stats.LIKERT_HIGH - int(value) if item.reverse else int(value)


def score_rows(survey, student_id: int, phase: str, answers: dict[str, str | None]) -> list[dict]:
    """The rows for one submission (one per linked scale) from its {item id: value} answers."""
    rows = []
    for scale, items in linked_scales(survey).items():
        given = [(item, answers.get(item.id)) for item in items if answers.get(item.id) is not None]
        rows.append({"student_id": student_id, "survey_id": survey.id, "phase": phase, "scale": scale,
                     "scoring": scoring_key(items), "points": sum(answer_points(i, v) for i, v in given),
                     "answered": len(given)})
    return rows


def add_for_submission(survey, student_id: int, phase: str, answers: dict[str, str | None]) -> None:
    """Add the rows of a submission to the session (the caller's transaction writes them with the answers)."""
    for row in score_rows(survey, student_id, phase, answers):
        db.session.add(SurveyScaleScore(**row))


def usable(survey, scope=None) -> bool:
    """Whether the rows can stand in for the answers of this survey in ``scope`` (an insights Scope; None:
    everywhere): one row per linked scale for every submission in scope, each computed with the survey's
    current scoring. Two counts over narrow indexes, limited to the scope so a class figure stays cheap."""
    scales = {scale: scoring_key(items) for scale, items in linked_scales(survey).items()}
    if not scales:
        return False
    found = db.session.execute(_in_scope(
        select(SurveyScaleScore.scale, SurveyScaleScore.scoring, func.count())
        .where(SurveyScaleScore.survey_id == survey.id)
        .group_by(SurveyScaleScore.scale, SurveyScaleScore.scoring), SurveyScaleScore.student_id, scope)).all()
    submissions = db.session.scalar(_in_scope(
        select(func.count()).select_from(SurveySubmission).where(SurveySubmission.survey_id == survey.id),
        SurveySubmission.student_id, scope))
    current = set(scales.items())
    return (all((scale, key) in current for scale, key, _n in found)
            and sum(n for *_key, n in found) == submissions * len(scales))


def _in_scope(query, student_id_column, scope):
    """The query limited to students of the classes in scope (every student belongs to a class, so a scope
    without conditions needs no join)."""
    if scope is None or not scope.classroom_filter():
        return query
    return query.join(Student, Student.id == student_id_column).where(scope.contains(Student.classroom_id))


def backfill_statements(survey) -> list:
    """INSERT ... SELECT statements (one per linked scale) that derive the rows of every existing submission
    from its answers, in SQL: for the migration that adds the table. Written against bare table
    definitions, not the models, so later model changes cannot break the migration."""
    submissions = table("survey_submissions", column("student_id"), column("survey_id"), column("phase"))
    answers = table("survey_answers", column("id"), column("student_id"), column("survey_id"), column("phase"),
                    column("item_id"), column("value"))
    scores = table("survey_scale_scores", *(column(c) for c in (
        "student_id", "survey_id", "phase", "scale", "scoring", "points", "answered")))
    statements = []
    for scale, items in linked_scales(survey).items():
        points = case(*(_item_points(item, answers) for item in items), else_=None)
        rows = (
            select(submissions.c.student_id, submissions.c.survey_id, submissions.c.phase, literal(scale),
                   literal(scoring_key(items)), func.coalesce(func.sum(points), 0), func.count(answers.c.id))
            .select_from(submissions.outerjoin(answers, and_(
                answers.c.student_id == submissions.c.student_id, answers.c.survey_id == submissions.c.survey_id,
                answers.c.phase == submissions.c.phase, answers.c.item_id.in_([i.id for i in items]),
                answers.c.value.is_not(None))))
            .where(submissions.c.survey_id == survey.id)
            .group_by(submissions.c.student_id, submissions.c.survey_id, submissions.c.phase))
        statements.append(scores.insert().from_select(list(scores.c.keys()), rows))
    return statements


def _item_points(item, answers) -> tuple:
    """(condition, points) of one item's answers for a CASE, as :func:`answer_points` scores them."""
    if item.type == "knowledge":
        right = [o.id for o in item.options if o.correct]
        return answers.c.item_id == item.id, case((answers.c.value.in_(right), 100), else_=0) if right else 0
    value = cast(answers.c.value, Integer)
    return (answers.c.item_id == item.id,
            stats.LIKERT_LOW + stats.LIKERT_HIGH - value if item.reverse else value)
