"""How many students stepped out of a lesson's sensitive part, as the teacher may see it: per lesson, on the outcomes
page only, once the module is past its due date, only when at least ``STEPOUT_MIN`` stepped out, and frozen the first
time it is shown (a later step-out changes nothing, so comparing two visits names no one). Never on the progress
grid, a student's page or an export, where a count beside the grid would point at the students who have not
finished the step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from edu.database import writing
from edu.extensions import db
from edu.models import Classroom, StepoutRelease
from edu.safeguarding.services import stepout_counts
from edu.teach.services import assignments

STEPOUT_MIN = 5


@dataclass(frozen=True)
class StepoutLine:
    lesson_id: str
    title: str
    count: int


def _due_lessons(classroom: Classroom, catalog, locale: str, now: datetime) -> list:

    lessons = []
    for assignment in assignments(classroom):
        if assignment.kind == "module" and assignment.due_at is not None and assignment.due_at < now:
            lessons.extend(catalog.lessons_for(assignment.target_id, locale, region=classroom.region,
                                               band=classroom.age_band))
    return lessons


def release_due(classroom: Classroom, catalog, locale: str, now: datetime) -> None:
    """Freeze the count of every lesson past its due date with enough step-outs and no count shown yet. Commits
    (this runs on a page that otherwise only reads), and only when there is something new to freeze."""
    released = set(db.session.scalars(select(StepoutRelease.lesson_id)
                                      .where(StepoutRelease.classroom_id == classroom.id)))
    waiting = [lesson for lesson in _due_lessons(classroom, catalog, locale, now) if lesson.id not in released]
    if not waiting:
        return
    counts = stepout_counts(classroom)
    new = [(lesson.id, counts[lesson.id]) for lesson in waiting if counts.get(lesson.id, 0) >= STEPOUT_MIN]
    if not new:
        return
    with writing():
        for lesson_id, count in new:
            try:
                with db.session.begin_nested():  # shown twice at once: the first count stands
                    db.session.add(StepoutRelease(classroom_id=classroom.id, lesson_id=lesson_id, count=count,
                                                  released_at=now))
                    db.session.flush()
            except IntegrityError:
                pass


def shown_stepouts(classroom: Classroom, catalog, locale: str, now: datetime) -> list[StepoutLine]:
    release_due(classroom, catalog, locale, now)
    lines = []
    for release in db.session.scalars(select(StepoutRelease).where(StepoutRelease.classroom_id == classroom.id)
                                      .order_by(StepoutRelease.released_at, StepoutRelease.lesson_id)):
        lesson = catalog.lesson(release.lesson_id, locale)
        lines.append(StepoutLine(release.lesson_id, lesson.title if lesson else release.lesson_id, release.count))
    return lines
