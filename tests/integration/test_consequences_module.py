"""The consequences module (issue 40: "you won't get caught" and what happens next): published in both languages,
Korean first;
every step of both lessons renders for a student in both languages and all three age bands (a Korean class and an
international one), with the band's own story and law; the quiz renders and grades; the teacher guide, the family
sheet and the worksheet open."""

from __future__ import annotations

import functools

import pytest
from markupsafe import escape
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import QuizAttempt
from tests import factories

MODULE = "consequences"
QUIZ = "consequences-quiz"
LESSONS = ["consequences-caught", "consequences-what-happens"]
BANDS = ("middle", "high", "university")
# The person in the band's own story in the first lesson's step 'found'.
STORY_NAMES = {
    ("found", "ko"): {"middle": "도현", "high": "예린", "university": "준서"},
    ("found", "en"): {"middle": "Dohyeon", "high": "Yerin", "university": "Junseo"},
}


@pytest.fixture
def student_client(module_student):
    return functools.partial(module_student, MODULE)


def test_the_module_is_published_in_both_languages_korean_first(ctx):
    module = catalog().module(MODULE)
    assert module is not None and list(module.lesson_ids) == LESSONS and tuple(module.quiz_ids) == (QUIZ,)
    for locale in ("ko", "en"):
        for region in ("KR", "INTL"):
            lessons = catalog().lessons_for(MODULE, locale, region=region)
            assert [lesson.id for lesson in lessons] == LESSONS
            assert all(not lesson.is_draft for lesson in lessons)
            assert all(lesson.translated_from == ("ko" if locale == "en" else None) for lesson in lessons)
        quiz = catalog().quiz(QUIZ, locale)
        assert quiz is not None and quiz.translated_from == ("ko" if locale == "en" else None)


@pytest.mark.parametrize(("locale", "country"), [("ko", "KR"), ("en", "KR"), ("en", "GB")])
@pytest.mark.parametrize("band", BANDS)
def test_every_step_renders_for_every_band(student_client, locale, country, band):
    client = student_client(locale, band, country)
    lessons = catalog().lessons_for(MODULE, locale, region="KR" if country == "KR" else "INTL")
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
            names = STORY_NAMES.get((step.id, locale))
            if names:
                assert names[band] in page, (band, lesson.id, step.id)
                assert not any(name in page for other, name in names.items() if other != band), (band, step.id)


def test_the_ages_step_gives_each_band_its_own_law(student_client):
    """Middle school: under 14 and protective measures from 10; high school: criminal court or juvenile court at
    14 to 18; university: adult criminal courts, with viewing punished too. No band sees another band's paragraph."""
    paragraphs = {
        "ko": {"middle": "10세</a>부터는 가정법원이", "high": "어느 쪽이 될지는 저지른 일과",
               "university": "대학생은 법에서 성인이라 형사재판을"},
        "en": {"middle": "a family court can order protective measures. From", "high": "Which one depends on what they did",
               "university": "are tried in adult criminal courts"},
    }
    for locale, by_band in paragraphs.items():
        for band in BANDS:
            html = student_client(locale, band).get("/learn/lesson/consequences-what-happens?step=2").get_data(as_text=True)
            assert by_band[band] in html, (locale, band)
            assert not any(text in html for other, text in by_band.items() if other != band), (locale, band)


def test_undercover_investigation_is_taught_with_its_cited_facts_and_no_unverified_date(student_client):
    page = student_client("ko", "high").get("/learn/lesson/consequences-caught?step=2").get_data(as_text=True)
    assert "위장수사" in page and "2021년 9월 24일" in page and "1,415명" in page
    label = student_client("en", "high", "GB").get("/learn/lesson/consequences-caught?step=3").get_data(as_text=True)
    assert "AI Basic Act" in label and "22 January 2026" not in label  # [CHECK] in content-facts: kept off the page
    assert "These details are Korea" in student_client("en", "middle", "GB").get(
        "/learn/lesson/consequences-caught?step=2").get_data(as_text=True)


def test_the_own_behaviour_step_is_honest_about_the_duty_to_report_and_offers_help(student_client):
    html = student_client("ko", "middle").get("/learn/lesson/consequences-what-happens?step=4").get_data(as_text=True)
    assert "경찰에 신고해야 해요" in html and "이 단계는 건너뛸래요" in html
    english = student_client("en", "high").get("/learn/lesson/consequences-what-happens?step=4").get_data(as_text=True)
    assert "must report it to the police" in english


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
def test_the_quiz_renders_and_grades(student_client, locale):
    client = student_client(locale, "high")
    quiz = catalog().quiz(QUIZ, locale)
    assert sum(1 for q in quiz.questions if q.transfer) >= 2
    longest = [q for q in quiz.questions if len(q.options) > 2
               and max(q.options, key=lambda o: len(o.text)).correct]
    assert len(longest) * 2 <= len(quiz.questions)  # the correct option is not the longest in most questions
    page = client.get(f"/learn/quiz/{QUIZ}").get_data(as_text=True)
    assert str(escape(quiz.title)) in page and "[[fact:" not in page
    answers = {f"q-{q.id}": [o.id for o in q.options if o.correct] for q in quiz.questions}
    first = quiz.questions[0]
    answers[f"q-{first.id}"] = [next(o.id for o in first.options if not o.correct)]  # one wrong answer
    response = client.post(f"/learn/quiz/{QUIZ}", data={"action": "submit", "attempt": "1", **answers})
    assert response.status_code == 302 and "/result/1" in response.headers["Location"]
    assert client.get(response.headers["Location"]).status_code == 200
    attempt = db.session.scalar(select(QuizAttempt))
    assert attempt.score == len(quiz.questions) - 1


def test_guide_family_sheet_and_worksheet_open_in_both_languages(app, ctx):
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
        assert page.count('<span class="write__line"></span>') == 4 + 4 + 4 + 3
        assert "[[fact:" not in page and ":::" not in page


def test_every_lesson_previews_for_a_teacher_in_both_languages_and_all_bands_but_not_for_a_student(app, ctx,
                                                                                                 student_client):
    factories.teacher("preview@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "preview@school.kr")
    for locale in ("ko", "en"):
        for band in BANDS:
            names = STORY_NAMES[("found", locale)]
            for lesson in catalog().lessons_for(MODULE, locale, region="KR"):
                for number, step in enumerate(lesson.steps, 1):
                    page = client.get(f"/preview/lesson/{lesson.id}?locale={locale}&band={band}&country=KR"
                                      f"&step={number}")
                    assert page.status_code == 200, (locale, band, lesson.id, step.id)
                    html = page.get_data(as_text=True)
                    assert str(escape(step.title)) in html and "[[fact:" not in html
                    if step.id == "found":
                        assert names[band] in html, (locale, band)
    student = student_client("ko", "middle")
    assert student.get("/preview/lesson/consequences-caught?locale=ko&band=middle").status_code == 403
