"""LTI 1.3 in Chromium, with a test LMS on localhost (tests/lti_platform.py: its own keys, JWKS, authorisation
endpoint and deep-linking return): the admin registers it, a teacher picks a module through deep linking and the
LMS receives the signed link, a student launches into the lesson in a new window; launched inside the LMS's
frame, the tool offers a new window. Every page on a 360 px phone, axe-clean; the teacher's LTI pages in
English and Korean (the admin's page is in the accessibility tour, in both)."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlencode

import jwt
import pytest

from tests.browser import site_tour as tour
from tests.lti_platform import CLIENT_ID, DEPLOYMENT, INSTRUCTOR, ISSUER, Platform

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


@pytest.fixture
def lms():
    platform = Platform()
    yield platform
    platform.close()


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def login_url(base: str, hint: str) -> str:
    """Where the LMS sends the browser to start a launch (third-party initiated login)."""
    return base + "/lti/login?" + urlencode({"iss": ISSUER, "login_hint": hint, "client_id": CLIENT_ID,
                                             "lti_deployment_id": DEPLOYMENT, "target_link_uri": base + "/lti/launch"})


def _in_both_languages(page, axe, label: str) -> list[str]:
    """The page checked in English, then in Korean (the header's language switch), and back to English."""
    problems = tour.check_page(page, axe, label + " (en)", "en")
    tour.set_language(page, "ko")
    problems += tour.check_page(page, axe, label + " (ko)", "ko")
    tour.set_language(page, "en")
    return problems


def _context(browser):
    return browser.new_context(viewport=PHONE, locale="en-GB")


def test_register_deep_link_and_launch(browser, live_server, lms, axe):
    base, problems = live_server, []
    registration = dict(lms.registration(), auth_login_url=lms.address + "/auth")
    lms.users = {"teacher": {"roles": (INSTRUCTOR,), "deep_link": True, "sub": "lms-teacher-1",
                             "context": "course-journey", "return_url": lms.address + "/deep_link_return"},
                 "student-1": {"sub": "lms-student-1", "context": "course-journey", "module": "consent"},
                 "student-2": {"sub": "lms-student-2", "context": "course-journey", "module": "consent"}}

    admin = _context(browser)
    page = admin.new_page()
    tour.sign_in_staff(page, base, tour.ADMIN)
    tour.set_language(page, "en")
    page.goto(base + "/admin/lti/")
    for name, value in registration.items():
        page.locator(f"[name={name}]").fill(value)
    problems += tour.check_page(page, axe, "admin LTI page", "en")
    page.get_by_role("button", name="Save the registration").click()
    page.wait_for_url("**/admin/lti/")
    assert CLIENT_ID in page.locator("main").inner_text()
    admin.close()

    teacher = _context(browser)
    page = teacher.new_page()
    tour.sign_in_staff(page, base, tour.TEACHER)
    tour.set_language(page, "en")
    page.goto(login_url(base, "teacher"))  # → the LMS's authorisation → the id_token posted back → /lti/start
    page.wait_for_url("**/lti/start")
    problems += _in_both_languages(page, axe, "link the course")
    page.locator("#name").fill("LMS Health 9")
    page.locator("select[name=locale]").select_option("en")
    page.locator("select[name=age_band]").select_option("high")
    page.get_by_role("button", name="Create the class and link the course").click()
    page.wait_for_url("**/lti/start")
    problems += _in_both_languages(page, axe, "module picker")
    page.locator("select[name=module]").select_option("consent")
    page.get_by_role("button", name="Add this module to the course").click()
    problems += tour.check_page(page, axe, "back to the LMS", "en")
    page.get_by_role("button", name="Send to my LMS").click()
    page.wait_for_url(lms.address + "/deep_link_return")
    assert "Content added" in page.content()
    teacher.close()

    [token] = lms.deep_link_responses
    with urllib.request.urlopen(base + "/lti/jwks.json") as answer:
        keys = jwt.PyJWKSet.from_dict(json.load(answer))
    body = jwt.decode(token, keys[jwt.get_unverified_header(token)["kid"]].key, algorithms=["RS256"],
                      audience=ISSUER)
    [item] = body["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["type"] == "ltiResourceLink" and item["custom"] == {"module": "consent"}

    student = _context(browser)
    page = student.new_page()
    page.goto(login_url(base, "student-1"))
    page.wait_for_url("**/learn/lesson/**")
    assert page.locator("main h1").count() == 1 and page.locator("#quick-exit").count() == 1
    problems += tour.check_page(page, axe, "student's lesson from the LMS", "en")
    student.close()

    framed = _context(browser)
    lms.framed_src = login_url(base, "student-2")
    page = framed.new_page()
    page.goto(lms.address + "/course")
    button = page.frame_locator("iframe").get_by_role("link", name="Open in a new window")
    with framed.expect_page() as opened:
        button.click()
    window = opened.value
    window.wait_for_url("**/learn/lesson/**")
    assert window.locator("main h1").count() == 1
    framed.close()
    assert not problems, "\n".join(problems)
