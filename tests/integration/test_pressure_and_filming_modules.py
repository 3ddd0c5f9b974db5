"""The modules of issue 34, Korean first: `pressure` (pressure to send nudes, and the law for minors) and
`illegal-filming` (불법촬영). Every step of every lesson renders for a student in both languages and all three
age bands (a Korean class and an international one) with the band's own story; each quiz renders, has transfer
questions and grades a submitted attempt; the teacher guide, family sheet and worksheet open in both languages."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import QuizAttempt
from tests import factories

BANDS = ("middle", "high", "university")
MODULES = {
    "pressure": {
        "lessons": ["pressure-how-it-works", "pressure-if-sent", "pressure-respect"],
        "quiz": "pressure-quiz",
        "story_step": "how-it-works",
        # the band's own story: a boy pressured by his girlfriend, a girl by an online "friend", a group
        "names": {"ko": {"middle": "민재", "high": "예린", "university": "현우"},
                  "en": {"middle": "Minjae", "high": "Yerin", "university": "Hyunwoo"}},
        "write_lines": 3 + 3 + 4 + 2 + 4 + 3,
    },
    "illegal-filming": {
        "lessons": ["filming-what-it-is", "filming-what-to-do", "filming-norms"],
        "quiz": "filming-quiz",
        "story_step": "anyone",
        # boys filmed in a changing room, a teacher filmed in class, a partner filmed in secret
        "names": {"ko": {"middle": "도현", "high": "국어 선생님", "university": "유나"},
                  "en": {"middle": "Dohyun", "high": "Korean literature teacher", "university": "Yuna"}},
        "write_lines": 4 + 4 + 3 + 3,
    },
}


@pytest.fixture
def student_client(module_student):
    return module_student


@pytest.mark.parametrize("module", MODULES)
def test_the_module_is_published_in_both_languages_korean_first(ctx, module):
    spec = MODULES[module]
    found = catalog().module(module)
    assert found is not None and list(found.lesson_ids) == spec["lessons"] and spec["quiz"] in found.quiz_ids
    for locale in ("ko", "en"):
        for region in ("KR", "INTL"):
            lessons = catalog().lessons_for(module, locale, region=region)
            assert [lesson.id for lesson in lessons] == spec["lessons"]
            assert all(not lesson.is_draft for lesson in lessons)
            assert all(lesson.translated_from == ("ko" if locale == "en" else None) for lesson in lessons)
        quiz = catalog().quiz(spec["quiz"], locale)
        assert quiz is not None and not quiz.is_draft


@pytest.mark.parametrize(("locale", "country"), [("ko", "KR"), ("en", "KR"), ("en", "GB")])
@pytest.mark.parametrize("band", BANDS)
@pytest.mark.parametrize("module", MODULES)
def test_every_step_renders_for_every_band(student_client, module, locale, country, band):
    spec = MODULES[module]
    client = student_client(module, locale, band, country)
    lessons = catalog().lessons_for(module, locale, region="KR" if country == "KR" else "INTL")
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
            if lesson.id == spec["lessons"][0] and step.id == spec["story_step"]:
                names = spec["names"][locale]
                assert names[band] in page, (band, lesson.id)
                assert not any(name in page for other, name in names.items() if other != band)


@pytest.mark.parametrize("module", MODULES)
def test_every_lesson_opens_with_a_question_names_its_step_out_and_keeps_help_close(ctx, module):
    for locale in ("ko", "en"):
        for lesson in catalog().lessons_for(module, locale, region="KR"):
            assert lesson.steps[0].id == "question"
            labels = [seg.label for step in lesson.steps for seg in step.segments if seg.kind == "stepout"]
            assert labels and all(label in lesson.content_note for label in labels), lesson.id
            topics = {t for step in lesson.steps for seg in step.segments if seg.kind == "help" for t in seg.topics}
            assert {"crisis", "removal"} <= topics or {"crisis", "youth"} <= topics, lesson.id
            bands = {b for step in lesson.steps for seg in step.segments if seg.kind == "audience" for b in seg.bands}
            assert bands == set(BANDS), lesson.id


def test_the_pressured_student_is_a_victim_never_threatened(ctx):
    """The law is taught as protection: each language says the pressured young person is a victim and that
    keeping or forwarding a classmate's image is possession or distribution."""
    for locale, victim, keep in (("ko", "피해자", "소지"), ("en", "victim", "possession")):
        lesson = catalog().lesson("pressure-if-sent", locale)
        html = " ".join(getattr(seg, "html", "") for seg in lesson.step("law").segments)
        assert victim in html and keep in html, locale


@pytest.mark.parametrize("locale", ["ko", "en"])
@pytest.mark.parametrize("module", MODULES)
def test_the_quiz_renders_and_grades(student_client, module, locale):
    spec = MODULES[module]
    client = student_client(module, locale, "high")
    quiz = catalog().quiz(spec["quiz"], locale)
    assert sum(1 for q in quiz.questions if q.transfer) >= 2
    longest = [q for q in quiz.questions if len(q.options) > 2 and max(q.options, key=lambda o: len(o.text)).correct]
    assert len(longest) * 2 <= len(quiz.questions)
    page = client.get(f"/learn/quiz/{quiz.id}")
    assert page.status_code == 200 and str(escape(quiz.title)) in page.get_data(as_text=True)
    # every question right but the first one
    data = {f"q-{q.id}": [o.id for o in q.options if o.correct] for q in quiz.questions}
    first = quiz.questions[0]
    data[f"q-{first.id}"] = [next(o.id for o in first.options if not o.correct)]
    data.update({"action": "submit", "attempt": "1"})
    response = client.post(f"/learn/quiz/{quiz.id}", data=data)
    assert response.status_code == 302 and "/result/1" in response.headers["Location"]
    assert client.get(response.headers["Location"]).status_code == 200
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id))
    assert attempt.score == len(quiz.questions) - 1


@pytest.mark.parametrize("module", MODULES)
def test_guide_family_sheet_and_worksheet_render_in_both_languages(app, ctx, module):
    factories.teacher("owner@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    for locale in ("ko", "en"):
        guide = client.get(f"/guide/{module}?locale={locale}")
        assert guide.status_code == 200
        html = guide.get_data(as_text=True)
        for section in ("disclosure", "live-case", "periods", "activities"):
            assert f'id="{section}"' in html, (locale, section)
        for lesson_id in MODULES[module]["lessons"]:  # the period map links each lesson
            assert lesson_id in html, (locale, lesson_id)
        family = client.get(f"/family/{module}?locale={locale}")
        assert family.status_code == 200 and "[[fact:" not in family.get_data(as_text=True)
        sheet = client.get(f"/worksheet/{module}?locale={locale}")
        assert sheet.status_code == 200
        page = sheet.get_data(as_text=True)
        assert page.count('<span class="write__line"></span>') == MODULES[module]["write_lines"]
        assert "[[fact:" not in page and ":::" not in page
