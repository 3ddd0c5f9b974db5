"""A live lesson in Chromium on two app servers sharing one database: the teacher's projector on one, three students'
phones (360 px, one without JavaScript) on the other. The phones arrive through the QR code's address (student
sign-in with the class code filled in), follow the teacher's step, answer the check; the projector shows no totals
with three answers, the reveal only from five (two more sent by HTTP), and the totals stay frozen after it. axe is
clean on the projector and the phone in both languages."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.browser.actions import press
from tests.browser.conftest import ROOT, free_port, wait_until_up
from tests.browser.site_tour import DEMO_PIN, axe_violations, set_language, sign_in_staff
from tests.live_server import CSRF_RE, Client

pytestmark = pytest.mark.browser

CODE = "DEMEN7"
PUBLIC_URL = "https://boundaries.school.example"
PHONES = ("Blue Otter 17", "Brave Fox 23", "Quiet Whale 31")  # in the browser; the last one without JavaScript
BY_HTTP = ("Bright Penguin 42", "Kind Deer 55")
CHECK = "five-parts-check"


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    """Two gunicorn servers on one SQLite file with the demo data: live state lives in the database."""
    instance = tmp_path_factory.mktemp("live-lesson")
    env = dict(os.environ, EDU_INSTANCE_DIR=str(instance), EDU_ENV="testing",
               DATABASE_URL=f"sqlite:///{instance / 'live.db'}", SECRET_KEY="live-lesson-tests",
               EDU_CONTENT_DIR=str(ROOT / "content"), EDU_PUBLIC_URL=PUBLIC_URL)
    flask = [sys.executable, "-m", "flask", "--app", "edu"]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(flask + ["demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    servers = []
    try:
        for name in ("teacher", "students"):
            port = free_port()
            log = open(instance / f"{name}.log", "wb")  # noqa: SIM115 (closed below)
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "edu.wsgi:app"],
                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
            servers.append((process, log, port))
            wait_until_up(f"http://127.0.0.1:{port}/", process)
        yield tuple(f"http://127.0.0.1:{port}" for _p, _l, port in servers), [port for _p, _l, port in servers]
    finally:
        for process, _log, _port in servers:
            process.terminate()
        for process, log, _port in servers:
            process.wait(timeout=10)
            log.close()


def _phone(browser, students: str, pseudonym: str, javascript: bool):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB",
                                  java_script_enabled=javascript)
    page = context.new_page()
    page.goto(f"{students}/live/{CODE}")  # the QR code's address, on the other server
    assert "/student/signin" in page.url and "/join" not in page.url
    assert page.locator("input[name=code]").input_value() == CODE
    page.locator("input[name=pseudonym]").fill(pseudonym)
    page.locator("input[name=pin]").fill(DEMO_PIN)
    press(page.locator("main form button[type=submit]"))
    assert page.url.endswith("/learn/live")
    return context, page


def _answer_by_http(port: int, pseudonym: str, choice: str) -> None:
    client = Client(port)
    client.student_signin(CODE, pseudonym, DEMO_PIN)
    _status, _headers, body = client.request("GET", "/learn/live")
    match = CSRF_RE.search(body.decode())
    status, _headers, _body = client.request("POST", "/learn/live/answer", {
        "csrf_token": match.group(1) or match.group(2), "block": CHECK, "choice": choice})
    assert status == 302
    client.close()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _clean_in_both_languages(page, axe) -> None:
    for lang in ("ko", "en"):
        set_language(page, lang)
        assert axe_violations(page, axe) == [], (lang, page.url)


def test_live_lesson_on_two_servers(browser, two_servers):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    (teacher_base, students_base), (_teacher_port, students_port) = two_servers
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    projector = desk.new_page()
    sign_in_staff(projector, teacher_base, "teacher@demo.boundaries.test")
    set_language(projector, "en")
    press(projector.get_by_role("link", name="Year 10 Blue").first)
    press(projector.get_by_role("link", name="Run a lesson live (projector)"))
    _clean_in_both_languages(projector, axe)  # the class's lessons, to start one
    set_language(projector, "en")
    press(projector.locator("form:has(input[value='consent-basics']) button"))
    join = projector.locator(".live-join")
    assert f"{PUBLIC_URL}/live/{CODE}" in join.inner_text() and "127.0.0.1" not in join.inner_text()
    assert join.locator("svg.live-qr__code").count() == 1

    phones = [_phone(browser, students_base, name, javascript=index < 2) for index, name in enumerate(PHONES)]
    for _context, page in phones:
        assert "Step 1 of 6" in page.content() and _fits(page)

    press(projector.get_by_role("button", name="Next step"))
    for _context, page in phones[:2]:  # with JavaScript: the page follows by itself
        page.wait_for_selector(f"#block-{CHECK}", timeout=20000)
    no_js = phones[2][1]
    assert "Step 1 of 6" in no_js.content()
    press(no_js.get_by_role("link", name="Next", exact=True))
    assert "Step 2 of 6" in no_js.content()

    choices = ("ask-again", "already-yes", "ask-again")
    for (_context, page), choice in zip(phones, choices, strict=True):
        press(page.locator(f"#block-{CHECK} button[value='{choice}']"))
        assert "Your answer is in" in page.content() and _fits(page)
    panel = projector.locator("#live-panel")
    panel.get_by_text("3 answers").wait_for(timeout=20000)  # the panel updates itself (ETag polling)
    assert projector.locator(".live-totals").count() == 0
    assert projector.get_by_role("button", name=re.compile("Reveal the totals")).count() == 0

    for name, choice in zip(BY_HTTP, ("ask-again", "only-if-no"), strict=True):
        _answer_by_http(students_port, name, choice)
    reveal = projector.get_by_role("button", name=re.compile("Reveal the totals"))
    reveal.wait_for(timeout=20000)
    _clean_in_both_languages(projector, axe)
    set_language(projector, "en")
    press(projector.get_by_role("button", name=re.compile("Reveal the totals")))
    totals = projector.locator(".live-totals").inner_text()
    assert "5 answers" in projector.locator("#live-panel").inner_text()
    assert re.search(r"3 answers", totals) and re.search(r"1 answer\b", totals)

    # frozen: another press on a phone changes nothing
    first = phones[0][1]
    press(first.locator(f"#block-{CHECK} button[value='only-if-no']"))
    projector.reload()
    assert projector.locator(".live-totals").inner_text() == totals
    assert "Closed" in first.content()
    _clean_in_both_languages(first, axe)  # axe runs as a script: the page without JavaScript has the same HTML

    press(projector.get_by_role("button", name="End the live lesson"))
    press(no_js.get_by_role("link", name=re.compile("Next|다음")))
    assert "/learn/live" in no_js.url and "live-answers" not in no_js.content()
    for context, _page in phones:
        context.close()
    desk.close()
