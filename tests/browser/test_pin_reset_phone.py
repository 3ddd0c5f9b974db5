"""A PIN reset on a 360 px phone, without JavaScript: the teacher reads what it does before confirming, and the
student's home says so afterwards. Both pages fit the screen."""

from __future__ import annotations

import re

import pytest

from tests.browser.actions import press
from tests.browser.site_tour import sign_in_staff

pytestmark = pytest.mark.browser

NOTICE = "notes you wrote before then were removed to keep them private"


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_pin_reset_notice_for_teacher_and_student_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server + "/join")
    page.get_by_label("Class code").fill("DEMEN7")
    press(page.get_by_role("button", name="Join"))
    pseudonym = page.locator(".pseudonym").inner_text()
    context.clear_cookies()

    sign_in_staff(page, live_server, "teacher@demo.boundaries.test")
    press(page.get_by_role("link", name="Year 10 Blue").first)
    press(page.locator("nav.class-nav a[href$='/students']"))
    press(page.get_by_role("link", name=f"New PIN {pseudonym}"))
    assert NOTICE in page.content() and _fits(page)
    press(page.get_by_role("button", name="Yes, give a new PIN"))
    pin = page.locator(".pin").first.inner_text()
    assert re.fullmatch(r"\d{6}", pin)
    context.clear_cookies()

    page.goto(live_server + "/student/signin")
    page.get_by_label("Class code").fill("DEMEN7")
    page.get_by_label("Name").fill(pseudonym)
    page.get_by_label("PIN").fill(pin)
    press(page.get_by_role("button", name="Sign in"))
    page.wait_for_url(re.compile(r".*/learn/$"))
    assert "Your teacher reset your PIN on" in page.content() and NOTICE in page.content()
    assert _fits(page)
    context.close()
