"""A student on a 360 px phone: join, a lesson with scenario, check and reflection, the quiz; with and
without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.browser.actions import press, to_next_step

pytestmark = pytest.mark.browser


def _teacher_assigns(browser, live_server) -> str:
    """The demo teacher makes a class with the consent module and the pre-survey; returns the join code."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server + "/signin")
    page.get_by_label("Email").fill("teacher@demo.boundaries.test")
    page.get_by_label("Password").fill("demo-pass-2026")
    press(page.get_by_role("button", name="Sign in"))
    press(page.get_by_role("link", name="Create a class"))
    page.get_by_label("Class name").fill("Browser class")
    page.get_by_label("Language of the lessons").select_option("en")
    page.get_by_label("Country").select_option("KR")
    press(page.get_by_role("button", name="Create class"))
    code = page.locator(".join-code").inner_text().replace("-", "")
    press(page.locator("nav.class-nav a[href$='/assignments']"))  # the class page's assignments section
    page.get_by_label("Module", exact=True).select_option("consent")
    press(page.get_by_role("button", name="Assign", exact=True))
    press(page.get_by_role("button", name="Assign the pre-survey"))
    context.close()
    return code


def _join(page, live_server, code):
    page.goto(live_server + "/join")
    page.get_by_label("Class code").fill(code)
    press(page.get_by_role("button", name="Join"))
    press(page.get_by_role("link", name="I have written it down"))


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_student_journey_on_a_phone(browser, live_server, javascript):
    code = _teacher_assigns(browser, live_server)
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB",
                                  java_script_enabled=javascript)
    page = context.new_page()
    _join(page, live_server, code)
    assert _no_horizontal_scroll(page)
    # The class's pre-survey comes first: answered, checked, then sent.
    press(page.get_by_role("link", name="Open the survey").first)
    assert "Prefer not to answer" in page.content()
    assert _no_horizontal_scroll(page)  # the 0-100 selects fit too
    for fieldset in page.locator("fieldset.question").all():
        if fieldset.locator("select").count():  # a 0-100 rating, without JavaScript
            fieldset.locator("select").select_option("60")
        else:
            fieldset.locator("input").nth(1).check()
    press(page.get_by_role("button", name="Check my answers before sending"))
    assert "Check your answers" in page.content() and _no_horizontal_scroll(page)
    assert "60 out of 100" in page.content()
    press(page.get_by_role("button", name="Send my answers"))
    assert "Your answers are in" in page.content()
    page.goto(live_server + "/learn/")
    press(page.locator(".module-card a").first)  # the first lesson
    seen = {"scenario": False, "check": False, "reflection": False}
    for _ in range(12):
        assert _no_horizontal_scroll(page)
        scenario = page.locator(".block--scenario")
        if scenario.count() and not seen["scenario"]:
            press(scenario.first.locator("button.choice").first)
            assert "You chose:" in page.locator(".block--scenario .feedback").first.inner_text()
            seen["scenario"] = True
        while page.locator(".block--check:not(:has(.feedback))").count():
            press(page.locator(".block--check:not(:has(.feedback))").first.locator("button.choice").first)
            seen["check"] = True
        reflection = page.locator(".block--reflection textarea")
        if reflection.count() and not seen["reflection"]:
            reflection.first.fill("A private thought")
            press(page.locator(".block--reflection button").first)
            seen["reflection"] = True
        finish = page.get_by_role("button", name="Finish lesson")
        if finish.count():
            press(finish)
            break
        to_next_step(page, lambda: press(page.get_by_role("link", name="Next")))
    assert all(seen.values()), seen
    assert page.url.endswith("/learn/")
    assert "Lesson finished" in page.content()

    press(page.locator("a[href*='/learn/quiz/']").first)
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator("input").first.check()
    if javascript:  # saved as the student goes: every question shows "Saved" before anything is submitted
        from playwright.sync_api import expect

        for status in page.locator("fieldset.question .save-status").all():
            expect(status).to_contain_text("Saved")
    press(page.get_by_role("button", name="Submit answers"))
    assert re.search(r"You got \d+ out of \d+", page.content())

    context.close()
