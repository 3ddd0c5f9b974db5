"""A flagged question in Chromium, from the student to a private reply, in Korean and in English: the student
sends it on a phone and gets help and a receipt code; the class teacher opens the case and replies privately;
on another device the code shows the reply and the student answers. axe and the page checks on every page."""

from __future__ import annotations

import re

import pytest

from tests.browser import site_tour as tour

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
CODE = re.compile(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}")
JOURNEYS = {  # language: (demo class code, the student's question, the teacher's reply, the student's answer)
    "ko": ("DEMKR7", "단톡방에 누가 제 친구 사진을 합성해서 올렸어요. 저도 캡처해 뒀는데 어떻게 해야 하나요?",
           "말해 줘서 고마워요. 사진은 더 퍼뜨리지 말고, 친구와 함께 1366에 삭제 지원을 요청할 수 있어요.",
           "친구랑 같이 상담해 볼게요."),
    "en": ("DEMEN7", "Someone made a fake of me and put it in our group chat, what do I do?",
           "Thank you for telling me. You are not in trouble. Can we talk after class? 1366 can help remove it.",
           "Okay, I will come after class."),
}


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_flagged_question_to_private_reply(browser, live_server, axe, lang):
    class_code, question, reply, answer = JOURNEYS[lang]
    problems: list[str] = []

    student_context = browser.new_context(viewport=PHONE, locale="ko-KR")
    student = student_context.new_page()
    tour.sign_in_student(student, live_server, class_code)
    tour.set_language(student, lang)
    student.goto(live_server + "/learn/ask")
    assert "Art. 34" in student.content() or "제34조" in student.content()  # the channel is honest up front
    problems += tour.check_page(student, axe, f"[{lang}] ask", lang)
    student.locator("textarea[name=text]").fill(question)
    student.locator("main form button[type=submit]").click()
    student.wait_for_load_state()
    assert student.locator(".help-list").count() == 1  # flagged: help at once
    code = CODE.search(student.locator(".receipt__code").inner_text()).group(0)
    problems += tour.check_page(student, axe, f"[{lang}] asked (receipt code)", lang)
    student_context.close()

    teacher_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    teacher = teacher_context.new_page()
    tour.sign_in_staff(teacher, live_server, tour.TEACHER)
    tour.set_language(teacher, lang)
    teacher.goto(live_server + "/teach/")
    teacher.locator("main a[href='/safeguarding/cases']").first.click()
    teacher.wait_for_load_state()
    problems += tour.check_page(teacher, axe, f"[{lang}] cases", lang)
    case_links = teacher.locator("main table a[href^='/safeguarding/cases/']")
    opened = None
    for index in range(case_links.count()):  # the case of this question (other runs may have left cases)
        case_links.nth(index).click()
        teacher.wait_for_load_state()
        if question in teacher.locator("main").inner_text():
            opened = teacher.url
            break
        teacher.go_back()
    assert opened, "the flagged question's case is not on the class teacher's list"
    problems += tour.check_page(teacher, axe, f"[{lang}] case", lang)
    teacher.locator("textarea#reply").fill(reply)
    teacher.locator("form[action$='/reply'] button[type=submit]").click()
    teacher.wait_for_load_state()
    assert reply in teacher.locator("#thread").inner_text()
    teacher.locator("button[name=state][value=acknowledged]").click()
    teacher.wait_for_load_state()
    teacher_context.close()

    device = browser.new_context(viewport=PHONE, locale="ko-KR")  # another device, nobody signed in
    page = device.new_page()
    page.goto(live_server + "/")
    tour.set_language(page, lang)
    page.goto(live_server + "/replies")
    problems += tour.check_page(page, axe, f"[{lang}] replies (code form)", lang)
    page.locator("input[name=code]").fill(code.lower())
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    thread = page.locator("main .thread").inner_text()
    assert question in thread and reply in thread
    problems += tour.check_page(page, axe, f"[{lang}] replies (thread)", lang)
    page.locator("textarea[name=text]").fill(answer)
    page.locator("form[action$='/replies/answer'] button[type=submit]").click()
    page.wait_for_load_state()
    assert answer in page.locator("main .thread").inner_text()
    problems += tour.check_page(page, axe, f"[{lang}] replies (answered)", lang)
    device.close()
    assert not problems, "\n".join(problems)
