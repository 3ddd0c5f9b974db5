"""The incident playbook in Chromium on a 360 px phone, in Korean and in English: the admin makes the demo teacher
the school's safeguarding lead; the lead opens an incident, pauses a module for the whole school, ticks a
checklist step, adds an evidence-log entry (and sees one with a phone number refused), and prints a letter to
families. axe and the page checks on every page; the printed letter shows no site chrome."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser import site_tour as tour
from tests.browser.conftest import ROOT, demo_server

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
ENTRIES = {  # language: (title, room, handles, what was done, a refused entry)
    "ko": ("2학년 단톡방 딥페이크", "2학년 단톡", "여우123", "방을 신고하고 담당 교사에게 알림", "010-1234-5678로 연락함"),
    "en": ("Deepfake in a Year 9 chat", "Year 9 chat", "night_owl_07", "Reported the room and told the lead",
           "called 010-1234-5678"),
}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def playbook_server(tmp_path_factory, neutral_site, browser):
    """A demo site of its own (the lead role changes who sees what), with the demo teacher made the lead."""
    with demo_server(tmp_path_factory.mktemp("incident-instance"), ROOT / "content", neutral_site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        tour.sign_in_staff(page, base, tour.ADMIN)
        page.goto(base + "/admin/staff")
        row = page.locator("main li.staff-card", has_text=tour.TEACHER)
        with page.expect_navigation():
            row.locator("button[name=lead][value='1']").click()
        assert row.locator(".tag--done").count() == 1
        context.close()
        yield base


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_lead_opens_an_incident_pauses_ticks_logs_and_prints(browser, playbook_server, axe, lang):
    title, room, handles, action, refused = ENTRIES[lang]
    problems: list[str] = []
    context = browser.new_context(viewport=PHONE, locale="ko-KR")
    page = context.new_page()
    tour.sign_in_staff(page, playbook_server, tour.TEACHER)
    tour.set_language(page, lang)
    page.goto(playbook_server + "/teach/")
    with page.expect_navigation():
        page.locator("main a[href='/safeguarding/incidents/']").click()
    problems += tour.check_page(page, axe, f"[{lang}] incidents", lang)

    page.locator("input[name=title]").fill(title)
    page.locator("input[name=happened_on]").fill(date.today().isoformat())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("h1").inner_text() == title
    problems += tour.check_page(page, axe, f"[{lang}] incident", lang)

    # each language's run pauses a module of its own (the other run's pause stands until its incident closes)
    page.locator(f"input[name=modules][value={'consent' if lang == 'ko' else 'deepfakes'}]").check()
    with page.expect_navigation():
        page.locator("form[action$='/pause'] button[type=submit]").click()
    assert page.locator("input[name=pause]").count() >= 1  # paused for the demo classes, resumable from here
    problems += tour.check_page(page, axe, f"[{lang}] paused", lang)

    with page.expect_navigation():
        page.locator("button[name=step]").first.click()
    assert page.locator("#checklist .tag--done").count() == 1
    assert tour.TEACHER in page.locator("#checklist").inner_text()

    page.locator("select[name=role]").select_option("reporter")
    page.locator("input[name=role_number]").fill("1")
    page.locator("input[name=room]").fill(room)
    page.locator("input[name=handles]").fill(handles)
    page.locator("textarea[name=action]").fill(refused)
    with page.expect_navigation():
        page.locator("form[action*='/log'] button[type=submit]").click()
    assert page.locator(".field-error").count() == 1  # the phone number is refused, the words kept
    assert page.locator("input[name=room]").input_value() == room
    problems += tour.check_page(page, axe, f"[{lang}] log entry refused", lang)
    page.locator("textarea[name=action]").fill(action)
    with page.expect_navigation():
        page.locator("form[action*='/log'] button[type=submit]").click()
    assert handles in page.locator("#log table").inner_text()
    problems += tour.check_page(page, axe, f"[{lang}] log entry added", lang)

    with page.expect_navigation():
        page.locator(f"#templates a[href*='letter-families'][lang={lang}]").click()
    assert page.locator("article.document--playbook").count() == 1
    problems += tour.check_page(page, axe, f"[{lang}] letter", lang)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator(".no-print").first.is_visible()
    assert page.locator("article.document--playbook h1").is_visible()
    page.emulate_media(media="screen")
    context.close()
    assert not problems, "\n".join(problems)
