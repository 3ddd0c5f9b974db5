"""The teacher's day across their classes: what is due this week, completion per class and module, who is behind,
new anonymous questions (possible disclosures first) and polls running."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from edu.models import Account, Assignment, Classroom
from edu.safeguarding import services as safeguarding
from edu.teach.assigning import behind
from edu.teach.labels import assignment_title
from edu.teach.progress import ModuleSummary, progress_grid
from edu.teach.services import assignments, classes_of

WEEK = timedelta(days=7)


@dataclass
class Due:
    classroom: Classroom
    assignment: Assignment
    title: str


@dataclass
class ClassDay:
    classroom: Classroom
    modules: list[ModuleSummary]
    behind: int  # students who have not started a module or are past their due date
    overdue: int  # of those, past a due date
    new_questions: int
    flagged_questions: int  # new questions the student marked as possibly needing help
    live_poll: object | None
    due: list[Due] = field(default_factory=list)


def class_day(classroom: Classroom, catalog, locale: str, now: datetime) -> ClassDay:
    grid = progress_grid(classroom, catalog, locale)
    rows = behind(grid)
    new = safeguarding.inbox(classroom)["new"]
    day = ClassDay(classroom, grid.modules, len({r.student.id for r in rows}),
                   len({r.student.id for r in rows if r.state == "overdue"}), len(new),
                   sum(q.flagged for q in new), safeguarding.current_poll(classroom))
    day.due = [Due(classroom, a, assignment_title(a, catalog, locale)) for a in assignments(classroom)
               if a.due_at is not None and now <= a.due_at < now + WEEK]
    return day


def teacher_day(teacher: Account, catalog, locale: str, now: datetime) -> tuple[list[ClassDay], list[Due]]:
    """Each active class's day, classes with flagged questions first; and everything due in the next 7 days."""
    days = [class_day(c, catalog, locale, now) for c in classes_of(teacher)]
    days.sort(key=lambda d: (-d.flagged_questions, -d.new_questions, -d.overdue))
    due = sorted((d for day in days for d in day.due), key=lambda d: d.assignment.due_at)
    return days, due
