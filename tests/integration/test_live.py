"""Live lessons (edu/live/): the teacher's projector, phones that follow, the one reveal rule, ETag polling, the
no-JavaScript "Next" link, step-outs, the QR code's address, and who may do what."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.live import services
from edu.models import LiveAnswerer, LiveLesson, LiveQuestion, LiveTally
from tests import factories

EN = {"Accept-Language": "en"}
LESSON = "consent-basics"  # steps: 1 sort, 2 check, 3 scenario + step-out, 4 flip + poll, 5 scenario, 6 reflection


@pytest.fixture
def room(app, ctx):
    return factories.class_room(app, "live-owner@school.kr", students=7)


def _base(room) -> str:
    return f"/teach/classes/{room['classroom'].id}/live"


def _start(room, step: int = 1):
    teacher = room["teacher_client"]
    assert teacher.post(_base(room) + "/start", data={"lesson": LESSON}).status_code == 302
    if step != 1:
        assert teacher.post(_base(room) + "/step", data={"step": step}).status_code == 302
    return teacher


def _answer(client, block: str, choice: str):
    return client.post("/learn/live/answer", data={"block": block, "choice": choice})


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_class_page_links_to_live_mode_and_the_teacher_starts_a_lesson(room):
    teacher = room["teacher_client"]
    page = _text(teacher.get(f"/teach/classes/{room['classroom'].id}", headers=EN))
    assert f'href="{_base(room)}"' in page
    choose = _text(teacher.get(_base(room), headers=EN))
    assert "Run a lesson live" in choose and f'value="{LESSON}"' in choose
    _start(room)
    projector = _text(teacher.get(_base(room), headers=EN))
    assert "Step 1 of 6" in projector and "Next step" in projector and "/static/js/live." in projector


def test_other_teachers_students_and_admins_are_refused(room, app):
    _start(room)
    factories.teacher("other-live@school.kr", school_name="Other School")
    other = factories.signed_in_staff(app, "other-live@school.kr")
    student = room["students"][0][1]
    for method, path, data in [("get", "", None), ("get", "/panel", None), ("post", "/start", {"lesson": LESSON}),
                               ("post", "/step", {"step": 2}), ("post", "/reveal", {"block": "x"}),
                               ("post", "/end", {})]:
        assert getattr(other, method)(_base(room) + path, data=data).status_code == 404, path
        assert getattr(student, method)(_base(room) + path, data=data).status_code == 403, path
    assert db.session.scalar(select(LiveLesson.step)) == 0 and db.session.scalar(select(LiveLesson.ended_at)) is None
    # a student of another class sees their own class (no live lesson) and cannot answer this one
    outsider_room = factories.classroom(factories.teacher("third@school.kr", school_name="Third"), locale="en")
    _outsider, outsider = factories.signed_in_student(app, outsider_room)
    assert "no live lesson right now" in _text(outsider.get("/learn/live", headers=EN))
    _start(room, step=2)
    _answer(outsider, "five-parts-check", "ask-again")
    assert db.session.scalar(select(func.count()).select_from(LiveAnswerer)) == 0


def test_phones_follow_the_teacher(room):
    teacher = _start(room)
    phone = room["students"][0][1]
    assert "Step 1 of 6" in _text(phone.get("/learn/live", headers=EN))
    teacher.post(_base(room) + "/step", data={"step": 3})
    page = _text(phone.get("/learn/live", headers=EN))
    assert "Step 3 of 6" in page and 'action="/learn/live/answer?block=password-pressure' in page
    home = _text(phone.get("/learn/", headers=EN))
    assert 'href="/learn/live"' in home
    teacher.post(_base(room) + "/end")
    assert "no live lesson right now" in _text(phone.get("/learn/live", headers=EN))
    assert 'href="/learn/live"' not in _text(phone.get("/learn/", headers=EN))


def test_totals_show_only_from_five_answers_when_revealed_and_are_frozen(room):
    teacher = _start(room, step=2)
    check = "five-parts-check"
    options = ["ask-again", "already-yes"]
    phones = [client for _student, client in room["students"]]
    for index, phone in enumerate(phones[:4]):
        assert _answer(phone, check, options[index % 2]).status_code == 302
        _answer(phone, check, options[(index + 1) % 2])  # a second answer from the same phone is not counted
    panel = _text(teacher.get(_base(room), headers=EN))
    assert "4 answers" in panel and "Reveal the totals" not in panel
    teacher.post(_base(room) + "/reveal", data={"block": check})  # refused: fewer than five
    assert db.session.scalar(select(LiveQuestion.revealed_at)) is None
    assert "Closed: these totals are final" not in _text(teacher.get(_base(room), headers=EN))
    _answer(phones[4], check, "ask-again")
    assert "Reveal the totals" in _text(teacher.get(_base(room), headers=EN))
    assert teacher.post(_base(room) + "/reveal", data={"block": check}).status_code == 302
    revealed = _text(teacher.get(_base(room), headers=EN))
    assert "Closed: these totals are final" in revealed and "5 answers" in revealed
    frozen = db.session.scalar(select(LiveQuestion.totals))
    _answer(phones[5], check, "already-yes")  # after the reveal: the question is closed
    db.session.expire_all()
    assert db.session.scalar(select(LiveQuestion.totals)) == frozen == '{"already-yes": 2, "ask-again": 3, "only-if-no": 0}'
    assert db.session.scalar(select(func.count()).select_from(LiveTally).where(LiveTally.block_id == check)) == 0
    assert "5 answers" in _text(teacher.get(_base(room), headers=EN))
    assert "Closed: these totals are final" in _text(phones[0].get("/learn/live", headers=EN))


def test_the_tables_cannot_link_a_choice_to_a_student(room):
    assert set(LiveAnswerer.__table__.columns.keys()) == {"live_id", "block_id", "student_id"}
    assert set(LiveTally.__table__.columns.keys()) == {"live_id", "block_id", "option_id", "count"}
    teacher = _start(room, step=2)
    # every counter exists before anyone answers: creation order says nothing about who chose what
    assert db.session.scalar(select(func.count()).select_from(LiveTally)) == 3
    for _student, phone in room["students"][:3]:
        _answer(phone, "five-parts-check", "only-if-no")
    teacher.post(_base(room) + "/end")
    assert db.session.scalar(select(func.count()).select_from(LiveTally)) == 0
    assert db.session.scalar(select(func.count()).select_from(LiveAnswerer)) == 0


def test_answers_log_no_user(room, caplog):
    _start(room, step=2)
    student, phone = room["students"][0]
    caplog.set_level(logging.INFO)
    _answer(phone, "five-parts-check", "ask-again")
    lines = [r.fields for r in caplog.records if getattr(r, "fields", {}).get("endpoint") == "live.answer"]
    assert lines and all(line["user"] == "-" for line in lines)
    assert f"s:{student.id}" not in caplog.text


def test_polling_answers_304_until_something_changes(room):
    teacher = _start(room)
    phone = room["students"][0][1]
    first = phone.get("/learn/live/state")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and first.get_json()["version"]
    assert phone.get("/learn/live/state", headers={"If-None-Match": etag}).status_code == 304
    teacher.post(_base(room) + "/step", data={"step": 2})
    moved = phone.get("/learn/live/state", headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.headers["ETag"] != etag
    panel = teacher.get(_base(room) + "/panel")
    assert panel.status_code == 200 and "answers" in panel.get_json()["panel"]
    panel_etag = panel.headers["ETag"]
    assert teacher.get(_base(room) + "/panel", headers={"If-None-Match": panel_etag}).status_code == 304
    _answer(phone, "five-parts-check", "ask-again")
    changed = teacher.get(_base(room) + "/panel", headers={"If-None-Match": panel_etag, **EN})
    assert changed.status_code == 200 and "1 answer" in changed.get_json()["panel"]


def test_next_link_without_javascript_moves_only_when_the_teacher_has(room):
    teacher = _start(room)
    phone = room["students"][0][1]
    page = _text(phone.get("/learn/live", headers=EN))
    assert 'href="/learn/live?seen=1"' in page
    waiting = _text(phone.get("/learn/live?seen=1", headers=EN))
    assert "Step 1 of 6" in waiting and "still on this step" in waiting
    teacher.post(_base(room) + "/step", data={"step": 2})
    moved = _text(phone.get("/learn/live?seen=1", headers=EN))
    assert "Step 2 of 6" in moved and "still on this step" not in moved


def test_a_student_who_steps_out_gets_the_other_activity_and_nobody_is_told(room):
    teacher = _start(room, step=3)
    phone = room["students"][0][1]
    assert _answer(phone, "pressure-stepout", "out").status_code == 302
    page = _text(phone.get("/learn/live", headers=EN))
    assert "Another activity" in page and "password-pressure" not in page
    other = _text(room["students"][1][1].get("/learn/live", headers=EN))
    assert "Another activity" not in other and "password-pressure" in other
    projector = _text(teacher.get(_base(room), headers=EN))
    assert "stepped out" not in projector.lower() and "Another activity" not in projector


def test_own_choice_shows_its_feedback_on_the_phone_only(room):
    _start(room, step=2)
    phone = room["students"][0][1]
    _answer(phone, "five-parts-check", "ask-again")
    mine = _text(phone.get("/learn/live", headers=EN))
    assert 'aria-pressed="true"' in mine and "Your answer is in" in mine
    assert 'aria-pressed="true"' not in _text(room["students"][1][1].get("/learn/live", headers=EN))


def test_the_qr_address_leads_to_student_sign_in_with_the_code_never_to_join(room, app, client):
    code = room["classroom"].join_code
    response = client.get(f"/live/{code}")
    assert response.status_code == 302 and "/join" not in response.headers["Location"]
    assert response.headers["Location"].startswith(f"/student/signin?code={code}&next=")
    signin = _text(client.get(response.headers["Location"], headers=EN))
    assert f'value="{code}"' in signin
    signed_in = room["students"][0][1]
    assert signed_in.get(f"/live/{code}").headers["Location"] == "/learn/live"


def test_a_class_member_signs_in_from_the_qr_code_after_joining_has_closed(room, app):
    _start(room)
    classroom = room["classroom"]
    assert room["teacher_client"].post(f"/teach/classes/{classroom.id}/joining", data={"open": "0"}).status_code == 302
    student, pin = factories.student(classroom)
    phone = app.test_client()
    target = phone.get(f"/live/{classroom.join_code}").headers["Location"]
    response = phone.post(target, data={"code": classroom.join_code, "pseudonym": student.pseudonym, "pin": pin})
    assert response.status_code == 302 and response.headers["Location"] == "/learn/live"
    assert "Step 1 of 6" in _text(phone.get("/learn/live", headers=EN))


def test_the_projector_shows_the_public_address_and_a_qr_code_never_a_local_one(room, app, monkeypatch):
    teacher = _start(room)
    code = room["classroom"].join_code
    monkeypatch.setitem(app.config, "EDU_PUBLIC_URL", "")
    unset = _text(teacher.get(_base(room), headers=EN))
    assert "EDU_PUBLIC_URL" in unset and "<svg" not in unset.split("live-join")[1].split("</aside>")[0]
    monkeypatch.setitem(app.config, "EDU_PUBLIC_URL", "http://127.0.0.1:5000")
    loopback = _text(teacher.get(_base(room), headers=EN))
    assert "127.0.0.1" not in loopback and "EDU_PUBLIC_URL" in loopback
    monkeypatch.setitem(app.config, "EDU_PUBLIC_URL", "https://boundaries.school.example/")
    page = _text(teacher.get(_base(room), headers=EN))
    assert f"https://boundaries.school.example/live/{code}" in page and 'class="live-qr__code"' in page


def test_korean_pages(room):
    teacher = _start(room, step=4)
    korean = {"Accept-Language": "ko"}
    assert teacher.get(_base(room), headers=korean).status_code == 200
    page = _text(room["students"][0][1].get("/learn/live", headers=korean))
    assert "saying-no-poll" in page


def test_a_choice_pressed_on_the_projector_only_shows_its_feedback_there(room):
    teacher = _start(room, step=2)
    page = _text(teacher.get(_base(room) + "?block=five-parts-check&choice=ask-again", headers=EN))
    assert "Yes, that's right." in page
    assert db.session.scalar(select(func.count()).select_from(LiveAnswerer)) == 0


def test_a_paused_module_stops_the_live_lesson_on_phones(room):
    _start(room)
    classroom = room["classroom"]
    assert room["teacher_client"].post(f"/teach/classes/{classroom.id}/modules/consent/pause").status_code == 302
    assert "no live lesson right now" in _text(room["students"][0][1].get("/learn/live", headers=EN))


def test_answers_to_another_step_or_option_are_refused(room):
    _start(room, step=2)
    phone = room["students"][0][1]
    assert _answer(phone, "five-parts-check", "zzz").status_code == 400
    assert _answer(phone, "password-pressure", "a").status_code == 302  # not on this step: the page moves on
    assert db.session.scalar(select(func.count()).select_from(LiveAnswerer)) == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(choices=st.lists(st.sampled_from(["ask-again", "already-yes", "only-if-no"]), max_size=7),
       late=st.sampled_from(["ask-again", "already-yes", "only-if-no"]))
def test_reveal_rule_holds_for_any_answers(room, choices, late):
    """For any answers: no totals below five, the totals are exactly the answers once revealed, and nothing
    changes them afterwards (services, one fresh live lesson per example)."""
    classroom = room["classroom"]
    lesson = services.runnable_lesson(classroom, catalog(), LESSON)
    live = services.start(classroom, lesson)
    services.move(live, lesson, 1)
    students = [student for student, _client in room["students"]]
    for student, choice in zip(students, choices, strict=False):
        services.answer(live, lesson, student.id, "five-parts-check", choice)
    db.session.commit()
    (state,) = services.step_states(live, lesson.steps[1])
    assert state.totals is None and state.answered == len(choices)
    if len(choices) < services.REVEAL_MIN:
        with pytest.raises(services.TooFew):
            services.reveal(live, "five-parts-check")
        db.session.rollback()
        return
    services.reveal(live, "five-parts-check")
    db.session.commit()
    expected = {option: choices.count(option) for option in ("ask-again", "already-yes", "only-if-no")}
    assert services.step_states(live, lesson.steps[1])[0].totals == expected
    with pytest.raises(services.Closed):
        services.answer(live, lesson, students[-1].id, "five-parts-check", late)
    db.session.rollback()
    assert services.step_states(live, lesson.steps[1])[0].totals == expected
