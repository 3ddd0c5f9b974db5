"""The pre-survey on a 360 px phone in Chromium, in both languages, with JavaScript on and off: its knowledge form
and the 0-100 rating selects fit the screen, nothing hides under Quick exit, axe finds no violation, and a rating
chosen without JavaScript reaches the review page."""

from __future__ import annotations

import pytest

from tests.browser.actions import press
from tests.browser.test_student_phone import PHONE, _check
from tests.browser.test_student_phone import axe as axe  # noqa: F401 (the module's fixture)

pytestmark = pytest.mark.browser


def _class_with_pre_survey(browser, live_server, lang: str) -> str:
    """The demo teacher makes a class taught in ``lang`` and assigns the pre-survey; returns the join code."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server + "/signin")
    page.get_by_label("Email").fill("teacher@demo.boundaries.test")
    page.get_by_label("Password").fill("demo-pass-2026")
    press(page.get_by_role("button", name="Sign in"))
    press(page.get_by_role("link", name="Create a class"))
    page.get_by_label("Class name").fill(f"Survey class {lang}")
    page.get_by_label("Language of the lessons").select_option(lang)
    page.get_by_label("Country").select_option("KR")
    press(page.get_by_role("button", name="Create class"))
    code = page.locator(".join-code").inner_text().replace("-", "")
    press(page.locator("nav.class-nav a[href$='/assignments']"))  # the class page's assignments section
    press(page.get_by_role("button", name="Assign the pre-survey"))
    context.close()
    return code


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_pre_survey_with_ratings_fits_a_phone(browser, live_server, axe, lang, javascript):  # noqa: F811
    code = _class_with_pre_survey(browser, live_server, lang)
    context = browser.new_context(viewport=PHONE, locale="ko-KR" if lang == "ko" else "en-GB",
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server + "/join")
    page.locator("input[name=code]").fill(code)
    press(page.locator("main form button[type=submit]"))
    press(page.locator("main a.button").first)  # I have written it down
    press(page.locator("main a[href*='/learn/survey/pre']").first)
    ratings = page.locator("select.rating-select")
    assert ratings.count() == 3 and page.locator("fieldset.question").count() == 29
    problems = _check(page, axe, f"[{lang}] survey", lang, javascript)
    ratings.first.select_option("60")
    press(page.locator("main form button[value=review]"))
    assert ("100 가운데 60" if lang == "ko" else "60 out of 100") in page.content()
    problems += _check(page, axe, f"[{lang}] survey review", lang, javascript)
    context.close()
    assert problems == [], "\n".join(problems)
