"""The lesson's step indicator (done / current / still to do) and the module-end page, in both languages, and the
pictures that go with them. Run with --db=postgresql too: the module-end page reads the student's progress."""

from __future__ import annotations

import re

import pytest

from edu.content_service import catalog
from edu.extensions import db
from edu.safeguarding import services as safeguarding
from edu.teach import services as teach
from tests import factories

WORDS = {
    "en": {"count": "Step {n} of {total}", "done": "Step {n}, done:", "here": "Step {n}, you are here:",
           "left": "Step {n}, still to do:", "finished": "You finished all the lessons of this module",
           "learned": "What you learned", "next": "What is next", "quiz": "Take the quiz:",
           "quiz_done": "You have also done this module's quiz.", "card_link": "What you learned in this module"},
    "ko": {"count": "{total}단계 중 {n}단계", "done": "{n}단계, 마쳤어요:", "here": "{n}단계, 지금 여기예요:",
           "left": "{n}단계, 아직 남았어요:", "finished": "이 모듈의 수업을 모두 마쳤어요",
           "learned": "배운 것", "next": "다음에 할 일", "quiz": "퀴즈 풀기:",
           "quiz_done": "이 모듈의 퀴즈도 이미 풀었어요.", "card_link": "이 모듈에서 배운 것"},
}


@pytest.fixture(params=["en", "ko"])
def room(request, app, ctx):
    locale = request.param
    classroom = factories.classroom(factories.teacher(), locale=locale, country="KR")
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    lessons = catalog().lessons_for("consent", locale, region="KR")
    quiz = catalog().quiz_for("consent", locale, "KR")
    return {"locale": locale, "words": WORDS[locale], "client": client, "lessons": lessons, "quiz": quiz,
            "classroom": classroom}


def finish(client, lesson):
    """Answer every check of the lesson, then finish it: the redirect's target."""
    for step in lesson.steps:
        for check in step.blocks("check"):
            client.post(f"/learn/lesson/{lesson.id}/block/{check.id}", data={"choice": check.options[0].id})
    response = client.post(f"/learn/lesson/{lesson.id}/finish")
    assert response.status_code == 302
    return response.headers["Location"]


def indicator(page: str) -> list[str]:
    """The state of each step in the indicator's list, in order."""
    block = re.search(r'<ol class="steps__list".*?</ol>', page, re.S)
    assert block, "no step indicator"
    return re.findall(r'<li class="steps__item steps__item--(\w+)"', block.group(0))


def test_the_step_indicator_marks_done_current_and_left_steps_in_the_lessons_words(room):
    client, words, lesson = room["client"], room["words"], room["lessons"][0]
    total = len(lesson.steps)
    assert total >= 3
    page = client.get(f"/learn/lesson/{lesson.id}?step=2").get_data(as_text=True)
    assert indicator(page) == ["done", "current"] + ["left"] * (total - 2)
    # aria-current on the current step only, and each state in words, not only in colour
    assert page.count('aria-current="step"') == 2  # the indicator's item and the "All steps" list's entry
    assert re.search(r'<li class="steps__item steps__item--current" aria-current="step">', page)
    assert words["count"].format(n=2, total=total) in page
    assert f'{words["done"].format(n=1)} {lesson.steps[0].title}' in page
    assert f'{words["here"].format(n=2)} {lesson.steps[1].title}' in page
    assert f'{words["left"].format(n=total)} {lesson.steps[-1].title}' in page
    # the list is named by the visible count
    assert '<ol class="steps__list" aria-labelledby="steps-count">' in page and 'id="steps-count"' in page


def test_first_and_last_steps(room):
    client, lesson = room["client"], room["lessons"][0]
    total = len(lesson.steps)
    first = client.get(f"/learn/lesson/{lesson.id}?step=1").get_data(as_text=True)
    assert indicator(first) == ["current"] + ["left"] * (total - 1)
    last = client.get(f"/learn/lesson/{lesson.id}?step={total}").get_data(as_text=True)
    assert indicator(last) == ["done"] * (total - 1) + ["current"]


