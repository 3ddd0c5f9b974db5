"""The dating module (issue 40: dating, relationships and sexual consent): every step of both lessons renders for a
student in both languages and all three age bands (a Korean class and an international one), with the band's own
story and the band's own law paragraph; the quiz grades; the teacher guide, the family sheet and the worksheet
render."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from markupsafe import escape

from edu.content_service import catalog
from tests import factories

MODULE = "dating"
LESSONS = ["dating-consent", "dating-control", "dating-adults"]
BANDS = ("middle", "high", "university")
UNIVERSITY_ONLY = {"dating-adults"}  # issue 40: university students get a lesson of their own


def lessons_of_band(band: str) -> list[str]:
    return [lesson_id for lesson_id in LESSONS if band == "university" or lesson_id not in UNIVERSITY_ONLY]
# The people in the band's own story: the first lesson's step 'each-time', the second's 'control-or-care'.
STORY_NAMES = {
    ("dating-consent", "each-time"): {
        "ko": {"middle": "지호", "high": "태오", "university": "준서"},
        "en": {"middle": "Jiho", "high": "Teo", "university": "Junseo"},
    },
    ("dating-control", "control-or-care"): {
        "ko": {"middle": "서아", "high": "시우", "university": "지현"},
        "en": {"middle": "Seoa", "high": "Siwoo", "university": "Jihyun"},
    },
}
# The age-of-consent step: the ages are cited from the registry for high school and university, never for
# middle school (relationships and respect without sexual detail).
AGE_WORDING = {"ko": "13세 이상 16세 미만", "en": "13, 14 or 15"}


@pytest.fixture
def student_client(module_student):
    return functools.partial(module_student, MODULE)


def test_the_module_is_published_in_both_languages_korean_first(ctx):
    module = catalog().module(MODULE)
    assert module is not None and list(module.lesson_ids) == LESSONS
    for locale in ("ko", "en"):
        for region in ("KR", "INTL"):
            lessons = catalog().lessons_for(MODULE, locale, region=region)
            assert [lesson.id for lesson in lessons] == LESSONS
            assert all(not lesson.is_draft for lesson in lessons)
            for band in BANDS:
                shown = catalog().lessons_for(MODULE, locale, region=region, band=band)
                assert [lesson.id for lesson in shown] == lessons_of_band(band)
            assert all(lesson.translated_from == ("ko" if locale == "en" else None) for lesson in lessons)


def _age_step_text(page: str) -> str:
    """The part of the page the student reads, without the collapsed legal registry entry below it."""
    return page.split('class="legal', 1)[0]


@pytest.mark.parametrize(("locale", "country"), [("ko", "KR"), ("en", "KR"), ("en", "GB")])
@pytest.mark.parametrize("band", BANDS)
def test_every_step_renders_for_every_band(student_client, locale, country, band):
    client = student_client(locale, band, country)
    lessons = catalog().lessons_for(MODULE, locale, region="KR" if country == "KR" else "INTL", band=band)
    assert [lesson.id for lesson in lessons] == lessons_of_band(band)
    home = client.get("/learn/").get_data(as_text=True)
    for lesson_id in UNIVERSITY_ONLY:  # the student's home page links exactly the band's lessons
        assert (f"/learn/lesson/{lesson_id}" in home) == (band == "university"), (band, lesson_id)
        if band != "university":
            assert client.get(f"/learn/lesson/{lesson_id}?step=1").status_code == 404
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
            names = STORY_NAMES.get((lesson.id, step.id), {}).get(locale)
            if names:
                assert names[band] in page, (band, lesson.id)
                assert not any(name in page for other, name in names.items() if other != band)
            if step.id == "age-law":
                shown = AGE_WORDING[locale] in _age_step_text(page)
                assert shown == (band != "middle"), (locale, band)


def test_every_lesson_opens_with_a_question_names_its_step_out_and_keeps_help_close(ctx):
    for locale in ("ko", "en"):
        for lesson in catalog().lessons_for(MODULE, locale, region="KR"):
            assert lesson.steps[0].id == "question"
            labels = [seg.label for step in lesson.steps for seg in step.segments if seg.kind == "stepout"]
            assert labels and all(label in lesson.content_note for label in labels), lesson.id
            topics = {t for step in lesson.steps for seg in step.segments if seg.kind == "help" for t in seg.topics}
            assert "crisis" in topics, lesson.id
            bands = {b for step in lesson.steps for seg in step.segments if seg.kind == "audience" for b in seg.bands}
            # a lesson for every band speaks to each band; a university-only lesson is written for it throughout
            assert bands == (set() if lesson.id in UNIVERSITY_ONLY else set(BANDS)), lesson.id
            assert set(lesson.age_bands) == ({"university"} if lesson.id in UNIVERSITY_ONLY else set(BANDS))


def test_the_age_of_consent_and_help_numbers_come_from_the_registries(ctx):
    """Ages, the article and help-line numbers are cited, never typed into the module's lessons or quiz."""
    root = Path(__file__).resolve().parents[2] / "content"
    files = [*root.glob(f"lessons/*/{MODULE}/*.md"), *root.glob(f"quizzes/*/{MODULE}/*.yaml")]
    assert len(files) == 8  # three lessons and the quiz, in two languages
    for path in files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            text = text.split("\n---\n", 1)[1]  # the lesson, without its front matter (sources may name articles)
        body = "\n".join(line for line in text.splitlines()  # registry keys and sources name them; text never does
                          if not line.lstrip().startswith(("keys:", "title:", "url:")))
        for typed in ("13세", "16세", "19세", "제305조", "1366", "1388", "112", "117", "109", "Art. 305"):
            assert typed not in body, (path.name, typed)


