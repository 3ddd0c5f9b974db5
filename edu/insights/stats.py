"""Outcome statistics for a class: pure functions, no database, no Flask.

What is computed, and the rules:

- **Scale scores.** Likert items are scored 1..5; a reverse-keyed item is scored ``low + high - x``
  (6 - x on a 1..5 scale). A student's scale score is the mean of the items they answered, provided they
  answered at least half of the scale's items (otherwise no score). Knowledge scores are percentages
  (0..100) of the questions answered correctly.
- **Paired change.** Only students with both a pre and a post score count (complete pairs). We report the
  pre and post means and sample SDs (n - 1 denominator), the mean change (post - pre) and the SD of the
  change.
- **Effect size.** Cohen's d_z = mean(change) / SD(change): the *paired* variant, named as such wherever it
  is shown. It is larger than the between-groups d for the same data when pre and post correlate, so it
  must not be compared with d values from other designs. Its 95% confidence interval uses the common
  large-sample approximation SE(d_z) = sqrt(1/n + d_z² / (2n)) with the Student t critical value for
  n - 1 degrees of freedom: d_z ± t(0.975, n - 1) · SE. (An exact interval needs the noncentral t
  distribution; the approximation is adequate for reporting to teachers and is documented as such.)
  d_z is undefined (None) when n < 2 or when every student changed by the same amount (SD of change 0).
- **Normalized gain** g = (post - pre) / (100 - pre) on *class averages* of knowledge percent scores
  (Hake's g). Only for knowledge, never for Likert scales: a Likert mean has no "100% ceiling". Undefined
  (None) when the pre average is 100 (no room to gain) or the averages are not percentages. Because post
  <= 100, g <= 1 always; g is negative when the class average went down.
- **Small classes.** A class outcome with fewer than ``min_n`` complete pairs (default 5, the teacher
  threshold) is returned as suppressed: no figures at all, only the reason.

The t quantile is computed here (scipy is not a runtime dependency): the Student t CDF is expressed with
the regularized incomplete beta function, which is evaluated by its continued fraction (modified Lentz
method), and the quantile is found by bisection on that CDF to about 1e-10.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

SCALES = ("knowledge", "attitudes", "bystander_confidence", "bystander_intention")
KNOWLEDGE = "knowledge"
EFFECT_SIZE_NAME = "Cohen's d_z"
CI_LEVEL = 0.95
DEFAULT_MIN_N = 5
LIKERT_LOW, LIKERT_HIGH = 1, 5

Pair = tuple[float | None, float | None]


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


# --------------------------------------------------------------------------- scoring


def reverse_score(value: int, low: int = LIKERT_LOW, high: int = LIKERT_HIGH) -> int:
    """A reverse-keyed Likert answer: low + high - value (on 1..5: 6 - value)."""
    return low + high - value


def likert_score(
    answers: Mapping[str, int | None],
    items: Sequence[str],
    reverse: Collection[str] = (),
    *,
    low: int = LIKERT_LOW,
    high: int = LIKERT_HIGH,
    min_share_answered: float = 0.5,
) -> float | None:
    """One student's scale score: the mean of the scale's answered items after reversing reverse-keyed ones.

    Answers to other items are ignored. None when the scale has no items or fewer than
    ``min_share_answered`` of them were answered. An answer outside low..high is a data error (ValueError).
    """
    scored = []
    for item in items:
        value = answers.get(item)
        if value is None:
            continue
        if not low <= value <= high:
            raise ValueError(f"answer {value!r} to {item!r} is outside {low}..{high}")
        scored.append(reverse_score(value, low, high) if item in reverse else value)
    if not items or not scored or len(scored) < min_share_answered * len(items):
        return None
    return math.fsum(scored) / len(scored)


def knowledge_percent(correct: int, total: int) -> float | None:
    """Knowledge score as a percentage 0..100; None when there were no questions."""
    if total <= 0:
        return None
    if not 0 <= correct <= total:
        raise ValueError(f"correct={correct} is outside 0..{total}")
    return 100.0 * correct / total


# --------------------------------------------------------------------------- class outcomes


@dataclass(frozen=True)
class PairedChange:
    """Pre/post summary over complete pairs (students with both scores)."""

    n: int
    pre_mean: float | None
    post_mean: float | None
    pre_sd: float | None
    post_sd: float | None
    mean_change: float | None
    sd_change: float | None
    effect: EffectSize | None


def complete_pairs(pairs: Iterable[Pair]) -> list[tuple[float, float]]:
    """The (pre, post) pairs where both scores are present and are numbers."""
    kept = []
    for pre, post in pairs:
        if pre is None or post is None or math.isnan(pre) or math.isnan(post):
            continue
        kept.append((float(pre), float(post)))
    return kept


def paired_change(pairs: Iterable[Pair]) -> PairedChange:
    """Means, SDs, mean change and d_z over complete pairs; never raises for small or empty input."""
    kept = complete_pairs(pairs)
    pre = [p for p, _ in kept]
    post = [q for _, q in kept]
    changes = [q - p for p, q in kept]
    return PairedChange(
        n=len(kept), pre_mean=mean(pre), post_mean=mean(post), pre_sd=sample_sd(pre),
        post_sd=sample_sd(post), mean_change=mean(changes), sd_change=sample_sd(changes),
        effect=cohens_dz(changes),
    )


@dataclass(frozen=True)
class ScaleOutcome:
    """One scale's outcome for one class. When ``suppressed`` every figure is None."""

    scale: str
    n: int | None
    suppressed: bool
    change: PairedChange | None = None
    normalized_gain: float | None = None
    min_n: int = DEFAULT_MIN_N
    reason: str | None = field(default=None)


