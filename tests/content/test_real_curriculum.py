"""The real curriculum under content/: it passes the checker with no warnings, and every module is complete."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from edu.content import load_catalog
from edu.content.checker import check_tree

CONTENT = Path(__file__).resolve().parents[2] / "content"
LOCALES = ("ko", "en")
REGIONS = ("KR", "INTL")
BANDS = ("middle", "high", "university")
# Issue 40: university students get lessons of their own where the law and the routes differ.
UNIVERSITY_ONLY = {"law-kr-adult": ("law", "KR"), "dating-adults": ("dating", None)}


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CONTENT, today=date.today())


def test_the_published_curriculum_passes_the_check_with_no_warnings(catalog):
    assert [str(i) for i in catalog.issues if i.severity in ("error", "warning")] == []


def test_the_strict_check_passes():
    code, report = check_tree(CONTENT, today=date.today(), strict=True)
    assert code == 0 and report.splitlines()[-1] == "OK: 0 errors, 0 warnings", report


def test_every_module_complete_in_both_languages(catalog):
    ids = [m.id for m in catalog.modules]
    assert ids[:6] == ["consent", "deepfakes", "law", "group-chat", "getting-help", "respect"]
    assert ids[6:8] == ["sextortion", "first-minutes"]  # issue 33
    assert ids[8:] == ["pressure", "illegal-filming", "grooming", "dating", "consequences", "removal"]  # issues 34, 40
    for module in catalog.modules:
        for locale in LOCALES:
            assert module.title.get(locale) and module.summary.get(locale), module.id
            for region in REGIONS:
                for band in BANDS:
                    lessons = catalog.lessons_for(module.id, locale, region=region, band=band)
                    assert len(lessons) in (2, 3), (module.id, locale, region, band)
                    assert all(lesson.status == "published" for lesson in lessons)
                quiz = catalog.quiz_for(module.id, locale, region)
                assert quiz is not None and 6 <= len(quiz.questions) <= 10, (module.id, locale, region)
            assert catalog.guide(module.id, locale) is not None, (module.id, locale)
            assert catalog.family_sheet(module.id, locale) is not None, (module.id, locale)


def test_university_only_lessons_reach_university_classes_only(catalog):
    for lesson_id, (module_id, region) in UNIVERSITY_ONLY.items():
        assert lesson_id in catalog.module(module_id).lesson_ids
        for locale in LOCALES:
            lesson = catalog.lesson(lesson_id, locale)
            assert lesson is not None and lesson.age_bands == ("university",) and lesson.region == region
            assert lesson.translated_from == ("ko" if locale == "en" else None)  # Korean first
            for country in REGIONS:
                for band in BANDS:
                    shown = {ls.id for ls in catalog.lessons_for(module_id, locale, region=country, band=band)}
                    assert (lesson_id in shown) == (band == "university" and region in (None, country)), (
                        lesson_id, locale, country, band)
    assert [ls.id for ls in catalog.lessons_for("law", "ko", region="KR", band="university")] == [
        "law-kr-acts", "law-kr-what-happens", "law-kr-adult"]
    assert [ls.id for ls in catalog.lessons_for("dating", "en", region="INTL", band="university")] == [
        "dating-consent", "dating-control", "dating-adults"]


def test_law_module_differs_by_country(catalog):
    korean = {lesson.id for lesson in catalog.lessons_for("law", "en", region="KR")}
    international = {lesson.id for lesson in catalog.lessons_for("law", "en", region="INTL")}
    assert korean.isdisjoint(international)
    assert catalog.quiz_for("law", "en", "KR").id != catalog.quiz_for("law", "en", "INTL").id


def test_every_lesson_has_the_required_blocks(catalog):
    for lesson_id in catalog.lesson_ids():
        for locale in LOCALES:
            lesson = catalog.lesson(lesson_id, locale)
            kinds = {seg.kind for step in lesson.steps for seg in step.segments}
            assert {"scenario", "check", "reflection", "help"} <= kinds, (lesson_id, locale, kinds)
            assert lesson.objectives and lesson.sources, lesson_id
            if lesson.sensitivity:
                assert lesson.content_note, lesson_id
            for scenario in lesson.blocks("scenario"):
                assert all(choice.feedback_html.strip() for choice in scenario.choices), (lesson_id, scenario.id)


def test_every_quiz_question_has_an_explanation_and_a_source(catalog):
    for module in catalog.modules:
        for quiz_id in module.quiz_ids:
            for locale in LOCALES:
                quiz = catalog.quiz(quiz_id, locale)
                for question in quiz.questions:
                    assert question.explanation_html.strip(), (quiz_id, locale, question.id)
                    assert question.source is not None and question.source.title, (quiz_id, locale, question.id)


def test_teacher_guides_have_disclosure_and_live_case_sections(catalog):
    for module in catalog.modules:
        for locale in LOCALES:
            guide = catalog.guide(module.id, locale)
            assert guide.section("disclosure") is not None and guide.section("live-case") is not None


def test_survey_items_and_identity_levels(catalog):
    linked = {"knowledge", "bystander_efficacy", "bystander_intention", "help_seeking", "not_forwarding"}
    unlinked = {"attitudes", "peer_norms", "reporting_fear"}  # opinions and beliefs: never tied to a student
    for locale in LOCALES:
        survey = catalog.survey("prepost", locale)
        assert {s.id for s in survey.scales} == {item.scale for item in survey.items} == linked | unlinked
        for item in survey.items:
            assert item.identity == ("linked" if item.scale in linked else "none"), item.id
            assert item.type == "knowledge" or item.source in {s.id for s in survey.sources}, item.id
        assert [i.id for i in survey.items] == [i.id for i in catalog.survey("prepost", "en").items]
        assert next(i for i in survey.items if i.scale == "bystander_efficacy").type == "rating"


def test_survey_knowledge_forms_are_parallel_and_short(catalog):
    """Each fact is asked once before and once after in other words; a form stays short (10-minute slot)."""
    survey = catalog.survey("prepost", "ko")
    pre, post = ([i for i in survey.items_for(phase) if i.type == "knowledge"] for phase in ("pre", "post"))
    assert len(pre) == len(post) <= 10
    assert not {i.id for i in pre} & {i.id for i in post}
    assert sorted(i.pair for i in pre) == sorted(i.pair for i in post)
    assert {i.module for i in pre} >= {"sextortion", "first-minutes"}
    assert len(survey.items_for("pre")) <= 30
    for item in pre:  # the ids answered before the forms existed keep their wording and their pre place
        assert item.id in {"k1", "k3", "k5", "k6", "k7", "k8", "k17", "k19", "k21", "k23"}
    assert not {"k2", "k4", "k10", "k12"} & {i.id for i in survey.items}  # retired, never reused


def test_every_korean_survey_item_has_a_back_translation():
    text = Path("content/surveys/ko/prepost.yaml").read_text("utf-8").split("\nitems:\n")[1]
    assert text.count("\n  - id: ") == text.count("\n    back_translation: ") == 39
    assert "back_translation" not in Path("content/surveys/en/prepost.yaml").read_text("utf-8")


def test_help_and_legal_data_are_not_past_review(catalog):
    today = date.today()
    for country in REGIONS:
        last_verified, review_by = catalog.help_meta(country)
        assert last_verified <= today < review_by
        for resource in catalog.help_for(country, "ko"):
            assert resource.name and resource.text
    keys = ["art14-filming", "art14-2-deepfake", "art14-2-viewing", "art14-3-threats", "youth-act", "under-14",
            "school-violence"]
    facts = catalog.legal_facts("KR", keys, "ko")
    assert [f.key for f in facts] == keys
    assert all(f.review_by > today and f.source for f in facts)


def test_class_agreement_page_exists_in_both_languages(catalog):
    for locale in LOCALES:
        assert catalog.page("class-agreement", locale) is not None


def test_every_band_has_at_least_eight_hours_of_lessons(catalog):
    """Issue 34: the published lessons a class sees add up to at least 8 hours (480 min) for every band, in both
    languages and both regions."""
    from edu.content.minutes import classroom_minutes

    for locale in LOCALES:
        for region, per_band in classroom_minutes(catalog, locale).items():
            assert min(per_band.values()) >= 480, (locale, region, per_band)


def test_group_chat_rehearsals_are_in_the_group_chat_module_and_two_newer_ones(catalog):
    """Issue 39: a :::chat rehearsal in the group-chat module and in sextortion and illegal filming, in both
    languages, each after a content note and a step-out in its step, with moves that agree across languages."""
    from edu.content.chat import CHAT_MOVES

    where = {"group-chat-safe-moves": "class-room-chat", "sextortion-what-to-do": "friends-threat-chat",
             "filming-what-to-do": "locker-video-chat"}
    for lesson_id, chat_id in where.items():
        moves = {}
        for locale in LOCALES:
            lesson = catalog.lesson(lesson_id, locale)
            assert lesson is not None and lesson.minutes == 25, (lesson_id, locale)
            step = next(s for s in lesson.steps if s.blocks("chat"))
            kinds = [seg.kind for seg in step.segments]
            assert kinds.index("content-note") < kinds.index("stepout") < kinds.index("chat"), lesson_id
            chat = step.blocks("chat")[0]
            assert chat.id == chat_id and any(p.style == "me" for p in chat.people)
            assert all(c.id in CHAT_MOVES and c.feedback_html for d in chat.decisions for c in d.choices)
            moves[locale] = [[c.id for c in d.choices] for d in chat.decisions]
        assert moves["ko"] == moves["en"]
