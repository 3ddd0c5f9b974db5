"""Browser actions shared by the journey tests."""

from __future__ import annotations


def press(locator) -> None:
    """Click, then wait for the page to load. A click that submits a form or follows a link returns as soon
    as the next page starts loading, before its elements exist; reading the page straight away races it."""
    locator.click()
    locator.page.wait_for_load_state()


def to_next_step(page, act) -> None:
    """Do ``act`` (press a lesson's "Next") and wait for the next step: a new page without JavaScript, the step
    swapped in place with it (static/js/lesson.js keeps the player's data-step in step)."""
    from playwright.sync_api import expect

    player = page.locator(".lesson-player")
    number = int(player.get_attribute("data-step"))
    act()
    expect(player).to_have_attribute("data-step", str(number + 1))
    page.wait_for_load_state()


def student_on_phone(browser, base: str, code: str, nickname: str, pin: str):
    """A new 360 px browser context signed in as the student with this login card: (context, page)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    page = context.new_page()
    page.goto(base + "/student/signin")
    page.get_by_label("Class code").fill(code)
    page.get_by_label("Your nickname (from your login card)").fill(nickname)
    page.get_by_label("PIN").fill(pin)
    press(page.get_by_role("button", name="Sign in"))
    return context, page


def create_class(page, base: str, name: str, locale: str = "en", country: str = "GB", band: str = "high") -> str:
    """Create a class on the new-class page (signed in as a teacher, English interface); returns its address."""
    page.goto(base + "/teach/classes/new")
    page.get_by_label("Class name").fill(name)
    page.get_by_label("Language of the lessons").select_option(locale)
    page.get_by_label("Country").select_option(country)
    page.get_by_label("Age band").select_option(band)
    press(page.get_by_role("button", name="Create class"))
    return page.url
