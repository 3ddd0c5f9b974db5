"""A student's pre/post survey: which phases are assigned and open, validating and storing answers (linked or
anonymous as each item says). Services flush, never commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from edu.domain import LIKERT_VALUES, SURVEY_ID
from edu.extensions import db
from edu.learn.assignments import assignments_of
from edu.learn.errors import AlreadySubmitted, InvalidInput
from edu.models import AnonymousSurveyAnswer, Assignment, Student, SurveyAnswer, SurveySubmission, utcnow

_SURVEY_SUBMISSIONS = select(SurveySubmission).where(
    SurveySubmission.student_id == bindparam("student_id"), SurveySubmission.survey_id == bindparam("survey_id"))


def survey_phases(student: Student, assignments: list[Assignment] | None = None
                  ) -> list[tuple[Assignment, str, SurveySubmission | None]]:
    surveys = [a for a in (assignments if assignments is not None else assignments_of(student))
               if a.kind in ("pre_survey", "post_survey")]
    if not surveys:
        return []
    submissions = {s.phase: s for s in db.session.scalars(
        _SURVEY_SUBMISSIONS, {"student_id": student.id, "survey_id": SURVEY_ID})}
    phases = [(a, a.kind.removesuffix("_survey")) for a in surveys]
    return [(a, phase, submissions.get(phase)) for a, phase in phases]


def survey_is_assigned(student: Student, phase: str) -> bool:
    now = utcnow()
    return any(a.kind == f"{phase}_survey" and (a.opens_at is None or a.opens_at <= now)
               for a in assignments_of(student))


def unanswered(answers: dict[str, str | None]) -> int:
    return sum(value is None for value in answers.values())


def mostly_unanswered(answers: dict[str, str | None]) -> bool:
    """More than half of the items skipped: the student is asked once whether to send it like that."""
    return unanswered(answers) * 2 > len(answers)


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def validate_survey_answers(survey, raw: dict[str, str | None]) -> dict[str, str | None]:
    """Every item gets a value or None (prefer not to answer); anything not on the form is refused."""
    clean: dict[str, str | None] = {}
    for item in survey.items:
        value = raw.get(item.id)
        if value in (None, "", "skip"):
            clean[item.id] = None
            continue
        allowed = {o.id for o in item.options} if item.type == "knowledge" else set(LIKERT_VALUES)
        if value not in allowed:
            raise InvalidInput(item.id)
        clean[item.id] = value
    return clean


def submit_survey(student: Student, survey, phase: str, raw: dict[str, str | None]) -> None:
    answers = validate_survey_answers(survey, raw)
    submission = SurveySubmission(student_id=student.id, survey_id=survey.id, phase=phase,
                                  content_version=survey.version, submitted_at=utcnow())
    try:
        with db.session.begin_nested():  # the row is added inside the savepoint, so a clash discards it
            db.session.add(submission)
            db.session.flush()
    except IntegrityError as error:
        raise AlreadySubmitted(phase) from error
    week = iso_week(utcnow())
    for item in survey.items:
        value = answers[item.id]
        if item.identity == "linked":
            db.session.add(SurveyAnswer(student_id=student.id, survey_id=survey.id, phase=phase,
                                        item_id=item.id, value=value))
        else:
            db.session.add(AnonymousSurveyAnswer(classroom_id=student.classroom_id, survey_id=survey.id,
                                                 phase=phase, item_id=item.id, value=value, week=week))
    db.session.flush()


# ---- my data ---------------------------------------------------------------------------------------------