@dataclass(frozen=True)
class PairedSums:
    """Sums over complete pairs, as a database aggregates them, with every score in whole units
    (score = value / unit). With whole numbers the sums are exact, and so is the SD: every pair changing by the
    same amount gives an SD of exactly 0. (Floats work too, with the usual rounding.)"""

    n: int
    pre: int | float
    pre_squares: int | float
    post: int | float
    post_squares: int | float
    change: int | float
    change_squares: int | float
    unit: int = 1


def mean_and_sd(n: int, total: int | float, squares: int | float,
                unit: int = 1) -> tuple[float | None, float | None]:
    """Mean and sample SD (n - 1 denominator) of n values from their sum and sum of squares (in units)."""
    if n < 1:
        return None, None
    centre = total / (n * unit)
    if n < 2:
        return centre, None
    spread = n * squares - total * total  # exact for whole numbers; n(n-1) times the variance, in unit²
    if isinstance(spread, float) and spread < 0:
        spread = 0.0  # rounding in float sums
    return centre, math.sqrt(spread / (n * (n - 1) * unit * unit))


def paired_change_from_sums(sums: PairedSums) -> PairedChange:
    """The same summary as :func:`paired_change`, from sums over the complete pairs."""
    pre_mean, pre_sd = mean_and_sd(sums.n, sums.pre, sums.pre_squares, sums.unit)
    post_mean, post_sd = mean_and_sd(sums.n, sums.post, sums.post_squares, sums.unit)
    change_mean, change_sd = mean_and_sd(sums.n, sums.change, sums.change_squares, sums.unit)
    return PairedChange(n=sums.n, pre_mean=pre_mean, post_mean=post_mean, pre_sd=pre_sd, post_sd=post_sd,
                        mean_change=change_mean, sd_change=change_sd,
                        effect=effect_size(sums.n, change_mean, change_sd))


def scale_outcome(scale: str, pairs: Iterable[Pair], min_n: int = DEFAULT_MIN_N) -> ScaleOutcome:
    """The outcome of one scale for one class, or a suppressed outcome below ``min_n`` complete pairs.

    The normalized gain is computed only for the knowledge scale (percent scores).
    """
    return outcome_of_change(scale, paired_change(pairs), min_n)


def outcome_of_change(scale: str, change: PairedChange, min_n: int = DEFAULT_MIN_N) -> ScaleOutcome:
    """A scale's outcome from its paired change: suppressed below ``min_n`` pairs."""
    if change.n < min_n:
        return ScaleOutcome(scale=scale, n=None, suppressed=True, min_n=min_n, reason="fewer_than_min_n")
    gain = normalized_gain(change.pre_mean, change.post_mean) if scale == KNOWLEDGE else None
    return ScaleOutcome(scale=scale, n=change.n, suppressed=False, change=change, normalized_gain=gain,
                        min_n=min_n)


def class_outcomes(pairs_by_scale: Mapping[str, Iterable[Pair]],
                   min_n: int = DEFAULT_MIN_N) -> dict[str, ScaleOutcome]:
    """Outcomes for the four scales (in SCALES order; a scale without data is suppressed)."""
    return {scale: scale_outcome(scale, pairs_by_scale.get(scale, ()), min_n) for scale in SCALES}


def class_outcomes_from_sums(sums_by_scale: Mapping[str, PairedSums],
                             min_n: int = DEFAULT_MIN_N) -> dict[str, ScaleOutcome]:
    """:func:`class_outcomes` from sums over complete pairs (a scale without sums is suppressed)."""
    empty = PairedSums(0, 0, 0, 0, 0, 0, 0)
    return {scale: outcome_of_change(scale, paired_change_from_sums(sums_by_scale.get(scale, empty)), min_n)
            for scale in SCALES}


# --------------------------------------------------------------------------- plain-language sentences


@dataclass(frozen=True)
class Sentence:
    """A message key and its parameters; the page translates and formats it."""

    key: str
    params: dict[str, object] = field(default_factory=dict)


def describe(outcome: ScaleOutcome) -> list[Sentence]:
    """Plain-language sentences (as message keys) to show beside an outcome's figures.

    Keys: outcome.suppressed, outcome.means, outcome.change.{up,down,none}, outcome.effect,
    outcome.effect.undefined, outcome.effect.uncertain, outcome.gain, outcome.gain.undefined.
    """
    if outcome.suppressed or outcome.change is None:
        return [Sentence("outcome.suppressed", {"min_n": outcome.min_n})]
    change = outcome.change
    sentences = [Sentence("outcome.means", {"n": change.n, "pre": _r(change.pre_mean),
                                            "post": _r(change.post_mean)})]
    delta = change.mean_change or 0.0
    direction = "up" if delta > 0 else "down" if delta < 0 else "none"
    sentences.append(Sentence(f"outcome.change.{direction}", {"change": _r(abs(delta))}))
    sentences.extend(_effect_sentences(change.effect))
    if outcome.scale == KNOWLEDGE:
        if outcome.normalized_gain is None:
            sentences.append(Sentence("outcome.gain.undefined"))
        else:
            sentences.append(Sentence("outcome.gain", {"gain": _r(outcome.normalized_gain),
                                                       "percent_of_room": round(outcome.normalized_gain * 100)}))
    return sentences


def _effect_sentences(effect: EffectSize | None) -> list[Sentence]:
    if effect is None:
        return [Sentence("outcome.effect.undefined")]
    sentences = [Sentence("outcome.effect", {
        "name": effect.name, "d": _r(effect.value), "low": _r(effect.ci_low), "high": _r(effect.ci_high),
        "level": round(effect.ci_level * 100), "band": effect_size_band(effect.value)})]
    if effect.ci_low <= 0.0 <= effect.ci_high:
        sentences.append(Sentence("outcome.effect.uncertain"))
    return sentences


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
