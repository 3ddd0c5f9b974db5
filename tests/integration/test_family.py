"""Pages for families (issue 42): a module's family sheet and a class's notice open without signing in, in both
languages, set no cookie and are not indexed; the school's contact line shows only with the school's key; the
notice lists modules and dates, never a student, and shows a paused module as rescheduled; who may change what."""

from __future__ import annotations

from datetime import date

from edu.content_service import catalog
from edu.extensions import db
from edu.family import services as family
from edu.models import AuditEvent, ClassNotice, SchoolFamilySettings
from edu.safeguarding import services as safeguarding
from edu.teach import services as teach
from tests import factories


def _school_class(app):
    owner = factories.teacher("owner@school.kr", school_name="한빛중학교")
    classroom = factories.classroom(owner, name="2-3")
    return owner, classroom


def test_the_family_sheet_opens_for_anyone_signed_out_or_a_student_with_no_cookie(app, ctx):
    owner, classroom = _school_class(app)
    student, pin = factories.student(classroom)
    db.session.commit()
    signed_out = app.test_client()
    for locale, title in (("ko", "가정 안내"), ("en", "Family")):
        response = signed_out.get(f"/family/consent?locale={locale}")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and title in page and f'<html lang="{locale}"' in page
        assert "Set-Cookie" not in response.headers  # a parent's browser keeps nothing
        assert response.headers["X-Robots-Tag"].startswith("noindex") and 'name="robots" content="noindex' in page
        assert 'name="csrf_token"' not in page  # no form at all: the language links are plain links
    student_client = app.test_client()
    factories.sign_in_student(student_client, classroom, student, pin)
    assert student_client.get("/family/consent").status_code == 200  # once 403: families' pages are for everyone
    assert signed_out.get("/family/no-such-module").status_code == 404


def test_the_contact_line_shows_only_with_the_schools_key_and_a_new_key_drops_it(app, ctx):
    owner, _classroom = _school_class(app)
    settings = family.set_contact_line(owner.school, "  문의: 보건실\n 02-123-4567 ")
    db.session.commit()
    assert settings.contact_line == "문의: 보건실 02-123-4567"  # one line of plain text
    client = app.test_client()
    with_key = client.get(f"/family/consent/s/{settings.public_key}?locale=ko").get_data(as_text=True)
    assert "문의: 보건실 02-123-4567" in with_key and "한빛중학교" in with_key
    assert "02-123-4567" not in client.get("/family/consent?locale=ko").get_data(as_text=True)
    old = settings.public_key
    family.renew_school_key(owner.school)
    db.session.commit()
    after = client.get(f"/family/consent/s/{old}?locale=ko")
    assert after.status_code == 200 and "02-123-4567" not in after.get_data(as_text=True)
    assert client.get("/family/consent/s/<script>?locale=ko").status_code == 200  # a malformed key finds nothing


