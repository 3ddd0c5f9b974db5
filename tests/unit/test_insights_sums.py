"""Outcomes from sums (as SQL aggregates them) equal outcomes from the pairs themselves."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edu.insights import stats

UNIT = 840  # lcm(1..8): knowledge scores 100 * right / answered are whole multiples of 1/840


def sums_of(pairs: list[tuple[Fraction, Fraction]]) -> stats.PairedSums:
    scaled = [(int(p * UNIT), int(q * UNIT)) for p, q in pairs]
    return stats.PairedSums(len(scaled), sum(p for p, _ in scaled), sum(p * p for p, _ in scaled),
                            sum(q for _, q in scaled), sum(q * q for _, q in scaled),
                            sum(q - p for p, q in scaled), sum((q - p) ** 2 for p, q in scaled), unit=UNIT)


score = st.builds(lambda right, answered: Fraction(100 * min(right, answered), answered),
                  st.integers(0, 8), st.integers(1, 8))


@given(st.lists(st.tuples(score, score), max_size=40))
def test_sums_give_the_figures_of_the_pairs(pairs):
    from_pairs = stats.paired_change([(float(p), float(q)) for p, q in pairs])
    from_sums = stats.paired_change_from_sums(sums_of(pairs))
    assert from_sums.n == from_pairs.n
    for name in ("pre_mean", "post_mean", "pre_sd", "post_sd", "mean_change", "sd_change"):
        expected, actual = getattr(from_pairs, name), getattr(from_sums, name)
        assert (expected is None) == (actual is None), name
        if expected is not None:
            assert actual == pytest.approx(expected, rel=1e-9, abs=1e-9), name
    changes = {q - p for p, q in pairs}
    if len(changes) == 1 or len(pairs) < 2:
        assert from_sums.effect is None  # no spread (exactly) or too few pairs: d_z undefined
    elif from_pairs.effect is not None:
        assert from_sums.effect.value == pytest.approx(from_pairs.effect.value, rel=1e-9)
        assert from_sums.effect.ci_low == pytest.approx(from_pairs.effect.ci_low, rel=1e-9, abs=1e-9)


def test_every_pair_changing_by_a_third_gives_no_effect_size():
    # 100/3 is not a float: summed as floats its spread is not always 0, summed as whole units it is.
    pairs = [(Fraction(100, 3), Fraction(200, 3))] * 7
    change = stats.paired_change_from_sums(sums_of(pairs))
    assert change.sd_change == 0.0 and change.effect is None
    assert change.mean_change == pytest.approx(100 / 3)


def test_mean_and_sd_by_hand():
    assert stats.mean_and_sd(0, 0, 0) == (None, None)
    assert stats.mean_and_sd(1, 7, 49) == (7.0, None)
    centre, sd = stats.mean_and_sd(4, 2 + 4 + 4 + 6, 4 + 16 + 16 + 36)
    assert centre == 4.0 and sd == pytest.approx(math.sqrt(8 / 3))


def test_class_outcomes_from_sums_suppress_small_and_missing_scales():
    outcomes = stats.class_outcomes_from_sums({"knowledge": sums_of([(Fraction(50), Fraction(75))] * 4)}, min_n=5)
    assert list(outcomes) == list(stats.SCALES) and all(o.suppressed for o in outcomes.values())
