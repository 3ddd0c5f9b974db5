"""The group-chat rehearsal (issue 39) on a 360×740 phone in Chromium, in both languages, with JavaScript on and off,
on the tour lesson's chat step (tests/blocks_tour.py). Without JavaScript every message up to the decision shows and
a choice posts the form; with JavaScript the messages arrive one by one before the choices appear, and the choice
posts the same form; with reduced motion everything shows at once. axe finds no violation and nothing scrolls
sideways at any point."""

from __future__ import annotations

import pytest

from tests.blocks_tour import LESSON_ID
from tests.browser import site_tour as tour
from tests.browser.actions import press

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
STEP = 4
# A student of the demo class with no answers in the tour, per language and JavaScript (not those of the
# light-blocks test, which may share the server's data in a later run).
STUDENTS = {("en", True): ("DEMEN7", "Bright Penguin 42"), ("en", False): ("DEMEN7", "Kind Deer 55"),
            ("ko", True): ("DEMKR7", "밝은 펭귄 42"), ("ko", False): ("DEMKR7", "다정한 사슴 55")}
WORDS = {"en": {"first": "look what someone sent lol", "last": "wait, did they say that was ok?",
                "then": "yeah, delete it", "after": "fine, deleted", "feedback": "You said it plainly",
                "done": "choose differently", "label": "Group chat rehearsal"},
         "ko": {"first": "이거 봐 ㅋㅋ 누가 보냄", "last": "잠깐, 올려도 된다고 한 거야?", "then": "ㅇㅇ 지워",
                "after": "ㅇㅋ 지움", "feedback": "분명하게 말했고", "done": "다르게 골라 볼 수 있어요",
                "label": "단톡방 리허설"}}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _context(browser, lang: str, **options):
    return browser.new_context(viewport=PHONE, locale="ko-KR" if lang == "ko" else "en-GB", **options)


def _sign_in(page, base: str, code: str, pseudonym: str) -> None:
    page.goto(base + "/student/signin")
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=pseudonym]").fill(pseudonym)
    page.locator("input[name=pin]").fill(tour.DEMO_PIN)
    press(page.locator("main form button[type=submit]"))
    assert page.url.endswith("/learn/"), f"sign-in failed for {pseudonym}"


def _visible_texts(page) -> list[str]:
    return page.locator(".block--chat .chat__text:visible").all_inner_texts()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_group_chat_rehearsal_on_a_phone(browser, blocks_tour_server, axe, lang, javascript):
    context = _context(browser, lang, java_script_enabled=javascript)
    page = context.new_page()
    code, pseudonym = STUDENTS[(lang, javascript)]
    _sign_in(page, blocks_tour_server, code, pseudonym)
    words, problems = WORDS[lang], []
    # axe runs in the page: a page without JavaScript is checked in a mirror of the same session with JavaScript on
    # and reduced motion (every message shown at once, as without JavaScript).
    mirror = _context(browser, lang, storage_state=context.storage_state(), reduced_motion="reduce").new_page() \
        if not javascript else None

    def check(label: str) -> None:
        target = page
        if mirror is not None:
            mirror.goto(page.url.split("#")[0])
            target = mirror
        problems.extend(tour.check_page(target, axe, f"[{lang} {'js' if javascript else 'no-js'}] {label}", lang))

    page.goto(f"{blocks_tour_server}/learn/lesson/{LESSON_ID}?step={STEP}")
    chat = page.locator(".block--chat")
    assert words["label"] in chat.locator(".block__label").text_content()
    first_choice = chat.locator("[data-chat-waiting] button[value='not-ok']")
    if javascript:
        # the opening message first, the others one by one; the choices only once every message has arrived
        assert _visible_texts(page) == [words["first"]] and not first_choice.is_visible()
        page.locator(".chat__typing").wait_for()
        first_choice.wait_for(state="visible", timeout=15000)
        assert page.locator(".chat__typing").count() == 0 and page.locator(".chat__skip").count() == 0
    assert _visible_texts(page) == [words["first"], words["last"]]
    assert page.get_by_text(words["after"]).count() == 0  # what follows the decision waits for it
    check("before choosing")

    press(first_choice)  # the block's plain form, with or without JavaScript
    assert page.url.endswith(f"step={STEP}#block-tour-chat")
    second = chat.locator("[data-chat-waiting] button[value='not-ok.tell-adult']")
    if javascript:
        page.locator(".chat__skip").click()  # "show all messages now" skips the pace
        assert second.is_visible() and page.locator(".chat__skip").count() == 0
    assert words["then"] in _visible_texts(page) and words["after"] in _visible_texts(page)
    assert words["feedback"] in chat.locator(".chat__feedback").first.inner_text()
    assert chat.locator("button[value='not-ok']").get_attribute("aria-pressed") == "true"
    check("first decision made")

    press(second)
    if javascript:
        chat.locator(".chat__feedback").nth(1).wait_for(state="visible", timeout=15000)
    assert words["done"] in chat.inner_text()
    check("chat finished")
    if mirror is not None:
        mirror.context.close()
    context.close()
    assert problems == []


