"""check_tree: the report behind `flask --app edu content check`."""

from __future__ import annotations

from pathlib import Path

from edu.content.checker import check_tree

from .conftest import TODAY, Tree


def test_clean_tree_exits_0_with_summary(tree: Tree) -> None:
    code, report = check_tree(Path("content"), today=TODAY)
    assert code == 0
    assert report.splitlines() == [
        "ko: 2 lessons, 1 quizzes, 1 surveys, 1 guides, 1 family sheets, 1 worksheets, 1 pages",
        "en: 2 lessons, 1 quizzes, 1 surveys, 1 guides, 1 family sheets, 1 worksheets, 1 pages",
        "OK: 0 errors, 0 warnings",
    ]


def test_errors_exit_1_and_every_error_is_listed(tree: Tree) -> None:
    tree.add("lessons/en/consent/structure.md", "structure.md")
    tree.add("quizzes/en/consent/bad-quiz.yaml", "bad-quiz.yaml")
    tree.add("lessons/en/consent/blame.md", "blame.md")
    code, report = check_tree(Path("content"), today=TODAY)
    catalog_errors = [
        line for line in report.splitlines() if line.startswith("content/") and ": warning: " not in line
    ]
    assert code == 1
    assert len(catalog_errors) == 12  # 7 structure mistakes + 5 answer-key mistakes, none dropped
    assert (
        "content/lessons/en/consent/structure.md:38: block ':::reflection' is not closed: add a line ':::' "
        "after it" in catalog_errors
    )
    assert (
        "content/quizzes/en/consent/bad-quiz.yaml:26: 'answer' must be true or false in question 'q3'"
        in catalog_errors
    )
    warnings = [line for line in report.splitlines() if ": warning: " in line]
    # 5 in blame.md, 3 in structure.md (not in modules.yaml; two steps with nothing to do; an audience block for
    # middle school in a lesson for high school only)
    assert len(warnings) == 8
    assert any("structure.md:31: warning: ':::audience middle' is never shown" in line for line in warnings)
    assert report.splitlines()[-1] == "FAILED: 12 errors, 8 warnings"
    assert report.index(catalog_errors[-1]) < report.index(warnings[0])  # errors first


def test_missing_folder(tmp_path: Path) -> None:
    code, report = check_tree(tmp_path / "nowhere")
    assert code == 1
    assert "content folder not found" in report
