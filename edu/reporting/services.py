"""The figures a school reports every year on its prevention education: which modules were taught in a term, for
how many hours, to how many students, and how many completed them.

Participation is exact by design (docs/design.md §4, docs/privacy.md): that a student completed a module is an
administrative record the teacher already sees per pseudonym, not a survey answer, so these counts carry no noise
and no suppression. Survey outcomes are never computed here: the school report shows only the school's frozen,
differentially private release of the term (edu/insights/school_release.py).

A module belongs to the term in which its assignment starts (its open day, else its due day, else the day it was
assigned), by the school's calendar and time zone (edu/insights/terms.py). Archived classes still count (a class
archived at the end of the year was taught); deleted ones are gone with their students.
- enrolled: the students the assignment is for (the whole class, or the students it was given to);
- completed: those of them who have finished every lesson of the module for their class's language and region
  (as of the moment the figures are read);
- minutes: the module's lesson time for the class's age band (edu/content/minutes.py);
- method: self-paced on the students' devices, or led by the teacher as a live lesson (at least one lesson of the
  module run live for the class), or both.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from edu.content.minutes import minutes_per_band
from edu.extensions import db
from edu.insights.terms import Term, term_of
from edu.models import (
    AGE_BANDS,
    Assignment,
    AssignmentStudent,
    Classroom,
    LessonProgress,
    LiveLesson,
    School,
    Student,
    utcnow,
)
from edu.teach.services import local_day

METHODS = ("self_paced", "teacher_led", "both")


@dataclass(frozen=True)
class ClassModule:
    """One module taught to one class in the term."""

    classroom_id: int
    class_name: str
    age_band: str
    module_id: str
    opens_on: date | None
    due_on: date | None
    minutes: int
    enrolled: int
    completed: int
    method: str

    @property
    def rate(self) -> float | None:
        return self.completed / self.enrolled if self.enrolled else None


@dataclass
class ModuleTotal:
    """A module across the school's classes in the term."""

    module_id: str
    first_day: date | None = None
    last_day: date | None = None
    minutes: int = 0  # the longest version taught (Korean and international law lessons differ)
    classes: int = 0
    enrolled: int = 0
    completed: int = 0
    methods: set[str] = field(default_factory=set)

    @property
    def rate(self) -> float | None:
        return self.completed / self.enrolled if self.enrolled else None

    @property
    def method(self) -> str:
        return combined_method(self.methods)


@dataclass(frozen=True)
class BandHours:
    band: str
    classes: int
    modules: int
    minutes: int  # the lesson time of the modules taught in the band, each module once
    class_minutes: int  # summed over the classes


@dataclass
class Participation:
    school: School
    term: Term
    rows: list[ClassModule]
    modules: list[ModuleTotal]
    bands: list[BandHours]
    students: int  # distinct students enrolled in at least one module of the term
    as_of: date

    @property
    def enrolled(self) -> int:
        return sum(m.enrolled for m in self.modules)

    @property
    def completed(self) -> int:
        return sum(m.completed for m in self.modules)

    @property
    def rate(self) -> float | None:
        return self.completed / self.enrolled if self.enrolled else None

    @property
    def minutes(self) -> int:
        return sum(m.minutes for m in self.modules)


def combined_method(methods: set[str]) -> str:
    if not methods:
        return "self_paced"
    if len(methods) == 1:
        return next(iter(methods))
    return "both"


def _assignment_day(row: Assignment):
    return row.opens_at or row.due_at or row.created_at


def _module_assignments(school: School) -> list[tuple[Assignment, Classroom]]:
    return list(db.session.execute(
        select(Assignment, Classroom).join(Classroom, Classroom.id == Assignment.classroom_id)
        .where(Classroom.school_id == school.id, Assignment.kind == "module")
        .order_by(Classroom.name, Classroom.id, Assignment.position, Assignment.id)).all())


def terms_of(school: School) -> list[Term]:
    """Terms in which the school taught a module, and the current term, newest first."""
    found = {term_of(_assignment_day(a), school.country, school.timezone) for a, _c in _module_assignments(school)}
    found.add(term_of(utcnow(), school.country, school.timezone))
    return sorted(found, key=lambda t: t.starts, reverse=True)


def term_by_key(school: School, key: str | None) -> Term:
    """The term with this key among the school's terms; the current term for no key or an unknown one."""
    terms = terms_of(school)
    return next((t for t in terms if t.key == key), term_of(utcnow(), school.country, school.timezone))


