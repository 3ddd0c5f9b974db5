"""Signing in with a school account on a 360 px phone, against a real OpenID Connect provider on localhost
(tests/oidc_provider.py): the admin sets the provider up, the teacher links their account after a password
sign-in, then signs in through the provider alone. Every page of the journey is axe-clean and fits the screen."""

from __future__ import annotations

import re

import pytest

from tests.browser import site_tour as tour
from tests.browser.actions import press
from tests.oidc_provider import Provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def test_a_teacher_links_a_school_account_then_signs_in_with_it(browser, live_server, axe):
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()

    def check(label: str) -> None:
        problems.extend(tour.check_page(page, axe, label, "en"))

    with Provider(redirect_uris=(live_server + "/signin/school/return",)) as provider:
        provider.user = {"sub": "demo-teacher-1", "email": tour.TEACHER, "email_verified": True}
        tour.sign_in_staff(page, live_server, tour.ADMIN)
        tour.set_language(page, "en")
        page.goto(live_server + "/admin/sign-in/")
        check("admin sign-in settings")
        page.get_by_label("Name on the sign-in button").fill("Demo School account")
        page.get_by_label("Issuer URL").fill(provider.issuer)
        page.get_by_label("Client ID").fill(provider.client_id)
        page.get_by_label("Client secret").fill(provider.client_secret)
        page.get_by_label("Allowed email domains").fill("demo.boundaries.test")
        press(page.get_by_role("button", name="Save provider"))
        assert "Demo School account" in page.content() and provider.client_secret not in page.content()
        check("admin sign-in settings (saved)")
        tour.sign_out(page)

        tour.sign_in_staff(page, live_server, tour.TEACHER)
        tour.set_language(page, "en")  # an earlier test on this shared server may have left the teacher in Korean
        page.goto(live_server + "/account/security")
        press(page.get_by_role("link", name="Sign in with your school account"))
        check("account: school sign-in")
        page.get_by_label("Current password").fill(tour.DEMO_PASSWORD)
        press(page.get_by_role("button", name="Link Demo School account"))
        # The same address before and after the trip to the provider: wait for what only the result says.
        page.get_by_text("Your school account is linked").wait_for()
        assert "Unlink Demo School account" in page.content()
        check("account: school sign-in (linked)")
        tour.sign_out(page)

        page.goto(live_server + "/signin")
        tour.set_language(page, "en")
        press(page.get_by_role("link", name="Sign in with your school account"))
        check("sign in with the school account")
        page.get_by_label("Your school email address").fill(tour.TEACHER)
        press(page.get_by_role("button", name="Continue"))
        page.wait_for_url(re.compile(r".*/teach/$"))
        assert provider.token_requests == 2  # linking, then signing in: each code traded at the token endpoint
    context.close()
    assert not problems, "\n".join(problems)
