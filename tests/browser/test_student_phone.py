"""A student on a 360 × 740 phone in Chromium, in both languages, with JavaScript on and off (issue 30): on the
lesson page (a step with a table), the home page and a quiz, no element is wider than the screen, nothing is
hidden under the Quick exit button wherever the page is scrolled to, table words wrap whole, legends are not
struck through, and axe finds no violation. The join page keeps the one-time PIN through its language switch."""

from __future__ import annotations

import re

import pytest

from tests.browser import site_tour as tour
from tests.browser.actions import press

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# Demo students no other browser test signs in as (their language is their class's).
STUDENTS = {"ko": ("DEMKR7", "다정한 사슴 55"), "en": ("DEMEN7", "Kind Deer 55")}

# Every visible element of the page that a student reads or uses, scrolled to as a browser scrolls to it (a link
# to an anchor, a focused field: scrollIntoView honours scroll-padding): none may then sit under the Quick exit
# button. Also: nothing wider than the screen (outside a sideways-scrolling table), no table word split inside a
# word, and no fieldset border line through its legend.
_LAYOUT = """() => {
  const problems = [];
  const width = window.innerWidth;
  const exit = document.getElementById('quick-exit');
  const scrolls = (el) => { for (let p = el.parentElement; p; p = p.parentElement) {
    const s = getComputedStyle(p); if (s.overflowX === 'auto' || s.overflowX === 'scroll') return true; } return false; };
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width > width + 1 && !el.closest('.visually-hidden') && !scrolls(el))
      problems.push('wider than the screen: ' + el.tagName.toLowerCase() + ' ' + Math.round(box.width));
  }
  const wanted = 'main a, main button, main input, main label, main textarea, main h1, main h2, main h3, main p, '
    + 'main td, main th, main legend, main summary, .site-header a:not(.skip-link), .site-header button';
  for (const el of document.querySelectorAll(wanted)) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height || el.closest('.visually-hidden, details:not([open]) > :not(summary)')) continue;
    el.scrollIntoView({block: 'start'});
    const b = el.getBoundingClientRect();
    const points = [[b.left + 2, b.top + 2], [b.right - 2, b.top + 2], [(b.left + b.right) / 2, b.top + Math.min(b.height / 2, 10)]];
    for (const [x, y] of points) {
      if (x < 0 || y < 0 || x > width || y > window.innerHeight) continue;
      const hit = document.elementFromPoint(x, y);
      if (hit && exit.contains(hit) && !exit.contains(el)) {
        problems.push('under Quick exit: ' + el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 30) + '"');
        break;
      }
    }
  }
  for (const cell of document.querySelectorAll('main td, main th')) {
    const words = cell.textContent.trim().split(/\\s+/);
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
    if (words.length === 1 && lines.size > 1) problems.push('word split in a table cell: "' + words[0] + '"');
  }
  for (const legend of document.querySelectorAll('fieldset > legend')) {
    const fieldset = legend.parentElement.getBoundingClientRect();
    const l = legend.getBoundingClientRect();
    const border = parseFloat(getComputedStyle(legend.parentElement).borderTopWidth);
    if (border && l.top < fieldset.top + border) problems.push('legend on the fieldset border: ' + legend.textContent.trim().slice(0, 30));
  }
  window.scrollTo(0, 0);
  return problems;
}"""


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _sign_in(page, base: str, lang: str) -> None:
    code, nickname = STUDENTS[lang]
    page.goto(base + "/student/signin")
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=pseudonym]").fill(nickname.replace(" ", ""))  # typed without spaces
    page.locator("input[name=pin]").fill(tour.DEMO_PIN)
    press(page.locator("main form button[type=submit]"))
    assert page.url.endswith("/learn/"), page.url


def _check(page, axe, label: str, lang: str, javascript: bool) -> list[str]:
    problems = [f"{label}: {p}" for p in page.evaluate(_LAYOUT)]
    if javascript:
        return problems + tour.check_page(page, axe, label, lang)
    # axe runs on timers, which a page without JavaScript never fires: it checks the same HTML (scripts left
    # out, so the DOM is the one a browser without JavaScript shows) in a page of its own.
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
    context = page.context.browser.new_context(viewport=PHONE)
    copy = context.new_page()
    copy.route(page.url, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html))
    copy.goto(page.url)
    problems += tour.check_page(copy, axe, label + " (no JavaScript)", lang)
    context.close()
    return problems


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_lesson_home_and_quiz_fit_a_phone_and_nothing_hides_under_quick_exit(browser, live_server, axe, lang,
                                                                             javascript):
    context = browser.new_context(viewport=PHONE, locale="ko-KR" if lang == "ko" else "en-GB",
                                  java_script_enabled=javascript)
    page = context.new_page()
    _sign_in(page, live_server, lang)
    problems = _check(page, axe, f"[{lang}] home", lang, javascript)
    page.goto(live_server + "/learn/lesson/consent-images?step=1")  # a step with a table
    assert page.locator("main table").count() >= 1
    problems += _check(page, axe, f"[{lang}] lesson", lang, javascript)
    href = page.evaluate("() => document.querySelector(\"a[href*='/learn/quiz/']\")?.getAttribute('href')")
    if href is None:
        page.goto(live_server + "/learn/")
        href = page.locator("a[href*='/learn/quiz/']").first.get_attribute("href")
    page.goto(live_server + href)
    assert page.locator("fieldset.question").count() >= 1
    problems += _check(page, axe, f"[{lang}] quiz", lang, javascript)
    context.close()
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_join_page_keeps_the_pin_through_the_language_switch_and_signs_out(browser, live_server, axe, lang,
                                                                           javascript):
    code = STUDENTS[lang][0]  # a demo class: its school has the guardians' consent that joining needs
    context = browser.new_context(viewport=PHONE, locale="ko-KR" if lang == "ko" else "en-GB",
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(live_server + "/join")
    page.locator("input[name=code]").fill(code)
    press(page.locator("main form button[type=submit]"))
    pin = page.locator("dd.pin").inner_text()
    assert re.fullmatch(r"\d{6}", pin)
    problems = _check(page, axe, f"[{lang}] welcome", lang, javascript)
    other = "en" if lang == "ko" else "ko"
    press(page.locator(f".language-switch button[value='{other}']"))
    assert page.evaluate("document.documentElement.lang") == other
    assert page.locator("dd.pin").inner_text() == pin  # the PIN is still there, in the other language
    problems += _check(page, axe, f"[{other}] welcome after the switch", other, javascript)
    press(page.locator(".site-nav form button"))  # sign out from the welcome page: no stale-form error
    assert page.url.rstrip("/") == live_server and page.locator("dd.pin").count() == 0
    assert page.locator("main h1").count() == 1 and "400" not in page.title()
    context.close()
    assert problems == [], "\n".join(problems)
