"""One vote per student and poll on the server, the question limit keyed by a keyed hash of the student, and no
user id in the log lines of anonymous requests."""

from __future__ import annotations

import hashlib
import hmac
import logging

import pytest
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import AnonymousQuestion, PendingAnonymous, PollVote, PollVoter
from edu.teach import services as teach
from tests import factories


@pytest.fixture
def room(app, ctx):
    teacher = factories.teacher("anon@school.kr")
    classroom = factories.classroom(teacher, locale="en", country="KR")
    teach.assign(classroom, "module", "consent")
    teach.assign(classroom, "pre_survey", "prepost")
    db.session.commit()
    teacher_client = app.test_client()
    factories.sign_in_staff(teacher_client, "anon@school.kr")
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    return {"classroom": classroom, "teacher_client": teacher_client, "student": student, "pin": pin,
            "client": client}


def _open_poll(room):
    lesson, block = next((ls, b) for ls in catalog().lessons_for("consent", "en", region="KR")
                         for b in ls.blocks("poll"))
    room["teacher_client"].post(f"/teach/classes/{room['classroom'].id}/polls",
                                data={"lesson": lesson.id, "block": block.id})
    return block


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_replaying_an_old_cookie_does_not_vote_twice(app, room):
    block = _open_poll(room)
    client = room["client"]
    client.get("/learn/poll")
    before_voting = client.get_cookie("session").value
    assert client.post("/learn/poll", data={"option": block.options[0].id}).status_code == 302
    for _ in range(3):  # the cookie from before the vote, sent again (and from another tab)
        replay = app.test_client()
        replay.set_cookie("session", before_voting, domain="localhost")
        replay.post("/learn/poll", data={"option": block.options[1].id})
    # the vote waits in the mixing buffer until ten have voted or the poll closes (edu/mixing.py)
    assert _count(PollVote) + _count(PendingAnonymous) == 1 and _count(PollVoter) == 1
    assert set(PollVoter.__table__.columns.keys()) == {"poll_id", "student_id"}  # no option, no time
    assert set(PollVote.__table__.columns.keys()) == {"id", "poll_id", "option_id"}  # no student
    page = client.get("/learn/poll", headers={"Accept-Language": "en"})
    assert page.status_code == 200


def test_the_question_limit_counts_per_student_across_sessions(app, room):
    client = room["client"]
    assert client.post("/learn/ask", data={"text": "   "}).status_code == 422  # a refused form counts nothing
    for number in range(10):
        assert client.post("/learn/ask", data={"text": f"question {number}"}).status_code == 200
    again = app.test_client()  # a new sign-in (a new session) does not start the count again
    factories.sign_in_student(again, room["classroom"], room["student"], room["pin"])
    assert again.post("/learn/ask", data={"text": "one more"}).status_code == 429
    assert _count(AnonymousQuestion) == 10


def test_the_question_limit_key_is_a_keyed_hash_of_the_student(app, room):
    from edu.safeguarding.views import anonymous_limit_key

    student = room["student"]
    with app.test_request_context():
        from flask_login import login_user

        login_user(student)
        key = anonymous_limit_key("question")
    expected = hmac.new(app.secret_key.encode(), f"question:{student.id}".encode(), hashlib.sha256).hexdigest()
    assert key == f"anon-question:{expected}"


def _users_logged(caplog, endpoint: str) -> list[str]:
    return [record.fields["user"] for record in caplog.records
            if getattr(record, "fields", {}).get("endpoint") == endpoint]


def test_anonymous_requests_log_no_user_id(room, caplog):
    caplog.set_level(logging.INFO, logger="edu.requests")
    client = room["client"]
    block = _open_poll(room)
    client.get("/learn/")
    client.get("/learn/ask")
    client.post("/learn/ask", data={"text": "a question"})
    client.post("/learn/ask", data={"text": ""})  # refused: still no user id
    client.get("/learn/poll")
    client.post("/learn/poll", data={"option": block.options[0].id})
    survey = catalog().survey("prepost", "en")
    assert any(item.identity == "none" for item in survey.items)
    client.post("/learn/survey/pre", data={f"i-{item.id}": "skip" for item in survey.items})
    assert _users_logged(caplog, "learn.home") == [f"s:{room['student'].id}"]  # other pages still say who
    for endpoint, requests in (("safe.ask", 3), ("safe.poll", 2), ("learn.survey", 1)):
        assert _users_logged(caplog, endpoint) == ["-"] * requests, endpoint
