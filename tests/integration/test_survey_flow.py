"""The pre/post survey as a student meets it: check answers before sending (nothing stored until sent), change
them, a question before sending with most unanswered, skipping it all counts as done, and a class's open
pre-survey comes before the lessons."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import SurveyAnswer, SurveySubmission
from edu.teach import services as teach
from tests import factories


@pytest.fixture
def room(app, ctx):
    classroom = factories.classroom(factories.teacher(), locale="en", country="KR")
    teach.assign(classroom, "pre_survey", "prepost")
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    return {"client": client, "student": student, "survey": catalog().survey("prepost", "en"),
            "lesson": catalog().lessons_for("consent", "en", region="KR")[0]}


def submissions() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(SurveySubmission))


def all_answered(survey) -> dict:
    return {f"i-{item.id}": factories.survey_value(item, 2 if item.type != "knowledge" else 0)
            for item in survey.items_for("pre")}


def test_checking_answers_stores_nothing_and_changing_keeps_them(room):
    client, survey = room["client"], room["survey"]
    answers = all_answered(survey)
    review = client.post("/learn/survey/pre", data={**answers, "action": "review"}).get_data(as_text=True)
    assert "Check your answers" in review and "Send my answers" in review and submissions() == 0
    first = survey.items[0]
    assert f'name="i-{first.id}" value="{answers[f"i-{first.id}"]}"' in review
    change = client.post("/learn/survey/pre", data={**answers, "action": "change"}).get_data(as_text=True)
    assert f'value="{answers[f"i-{first.id}"]}" id="i-{first.id}-{answers[f"i-{first.id}"]}" checked' in change
    assert submissions() == 0
    done = client.post("/learn/survey/pre", data={**answers, "action": "send", "confirmed": "1"})
    assert "Thank you" in done.get_data(as_text=True) and submissions() == 1


def test_sending_with_most_questions_unanswered_asks_once(room):
    client, survey = room["client"], room["survey"]
    one = {f"i-{survey.items[0].id}": all_answered(survey)[f"i-{survey.items[0].id}"]}
    asked = client.post("/learn/survey/pre", data={**one, "action": "send"}).get_data(as_text=True)
    assert f"Send with {len(survey.items_for('pre')) - 1} questions unanswered?" in asked and submissions() == 0
    client.post("/learn/survey/pre", data={**one, "action": "send", "confirmed": "1"})
    assert submissions() == 1


def test_skipping_every_question_counts_as_done_and_stores_no_answer(room):
    client = room["client"]
    page = client.post("/learn/survey/pre", data={"action": "skip"}).get_data(as_text=True)
    assert "You skipped the survey" in page and submissions() == 1
    db.session.commit()
    values = db.session.scalars(select(SurveyAnswer.value)).all()
    assert values and all(value is None for value in values)
    assert "Thank you" in client.get("/learn/survey/pre").get_data(as_text=True)  # done: not asked again


def test_an_open_pre_survey_comes_before_the_lessons(room):
    client, lesson = room["client"], room["lesson"]
    response = client.get(f"/learn/lesson/{lesson.id}")
    assert response.status_code == 302 and response.headers["Location"].endswith("/learn/survey/pre")
    assert "answer or skip the short starting survey first" in client.get("/learn/survey/pre").get_data(as_text=True)
    quiz = catalog().quiz_for("consent", "en", "KR")
    assert client.get(f"/learn/quiz/{quiz.id}").status_code == 302
    client.post("/learn/survey/pre", data={"action": "skip"})
    assert client.get(f"/learn/lesson/{lesson.id}").status_code == 200


def test_without_a_pre_survey_the_lessons_are_open(app, ctx):
    classroom = factories.classroom(factories.teacher("nopre@school.kr"), locale="en", country="KR")
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    assert client.get(f"/learn/lesson/{lesson.id}").status_code == 200


def test_an_answer_not_on_the_form_is_refused_at_every_step(room):
    item = room["survey"].items[0]
    for action in ("review", "change", "send"):
        assert room["client"].post("/learn/survey/pre", data={f"i-{item.id}": "nope", "action": action}).status_code == 400
    assert submissions() == 0
