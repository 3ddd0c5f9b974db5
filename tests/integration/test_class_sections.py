"""The class page in sections a teacher reaches directly, and dates as the school reads them."""

from __future__ import annotations

import re
from datetime import date

import pytest

from edu.extensions import db
from edu.teach import services as teach
from tests import factories

SECTIONS = ("", "/students", "/assignments", "/progress", "/outcomes", "/questions", "/settings")


@pytest.fixture
def uk_class(app, ctx):
    teacher = factories.teacher("uk@school.test")
    teacher.school.country, teacher.school.timezone = "GB", "Europe/London"
    classroom = factories.classroom(teacher, locale="en", country="GB", age_band="high")
    teach.assign(classroom, "module", "consent", date(2026, 12, 1), date(2026, 12, 12))
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "uk@school.test")
    return client, classroom


def test_every_section_has_its_own_address_and_the_same_navigation(uk_class):
    client, classroom = uk_class
    base = f"/teach/classes/{classroom.id}"
    for path in SECTIONS:
        html = client.get(base + path, headers={"Accept-Language": "en"}).get_data(as_text=True)
        nav = re.search(r'<nav class="tabs class-nav".*?</nav>', html, re.S).group(0)
        assert all(f'href="{base}{other}"' in nav for other in SECTIONS), path
        assert nav.count('aria-current="page"') == 1, path


def test_other_teachers_students_and_admins_are_refused_every_section(app, uk_class):
    _client, classroom = uk_class
    factories.teacher("other@school.test", school_name="Elsewhere")
    other = app.test_client()
    factories.sign_in_staff(other, "other@school.test")
    factories.staff("admin", "admin@school.test", school=classroom.school)
    admin = app.test_client()
    factories.sign_in_staff(admin, "admin@school.test")
    _student, student_client = factories.signed_in_student(app, classroom)
    for path in SECTIONS:
        url = f"/teach/classes/{classroom.id}{path}"
        assert other.get(url).status_code == 404, url
        assert admin.get(url).status_code == 403, url
        assert student_client.get(url).status_code == 403, url


def test_dates_follow_the_school_locale_and_time_zone_without_seconds(uk_class):
    client, classroom = uk_class
    html = client.get(f"/teach/classes/{classroom.id}/assignments",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Opens 1 Dec 2026 00:00" in html and "Due 12 Dec 2026 23:59" in html  # a UK school, UK dates
    assert not re.search(r"\d:\d\d:\d\d", html)  # no seconds anywhere
    korean = client.get(f"/teach/classes/{classroom.id}/assignments",
                        headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "2026. 12. 12. 오후 11:59" in korean  # Korean words, the school's (UK) time zone


def test_week_codes_read_as_dates(app):
    from edu.dates import week_start

    assert week_start("2026-W49") == date(2026, 11, 30)
    assert week_start("not a week") is None


def test_the_progress_grid_sorts_filters_and_shows_percentages(uk_class):
    client, classroom = uk_class
    factories.student(classroom)
    base = f"/teach/classes/{classroom.id}/progress"
    html = client.get(base + "?sort=least_done&show=behind", headers={"Accept-Language": "en"}).get_data(True)
    assert "0% finished (0 of 1)" in html and "Students done" in html and "0%" in html
    assert '<option value="least_done" selected>' in html
    done_only = client.get(base + "?show=done", headers={"Accept-Language": "en"}).get_data(True)
    assert "1 student is not shown by this filter." in done_only


def test_the_question_inbox_counts_days_in_the_schools_time_zone(uk_class):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from edu.safeguarding import services as safeguarding

    _client, classroom = uk_class
    classroom.school.timezone = "Pacific/Kiritimati"  # UTC+14: its day is often not the server's
    question = safeguarding.ask(classroom, "a question", flagged=False)
    assert question.created_on == datetime.now(ZoneInfo("Pacific/Kiritimati")).date()
