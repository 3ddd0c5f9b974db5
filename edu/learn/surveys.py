"""A student's pre/post survey: which phases are assigned and open, validating and storing answers (linked or
anonymous as each item says). Services flush, never commit."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from edu import mixing
from edu.domain import LIKERT_VALUES, RATING_VALUES, SURVEY_ID
from edu.extensions import db
from edu.insights import dp
from edu.learn.assignments import assignments_of
from edu.learn.errors import AlreadySubmitted, InvalidInput
from edu.mixing import iso_week
from edu.models import Assignment, Student, SurveyAnswer, SurveySubmission, utcnow

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


def allowed_values(item) -> frozenset[str]:
    """The answers an item accepts: a knowledge item's option ids, a Likert label 1..5, a rating 0..100 by 10."""
    if item.type == "knowledge":
        return frozenset(o.id for o in item.options)
    return frozenset(RATING_VALUES if item.type == "rating" else LIKERT_VALUES)


def read_survey_answers(survey, phase: str, raw: dict[str, str | None]) -> tuple[dict[str, str | None], list[str]]:
    """Each item the phase shows gets a value or None (prefer not to answer), and the ids of the items whose
    value was not on the form (kept as None, so the page can ask again without losing the other answers)."""
    clean: dict[str, str | None] = {}
    invalid: list[str] = []
    for item in survey.items_for(phase):
        value = raw.get(item.id)
        value = None if value in (None, "", "skip") else value
        if value is not None and value not in allowed_values(item):
            invalid.append(item.id)
            value = None
        clean[item.id] = value
    return clean, invalid


def validate_survey_answers(survey, raw: dict[str, str | None], phase: str) -> dict[str, str | None]:
    """Like read_survey_answers, but anything not on the phase's form is refused (InvalidInput)."""
    clean, invalid = read_survey_answers(survey, phase, raw)
    if invalid:
        raise InvalidInput(invalid[0])
    return clean


def intro_html(survey) -> str:
    """The survey's intro with the privacy figures its declared scales give ({class_results}, {epsilon})."""
    html = survey.intro_html
    for key, value in dp.privacy_promise(survey).items():
        html = html.replace("{" + key + "}", value)
    return html


def submit_survey(student: Student, survey, phase: str, raw: dict[str, str | None]) -> None:
    """Store a phase's answers: only the items that phase shows (its knowledge form and the rest)."""
    answers = validate_survey_answers(survey, raw, phase)
    submission = SurveySubmission(student_id=student.id, survey_id=survey.id, phase=phase,
                                  content_version=survey.version, submitted_at=utcnow())
    try:
        with db.session.begin_nested():  # the row is added inside the savepoint, so a clash discards it
            db.session.add(submission)
            db.session.flush()
    except IntegrityError as error:
        raise AlreadySubmitted(phase) from error
    anonymous: list[tuple[str, str | None]] = []
    for item in survey.items_for(phase):
        value = answers[item.id]
        if item.identity == "linked":
            db.session.add(SurveyAnswer(student_id=student.id, survey_id=survey.id, phase=phase,
                                        item_id=item.id, value=value))
        else:
            anonymous.append((item.id, value))
    # `identity: none` answers wait in the mixing buffer, written later with their class's batch (edu/mixing.py)
    mixing.hold_survey_answers(student.classroom_id, survey.id, phase, anonymous, iso_week(utcnow()))
    db.session.flush()


# ---- my data ---------------------------------------------------------------------------------------------
