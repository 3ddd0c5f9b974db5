"""Chromium at 360 px: the scope and sequence page for staff and a class's "this year's sequence", axe-clean in
Korean and English; the teacher assigns year 1 in one step; the page prints without the site's chrome."""

from __future__ import annotations

import pytest

from tests.browser import site_tour as tour
from tests.browser.actions import create_class, press
from tests.browser.school_setup import school_with_teacher

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def test_the_sequence_pages_on_a_phone_in_both_languages(browser, live_server, axe):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    base = live_server
    school_with_teacher(browser, base, page, "sequence-teacher@school.kr", "Sequence School")
    class_url = create_class(page, base, "Sequence 1-2", locale="ko", country="KR", band="middle")
    class_url = class_url.split("?")[0].rstrip("/")

    problems: list[str] = []
    for lang in tour.LANGUAGES:
        tour.set_language(page, lang)
        page.goto(base + "/sequence")
        problems += tour.check_page(page, axe, f"[{lang}] /sequence", lang)
        assert page.locator("[data-band]").count() == 3
        page.goto(base + "/sequence?band=high&country=INTL")
        problems += tour.check_page(page, axe, f"[{lang}] /sequence?band=high&country=INTL", lang)
        page.goto(class_url + "/sequence")
        problems += tour.check_page(page, axe, f"[{lang}] class sequence", lang)
        page.locator("input[name=start_on]").fill("")
        press(page.locator("main form button[type=submit]").last)  # no date: refused, with the form's errors
        assert page.locator(".field-error").count() == 1
        problems += tour.check_page(page, axe, f"[{lang}] class sequence (errors)", lang)
    assert problems == [], "\n".join(problems)

    # One step from the assignments section: year 1, a start date, one module a week.
    tour.set_language(page, "en")
    page.goto(class_url + "/assignments")
    press(page.get_by_role("link", name="Assign this year's sequence in one step"))
    year_one = page.locator("section[data-year='1'] [data-module]").evaluate_all(
        "els => els.map(e => e.dataset.module)")
    assert year_one[:2] == ["consent", "deepfakes"]
    page.get_by_label("Which year").select_option("1")
    page.get_by_label("The first module opens on").fill("2027-03-02")
    page.get_by_label("Weeks between modules").fill("1")
    press(page.get_by_role("button", name="Assign this year"))
    assert page.url.endswith("/assignments")
    flashes = page.locator(".flash").all_inner_texts()
    assert any(f"Year 1 of the sequence: {len(year_one)} modules assigned" in text for text in flashes), flashes
    assert page.locator(".assignment").count() == len(year_one)
    problems = tour.check_page(page, axe, "[en] assignments after the sequence", "en")
    page.goto(class_url + "/sequence")
    assert page.locator("section[data-year='1'] .tag").count() == len(year_one)  # each marked already assigned
    assert problems == [], "\n".join(problems)

    # Printed: the site's header, the quick exit and the country form stay off the paper.
    page.goto(base + "/sequence?band=middle")
    page.emulate_media(media="print")
    assert page.locator(".quick-exit").is_hidden() and page.locator("main form").is_hidden()
    assert page.locator(".sequence-module").first.is_visible()
    page.emulate_media(media="screen")
    context.close()
