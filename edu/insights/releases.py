"""Frozen, differentially private releases of survey figures: the only way a teacher or an admin sees anything
derived from survey answers (design.md §4, decisions.md "Survey figures").

- A **class release**: one per class, phase and term, made when the teacher closes the survey window (or by
  ``flask insights release`` once its end date has passed). It holds the noisy sums of the figures of the scales
  the survey file puts on the class page (the knowledge score on the phase's form and scale means, ε = 1 each;
  the term's budget is ``dp.class_term_budget(survey)``) and the public number who submitted.
- A **school release**: one per school and term, made when the admin asks for it, with every school-level
  figure for every breakdown at once (by age band; the whole school is the sum of the bands), zCDP ρ = 1/2 in
  all (what a pure ε = 1 release satisfies too; about (ε, δ) = (5.2, 10⁻⁶)).

Once stored a release never changes: opening the page again, adding or removing students or assigning the
survey again reads the same row. Nothing is computed on demand, and before a release nothing is shown. The
budget a release would exceed is refused with the reason (:class:`BudgetSpent`). Flushes, never commits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from edu.extensions import db
from edu.insights import dp
from edu.insights.queries import SURVEY_ID, Scope, phase_item_counts
from edu.insights.terms import Term, school_term_of
from edu.models import Assignment, Classroom, School, Student, SurveyRelease, SurveySubmission, utcnow

# The school's budget is zCDP rho = 1/2 (dp.SCHOOL_TERM_BUDGET). The two knowledge queries keep pure epsilon
# (discrete Laplace: 0.5 and 0.25, i.e. rho 0.125 and 0.03125); the per-item answer counts (discrete Gaussian) get
# the rest, rho = 0.34375.
SCHOOL_SHARES = {"knowledge": 0.5, "knowledge_change_squares": 0.25}  # epsilon of the Laplace queries
SCHOOL_ITEMS_RHO = dp.SCHOOL_TERM_BUDGET - sum(e * e / 2 for e in SCHOOL_SHARES.values())


class BudgetSpent(Exception):
    """Nothing more can be released: ``reason`` is "released" (this one exists already) or "budget"."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def class_scope(classroom_id: int, phase: str) -> str:
    return f"class:{classroom_id}:{phase}"


def school_scope(school_id: int) -> str:
    return f"school:{school_id}"


def current_term(school: School, now=None) -> Term:
    return school_term_of(now or utcnow(), school)


def class_spent(classroom_id: int, term: str) -> float:
    """ε the class's releases of the term have spent (the sum of their OpenDP privacy maps)."""
    return float(db.session.scalar(select(func.coalesce(func.sum(SurveyRelease.epsilon), 0.0)).where(
        SurveyRelease.term == term, SurveyRelease.classroom_id == classroom_id)) or 0.0)


def store(release: SurveyRelease) -> SurveyRelease:
    """Add a release; BudgetSpent("released") when its scope already has one this term."""
    try:
        with db.session.begin_nested():  # two closes at once: the first release stands
            db.session.add(release)
            db.session.flush()
    except IntegrityError as error:
        raise BudgetSpent("released") from error
    return release


def find(scope: str, term: str) -> SurveyRelease | None:
    return db.session.scalar(select(SurveyRelease).where(SurveyRelease.scope == scope, SurveyRelease.term == term))


# ---- class releases ---------------------------------------------------------------------------------------


def respondents(classroom_id: int, phase: str) -> int:
    """How many students of the class submitted the phase (a participation record, exact)."""
    return int(db.session.scalar(
        select(func.count()).select_from(SurveySubmission).join(Student, Student.id == SurveySubmission.student_id)
        .where(Student.classroom_id == classroom_id, SurveySubmission.survey_id == SURVEY_ID,
               SurveySubmission.phase == phase)) or 0)


def class_release_refusal(classroom: Classroom, survey, phase: str, now=None) -> str | None:
    """Why the class's release for the phase would be refused now ("released", "budget"), or None."""
    term = current_term(classroom.school, now).key
    if find(class_scope(classroom.id, phase), term) is not None:
        return "released"
    epsilon = sum(dp.privacy_loss(dp.scale_query(scale)) for scale in dp.class_page_scales(survey, phase))
    if class_spent(classroom.id, term) + epsilon > dp.class_term_budget(survey) + 1e-9:
        return "budget"
    return None


def release_class(classroom: Classroom, survey, phase: str, now=None) -> SurveyRelease:
    """Compute, store and return the class's release for the phase in the current term (BudgetSpent if it
    exists already or the class's term budget would be exceeded)."""
    if phase not in dp.PHASES:
        raise ValueError(phase)
    now = now or utcnow()
    term = current_term(classroom.school, now).key
    scope = class_scope(classroom.id, phase)
    refused = class_release_refusal(classroom, survey, phase, now)
    if refused is not None:
        raise BudgetSpent(refused)
    scales = dp.class_page_scales(survey, phase)  # the knowledge scale holds the phase's form
    counts = phase_item_counts(Scope.of_class(classroom.id), [i for s in scales for i in s.item_ids]).get(phase, {})
    figures, epsilon = [], 0.0
    for scale in scales:
        query = dp.scale_query(scale)
        epsilon += dp.privacy_loss(query)
        figures.append({"scale": scale.name, "items": len(scale.item_ids), "top": scale.top, "step": scale.step,
                        "query": query.as_dict(), "noisy": dp.release(query, dp.scale_values(scale, counts))})
    if class_spent(classroom.id, term) + epsilon > dp.class_term_budget(survey) + 1e-9:
        raise BudgetSpent("budget")
    body = {"n": respondents(classroom.id, phase), "figures": figures}
    return store(SurveyRelease(school_id=classroom.school_id, classroom_id=classroom.id, scope=scope, phase=phase,
                                term=term, epsilon=epsilon, figures=json.dumps(body), released_at=now))


@dataclass
class ClassFigures:
    """A class release as the page shows it."""

    phase: str
    term: str
    n: int
    figures: list[dp.Figure]
    released_at: object


def class_figures(release: SurveyRelease) -> ClassFigures:
    body = json.loads(release.figures)
    figures = [dp.figure_of(f["scale"], dp.NoisyQuery.from_dict(f["query"]), f["noisy"], body["n"], f["items"],
                            f["top"], f.get("step", 0)) for f in body["figures"]]
    return ClassFigures(release.phase, release.term, body["n"], figures, release.released_at)


def class_releases(classroom_id: int) -> list[SurveyRelease]:
    return list(db.session.scalars(select(SurveyRelease).where(SurveyRelease.classroom_id == classroom_id)
                                   .order_by(SurveyRelease.term, SurveyRelease.released_at)))


def due_class_releases(survey, now=None) -> int:
    """Release every survey window whose end date has passed and that has no release this term (the daily
    ``flask insights release``). Returns how many were made."""

    now = now or utcnow()
    made = 0
    rows = db.session.execute(select(Assignment, Classroom).join(Classroom, Classroom.id == Assignment.classroom_id)
                              .where(Assignment.kind.in_(("pre_survey", "post_survey")),
                                     Assignment.due_at.is_not(None), Assignment.due_at <= now,
                                     Classroom.archived_at.is_(None))).all()
    for assignment, classroom in rows:
        school = classroom.school
        if school_term_of(assignment.due_at, school) != current_term(school, now):
            continue  # a window that ended in an earlier term was released then (or had nothing to release)
        try:
            release_class(classroom, survey, assignment.kind.removesuffix("_survey"), now)
            made += 1
        except BudgetSpent:
            continue
    return made
