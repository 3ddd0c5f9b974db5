"""The incident playbook: only the school's safeguarding leads and admins see it; pausing modules in one step
hides them from the class's students (the ordinary incident-mode pause); checklist ticks, log entries, follow-up
and printing are audited; the log refuses images and obvious names and numbers; closed incidents are deleted
after the school's retention period by the retention command."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from edu.cli import retention_command
from edu.content_service import catalog
from edu.extensions import db
from edu.models import (
    Assignment,
    AuditEvent,
    Incident,
    IncidentLogEntry,
    IncidentPause,
    IncidentTick,
    ModulePause,
    utcnow,
)
from edu.safeguarding import incidents
from edu.safeguarding import services as safeguarding
from tests import factories

EN = {"Accept-Language": "en"}
KO = {"Accept-Language": "ko"}


@pytest.fixture
def school(app, ctx):
    room = factories.class_room(app, "owner@school.kr", students=1, assign=(("module", "consent"),
                                                                            ("module", "deepfakes")))
    the_school = room["teacher"].school
    other_room = factories.classroom(room["teacher"], name="3-1")
    lead = factories.staff("teacher", "lead@school.kr", school=the_school)
    lead.is_safeguarding_lead = True
    factories.staff("admin", "admin@school.kr", school=the_school)
    factories.teacher("elsewhere@school.kr")  # another school's teacher
    db.session.commit()
    room.update(lead=lead, other_room=other_room, school=the_school, clients={
        email: factories.signed_in_staff(app, email)
        for email in ("lead@school.kr", "admin@school.kr", "elsewhere@school.kr")})
    return room


def _open(client, title="Deepfake in a year 2 chat", day="2026-12-01"):
    response = client.post("/safeguarding/incidents/", data={"title": title, "happened_on": day}, headers=EN)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"].rsplit("/", 1)[1]


def _actions(school_id):
    return [a for (a,) in db.session.execute(select(AuditEvent.action).where(AuditEvent.school_id == school_id)
                                             .order_by(AuditEvent.id))]


def test_only_the_lead_and_admins_see_incidents(school):
    lead = school["clients"]["lead@school.kr"]
    incident_id = _open(lead)
    student_client = school["students"][0][1]
    urls = ["/safeguarding/incidents/", f"/safeguarding/incidents/{incident_id}",
            f"/safeguarding/incidents/{incident_id}/print/letter-families"]
    for url in urls:
        assert lead.get(url, headers=EN).status_code == 200
        assert school["clients"]["admin@school.kr"].get(url, headers=EN).status_code == 200
        assert school["teacher_client"].get(url).status_code == 403  # the class's own teacher, not a lead
        assert student_client.get(url).status_code == 403
    # a lead of another school: 403 (not a lead); made a lead there, the incident is still not theirs (404)
    elsewhere = school["clients"]["elsewhere@school.kr"]
    assert elsewhere.get(urls[1]).status_code == 403
    other = db.session.scalar(select(factories.Account).where(factories.Account.email == "elsewhere@school.kr"))
    other.is_safeguarding_lead = True
    db.session.commit()
    assert elsewhere.get(urls[1]).status_code == 404
    assert elsewhere.post(f"/safeguarding/incidents/{incident_id}/tick", data={"step": "police"}).status_code == 404
    assert school["teacher_client"].post(f"/safeguarding/incidents/{incident_id}/tick",
                                         data={"step": "police"}).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(IncidentTick)) == 0


def test_pausing_in_one_step_hides_the_module_from_students_and_resuming_brings_it_back(school):
    lead = school["clients"]["lead@school.kr"]
    incident_id = _open(lead)
    classroom, student_client = school["classroom"], school["students"][0][1]
    lesson_url = f"/learn/lesson/{catalog().lessons_for('consent', 'en', region='KR')[0].id}"
    assert student_client.get("/learn/", headers=EN).status_code == 200
    before = student_client.get(lesson_url, headers=EN)
    assert before.status_code == 200
    response = lead.post(f"/safeguarding/incidents/{incident_id}/pause",
                         data={"modules": ["consent", "deepfakes"], "scope": "school"})
    assert response.status_code == 302
    db.session.expire_all()
    assert safeguarding.is_paused(classroom, "consent") and safeguarding.is_paused(classroom, "deepfakes")
    assert safeguarding.is_paused(school["other_room"], "consent")  # the whole school: every active class
    home = student_client.get("/learn/", headers=EN).get_data(as_text=True)
    assert "Your teacher has paused this module" in home and lesson_url not in home
    paused = student_client.get(lesson_url, headers=EN).get_data(as_text=True)
    assert "paused" in paused and "consent" not in paused.split("<main", 1)[1].split("</main>")[0].lower()
    # the class's teacher sees it as paused in the class's assignments (the same pause)
    assert "Paused (incident mode)." in school["teacher_client"].get(
        f"/teach/classes/{classroom.id}/assignments", headers=EN).get_data(as_text=True)
    lead.post(f"/safeguarding/incidents/{incident_id}/resume", data={"pause": [f"{classroom.id}:consent"]})
    db.session.expire_all()
    assert not safeguarding.is_paused(classroom, "consent") and safeguarding.is_paused(classroom, "deepfakes")
    assert student_client.get(lesson_url, headers=EN).status_code == 200
    actions = _actions(school["school"].id)
    assert actions.count("incident_pause") == 4 and actions.count("incident_resume") == 1


def test_pausing_chosen_classes_only_and_a_teachers_own_pause_is_left_alone(school):
    lead = school["clients"]["lead@school.kr"]
    classroom, other = school["classroom"], school["other_room"]
    safeguarding.pause_module(classroom, "consent")  # the class teacher paused it before
    db.session.commit()
    incident_id = _open(lead)
    lead.post(f"/safeguarding/incidents/{incident_id}/pause",
              data={"modules": ["consent"], "scope": "classes", "classes": [str(classroom.id)]})
    db.session.expire_all()
    assert not safeguarding.is_paused(other, "consent")
    assert db.session.scalar(select(func.count()).select_from(IncidentPause)) == 0  # nothing new was paused
    lead.post(f"/safeguarding/incidents/{incident_id}/close")
    db.session.expire_all()
    assert safeguarding.is_paused(classroom, "consent")  # closing resumes only what the incident paused


def test_checklist_follows_the_school_country_and_ticks_are_audited(school):
    lead = school["clients"]["lead@school.kr"]
    incident_id = _open(lead)
    page = lead.get(f"/safeguarding/incidents/{incident_id}", headers=KO).get_data(as_text=True)
    assert "청소년성보호법 제34조" in page and "학교폭력 전담조사관" in page and "1377" in page
    assert "300만 원 이하의 과태료" in page  # the fine, from the facts registry
    english = lead.get(f"/safeguarding/incidents/{incident_id}", headers=EN).get_data(as_text=True)
    assert "Art. 34" in english and "a fine of up to ₩3 million" in english
    assert lead.post(f"/safeguarding/incidents/{incident_id}/tick", data={"step": "police"}).status_code == 302
    assert lead.post(f"/safeguarding/incidents/{incident_id}/tick", data={"step": "nope"}).status_code == 302
    ticks = db.session.scalars(select(IncidentTick)).all()
    assert [(t.step_key, t.account_id) for t in ticks] == [("police", school["lead"].id)]
    assert "lead@school.kr" in lead.get(f"/safeguarding/incidents/{incident_id}", headers=EN).get_data(as_text=True)
    assert "incident_tick" in _actions(school["school"].id)


def test_other_countries_get_the_generic_checklist(app, ctx):
    owner = factories.teacher("uk@school.test")
    owner.school.country = "GB"
    owner.is_safeguarding_lead = True
    db.session.commit()
    client = factories.signed_in_staff(app, "uk@school.test")
    incident_id = _open(client)
    page = client.get(f"/safeguarding/incidents/{incident_id}", headers=EN).get_data(as_text=True)
    assert "safeguarding policy" in page and "Take It Down" in page and "Art. 34" not in page


def test_the_log_keeps_roles_and_traces_and_refuses_names_numbers_and_images(school):
    lead = school["clients"]["lead@school.kr"]
    incident_id = _open(lead)
    url = f"/safeguarding/incidents/{incident_id}/log"
    good = {"role": "reporter", "role_number": "1", "room": "2학년 단톡", "handles": "@blue_fox, 여우123",
            "links": "https://t.me/example_room", "seen_at": "12/1 14:30", "action": "Reported the room; told the lead"}
    assert lead.post(url, data=good).status_code == 302
    refused = {
        "김민준 학생이 올림": "real name", "Mr Smith saw it": "real name", "010-1234-5678": "phone number",
        "050505-3123456": "resident registration number", "data:image/png;base64,iVBORw0KGgo=": "images",
    }
    for text, words in refused.items():
        response = lead.post(url, data={**good, "action": text}, headers=EN)
        assert response.status_code == 422
        assert words in response.get_data(as_text=True)
    assert lead.post(url, data={**good, "role": "Kim"}).status_code == 422
    entries = db.session.scalars(select(IncidentLogEntry)).all()
    assert len(entries) == 1 and entries[0].role == "reporter" and entries[0].role_number == 1
    page = lead.get(f"/safeguarding/incidents/{incident_id}", headers=EN).get_data(as_text=True)
    assert "Reporter 1" in page and "@blue_fox" in page and "Keep real names, phone numbers and any personal details in the school" in page
    assert 'type="file"' not in page  # no uploads anywhere
    assert _actions(school["school"].id).count("incident_log") == 1
    # the title follows the same rule
    response = lead.post("/safeguarding/incidents/", data={"title": "박서연 씨 사건", "happened_on": "2026-12-01"},
                         headers=EN)
    assert response.status_code == 422 and db.session.scalar(select(func.count()).select_from(Incident)) == 1


def test_templates_print_in_both_languages_and_are_audited(school):
    lead = school["clients"]["lead@school.kr"]
    incident_id = _open(lead)
    for slug in ("letter-families", "support-targeted", "support-witnesses", "support-responsible"):
        for locale, words in (("ko", "lang=\"ko\""), ("en", "lang=\"en\"")):
            response = lead.get(f"/safeguarding/incidents/{incident_id}/print/{slug}?locale={locale}", headers=EN)
            assert response.status_code == 200 and words in response.get_data(as_text=True)
    assert lead.get(f"/safeguarding/incidents/{incident_id}/print/class-agreement").status_code == 404
    assert _actions(school["school"].id).count("incident_view") == 8


def test_the_follow_up_module_goes_to_the_class_assignments(school):
    lead = school["clients"]["lead@school.kr"]
    incident_id = _open(lead)
    other = school["other_room"]
    lead.post(f"/safeguarding/incidents/{incident_id}/follow-up", data={"classroom": other.id, "module": "getting-help"})
    assert db.session.scalar(select(Assignment).where(Assignment.classroom_id == other.id,
                                                      Assignment.target_id == "getting-help")) is not None
    lead.post(f"/safeguarding/incidents/{incident_id}/follow-up", data={"classroom": other.id, "module": "law"})
    assert db.session.scalar(select(Assignment).where(Assignment.target_id == "law")) is None
    assert "incident_follow_up" in _actions(school["school"].id)


def test_audit_log_describes_incident_actions_in_both_languages(school):
    lead, admin = school["clients"]["lead@school.kr"], school["clients"]["admin@school.kr"]
    incident_id = _open(lead)
    lead.post(f"/safeguarding/incidents/{incident_id}/pause", data={"modules": ["consent"], "scope": "school"})
    lead.post(f"/safeguarding/incidents/{incident_id}/tick", data={"step": "police"})
    english = admin.get("/admin/audit", headers=EN).get_data(as_text=True)
    assert "Opened an incident" in english and "Paused a module for an incident" in english
    assert "checklist step" in english and incident_id not in english
    korean = admin.get("/admin/audit", headers=KO).get_data(as_text=True)
    assert "사안 열기" in korean and "사안 점검 단계 완료 표시" in korean


def test_retention_deletes_closed_incidents_and_their_logs(school, app):
    lead = school["clients"]["lead@school.kr"]
    old_id, recent_id, open_id = _open(lead), _open(lead), _open(lead)
    for incident_id in (old_id, recent_id):
        lead.post(f"/safeguarding/incidents/{incident_id}/log", data={"role": "witness", "action": "Left the room"})
        lead.post(f"/safeguarding/incidents/{incident_id}/tick", data={"step": "police"})
    lead.post(f"/safeguarding/incidents/{old_id}/pause", data={"modules": ["consent"], "scope": "school"})
    for incident_id in (old_id, recent_id):
        lead.post(f"/safeguarding/incidents/{incident_id}/close")
    db.session.expire_all()
    assert not safeguarding.is_paused(school["classroom"], "consent")  # closing resumed it
    days = school["school"].retention_days
    db.session.get(Incident, old_id).closed_at = utcnow() - timedelta(days=days, minutes=1)
    db.session.get(Incident, recent_id).closed_at = utcnow() - timedelta(days=days - 1)
    db.session.get(Incident, open_id).opened_at = utcnow() - timedelta(days=days * 3)
    db.session.commit()
    result = app.test_cli_runner().invoke(retention_command)
    assert result.exit_code == 0 and "deleted 1 closed incidents" in result.output
    db.session.expire_all()
    assert {i.id for i in db.session.scalars(select(Incident))} == {recent_id, open_id}
    assert db.session.scalar(select(func.count()).select_from(IncidentLogEntry)) == 1
    assert db.session.scalar(select(func.count()).select_from(IncidentTick)) == 1
    assert "incident_delete" in _actions(school["school"].id)


def test_services_refuse_a_future_date_and_a_non_lead(school):
    with pytest.raises(incidents.Forbidden):
        incidents.open_incident(school["teacher"], "A case", date.today())
    with pytest.raises(incidents.Refused):
        incidents.open_incident(school["lead"], "A case", date.today() + timedelta(days=5))
    assert db.session.scalar(select(func.count()).select_from(ModulePause)) == 0
