"""The rendered-page cache of lesson steps: one rendering per class and step, and nothing of one student's in
what another gets or in what the cache keeps."""

from __future__ import annotations

import re

import pytest
from flask import current_app

from edu.content_service import catalog
from edu.extensions import db
from edu.teach import services as teach
from tests import factories

CSRF_VALUE = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in(app, classroom):
    return factories.signed_in_student(app, classroom)[1]


def step_cache():
    cache = current_app.extensions["edu_step_cache"]
    cache._entries.clear()
    cache.hits = cache.misses = 0
    return cache


def step_with(lesson, kind):
    for number, step in enumerate(lesson.steps, start=1):
        for segment in step.segments:
            if segment.kind == kind:
                return number, segment
    raise AssertionError(f"no {kind} block in {lesson.id}")


# ---- cached lesson steps ----


def test_a_step_is_rendered_once_for_a_class_and_each_student_gets_their_own_csrf_token(app, lesson_class):
    classroom, lesson = lesson_class
    cache = step_cache()
    first, second = signed_in(app, classroom), signed_in(app, classroom)
    page_one = first.get(f"/learn/lesson/{lesson.id}?step=1")
    page_two = second.get(f"/learn/lesson/{lesson.id}?step=1")
    assert page_one.status_code == page_two.status_code == 200
    assert (cache.misses, cache.hits) == (1, 1)
    assert lesson.steps[0].title in page_two.text
    tokens_one, tokens_two = set(CSRF_VALUE.findall(page_one.text)), set(CSRF_VALUE.findall(page_two.text))
    assert len(tokens_one) == 1 and len(tokens_two) == 1  # the layout's forms and the cached step's agree
    assert tokens_one != tokens_two
    # Apart from the token, the two students see the same step.
    assert CSRF_VALUE.sub("", page_one.text).count("<form") == CSRF_VALUE.sub("", page_two.text).count("<form")


def test_a_page_from_the_cache_is_the_page_the_student_would_have_had_rendered(app, lesson_class):
    classroom, lesson = lesson_class
    first, second = signed_in(app, classroom), signed_in(app, classroom)
    path = f"/learn/lesson/{lesson.id}?step=2"
    step_cache()
    rendered = second.get(path).text  # rendered for the second student alone
    cache = step_cache()
    first.get(path)
    cached = second.get(path).text  # the first student's rendering, with the second's token
    assert (cache.misses, cache.hits) == (1, 1)
    assert CSRF_VALUE.sub("", cached) == CSRF_VALUE.sub("", rendered)
    # The token's first part is the session's own (the rest is a timestamp and a signature).
    assert {t.split(".")[0] for t in CSRF_VALUE.findall(cached)} == {t.split(".")[0]
                                                                   for t in CSRF_VALUE.findall(rendered)}


def test_a_students_choice_shows_only_on_their_page(app, lesson_class):
    classroom, lesson = lesson_class
    number, check = step_with(lesson, "check")
    step_cache()
    chooser, other = signed_in(app, classroom), signed_in(app, classroom)
    response = chooser.post(f"/learn/lesson/{lesson.id}/block/{check.id}", data={"choice": check.options[0].id})
    assert response.status_code == 302
    assert 'aria-pressed="true"' in chooser.get(f"/learn/lesson/{lesson.id}?step={number}").text
    assert 'aria-pressed="true"' not in other.get(f"/learn/lesson/{lesson.id}?step={number}").text


def test_a_step_with_a_reflection_is_never_kept_in_the_cache(app, lesson_class):
    classroom, lesson = lesson_class
    number, reflection = step_with(lesson, "reflection")
    cache = step_cache()
    client = signed_in(app, classroom)
    words = "canary-reflection-7f3a"
    response = client.post(f"/learn/lesson/{lesson.id}/block/{reflection.id}", data={"text": words})
    assert response.status_code == 302
    assert words in client.get(f"/learn/lesson/{lesson.id}?step={number}").text
    assert words in client.get(f"/learn/lesson/{lesson.id}?step={number}").text
    assert not any(words.encode() in html for html in cache._entries.values())


def test_a_message_for_the_student_shows_once_and_is_never_kept_in_the_cache(app, lesson_class):
    classroom, lesson = lesson_class
    cache = step_cache()
    client = signed_in(app, classroom)
    path = f"/learn/lesson/{lesson.id}?step=1"
    assert client.get(path).status_code == 200  # the page without a message is in the cache now
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "canary-flash-91c2")]
    assert "canary-flash-91c2" in client.get(path).text
    assert "canary-flash-91c2" not in client.get(path).text
    assert not any(b"canary-flash-91c2" in html for html in cache._entries.values())


def test_the_language_switch_returns_to_the_path_asked_for_on_a_cached_page(app, lesson_class):
    classroom, lesson = lesson_class
    step_cache()
    first, second = signed_in(app, classroom), signed_in(app, classroom)
    next_value = re.compile(r'name="next" value="([^"]+)"')
    step_one, resume = f"/learn/lesson/{lesson.id}?step=1", f"/learn/lesson/{lesson.id}?"
    # Step 1 through both of its addresses: the second student has opened nothing yet, so they resume at step 1.
    for client, path in ((first, step_one), (second, resume), (first, step_one)):
        assert next_value.search(client.get(path).text).group(1) == path


