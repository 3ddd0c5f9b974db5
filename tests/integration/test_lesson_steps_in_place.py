"""A lesson's steps shown without page loads (static/js/lesson.js): the whole lesson's steps in one response, and
the student's place sent once. Both follow the step page's rules: the student's own answers in place and nobody
else's, nothing recorded by reading, the same access checks, and the furthest step never going back."""

from __future__ import annotations

import html as html_text
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from edu.extensions import db
from edu.models import LessonProgress
from edu.safeguarding import services as safeguarding
from tests import factories

TEMPLATE = re.compile(r'<template data-step="(\d+)" data-title="([^"]*)">')


@pytest.fixture
def lesson_setup(app, lesson_class):
    """The shared lesson class (tests/conftest.py: consent assigned, its first lesson) with two signed-in students."""
    classroom, lesson = lesson_class
    clients = []
    for _ in range(2):
        student, pin = factories.student(classroom)
        client = app.test_client()
        factories.sign_in_student(client, classroom, student, pin)
        clients.append(client)
    return classroom, clients, lesson


def progress(lesson) -> list[tuple[int, int]]:
    db.session.commit()  # a fresh transaction sees what the requests wrote
    return [tuple(row) for row in db.session.execute(
        select(LessonProgress.last_step, LessonProgress.furthest_step).where(LessonProgress.lesson_id == lesson.id))]


def as_int(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def block_of(lesson, kind: str):
    return next((number, seg) for number, step in enumerate(lesson.steps, start=1) for seg in step.segments
                if seg.kind == kind)


def test_the_steps_come_in_one_response_each_as_its_page_shows_it_and_reading_them_records_nothing(lesson_setup):
    _classroom, (client, _other), lesson = lesson_setup
    response = client.get(f"/learn/lesson/{lesson.id}/steps")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    found = TEMPLATE.findall(html)
    assert [int(number) for number, _title in found] == list(range(1, len(lesson.steps) + 1))
    for (number, title), step in zip(found, lesson.steps, strict=True):
        assert html_text.unescape(title).startswith(f"{step.title} · {lesson.title} · ")
        page = client.get(f"/learn/lesson/{lesson.id}?step={number}").get_data(as_text=True)
        assert f"Step {number} of {len(lesson.steps)}" in page
    assert html.count('<article class="lesson"') == len(lesson.steps)
    assert all(f"Step {n} of {len(lesson.steps)}" in html for n in range(1, len(lesson.steps) + 1))
    db.session.commit()
    before = progress(lesson)
    client.get(f"/learn/lesson/{lesson.id}/steps")
    assert progress(lesson) == before


def test_the_lesson_page_offers_the_steps_and_where_to_send_the_place(lesson_setup):
    _classroom, (client, _other), lesson = lesson_setup
    page = client.get(f"/learn/lesson/{lesson.id}?step=2").get_data(as_text=True)
    assert f'data-steps-url="/learn/lesson/{lesson.id}/steps"' in page
    assert f'data-progress-url="/learn/lesson/{lesson.id}/progress"' in page
    assert 'data-step="2"' in page and "/static/js/lesson." in page


def test_each_student_gets_their_own_answers_and_never_anothers_reflection(lesson_setup):
    _classroom, (first, second), lesson = lesson_setup
    number, check = block_of(lesson, "check")
    _number, reflection = block_of(lesson, "reflection")
    first.post(f"/learn/lesson/{lesson.id}/block/{check.id}", data={"choice": check.options[0].id})
    second_before = second.get(f"/learn/lesson/{lesson.id}/steps").get_data(as_text=True)  # into the cache
    first.post(f"/learn/lesson/{lesson.id}/block/{reflection.id}", data={"text": "My very own words 4711"})
    mine = first.get(f"/learn/lesson/{lesson.id}/steps").get_data(as_text=True)
    theirs = second.get(f"/learn/lesson/{lesson.id}/steps").get_data(as_text=True)
    assert "My very own words 4711" in mine
    assert "My very own words 4711" not in theirs and theirs == second_before
    answered = first.get(f"/learn/lesson/{lesson.id}?step={number}").get_data(as_text=True)
    assert answered.count('class="feedback') >= 1
    assert theirs.count('class="feedback') < mine.count('class="feedback')


def test_the_place_sent_on_leaving_is_recorded_and_the_furthest_step_never_goes_back(lesson_setup):
    _classroom, (client, _other), lesson = lesson_setup
    url = f"/learn/lesson/{lesson.id}"
    client.get(url)  # opening the lesson records step 1
    assert progress(lesson) == [(0, 0)]
    assert client.post(f"{url}/progress", data={"step": "2", "furthest": "4"}).status_code == 204
    assert progress(lesson) == [(1, 3)]
    assert client.post(f"{url}/progress", data={"step": "1", "furthest": "1"}).status_code == 204
    assert progress(lesson) == [(0, 3)]  # back to step 1 to resume; how far they got stays
    assert f"Step 4 of {len(lesson.steps)}" in client.get("/learn/").get_data(as_text=True)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(step=st.one_of(st.integers(-2, 12).map(str), st.text(max_size=4)),
       furthest=st.one_of(st.integers(-2, 12).map(str), st.text(max_size=4)))
def test_any_place_sent_is_stored_only_when_it_fits_the_lesson(lesson_setup, step, furthest):
    _classroom, (client, _other), lesson = lesson_setup
    before = progress(lesson)
    status = client.post(f"/learn/lesson/{lesson.id}/progress", data={"step": step, "furthest": furthest}).status_code
    numbers = [as_int(step), as_int(furthest)]
    if None not in numbers and 1 <= numbers[0] <= numbers[1] <= len(lesson.steps):
        assert status == 204
        last, how_far = progress(lesson)[0]
        assert last == numbers[0] - 1 and how_far >= numbers[1] - 1
    else:
        assert status == 400 and progress(lesson) == before


def test_the_steps_and_the_place_follow_the_lesson_pages_access_rules(app, lesson_setup):
    classroom, (client, _other), lesson = lesson_setup
    assert client.get("/learn/lesson/no-such-lesson/steps").status_code == 404
    assert client.post("/learn/lesson/no-such-lesson/progress", data={"step": "1", "furthest": "1"}).status_code == 404
    signed_out = app.test_client()
    assert signed_out.get(f"/learn/lesson/{lesson.id}/steps").status_code in (302, 401)
    assert signed_out.post(f"/learn/lesson/{lesson.id}/progress",
                           data={"step": "1", "furthest": "1"}).status_code in (302, 401, 403)
    teacher = app.test_client()
    factories.sign_in_staff(teacher, "teacher@school.test")
    assert teacher.get(f"/learn/lesson/{lesson.id}/steps").status_code == 403
    safeguarding.pause_module(classroom, lesson.module)
    db.session.commit()
    paused = client.get(f"/learn/lesson/{lesson.id}/steps").get_data(as_text=True)
    assert "<template" not in paused  # the neutral paused page: the script falls back to the plain link
    assert client.post(f"/learn/lesson/{lesson.id}/progress", data={"step": "1", "furthest": "1"}).status_code == 200
    assert progress(lesson) == []
