"""A lesson's steps without page loads (static/js/lesson.js), on a 360 px phone: after the first "Next" the steps
are swapped in place, each as its own page shows it; the address, the title and the focus follow; Back and
Forward move between steps; axe finds nothing on a swapped-in step; and where the student got to is kept when
they leave, so the lessons page and "Continue" know it."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.browser import site_tour as tour
from tests.browser.actions import press, to_next_step

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _new_student(page, base: str) -> None:
    """Join the English demo class as a new student (nothing done yet), skip the pre-survey, land on the lessons."""
    page.goto(base + "/join")
    page.locator("input[name=code]").fill("DEMEN7")
    press(page.locator("main form button[type=submit]"))
    press(page.locator("main a.button"))  # I have written it down
    press(page.locator("main a[href*='/learn/survey/pre']"))
    press(page.locator("main form button[value=skip]"))
    press(page.locator("main a.button"))
    assert page.url.endswith("/learn/")


def _step_facts(page) -> dict:
    return page.evaluate("""() => ({
      step: document.querySelector('.lesson-player').dataset.step,
      heading: document.querySelector('#step-title').innerText,
      blocks: [...document.querySelectorAll('article.lesson [id^="block-"]')].map(b => b.id),
      title: document.title,
    })""")


def test_steps_switch_in_place_and_the_place_is_kept(browser, live_server, axe):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    try:
        _new_student(page, live_server)
        lesson = page.locator(".module-card a[href*='/learn/lesson/']").first.get_attribute("href").split("?")[0]
        page.goto(f"{live_server}{lesson}?step=1")  # the server records step 1, and nothing after it
        page.evaluate("window.__samePage = true")
        swapped = {}
        for number in (2, 3):
            to_next_step(page, lambda: page.get_by_role("link", name="Next").click())
            assert page.url.endswith(f"{lesson}?step={number}")
            assert page.evaluate("document.activeElement.id") == "step-title"
            swapped[number] = _step_facts(page)
        assert page.evaluate("window.__samePage === true"), "a step was loaded as a new page"
        assert not tour.check_page(page, axe, "swapped-in step 3", "en")
        page.go_back()
        expect(page.locator(".lesson-player")).to_have_attribute("data-step", "2")
        assert _step_facts(page) == swapped[2] and page.url.endswith("?step=2")
        page.go_forward()
        expect(page.locator(".lesson-player")).to_have_attribute("data-step", "3")
        assert page.evaluate("window.__samePage === true")
        for lang in ("ko", "en"):  # the language switch comes back to the step the student is on
            press(page.locator(f"form.language-switch button[value={lang}]"))
            assert page.url.endswith(f"{lesson}?step=3") and _step_facts(page)["step"] == "3"

        press(page.locator(".lesson .breadcrumb a"))  # Back to the lessons: the place is sent as the page goes
        card = page.locator(f".module-card:has(a[href^='{lesson}'])").first
        for _ in range(40):  # the place travels beside the next page's request: it may land just after it
            if "Step 3 of" in card.inner_text():
                break
            time.sleep(0.25)
            page.reload()
        assert "Step 3 of" in card.inner_text()
        press(page.locator(f"main a.button[href^='{lesson}']").first)  # Continue
        assert _step_facts(page) == swapped[3]  # the server's own page of step 3, as it was swapped in
        page.goto(f"{live_server}{lesson}?step=2")
        assert _step_facts(page) == swapped[2]
    finally:
        context.close()


def test_a_long_read_without_requests_sends_the_place_and_is_not_idle(browser, live_server):
    """Moving through steps for more than ten minutes without a request sends the place then (so the session does
    not end as idle mid-lesson); before that, moving sends nothing."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    try:
        page.clock.install()
        _new_student(page, live_server)
        lesson = page.locator(".module-card a[href*='/learn/lesson/']").first.get_attribute("href").split("?")[0]
        page.goto(f"{live_server}{lesson}?step=1")
        sent = []
        page.on("request", lambda request: sent.append(request.url) if request.url.endswith("/progress") else None)
        to_next_step(page, lambda: page.get_by_role("link", name="Next").click())
        page.clock.fast_forward("05:00")
        to_next_step(page, lambda: page.get_by_role("link", name="Next").click())
        assert sent == []
        page.clock.fast_forward("06:00")  # eleven minutes since the server last heard from this page
        with page.expect_request(lambda request: request.url.endswith(f"{lesson}/progress")):
            to_next_step(page, lambda: page.get_by_role("link", name="Next").click())
    finally:
        context.close()


def test_a_quick_exit_sends_nothing_and_leaves_no_cookie(browser, live_server, neutral_site, tmp_path_factory):
    """Leaving by quick exit after moving through steps in place sends no place: it would reach the server after
    /exit ended the session. A request sent while the page unloads is not shown to Playwright, so the server's
    own request log (the live server's, tests/browser/conftest.py) is read."""
    log = next(tmp_path_factory.getbasetemp().glob("live-instance*/server.log"))

    def places_received() -> int:
        return log.read_text("utf-8").count('"endpoint": "learn.lesson_progress"')

    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    try:
        _new_student(page, live_server)
        lesson = page.locator(".module-card a[href*='/learn/lesson/']").first.get_attribute("href").split("?")[0]
        page.goto(f"{live_server}{lesson}?step=1")
        to_next_step(page, lambda: page.get_by_role("link", name="Next").click())
        before = places_received()
        page.locator("#quick-exit").click()
        page.wait_for_url(neutral_site + "**")
        assert [c for c in context.cookies() if c["name"] == "session"] == []
        for _ in range(20):  # a place sent on leaving would be logged within moments; none must come
            assert places_received() == before
            time.sleep(0.1)
    finally:
        context.close()
