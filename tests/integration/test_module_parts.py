"""The parts every module of the second curriculum round has, checked the same way for each (issues 33, 34, 40):
published in both languages, Korean first; every step of every lesson renders for a student in both languages and
all three age bands (a Korean class and an international one) with the band's own story; every lesson opens with a
question, names its step-out in the content note, keeps help close and has text for every band; the quiz has
transfer questions, no length cue, renders and grades; the teacher guide (with its period map), the family sheet
and the worksheet open in both languages. What is particular to one module lives in that module's test file."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from markupsafe import escape
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import QuizAttempt
from tests import factories
from tests.lesson_pages import every_step_page

BANDS = ("middle", "high", "university")


@dataclass(frozen=True)
class ModuleSpec:
    lessons: tuple[str, ...]
    quiz: str
    write_lines: int  # the worksheet's lines to write on
    # (lesson, step) -> locale -> band -> the person in the band's own story
    stories: dict[tuple[str, str], dict[str, dict[str, str]]] = field(default_factory=dict)
    help_topics: tuple[frozenset[str], ...] = (frozenset({"crisis"}),)  # every lesson has one of these sets
    opening_steps: tuple[str, ...] = ()  # the step opening each lesson with its key question, if not "question"
    guide_sections: tuple[str, ...] = ("disclosure", "live-case", "periods", "activities")


MODULES = {
    "sextortion": ModuleSpec(
        lessons=("sextortion-how-it-works", "sextortion-what-to-do"), quiz="sextortion-quiz",
        write_lines=4 + 5 + 5 + 3,
        stories={("sextortion-how-it-works", "how-it-starts"): {
            "ko": {"middle": "준호", "high": "서진", "university": "도윤"},
            "en": {"middle": "Junho", "high": "Seojin", "university": "Doyun"}}}),
    "first-minutes": ModuleSpec(
        lessons=("first-minutes-what-to-do", "first-minutes-reporting"), quiz="first-minutes-quiz",
        write_lines=4 + 4 + 3 + 4 + 3 + 2, opening_steps=("start", "why-hesitate"),
        guide_sections=("disclosure", "live-case", "period-map"),
        stories={("first-minutes-what-to-do", "practice"): {
            "ko": {"middle": "서준", "high": "지아", "university": "도윤"},
            "en": {"middle": "Seojun", "high": "Jia", "university": "Doyun"}}}),
    "pressure": ModuleSpec(
        lessons=("pressure-how-it-works", "pressure-if-sent", "pressure-respect"), quiz="pressure-quiz",
        write_lines=3 + 3 + 4 + 2 + 4 + 3,
        # a boy pressured by his girlfriend, a girl by an online "friend", a group
        stories={("pressure-how-it-works", "how-it-works"): {
            "ko": {"middle": "민재", "high": "예린", "university": "현우"},
            "en": {"middle": "Minjae", "high": "Yerin", "university": "Hyunwoo"}}},
        help_topics=(frozenset({"crisis", "removal"}), frozenset({"crisis", "youth"}))),
    "illegal-filming": ModuleSpec(
        lessons=("filming-what-it-is", "filming-what-to-do", "filming-norms"), quiz="filming-quiz",
        write_lines=4 + 4 + 3 + 3,
        # boys filmed in a changing room, a teacher filmed in class, a partner filmed in secret
        stories={("filming-what-it-is", "anyone"): {
            "ko": {"middle": "도현", "high": "국어 선생님", "university": "유나"},
            "en": {"middle": "Dohyun", "high": "Korean literature teacher", "university": "Yuna"}}},
        help_topics=(frozenset({"crisis", "removal"}), frozenset({"crisis", "youth"}))),
    "grooming": ModuleSpec(
        lessons=("grooming-how-it-works", "grooming-what-to-do"), quiz="grooming-quiz",
        write_lines=4 + 5 + 5 + 3,
        stories={("grooming-how-it-works", "trust"): {
                     "ko": {"middle": "민재", "high": "하은", "university": "태오"},
                     "en": {"middle": "Minjae", "high": "Haeun", "university": "Taeo"}},
                 ("grooming-what-to-do", "what-to-do"): {
                     "ko": {"middle": "서아", "high": "지호", "university": "유진"},
                     "en": {"middle": "Seoa", "high": "Jiho", "university": "Yujin"}}}),
    "dating": ModuleSpec(
        lessons=("dating-consent", "dating-control", "dating-adults"), quiz="dating-quiz",
        write_lines=6 + 3 + 4 + 4 + 2,
        stories={("dating-consent", "each-time"): {
                     "ko": {"middle": "지호", "high": "태오", "university": "준서"},
                     "en": {"middle": "Jiho", "high": "Teo", "university": "Junseo"}},
                 ("dating-control", "control-or-care"): {
                     "ko": {"middle": "서아", "high": "시우", "university": "지현"},
                     "en": {"middle": "Seoa", "high": "Siwoo", "university": "Jihyun"}}}),
    "consequences": ModuleSpec(
        lessons=("consequences-caught", "consequences-what-happens"), quiz="consequences-quiz",
        write_lines=4 + 4 + 4 + 3,
        stories={("consequences-caught", "found"): {
            "ko": {"middle": "도현", "high": "예린", "university": "준서"},
            "en": {"middle": "Dohyeon", "high": "Yerin", "university": "Junseo"}}}),
    "removal": ModuleSpec(
        lessons=("removal-report", "removal-deletion"), quiz="removal-quiz",
        write_lines=5 + 3 + 4 + 4 + 3,
        stories={("removal-report", "what-to-write"): {
                     "ko": {"middle": "하준", "high": "수빈", "university": "민호"},
                     "en": {"middle": "Hajun", "high": "Subin", "university": "Minho"}},
                 ("removal-deletion", "acosav"): {
                     "ko": {"middle": "현우", "high": "예린", "university": "서윤 씨"},
                     "en": {"middle": "Hyunwoo", "high": "Yerin", "university": "Seoyun"}}},
        help_topics=(frozenset({"crisis", "removal"}),)),
}


@pytest.mark.parametrize("module", MODULES)
def test_the_module_is_published_in_both_languages_korean_first(ctx, module):
    spec = MODULES[module]
    found = catalog().module(module)
    assert found is not None and tuple(found.lesson_ids) == spec.lessons and spec.quiz in found.quiz_ids
    for locale in ("ko", "en"):
        for region in ("KR", "INTL"):
            lessons = catalog().lessons_for(module, locale, region=region)
            assert tuple(lesson.id for lesson in lessons) == spec.lessons, (locale, region)
            assert all(not lesson.is_draft for lesson in lessons)
            assert all(lesson.translated_from == ("ko" if locale == "en" else None) for lesson in lessons)
            for band in BANDS:  # a lesson written for some bands only is shown to those alone
                shown = catalog().lessons_for(module, locale, region=region, band=band)
                assert [lesson.id for lesson in shown] == [lesson.id for lesson in lessons if band in lesson.age_bands]
        quiz = catalog().quiz(spec.quiz, locale)
        assert quiz is not None and not quiz.is_draft
        assert quiz.translated_from == ("ko" if locale == "en" else None)


def assert_band_story(page: str, names: dict[str, str], band: str) -> None:
    """The band's own person is in the story, and no other band's."""
    assert names[band] in page, band
    assert not any(name in page for other, name in names.items() if other != band), band


@pytest.mark.parametrize(("locale", "country"), [("ko", "KR"), ("en", "KR"), ("en", "GB")])
@pytest.mark.parametrize("band", BANDS)
@pytest.mark.parametrize("module", MODULES)
def test_every_step_renders_for_every_band(module_student, module, locale, country, band):
    spec = MODULES[module]
    client = module_student(module, locale, band, country)
    lessons = catalog().lessons_for(module, locale, region="KR" if country == "KR" else "INTL", band=band)
    assert lessons and {lesson.id for lesson in lessons} <= set(spec.lessons)
    for lesson in lessons:
        for step, page in every_step_page(client, lesson):
            story = spec.stories.get((lesson.id, step.id))
            if story:
                assert_band_story(page, story[locale], band)


@pytest.mark.parametrize("module", MODULES)
def test_every_lesson_opens_with_a_question_names_its_step_out_and_keeps_help_close(ctx, module):
    spec = MODULES[module]
    for locale in ("ko", "en"):
        for number, lesson in enumerate(catalog().lessons_for(module, locale, region="KR")):
            opening = spec.opening_steps[number] if spec.opening_steps else "question"
            assert lesson.steps[0].id == opening, lesson.id
            segments = [seg for step in lesson.steps for seg in step.segments]
            labels = [seg.label for seg in segments if seg.kind == "stepout"]
            assert labels and all(label in lesson.content_note for label in labels), lesson.id
            topics = {topic for seg in segments if seg.kind == "help" for topic in seg.topics}
            assert any(wanted <= topics for wanted in spec.help_topics), (lesson.id, topics)
            bands = {band for seg in segments if seg.kind == "audience" for band in seg.bands}
            assert bands == set(lesson.age_bands) or len(lesson.age_bands) == 1, lesson.id  # text for each band


@pytest.mark.parametrize("locale", ["ko", "en"])
@pytest.mark.parametrize("module", MODULES)
def test_the_quiz_renders_and_grades(module_student, module, locale):
    spec = MODULES[module]
    client = module_student(module, locale, "high")
    quiz = catalog().quiz(spec.quiz, locale)
    assert sum(1 for q in quiz.questions if q.transfer) >= 2
    longest = [q for q in quiz.questions if len(q.options) > 2 and max(q.options, key=lambda o: len(o.text)).correct]
    assert len(longest) * 2 <= len(quiz.questions)  # the correct option is not the longest in most questions
    response = client.get(f"/learn/quiz/{quiz.id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert str(escape(quiz.title)) in page and "[[fact:" not in page
    answers = {f"q-{q.id}": [o.id for o in q.options if o.correct] for q in quiz.questions}
    first = quiz.questions[0]
    answers[f"q-{first.id}"] = [next(o.id for o in first.options if not o.correct)]  # one wrong answer
    response = client.post(f"/learn/quiz/{quiz.id}", data={"action": "submit", "attempt": "1", **answers})
    assert response.status_code == 302 and "/result/1" in response.headers["Location"]
    assert client.get(response.headers["Location"]).status_code == 200
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.quiz_id == quiz.id))
    assert attempt.score == len(quiz.questions) - 1


@pytest.mark.parametrize("module", MODULES)
def test_guide_family_sheet_and_worksheet_open_in_both_languages(app, ctx, module):
    spec = MODULES[module]
    factories.teacher("owner@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    for locale in ("ko", "en"):
        guide = client.get(f"/guide/{module}?locale={locale}")
        assert guide.status_code == 200
        html = guide.get_data(as_text=True)
        for section in spec.guide_sections:
            assert f'id="{section}"' in html, (locale, section)
        for lesson_id in spec.lessons:  # the period map links each lesson
            assert lesson_id in html, (locale, lesson_id)
        assert "[[fact:" not in html
        family = client.get(f"/family/{module}?locale={locale}")
        assert family.status_code == 200 and "[[fact:" not in family.get_data(as_text=True)
        sheet = client.get(f"/worksheet/{module}?locale={locale}")
        assert sheet.status_code == 200
        page = sheet.get_data(as_text=True)
        assert page.count('<span class="write__line"></span>') == spec.write_lines, (locale, module)
        assert "[[fact:" not in page and ":::" not in page