def test_reduced_motion_shows_every_message_at_once(browser, blocks_tour_server):
    context = _context(browser, "en", reduced_motion="reduce")
    page = context.new_page()
    _sign_in(page, blocks_tour_server, "DEMEN7", "Blue Otter 17")
    page.goto(f"{blocks_tour_server}/learn/lesson/{LESSON_ID}?step={STEP}")
    assert _visible_texts(page) == [WORDS["en"]["first"], WORDS["en"]["last"]]
    assert page.locator(".block--chat [data-chat-waiting] button").first.is_visible()
    assert page.locator(".chat__typing").count() == 0
    context.close()


def _answer_by_http(base: str, pseudonym: str, choice: str) -> None:
    from urllib.parse import urlparse

    from tests.live_server import CSRF_RE, Client

    client = Client(urlparse(base).port)
    client.student_signin("DEMEN7", pseudonym, tour.DEMO_PIN)
    _status, _headers, body = client.request("GET", "/learn/live")
    match = CSRF_RE.search(body.decode())
    status, _headers, _body = client.request("POST", "/learn/live/answer", {
        "csrf_token": match.group(1) or match.group(2), "block": "tour-chat", "choice": choice})
    assert status == 302
    client.close()


def test_the_projector_shows_a_decisions_totals_only_from_five_answers(browser, blocks_tour_server, axe):
    """A live lesson on the tour's chat step: the projector lists each decision as a question; four answers show no
    totals and no reveal button, the fifth brings the button, and the revealed totals name the moves' texts. axe is
    clean on the projector and on a phone in both languages."""
    import re

    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    projector = desk.new_page()
    tour.sign_in_staff(projector, blocks_tour_server, "teacher@demo.boundaries.test")
    tour.set_language(projector, "en")
    press(projector.get_by_role("link", name="Year 10 Blue").first)
    press(projector.get_by_role("link", name="Run a lesson live (projector)"))
    press(projector.locator(f"form:has(input[value='{LESSON_ID}']) button"))
    for _ in range(STEP - 1):
        press(projector.get_by_role("button", name="Next step"))
    panel = projector.locator("#live-panel")
    assert "class chat: What do you do?" in panel.inner_text() and "class chat: And now?" in panel.inner_text()
    names = ("Blue Otter 17", "Brave Fox 23", "Quiet Whale 31", "Bright Penguin 42", "Kind Deer 55")
    for name, choice in zip(names[:4], ("not-ok", "ignore", "not-ok", "not-ok"), strict=True):
        _answer_by_http(blocks_tour_server, name, choice)
    projector.reload()
    assert "4 answers" in panel.inner_text() and projector.locator(".live-totals").count() == 0
    assert projector.get_by_role("button", name=re.compile("Reveal the totals")).count() == 0
    phone_context = _context(browser, "en")
    phone = phone_context.new_page()
    _sign_in(phone, blocks_tour_server, "DEMEN7", names[4])
    phone.goto(f"{blocks_tour_server}/learn/live")
    phone.locator("#block-tour-chat [data-chat-waiting] button[value='ignore']").wait_for(state="visible",
                                                                                       timeout=15000)
    assert phone.get_by_role("button", name="Tell a teacher where and when.").count() == 0  # a later decision
    press(phone.locator("#block-tour-chat button[value='ignore']"))
    assert "Your answer is in" in phone.content()
    for lang in ("ko", "en"):
        tour.set_language(phone, lang)
        assert tour.axe_violations(phone, axe) == [], lang
    projector.get_by_role("button", name=re.compile("Reveal the totals")).first.wait_for(timeout=20000)
    for lang in ("ko", "en"):
        tour.set_language(projector, lang)
        assert tour.axe_violations(projector, axe) == [], lang
    press(projector.get_by_role("button", name=re.compile("Reveal the totals")).first)
    totals = projector.locator(".live-totals").first.inner_text()
    assert "Say it's not OK." in totals and "Scroll past." in totals
    assert re.search(r"3 answers", totals) and re.search(r"2 answers", totals)
    assert "5 answers" in panel.inner_text()
    press(projector.get_by_role("button", name="End the live lesson"))
    phone_context.close()
    desk.close()
