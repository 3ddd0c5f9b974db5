"""GIFT import: a Moodle-style export becomes quiz YAML that the engine loads and validates."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from edu.content.gift import gift_to_quiz_yaml
from edu.content.grading import grade_quiz

from .conftest import FIXTURES, Tree


def _convert() -> str:
    text = (FIXTURES / "broken" / "gift-sample.txt").read_text("utf-8")
    return gift_to_quiz_yaml(text, "consent", "en", "consent-gift", today=date(2026, 11, 24))


def test_gift_questions_are_converted() -> None:
    data = yaml.safe_load(_convert())
    assert data["id"] == "consent-gift" and data["module"] == "consent" and data["status"] == "draft"
    q1, q2, q3, q4, q5 = data["questions"]
    assert q1 == {
        "id": "q1",
        "type": "single",
        "prompt": "Mina agreed to a **photo**. What did she agree to?",
        "options": [
            {"id": "a", "text": "Only the photo", "correct": True, "feedback": "Right: consent is specific."},
            {"id": "b", "text": "The photo and sharing it", "feedback": 'Sharing needs its own "yes".'},
            {
                "id": "c",
                "text": "Anything Jun wants",
                "feedback": "No. A yes to one thing is not a yes to everything.",
            },
        ],
        "explanation": "Consent is specific: a yes to one thing is not a yes to another.",
        "source": "TODO: source title, URL",
    }
    assert q2["type"] == "truefalse" and q2["answer"] is True
    assert (
        q2["feedback_true"] == "Right." and q2["feedback_false"] == "It is a crime since the 2024 amendment."
    )
    assert q2["explanation"] == "Since 2024, possessing or viewing is punishable too."
    assert q3["type"] == "multiple"
    assert [(o["text"], o.get("correct", False)) for o in q3["options"]] == [
        ("Freely given", True),
        ("Can be taken back at any time", True),
        ("Given once, valid forever", False),
    ]
    assert q4["prompt"] == 'Which sign means "equals" in 1 = 1 and what is {braces}?'
    assert [o["text"] for o in q4["options"]] == ["The = sign", "The ~ sign", "The # sign"]
    assert q5 == {
        "id": "q5",
        "type": "truefalse",
        "prompt": '"It was only a joke" is a defence.',
        "answer": False,
        "explanation": "TODO: explain why this is the answer, citing the fact.",
        "source": "TODO: source title, URL",
    }


def test_unsupported_questions_are_listed_not_silently_dropped() -> None:
    header = [line for line in _convert().splitlines() if line.startswith("#")]
    assert "# question 6 ('Q6 short answer'): short-answer questions are not supported; skipped" in header
    assert "# q1: Q1 specific consent" in header


def test_imported_quiz_loads_and_validates(tree: Tree) -> None:
    tree.add("quizzes/en/consent/consent-gift.yaml", text=_convert())
    tree.edit("modules.yaml", "quiz: consent-quiz", "quiz: [consent-quiz, consent-gift]")
    catalog = tree.load()
    path = "content/quizzes/en/consent/consent-gift.yaml"
    assert [str(i) for i in catalog.errors] == []
    warnings = [str(i) for i in catalog.warnings if i.path == path]
    todos = [w for w in warnings if "placeholder 'TODO'" in w]
    assert len(todos) == 8  # every TODO the author still has to fill in
    # and what GIFT cannot say: which questions are transfer questions
    assert any(w.startswith(f"{path}:1: the quiz has 0 transfer questions") for w in warnings)
    assert f"{path}:29: placeholder 'TODO' left in source in question 'q1'" in warnings
    quiz = catalog.quiz("consent-gift", "en")
    assert [q.type for q in quiz.questions] == ["single", "truefalse", "multiple", "single", "truefalse"]
    assert (
        grade_quiz(quiz, {"q1": {"a"}, "q2": {"true"}, "q3": {"a", "b"}, "q4": {"a"}, "q5": {"false"}}).score
        == 5
    )


def test_nothing_importable_raises() -> None:
    with pytest.raises(ValueError, match="no question could be imported"):
        gift_to_quiz_yaml("// only a comment\n::Essay:: Tell us {}", "consent", "en", "x")
