"""Importing a class list in Chromium on a 360 px phone (issue 42): the teacher uploads a CSV of class numbers from
the students section and gets one card per number, axe clean in both languages; a file with a name column is
refused with its message beside the form."""

from __future__ import annotations

import pytest

from tests.browser import site_tour as tour
from tests.browser.actions import press

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def test_the_teacher_imports_class_numbers_and_prints_cards(browser, live_server, axe, tmp_path):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    tour.sign_in_staff(page, live_server, tour.TEACHER)
    press(page.get_by_role("link", name="Year 10 Blue").first)
    press(page.locator("nav.class-nav a[href$='/students']"))
    problems = tour.check_page(page, axe, "[en] students with the import form", "en")
    refused = tmp_path / "names.csv"
    refused.write_text("Number,Name\n1,Alex\n", encoding="utf-8")
    page.get_by_label("Class list (CSV or OneRoster zip)").set_input_files(str(refused))
    press(page.get_by_role("button", name="Import and print cards"))
    assert page.get_by_text("The column Name looks like a name or contact detail").is_visible()
    problems += tour.check_page(page, axe, "[en] import refused", "en")
    good = tmp_path / "class.csv"
    good.write_text("Class number\n" + "\n".join(f"10B-{n}" for n in range(1, 6)) + "\n", encoding="utf-8")
    page.get_by_label("Class list (CSV or OneRoster zip)").set_input_files(str(good))
    press(page.get_by_role("button", name="Import and print cards"))
    assert page.get_by_role("heading", name="Cards for your class list").is_visible()
    assert page.locator(".login-card").count() == 5 and page.get_by_text("10B-3", exact=True).is_visible()
    problems += tour.check_page(page, axe, "[en] import cards", "en")
    page.goto(live_server + "/")
    page.locator(".language-switch button[value=ko]").click()
    page.goto(page.url.rstrip("/") + "/teach/")
    press(page.get_by_role("link", name="Year 10 Blue").first)
    press(page.locator("nav.class-nav a[href$='/students']"))
    problems += tour.check_page(page, axe, "[ko] students with the import form", "ko")
    assert not problems, "\n".join(problems)
    context.close()
