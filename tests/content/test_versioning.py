"""Lesson.version changes with the content, not with formatting of the front matter."""

from __future__ import annotations

from .conftest import Tree

PATH = "lessons/en/consent/kr.md"


def _version(tree: Tree) -> str:
    return tree.load().lesson("consent-kr", "en", include_invalid=True).version


def test_body_text_change_changes_version(tree: Tree) -> None:
    before = _version(tree)
    tree.edit(PATH, "## The law {#law}", "## The law in Korea {#law}")
    assert _version(tree) != before


def test_front_matter_value_change_changes_version(tree: Tree) -> None:
    before = _version(tree)
    tree.edit(PATH, "minutes: 10", "minutes: 11")
    assert _version(tree) != before


def test_front_matter_whitespace_and_key_order_do_not_change_version(tree: Tree) -> None:
    before = _version(tree)
    tree.edit(
        PATH,
        "order: 2\ntitle: Consent and the law in Korea\n",
        "title:    Consent and the law in Korea\norder:   2   # moved\n",
    )
    tree.edit(PATH, "age_bands: [high, university]", "age_bands:\n  - high\n  - university\n")
    assert _version(tree) == before


def test_quiz_version_ignores_yaml_formatting(tree: Tree) -> None:
    path = "quizzes/en/consent/consent-quiz.yaml"
    before = tree.load().quiz("consent-quiz", "en").version
    tree.edit(
        path,
        'title: "Consent: check what you know"\nstatus: published',
        "status:  published\ntitle: 'Consent: check what you know'",
    )
    assert tree.load().quiz("consent-quiz", "en").version == before
    tree.edit(path, '"Only the photo"', '"Just the photo"')
    assert tree.load().quiz("consent-quiz", "en").version != before


def test_catalog_version_changes_with_any_file(tree: Tree) -> None:
    before = tree.load().version
    assert tree.load().version == before
    tree.edit("help/KR.yaml", "Report a crime.", "Report a crime now.")
    assert tree.load().version != before