def test_the_lesson_header_shows_the_modules_picture_as_decoration(room):
    client, lesson = room["client"], room["lessons"][0]
    page = client.get(f"/learn/lesson/{lesson.id}").get_data(as_text=True)
    img = re.search(r'<img class="picture picture--lesson" src="(/static/img/consent\.[0-9a-f]{12}\.svg)" '
                    r'alt="" aria-hidden="true"', page)
    assert img, "the module's picture, decorative, by its hashed name"
    response = client.get(img.group(1), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_module_end_page_follows_the_last_lesson_and_names_what_was_learned(room):
    client, words, lessons, quiz = room["client"], room["words"], room["lessons"], room["quiz"]
    assert len(lessons) >= 2
    for lesson in lessons[:-1]:
        assert finish(client, lesson).endswith("/learn/")  # more lessons to go: back to the lessons page
    home = client.get("/learn/").get_data(as_text=True)
    assert words["card_link"] not in home
    assert client.get("/learn/module/consent/done").headers["Location"].endswith("/learn/")  # not yet

    assert finish(client, lessons[-1]).endswith("/learn/module/consent/done")
    page = client.get("/learn/module/consent/done").get_data(as_text=True)
    assert words["finished"] in page and words["learned"] in page and words["next"] in page
    for lesson in lessons:
        assert lesson.title in page
        for objective in lesson.objectives:
            assert objective.replace('"', "&#34;").replace("'", "&#39;") in page
    assert f'href="/learn/quiz/{quiz.id}"' in page and words["quiz"] in page
    for help_link in ('href="/help"', 'href="/learn/ask"', 'href="/learn/talk"'):
        assert help_link in page
    # no points, streaks or badges: nothing is counted on the page
    assert not re.search(r"\b(points?|streak|badge)s?\b|포인트|연속|배지", page, re.I)
    assert re.search(r'<img class="picture picture--end" src="/static/img/module-end\.[0-9a-f]{12}\.svg" alt=""',
                     page)
    # and the lessons page now links to it
    assert words["card_link"] in client.get("/learn/").get_data(as_text=True)


def test_after_the_quiz_the_module_end_page_says_so_instead_of_offering_it(room):
    client, words, lessons, quiz = room["client"], room["words"], room["lessons"], room["quiz"]
    for lesson in lessons:
        finish(client, lesson)
    answers = {f"q-{q.id}": sorted(q.correct_ids) for q in quiz.questions}
    client.post(f"/learn/quiz/{quiz.id}", data={**answers, "action": "submit", "attempt": "1"})
    page = client.get("/learn/module/consent/done").get_data(as_text=True)
    assert words["quiz"] not in page and words["quiz_done"] in page


def test_the_module_end_page_is_only_for_an_assigned_open_module(room, app):
    client = room["client"]
    assert client.get("/learn/module/deepfakes/done").status_code == 404
    assert client.get("/learn/module/no-such-module/done").status_code == 404
    safeguarding.pause_module(room["classroom"], "consent")
    db.session.commit()
    paused = client.get("/learn/module/consent/done")
    assert paused.status_code == 200 and room["lessons"][0].title not in paused.get_data(as_text=True)


def test_pictures_on_the_lessons_page_are_decorative(room):
    page = room["client"].get("/learn/").get_data(as_text=True)
    imgs = re.findall(r"<img [^>]*>", page)
    assert any("img/consent." in tag for tag in imgs) and any("img/help." in tag for tag in imgs)
    for tag in imgs:
        assert 'alt=""' in tag and 'aria-hidden="true"' in tag and "width=" in tag and "height=" in tag


def test_an_empty_lessons_page_shows_the_empty_picture(app, ctx):
    classroom = factories.classroom(factories.teacher(), locale="en", country="KR")
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    page = client.get("/learn/").get_data(as_text=True)
    assert "Your teacher has not assigned any lessons yet." in page
    assert re.search(r'<img class="picture picture--empty" src="/static/img/empty\.[0-9a-f]{12}\.svg" alt=""', page)
