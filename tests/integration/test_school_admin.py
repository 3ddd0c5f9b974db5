"""A school run by its admin: invitation links (expiring, single use, one school), roles, removal that moves the
classes, settings and their validation, and what an admin never sees."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import Account, Assignment, AuditEvent, ClassTeacher, StaffInvitation, Student, utcnow
from edu.teach import services as teach
from tests import factories

EN = {"Accept-Language": "en"}
KO = {"Accept-Language": "ko"}
SAME_ANSWER = "If this address is new, your account is ready: sign in"


@pytest.fixture
def school(app, ctx):
    """A school with an admin (signed in) and a teacher with a class of two students."""
    teacher = factories.teacher("kim@school.kr", school_name="Hana Middle School")
    admin = factories.staff("admin", "head@school.kr", school=teacher.school)
    classroom = factories.classroom(teacher, name="2-3")
    students = [factories.student(classroom)[0] for _ in range(2)]
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    return {"teacher": teacher, "admin": admin, "classroom": classroom, "students": students,
            "admin_client": factories.signed_in_staff(app, "head@school.kr")}


def _invite(client, role: str = "teacher") -> str:
    page = client.post("/admin/staff/invite", data={"role": role}, headers=EN).get_data(as_text=True)
    return re.search(r'value="(http://localhost/invite/[^"]+)"', page).group(1).replace("http://localhost", "")


def _join(client, link: str, email: str, password: str = "long-enough-1"):
    return client.post(link, data={"email": email, "password": password}, headers=EN)


def test_an_invitation_adds_one_teacher_to_the_admins_school_once(app, school):
    link = _invite(school["admin_client"])
    key = link.rsplit("/", 1)[1]
    assert db.session.scalar(select(func.count()).select_from(StaffInvitation)
                             .where(StaffInvitation.key_hash.contains(key))) == 0  # only a hash is stored
    visitor = app.test_client()
    page = visitor.get(link, headers=EN)
    assert page.status_code == 200 and "Hana Middle School" in page.get_data(as_text=True)
    joined = _join(visitor, link, "park@school.kr")
    assert joined.status_code == 200 and SAME_ANSWER in joined.get_data(as_text=True)
    park = db.session.scalar(select(Account).where(Account.email == "park@school.kr"))
    assert (park.school_id, park.role) == (school["admin"].school_id, "teacher")
    # Single use: the same link again, for anyone, is gone.
    assert visitor.get(link).status_code == 410
    assert _join(app.test_client(), link, "lee@school.kr").status_code == 410
    assert db.session.scalar(select(Account).where(Account.email == "lee@school.kr")) is None
    assert factories.sign_in_staff(app.test_client(), "park@school.kr", "long-enough-1").status_code == 302


def test_an_expired_or_withdrawn_or_made_up_link_does_nothing(app, school):
    expired = _invite(school["admin_client"])
    invitation = db.session.scalar(select(StaffInvitation).order_by(StaffInvitation.id.desc()))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    withdrawn = _invite(school["admin_client"])
    newest = db.session.scalar(select(StaffInvitation).order_by(StaffInvitation.id.desc()))
    assert school["admin_client"].post(f"/admin/invitations/{newest.id}/withdraw").status_code == 302
    for link in (expired, withdrawn, "/invite/made-up-key-0123456789"):
        assert app.test_client().get(link, headers=EN).status_code == 410
        assert _join(app.test_client(), link, "late@school.kr").status_code == 410
    assert db.session.scalar(select(Account).where(Account.email == "late@school.kr")) is None


def test_a_taken_address_gets_the_same_answer_and_uses_the_link_up(app, school):
    other = factories.teacher("owner@elsewhere.kr", school_name="Elsewhere")
    before = (other.school_id, other.password_hash, other.role)
    link = _invite(school["admin_client"], "admin")
    answer = _join(app.test_client(), link, "OWNER@elsewhere.kr", "attacker-pass-1")
    assert answer.status_code == 200 and SAME_ANSWER in answer.get_data(as_text=True)
    db.session.refresh(other)
    assert (other.school_id, other.password_hash, other.role) == before and other.signup_attempt_on is not None
    assert app.test_client().get(link).status_code == 410


def test_another_schools_admin_can_touch_neither_its_invitations_nor_its_staff(app, school):
    _invite(school["admin_client"])
    invitation = db.session.scalar(select(StaffInvitation))
    stranger = factories.teacher("t@elsewhere.kr", school_name="Elsewhere")
    factories.staff("admin", "head@elsewhere.kr", school=stranger.school)
    theirs = factories.signed_in_staff(app, "head@elsewhere.kr")
    teacher_id = school["teacher"].id
    assert theirs.post(f"/admin/invitations/{invitation.id}/withdraw").status_code == 404
    assert theirs.post(f"/admin/staff/{teacher_id}/role", data={"role": "admin"}).status_code == 404
    assert theirs.post(f"/admin/staff/{teacher_id}/remove", data={"successor": str(stranger.id)}).status_code == 404
    assert "kim@school.kr" not in theirs.get("/admin/staff").get_data(as_text=True)
    # Nor can the school's own admin hand classes to a teacher of another school.
    page = school["admin_client"].post(f"/admin/staff/{teacher_id}/remove", data={"successor": str(stranger.id)},
                                       headers=EN, follow_redirects=True)
    assert db.session.get(Account, teacher_id).removed_at is None and "Choose a teacher of your school" in page.get_data(
        as_text=True)


def test_a_role_change_takes_effect_at_the_next_sign_in(app, school):
    colleague = factories.staff("teacher", "park@school.kr", school=school["teacher"].school)
    park = factories.signed_in_staff(app, "park@school.kr")
    assert park.get("/teach/").status_code == 200
    assert school["admin_client"].post(f"/admin/staff/{colleague.id}/role", data={"role": "admin"}).status_code == 302
    db.session.refresh(colleague)
    assert colleague.role == "admin"
    assert park.get("/teach/").status_code == 302  # signed out: an admin signs in again, with two-step sign-in
    assert school["admin_client"].post(f"/admin/staff/{colleague.id}/role", data={"role": "teacher"}).status_code == 302
    db.session.refresh(colleague)
    assert colleague.role == "teacher"


def test_role_changes_the_rules_refuse(app, school):
    admin, teacher = school["admin"], school["teacher"]
    own = school["admin_client"].post(f"/admin/staff/{admin.id}/role", data={"role": "teacher"}, headers=EN,
                                      follow_redirects=True).get_data(as_text=True)
    assert "cannot change or remove your own account" in own
    # The only teacher of a class does not become an admin (admins do not teach): the class would be orphaned.
    sole = school["admin_client"].post(f"/admin/staff/{teacher.id}/role", data={"role": "admin"}, headers=EN,
                                       follow_redirects=True).get_data(as_text=True)
    assert "only teacher of a class" in sole
    db.session.refresh(teacher)
    db.session.refresh(admin)
    assert (teacher.role, admin.role) == ("teacher", "admin")
    assert school["admin_client"].post(f"/admin/staff/{teacher.id}/role", data={"role": "author"}).status_code == 302
    db.session.refresh(teacher)
    assert teacher.role == "teacher"


def test_removing_a_teacher_moves_their_classes_and_loses_nothing(app, school):
    teacher, classroom = school["teacher"], school["classroom"]
    successor = factories.staff("teacher", "park@school.kr", school=teacher.school)
    old_session = factories.signed_in_staff(app, "kim@school.kr")
    refused = school["admin_client"].post(f"/admin/staff/{teacher.id}/remove", data={}, headers=EN,
                                          follow_redirects=True).get_data(as_text=True)
    assert "Choose a teacher of your school" in refused and db.session.get(Account, teacher.id).removed_at is None
    answer = school["admin_client"].post(f"/admin/staff/{teacher.id}/remove", data={"successor": str(successor.id)})
    assert answer.status_code == 302
    assert [t.email for t in db.session.get(type(classroom), classroom.id).teachers] == ["park@school.kr"]
    assert db.session.scalar(select(func.count()).select_from(Student)
                             .where(Student.classroom_id == classroom.id)) == 2
    assert db.session.scalar(select(func.count()).select_from(Assignment)
                             .where(Assignment.classroom_id == classroom.id)) == 1
    park = factories.signed_in_staff(app, "park@school.kr")
    assert park.get(f"/teach/classes/{classroom.id}/students").status_code == 200
    # The removed account: every session ended, and its password now answers as a wrong one does.
    assert old_session.get("/teach/").status_code == 302
    signin = app.test_client().post("/signin", data={"email": "kim@school.kr", "password": factories.PASSWORD},
                                    headers=EN)
    assert signin.status_code == 401 and "do not match an account" in signin.get_data(as_text=True)
    assert "kim@school.kr" not in school["admin_client"].get("/admin/staff").get_data(as_text=True)
    log = school["admin_client"].get("/admin/audit", headers=EN).get_data(as_text=True)
    assert "Removed a staff member from the school" in log and "Moved a class to another teacher" in log
    assert "Class 2-3, teacher park@school.kr" in log
    korean = school["admin_client"].get("/admin/audit", headers=KO).get_data(as_text=True)
    assert "학교에서 교직원을 내보냄" in korean and "다른 교사에게 학급을 옮김" in korean


def test_co_teachers_have_the_same_rights_on_their_shared_class_and_no_other(app, school):
    teacher, classroom = school["teacher"], school["classroom"]
    counsellor = factories.staff("teacher", "counsellor@school.kr", school=teacher.school)
    kim = factories.signed_in_staff(app, "kim@school.kr")
    other_class = factories.classroom(teacher, name="2-4")
    her_own = factories.classroom(counsellor, name="Care group")
    outsider = factories.teacher("t@elsewhere.kr", school_name="Elsewhere")
    # Only staff of the same school can be added.
    kim.post(f"/teach/classes/{classroom.id}/teachers", data={"account": str(outsider.id)})
    assert db.session.get(ClassTeacher, (classroom.id, outsider.id)) is None
    assert kim.post(f"/teach/classes/{classroom.id}/teachers",
                    data={"account": str(counsellor.id)}).status_code == 302
    care = factories.signed_in_staff(app, "counsellor@school.kr")
    student = school["students"][0]
    for path in ("", "/students", "/assignments", "/progress", "/settings", "/questions"):
        assert care.get(f"/teach/classes/{classroom.id}{path}").status_code in (200, 302), path
    assert care.get(f"/teach/classes/{classroom.id}/students/{student.id}").status_code == 200
    assert care.post(f"/teach/classes/{classroom.id}/students/{student.id}/reset-pin",
                     data={"confirm": "1"}).status_code == 302
    assert care.get(f"/teach/classes/{other_class.id}").status_code == 404  # Kim's other class: not shared
    assert kim.get(f"/teach/classes/{her_own.id}").status_code == 404
    assert "2-3" in care.get("/teach/", headers=EN).get_data(as_text=True)
    # Either can take the other off; the last teacher stays.
    assert care.post(f"/teach/classes/{classroom.id}/teachers/remove",
                     data={"account": str(teacher.id)}).status_code == 302
    assert kim.get(f"/teach/classes/{classroom.id}").status_code == 404
    last = care.post(f"/teach/classes/{classroom.id}/teachers/remove", data={"account": str(counsellor.id)},
                     headers=EN, follow_redirects=True).get_data(as_text=True)
    assert "always keeps at least one teacher" in last
    assert care.get(f"/teach/classes/{classroom.id}").status_code == 200
    log = school["admin_client"].get("/admin/audit", headers=EN).get_data(as_text=True)
    assert "Added a teacher to a class" in log and "Class 2-3, teacher counsellor@school.kr" in log
    assert "Took a teacher off a class" in log and "Class 2-3, teacher kim@school.kr" in log
    korean = school["admin_client"].get("/admin/audit", headers=KO).get_data(as_text=True)
    assert "학급에 교사를 추가함" in korean and "학급에서 교사를 뺌" in korean


def _settings(**changes) -> dict:
    data = {"school_name": "Hana Middle School", "country": "KR", "timezone": "Asia/Seoul", "languages": ["ko", "en"],
            "retention_days": "90", "guardian_consent_required": "y", "guardian_consent_on": "2026-09-01",
            "guardian_consent_method": "paper forms", "first_term": "3", "second_term": "9", "public_url": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_settings_are_saved_and_validated(app, school):
    admin = school["admin_client"]
    assert admin.get("/admin/settings", headers=EN).status_code == 200
    saved = admin.post("/admin/settings", data=_settings(
        school_name="Riverside Academy", country="GB", timezone="Europe/London", languages=["en"],
        retention_days="30", own_terms="y", first_term="9", second_term="12",
        public_url="https://boundaries.riverside.example/"))
    assert saved.status_code == 302
    school_row = school["teacher"].school
    db.session.refresh(school_row)
    assert (school_row.name, school_row.country, school_row.timezone, school_row.languages,
            school_row.retention_days, school_row.term_starts, school_row.public_url) == (
        "Riverside Academy", "GB", "Europe/London", "en", 30, "9,12", "https://boundaries.riverside.example")
    wrong = [{"timezone": "Nowhere/City"}, {"country": "XX"}, {"languages": None}, {"retention_days": "3"},
             {"public_url": "ftp://school.example"}, {"public_url": "http://127.0.0.1:5000"},
             {"public_url": "https://localhost"}, {"public_url": "https://school.example/?next=evil"},
             {"guardian_consent_method": ""}, {"own_terms": "y", "first_term": "9", "second_term": "3"},
             {"first_term": "13", "own_terms": "y"}, {"second_term": "2026-13-45", "own_terms": "y"}]
    for change in wrong:
        assert admin.post("/admin/settings", data=_settings(**change)).status_code == 422, change
    db.session.refresh(school_row)
    assert school_row.name == "Riverside Academy"
    log = admin.get("/admin/audit", headers=EN).get_data(as_text=True)
    assert "Changed the school&#39;s settings" in log or "Changed the school's settings" in log


def test_plain_http_is_for_development_only(app, school, monkeypatch):
    admin = school["admin_client"]
    assert admin.post("/admin/settings", data=_settings(public_url="http://192.168.0.10:5000")).status_code == 302
    monkeypatch.setitem(app.config, "EDU_ENV", "production")
    page = admin.post("/admin/settings", data=_settings(public_url="http://192.168.0.10:5000"), headers=EN)
    assert page.status_code == 422 and "https://" in page.get_data(as_text=True)


def test_the_schools_address_is_the_live_lessons_join_address(app, school, monkeypatch):
    monkeypatch.setitem(app.config, "EDU_PUBLIC_URL", "https://operator.example")
    classroom = school["classroom"]
    kim = factories.signed_in_staff(app, "kim@school.kr")
    lesson = catalog().lessons_for("consent", "ko", region="KR")[0]
    assert kim.post(f"/teach/classes/{classroom.id}/live/start", data={"lesson": lesson.id}).status_code == 302
    projector = kim.get(f"/teach/classes/{classroom.id}/live").get_data(as_text=True)
    assert "https://operator.example/live/" in projector  # the operator's address by default
    school["admin_client"].post("/admin/settings", data=_settings(public_url="https://hana.school.example"))
    projector = kim.get(f"/teach/classes/{classroom.id}/live").get_data(as_text=True)
    assert "https://hana.school.example/live/" in projector and "operator.example" not in projector


def test_the_consent_rule_and_the_languages_reach_the_classes(app, school):
    admin, classroom = school["admin_client"], school["classroom"]
    admin.post("/admin/settings", data=_settings(guardian_consent_on="", guardian_consent_method=""))
    code = classroom.join_code
    refused = app.test_client().post("/join", data={"code": code}, headers=EN)
    assert refused.status_code == 422 and "permission from parents" in refused.get_data(as_text=True)
    admin.post("/admin/settings", data=_settings(guardian_consent_required=None, guardian_consent_on="",
                                                 guardian_consent_method="", languages=["en"]))
    assert app.test_client().post("/join", data={"code": code}, headers=EN).status_code == 200
    kim = factories.signed_in_staff(app, "kim@school.kr")
    form = kim.get("/teach/classes/new", headers=EN).get_data(as_text=True)
    assert 'value="en"' in form and 'value="ko"' not in form.split('id="locale"')[1].split("</select>")[0]


def test_a_uk_school_shows_uk_dates_in_its_time_zone(app, school):
    school["admin_client"].post("/admin/settings", data=_settings(country="GB", timezone="Europe/London"))
    classroom = school["classroom"]
    assignment = db.session.scalar(select(Assignment).where(Assignment.classroom_id == classroom.id))
    kim = factories.signed_in_staff(app, "kim@school.kr")
    kim.post(f"/teach/classes/{classroom.id}/assignments/{assignment.id}", data={"due_on": "2026-12-20"})
    db.session.refresh(assignment)
    assert assignment.due_at.hour == 23  # the end of the day in London (UTC+0 in December), not in Seoul
    page = kim.get(f"/teach/classes/{classroom.id}/assignments", headers=EN).get_data(as_text=True)
    assert "20 Dec 2026" in page and "Dec 20, 2026" not in page


def test_an_admin_sees_counts_never_a_students_page_the_inbox_or_reflections(app, school):
    admin, classroom, student = school["admin_client"], school["classroom"], school["students"][0]
    home = admin.get("/admin/", headers=EN).get_data(as_text=True)
    assert "kim@school.kr" in home and "2-3" in home and "Modules finished" in home
    assert student.pseudonym not in home
    for path in (f"/teach/classes/{classroom.id}/students/{student.id}", f"/teach/classes/{classroom.id}/questions",
                 f"/teach/classes/{classroom.id}/students", f"/teach/classes/{classroom.id}/progress"):
        assert admin.get(path).status_code == 403, path
    staff = admin.get("/admin/staff", headers=EN).get_data(as_text=True)
    assert student.pseudonym not in staff
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "view_student")) == 0
