"""Authoring warnings: victim-blaming phrases, missing content notes, stale translations; drafts."""

from __future__ import annotations

from pathlib import Path

from edu.content.checker import check_tree

from .conftest import TODAY, Tree, messages

ADVICE = "put the responsibility on whoever made, shared or viewed it"


def test_victim_blaming_phrases_and_missing_content_note(tree: Tree) -> None:
    tree.add("lessons/en/consent/blame.md", "blame.md")
    tree.add("quizzes/ko/consent/blame-quiz.yaml", "blame-quiz-ko.yaml")
    catalog = tree.load()
    path = "content/lessons/en/consent/blame.md"
    assert messages(catalog, "lessons/en/consent/blame.md", "warning") == [
        f"{path}:2: lesson 'consent-blame' is not listed under module 'consent' in modules.yaml",
        f"{path}:9: lesson is marked sensitive (images) but has no content_note",
        # the curly apostrophe in the file still matches
        f"{path}:23: victim-blaming phrase \"shouldn't have posted\" in feedback of choice 'mina' in "
        "scenario "
        f"'mina': {ADVICE}",
        f"{path}:34: victim-blaming phrase \"should have been more careful\" in correct option 'victim' "
        "in check "
        f"'who': {ADVICE}",
        f"{path}:38: victim-blaming phrase \"asking for it\" in explanation of check 'who': {ADVICE}",
    ]
    assert messages(catalog, "quizzes/ko/consent/blame-quiz.yaml", "warning") == [
        "content/quizzes/ko/consent/blame-quiz.yaml:11: "
        f"victim-blaming phrase \"올리지 말았어야\" in feedback_true of question 'q1': {ADVICE}",
    ]
    assert messages(catalog, "lessons/en/consent/blame.md") == []  # warnings only: the lesson is served
    assert catalog.lesson("consent-blame", "en") is not None


def test_lint_list_of_the_file_language_only(tree: Tree) -> None:
    tree.edit(
        "lessons/ko/consent/basics.md",
        "feedback: 맞아요. 자기 사진은 미나가 결정해요.",
        "feedback: asking for it 조심했어야",
    )
    assert messages(tree.load(), "lessons/ko/consent/basics.md", "warning") == [
        'content/lessons/ko/consent/basics.md:49: victim-blaming phrase "조심했어야" '
        f"in feedback of choice 'ask' in scenario 'jun-photo': {ADVICE}",
    ]


def test_translation_older_than_source_is_stale(tree: Tree) -> None:
    tree.edit("lessons/en/consent/basics.md", "updated: 2026-11-24", "updated: 2026-11-30")
    catalog = tree.load()
    assert messages(catalog, "lessons/ko/consent/basics.md", "warning") == [
        "content/lessons/ko/consent/basics.md:17: translation is older than its source "
        "content/lessons/en/consent/basics.md (updated 2026-11-24, source updated 2026-11-30)",
    ]
    rows = {(r.kind, r.id, r.locale): r.status for r in catalog.translation_status()}
    assert rows[("lesson", "consent-basics", "ko")] == "stale"
    assert rows[("lesson", "consent-basics", "en")] == "ok"
    assert catalog.lesson("consent-basics", "ko") is not None  # stale is still served


def test_translation_status_missing(tree: Tree) -> None:
    (tree.root / "pages/ko/class-agreement.md").unlink()
    rows = {(r.kind, r.id, r.locale): r.status for r in tree.load().translation_status()}
    assert rows[("page", "class-agreement", "ko")] == "missing"
    assert set(rows) == {
        (k, i, loc)
        for k, i in [
            ("lesson", "consent-basics"),
            ("lesson", "consent-kr"),
            ("quiz", "consent-quiz"),
            ("survey", "prepost"),
            ("guide", "consent"),
            ("family", "consent"),
            ("page", "class-agreement"),
        ]
        for loc in ("ko", "en")
    }


def test_warnings_in_drafts_are_never_fatal_errors_always_are(tree: Tree) -> None:
    tree.add("lessons/en/consent/blame.md", "blame.md")
    assert check_tree(Path("content"), today=TODAY)[0] == 0
    assert check_tree(Path("content"), today=TODAY, strict=True)[0] == 1  # published file with warnings
    tree.edit("lessons/en/consent/blame.md", "status: published", "status: draft")
    code, report = check_tree(Path("content"), today=TODAY, strict=True)
    assert code == 0
    assert "content/lessons/en/consent/blame.md:38: warning: victim-blaming phrase" in report
    tree.edit("lessons/en/consent/blame.md", "minutes: 5", "minutes: five")
    code, report = check_tree(Path("content"), today=TODAY)
    assert code == 1
    assert "content/lessons/en/consent/blame.md:8: 'minutes' must be a whole number" in report.splitlines()


def test_drafts_hidden_from_students_but_previewable(tree: Tree) -> None:
    tree.edit("lessons/en/consent/kr.md", "status: published", "status: draft")
    catalog = tree.load()
    assert [lesson.id for lesson in catalog.lessons_for("consent", "en", "KR")] == ["consent-basics"]
    assert [lesson.id for lesson in catalog.lessons_for("consent", "en", "KR", include_drafts=True)] == [
        "consent-basics",
        "consent-kr",
    ]
    assert catalog.lesson("consent-kr", "en").is_draft
