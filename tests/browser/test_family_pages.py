"""Pages for families in Chromium on a 360 px phone, signed out: a module's family sheet and a class's notice (the
teacher makes its link on the class page), in both languages, axe clean, no cookie, not indexed, and laid out for
print (the site's header and the share box are left off the paper). The admin's contact line ends both."""

from __future__ import annotations

import pytest

from tests.browser import site_tour as tour
from tests.browser.actions import press

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _signed_out_checks(page, axe, label: str, lang: str) -> list[str]:
    problems = tour.check_page(page, axe, label, lang)
    if page.locator("meta[name=robots][content^=noindex]").count() != 1:
        problems.append(f"{label}: not marked noindex")
    if page.locator("main form").count():
        problems.append(f"{label}: a form on a page for families (its token would set a cookie)")
    return problems


def _prints_without_the_site_around_it(page) -> None:
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator(".quick-exit-bar").is_visible()
    assert page.locator("article.document h1").is_visible()
    page.emulate_media(media="screen")


def test_a_family_sheet_opened_signed_out_in_both_languages(browser, live_server, axe):
    context = browser.new_context(viewport=PHONE, locale="ko-KR")
    page = context.new_page()
    problems: list[str] = []
    response = page.goto(live_server + "/family/consent?locale=ko")
    assert response.status == 200 and response.headers["x-robots-tag"].startswith("noindex")
    assert page.get_by_role("heading", level=1).inner_text().startswith("가정 안내")
    problems += _signed_out_checks(page, axe, "[ko] family sheet", "ko")
    _prints_without_the_site_around_it(page)
    press(page.get_by_role("link", name="English"))
    assert page.get_by_role("heading", level=1).inner_text().startswith("For families")
    problems += _signed_out_checks(page, axe, "[en] family sheet", "en")
    assert context.cookies() == []  # nothing was set on the way
    assert not problems, "\n".join(problems)
    context.close()


def test_the_teacher_shares_the_class_notice_and_a_parent_opens_it_signed_out(browser, live_server, axe):
    staff = browser.new_context(viewport=PHONE, locale="en-GB")
    page = staff.new_page()
    tour.sign_in_staff(page, live_server, tour.ADMIN)
    page.goto(live_server + "/admin/#families")
    page.get_by_label("Contact line for families").fill("School office: 020 7946 0000")
    press(page.locator("#families").get_by_role("button", name="Save"))
    assert page.get_by_label("Contact line for families").input_value() == "School office: 020 7946 0000"
    staff_problems = tour.check_page(page, axe, "[en] admin home with the families section", "en")
    staff.clear_cookies()
    tour.sign_in_staff(page, live_server, tour.TEACHER)
    press(page.get_by_role("link", name="Year 10 Blue").first)
    press(page.locator("nav.class-nav a[href$='/assignments']"))
    notice = page.locator("section[aria-labelledby=notice-heading]")
    if not notice.locator("a[href*='/notice/']").count():
        press(notice.get_by_role("button", name="Make a link for families"))
    link = page.locator("section[aria-labelledby=notice-heading] a[href*='/notice/']").get_attribute("href")
    staff_problems += tour.check_page(page, axe, "[en] assignments with the notice link", "en")
    assert not staff_problems, "\n".join(staff_problems)
    staff.close()

    parent = browser.new_context(viewport=PHONE, locale="en-GB")
    page = parent.new_page()
    problems: list[str] = []
    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "What your child's class is learning"
    assert page.get_by_text("School office: 020 7946 0000").is_visible()
    assert "Blue Otter" not in page.locator("main").inner_text()  # the demo class's students: never named here
    problems += _signed_out_checks(page, axe, "[en] class notice", "en")
    _prints_without_the_site_around_it(page)
    press(page.get_by_role("link", name="한국어"))
    assert page.get_by_role("heading", level=1).inner_text() == "자녀의 학급에서 배우는 내용"
    problems += _signed_out_checks(page, axe, "[ko] class notice", "ko")
    press(page.locator("main a[href^='/family/']").first)  # the module's sheet, with the school's contact line
    assert page.get_by_text("School office: 020 7946 0000").is_visible()
    problems += _signed_out_checks(page, axe, "[ko] family sheet with the school's key", "ko")
    assert parent.cookies() == []
    assert not problems, "\n".join(problems)
    parent.close()
