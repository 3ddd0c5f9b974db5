"""The admin's participation page and one-page school report (issue 42) in Chromium on a 360 px phone, in both
languages: axe clean, no sideways scroll of the page; the report prints without the site around it."""

from __future__ import annotations

import pytest

from tests.browser import site_tour as tour

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def test_participation_and_school_report_in_both_languages(browser, live_server, axe):
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    tour.sign_in_staff(page, live_server, tour.ADMIN)
    problems: list[str] = []
    for lang in ("en", "ko"):
        page.goto(live_server + "/")
        page.locator(f".language-switch button[value={lang}]").click()
        page.goto(live_server + "/admin/participation")
        assert page.locator("a[href^='/admin/participation.csv']").count() == 1
        problems += tour.check_page(page, axe, f"[{lang}] participation", lang)
        page.goto(live_server + "/admin/report")
        problems += tour.check_page(page, axe, f"[{lang}] school report", lang)
        page.emulate_media(media="print")
        assert not page.locator(".site-header").is_visible() and page.locator("article.document h1").is_visible()
        page.emulate_media(media="screen")
    assert not problems, "\n".join(problems)
    context.close()