def test_only_a_get_of_a_steps_own_address_is_cached(app, lesson_class):
    classroom, lesson = lesson_class
    cache = step_cache()
    client = signed_in(app, classroom)
    step_one = f"/learn/lesson/{lesson.id}?step=1"
    assert client.head(step_one).status_code == 200
    assert client.get(step_one + "&utm=anything").status_code == 200
    assert len(cache) == 0
    page = client.get(step_one).text
    assert 'name="next" value="' + step_one.replace("&", "&amp;") + '"' in page
    assert len(cache) == 1


def test_each_language_is_cached_apart(app, lesson_class):
    classroom, lesson = lesson_class
    cache = step_cache()
    client = signed_in(app, classroom)
    english = client.get(f"/learn/lesson/{lesson.id}?step=1").text
    client.post("/language", data={"locale": "ko", "next": "/"})
    korean = client.get(f"/learn/lesson/{lesson.id}?step=1").text
    assert '<html lang="en">' in english and '<html lang="ko">' in korean
    assert len(cache) == 2


def test_the_cache_drops_the_oldest_steps_past_its_size(app, lesson_class):
    classroom, lesson = lesson_class
    cache = step_cache()
    cache.max_entries = 2
    try:
        client = signed_in(app, classroom)
        for number in (1, 2, 3):
            assert client.get(f"/learn/lesson/{lesson.id}?step={number}").status_code == 200
        assert len(cache) == 2
    finally:
        cache.max_entries = 1024


@pytest.fixture(scope="module")
def tour_app(base_app, database_url, tmp_path_factory):
    """The app on the same database, reading content/ plus the tour lesson with a step for each light block of
    issue 30 (tests/blocks_tour.py), so every kind is covered whichever blocks the real lessons use."""
    from tests.blocks_tour import content_with_blocks_tour
    from tests.conftest import make_test_app

    tree = content_with_blocks_tour(tmp_path_factory.mktemp("tour") / "content")
    return make_test_app(database_url, EDU_CONTENT_DIR=str(tree))


def test_no_per_student_value_reaches_a_cached_page_for_any_block_kind(app, tour_app):
    """Every kind of block in the registry (so a kind added later is covered), in lessons in both languages: a
    student answers every block of a step, a classmate opens the same step, and neither the first student's
    answers, reflection, pseudonym nor CSRF token is in what the classmate gets or in what the cache keeps. Both
    layout templates (base.html around learn/lesson.html) render into each cached page."""
    from edu.content.segments import LESSON_BLOCKS

    with tour_app.app_context():
        content = catalog()
        seen: set[str] = set()
        cache = step_cache()
        for locale in ("ko", "en"):
            for module in content.modules:
                classroom = factories.classroom(factories.teacher(f"t-{locale}-{module.id}@school.test"),
                                                locale=locale, country="KR")
                teach.assign(classroom, "module", module.id)
                db.session.commit()
                for lesson in content.lessons_for(module.id, locale, region="KR"):
                    for number, step in enumerate(lesson.steps, start=1):
                        kinds = {segment.kind for segment in step.segments}
                        if kinds <= seen:
                            continue
                        seen |= kinds
                        first, first_name = signed_in_named(tour_app, classroom)
                        written = answer_every_block(first, lesson, step)
                        first_page = first.get(f"/learn/lesson/{lesson.id}?step={number}").text
                        other, _ = signed_in_named(tour_app, classroom)
                        page = other.get(f"/learn/lesson/{lesson.id}?step={number}").text
                        assert 'aria-pressed="true"' not in page, (lesson.id, number)
                        assert " checked>" not in page, (lesson.id, number)  # a card sort's answer
                        for value in (*written, first_name, *CSRF_VALUE.findall(first_page)):
                            assert value not in page, (lesson.id, number, value)
                            assert not any(value.encode() in html for html in cache._entries.values()), value
        assert set(LESSON_BLOCKS) <= seen, f"no lesson step shows {sorted(set(LESSON_BLOCKS) - seen)}"
        assert len(cache) > 0
        for html in cache._entries.values():
            assert b'<html lang="' in html and b'class="quick-exit' in html and b"lesson" in html


def signed_in_named(app, classroom):
    student, pin = factories.student(classroom)
    client = app.test_client()
    assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
    return client, student.pseudonym


def answer_every_block(client, lesson, step) -> list[str]:
    """Answer each block of the step a student answers in the lesson; returns the free text written."""
    written = []
    for segment in step.segments:
        path = f"/learn/lesson/{lesson.id}/block/{getattr(segment, 'id', '')}"
        choice = {"scenario": lambda s: s.choices[0].id, "check": lambda s: s.options[0].id,
                  "stepout": lambda s: "out", "flip": lambda s: s.answer}.get(segment.kind)
        if segment.kind == "sort":
            cards = {f"item.{item.id}": segment.groups[0].id for item in segment.items}
            assert client.post(path, data={"sort": "1", **cards}).status_code == 302
        elif segment.kind == "reflection":
            words = f"canary-{segment.id}-reflection"
            assert client.post(path, data={"text": words}).status_code == 302
            written.append(words)
        elif choice is not None:
            assert client.post(path, data={"choice": choice(segment)}).status_code == 302
    return written
