"""The removal module (issue 40: reporting and removal): published in both languages, Korean first; every step of
both lessons renders for a student in both languages and all three age bands (a Korean class and an international
one), with the band's own story; the hash-tool step names Take It Down and StopNCII and international classes see
the international removal services; the two evidence rules are taught; the quiz renders and grades; the teacher
guide, the family sheet and the worksheet open; the app-specific reporting menus wait in the facts registry,
unverified, and are never cited or shown on a student page."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from markupsafe import escape
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import QuizAttempt
from tests import factories

MODULE = "removal"
QUIZ = "removal-quiz"
LESSONS = ["removal-report", "removal-deletion"]
BANDS = ("middle", "high", "university")
ROOT = Path(__file__).resolve().parents[2]
# The person in the band's own story in the first lesson's step 'what-to-write' and the second lesson's 'acosav'.
STORY_NAMES = {
    ("what-to-write", "ko"): {"middle": "하준", "high": "수빈", "university": "민호"},
    ("what-to-write", "en"): {"middle": "Hajun", "high": "Subin", "university": "Minho"},
    ("acosav", "ko"): {"middle": "현우", "high": "예린", "university": "서윤 씨"},
    ("acosav", "en"): {"middle": "Hyunwoo", "high": "Yerin", "university": "Seoyun"},
}
APP_FACTS = ("app-instagram-report-post", "app-instagram-report-account", "app-tiktok-report-video",
             "app-x-report-post")


@pytest.fixture
def student_client(module_student):
    return functools.partial(module_student, MODULE)


def _step(lesson_id: str, step_id: str, locale: str = "ko") -> int:
    lesson = next(lesson for lesson in catalog().lessons_for(MODULE, locale, region="KR") if lesson.id == lesson_id)
    return [step.id for step in lesson.steps].index(step_id) + 1


def test_the_module_is_published_in_both_languages_korean_first_and_comes_last(ctx):
    module = catalog().module(MODULE)
    assert module is not None and list(module.lesson_ids) == LESSONS and tuple(module.quiz_ids) == (QUIZ,)
    assert catalog().modules[-1].id == MODULE  # order 14: the last module of the curriculum
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


def test_the_removal_step_shows_the_class_countrys_removal_services(student_client):
    step = _step("removal-deletion", "acosav")
    korean = student_client("ko", "high", "KR").get(f"/learn/lesson/removal-deletion?step={step}")
    html = korean.get_data(as_text=True)
    assert "1366" in html and "1377" in html and "02-735-8994" not in html  # the unverified direct line stays off
    british = student_client("en", "high", "GB").get(f"/learn/lesson/removal-deletion?step={step}")
    html = british.get_data(as_text=True)
    assert "Take It Down" in html and "Report Remove" in html and "1377" not in html


def test_the_hash_tool_step_names_both_tools_and_their_limits(student_client):
    step = _step("removal-deletion", "hash-tools")
    korean = student_client("ko", "university", "KR").get(f"/learn/lesson/removal-deletion?step={step}")
    html = korean.get_data(as_text=True)
    assert "Take It Down" in html and "StopNCII.org" in html and "암호화된 채팅방" in html
    english = student_client("en", "middle", "GB").get(f"/learn/lesson/removal-deletion?step={step}")
    assert "encrypted chats" in english.get_data(as_text=True)


@pytest.mark.parametrize(("locale", "friend", "person_shown"), [
    ("ko", "저장하거나 캡처하거나 전달하지 않아요", "증거를 남기는 건 범죄가 아니에요"),
    ("en", "never save, screenshot or forward the image", "Keeping evidence of your own case is not a crime"),
])
def test_the_evidence_step_teaches_both_tracks(student_client, locale, friend, person_shown):
    step = _step("removal-report", "evidence", locale)
    html = student_client(locale, "middle", "KR").get(f"/learn/lesson/removal-report?step={step}").get_data(
        as_text=True)
    assert friend in html and person_shown in html


def test_every_lesson_opens_with_a_question_names_its_step_out_and_keeps_help_close(ctx):
    for locale in ("ko", "en"):
        for lesson in catalog().lessons_for(MODULE, locale, region="KR"):
            assert lesson.steps[0].id == "question"
            labels = [seg.label for step in lesson.steps for seg in step.segments if seg.kind == "stepout"]
            assert labels and all(label in lesson.content_note for label in labels), lesson.id
            topics = {t for step in lesson.steps for seg in step.segments if seg.kind == "help" for t in seg.topics}
            assert {"crisis", "removal"} <= topics, lesson.id
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
        assert page.count('<span class="write__line"></span>') == 5 + 3 + 4 + 4 + 3
        assert "[[fact:" not in page and ":::" not in page


def test_app_specific_menus_wait_unverified_and_are_never_cited_or_shown(student_client):
    for fact_id in APP_FACTS:
        fact = catalog().fact(fact_id)
        assert fact is not None and not fact.verified and fact.note, fact_id
    cited = "".join(path.read_text("utf-8") for path in (ROOT / "content").rglob("*")
                    if path.is_file() and path.suffix in (".md", ".yaml") and "facts" not in path.parts)
    for fact_id in APP_FACTS:
        assert f"[[fact:{fact_id}]]" not in cited and f"fact: {fact_id}" not in cited
    menus = [catalog().fact(fact_id).wording[locale] for fact_id in APP_FACTS for locale in ("ko", "en")]
    for locale, country in (("ko", "KR"), ("en", "GB")):
        client = student_client(locale, "high", country)
        for lesson in catalog().lessons_for(MODULE, locale, region="KR" if country == "KR" else "INTL"):
            for number in range(1, len(lesson.steps) + 1):
                page = client.get(f"/learn/lesson/{lesson.id}?step={number}").get_data(as_text=True)
                assert not any(str(escape(menu)) in page or menu in page for menu in menus), (lesson.id, number)


def test_help_lines_come_from_help_blocks_never_typed_in_the_lessons_or_the_quiz(ctx):
    typed = re.compile(r"(?<![\d-])(1366|1377|112|1388|109|117|02-735-8994)(?![\d-])")
    files = [*(ROOT / "content" / "lessons").glob(f"*/{MODULE}/*.md"), *(ROOT / "content" / "quizzes").glob(
        f"*/{MODULE}/*.yaml")]
    assert len(files) == 6
    for path in files:
        text = path.read_text("utf-8")
        body = text.split("\n---\n", 1)[1] if path.suffix == ".md" else text  # lessons: after the front matter
        body = "\n".join(line for line in body.splitlines() if not line.strip().startswith(("url:", "title:")))
        assert not typed.search(body), (path.name, typed.search(body))
