"""Question statistics against a hand-made data set."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from edu.insights.item_analysis import MIN_FOR_DISCRIMINATION, Response, analyse, bar_chart_svg

A, B, C = frozenset("a"), frozenset("b"), frozenset("c")
QUESTIONS = [("q1", A), ("q2", B)]


def test_facility_and_most_chosen_wrong_option_by_hand():
    responses = [
        Response({"q1": A, "q2": B}, 2),
        Response({"q1": A, "q2": C}, 1),
        Response({"q1": B, "q2": C}, 0),
        Response({"q1": C, "q2": A}, 0),
        Response({"q2": C}, 0),  # q1 not answered
    ]
    stats = {s.question_id: s for s in analyse(QUESTIONS, responses)}
    assert stats["q1"].answered == 4 and stats["q1"].correct == 2 and stats["q1"].facility == 0.5
    assert stats["q2"].answered == 5 and stats["q2"].correct == 1 and stats["q2"].facility == 0.2
    assert stats["q2"].top_wrong_option == "c" and stats["q2"].top_wrong_count == 3
    assert stats["q1"].top_wrong_count == 1
    # Fewer than 10 students: no discrimination index yet.
    assert stats["q1"].discrimination is None
    # Most missed first.
    assert [s.question_id for s in analyse(QUESTIONS, responses)] == ["q2", "q1"]


def test_discrimination_index_by_hand():
    # 10 students: the top 3 (27% rounded up) all get q1 right, the bottom 3 all wrong -> D = 1.0.
    responses = [Response({"q1": A if i >= 5 else B, "q2": B}, score=i) for i in range(10)]
    stats = {s.question_id: s for s in analyse(QUESTIONS, responses)}
    assert stats["q1"].discrimination == 1.0
    assert stats["q2"].discrimination == 0.0  # everyone right: does not discriminate


def test_multiple_choice_needs_the_exact_set():
    both = frozenset({"a", "b"})
    stats = analyse([("q", both)], [Response({"q": both}, 1), Response({"q": A}, 0)])
    assert stats[0].correct == 1 and stats[0].top_wrong_option is None  # a is not a wrong option


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 10)), max_size=40))
def test_properties_hold_for_any_answers(rows):
    responses = [Response({"q1": frozenset(choice)}, score) for choice, score in rows]
    [stat] = analyse([("q1", A)], responses)
    assert stat.answered == len(rows)
    if rows:
        assert 0.0 <= stat.facility <= 1.0
    if len(rows) >= MIN_FOR_DISCRIMINATION:
        assert -1.0 <= stat.discrimination <= 1.0
    else:
        assert stat.discrimination is None


def test_chart_svg_has_no_script_and_clamps():
    svg = bar_chart_svg([1.5, -1])
    assert "<script" not in svg
    assert 'width="190.0"' in svg and 'width="0.0"' in svg
    assert "150%" not in svg and ">100%<" in svg and ">0%<" in svg
