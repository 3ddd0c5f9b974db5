"""Lessons for some age bands only (issue 40: university students get lessons of their own): a class sees only
the lessons that list its band, the language versions agree on the bands, and the minutes count a lesson only for
the bands it lists."""

from __future__ import annotations

from edu.content.minutes import classroom_minutes

from .conftest import Tree, messages

UNI_LESSON = """---
id: consent-campus
module: consent
order: 3
title: {title}
summary: Adults and the law.
age_bands: {bands}
minutes: 25
sensitivity: []
status: published
updated: 2026-11-24
---

## On campus {{#campus}}

Text for adults.
{audience}
:::reflection
id: campus-reflect
prompt: Where is the human rights centre at your university?
:::
"""


def add_campus_lesson(tree: Tree, en_bands: str = "[university]", ko_bands: str = "[university]",
                      audience: str = "") -> None:
    tree.add("lessons/en/consent/campus.md", text=UNI_LESSON.format(title="On campus", bands=en_bands,
                                                                    audience=audience))
    tree.add("lessons/ko/consent/campus.md", text=UNI_LESSON.format(title="캠퍼스에서", bands=ko_bands,
                                                                    audience=audience))
    tree.edit("modules.yaml", "lessons: [consent-basics, consent-kr]",
              "lessons: [consent-basics, consent-kr, consent-campus]")


def ids(lessons) -> list[str]:
    return [lesson.id for lesson in lessons]


def test_a_class_sees_only_the_lessons_for_its_band(tree: Tree) -> None:
    add_campus_lesson(tree)
    catalog = tree.load()
    assert catalog.issues_for("content/lessons/en/consent/campus.md") == []
    for locale in ("en", "ko"):
        assert ids(catalog.lessons_for("consent", locale, "KR")) == ["consent-basics", "consent-kr", "consent-campus"]
        assert ids(catalog.lessons_for("consent", locale, "KR", band="middle")) == ["consent-basics"]
        assert ids(catalog.lessons_for("consent", locale, "KR", band="high")) == ["consent-basics", "consent-kr"]
        assert ids(catalog.lessons_for("consent", locale, "KR", band="university")) == [
            "consent-basics", "consent-kr", "consent-campus"]
        assert ids(catalog.lessons_for("consent", locale, "GB", band="university")) == [
            "consent-basics", "consent-campus"]


def test_the_minutes_count_a_lesson_only_for_its_bands(tree: Tree) -> None:
    before = classroom_minutes(tree.load(), "en")
    add_campus_lesson(tree)
    after = classroom_minutes(tree.load(), "en")
    for region in ("KR", "INTL"):
        assert after[region]["university"] == before[region]["university"] + 25
        assert after[region]["middle"] == before[region]["middle"]
        assert after[region]["high"] == before[region]["high"]


def test_language_versions_must_agree_on_the_bands(tree: Tree) -> None:
    """Else a middle school class in one language would see a lesson its band never gets in the other."""
    add_campus_lesson(tree, en_bands="[university]", ko_bands="[middle, high, university]")
    tree.edit("lessons/ko/consent/campus.md", "updated: 2026-11-24", "updated: 2026-11-24\ntranslated_from: en")
    catalog = tree.load()
    found = messages(catalog, "lessons/ko/consent/campus.md")
    assert any("age bands differ from" in m and "extra high, middle" in m for m in found), found
    assert catalog.lesson("consent-campus", "ko") is None  # the disagreeing translation is withheld
    assert ids(catalog.lessons_for("consent", "ko", "KR", band="middle")) == ["consent-basics"]


def test_an_audience_block_for_a_band_the_lesson_is_not_for_warns(tree: Tree) -> None:
    add_campus_lesson(tree, audience="\n:::audience middle high\nNever shown.\n:::\n\n:::audience university\nShown.\n:::\n")
    warnings = messages(tree.load(), "lessons/en/consent/campus.md", "warning")
    assert len(warnings) == 1 and "':::audience middle high' is never shown" in warnings[0], warnings
    assert "for university only" in warnings[0]

