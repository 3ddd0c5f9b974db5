"""Answer cues: correct answers clustered in one position or always the longest, too few transfer questions, and
feedback that keeps opening the same way."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from edu.content.answer_cues import correct_is_longest, correct_position_cluster, longest_cue, opening
from edu.content.model import Option

from .conftest import Tree


def item(correct_at: int, lengths: list[int]) -> tuple[str, tuple[Option, ...]]:
    return "item", tuple(Option(f"o{i}", "x" * n, i == correct_at) for i, n in enumerate(lengths))


def test_a_position_holding_more_than_half_of_three_or_more_items_is_a_cluster():
    assert correct_position_cluster([item(0, [3, 3, 3])] * 3) == (1, 3)
    assert correct_position_cluster([item(0, [3, 3]), item(1, [3, 3]), item(0, [3, 3])]) == (1, 2)
    assert correct_position_cluster([item(0, [3, 3]), item(1, [3, 3]), item(0, [3, 3]), item(1, [3, 3])]) is None
    assert correct_position_cluster([item(0, [3, 3])] * 2) is None  # too few to judge


def test_the_correct_option_counts_as_longest_only_when_it_is_the_single_longest():
    assert correct_is_longest(item(1, [3, 9, 4])[1])
    assert not correct_is_longest(item(1, [9, 9, 4])[1])
    assert longest_cue([item(0, [9, 3]), item(0, [9, 3]), item(1, [9, 3])]) == 2
    assert longest_cue([item(0, [9, 3]), item(1, [9, 3])]) is None


@given(st.sampled_from(["<p>", "<strong>", "**", "\u201c", '"', "("]), st.text(alphabet="abc ", min_size=0))
def test_the_opening_ignores_markup_case_and_punctuation(prefix, rest):
    closing = {"<p>": "</p>", "<strong>": "</strong>", "**": "**", "\u201c": "\u201d", '"': '"', "(": ")"}[prefix]
    assert opening(f"{prefix}It\u2019s Understandable,{closing} {rest}") == "it's understandable"


def test_a_short_text_has_no_opening():
    assert opening("<p>Yes.</p>") == ""


SAME_OPENING = """  - id: q{n}
    type: single
    prompt: "Question {n}?"
    options:
      - {{id: a, text: "First choice", correct: true, feedback: "Good thinking: {n}."}}
      - {{id: b, text: "Other choice", feedback: "Not yet: {n}."}}
    explanation: "Why {n}."
    source: "A source"
"""


def test_the_check_warns_on_a_fourth_feedback_text_with_the_same_opening(tree: Tree):
    questions = "".join(SAME_OPENING.format(n=n) for n in range(1, 5))
    tree.add("quizzes/en/consent/cues.yaml", text=(
        "id: cues\nmodule: consent\ntitle: Cues\nstatus: draft\nupdated: 2026-12-01\nquestions:\n" + questions))
    tree.edit("modules.yaml", "quiz: consent-quiz", "quiz: [consent-quiz, cues]")
    warnings = [str(i) for i in tree.load().warnings if i.path.endswith("cues.yaml")]
    assert any('4 feedback texts open with "good thinking…"' in w for w in warnings)
    assert any('4 feedback texts open with "not yet…"' in w for w in warnings)
    assert any("the quiz has 0 transfer questions" in w for w in warnings)
    assert not any("longest" in w for w in warnings)  # same length: no cue