def test_the_contact_line_is_escaped(app, ctx):
    owner, _classroom = _school_class(app)
    settings = family.set_contact_line(owner.school, "<script>alert(1)</script>")
    db.session.commit()
    page = app.test_client().get(f"/family/consent/s/{settings.public_key}").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_the_admin_sets_the_contact_line_and_makes_a_new_link_and_both_are_audited(app, ctx):
    owner, _classroom = _school_class(app)
    factories.staff("admin", "admin@school.kr", school=owner.school)
    db.session.commit()
    admin = factories.signed_in_staff(app, "admin@school.kr")
    home = admin.get("/admin/").get_data(as_text=True)
    assert 'id="families"' in home and 'name="contact"' in home
    response = admin.post("/admin/family/contact", data={"contact": "Office: 02-555-0100"})
    assert response.status_code == 302 and response.headers["Location"].endswith("#families")
    row = db.session.get(SchoolFamilySettings, owner.school_id)
    assert row.contact_line == "Office: 02-555-0100"
    first_key = row.public_key
    assert admin.post("/admin/family/new-link").status_code == 400  # no confirmation: nothing changes
    assert admin.post("/admin/family/new-link", data={"confirm": "yes"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(SchoolFamilySettings, owner.school_id).public_key != first_key
    actions = {e.action for e in db.session.query(AuditEvent).filter_by(school_id=owner.school_id)}
    assert {"family_contact", "family_school_link"} <= actions
    audit_page = admin.get("/admin/audit").get_data(as_text=True)
    assert "02-555-0100" not in audit_page  # the log names the action, never the words


def test_a_teacher_sees_the_share_link_with_the_schools_key(app, ctx):
    owner, _classroom = _school_class(app)
    db.session.commit()
    teacher = factories.signed_in_staff(app, "owner@school.kr")
    page = teacher.get("/family/consent?locale=ko").get_data(as_text=True)
    key = db.session.get(SchoolFamilySettings, owner.school_id).public_key
    assert f"/family/consent/s/{key}" in page


def _notice_class(app):
    owner, classroom = _school_class(app)
    for _n in range(3):
        factories.student(classroom)
    teach.assign(classroom, "module", "consent", opens_on=date(2027, 3, 2), due_on=date(2027, 3, 20))
    teach.assign(classroom, "module", "deepfakes")
    teach.assign(classroom, "pre_survey", "prepost")
    db.session.commit()
    return owner, classroom


def test_the_teacher_makes_renews_and_stops_the_notice_link(app, ctx):
    owner, classroom = _notice_class(app)
    teacher = factories.signed_in_staff(app, "owner@school.kr")
    url = f"/teach/classes/{classroom.id}/family-notice"
    assert "family-notice" in teacher.get(f"/teach/classes/{classroom.id}/assignments").get_data(as_text=True)
    assert teacher.post(url, data={"action": "new"}).status_code == 302
    first = db.session.get(ClassNotice, classroom.id).notice_key
    assert f"/notice/{first}" in teacher.get(f"/teach/classes/{classroom.id}/assignments").get_data(as_text=True)
    anyone = app.test_client()
    assert anyone.get(f"/notice/{first}").status_code == 200
    teacher.post(url, data={"action": "new"})
    db.session.expire_all()
    second = db.session.get(ClassNotice, classroom.id).notice_key
    assert second != first and anyone.get(f"/notice/{first}").status_code == 404  # the old link is dead
    assert anyone.get(f"/notice/{second}").status_code == 200
    assert teacher.post(url, data={"action": "bogus"}).status_code == 400
    teacher.post(url, data={"action": "stop"})
    assert anyone.get(f"/notice/{second}").status_code == 404
    assert db.session.query(AuditEvent).filter_by(action="family_notice").count() == 3
    other = factories.teacher("other@school.kr", school_name="Elsewhere")
    db.session.commit()
    assert other and factories.signed_in_staff(app, "other@school.kr").post(url, data={"action": "new"}).status_code == 404


def test_the_notice_lists_modules_and_dates_in_both_languages_and_nothing_about_students(app, ctx):
    owner, classroom = _notice_class(app)
    key = family.renew_notice(classroom).notice_key
    family.set_contact_line(owner.school, "교무실 02-000-0000")
    db.session.commit()
    client = app.test_client()
    response = client.get(f"/notice/{key}")
    ko = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="ko"' in ko  # the class's language first
    assert "Set-Cookie" not in response.headers and response.headers["X-Robots-Tag"].startswith("noindex")
    assert "동의" in ko and "2027. 3. 2." in ko
    assert "교무실 02-000-0000" in ko and "한빛중학교" in ko
    for student in classroom.students:
        assert student.pseudonym not in ko
    assert "prepost" not in ko  # modules only
    en = client.get(f"/notice/{key}?locale=en").get_data(as_text=True)
    assert '<html lang="en"' in en and "Mar 2, 2027" in en and "What is taught, and when" in en
    settings = family.school_settings(owner.school)
    assert f"/family/consent/s/{settings.public_key}" in en  # the sheets, with the school's contact line


def test_a_paused_module_shows_as_rescheduled_read_from_the_incident_pause(app, ctx):
    owner, classroom = _notice_class(app)
    key = family.renew_notice(classroom).notice_key
    safeguarding.pause_module(classroom, "consent")
    db.session.commit()
    page = app.test_client().get(f"/notice/{key}?locale=en").get_data(as_text=True)
    assert "Rescheduled" in page and "Mar 2, 2027" not in page  # no dates, and no reason given
    assert "incident" not in page.lower()
    assert [m.rescheduled for m in family.notice_modules(classroom, catalog(), "en")] == [True, False]


def test_an_archived_class_or_an_unknown_key_has_no_notice(app, ctx):
    owner, classroom = _notice_class(app)
    key = family.renew_notice(classroom).notice_key
    teach.archive(classroom)
    db.session.commit()
    client = app.test_client()
    assert client.get(f"/notice/{key}").status_code == 404
    assert client.get("/notice/" + "A" * 22).status_code == 404
    assert client.get("/notice/x").status_code == 404


def test_keys_are_random_and_unguessable():
    keys = {family.new_key() for _ in range(200)}
    assert len(keys) == 200 and all(family.well_formed(k) and len(k) >= 22 for k in keys)
