"""Editing an assignment: dates, the students it is for, one student's extension, the order; who is behind, with
reminder slips; and nobody but the class's teacher can do any of it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import Account, Assignment, AssignmentExtension, AssignmentStudent, utcnow
from edu.teach import services as teach
from edu.teach.progress import progress_grid
from tests import factories


@pytest.fixture
def room(app, ctx):
    teacher = factories.teacher("edit@school.kr")
    classroom = factories.classroom(teacher, locale="en", country="KR", age_band="high")
    assignment = teach.assign(classroom, "module", "consent")
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "edit@school.kr")
    first, first_client = factories.signed_in_student(app, classroom)
    second, second_client = factories.signed_in_student(app, classroom)
    return {"client": client, "classroom": classroom, "assignment": assignment, "first": (first, first_client),
            "second": (second, second_client), "base": f"/teach/classes/{classroom.id}/assignments/{assignment.id}"}


def test_the_teacher_edits_the_dates_in_the_schools_time_zone(room):
    client = room["client"]
    response = client.post(room["base"], data={"opens_on": "2026-12-01", "due_on": "2026-12-12"})
    assert response.status_code == 302
    db.session.commit()
    row = db.session.get(Assignment, room["assignment"].id)
    assert row.opens_at.isoformat() == "2026-11-30T15:00:00"  # midnight in Seoul
    assert row.due_at.isoformat() == "2026-12-12T14:59:00"  # 23:59 in Seoul
    page = client.get(room["base"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'value="2026-12-12"' in page  # the form shows the school's day
    bad = client.post(room["base"], data={"opens_on": "2026-12-12", "due_on": "2026-12-01"})
    assert bad.status_code == 422


def test_an_assignment_for_some_students_only(room):
    client, (first, first_client), (second, second_client) = room["client"], room["first"], room["second"]
    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    assert client.post(room["base"] + "/students", data={"student": [str(first.id)]}).status_code == 302
    assert lesson.steps[0].title in first_client.get(f"/learn/lesson/{lesson.id}").get_data(as_text=True)
    assert second_client.get(f"/learn/lesson/{lesson.id}").status_code == 404
    assert lesson.title not in second_client.get("/learn/", headers={"Accept-Language": "en"}).get_data(True)
    grid = progress_grid(room["classroom"], catalog(), "en")
    states = {s.id: {c.state for c in cells} for s, cells in grid.rows}
    assert states[second.id] == {"not_assigned"} and "not_assigned" not in states[first.id]
    assert grid.modules[0].student_count == 1
    client.post(room["base"] + "/students", data={"everyone": "1"})
    db.session.commit()
    assert db.session.scalar(select(AssignmentStudent)) is None
    assert second_client.get(f"/learn/lesson/{lesson.id}").status_code == 200


def test_an_extension_for_one_student(room):
    client, (first, first_client), (second, _c) = room["client"], room["first"], room["second"]
    yesterday = (utcnow() - timedelta(days=2)).date()
    client.post(room["base"], data={"due_on": yesterday.isoformat()})
    later = (utcnow() + timedelta(days=7)).date()
    assert client.post(room["base"] + "/extensions",
                       data={"extend-student": first.id, "extend-due_on": later.isoformat()}).status_code == 302
    home = first_client.get("/learn/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Past the due date" not in home
    grid = progress_grid(room["classroom"], catalog(), "en")
    states = {s.id: {c.state for c in cells} for s, cells in grid.rows}
    assert "overdue" in states[second.id] and "overdue" not in states[first.id]
    behind = client.get(f"/teach/classes/{room['classroom'].id}/assignments/behind",
                        headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert second.pseudonym in behind
    client.post(room["base"] + "/extensions", data={"remove": str(first.id)})
    db.session.commit()
    assert db.session.scalar(select(AssignmentExtension)) is None


def test_reminder_slips_name_the_nickname_module_and_date_and_never_a_pin(room):
    client, (first, _c) = room["client"], room["first"]
    html = client.get(f"/teach/classes/{room['classroom'].id}/assignments/reminders",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    title = catalog().module("consent").title["en"]
    assert first.pseudonym in html and title in html
    assert html.count('class="login-card"') == 2  # both students have not started
    assert not re.search(r'class="pin"', html)


def test_the_order_changes_with_move_up_and_down(room):
    client, classroom = room["client"], room["classroom"]
    other = teach.assign(classroom, "module", "deepfakes")
    db.session.commit()
    client.post(f"/teach/classes/{classroom.id}/assignments/{other.id}/move", data={"direction": "up"})
    db.session.commit()
    assert [a.target_id for a in teach.assignments(classroom)] == ["deepfakes", "consent"]


def test_nobody_else_can_change_an_assignment(app, room):
    factories.teacher("other@school.kr", school_name="Elsewhere")
    other = app.test_client()
    factories.sign_in_staff(other, "other@school.kr")
    stranger_class = factories.classroom(db.session.scalar(
        select(Account).filter_by(email="other@school.kr")), name="theirs")
    stranger, _pin = factories.student(stranger_class)
    for path, data in ((room["base"], {"due_on": "2027-01-01"}),
                       (room["base"] + "/students", {"student": [str(room["first"][0].id)]}),
                       (room["base"] + "/extensions", {"extend-student": room["first"][0].id,
                                                        "extend-due_on": "2027-01-01"})):
        assert other.post(path, data=data).status_code == 404, path
        assert room["first"][1].post(path, data=data).status_code == 403, path
    # The owner cannot attach a student of another class either.
    assert room["client"].post(room["base"] + "/students", data={"student": [str(stranger.id)]}).status_code == 404
    assert room["client"].post(room["base"] + "/extensions", data={"extend-student": stranger.id,
                                                                  "extend-due_on": "2027-01-01"}).status_code == 422
    db.session.commit()
    assert db.session.scalar(select(AssignmentStudent)) is None and db.session.scalar(select(AssignmentExtension)) is None
    assert db.session.get(Assignment, room["assignment"].id).due_at is None  # the dates above were never saved
