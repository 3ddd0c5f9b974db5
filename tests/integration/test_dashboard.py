"""The teacher's dashboard: due this week, overdue students, flagged questions first, talk requests, polls,
completion per class and module; only the teacher's own classes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from edu.content_service import catalog
from edu.extensions import db
from edu.models import utcnow
from edu.safeguarding import services as safeguarding
from edu.teach import services as teach
from tests import factories


@pytest.fixture
def day(app, ctx):
    teacher = factories.teacher("day@school.kr")
    calm = factories.classroom(teacher, name="Calm class", locale="en", age_band="high")
    busy = factories.classroom(teacher, name="Busy class", locale="en", age_band="high")
    soon = (utcnow() + timedelta(days=3)).date()
    past = (utcnow() - timedelta(days=3)).date()
    teach.assign(calm, "module", "consent", None, soon)
    teach.assign(busy, "module", "consent", None, past)
    student, _pin = factories.student(busy)
    safeguarding.ask(busy, "a worried question", flagged=True)
    safeguarding.ask(busy, "an ordinary question", flagged=False)
    safeguarding.request_talk(student)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "day@school.kr")
    return client, calm, busy, student


def test_the_dashboard_shows_due_overdue_flagged_and_talk_requests(day):
    client, calm, busy, student = day
    html = client.get("/teach/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    title = catalog().module("consent").title["en"]
    due = html[html.index('id="due-heading"'):html.index("</section>", html.index('id="due-heading"'))]
    assert title in due and "Calm class" in due and "Busy class" not in due  # past due is not "due this week"
    assert "1 new question may be a disclosure" in html and "1 new anonymous question" in html
    assert "1 student has overdue work" in html
    assert html.index("Busy class") < html.index(f'<a href="/teach/classes/{calm.id}">Calm class')  # flagged first
    assert student.pseudonym in html  # the talk request, at the top
    assert f"{title}: 0% finished (0 of 1)" in html


def test_the_dashboard_shows_only_the_teachers_own_classes(app, day):
    _client, _calm, busy, _student = day
    factories.teacher("other@school.kr", school_name="Elsewhere")
    other = app.test_client()
    factories.sign_in_staff(other, "other@school.kr")
    html = other.get("/teach/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Busy class" not in html and "disclosure" not in html
    factories.staff("admin", "admin@school.kr", school=busy.school)
    admin = app.test_client()
    factories.sign_in_staff(admin, "admin@school.kr")
    assert admin.get("/teach/").status_code == 403
    _s, student_client = factories.signed_in_student(app, busy)
    assert student_client.get("/teach/").status_code == 403
