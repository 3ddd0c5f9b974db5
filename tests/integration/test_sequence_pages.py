"""The scope and sequence in the app: the page for staff (both languages, printable), and a class's "this year's
sequence" assigned in one step (the right modules for the class's band and country, idempotent, audited)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from markupsafe import escape
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import Assignment, AuditEvent
from edu.teach import services as teach
from edu.teach.sequence_assign import schedule
from tests import factories


def _plan(band: str, locale: str, region: str):
    from edu.content.sequence import plan_band

    return plan_band(catalog(), catalog().sequence, band, locale, region)


@pytest.mark.parametrize(("language", "words"), [("en", ("Scope and sequence", "Year 1", "Middle school")),
                                                 ("ko", ("연간 지도 계획", "1년 차", "중학교"))])
@pytest.mark.parametrize("role", ["teacher", "admin", "author"])
def test_staff_see_every_band_with_its_years_and_hours(app, ctx, language, words, role):
    owner = factories.teacher("owner@school.kr")
    factories.staff(role, f"{role}-x@school.kr", school=owner.school) if role != "teacher" else None
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr" if role == "teacher" else f"{role}-x@school.kr")
    html = client.get("/sequence", headers={"Accept-Language": language}).get_data(as_text=True)
    assert all(word in html for word in words), html[:2000]
    for band in ("middle", "high", "university"):
        for year in _plan(band, language, "KR"):
            section = re.search(rf'data-band="{band}".*?</section>\s*(?:<p class="meta">.*?</p>\s*)?</section>',
                                html, re.S).group(0)
            total = re.search(rf'data-year="{year.year}".*?data-minutes="(\d+)"', section, re.S)
            assert total and int(total.group(1)) == year.class_minutes >= 360
            for planned in year.modules:
                assert str(escape(planned.module.title[language])) in section
                assert all(str(escape(lesson.title)) in section for lesson in planned.lessons)
    kr_law = catalog().lessons_for("law", language, region="KR")[0].title
    intl_law = catalog().lessons_for("law", language, region="INTL")[0].title
    kr_law, intl_law = str(escape(kr_law)), str(escape(intl_law))
    assert kr_law in html and intl_law not in html
    other = client.get("/sequence?country=INTL", headers={"Accept-Language": language}).get_data(as_text=True)
    assert intl_law in other and kr_law not in other
    only = client.get("/sequence?band=high", headers={"Accept-Language": language}).get_data(as_text=True)
    assert 'data-band="high"' in only and 'data-band="middle"' not in only


def test_students_are_refused_and_strangers_sent_to_sign_in(app, ctx):
    owner = factories.teacher("owner@school.kr")
    classroom = factories.classroom(owner)
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    assert client.get("/sequence").status_code == 403
    assert client.get(f"/teach/classes/{classroom.id}/sequence").status_code == 403
    assert client.post(f"/teach/classes/{classroom.id}/sequence", data={"year": "1"}).status_code in (400, 403)
    response = app.test_client().get("/sequence")
    assert response.status_code == 302 and "signin" in response.headers["Location"]


def test_the_schedule_opens_modules_one_after_another():
    start = date(2027, 3, 2)
    assert [(s.opens_on, s.due_on) for s in schedule(["a", "b", "c"], start, 2)] == [
        (date(2027, 3, 2), date(2027, 3, 15)), (date(2027, 3, 16), date(2027, 3, 29)),
        (date(2027, 3, 30), date(2027, 4, 12))]
    assert [(s.opens_on, s.due_on) for s in schedule(["a", "b"], start, 0)] == [(start, None), (start, None)]


@pytest.mark.parametrize(("band", "country", "year"), [("middle", "KR", 1), ("high", "US", 2), ("university", "KR", 1)])
def test_a_teacher_assigns_a_year_in_one_step_and_again_changes_nothing(app, ctx, band, country, year):
    owner = factories.teacher("owner@school.kr")
    classroom = factories.classroom(owner, locale="en", age_band=band, country=country)
    classroom_id, region = classroom.id, classroom.region
    planned = next(y for y in _plan(band, "en", region) if y.year == year)
    wanted = [m.module.id for m in planned.modules]
    teach.assign(classroom, "module", wanted[1], date(2027, 1, 4), date(2027, 1, 8))  # already there
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    page = client.get(f"/teach/classes/{classroom_id}/sequence", headers={"Accept-Language": "en"})
    assert page.status_code == 200 and "Already assigned" in page.get_data(as_text=True)
    form = {"year": str(year), "start_on": "2027-03-02", "spacing": "1"}
    response = client.post(f"/teach/classes/{classroom_id}/sequence", data=form, headers={"Accept-Language": "en"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/assignments")
    summary = client.get(response.headers["Location"], headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"Year {year} of the sequence: {len(wanted) - 1} modules assigned" in summary
    assert "1 module was already assigned and keeps its dates" in summary
    rows = {a.target_id: a for a in db.session.scalars(
        select(Assignment).where(Assignment.classroom_id == classroom_id, Assignment.kind == "module"))}
    assert set(rows) == set(wanted)
    new = [m for m in wanted if m != wanted[1]]
    opens = [rows[m].opens_at for m in new]
    assert opens == sorted(opens) and len(set(opens)) == len(new)  # one after another, in the file's order
    assert all(rows[m].due_at < rows[n].opens_at for m, n in zip(new, new[1:], strict=False))
    assert rows[wanted[1]].opens_at.date() <= date(2027, 1, 4)  # the module already there keeps its dates
    events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "assign_sequence")))
    assert [e.target for e in events] == [f"classroom:{classroom_id}:sequence:{band}:{year}:{len(new)}"]
    again = client.post(f"/teach/classes/{classroom_id}/sequence", data=form, headers={"Accept-Language": "en"})
    assert again.status_code == 302
    assert "nothing new to assign" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert db.session.query(Assignment).filter_by(classroom_id=classroom_id, kind="module").count() == len(wanted)
    assert db.session.query(AuditEvent).filter_by(action="assign_sequence").count() == 1  # nothing new: no entry


def test_wrong_input_is_refused_and_other_teachers_classes_do_not_exist(app, ctx):
    owner = factories.teacher("owner@school.kr")
    classroom = factories.classroom(owner, age_band="university")
    factories.teacher("other@school.kr", school_name="Elsewhere")
    classroom_id = classroom.id
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    for bad in ({"year": "2", "start_on": "2027-03-02", "spacing": "1"},  # university has one year
                {"year": "1", "start_on": "", "spacing": "1"}, {"year": "1", "start_on": "2027-03-02", "spacing": "9"}):
        response = client.post(f"/teach/classes/{classroom_id}/sequence", data=bad)
        assert response.status_code == 422, bad
    other = app.test_client()
    factories.sign_in_staff(other, "other@school.kr")
    assert other.get(f"/teach/classes/{classroom_id}/sequence").status_code == 404
    good = {"year": "1", "start_on": "2027-03-02", "spacing": "0"}
    assert other.post(f"/teach/classes/{classroom_id}/sequence", data=good).status_code == 404
    assert db.session.query(Assignment).filter_by(classroom_id=classroom_id).count() == 0


@pytest.mark.parametrize(("language", "words"), [("en", "year 1 of the middle school sequence (5 modules assigned)"),
                                                 ("ko", "중학교 연간 지도 계획 1년 차 (모듈 5개 배정)")])
def test_the_audit_log_says_it_in_words(app, ctx, language, words):
    owner = factories.teacher("owner@school.kr")
    classroom = factories.classroom(owner, name="2-3")
    factories.staff("admin", "admin@school.kr", school=owner.school)
    classroom_id = classroom.id
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    client.post(f"/teach/classes/{classroom_id}/sequence",
                data={"year": "1", "start_on": "2027-03-02", "spacing": "0"})
    admin = app.test_client()
    factories.sign_in_staff(admin, "admin@school.kr")
    html = admin.get("/admin/audit", headers={"Accept-Language": language}).get_data(as_text=True)
    assert words in html and "owner@school.kr" in html
    assert not re.search(r"classroom:\d", html)


@pytest.mark.parametrize(("country", "region"), [("KR", "KR"), ("GB", "INTL")])
def test_a_class_sees_the_law_lessons_of_its_own_country(app, ctx, country, region):
    owner = factories.teacher("owner@school.kr")
    classroom = factories.classroom(owner, locale="en", age_band="middle", country=country)
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    html = client.get(f"/teach/classes/{classroom.id}/sequence", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    ours = catalog().lessons_for("law", "en", region=region, band="middle")
    theirs = [ls for ls in catalog().lessons_for("law", "en", region=None) if ls not in ours]
    assert ours and theirs
    assert all(str(escape(ls.title)) in html for ls in ours)
    assert not any(str(escape(ls.title)) in html for ls in theirs)
