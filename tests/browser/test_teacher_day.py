"""The teacher's day in Chromium: PIN pages that survive a reload and a language switch, the dashboard with a due,
an overdue and a flagged item, the class page in sections at 360 px, and axe clean in both languages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.browser import site_tour as tour
from tests.browser.actions import create_class, press, student_on_phone
from tests.browser.school_setup import school_with_teacher

pytestmark = pytest.mark.browser
PIN = re.compile(r"\d{6}")


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _new_class(page, base: str, name: str) -> str:
    return create_class(page, base, name)


def _add_students(page, class_url: str, count: int) -> list[tuple[str, str]]:
    page.goto(class_url + "/students")
    page.get_by_label("How many students to add").fill(str(count))
    press(page.get_by_role("button", name="Add students and print login cards"))
    assert "/pins/" in page.url
    cards = page.locator(".login-card")
    return [(cards.nth(i).locator(".pseudonym").inner_text(), cards.nth(i).locator(".pin").inner_text())
            for i in range(cards.count())]


def _assign(page, class_url: str, due: str) -> None:
    page.goto(class_url + "/assignments")
    page.get_by_label("Module", exact=True).select_option("consent")
    page.get_by_label("Due on (optional)").fill(due)
    press(page.get_by_role("button", name="Assign", exact=True))


def test_the_teachers_day(browser, live_server, axe):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    teacher = context.new_page()
    school_with_teacher(browser, live_server, teacher, "day-teacher@school.uk", "Day School")
    tour.set_language(teacher, "en")
    today = datetime.now(UTC).date()

    # The PIN sheet: a reload and a language switch show the same cards and add nobody.
    soon_url = _new_class(teacher, live_server, "Day class")
    cards = _add_students(teacher, soon_url, 2)
    sheet = teacher.url
    teacher.reload()
    assert [c.inner_text() for c in teacher.locator(".login-card .pin").all()] == [pin for _n, pin in cards]
    tour.set_language(teacher, "ko")
    assert teacher.url == sheet
    assert [c.inner_text() for c in teacher.locator(".login-card .pin").all()] == [pin for _n, pin in cards]
    problems = tour.check_page(teacher, axe, "[ko] PIN sheet", "ko")
    tour.set_language(teacher, "en")
    problems += tour.check_page(teacher, axe, "[en] PIN sheet", "en")
    teacher.goto(soon_url + "/students")
    assert teacher.locator("tbody tr").count() == 2  # the reloads added nobody
    _assign(teacher, soon_url, (today + timedelta(days=3)).isoformat())

    # An overdue class whose student asks a question that may be a disclosure.
    late_url = _new_class(teacher, live_server, "Late class")
    [(name, pin)] = _add_students(teacher, late_url, 1)
    _assign(teacher, late_url, (today - timedelta(days=2)).isoformat())
    teacher.goto(late_url + "/students")
    code = teacher.locator(".join-code").inner_text().replace("-", "")
    student_context, student = student_on_phone(browser, live_server, code, name, pin)
    student.goto(live_server + "/learn/ask")
    student.locator("textarea").fill("Someone made a fake of me, what do I do?")
    press(student.get_by_role("button", name="Send anonymously"))
    student_context.close()

    teacher.goto(live_server + "/teach/")
    due = teacher.locator("section", has=teacher.locator("#due-heading")).inner_text()
    assert "Day class" in due and "Late class" not in due
    main = teacher.locator("main").inner_text()
    assert "1 student has overdue work" in main and "1 new question may be a disclosure" in main
    assert teacher.locator(".card-list > li h2").all_inner_texts()[:2] == ["Late class", "Day class"]  # flagged first

    # The class page on a phone, section by section, in both languages.
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB",
                                storage_state=context.storage_state())
    page = phone.new_page()
    for lang in tour.LANGUAGES:
        page.goto(live_server + "/teach/")
        tour.set_language(page, lang)
        problems += tour.check_page(page, axe, f"[{lang}] dashboard", lang)
        for section in ("", "/students", "/assignments", "/assignments/behind", "/progress", "/outcomes",
                        "/questions", "/settings"):
            page.goto(late_url + section)
            assert page.locator("nav.class-nav a").count() == 7
            problems += tour.check_page(page, axe, f"[{lang}] {section or 'overview'} at 360 px", lang)
        page.goto(late_url + "/assignments")
        press(page.locator("main a[href*='/assignments/']:not([href*='behind'])").first)
        problems += tour.check_page(page, axe, f"[{lang}] assignment at 360 px", lang)
    assert not problems, "\n".join(problems)
    phone.close()
    context.close()
