"""What the outcome pages show: the frozen releases, with the state of each survey window. Thin views call
these; nothing here computes a figure from answers (releases.py does, once)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from edu.extensions import db
from edu.insights import dp, releases, school_release
from edu.models import Assignment, Classroom, School, SurveyRelease, utcnow


@dataclass
class PhaseView:
    phase: str
    assignment: Assignment | None
    release: releases.ClassFigures | None
    can_release: bool  # assigned, not released this term


def class_page(classroom: Classroom) -> list[PhaseView]:
    term = releases.current_term(classroom.school).key
    stored = {(r.phase, r.term): r for r in releases.class_releases(classroom.id)}
    assigned = {a.kind.removesuffix("_survey"): a for a in db.session.scalars(select(Assignment).where(
        Assignment.classroom_id == classroom.id, Assignment.kind.in_(("pre_survey", "post_survey"))))}
    views = []
    for phase in dp.PHASES:
        row = stored.get((phase, term)) or next((r for (p, _t), r in sorted(stored.items(), reverse=True)
                                                 if p == phase), None)
        views.append(PhaseView(phase, assigned.get(phase), releases.class_figures(row) if row else None,
                               phase in assigned and (phase, term) not in stored))
    return views


def close_and_release(classroom: Classroom, survey, phase: str) -> SurveyRelease:
    """Close the phase's survey window now (its end date becomes now) and release its figures."""
    assignment = db.session.scalar(select(Assignment).where(
        Assignment.classroom_id == classroom.id, Assignment.kind == f"{phase}_survey"))
    if assignment is None:
        raise LookupError(phase)
    now = utcnow()
    made = releases.release_class(classroom, survey, phase, now)
    if assignment.due_at is None or assignment.due_at > now:
        assignment.due_at = now
    db.session.flush()
    return made


@dataclass
class SchoolPage:
    term: str
    release: SurveyRelease | None
    groups: list[school_release.GroupFigures]
    classes: list[tuple[Classroom, list[releases.ClassFigures]]]
    budget_rho: float = dp.SCHOOL_TERM_BUDGET  # zCDP, shared by every school figure of the term
    budget_epsilon: float = 0.0  # its (epsilon, dp.SCHOOL_DELTA) equivalent


def school_page(school: School) -> SchoolPage:
    term = releases.current_term(school).key
    row = releases.find(releases.school_scope(school.id), term)
    classes = list(db.session.scalars(select(Classroom).where(Classroom.school_id == school.id)
                                      .order_by(Classroom.id)))
    class_rows = {}
    for release in db.session.scalars(select(SurveyRelease).where(
            SurveyRelease.school_id == school.id, SurveyRelease.classroom_id.is_not(None),
            SurveyRelease.term == term).order_by(SurveyRelease.phase.desc())):
        class_rows.setdefault(release.classroom_id, []).append(releases.class_figures(release))
    return SchoolPage(term, row, school_release.school_figures(row) if row else [],
                      [(c, class_rows[c.id]) for c in classes if c.id in class_rows],
                      budget_epsilon=dp.school_epsilon())
