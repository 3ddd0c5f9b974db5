"""The sextortion module (issue 33: sextortion and 몸캠피싱, AI sextortion included): every step of both lessons
renders for a student in both languages and all three age bands (a Korean class and an international one), with
the band's own scenario; the quiz, the teacher guide, the family sheet and the worksheet render."""

from __future__ import annotations

import functools

import pytest
from markupsafe import escape

from edu.content_service import catalog
from tests import factories

MODULE = "sextortion"
LESSONS = ["sextortion-how-it-works", "sextortion-what-to-do"]
BANDS = ("middle", "high", "university")
# The person in the band's own story in the first lesson's step 'how-it-starts'.
STORY_NAMES = {
    "ko": {"middle": "준호", "high": "서진", "university": "도윤"},
    "en": {"middle": "Junho", "high": "Seojin", "university": "Doyun"},
}


@pytest.fixture
def student_client(module_student):
    return functools.partial(module_student, MODULE)


def test_the_module_is_published_in_both_languages_korean_first(ctx):
    module = catalog().module(MODULE)
    assert module is not None and list(module.lesson_ids) == LESSONS
    for locale in ("ko", "en"):
        lessons = catalog().lessons_for(MODULE, locale, region="KR")
        assert [lesson.id for lesson in lessons] == LESSONS
        assert all(not lesson.is_draft for lesson in lessons)
        assert all(lesson.translated_from == ("ko" if locale == "en" else None) for lesson in lessons)


@pytest.mark.parametrize(("locale", "country"), [("ko", "KR"), ("en", "KR"), ("en", "GB")])
@pytest.mark.parametrize("band", BANDS)
def test_every_step_renders_for_every_band(student_client, locale, country, band):
    client = student_client(locale, band, country)
    lessons = catalog().lessons_for(MODULE, locale, region="KR" if country == "KR" else "INTL")
    assert [lesson.id for lesson in lessons] == LESSONS
    for lesson in lessons:
        for number, step in enumerate(lesson.steps, 1):
            response = client.get(f"/learn/lesson/{lesson.id}?step={number}")
            assert response.status_code == 200, (lesson.id, step.id)
            page = response.get_data(as_text=True)
            assert str(escape(step.title)) in page, (lesson.id, step.id)
            assert "[[fact:" not in page and "\n:::" not in page, (lesson.id, step.id)
            for seg in step.segments:
                if seg.kind in ("sort", "flip", "scenario", "check", "stepout", "reflection"):  # polls: teachers only
                    assert seg.id in page, (lesson.id, step.id, seg.id)
            if step.id == "how-it-starts":
                names = STORY_NAMES[locale]
                assert names[band] in page, (band, lesson.id)
                assert not any(name in page for other, name in names.items() if other != band)


def test_every_lesson_opens_with_a_question_names_its_step_out_and_keeps_help_close(ctx):
    for locale in ("ko", "en"):
        for lesson in catalog().lessons_for(MODULE, locale, region="KR"):
            assert lesson.steps[0].id == "question"
            labels = [seg.label for step in lesson.steps for seg in step.segments if seg.kind == "stepout"]
            assert labels and all(label in lesson.content_note for label in labels), lesson.id
            topics = {t for step in lesson.steps for seg in step.segments if seg.kind == "help" for t in seg.topics}
            assert "crisis" in topics, lesson.id
            bands = {b for step in lesson.steps for seg in step.segments if seg.kind == "audience" for b in seg.bands}
            assert bands == set(BANDS), lesson.id


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_the_quiz_renders_and_has_transfer_questions(student_client, locale):
    client = student_client(locale, "high")
    quiz = catalog().quiz("sextortion-quiz", locale)
    assert quiz is not None and sum(1 for q in quiz.questions if q.transfer) >= 2
    longest = [q for q in quiz.questions if len(q.options) > 2
               and max(q.options, key=lambda o: len(o.text)).correct]
    assert len(longest) * 2 <= len(quiz.questions)  # the correct option is not the longest in most questions
    response = client.get("/learn/quiz/sextortion-quiz")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert str(escape(quiz.title)) in page and "[[fact:" not in page


def test_guide_family_sheet_and_worksheet_render_in_both_languages(app, ctx):
    factories.teacher("owner@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    for locale in ("ko", "en"):
        guide = client.get(f"/guide/{MODULE}?locale={locale}")
        assert guide.status_code == 200
        html = guide.get_data(as_text=True)
        for section in ("disclosure", "live-case", "periods", "activities"):
            assert f'id="{section}"' in html, (locale, section)
        family = client.get(f"/family/{MODULE}?locale={locale}")
        assert family.status_code == 200 and "[[fact:" not in family.get_data(as_text=True)
        sheet = client.get(f"/worksheet/{MODULE}?locale={locale}")
        assert sheet.status_code == 200
        page = sheet.get_data(as_text=True)
        assert page.count('<span class="write__line"></span>') == 4 + 5 + 5 + 3
        assert "[[fact:" not in page and ":::" not in page
