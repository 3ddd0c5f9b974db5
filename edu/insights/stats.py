"""Outcome statistics: pure functions, no database, no Flask. The survey figures themselves are noisy
releases (dp.py); these turn the released sums into the effect size and the gain.

- **Effect size.** Cohen's d_z = mean(change) / SD(change): the *paired* variant, named as such wherever it
  is shown. It is larger than the between-groups d for the same data when pre and post correlate, so it
  must not be compared with d values from other designs. Its 95% confidence interval uses the common
  large-sample approximation SE(d_z) = sqrt(1/n + d_z² / (2n)) with the Student t critical value for
  n - 1 degrees of freedom: d_z ± t(0.975, n - 1) · SE. (An exact interval needs the noncentral t
  distribution; the approximation is adequate for reporting and is documented as such.) The interval is the
  sampling interval; the privacy noise is bounded separately (dp.effect_from_noisy shows d_z only when it is
  small). d_z is undefined (None) when n < 2 or the SD of change is 0.
- **Normalized gain** g = (post - pre) / (100 - pre) on *averages* of knowledge percent scores (Hake's g).
  Undefined (None) when the pre average is 100 (no room to gain) or the averages are not percentages.

The t quantile is computed here (scipy is not a runtime dependency): the Student t CDF is expressed with
the regularized incomplete beta function, which is evaluated by its continued fraction (modified Lentz
method), and the quantile is found by bisection on that CDF to about 1e-10.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EFFECT_SIZE_NAME = "Cohen's d_z"
CI_LEVEL = 0.95


# --------------------------------------------------------------------------- descriptive statistics


def _finite(values: Iterable[float | None]) -> list[float]:
    """The values that are real numbers (None and NaN are dropped)."""
    return [float(v) for v in values if v is not None and not math.isnan(v)]


def mean(values: Iterable[float | None]) -> float | None:
    """Arithmetic mean of the given numbers (None/NaN ignored); None when there are none."""
    data = _finite(values)
    return math.fsum(data) / len(data) if data else None


def sample_sd(values: Iterable[float | None]) -> float | None:
    """Sample standard deviation with the n - 1 denominator; None when fewer than 2 numbers."""
    data = _finite(values)
    if len(data) < 2:
        return None
    centre = math.fsum(data) / len(data)
    variance = math.fsum((x - centre) ** 2 for x in data) / (len(data) - 1)
    return math.sqrt(variance)


# --------------------------------------------------------------------------- Student t distribution


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction for the incomplete beta function (modified Lentz, Numerical Recipes 6.4)."""
    tiny, eps = 1e-300, 1e-15
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 500):
        m2 = 2 * m
        for numerator in (m * (b - m) * x / ((qam + m2) * (a + m2)),
                          -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < eps:
            break
    return h


def regularized_incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b) for a, b > 0 and 0 <= x <= 1."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with df > 0 degrees of freedom."""
    if df <= 0:
        raise ValueError("degrees of freedom must be positive")
    tail = 0.5 * regularized_incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t >= 0 else tail


@functools.lru_cache(maxsize=1024)
def t_quantile(p: float, df: float) -> float:
    """The t value with P(T <= t) = p, by bisection on :func:`t_cdf` (absolute error below 1e-10)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must be strictly between 0 and 1")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    if p == 0.5:
        return 0.0
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2.0
    while high - low > 1e-10:
        middle = (low + high) / 2.0
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


# --------------------------------------------------------------------------- effect size and gain


@dataclass(frozen=True)
class EffectSize:
    """Cohen's d_z with its approximate confidence interval (see the module docstring)."""

    value: float
    ci_low: float
    ci_high: float
    n: int
    ci_level: float = CI_LEVEL
    name: str = EFFECT_SIZE_NAME
    ci_method: str = "d_z ± t(n-1) · sqrt(1/n + d_z²/(2n))"


def cohens_dz(changes: Sequence[float | None], ci_level: float = CI_LEVEL) -> EffectSize | None:
    """d_z = mean(change) / SD(change) with a CI; None when n < 2 or the SD of change is 0."""
    data = _finite(changes)
    return effect_size(len(data), mean(data), sample_sd(data), ci_level)


def effect_size(n: int, centre: float | None, sd: float | None, ci_level: float = CI_LEVEL) -> EffectSize | None:
    """d_z from the number of pairs and the mean and SD of the change; None when n < 2 or the SD is 0."""
    if n < 2 or sd is None or centre is None or sd == 0.0:
        return None
    d = centre / sd
    se = math.sqrt(1.0 / n + d * d / (2.0 * n))
    t_crit = t_quantile(1.0 - (1.0 - ci_level) / 2.0, n - 1)
    return EffectSize(value=d, ci_low=d - t_crit * se, ci_high=d + t_crit * se, n=n, ci_level=ci_level)


def normalized_gain(pre_mean: float | None, post_mean: float | None) -> float | None:
    """Hake's g = (post - pre) / (100 - pre) on class-average percent scores (knowledge only).

    None when either average is missing or outside 0..100, or when pre is 100 (no room to gain).
    """
    if pre_mean is None or post_mean is None:
        return None
    if not (0.0 <= pre_mean <= 100.0 and 0.0 <= post_mean <= 100.0):
        return None
    if math.isclose(pre_mean, 100.0, abs_tol=1e-9):
        return None
    return (post_mean - pre_mean) / (100.0 - pre_mean)


def effect_size_band(d: float | None) -> str | None:
    """Cohen's rough labels for |d|: negligible < 0.2 <= small < 0.5 <= medium < 0.8 <= large."""
    if d is None:
        return None
    size = abs(d)
    if size < 0.2:
        return "negligible"
    if size < 0.5:
        return "small"
    if size < 0.8:
        return "medium"
    return "large"
