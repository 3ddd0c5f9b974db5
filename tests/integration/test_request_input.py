"""NUL characters in what a request carries: dropped from fields and query arguments, 404 in a path. On both
databases (PostgreSQL cannot store U+0000 in text at all: before this, a question holding one was a 500)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from edu.extensions import db
from edu.models import AnonymousQuestion, Reflection
from edu.request_input import WithoutNul
from edu.teach import services as teach
from tests import factories


@pytest.fixture
def signed_in(app, ctx):
    classroom = factories.classroom(factories.teacher(), locale="en", country="KR")
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    return {"client": client, "classroom": classroom, "student": student, "pin": pin}


def test_fields_and_their_names_lose_nul_and_keep_everything_else():
    fields = WithoutNul([("te\x00xt", "Is \x00viewing a crime?\x00"), ("n", "1"), ("n", "2\x00")])
    assert fields["text"] == "Is viewing a crime?"
    assert fields.getlist("n") == ["1", "2"]
    assert len(WithoutNul()) == 0


def test_a_question_holding_nul_is_stored_without_it(signed_in):
    response = signed_in["client"].post("/learn/ask", data={"text": "Is viewing\x00 also a crime?"})
    assert response.status_code == 200
    db.session.commit()
    assert db.session.scalars(select(AnonymousQuestion.text)).all() == ["Is viewing also a crime?"]


def test_a_reflection_holding_nul_is_stored_without_it(signed_in):
    from edu.content_service import catalog

    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    reflection = next(seg for step in lesson.steps for seg in step.segments if seg.kind == "reflection")
    response = signed_in["client"].post(f"/learn/lesson/{lesson.id}/block/{reflection.id}",
                                        data={"text": "\x00Ask first\x00"})
    assert response.status_code == 302
    db.session.commit()
    assert db.session.scalars(select(Reflection.text)).all() == ["Ask first"]


def test_sign_in_with_nul_in_every_field_is_refused_not_an_error(app, signed_in):
    client = app.test_client()
    response = client.post("/student/signin", data={"code": "\x00", "pseudonym": "\x00", "pin": "\x00"})
    assert response.status_code in (401, 422)
    classroom, student = signed_in["classroom"], signed_in["student"]
    response = client.post("/student/signin", data={"code": classroom.join_code + "\x00",
                                                    "pseudonym": student.pseudonym + "\x00",
                                                    "pin": signed_in["pin"] + "\x00"})
    assert response.status_code == 302  # what is left is exactly what the login card says


@pytest.mark.parametrize("path", ["/learn/lesson/%00", "/learn/quiz/consent%00", "/learn/survey/pre%00",
                                  "/learn/lesson/consent-basics?step=%00"])
def test_nul_in_a_path_is_not_found_and_in_a_query_is_ignored(signed_in, path):
    response = signed_in["client"].get(path)
    assert response.status_code == (200 if "?" in path else 404)


def test_nul_in_an_id_the_database_would_look_up_is_not_found(app, signed_in):
    teacher = app.test_client()
    factories.sign_in_staff(teacher, "teacher@school.test")
    url = f"/teach/classes/{signed_in['classroom'].id}/questions/abc%00/dismiss"
    assert teacher.post(url).status_code == 404
