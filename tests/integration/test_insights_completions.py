"""The per-student module completions (module_completions) that school figures count instead of every completed
lesson: written when the last lesson of a module is finished, by the generator and by the migration's
backfill; the same counts as the lesson progress gives; ignored (figures count the lessons) while a lesson set
is not recorded as complete or a row was computed against another set; deleted with the student. Runs on
SQLite and, with --db=postgresql, on PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select, update

from edu.content_service import catalog
from edu.extensions import db
from edu.insights import completions, service
from edu.insights.queries import Scope, completion_counts
from edu.learn import lessons
from edu.models import Classroom, ModuleCompletion, ModuleCompletionSet, School, Student
from edu.teach import services as teach
from tests import factories
from tests.datagen import generate
from tests.integration.test_insights_scale import reference_completion_cells

MODULES = ("consent", "law")


def rows() -> set[tuple]:
    return {tuple(row) for row in db.session.execute(
        select(ModuleCompletion.student_id, ModuleCompletion.module_id, ModuleCompletion.lessons))}


def finish(student, lesson) -> None:
    for check in lesson.blocks("check"):
        lessons.record_block_choice(student, lesson, check.id, check.options[0].id)
    assert lessons.finish_lesson(student, lesson, catalog()) == []


def lessons_of(classroom, module_id: str) -> list:
    return catalog().lessons_for(module_id, classroom.locale, region=classroom.region, band=classroom.age_band)


def record_current_sets() -> None:
    """What the migration does on an empty database: every current lesson set recorded as complete."""
    completions.register_sets(completions.catalog_sets(catalog()))


def school_with_progress():
    """Three classes (English and Korean in Korea, English abroad: the law module's lessons differ) with the
    consent and law modules assigned; students who finished everything, part, or nothing; one class archived
    later by a test. Every completion through finish_lesson."""
    teacher = factories.teacher("t@school.kr")
    classes = []
    for name, locale, band, country in (("a", "en", "high", "KR"), ("b", "ko", "middle", "KR"),
                                        ("c", "en", "high", "GB")):
        classroom = factories.classroom(teacher, name=name, locale=locale, age_band=band, country=country)
        for module_id in MODULES:
            teach.assign(classroom, "module", module_id)
        db.session.commit()
        students = [factories.student(classroom)[0] for _ in range(7)]
        for index, student in enumerate(students):
            for module_id in MODULES[:1 + index % 2]:
                lessons = lessons_of(classroom, module_id)
                for lesson in lessons[:len(lessons) - (index % 3 == 0)]:  # every third student stops short
                    finish(student, lesson)
        classes.append(classroom)
    db.session.commit()
    return teacher.school, classes


def lesson_sets(scope: Scope) -> dict:
    return {(c.locale, c.region, c.age_band, module_id): tuple(ls.id for ls in lessons_of(c, module_id))
            for c in db.session.scalars(select(Classroom).where(*scope.classroom_filter())) for module_id in MODULES}


def both_paths_agree(scopes) -> None:
    for scope in scopes:
        sets = lesson_sets(scope)
        fast = completion_counts(scope, sets, use_completions=True)
        assert fast == completion_counts(scope, sets, use_completions=False) and any(fast.values())
        assert completion_counts(scope, sets) == fast


def test_finishing_the_last_lesson_of_a_module_writes_one_row(app, ctx):
    teacher = factories.teacher("t@school.kr")
    classroom = factories.classroom(teacher, name="a", locale="en", age_band="high", country="GB")
    teach.assign(classroom, "module", "law")
    student = factories.student(classroom)[0]
    first, last = lessons_of(classroom, "law")
    finish(student, first)
    assert rows() == set()
    finish(student, last)
    expected = {(student.id, "law", completions.lessons_key([first.id, last.id]))}
    assert rows() == expected
    finish(student, last)  # finished twice: nothing more
    finish(student, first)
    db.session.commit()
    assert rows() == expected


def test_two_tabs_finishing_at_once_make_one_row(app, ctx):
    """Both lessons of a module finished at the same moment, twice each: exactly one row, never none."""
    teacher = factories.teacher("t@school.kr")
    classroom = factories.classroom(teacher, name="a", locale="en", age_band="high", country="KR")
    teach.assign(classroom, "module", "consent")
    student, pin = factories.student(classroom)
    module_lessons = lessons_of(classroom, "consent")
    for lesson in module_lessons:
        for check in lesson.blocks("check"):
            lessons.record_block_choice(student, lesson, check.id, check.options[0].id)
    db.session.commit()
    clients = []
    for _ in range(2 * len(module_lessons)):
        client = app.test_client()
        factories.sign_in_student(client, classroom, student, pin)
        clients.append(client)
    start = threading.Barrier(len(clients))
    statuses = []

    def post(client, lesson_id):
        start.wait()
        statuses.append(client.post(f"/learn/lesson/{lesson_id}/finish").status_code)

    threads = [threading.Thread(target=post, args=(client, module_lessons[i % len(module_lessons)].id))
               for i, client in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * len(clients)
    db.session.commit()
    assert rows() == {(student.id, "consent", completions.lessons_key(ls.id for ls in module_lessons))}


def test_table_and_lesson_progress_agree_for_a_class_a_school_and_everyone(app, ctx):
    school, classes = school_with_progress()
    record_current_sets()
    both_paths_agree([*map(Scope.of_class, [c.id for c in classes]), Scope.of_school(school.id), Scope()])
    classes[1].archived_at = classes[1].created_at
    db.session.commit()
    both_paths_agree([Scope.of_school(school.id, active_only=True)])
    for breakdown in service.BREAKDOWNS:
        assert service.completion_cells(school, catalog(), breakdown) == reference_completion_cells(
            school.id, breakdown)


def test_an_unrecorded_lesson_set_or_a_row_of_another_set_sends_figures_back_to_the_lessons(app, ctx):
    school, _classes = school_with_progress()
    scope = Scope.of_school(school.id)
    sets = lesson_sets(scope)
    expected = completion_counts(scope, sets, use_completions=False)
    assert completions.table_counts(scope, sets) is None  # nothing recorded yet (e.g. migrated without content)
    assert completion_counts(scope, sets) == expected
    record_current_sets()
    assert completions.table_counts(scope, sets) == expected
    first = db.session.scalar(select(func.min(ModuleCompletion.id)))
    db.session.execute(update(ModuleCompletion).where(ModuleCompletion.id == first).values(lessons="an-old-set"))
    assert completions.table_counts(scope, sets) is None
    assert completion_counts(scope, sets) == expected
    with pytest.raises(ValueError):
        completion_counts(scope, sets, use_completions=True)


def test_a_changed_lesson_set_falls_back_until_filled(app, ctx):
    """A lesson dropped from a module (made a draft, say): students who had done the rest are now complete
    without having finished anything; the new set is not recorded, so figures count the lessons until
    completions.fill derives its rows."""
    school, classes = school_with_progress()
    record_current_sets()
    scope = Scope.of_school(school.id)
    sets = lesson_sets(scope)
    shorter = {key: lessons[:-1] if key[3] == "consent" else lessons for key, lessons in sets.items()}
    expected = completion_counts(scope, shorter, use_completions=False)
    assert expected != completion_counts(scope, sets, use_completions=False)  # the stopped-short students
    assert completions.table_counts(scope, shorter) is None
    assert completion_counts(scope, shorter) == expected
    for (locale, region, band, module_id), lesson_list in shorter.items():
        for statement in completions.fill_statements(locale, region, module_id, lesson_list, bands=(band,)):
            db.session.execute(statement)
    completions.register_sets(shorter)
    assert completions.table_counts(scope, shorter) == expected


def test_deleting_a_student_deletes_their_rows(app, ctx):
    _school, classes = school_with_progress()
    record_current_sets()
    student = db.session.scalar(select(Student).where(Student.classroom_id == classes[0].id)
                                .order_by(Student.id).offset(1))
    assert db.session.scalar(select(func.count()).where(ModuleCompletion.student_id == student.id)) == 2
    db.session.delete(student)
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(ModuleCompletion.student_id == student.id)) == 0
    both_paths_agree([Scope()])


def test_the_backfill_derives_the_rows_finish_lesson_wrote(app, ctx):
    school_with_progress()
    written = rows()
    assert len(written) == 3 * 6  # per class: two students finished both modules, two consent only
    db.session.execute(delete(ModuleCompletion))
    for statement in completions.backfill_statements(catalog()):
        db.session.execute(statement)
    assert rows() == written
    assert db.session.scalar(select(func.count()).select_from(ModuleCompletionSet)) == len(
        completions.set_keys(completions.catalog_sets(catalog())))
    both_paths_agree([Scope()])
    assert completions.fill(catalog()) == 0  # every set recorded: nothing to do
    db.session.execute(delete(ModuleCompletion))
    assert completions.fill(catalog(), only_missing=False) == len(completions.set_keys(completions.catalog_sets(catalog())))
    assert rows() == written


def test_generated_rows_are_complete_and_give_the_figures_of_the_lessons(app, ctx):
    generate(catalog(), students=400, answers=9000, schools=2, seed=5)
    schools = db.session.scalars(select(School.id).order_by(School.id)).all()
    both_paths_agree([*map(Scope.of_school, schools), Scope()])
    generated = rows()
    db.session.execute(delete(ModuleCompletion))
    completions.fill(catalog(), only_missing=False)
    assert rows() == generated
