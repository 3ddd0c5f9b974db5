"""Outcome statistics against values worked out by hand (arithmetic in the comments), cross-checked with
scipy where it is installed, plus hypothesis properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edu.insights.stats import (
    cohens_dz,
    effect_size,
    effect_size_band,
    mean,
    normalized_gain,
    regularized_incomplete_beta,
    sample_sd,
    t_cdf,
    t_quantile,
)

FAST = settings(max_examples=200, deadline=None)

# The class used throughout: five students' knowledge scores (percent).
PRE = [60, 70, 50, 80, 40]
POST = [70, 75, 65, 85, 55]
PAIRS = list(zip(PRE, POST, strict=True))


# --------------------------------------------------------------------------- descriptive statistics


def test_mean_and_sample_sd_by_hand():
    # mean = (60 + 70 + 50 + 80 + 40) / 5 = 300 / 5 = 60
    assert mean(PRE) == 60
    # deviations 0, 10, -10, 20, -20; squares 0 + 100 + 100 + 400 + 400 = 1000; / (5 - 1) = 250
    assert sample_sd(PRE) == pytest.approx(math.sqrt(250))  # 15.8114
    # post: mean 350 / 5 = 70; squares 0 + 25 + 25 + 225 + 225 = 500; / 4 = 125
    assert mean(POST) == 70
    assert sample_sd(POST) == pytest.approx(math.sqrt(125))  # 11.1803


def test_small_and_empty_inputs_do_not_raise():
    assert mean([]) is None and sample_sd([]) is None
    assert mean([4]) == 4 and sample_sd([4]) is None
    assert mean([None, 2, float("nan"), 4]) == 3
    assert sample_sd([3, 3, 3]) == 0


# --------------------------------------------------------------------------- t distribution


@pytest.mark.parametrize(("df", "expected"), [
    # Two-sided 95% critical values from a printed t table.
    (1, 12.706), (2, 4.303), (4, 2.776), (9, 2.262), (29, 2.045), (120, 1.980),
])
def test_t_quantile_matches_the_printed_table(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=5e-4)


def test_t_distribution_closed_forms():
    # df = 1 is the Cauchy distribution: F(t) = 1/2 + atan(t)/pi, so F(1) = 0.75.
    assert t_cdf(1.0, 1) == pytest.approx(0.75, abs=1e-12)
    assert t_quantile(0.75, 1) == pytest.approx(1.0, abs=1e-9)
    # df = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2)); F(2) = 1/2 + 2 / (2 sqrt 6) = 0.908248
    assert t_cdf(2.0, 2) == pytest.approx(0.5 + 1 / math.sqrt(6), abs=1e-12)
    # Symmetry and the centre.
    assert t_quantile(0.025, 4) == pytest.approx(-t_quantile(0.975, 4))
    assert t_quantile(0.5, 7) == 0
    # I_x(1, 1) = x (uniform); I_x(a, 1) = x^a.
    assert regularized_incomplete_beta(1, 1, 0.3) == pytest.approx(0.3)
    assert regularized_incomplete_beta(3, 1, 0.5) == pytest.approx(0.125)


def test_t_quantile_rejects_impossible_probabilities():
    with pytest.raises(ValueError):
        t_quantile(1.0, 3)
    with pytest.raises(ValueError):
        t_cdf(1.0, 0)


def test_t_quantile_agrees_with_scipy():
    stats = pytest.importorskip("scipy.stats")
    for df in (1, 2, 3, 5, 10, 30, 100, 1000, 2.5):
        for p in (0.6, 0.9, 0.95, 0.975, 0.995, 0.9995, 0.01):
            assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-8, abs=1e-8)
            assert t_cdf(t_quantile(p, df), df) == pytest.approx(p, abs=1e-9)


# --------------------------------------------------------------------------- paired change and d_z


def test_dz_agrees_with_scipy():
    stats = pytest.importorskip("scipy.stats")
    changes = [post - pre for pre, post in PAIRS]
    effect = cohens_dz(changes)
    # d_z is the one-sample t statistic divided by sqrt(n).
    t_stat = stats.ttest_1samp(changes, 0).statistic
    assert effect.value == pytest.approx(t_stat / math.sqrt(5))
    half = stats.t.ppf(0.975, 4) * math.sqrt(1 / 5 + effect.value ** 2 / 10)
    assert (effect.ci_low, effect.ci_high) == pytest.approx((effect.value - half, effect.value + half))


def test_dz_is_undefined_for_zero_variance_and_tiny_groups():
    # Everyone gained exactly 5: SD of change is 0, d_z would be infinite.
    assert cohens_dz([5, 5, 5]) is None
    assert cohens_dz([10]) is None and effect_size(1, 10.0, None) is None
    assert cohens_dz([]) is None and effect_size(0, None, None) is None


def test_negative_change_gives_negative_dz():
    effect = cohens_dz([-10, -5, -15, -5, -15])
    assert effect.value == -2 and effect.ci_high == pytest.approx(0.150625, abs=1e-5)


def test_effect_size_bands():
    assert [effect_size_band(d) for d in (0.1, -0.3, 0.5, 0.79, -1.2)] == [
        "negligible", "small", "medium", "medium", "large"]
    assert effect_size_band(None) is None


# --------------------------------------------------------------------------- normalized gain


def test_normalized_gain_by_hand():
    # (70 - 60) / (100 - 60) = 10 / 40 = 0.25
    assert normalized_gain(60, 70) == 0.25
    # (40 - 50) / (100 - 50) = -10 / 50 = -0.2 (the class went down)
    assert normalized_gain(50, 40) == -0.2
    # (100 - 80) / (100 - 80) = 1: every possible point was gained
    assert normalized_gain(80, 100) == 1


def test_normalized_gain_undefined_cases():
    assert normalized_gain(100, 100) is None  # no room to gain
    assert normalized_gain(None, 50) is None
    assert normalized_gain(50, None) is None
    assert normalized_gain(3.2, 3.9) is not None  # in range, but callers never pass Likert means ...
    assert normalized_gain(-1, 50) is None and normalized_gain(50, 101) is None


# --------------------------------------------------------------------------- scoring


# --------------------------------------------------------------------------- properties

scores = st.floats(0, 100, allow_nan=False)
pairs = st.lists(st.tuples(scores, scores), max_size=40)


@FAST
@given(pairs)
def test_dz_ci_contains_dz_and_never_raises(data):
    effect = cohens_dz([post - pre for pre, post in data])
    if effect is not None:
        assert effect.n == len(data) and effect.ci_low <= effect.value <= effect.ci_high


@FAST
@given(scores, scores)
def test_gain_is_at_most_one(pre, post):
    gain = normalized_gain(pre, post)
    if pre < 100 - 1e-9:
        assert gain is not None and gain <= 1
    else:  # a pre average of 100 (to within rounding error) leaves no room to gain
        assert gain is None


@FAST
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=30))
def test_sd_is_never_negative_and_mean_is_in_range(values):
    assert sample_sd(values) >= 0
    assert min(values) - 1e-6 <= mean(values) <= max(values) + 1e-6