@pytest.mark.parametrize("locale", ["ko", "en"])
def test_the_quiz_renders_grades_and_has_transfer_questions(student_client, locale):
    client = student_client(locale, "high")
    quiz = catalog().quiz("dating-quiz", locale)
    assert quiz is not None and sum(1 for q in quiz.questions if q.transfer) >= 2
    longest = [q for q in quiz.questions if len(q.options) > 2
               and max(q.options, key=lambda o: len(o.text)).correct]
    assert len(longest) * 2 <= len(quiz.questions)  # the correct option is not the longest in most questions
    response = client.get("/learn/quiz/dating-quiz")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert str(escape(quiz.title)) in page and "[[fact:" not in page


@pytest.mark.parametrize(("locale", "score_text"), [("en", "You got {right} out of {total}"),
                                                    ("ko", "{total}문제 중 {right}문제를 맞혔어요")])
def test_the_quiz_grades_a_submission(student_client, locale, score_text):
    client = student_client(locale, "university")
    quiz = catalog().quiz("dating-quiz", locale)
    answers = {f"q-{q.id}": [o.id for o in q.options if o.correct] for q in quiz.questions}
    wrong = quiz.questions[0]  # one question answered wrongly
    answers[f"q-{wrong.id}"] = [next(o.id for o in wrong.options if not o.correct)]
    response = client.post("/learn/quiz/dating-quiz", data={**answers, "attempt": "1", "action": "submit"})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    total = len(quiz.questions)
    assert score_text.format(right=total - 1, total=total) in page


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
        assert "[[fact:" not in html
        family = client.get(f"/family/{MODULE}?locale={locale}")
        assert family.status_code == 200 and "[[fact:" not in family.get_data(as_text=True)
        sheet = client.get(f"/worksheet/{MODULE}?locale={locale}")
        assert sheet.status_code == 200
        page = sheet.get_data(as_text=True)
        assert page.count('<span class="write__line"></span>') == 6 + 3 + 4 + 4 + 2
        assert "[[fact:" not in page and ":::" not in page
