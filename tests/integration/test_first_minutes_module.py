"""The first-minutes module (issue 33: "I was added to a room / someone sent it to me / my phone saved it"):
every step of both lessons renders for a student in both languages and all three age bands, with the band's own
scenario; the quiz, the teacher guide, the family sheet and the worksheet render; the app-specific steps wait
in the facts registry, unverified and never cited."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from markupsafe import escape

from edu.content_service import catalog
from tests import factories

MODULE = "first-minutes"
ROOT = Path(__file__).resolve().parents[2]
BANDS = ("middle", "high", "university")
# The character of the band's own scenario in the practice step of the first lesson.
PRACTICE_NAMES = {
    "ko": {"middle": "서준", "high": "지아", "university": "도윤"},
    "en": {"middle": "Seojun", "high": "Jia", "university": "Doyun"},
}
APP_FACTS = ("app-kakaotalk-autodownload", "app-kakaotalk-report-leave", "app-telegram-autodownload",
             "app-telegram-report-leave", "phone-recently-deleted-iphone", "phone-trash-android",
             "app-whatsapp-autodownload", "app-whatsapp-report-leave")


@pytest.fixture
def student_client(module_student):
    return functools.partial(module_student, MODULE)


def test_the_module_is_published_in_both_languages(ctx):
    for locale in ("ko", "en"):
        lessons = catalog().lessons_for(MODULE, locale, region="KR")
        assert [lesson.id for lesson in lessons] == ["first-minutes-what-to-do", "first-minutes-reporting"]
        assert all(not lesson.is_draft for lesson in lessons)
        assert catalog().quiz("first-minutes-quiz", locale) is not None
    module = catalog().module(MODULE)
    assert module is not None and module.lesson_ids == ("first-minutes-what-to-do", "first-minutes-reporting")


@pytest.mark.parametrize("locale,country", [("ko", "KR"), ("en", "KR"), ("en", "GB")])
@pytest.mark.parametrize("band", BANDS)
def test_every_step_renders_for_every_band(student_client, locale, country, band):
    client = student_client(locale, band, country)
    region = "KR" if country == "KR" else "INTL"
    lessons = catalog().lessons_for(MODULE, locale, region=region)
    assert len(lessons) == 2
    for lesson in lessons:
        for number, step in enumerate(lesson.steps, 1):
            response = client.get(f"/learn/lesson/{lesson.id}?step={number}")
            assert response.status_code == 200, (lesson.id, step.id)
            page = response.get_data(as_text=True)
            assert str(escape(step.title)) in page, (lesson.id, step.id)
            assert "[[fact:" not in page and "\n:::" not in page, (lesson.id, step.id)
            for seg in step.segments:
                if seg.kind in ("sort", "flip", "reveal", "scenario", "check", "stepout"):
                    assert seg.id in page, (lesson.id, step.id, seg.id)
            if step.id == "practice":
                names = PRACTICE_NAMES[locale]
                assert names[band] in page
                assert not any(name in page for other, name in names.items() if other != band)


def test_the_content_note_names_the_step_out_buttons(ctx):
    for locale in ("ko", "en"):
        for lesson in catalog().lessons_for(MODULE, locale, region="KR"):
            labels = [seg.label for step in lesson.steps for seg in step.segments if seg.kind == "stepout"]
            assert labels, lesson.id
            assert all(label in lesson.content_note for label in labels), (lesson.id, labels)


def test_every_lesson_has_help_and_the_crisis_line_close_by(ctx):
    for locale in ("ko", "en"):
        for lesson in catalog().lessons_for(MODULE, locale, region="KR"):
            topics = {t for step in lesson.steps for seg in step.segments if seg.kind == "help"
                      for t in seg.topics}
            assert "crisis" in topics, lesson.id


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_the_quiz_renders_and_has_transfer_questions(student_client, locale):
    client = student_client(locale, "high")
    quiz = catalog().quiz("first-minutes-quiz", locale)
    assert quiz is not None
    assert sum(1 for q in quiz.questions if q.transfer) >= 2
    response = client.get("/learn/quiz/first-minutes-quiz")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "[[fact:" not in page
    assert str(escape(quiz.title)) in page


def test_guide_family_sheet_and_worksheet_render(app, ctx):
    factories.teacher("owner@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    for locale in ("ko", "en"):
        guide = client.get(f"/guide/{MODULE}?locale={locale}")
        assert guide.status_code == 200
        html = guide.get_data(as_text=True)
        assert 'id="disclosure"' in html and 'id="live-case"' in html and 'id="period-map"' in html
        assert client.get(f"/family/{MODULE}?locale={locale}").status_code == 200
        if not hasattr(catalog(), "worksheet"):
            continue  # the worksheet kind arrives with the mod-sextortion branch
        assert catalog().worksheet(MODULE, locale) is not None
        sheet = client.get(f"/worksheet/{MODULE}?locale={locale}")
        assert sheet.status_code == 200
        assert "[[fact:" not in sheet.get_data(as_text=True)


def test_app_specific_steps_wait_unverified_and_are_never_cited(ctx):
    for fact_id in APP_FACTS:
        fact = catalog().fact(fact_id)
        assert fact is not None and not fact.verified and fact.note, fact_id
    cited = "".join(path.read_text("utf-8") for path in (ROOT / "content").rglob("*")
                    if path.is_file() and path.suffix in (".md", ".yaml") and "facts" not in path.parts)
    for fact_id in APP_FACTS:
        assert f"[[fact:{fact_id}]]" not in cited and f"fact: {fact_id}" not in cited
