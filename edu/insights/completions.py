"""Per-student module completions, kept beside the lesson progress so school figures count one row per student
and finished module instead of joining every completed lesson to its student and class.

A ``module_completions`` row says that a student has completed every lesson of a module for their class's
locale, region and age band (a lesson may be for one band only: ``age_bands``) (the rule of :func:`edu.insights.queries.completion_counts`: the catalog's lessons of the
module for that locale and region, drafts and files with errors left out). It holds nothing lesson_progress
does not hold and goes with the student (ON DELETE CASCADE). Each row names the lesson set it was computed
against (:func:`lessons_key`, a short hash of the lesson ids).

Rows are written when the completion happens (``finish_lesson``, the data generator) and, for data that
existed before, by :func:`fill` (the migration's backfill, in SQL). A lesson set changes when the content does
(a lesson added, removed or made a draft): rows computed against the old set no longer answer the question,
and students who became complete by the change itself (a lesson they had not done removed) have no row at
all. So ``module_completion_sets`` records, per locale, region and module, the lesson sets the table is known
to be complete for: :func:`fill` adds one after deriving every row of that set, the generator when it made
all the data. Figures read the rows of a class and module only while its current lesson set is recorded there
and every row in scope carries that set (:func:`table_counts`); otherwise they count the lessons themselves,
so a figure never depends on which path computed it. After a content change, ``fill`` (e.g. from a deploy
step) brings the fast path back.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import column, delete, func, insert, literal, select, table, tuple_

from edu.content.catalog import country_file
from edu.content.model import AGE_BANDS
from edu.database import dialect_insert
from edu.domain import LOCALES, REGIONS
from edu.extensions import db
from edu.models import (
    Assignment,
    Classroom,
    LessonProgress,
    ModuleCompletion,
    ModuleCompletionSet,
    Student,
    utcnow,
)


def lessons_key(lesson_ids) -> str:
    """A short hash of a lesson set (order does not matter: completion is of every lesson)."""
    return hashlib.sha256("\n".join(sorted(set(lesson_ids))).encode()).hexdigest()[:16]


def catalog_sets(catalog) -> dict[tuple[str, str, str, str], tuple[str, ...]]:
    """{(locale, region, age band, module id): its lessons} for every module, locale, region and band with
    lessons, as ``service.completion_cells`` builds them."""
    sets = {}
    for module in catalog.modules:
        for locale in LOCALES:
            for region in REGIONS:
                for band in AGE_BANDS:
                    lessons = tuple(ls.id for ls in catalog.lessons_for(module.id, locale, region=region, band=band))
                    if lessons:
                        sets[(locale, region, band, module.id)] = lessons
    return sets


def set_keys(lesson_sets) -> dict[tuple[str, str, str, str], tuple[tuple[str, ...], tuple[str, ...]]]:
    """{(locale, region, module id, lessons key): (the bands that have this set, its lessons)} from lesson sets
    keyed (locale, region, band, module id): a set is recorded once for every band that shares it (usually all
    three; a band with a lesson of its own has a set of its own)."""
    keyed: dict[tuple[str, str, str, str], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for (locale, region, band, module_id), lessons in lesson_sets.items():
        key = (locale, region, module_id, lessons_key(lessons))
        bands = keyed[key][0] if key in keyed else ()
        keyed[key] = ((*bands, band), lessons)
    return keyed


def register_sets(lesson_sets) -> None:
    """Record every set of ``lesson_sets`` (keyed as `catalog_sets` keys them) as complete."""
    register(set_keys(lesson_sets))


# ---- writing ------------------------------------------------------------------------------------------------


def record_if_complete(catalog, student: Student, module_id: str) -> bool:
    """Write the student's row for the module if they have now completed every lesson of it for their class's
    locale and region (call after flushing a lesson completion, in the same transaction). Idempotent: a row
    already there is kept, or moved to the current lesson set. Returns whether the module is complete.

    Two lessons of one module finished at once (two tabs) must not both miss the other's completion: on
    PostgreSQL the student's row is locked first, so the second transaction waits for the first and then
    sees its lesson; on SQLite write transactions already run one at a time (BEGIN IMMEDIATE)."""
    classroom = student.classroom
    lessons = tuple(ls.id for ls in catalog.lessons_for(module_id, classroom.locale, region=classroom.region,
                                                        band=classroom.age_band))
    if not lessons:
        return False
    db.session.execute(select(Student.id).where(Student.id == student.id).with_for_update())
    done = db.session.scalar(select(func.count()).select_from(LessonProgress).where(
        LessonProgress.student_id == student.id, LessonProgress.lesson_id.in_(lessons),
        LessonProgress.completed_at.is_not(None)))
    if done != len(lessons):
        return False
    key = lessons_key(lessons)
    statement = dialect_insert(ModuleCompletion).values(
        student_id=student.id, module_id=module_id, lessons=key, completed_at=utcnow())
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["student_id", "module_id"],
        set_={"lessons": statement.excluded.lessons, "completed_at": statement.excluded.completed_at},
        where=ModuleCompletion.lessons != statement.excluded.lessons))
    return True


def register(sets) -> None:
    """Record (locale, region, module id, lessons key) as lesson sets the table is complete for."""
    known = {tuple(row) for row in db.session.execute(select(
        ModuleCompletionSet.locale, ModuleCompletionSet.region, ModuleCompletionSet.module_id,
        ModuleCompletionSet.lessons))}
    new = [{"locale": locale, "region": region, "module_id": module_id, "lessons": key, "filled_at": utcnow()}
           for locale, region, module_id, key in dict.fromkeys(sets) if (locale, region, module_id, key) not in known]
    if new:
        db.session.execute(insert(ModuleCompletionSet), new)


def registered(sets) -> set[tuple[str, str, str, str]]:
    """Which of these (locale, region, module id, lessons key) are recorded as complete."""
    sets = list(dict.fromkeys(sets))
    if not sets:
        return set()
    columns = (ModuleCompletionSet.locale, ModuleCompletionSet.region, ModuleCompletionSet.module_id,
               ModuleCompletionSet.lessons)
    return {tuple(row) for row in db.session.execute(select(*columns).where(tuple_(*columns).in_(sets)))}


def fill_statements(locale: str, region: str, module_id: str, lessons: tuple[str, ...],
                    tables: dict | None = None, bands: tuple[str, ...] = AGE_BANDS) -> list:
    """DELETE and INSERT ... SELECT statements that derive, in SQL, the rows of every student of a class of
    this locale, region and one of these age ``bands`` from their lesson progress, against this lesson set.
    ``tables`` (the migration's) gives bare table definitions instead of the models, so later model changes
    cannot break the migration."""
    t = tables or {name: model.__table__ for name, model in (
        ("lesson_progress", LessonProgress), ("students", Student), ("classrooms", Classroom),
        ("module_completions", ModuleCompletion))}
    progress, students, classrooms, rows = (t["lesson_progress"], t["students"], t["classrooms"],
                                            t["module_completions"])
    region_match = classrooms.c.country == "KR" if region == "KR" else classrooms.c.country != "KR"
    in_classes = (select(students.c.id).join(classrooms, classrooms.c.id == students.c.classroom_id)
                  .where(classrooms.c.locale == locale, region_match, classrooms.c.age_band.in_(bands)))
    finished = (
        select(progress.c.student_id, literal(module_id), literal(lessons_key(lessons)),
               func.max(progress.c.completed_at))
        .where(progress.c.student_id.in_(in_classes), progress.c.lesson_id.in_(lessons),
               progress.c.completed_at.is_not(None))
        .group_by(progress.c.student_id)
        .having(func.count() == len(set(lessons))))
    return [
        delete(rows).where(rows.c.module_id == module_id, rows.c.student_id.in_(in_classes)),
        rows.insert().from_select(["student_id", "module_id", "lessons", "completed_at"], finished),
    ]


def backfill_statements(catalog) -> list:
    """Every statement of a first :func:`fill` (rows of every lesson set, then the sets recorded), written
    against bare table definitions, not the models: for the migration that adds the tables."""
    tables = {"lesson_progress": table("lesson_progress", column("student_id"), column("lesson_id"),
                                       column("completed_at")),
              "students": table("students", column("id"), column("classroom_id")),
              "classrooms": table("classrooms", column("id"), column("locale"), column("country"),
                                  column("age_band")),
              "module_completions": table("module_completions", column("student_id"), column("module_id"),
                                          column("lessons"), column("completed_at"))}
    sets = table("module_completion_sets", column("locale"), column("region"), column("module_id"),
                 column("lessons"), column("filled_at"))
    statements = []
    for (locale, region, module_id, key), (bands, lessons) in set_keys(catalog_sets(catalog)).items():
        statements += fill_statements(locale, region, module_id, lessons, tables, bands)
        statements.append(sets.insert().values(locale=locale, region=region, module_id=module_id,
                                               lessons=key, filled_at=utcnow()))
    return statements


def fill(catalog, only_missing: bool = True) -> int:
    """Derive the rows of every lesson set of the catalog (``only_missing``: those not recorded yet) from the
    lesson progress and record the sets: the backfill, and the step that brings the fast path back after a
    content change. Flushes, never commits. Returns how many sets were filled."""
    keyed = set_keys(catalog_sets(catalog))
    done = registered(keyed) if only_missing else set()
    todo = [key for key in keyed if key not in done]
    for locale, region, module_id, key in todo:
        bands, lessons = keyed[(locale, region, module_id, key)]
        for statement in fill_statements(locale, region, module_id, lessons, bands=bands):
            db.session.execute(statement)
    register(todo)
    return len(todo)


# ---- reading ------------------------------------------------------------------------------------------------


def table_counts(scope, lesson_sets: dict[tuple[str, str, str, str], tuple[str, ...]]
                 ) -> dict[tuple[int, str], int] | None:
    """{(classroom id, module id): students who finished it} for modules assigned to classes in scope, read
    from module_completions; None when the rows cannot stand in for the lesson progress: a class's current
    lesson set is not recorded as complete, or a row in scope was computed against another set. One grouped
    query over the rows and their students (its groups carry the lesson sets, so checking them costs nothing
    more), one over the assignments in scope and one tiny lookup."""
    lesson_sets = {key: lessons for key, lessons in lesson_sets.items() if lessons}
    current = {key: lessons_key(lessons) for key, lessons in lesson_sets.items()}
    if not current:
        return {}
    wanted = {(locale, region, module_id, key) for (locale, region, _band, module_id), key in current.items()}
    if registered(wanted) != wanted:
        return None
    assigned = {(classroom_id, module_id): (locale, country_file(country), band)
                for classroom_id, locale, country, band, module_id in db.session.execute(
                    select(Classroom.id, Classroom.locale, Classroom.country, Classroom.age_band, Assignment.target_id)
                    .join(Assignment, Assignment.classroom_id == Classroom.id)
                    .where(*scope.classroom_filter(), Assignment.kind == "module"))}
    query = (select(Student.classroom_id, ModuleCompletion.module_id, ModuleCompletion.lessons, func.count())
             .join(Student, Student.id == ModuleCompletion.student_id)
             .group_by(Student.classroom_id, ModuleCompletion.module_id, ModuleCompletion.lessons))
    if scope.classroom_filter():
        query = query.where(scope.contains(Student.classroom_id))
    counts: dict[tuple[int, str], int] = {}
    for classroom_id, module_id, key, count in db.session.execute(query):
        locale_region_band = assigned.get((classroom_id, module_id))
        expected = current.get((*locale_region_band, module_id)) if locale_region_band else None
        if expected is None:  # not assigned, or no lessons for this class: not a figure
            continue
        if key != expected:
            return None
        counts[(classroom_id, module_id)] = count
    return counts
