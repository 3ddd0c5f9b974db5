"""Browser actions shared by the journey tests."""

from __future__ import annotations


def press(locator) -> None:
    """Click, then wait for the page to load. A click that submits a form or follows a link returns as soon
    as the next page starts loading, before its elements exist; reading the page straight away races it."""
    locator.click()
    locator.page.wait_for_load_state()
