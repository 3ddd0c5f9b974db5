"""When students see the quiz's answers and explanations: right after submitting, or after the due date (the score
at once), as the teacher chose in the class settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from edu.content_service import catalog
from edu.extensions import db
from edu.models import Assignment, utcnow
from edu.teach import services as teach
from tests import factories


@pytest.fixture
def room(app, ctx):
    teacher = factories.teacher("review@school.kr")
    classroom = factories.classroom(teacher, locale="en", country="KR")
    teach.assign(classroom, "module", "consent", due_on=(utcnow() + timedelta(days=3)).date())
    db.session.commit()
    teacher_client = app.test_client()
    factories.sign_in_staff(teacher_client, "review@school.kr")
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    return {"classroom": classroom, "teacher": teacher_client, "student": client,
            "quiz": catalog().quiz_for("consent", "en", "KR")}


def choose_review(room, when: str):
    classroom = room["classroom"]
    response = room["teacher"].post(f"/teach/classes/{classroom.id}/settings", data={
        "name": classroom.name, "locale": classroom.locale, "age_band": classroom.age_band,
        "country": classroom.country, "quiz_policy": "best", "quiz_review": when})
    assert response.status_code == 302


def submitted_result(room) -> str:
    quiz = room["quiz"]
    answers = {f"q-{q.id}": [q.options[0].id] for q in quiz.questions}
    response = room["student"].post(f"/learn/quiz/{quiz.id}", data={**answers, "attempt": "1", "action": "submit"})
    assert response.status_code == 302
    return room["student"].get(response.headers["Location"]).get_data(as_text=True)


def test_by_default_the_answers_and_explanations_show_at_once(room):
    page = submitted_result(room)
    assert "You got" in page and "correct answer" in page and "Why:" in page


def test_after_the_due_date_the_score_shows_at_once_and_the_explanations_later(room):
    choose_review(room, "after_due")
    settings = room["teacher"].get(f"/teach/classes/{room['classroom'].id}/settings").get_data(as_text=True)
    assert 'selected value="after_due"' in settings
    page = submitted_result(room)
    assert "You got" in page
    assert "correct answer" not in page and "Why:" not in page
    assert "after the due date" in page
    db.session.execute(update(Assignment).values(due_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    page = room["student"].get(f"/learn/quiz/{room['quiz'].id}/result/1").get_data(as_text=True)
    assert "correct answer" in page and "Why:" in page


def test_a_module_with_no_due_date_shows_the_answers_at_once(room):
    choose_review(room, "after_due")
    db.session.execute(update(Assignment).values(due_at=None))
    db.session.commit()
    assert "Why:" in submitted_result(room)


def test_an_unknown_review_choice_is_refused(room):
    classroom = room["classroom"]
    response = room["teacher"].post(f"/teach/classes/{classroom.id}/settings", data={
        "name": classroom.name, "locale": classroom.locale, "age_band": classroom.age_band,
        "country": classroom.country, "quiz_policy": "best", "quiz_review": "never"})
    assert response.status_code == 422
