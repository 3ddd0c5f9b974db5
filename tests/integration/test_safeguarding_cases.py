"""Safeguarding cases: a flagged question reaches the class teacher and the school's safeguarding lead as a
case; only they and the school's admins see it; its moves are recorded to the hour and audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from edu.extensions import db
from edu.models import AuditEvent, CaseEvent, SafeguardingCase
from edu.safeguarding import cases
from tests import factories

EXAMPLE = "단톡방에 누가 제 친구 사진을 합성해서 올렸어요. 저도 캡처해 뒀는데 어떻게 해야 하나요?"
EN = {"Accept-Language": "en"}


@pytest.fixture
def school(app, ctx):
    room = factories.class_room(app, "owner@school.kr", students=2)
    the_school = room["teacher"].school
    lead = factories.staff("teacher", "lead@school.kr", school=the_school)
    lead.is_safeguarding_lead = True
    factories.staff("admin", "admin@school.kr", school=the_school)
    factories.teacher("colleague@school.kr")  # another school's teacher
    colleague = factories.staff("teacher", "sameschool@school.kr", school=the_school)  # same school, not lead
    db.session.commit()
    room.update(lead=lead, colleague=colleague, clients={
        email: factories.signed_in_staff(app, email)
        for email in ("lead@school.kr", "admin@school.kr", "colleague@school.kr", "sameschool@school.kr")})
    return room


def _ask(room, text=EXAMPLE):
    room["students"][0][1].post("/learn/ask", data={"text": text})


def test_a_flagged_question_opens_one_case_that_names_nobody(school):
    _ask(school)
    _ask(school, "동의는 한 번 하면 끝인가요?")  # an ordinary question opens no case
    case = db.session.scalar(select(SafeguardingCase))
    assert db.session.scalars(select(SafeguardingCase)).all() == [case]
    assert case.state == "new" and case.question.text == EXAMPLE
    assert case.opened_at.minute == case.opened_at.second == case.opened_at.microsecond == 0
    assert set(SafeguardingCase.__table__.columns.keys()) == {
        "id", "classroom_id", "question_id", "state", "opened_at", "notified_at", "reminded_at"}


def test_teacher_lead_and_admin_see_the_case_others_are_refused(school):
    _ask(school)
    case = db.session.scalar(select(SafeguardingCase))
    url = f"/safeguarding/cases/{case.id}"
    for client in (school["teacher_client"], school["clients"]["lead@school.kr"],
                   school["clients"]["admin@school.kr"]):
        page = client.get(url, headers=EN).get_data(as_text=True)
        assert "Art. 34" in page and "ACOSAV" in page
        # the class teacher and the lead read the question; an admin sees the case, never free text
        assert (EXAMPLE in page) is (client is not school["clients"]["admin@school.kr"])
        assert "Possible disclosures" in client.get("/safeguarding/cases", headers=EN).get_data(as_text=True)
        assert "1 open case needs a safeguarding response." in client.get(
            "/admin/" if client is school["clients"]["admin@school.kr"] else "/teach/", headers=EN).get_data(True)
    for email in ("colleague@school.kr", "sameschool@school.kr"):
        other = school["clients"][email]
        assert other.get(url).status_code == 404
        assert other.post(f"{url}/state", data={"state": "acknowledged"}).status_code == 404
        assert case.id not in other.get("/safeguarding/cases").get_data(as_text=True)
    student = school["students"][1][1]
    assert student.get(url).status_code == 403
    assert db.session.scalar(select(SafeguardingCase)).state == "new"
    views = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "view_case")).all()
    assert len(views) == 3 and {v.target for v in views} == {f"case:{case.id}"}


def test_the_inbox_links_a_flagged_question_to_its_case(school):
    _ask(school)
    case = db.session.scalar(select(SafeguardingCase))
    inbox = school["teacher_client"].get(f"/teach/classes/{school['classroom'].id}/questions", headers=EN)
    assert f"/safeguarding/cases/{case.id}" in inbox.get_data(as_text=True)


def test_states_move_forward_only_and_record_who_and_the_hour(school):
    _ask(school)
    case = db.session.scalar(select(SafeguardingCase))
    lead = school["clients"]["lead@school.kr"]
    url = f"/safeguarding/cases/{case.id}/state"
    assert lead.post(url, data={"state": "acknowledged"}).status_code == 302
    assert lead.post(url, data={"state": "new"}).status_code == 400  # never backwards
    assert lead.post(url, data={"state": "acknowledged"}).status_code == 400
    assert lead.post(url, data={"state": "nonsense"}).status_code == 400
    assert school["teacher_client"].post(url, data={"state": "referred"}).status_code == 302
    assert school["clients"]["admin@school.kr"].post(url, data={"state": "closed"}).status_code == 302
    events = db.session.scalars(select(CaseEvent).order_by(CaseEvent.id)).all()
    assert [(e.state, e.account.email) for e in events] == [
        ("acknowledged", "lead@school.kr"), ("referred", "owner@school.kr"), ("closed", "admin@school.kr")]
    assert all(e.at.minute == e.at.second == 0 for e in events)
    page = lead.get(f"/safeguarding/cases/{case.id}", headers=EN).get_data(as_text=True)
    assert "lead@school.kr" in page and "Case closed" in page
    assert case.id not in lead.get("/safeguarding/cases").get_data(as_text=True)  # closed: off the open list
    assert case.id in lead.get("/safeguarding/cases?all=1").get_data(as_text=True)
    moves = db.session.scalars(select(AuditEvent.target).where(AuditEvent.action == "case_state")).all()
    assert sorted(moves) == sorted(f"case:{case.id}:{s}" for s in ("acknowledged", "referred", "closed"))


def test_overdue_after_the_hours_the_school_sets(school):
    _ask(school)
    case = db.session.scalar(select(SafeguardingCase))
    admin = school["clients"]["admin@school.kr"]
    assert admin.post("/admin/safeguarding", data={"hours": "0"}).status_code == 302
    assert admin.post("/admin/safeguarding", data={"hours": "abc"}).status_code == 302
    assert school["teacher"].school.safeguarding_escalation_hours == 24
    assert school["teacher_client"].post("/admin/safeguarding", data={"hours": "2"}).status_code == 403
    admin.post("/admin/safeguarding", data={"hours": "4"})
    db.session.refresh(school["teacher"].school)
    assert school["teacher"].school.safeguarding_escalation_hours == 4
    assert 'value="4"' in admin.get("/admin/").get_data(as_text=True)
    assert not cases.overdue(case, case.opened_at + timedelta(hours=3, minutes=59))
    assert cases.overdue(case, case.opened_at + timedelta(hours=4))
    assert cases.to_remind(case.opened_at + timedelta(hours=4)) == [case]
    cases.move(school["lead"], case.id, "acknowledged")
    assert not cases.overdue(case, case.opened_at + timedelta(hours=40))
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "safeguarding_settings")) is not None


def test_times_round_down_to_the_hour():
    assert cases.to_hour(datetime(2026, 12, 7, 9, 59, 59, 999)) == datetime(2026, 12, 7, 9)
