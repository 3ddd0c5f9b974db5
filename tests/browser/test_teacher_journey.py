"""The teacher's journey in Chromium: class, students, printed login cards, assignment, progress."""

from __future__ import annotations

import re

import pytest

from tests.browser.actions import press, student_on_phone
from tests.browser.school_setup import school_with_teacher

pytestmark = pytest.mark.browser


def test_teacher_class_cards_assignment_and_progress(browser, live_server, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    teacher = context.new_page()
    school_with_teacher(browser, live_server, teacher, "cards-teacher@school.kr", "Cards School")
    press(teacher.get_by_role("link", name="Create a class"))
    teacher.get_by_label("Class name").fill("Year 9 Cards")
    teacher.get_by_label("Language of the lessons").select_option("en")
    teacher.get_by_label("Country").select_option("GB")
    teacher.get_by_label("Age band").select_option("high")
    press(teacher.get_by_role("button", name="Create class"))
    class_url = teacher.url

    teacher.goto(class_url + "/students")
    teacher.get_by_label("How many students to add").fill("4")
    press(teacher.get_by_role("button", name="Add students and print login cards"))
    cards = teacher.locator(".login-card")
    assert cards.count() == 4
    first_name = cards.first.locator(".pseudonym").inner_text()
    first_pin = cards.first.locator(".pin").inner_text()
    code = cards.first.locator(".code").inner_text().replace("-", "")
    teacher.emulate_media(media="print")
    shot = tmp_path / "login-cards-print.png"
    teacher.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert teacher.locator(".quick-exit").is_hidden()  # nothing but cards on paper
    teacher.emulate_media(media="screen")

    teacher.goto(class_url + "/assignments")
    teacher.get_by_label("Module", exact=True).select_option("consent")
    press(teacher.get_by_role("button", name="Assign", exact=True))
    assert "Module assigned." in teacher.content()

    student_context, student = student_on_phone(browser, live_server, code, first_name, first_pin)
    press(student.locator("a[href*='/learn/quiz/']").first)
    for fieldset in student.locator("fieldset.question").all():
        fieldset.locator("input").first.check()
    press(student.get_by_role("button", name="Submit answers"))
    assert re.search(r"You got (\d+) out of (\d+)", student.content())
    student_context.close()

    teacher.goto(class_url + "/progress")
    row = teacher.locator("tr", has_text=first_name)
    assert re.search(r"Done · \d+/\d+", row.inner_text())

    teacher.goto(class_url + "/assignments")
    press(teacher.get_by_role("link", name=re.compile("Question analysis")).first)
    assert "1 student's counted attempt" in teacher.content()
    assert teacher.locator("figure.chart svg").count() == 1
    assert re.search(r"\d+% \(\d/1\)", teacher.locator("table").inner_text())
    context.close()
