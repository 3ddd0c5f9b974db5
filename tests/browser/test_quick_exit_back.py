"""Quick exit in Chromium leaves nothing behind: after it, Back shows the sign-in page, not the student's lessons."""

from __future__ import annotations

import re

import pytest

from tests.browser.actions import press

pytestmark = pytest.mark.browser


def _student_on_home(page, live_server) -> None:
    """A new student of the demo's English class (earlier tests may have changed the demo student's language)."""
    page.goto(live_server + "/join")
    page.get_by_label("Class code").fill("DEMEN7")
    press(page.get_by_role("button", name="Join"))
    press(page.get_by_role("link", name="I have written it down"))
    page.wait_for_url(re.compile(r".*/learn/$"))
    assert page.get_by_role("heading", name="Your lessons").is_visible()


@pytest.mark.parametrize("how", ["button", "shift"])
def test_back_after_quick_exit_shows_the_sign_in_page(live_server, neutral_site, phone, how):
    page = phone.new_page()
    _student_on_home(page, live_server)
    press(page.get_by_role("link", name="Get help").first)  # one more page, so Back has a student page to find
    if how == "button":
        page.locator("#quick-exit").click()
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(neutral_site)
    assert [c for c in phone.cookies() if c["name"] == "session"] == []  # the session cookie is gone
    page.go_back()
    page.wait_for_load_state()
    assert "/learn/" not in page.url or "signin" in page.url
    assert page.get_by_role("heading", name="Your lessons").count() == 0
    assert page.get_by_label("PIN").is_visible()  # the sign-in page


def test_quick_exit_without_javascript_is_a_plain_link_and_ends_the_session(browser, live_server, neutral_site):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    _student_on_home(page, live_server)
    press(page.locator("#quick-exit"))
    page.wait_for_url(neutral_site)
    assert [c for c in context.cookies() if c["name"] == "session"] == []
    page.go_back()  # without JavaScript the link adds a history entry: Back finds the page before, signed out
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Your lessons").count() == 0
    assert page.get_by_label("PIN").is_visible()
    context.close()
