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
    assert ids[ids.index("grooming"):ids.index("consequences") + 1] == ["grooming", "dating", "consequences"]  # issue 40
    for module in catalog.modules:
        for locale in LOCALES:
            assert module.title.get(locale) and module.summary.get(locale), module.id
            for region in REGIONS:
                lessons = catalog.lessons_for(module.id, locale, region=region)
                assert len(lessons) == 2, (module.id, locale, region)
                assert all(lesson.status == "published" for lesson in lessons)
                quiz = catalog.quiz_for(module.id, locale, region)
                assert quiz is not None and 6 <= len(quiz.questions) <= 10, (module.id, locale, region)
            assert catalog.guide(module.id, locale) is not None, (module.id, locale)
            assert catalog.family_sheet(module.id, locale) is not None, (module.id, locale)


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
    for locale in LOCALES:
        survey = catalog.survey("prepost", locale)
        scales = {item.scale for item in survey.items}
        assert scales == {"knowledge", "attitudes", "bystander_confidence", "bystander_intention"}
        assert all(item.identity in ("linked", "none") for item in survey.items)
        assert any(item.identity == "none" for item in survey.items)
        assert [i.id for i in survey.items] == [i.id for i in catalog.survey("prepost", "en").items]


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
