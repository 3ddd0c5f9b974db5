"""The light blocks of issue 30 on a 360×740 phone in Chromium, in both languages, with JavaScript on and off: a
student opens "the law, exactly", answers a myth-or-fact flip and a card sort, and opens two reveals, on the tour
lesson (tests/blocks_tour.py, served from a copy of content/ with it added); axe finds no violation at any point
and nothing scrolls sideways. With JavaScript the flip and the sort answer without a page reload."""

from __future__ import annotations

import pytest

from tests.blocks_tour import LESSON_ID
from tests.browser import site_tour as tour
from tests.browser.actions import press

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# (class code, pseudonym) per language and JavaScript: a student of the demo class with no answers in the tour.
STUDENTS = {("en", True): ("DEMEN7", "Brave Fox 23"), ("en", False): ("DEMEN7", "Quiet Whale 31"),
            ("ko", True): ("DEMKR7", "용감한 여우 23"), ("ko", False): ("DEMKR7", "조용한 고래 31")}
WORDS = {"en": {"law": "The law, exactly", "right": "2 of 3 in the right group.", "myth": "This is a myth."},
         "ko": {"law": "법 조항 자세히", "right": "3개 중 2개를 맞는 곳에 놓았어요.", "myth": "이건 오해예요."}}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _sign_in(page, base: str, code: str, pseudonym: str) -> None:
    page.goto(base + "/student/signin")
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=pseudonym]").fill(pseudonym)
    page.locator("input[name=pin]").fill(tour.DEMO_PIN)
    press(page.locator("main form button[type=submit]"))
    assert page.url.endswith("/learn/"), f"sign-in failed for {pseudonym}"


def _answer(page, javascript: bool, submit, done_selector: str) -> None:
    """Press ``submit``; with JavaScript the answer shows without loading a new page (a marker set on the window
    before the press is still there), without it the form posts and the step page loads again."""
    if javascript:
        page.evaluate("window.__samePage = true")
        submit.click()
        page.locator(done_selector).wait_for()
        assert page.evaluate("window.__samePage === true"), "the page was reloaded"
        assert page.evaluate("document.activeElement.classList.contains('feedback')")  # focus moved to the answer
    else:
        press(submit)
        assert page.locator(done_selector).count() == 1


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_lesson_with_each_light_block_on_a_phone(browser, blocks_tour_server, axe, lang, javascript):
    context = browser.new_context(viewport=PHONE, locale="ko-KR" if lang == "ko" else "en-GB",
                                  java_script_enabled=javascript)
    page = context.new_page()
    code, pseudonym = STUDENTS[(lang, javascript)]
    _sign_in(page, blocks_tour_server, code, pseudonym)
    problems: list[str] = []
    words = WORDS[lang]

    # axe runs inside the page and waits on timers, which never fire with JavaScript off: a page without
    # JavaScript is checked in a mirror, the same student's session with JavaScript on, opened at the same address
    # with the same <details> open (the server's HTML is the same; app.js changes nothing on these pages).
    mirror = None
    if not javascript:
        mirror_context = browser.new_context(viewport=PHONE, locale="ko-KR" if lang == "ko" else "en-GB",
                                             storage_state=context.storage_state())
        mirror = mirror_context.new_page()

    def check(label: str) -> None:
        target = page
        if mirror is not None:
            mirror.goto(page.url.split("#")[0])  # a new load, never a jump within the page
            opened = page.locator("details").evaluate_all("ds => ds.map(d => d.open)")
            mirror.locator("details").evaluate_all("(ds, open) => ds.forEach((d, i) => { d.open = open[i]; })",
                                                   opened)
            assert mirror.locator(".feedback").count() == page.locator(".feedback").count()
            target = mirror
        problems.extend(tour.check_page(target, axe, f"[{lang} {'js' if javascript else 'no-js'}] {label}", lang))

    page.goto(f"{blocks_tour_server}/learn/lesson/{LESSON_ID}?step=1")
    check("flip and law")
    law = page.locator("details.block--law")
    assert law.locator("summary").inner_text().strip() == words["law"]
    law.locator("summary").click()
    assert law.evaluate("d => d.open") and law.locator(".prose strong").is_visible()
    check("law open")
    _answer(page, javascript, page.locator(".block--flip button[value=fact]"), ".block--flip .feedback")
    assert words["myth"] in page.locator(".block--flip .feedback").inner_text()
    assert page.locator(".block--flip button[value=fact]").get_attribute("aria-pressed") == "true"
    check("flip answered")

    page.goto(f"{blocks_tour_server}/learn/lesson/{LESSON_ID}?step=2")
    check("sort")
    sort = page.locator(".block--sort")
    for item, group in (("asked-first", "yes"), ("silence", "yes"), ("pressure", "no")):
        sort.locator(f"input[name='item.{item}'][value={group}]").check()
    _answer(page, javascript, page.locator(".block--sort button[name=sort]"), ".block--sort .feedback")
    assert words["right"] in page.locator(".block--sort .feedback").inner_text()
    assert page.locator(".sort-card--right").count() == 2 and page.locator(".sort-card--wrong").count() == 1
    check("sort answered")

    page.goto(f"{blocks_tour_server}/learn/lesson/{LESSON_ID}?step=3")
    check("reveals closed")
    reveals = page.locator("details.block--reveal")
    assert reveals.count() == 2 and not reveals.first.locator(".prose").is_visible()
    for i in range(2):
        reveals.nth(i).locator("summary").click()
    assert "89.4%" in reveals.nth(1).inner_text() and reveals.nth(1).locator(".hint a").is_visible()
    check("reveals open")
    if mirror is not None:
        mirror_context.close()
    context.close()
    assert problems == []
