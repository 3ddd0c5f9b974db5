"""Step-out counts: on the outcomes page only, per lesson, after the due date, from 5 students, frozen once shown;
never on the progress grid, a student's page or an export."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import Assignment, utcnow
from tests import factories


@pytest.fixture
def room(app, ctx):
    room = factories.class_room(app, "steps@school.kr", students=7)
    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    return {**room, "lesson": lesson, "stepout": lesson.blocks("stepout")[0]}


def _step_out(room, clients):
    lesson, stepout = room["lesson"], room["stepout"]
    for _student, client in clients:
        client.post(f"/learn/lesson/{lesson.id}/block/{stepout.id}", data={"choice": "out"})


def _due(room, when):
    assignment = db.session.scalar(select(Assignment).where(Assignment.classroom_id == room["classroom"].id))
    assignment.due_at = when
    db.session.commit()


def _outcomes(room) -> str:
    html = room["teacher_client"].get(f"/teach/classes/{room['classroom'].id}/outcomes",
                                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    return html.split('id="stepouts-heading"')[1].split("</section>")[0]


def test_shown_only_after_the_due_date_from_five_and_then_frozen(room):
    lesson = room["lesson"]
    _step_out(room, room["students"][:5])
    _due(room, utcnow() + timedelta(days=1))
    assert f"{lesson.title}:" not in _outcomes(room)  # not due yet
    _due(room, utcnow() - timedelta(minutes=1))
    section = _outcomes(room)
    assert f"{lesson.title}: 5" in section
    assert all(s.pseudonym not in section for s, _ in room["students"])
    _step_out(room, room["students"][5:])
    assert f"{lesson.title}: 5" in _outcomes(room)  # frozen: one more step-out changes nothing


def test_fewer_than_five_are_never_shown(room):
    _step_out(room, room["students"][:4])
    _due(room, utcnow() - timedelta(minutes=1))
    section = _outcomes(room)
    assert f"{room['lesson'].title}:" not in section and "Nothing to show yet" in section


def test_never_on_the_progress_grid_a_students_page_or_an_export(room):
    _step_out(room, room["students"][:6])
    _due(room, utcnow() - timedelta(minutes=1))
    _outcomes(room)
    base = f"/teach/classes/{room['classroom'].id}"
    student = room["students"][0][0]
    for path in ("/progress", f"/students/{student.id}", "/export.csv", "/export.json"):
        body = room["teacher_client"].get(base + path, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert "tepped out" not in body and "stepout" not in body, path
