"""WCAG 2.2 AA in Chromium: axe-core on every page each role can reach, in Korean and in English, on a 360 px
phone, with the demo data. Also: <html lang> matches the chosen language, Korean text on an English page is
marked lang="ko", exactly one <main>, and no sideways scrolling.

The author sees every quiz and a set of lessons using every kind of block; set EDU_A11Y_EVERYTHING=1 to
check every step of every lesson too. Each role is one test that walks its pages (tests/browser/site_tour.py) in both languages and lists every
problem at the end, so one run shows all that needs fixing.
"""

from __future__ import annotations

import os

import pytest

from tests.browser import site_tour as tour

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# EDU_A11Y_EVERYTHING=1: the author's tour shows every step of every lesson and every guide (about 4 minutes
# more); by default it shows a set that uses every kind of block.
EVERYTHING = os.environ.get("EDU_A11Y_EVERYTHING") == "1"


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def open_polls(browser, live_server):
    """A live poll open in each demo class, so the student poll page and the projector have content."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    tour.sign_in_staff(page, live_server, tour.TEACHER)
    tour.start_polls(page, live_server)
    context.close()


def _walk(browser, live_server, axe, role: str) -> tuple[list[str], int]:
    context = browser.new_context(viewport=PHONE, locale="ko-KR")
    page = context.new_page()
    base = live_server
    problems: list[str] = []
    visited = 0
    languages = list(tour.LANGUAGES)
    if role == "student-DEMEN7":
        languages.reverse()  # the one-off forms (sent on the last pass) are then seen in Korean
    staff = {"teacher": tour.TEACHER, "author": tour.AUTHOR, "admin": tour.ADMIN}

    def check(label: str, lang: str) -> None:
        nonlocal visited
        problems.extend(tour.check_page(page, axe, f"[{role} {lang}] {label}", lang))
        visited += 1

    if role.startswith("student-"):
        tour.sign_in_student(page, base, role.split("-", 1)[1])
    elif role in ("teacher", "author"):
        tour.sign_in_staff(page, base, staff[role])

    for index, lang in enumerate(languages):
        last = index == len(languages) - 1
        if role in ("anonymous", "admin"):
            page.goto(base + "/")
            tour.set_language(page, lang)
        if role == "admin":
            # The admin signs in on each pass: first the authenticator set-up page, then the code page.
            tour.sign_in_staff(page, base, staff[role], on_page=lambda label, lang=lang: check(label, lang))
        tour.set_language(page, lang)
        if role == "anonymous":
            walk = tour.anonymous_tour(page, base)
        elif role.startswith("student-"):
            # The English class's student sees the lesson's first steps only: the Korean class's student has
            # walked through all of it with the same templates.
            walk = tour.student_tour(page, base, last_pass=last, every_step=role == "student-DEMKR7")
        elif role == "teacher":
            walk = tour.teacher_tour(page, base)
        elif role == "author":
            walk = tour.author_tour(page, base, lang, everything=EVERYTHING)
        else:
            walk = tour.admin_tour(page, base)
        for label in walk:
            check(label, lang)
        if role == "anonymous":
            # A new student joins (the welcome page is in the class's language).
            for label in tour.join_tour(page, base, code="DEMKR7" if lang == "ko" else "DEMEN7"):
                check(label, lang)
        if role == "admin":
            tour.sign_out(page)
    context.close()
    return problems, visited


@pytest.mark.parametrize("role", ["anonymous", "student-DEMKR7", "student-DEMEN7", "teacher", "author", "admin"])
def test_every_page_meets_wcag_22_aa_in_both_languages(browser, live_server, axe, open_polls, role):
    problems, visited = _walk(browser, live_server, axe, role)
    assert visited >= 4
    assert not problems, f"{len(problems)} accessibility problems on {role}'s pages:\n" + "\n".join(problems)
