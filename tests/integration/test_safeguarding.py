"""Anonymous questions, "talk to someone", live polls, step-out counts and incident mode."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import AnonymousQuestion, HelpRequest, PollVote
from edu.teach import services as teach
from tests import factories


@pytest.fixture
def room(app, ctx):
    return factories.class_room(app, "owner@school.kr", students=6)


def test_anonymous_question_stores_no_identity_and_logs_no_text(room, caplog):
    caplog.set_level(logging.DEBUG)
    _student, client = room["students"][0]
    page = client.get("/learn/ask", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "anonymous" in page and "safeguarding steps" in page  # told before sending
    canary = "canary-question-7f3a what does consent mean"
    response = client.post("/learn/ask", data={"text": canary}, environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert response.status_code == 200
    row = db.session.scalar(select(AnonymousQuestion))
    assert row.text == canary and row.flagged is False
    assert set(AnonymousQuestion.__table__.columns.keys()) == {
        "id", "classroom_id", "text", "flagged", "status", "answer", "created_on", "answered_at", "public_text",
        "receipt_hash"}
    assert "10.9.8.7" not in str([getattr(row, column.key) for column in AnonymousQuestion.__table__.columns])
    assert canary not in caplog.text


def test_disclosure_cue_shows_help_at_once_and_marks_it_for_the_teacher(room):
    _student, client = room["students"][0]
    html = client.post("/learn/ask", data={"text": "Someone made a fake of me and put it in a chat"},
                       headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "It sounds like something hard may be happening" in html and "tel:" in html
    assert db.session.scalar(select(AnonymousQuestion)).flagged is True
    inbox = room["teacher_client"].get(f"/teach/classes/{room['classroom'].id}/questions",
                                       headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This question may be a disclosure." in inbox and "#disclosure" in inbox


def test_korean_disclosure_cue(room):
    _student, client = room["students"][0]
    client.post("/learn/ask", data={"text": "누가 제 사진을 합성해서 단톡방에 올렸어요"})
    assert db.session.scalar(select(AnonymousQuestion)).flagged is True


def test_teacher_answers_to_the_whole_class_or_dismisses(room):
    _student, client = room["students"][0]
    client.post("/learn/ask", data={"text": "Is viewing also a crime?"})
    client.post("/learn/ask", data={"text": "off topic"})
    rows = {q.text: q for q in db.session.scalars(select(AnonymousQuestion))}
    base = f"/teach/classes/{room['classroom'].id}/questions"
    room["teacher_client"].post(f"{base}/{rows['Is viewing also a crime?'].id}/answer",
                                data={"text": "Yes: since 2024 in Korea.", "verbatim": "y"})
    room["teacher_client"].post(f"{base}/{rows['off topic'].id}/dismiss")
    other_student = room["students"][1][1]
    page = other_student.get("/learn/ask").get_data(as_text=True)
    assert "Is viewing also a crime?" in page and "Yes: since 2024 in Korea." in page
    assert "off topic" not in page
    assert "1 answer from your teacher" in other_student.get("/learn/", headers={"Accept-Language": "en"}).get_data(True)


def test_question_validation_and_other_teachers(app, room):
    _student, client = room["students"][0]
    assert client.post("/learn/ask", data={"text": "x" * 1001}).status_code == 422
    assert client.post("/learn/ask", data={"text": "   "}).status_code == 422
    assert db.session.scalar(select(AnonymousQuestion)) is None
    client.post("/learn/ask", data={"text": "ok question"})
    row = db.session.scalar(select(AnonymousQuestion))
    factories.teacher("other@school.kr", school_name="Elsewhere")
    other = app.test_client()
    factories.sign_in_staff(other, "other@school.kr")
    assert other.get(f"/teach/classes/{room['classroom'].id}/questions").status_code == 404
    assert other.post(f"/teach/classes/{room['classroom'].id}/questions/{row.id}/dismiss").status_code == 404


def test_talk_to_someone_is_not_anonymous_and_reaches_teacher_and_lead(app, room):
    student, client = room["students"][0]
    page = client.get("/learn/talk", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This is not anonymous" in page
    client.post("/learn/talk")
    client.post("/learn/talk")  # asking twice keeps one open request
    assert len(db.session.scalars(select(HelpRequest)).all()) == 1
    home = room["teacher_client"].get("/teach/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Students who asked to talk to someone" in home and student.pseudonym in home
    lead = factories.staff("admin", "lead@school.kr", school=room["teacher"].school)
    admin = app.test_client()
    factories.sign_in_staff(admin, "lead@school.kr")
    assert student.pseudonym not in admin.get("/admin/").get_data(as_text=True)
    admin.post(f"/admin/staff/{lead.id}/safeguarding-lead", data={"lead": "1"})
    assert student.pseudonym in admin.get("/admin/").get_data(as_text=True)
    request_id = db.session.scalar(select(HelpRequest.id))
    room["teacher_client"].post(f"/teach/talk/{request_id}/handled")
    assert student.pseudonym not in room["teacher_client"].get("/teach/").get_data(as_text=True)


def _poll_block():
    lesson = catalog().lessons_for("consent", "en", region="KR")
    return next((ls, b) for ls in lesson for b in ls.blocks("poll"))


def test_live_poll_shows_results_only_from_five_answers_and_links_nobody(room):
    lesson, block = _poll_block()
    classroom = room["classroom"]
    start = room["teacher_client"].post(f"/teach/classes/{classroom.id}/polls",
                                        data={"lesson": lesson.id, "block": block.id})
    projector = start.headers["Location"]
    option = block.options[0].id
    for index, (_student, client) in enumerate(room["students"][:4]):
        assert client.post("/learn/poll", data={"option": option}).status_code == 302
        client.post("/learn/poll", data={"option": option})  # a second vote from the same phone is ignored
        html = room["teacher_client"].get(projector, headers={"Accept-Language": "en"}).get_data(as_text=True)
        assert f"{index + 1} answer" in html and "<svg" not in html and "%" not in html.split("answer")[-1]
    room["students"][4][1].post("/learn/poll", data={"option": block.options[1].id})
    html = room["teacher_client"].get(projector + "/results", headers={"Accept-Language": "en"}).get_data(True)
    assert "5 answers" in html and "<svg" in html and "80%" in html
    assert set(PollVote.__table__.columns.keys()) == {"id", "poll_id", "option_id"}
    room["teacher_client"].post(projector + "/close")
    assert room["students"][5][1].post("/learn/poll", data={"option": option}).status_code in (302, 200)
    assert len(db.session.scalars(select(PollVote)).all()) == 5


def test_poll_refuses_unknown_options(room):
    lesson, block = _poll_block()
    room["teacher_client"].post(f"/teach/classes/{room['classroom'].id}/polls",
                                data={"lesson": lesson.id, "block": block.id})
    assert room["students"][0][1].post("/learn/poll", data={"option": "zzz"}).status_code == 400
    assert room["teacher_client"].post(f"/teach/classes/{room['classroom'].id}/polls",
                                       data={"lesson": lesson.id, "block": "nope"}).status_code == 404


def test_incident_mode_pauses_the_module_for_that_class_only(app, room):
    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    other_class = factories.classroom(room["teacher"], name="other", locale="en", country="KR")
    teach.assign(other_class, "module", "consent")
    db.session.commit()
    other_student, pin = factories.student(other_class)
    other_client = app.test_client()
    factories.sign_in_student(other_client, other_class, other_student, pin)

    room["teacher_client"].post(f"/teach/classes/{room['classroom'].id}/modules/consent/pause")
    _student, client = room["students"][0]
    paused = client.get(f"/learn/lesson/{lesson.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "This part is paused for now" in paused and "tel:" in paused and lesson.steps[0].title not in paused
    assert "paused this module" in client.get("/learn/", headers={"Accept-Language": "en"}).get_data(True)
    assert lesson.steps[0].title in other_client.get(f"/learn/lesson/{lesson.id}").get_data(as_text=True)
    page = room["teacher_client"].get(f"/teach/classes/{room['classroom'].id}/assignments").get_data(as_text=True)
    assert "#live-case" in page
    room["teacher_client"].post(f"/teach/classes/{room['classroom'].id}/modules/consent/pause", data={"resume": "1"})
    assert lesson.steps[0].title in client.get(f"/learn/lesson/{lesson.id}").get_data(as_text=True)


def test_admin_can_pause_a_module_in_their_school_only(app, room):
    factories.staff("admin", "admin@school.kr", school=room["teacher"].school)
    admin = app.test_client()
    factories.sign_in_staff(admin, "admin@school.kr")
    admin.post(f"/admin/classes/{room['classroom'].id}/modules/consent/pause")
    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    assert "paused" in room["students"][0][1].get(f"/learn/lesson/{lesson.id}").get_data(as_text=True)
    elsewhere = factories.teacher("t2@else.kr", school_name="Else")
    foreign = factories.classroom(elsewhere)
    assert admin.post(f"/admin/classes/{foreign.id}/modules/consent/pause").status_code == 404
