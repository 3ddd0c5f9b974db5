"""The first journeys in a real browser: sign-up to a class, a student joining, quick exit."""

from __future__ import annotations

import re

import pytest

from tests.browser.actions import press
from tests.browser.school_setup import PASSWORD, invitation_link, sign_in, sign_up_school

pytestmark = pytest.mark.browser


def test_teacher_joins_by_invitation_creates_class_and_a_student_joins(browser, live_server, desktop, phone):
    """The school's admin signed up (a new school) and sent an invitation link; the teacher opens it in Korean."""
    admin = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR").new_page()
    sign_up_school(admin, live_server, "browser-admin@school.kr", "브라우저 중학교")
    assert "처음 쓰는 주소라면 계정이 준비되었어요" in admin.content()  # the same answer for any address
    sign_in(admin, live_server, "browser-admin@school.kr")
    link = invitation_link(admin, live_server)
    admin.context.close()
    teacher = desktop.new_page()
    teacher.goto(link)
    assert "브라우저 중학교" in teacher.content()
    teacher.get_by_label("이메일").fill("browser-teacher@school.kr")
    teacher.get_by_label("비밀번호").fill(PASSWORD)
    press(teacher.get_by_role("button", name="계정 만들기"))
    assert "처음 쓰는 주소라면 계정이 준비되었어요" in teacher.content()
    press(teacher.get_by_role("main").get_by_role("link", name="로그인"))
    teacher.get_by_label("이메일").fill("browser-teacher@school.kr")
    teacher.get_by_label("비밀번호").fill(PASSWORD)
    press(teacher.get_by_role("main").get_by_role("button", name="로그인"))
    teacher.wait_for_url(re.compile(r".*/teach/$"))
    press(teacher.get_by_role("link", name="학급 만들기"))
    teacher.get_by_label("학급 이름").fill("3학년 1반")
    teacher.get_by_label("학교급").select_option("high")
    press(teacher.get_by_role("button", name="학급 만들기"))
    code = teacher.locator(".join-code").inner_text().replace("-", "")
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code)

    student = phone.new_page()
    student.goto(live_server + "/join")
    student.get_by_label("Class code").fill(code.lower())
    press(student.get_by_role("button", name="Join"))
    pseudonym = student.locator(".pseudonym").inner_text()
    assert re.fullmatch(r"\S+ \S+ \d\d", pseudonym)
    assert re.fullmatch(r"\d{6}", student.locator(".pin").inner_text())
    # No horizontal scrolling on a 360 px phone.
    assert student.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    press(teacher.locator("nav.class-nav a[href$='/students']"))
    assert pseudonym in teacher.locator("table").inner_text()


def _history_length(page) -> int:
    return page.evaluate("window.history.length")


def test_quick_exit_button_replaces_the_page(live_server, neutral_site, phone):
    page = phone.new_page()
    page.goto(live_server + "/")
    page.goto(live_server + "/help")
    before = _history_length(page)
    page.locator("#quick-exit").click()
    page.wait_for_url(neutral_site)
    assert "Weather" in page.content()
    assert _history_length(page) == before  # replaced, not pushed: Back cannot return to /help
    page.go_back()
    assert "/help" not in page.url


def test_quick_exit_by_pressing_shift_three_times(live_server, neutral_site, phone):
    page = phone.new_page()
    page.goto(live_server + "/staying-safe")
    before = _history_length(page)
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(neutral_site)
    assert _history_length(page) == before


def test_quick_exit_is_first_in_tab_order(live_server, phone):
    page = phone.new_page()
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"


def test_pages_load_no_external_assets_and_no_csp_errors(live_server, phone):
    page = phone.new_page()
    violations, outside = [], []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(live_server) else None)
    for path in ("/", "/help", "/join", "/signin", "/staying-safe"):
        page.goto(live_server + path)
    assert violations == [] and outside == []
