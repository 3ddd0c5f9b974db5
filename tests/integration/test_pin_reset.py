"""A PIN reset is not a way in: whoever signs in with the new PIN (the teacher included) finds no reflection, no
step-out and no survey answer from before it, and the student is told for 14 days."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from edu.content_service import catalog
from edu.extensions import db
from edu.models import Reflection, Student, SurveyAnswer, utcnow
from edu.safeguarding import services as safeguarding
from edu.teach import services as teach
from tests import factories

NOTICE = "notes you wrote before then were removed to keep them private"
SECRET_NOTE = "canary-reflection-9d1 something private"


@pytest.fixture
def before_reset(app, ctx):
    teacher = factories.teacher("reset@school.kr")
    classroom = factories.classroom(teacher, locale="en", country="KR")
    teach.assign(classroom, "module", "consent")
    teach.assign(classroom, "pre_survey", "prepost")
    db.session.commit()
    teacher_client = app.test_client()
    factories.sign_in_staff(teacher_client, "reset@school.kr")
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    stepout = lesson.blocks("stepout")[0]
    survey = catalog().survey("prepost", "en")
    client.post("/learn/survey/pre", data={**{f"i-{item.id}": "4" for item in survey.items if item.type == "likert"},
                                           "confirmed": "1"})
    client.post(f"/learn/lesson/{lesson.id}/block/{lesson.reflection_ids[0]}", data={"text": SECRET_NOTE})
    client.post(f"/learn/lesson/{lesson.id}/block/{stepout.id}", data={"choice": "out"})
    mine = client.get("/learn/my-data.json").get_data(as_text=True)
    assert SECRET_NOTE in mine and '"stepout"' in mine and '"value": "4"' in mine  # all there before the reset
    return {"classroom": classroom, "student": student, "teacher_client": teacher_client, "lesson": lesson,
            "stepout": stepout}


def _reset(room) -> str:
    url = f"/teach/classes/{room['classroom'].id}/students/{room['student'].id}/reset-pin"
    html = room["teacher_client"].post(url, follow_redirects=True).get_data(as_text=True)
    return re.findall(r'<dd class="pin">(\d{6})</dd>', html)[0]


def _signed_in_with(app, room, pin):
    client = app.test_client()
    assert factories.sign_in_student(client, room["classroom"], room["student"], pin).status_code == 302
    return client


def test_the_teacher_is_told_before_confirming(before_reset):
    room = before_reset
    url = f"/teach/classes/{room['classroom'].id}/students/{room['student'].id}/reset-pin"
    page = room["teacher_client"].get(url, headers={"Accept-Language": "en"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Your teacher reset your PIN on" in html and NOTICE in html and "deletes the student" in html
    assert db.session.scalar(select(Student.pin_reset_at)) is None  # nothing happened yet
    classroom_page = room["teacher_client"].get(f"/teach/classes/{room['classroom'].id}/students",
                                                headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'href="{url}"' in classroom_page and NOTICE in classroom_page  # also before new cards for everyone


def test_the_new_pin_opens_nothing_private_from_before(app, before_reset):
    room = before_reset
    client = _signed_in_with(app, room, _reset(room))
    mine = client.get("/learn/my-data.json").get_data(as_text=True)
    assert SECRET_NOTE not in mine and '"stepout"' not in mine
    assert '"survey_answers_linked_to_you": []' in mine
    assert SECRET_NOTE not in client.get("/learn/my-data").get_data(as_text=True)
    lesson, stepout = room["lesson"], room["stepout"]
    step = next(i for i, s in enumerate(lesson.steps, 1) if any(getattr(g, "id", None) == stepout.id
                                                                for g in s.segments))
    page = client.get(f"/learn/lesson/{lesson.id}?step={step}").get_data(as_text=True)
    assert SECRET_NOTE not in page
    assert db.session.scalar(select(func.count()).select_from(Reflection)) == 0  # gone for everyone
    # still in the aggregates
    assert safeguarding.stepout_counts(room["classroom"]) == {lesson.id: 1}
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) > 0


def test_the_student_is_told_on_every_sign_in_for_14_days(app, before_reset):
    room = before_reset
    pin = _reset(room)
    for _ in range(2):
        home = _signed_in_with(app, room, pin).get("/learn/", headers={"Accept-Language": "en"})
        html = home.get_data(as_text=True)
        assert "Your teacher reset your PIN on" in html and NOTICE in html
        assert "dismiss" not in html.lower()
    db.session.execute(update(Student).values(pin_reset_at=utcnow() - timedelta(days=14, minutes=1)))
    db.session.commit()
    later = _signed_in_with(app, room, pin).get("/learn/", headers={"Accept-Language": "en"}).get_data(True)
    assert NOTICE not in later


def test_what_the_student_does_after_the_reset_shows_again(app, before_reset):
    room = before_reset
    client = _signed_in_with(app, room, _reset(room))
    lesson, stepout = room["lesson"], room["stepout"]
    client.post(f"/learn/lesson/{lesson.id}/block/{stepout.id}", data={"choice": "out"})
    client.post(f"/learn/lesson/{lesson.id}/block/{lesson.reflection_ids[0]}", data={"text": "a new note"})
    mine = client.get("/learn/my-data.json").get_data(as_text=True)
    assert '"stepout"' in mine and "a new note" in mine
