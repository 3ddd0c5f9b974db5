"""The self-help path in Chromium on a 360 px phone: one branch from the home page to its ending, without and with
JavaScript, leaving no cookie and only opaque addresses in the history; axe clean on its pages in both languages."""

from __future__ import annotations

import re

import pytest

from tests.browser import site_tour as tour
from tests.browser.actions import press

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
OPAQUE = re.compile(r".*/help/p/[a-z2-7]{8}$")


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _no_sideways_scroll(page) -> None:
    facts = tour.page_facts(page)
    assert facts["scrollWidth"] <= facts["width"], facts["overflow"]


@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_a_friend_in_korea_finds_help_in_three_taps(browser, live_server, neutral_site, javascript):
    context = browser.new_context(viewport=PHONE, locale="ko-KR", java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server + "/")
    press(page.get_by_role("link", name="차근차근 알아보기: 지금 할 수 있는 일"))
    visited = [page.url]
    assert page.get_by_role("heading", name="무슨 일이 있었나요?").is_visible()
    for choice in ("친구에게 일어난 일", "18세 미만", "대한민국"):
        _no_sideways_scroll(page)
        press(page.get_by_role("link", name=re.compile(choice)))
        visited.append(page.url)
    assert page.get_by_role("heading", name="친구를 도울 수 있어요").is_visible()
    assert page.get_by_text("사진을 저장하거나 캡처하거나 전달하지 마세요.").is_visible()
    assert page.get_by_role("link", name="1366에 전화하기").first.is_visible()
    assert page.get_by_role("link", name="109에 전화하기").is_visible()
    _no_sideways_scroll(page)
    assert all(OPAQUE.match(url) for url in visited) and len(set(visited)) == 4
    assert page.title() == "도움 받기 · 바운더리"  # the same title on every step, in the history too
    assert context.cookies() == []  # nothing was set on the way
    press(page.get_by_role("link", name="English"))  # the same ending, in English, still without a cookie
    assert page.get_by_role("heading", name="You can help your friend").is_visible()
    assert OPAQUE.match(page.url) and context.cookies() == []
    if javascript:
        for _ in range(3):
            page.keyboard.press("Shift")
    else:
        press(page.locator("#quick-exit"))
    page.wait_for_url(neutral_site)
    context.close()


def test_the_path_is_axe_clean_in_both_languages(browser, live_server, axe):
    context = browser.new_context(viewport=PHONE, locale="ko-KR")
    page = context.new_page()
    problems: list[str] = []
    branches = (("나에게 일어난 일", "18세 미만", "대한민국"), ("친구에게 일어난 일", "18세 이상", "영국"),
                ("내가 한 일이 후회돼요", "18세 미만", "다른 나라"))
    for lang in ("ko", "en"):
        for branch in branches:
            page.goto(live_server + "/")
            press(page.get_by_role("link", name="차근차근 알아보기: 지금 할 수 있는 일"))
            if lang == "en":
                press(page.get_by_role("link", name="English"))
            for number, choice in enumerate(branch):
                if number == 0 or branch is branches[0]:
                    problems += tour.check_page(page, axe, f"[{lang}] {' / '.join(branch[:number])}", lang)
                press(page.locator(".choice-list a").nth(ORDER[choice]))
            problems += tour.check_page(page, axe, f"[{lang}] {' / '.join(branch)}", lang)
    context.close()
    assert problems == []


ORDER = {  # the Korean labels in the order each question lists them (the English page lists them the same way)
    "나에게 일어난 일": 0, "친구에게 일어난 일": 1, "내가 한 일이 후회돼요": 2, "18세 미만": 0, "18세 이상": 1,
    "대한민국": 0, "영국": 1, "호주": 2, "미국": 3, "다른 나라": 4,
}

