"""grade_quiz: a question is right when the chosen set equals the correct set."""

from __future__ import annotations

from edu.content.grading import grade_quiz

from .conftest import Tree


def test_all_right(tree: Tree) -> None:
    quiz = tree.load().quiz("consent-quiz", "en")
    result = grade_quiz(quiz, {"q1": {"a"}, "q2": {"a", "b"}, "q3": {"true"}, "q4": {"a"}})
    assert (result.score, result.max_score, result.percent) == (4, 4, 100.0)
    assert result.per_question == {"q1": True, "q2": True, "q3": True, "q4": True}


def test_partial_sets_wrong_unknown_ids_ignored_unanswered_wrong(tree: Tree) -> None:
    quiz = tree.load().quiz("consent-quiz", "en")
    result = grade_quiz(
        quiz,
        {
            "q1": {"a", "zzz"},  # unknown option id ignored -> still right
            "q2": {"a"},  # only part of the correct set -> wrong
            "q3": "false",  # a single string is accepted; wrong answer
            "q99": {"a"},  # unknown question ignored
        },
    )
    assert result.per_question == {"q1": True, "q2": False, "q3": False, "q4": False}
    assert (result.score, result.max_score, result.percent) == (1, 4, 25.0)


def test_superset_is_wrong_and_empty_is_wrong(tree: Tree) -> None:
    quiz = tree.load().quiz("consent-quiz", "en")
    result = grade_quiz(quiz, {"q2": {"a", "b", "c"}, "q1": set()})
    assert result.per_question["q2"] is False and result.per_question["q1"] is False
    assert result.percent == 0.0


def test_truefalse_options_are_true_and_false(tree: Tree) -> None:
    q3 = tree.load().quiz("consent-quiz", "ko").question("q3")
    assert [(o.id, o.text, o.correct) for o in q3.options] == [("true", "참", True), ("false", "거짓", False)]
    assert q3.options[1].feedback_html == "<p>2024년부터 범죄예요.</p>"
