"""The quiz player's option order: a permutation fixed by its seed, pinned options in place."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from edu.content.model import Question, Quiz, QuizOption
from edu.learn.option_order import attempt_seed, option_orders, shuffled

options_and_pins = st.lists(st.booleans(), min_size=1, max_size=8).map(
    lambda pins: ([f"o{i}" for i in range(len(pins))], pins))


@given(options_and_pins, st.binary(min_size=1, max_size=32))
def test_the_order_is_a_permutation_that_keeps_pinned_options_in_place(case, seed):
    options, pins = case
    order = shuffled(options, seed, pins)
    assert sorted(order) == sorted(options)
    assert all(order[i] == options[i] for i, pin in enumerate(pins) if pin)
    assert shuffled(options, seed, pins) == order  # the same seed, the same order


def test_attempts_and_questions_get_their_own_seed():
    seeds = {attempt_seed(7, "quiz", attempt, question) for attempt in (1, 2) for question in ("q1", "q2")}
    assert len(seeds) == 4
    assert attempt_seed(7, "quiz", 1, "q1") != attempt_seed(8, "quiz", 1, "q1")


def test_over_many_attempts_every_option_is_shown_first_sometimes():
    options = ["a", "b", "c", "d"]
    firsts = {shuffled(options, attempt_seed(1, "quiz", n, "q1"))[0] for n in range(1, 60)}
    assert firsts == set(options)


def _question(qid: str, qtype: str, n: int, pinned_last: bool = False) -> Question:
    opts = tuple(QuizOption(f"{qid}-{i}", f"text {i}", i == 0, "", pinned_last and i == n - 1) for i in range(n))
    return Question(qid, qtype, "", "", opts, "", None)


def test_true_false_keeps_its_order_and_a_pinned_none_of_these_stays_last():
    quiz = Quiz("quiz", "en", "m", "t", "published", "v",
                (_question("tf", "truefalse", 2), _question("q", "single", 5, pinned_last=True)))
    for attempt in range(1, 30):
        orders = option_orders(quiz, 3, attempt)
        assert [o.id for o in orders["tf"]] == ["tf-0", "tf-1"]
        assert orders["q"][-1].id == "q-4"