def _enrolled_ids(assignment: Assignment):
    subset = select(AssignmentStudent.student_id).where(AssignmentStudent.assignment_id == assignment.id)
    has_subset = db.session.scalar(select(func.count()).select_from(subset.subquery()))
    query = select(Student.id).where(Student.classroom_id == assignment.classroom_id)
    return query.where(Student.id.in_(subset)) if has_subset else query


def _counts(assignment: Assignment, lesson_ids: tuple[str, ...]) -> tuple[int, int]:
    """(enrolled, completed): two grouped queries, whatever the class's size."""
    enrolled_ids = _enrolled_ids(assignment)
    enrolled = db.session.scalar(select(func.count()).select_from(enrolled_ids.subquery())) or 0
    if not lesson_ids:
        return enrolled, 0
    finished = (select(LessonProgress.student_id)
                .where(LessonProgress.student_id.in_(enrolled_ids), LessonProgress.lesson_id.in_(lesson_ids),
                       LessonProgress.completed_at.is_not(None))
                .group_by(LessonProgress.student_id).having(func.count() == len(set(lesson_ids))))
    completed = db.session.scalar(select(func.count()).select_from(finished.subquery())) or 0
    return enrolled, completed


def _ran_live(classroom_id: int, lesson_ids: tuple[str, ...]) -> bool:
    return bool(lesson_ids) and db.session.scalar(select(func.count()).select_from(LiveLesson).where(
        LiveLesson.classroom_id == classroom_id, LiveLesson.lesson_id.in_(lesson_ids))) > 0


def participation(school: School, catalog, term: Term) -> Participation:
    rows: list[ClassModule] = []
    enrolled_students: set[int] = set()
    for assignment, classroom in _module_assignments(school):
        if term_of(_assignment_day(assignment), school.country, school.timezone) != term:
            continue
        if catalog.module(assignment.target_id) is None:
            continue
        lessons = tuple(catalog.lessons_for(assignment.target_id, classroom.locale, region=classroom.region))
        lesson_ids = tuple(ls.id for ls in lessons)
        enrolled, completed = _counts(assignment, lesson_ids)
        enrolled_students.update(db.session.scalars(_enrolled_ids(assignment)))
        rows.append(ClassModule(
            classroom_id=classroom.id, class_name=classroom.name, age_band=classroom.age_band,
            module_id=assignment.target_id, opens_on=local_day(assignment.opens_at, school.timezone),
            due_on=local_day(assignment.due_at, school.timezone),
            minutes=minutes_per_band(lessons, (classroom.age_band,))[classroom.age_band],
            enrolled=enrolled, completed=completed,
            method="teacher_led" if _ran_live(classroom.id, lesson_ids) else "self_paced"))
    return Participation(school=school, term=term, rows=rows, modules=module_totals(rows, catalog),
                         bands=band_hours(rows), students=len(enrolled_students),
                         as_of=local_day(utcnow(), school.timezone))


def module_totals(rows: list[ClassModule], catalog) -> list[ModuleTotal]:
    """Per module, in the catalog's order: days from the first opening to the last due day, the counts summed."""
    totals: dict[str, ModuleTotal] = {}
    for row in rows:
        total = totals.setdefault(row.module_id, ModuleTotal(row.module_id))
        days = [d for d in (row.opens_on, row.due_on) if d]
        if days:
            total.first_day = min([total.first_day, *days] if total.first_day else days)
            total.last_day = max([total.last_day, *days] if total.last_day else days)
        total.minutes = max(total.minutes, row.minutes)
        total.classes += 1
        total.enrolled += row.enrolled
        total.completed += row.completed
        total.methods.add(row.method)
    order = {m.id: m.order for m in catalog.modules}
    return sorted(totals.values(), key=lambda t: (order.get(t.module_id, 10**6), t.module_id))


def band_hours(rows: list[ClassModule]) -> list[BandHours]:
    classes: dict[str, set[int]] = defaultdict(set)
    modules: dict[str, dict[str, int]] = defaultdict(dict)
    class_minutes: dict[str, int] = defaultdict(int)
    for row in rows:
        classes[row.age_band].add(row.classroom_id)
        modules[row.age_band][row.module_id] = max(modules[row.age_band].get(row.module_id, 0), row.minutes)
        class_minutes[row.age_band] += row.minutes
    return [BandHours(band, len(classes[band]), len(modules[band]), sum(modules[band].values()), class_minutes[band])
            for band in AGE_BANDS if band in classes]


def hours(minutes: int) -> float:
    """Minutes as hours with one decimal, as a yearly report writes them (95 min: 1.6)."""
    return round(minutes / 60, 1)
