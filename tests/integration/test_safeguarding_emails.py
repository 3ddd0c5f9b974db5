"""Safeguarding emails through EDU_SMTP_URL, against a local SMTP server the tests start: a new case is told to
the class teacher and the leads, a case still new past the school's hours reminds them and the admins, and no
email carries what the student wrote."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from edu.extensions import db
from edu.models import SafeguardingCase
from edu.safeguarding import notify
from tests import factories, smtp_sink

SECRET = "누가 제 사진을 합성해서 단톡방에 올렸어요 canary-5be1"


@pytest.fixture
def sink():
    server = smtp_sink.start()
    yield server
    server.close()


@pytest.fixture
def school(app, ctx, sink):
    room = factories.class_room(app, "owner@school.kr", students=1)
    lead = factories.staff("teacher", "lead@school.kr", school=room["teacher"].school)
    lead.is_safeguarding_lead = True
    factories.staff("admin", "admin@school.kr", school=room["teacher"].school)
    factories.teacher("elsewhere@school.kr", school_name="Elsewhere")
    db.session.commit()
    app.config.update(EDU_SMTP_URL=sink.url, EDU_PUBLIC_URL="https://boundaries.school.test/")
    room["students"][0][1].post("/learn/ask", data={"text": SECRET})
    return room


def _remind(app):
    return app.test_cli_runner().invoke(args=["safeguarding", "remind"])


def test_a_new_case_is_emailed_once_to_teacher_and_lead_without_the_students_words(app, school, sink):
    result = _remind(app)
    assert result.exit_code == 0 and "1 new case notices, 0 reminders" in result.output
    assert len(sink.messages) == 1
    mail = sink.messages[0]
    assert sorted(mail.recipients) == ["lead@school.kr", "owner@school.kr"]
    assert mail.sender == "boundaries@school.test"
    case = db.session.scalar(select(SafeguardingCase))
    body = mail.message.get_content()
    assert f"A possible disclosure in class {school['classroom'].name}" in mail.message["Subject"]
    assert f"https://boundaries.school.test/safeguarding/cases/{case.id}" in body
    raw = mail.message.as_string()
    assert "canary-5be1" not in raw and "합성" not in raw and "단톡방" not in raw
    _remind(app)  # notified once: the next run sends nothing new
    assert len(sink.messages) == 1


def test_a_case_still_new_past_the_schools_hours_reminds_once_including_admins(app, school, sink):
    _remind(app)
    case = db.session.scalar(select(SafeguardingCase))
    case.opened_at -= timedelta(hours=23)
    db.session.commit()
    assert "0 reminders" in _remind(app).output  # 23 h < the default 24
    case.opened_at -= timedelta(hours=1)
    db.session.commit()
    assert "1 reminders" in _remind(app).output
    reminder = sink.messages[-1]
    assert sorted(reminder.recipients) == ["admin@school.kr", "lead@school.kr", "owner@school.kr"]
    assert "still unacknowledged" in reminder.message["Subject"] and "canary" not in reminder.message.as_string()
    assert "0 reminders" in _remind(app).output  # once
    assert len(sink.messages) == 2


def test_an_acknowledged_case_sends_no_reminder(app, school, sink):
    _remind(app)
    case = db.session.scalar(select(SafeguardingCase))
    school["teacher_client"].post(f"/safeguarding/cases/{case.id}/state", data={"state": "acknowledged"})
    case = db.session.scalar(select(SafeguardingCase))
    case.opened_at -= timedelta(days=3)
    db.session.commit()
    assert "0 reminders" in _remind(app).output and len(sink.messages) == 1


def test_a_mail_server_that_is_down_leaves_the_case_for_the_next_run(app, school, sink):
    port = sink.port
    sink.close()
    app.config["EDU_SMTP_URL"] = f"smtp://127.0.0.1:{port}?from=boundaries@school.test"
    assert "0 new case notices" in _remind(app).output
    assert db.session.scalar(select(SafeguardingCase)).notified_at is None
    again = smtp_sink.start()
    try:
        app.config["EDU_SMTP_URL"] = again.url
        assert "1 new case notices" in _remind(app).output and len(again.messages) == 1
    finally:
        again.close()


def test_without_a_smtp_url_the_command_says_so(app, ctx):
    app.config["EDU_SMTP_URL"] = ""
    result = _remind(app)
    assert result.exit_code == 1 and "EDU_SMTP_URL is not set" in result.output


@pytest.mark.parametrize("url", ["http://mail", "smtp://mail.school.kr", "smtp://?from=a@b"])
def test_bad_smtp_urls_are_refused(url):
    with pytest.raises(notify.BadSmtpUrl):
        notify.parse_smtp_url(url)


def test_smtp_url_parts():
    smtp = notify.parse_smtp_url("smtp+starttls://user%40x:p%2Fw@mail.school.kr?from=noreply@school.kr")
    assert (smtp.host, smtp.port, smtp.user, smtp.password, smtp.sender) == (
        "mail.school.kr", 587, "user@x", "p/w", "noreply@school.kr")
    assert notify.parse_smtp_url("smtps://mail?from=a@b").port == 465
