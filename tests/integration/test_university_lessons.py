"""University-only lessons (issue 40: adult law, the human rights centre, dating violence between adults): every
step renders for a university class in both languages; a middle or high school class never sees them, not on the
home page, not by URL, not in the teacher's progress grid; and a module is complete for a class when the
lessons of its own band are done."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.learn import lessons as learn_lessons
from edu.models import ModuleCompletion
from edu.teach import services as teach
from tests import factories

# lesson id -> (module, the regions whose classes get it)
UNIVERSITY_ONLY = {"law-kr-adult": ("law", ("KR",)), "dating-adults": ("dating", ("KR", "GB"))}


@pytest.fixture
def student_client(module_student):
    return module_student


@pytest.mark.parametrize("locale", ["ko", "en"])
@pytest.mark.parametrize("lesson_id", sorted(UNIVERSITY_ONLY))
def test_every_step_renders_for_a_university_class(student_client, locale, lesson_id):
    module, countries = UNIVERSITY_ONLY[lesson_id]
    for country in countries:
        client = student_client(module, locale, "university", country)
        lesson = catalog().lesson(lesson_id, locale)
        assert f"/learn/lesson/{lesson_id}" in client.get("/learn/").get_data(as_text=True)
        for number, step in enumerate(lesson.steps, 1):
            response = client.get(f"/learn/lesson/{lesson_id}?step={number}")
            assert response.status_code == 200, (lesson_id, step.id)
            page = response.get_data(as_text=True)
            assert str(escape(step.title)) in page, (lesson_id, step.id)
            assert "[[fact:" not in page and "\n:::" not in page, (lesson_id, step.id)
            for seg in step.segments:
                if seg.kind in ("sort", "flip", "scenario", "check", "stepout", "reflection"):
                    assert seg.id in page, (lesson_id, step.id, seg.id)


@pytest.mark.parametrize("band", ["middle", "high"])
@pytest.mark.parametrize("lesson_id", sorted(UNIVERSITY_ONLY))
def test_a_school_class_never_sees_a_university_lesson(student_client, band, lesson_id):
    module, _countries = UNIVERSITY_ONLY[lesson_id]
    client = student_client(module, "ko", band, "KR")
    home = client.get("/learn/").get_data(as_text=True)
    assert f"/learn/lesson/{lesson_id}" not in home
    assert client.get(f"/learn/lesson/{lesson_id}?step=1").status_code == 404
    shown = catalog().lessons_for(module, "ko", region="KR", band=band)
    assert shown and all(f"/learn/lesson/{lesson.id}" in home for lesson in shown)


def test_the_progress_grid_shows_the_band_s_lessons_only(app, ctx):
    owner = factories.teacher("grid@school.kr")
    classes = {band: factories.classroom(owner, name=band, locale="ko", age_band=band, country="KR")
               for band in ("high", "university")}
    for classroom in classes.values():
        teach.assign(classroom, "module", "law")
        factories.student(classroom)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "grid@school.kr")
    title = str(escape(catalog().lesson("law-kr-adult", "ko").title))
    pages = {band: client.get(f"/teach/classes/{c.id}/progress").get_data(as_text=True)
             for band, c in classes.items()}
    assert title not in pages["high"] and title in pages["university"]
    assert str(escape(catalog().lesson("law-kr-acts", "ko").title)) in pages["high"]


def _finish(student, lesson) -> None:
    for check in lesson.blocks("check"):
        learn_lessons.record_block_choice(student, lesson, check.id, check.options[0].id)
    assert learn_lessons.finish_lesson(student, lesson, catalog()) == []


def test_a_module_is_complete_when_the_band_s_own_lessons_are_done(app, ctx):
    """A high school student completes the law module without the university lesson; a university student
    completes it only after that lesson too."""
    owner = factories.teacher("done@school.kr")
    students = {}
    for band in ("high", "university"):
        classroom = factories.classroom(owner, name=band, locale="ko", age_band=band, country="KR")
        teach.assign(classroom, "module", "law")
        db.session.commit()
        students[band] = factories.student(classroom)[0]
    shared = catalog().lessons_for("law", "ko", region="KR", band="high")
    for student in students.values():
        for lesson in shared:
            _finish(student, lesson)
    db.session.commit()
    done = set(db.session.scalars(select(ModuleCompletion.student_id)))
    assert students["high"].id in done and students["university"].id not in done
    _finish(students["university"], catalog().lesson("law-kr-adult", "ko"))
    db.session.commit()
    assert students["university"].id in set(db.session.scalars(select(ModuleCompletion.student_id)))

