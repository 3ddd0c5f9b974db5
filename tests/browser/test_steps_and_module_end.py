"""The lesson's step indicator and the module-end page in Chromium on a 360 × 740 phone, in Korean and English,
with JavaScript on and off: the indicator marks done, current and left steps (aria-current, words for screen
readers, not colour alone) and fits the screen; the last lesson of a module leads to the module-end page; axe
finds no violation on either (axe runs with JavaScript on; the pages are the same HTML without it).

A demo student works through the demo's second module (deepfakes), which the other browser tours do not finish.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import site_tour as tour

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
MODULE = "deepfakes"
END_HEADING = {"en": "You finished all the lessons of this module", "ko": "이 모듈의 수업을 모두 마쳤어요"}
HERE = {"en": "you are here", "ko": "지금 여기예요"}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def indicator_states(page) -> list[str]:
    classes = page.locator(".lesson .steps__item").evaluate_all("els => els.map(e => e.className)")
    return [re.search(r"steps__item--(\w+)", c).group(1) for c in classes]


def check(page, axe, label: str, lang: str, js: bool) -> list[str]:
    """The accessibility suite's checks of one page. axe-core runs in the page, so only with JavaScript on; the
    page without JavaScript is the same HTML, and gets the other checks (language, one main, no sideways scroll)."""
    if js:
        return tour.check_page(page, axe, label, lang)
    facts = tour.page_facts(page)
    problems = []
    if facts["lang"] != lang:
        problems.append(f"{label}: <html lang> is {facts['lang']!r}")
    if facts["mains"] != 1:
        problems.append(f"{label}: {facts['mains']} <main> elements")
    if facts["scrollWidth"] > facts["width"]:
        problems.append(f"{label}: scrolls sideways: {facts['overflow']}")
    return problems


def answer_checks(page) -> None:
    """Answer each quick check on the step (the first choice; each posts and comes back, with or without
    JavaScript): finishing a lesson needs them answered."""
    selector = ".block--check:not(:has(.feedback)) button.choice"
    while page.locator(selector).count():
        tour._submit(page, page.locator(selector).first)


@pytest.mark.parametrize("js", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize(("code", "lang"), [("DEMKR7", "ko"), ("DEMEN7", "en")])
def test_step_indicator_and_module_end_page_on_a_phone(browser, live_server, axe, code, lang, js):
    context = browser.new_context(viewport=PHONE, locale="ko-KR" if lang == "ko" else "en-GB",
                                  java_script_enabled=js)
    page = context.new_page()
    base = live_server
    problems: list[str] = []
    try:
        tour.sign_in_student(page, base, code)
        tour.set_language(page, lang)
        lessons = tour._hrefs(page, f".module-card a[href*='/learn/lesson/{MODULE}']")
        # the other JavaScript setting's run may have finished the module for this demo student already
        finished_before = page.locator(f"a[href$='/learn/module/{MODULE}/done']").count() > 0
        assert len(lessons) >= 2, lessons
        for index, lesson in enumerate(lessons):
            page.goto(base + tour._with_step(lesson, 1))
            total = tour._step_count(page)
            assert total >= 2
            for n in range(1, total + 1):
                page.goto(base + tour._with_step(lesson, n))
                assert indicator_states(page) == ["done"] * (n - 1) + ["current"] + ["left"] * (total - n)
                current = page.locator(".lesson .steps__list [aria-current=step]")
                assert current.count() == 1
                assert HERE[lang] in current.inner_text() or HERE[lang] in current.text_content()
                box = page.locator(".lesson .steps__list").bounding_box()
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
                if index == 0 and n in (1, 2):
                    problems += check(page, axe, f"[{code} js={js}] {lesson} step {n}", lang, js)
                answer_checks(page)
            tour._submit(page, page.locator(".step-nav form button[type=submit]").last)  # Finish lesson
            if index < len(lessons) - 1 and not finished_before:
                assert page.url.endswith("/learn/"), page.url
        assert page.url.endswith(f"/learn/module/{MODULE}/done"), page.url
        assert page.locator("h1").inner_text().strip() == END_HEADING[lang]
        assert page.locator("main .learned-list li").count() >= 2
        assert page.locator(".picture--end").get_attribute("alt") == ""
        problems += check(page, axe, f"[{code} js={js}] module end", lang, js)
        # the lessons page now links to it
        page.goto(base + "/learn/")
        assert page.locator(f"a[href$='/learn/module/{MODULE}/done']").count() == 1
        problems += check(page, axe, f"[{code} js={js}] /learn/ with pictures", lang, js)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_the_first_lesson_visit_stays_under_50_kb(browser, live_server):
    """Bytes on the wire (headers and bodies as sent, Chromium's encodedDataLength) for a student's first visit to a
    lesson step with an empty cache: the page, its stylesheet, scripts, picture and icon. `bench/bench_page_weight.py`
    measures the same under gunicorn's production settings and prints each resource."""
    context = browser.new_context(viewport=PHONE, locale="ko-KR")
    page = context.new_page()
    try:
        tour.sign_in_student(page, live_server, "DEMKR7")
        lesson = tour._hrefs(page, ".module-card a[href*='/learn/lesson/']")[0]
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        sizes: dict[str, int] = {}
        urls: dict[str, str] = {}
        cdp.on("Network.responseReceived", lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
        cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(live_server + tour._with_step(lesson, 2), wait_until="networkidle")
        total = sum(sizes.values())
        kinds = {re.sub(r"\.[0-9a-f]{12}\.", ".", urls.get(r, "?").replace(live_server, "")) for r in sizes}
    finally:
        context.close()
    assert any(k == "/static/css/app.css" for k in kinds) and any(k.startswith("/static/img/") for k in kinds)
    assert 0 < total < 50 * 1024, f"{total} bytes: {sorted(kinds)}"
