"""Differentially private survey figures: the queries, their sensitivity, the OpenDP noise and the rules that
decide whether a noisy figure is worth showing. Pure functions: no database, no Flask.

**Neighbouring data sets** differ by one student added, removed or changed (all of their answers, both phases;
a change keeps the student in their class, which is a roster fact: moving a student is a removal and an addition).
Every query below declares an L1 sensitivity bound that holds for all three (tested with hypothesis), and the
noise is OpenDP's discrete Laplace mechanism on integers (``make_laplace`` on ``vector_domain(atom_domain(int))``
with ``l1_distance``: pure ε-DP, no floating-point feature needed). The privacy loss of a query is OpenDP's
privacy map evaluated at the declared bound, never a formula of ours.

**Values are clipped to the scale declared in the survey file**: a knowledge item scores 1 when right, else 0;
a Likert item scores 0 .. top, top = number of labels - 1 (0..4 for the five labels), a 0-100 rating scores
value / 10 (0..10), reverse-keyed items reversed; anything else (a value not on the scale) scores nothing and is
not counted. The scales are the ones the survey file declares (edu/insights/scales.py), and so is the class-page
budget (class_term_budget).

**Who answered is a participation record, what they answered is protected.** The number of students who
submitted a phase (n) is exact, like lesson completion; the teacher sees who submitted anyway. So the knowledge
score is a noisy sum of right answers over a public denominator n x items (a skipped knowledge question counts
as not known). A Likert scale mean is a noisy sum over a *noisy* count of answers (S, A), since skipping an
opinion item is itself an answer.

**Useful or silent.** A figure whose expected 90% error exceeds half a scale point (or 10 points of 100) is
shown as "too few answers to show"; the expected error is computed from the noise scale and the released
values only (never from a true count that is not public).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from statistics import NormalDist

import opendp.prelude as dp
from opendp.accuracy import discrete_gaussian_scale_to_accuracy, discrete_laplacian_scale_to_accuracy

from edu.insights.scales import CLASS_FIGURES_PER_PHASE as CLASS_FIGURES_PER_PHASE
from edu.insights.scales import RATING_STEP as RATING_STEP
from edu.insights.scales import Scale as Scale
from edu.insights.scales import class_page_scales as class_page_scales
from edu.insights.scales import survey_scales as survey_scales
from edu.insights.stats import effect_size

# OpenDP marks its measurement constructors "contrib" (not yet vetted by its own committee): see decisions.md.
dp.enable_features("contrib")

ALPHA = 0.10  # figures state their expected 90% error
FIGURE_EPSILON = 1.0  # each class-page figure
PHASES = ("pre", "post")
# A file that declares its scales spends FIGURE_EPSILON per class-page scale and phase: class_term_budget(survey).
CLASS_TERM_BUDGET = FIGURE_EPSILON * CLASS_FIGURES_PER_PHASE * len(PHASES)  # 8 per student per term
# Shared by every school-level figure of a term, in zero-concentrated DP: rho = 1/2, what a pure epsilon = 1 release
# also satisfies (Bun-Steinke: epsilon-DP implies epsilon^2/2-zCDP). In (epsilon, delta) terms (OpenDP's conversion):
# about (5.2, 1e-6); see school_epsilon().
SCHOOL_TERM_BUDGET = 0.5
SCHOOL_DELTA = 1e-6
KNOWLEDGE = "knowledge"
MAX_KNOWLEDGE_ERROR = 10.0  # points of 100
MAX_SCALE_ERROR = 0.5  # scale points
MAX_SHARE_ERROR = 0.10  # a share of answers: 10 percentage points
LAPLACE, GAUSSIAN = "laplace", "gaussian"


@dataclass(frozen=True)
class NoisyQuery:
    """A vector of integer sums released with integer noise. Laplace (the default): discrete Laplace noise, pure
    ``epsilon``-DP, ``sensitivity`` bounds the L1 change of the vector when one student is added, removed or
    changed. Gaussian: discrete Gaussian noise under zero-concentrated DP, ``epsilon`` holds the query's zCDP
    ``rho`` and ``sensitivity`` bounds the L2 change (an integer at least the true bound)."""

    name: str
    sensitivity: int
    epsilon: float
    size: int = 1
    mechanism: str = LAPLACE

    @property
    def scale(self) -> float:
        if self.mechanism == GAUSSIAN:  # rho = (sensitivity / sigma)^2 / 2
            return self.sensitivity / math.sqrt(2 * self.epsilon)
        return self.sensitivity / self.epsilon

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> NoisyQuery:
        return cls(str(data["name"]), int(data["sensitivity"]), float(data["epsilon"]), int(data["size"]),
                   str(data.get("mechanism", LAPLACE)))


def measurement(query: NoisyQuery):
    """The OpenDP measurement of a query: discrete Laplace noise on a vector of integers under the L1 metric
    (MaxDivergence), or discrete Gaussian noise under the L2 metric (ZeroConcentratedDivergence)."""
    domain = dp.vector_domain(dp.atom_domain(T=int), size=query.size)
    if query.mechanism == GAUSSIAN:
        return dp.m.make_gaussian(domain, dp.l2_distance(T=int), scale=query.scale)
    return dp.m.make_laplace(domain, dp.l1_distance(T=int), scale=query.scale)


def privacy_loss(query: NoisyQuery) -> float:
    """ε spent by one release of a Laplace query: OpenDP's privacy map at the declared sensitivity."""
    if query.mechanism != LAPLACE:
        raise ValueError(f"{query.name}: a {query.mechanism} query has no pure epsilon; use rho()")
    return float(measurement(query).map(query.sensitivity))


def rho(query: NoisyQuery) -> float:
    """zCDP rho spent by one release: OpenDP's privacy map at the declared sensitivity (a Laplace query through
    OpenDP's pure-DP to zCDP conversion, epsilon^2 / 2)."""
    if query.mechanism == GAUSSIAN:
        return float(measurement(query).map(query.sensitivity))
    return float(dp.c.make_pureDP_to_zCDP(measurement(query)).map(query.sensitivity))


def school_epsilon(total_rho: float = SCHOOL_TERM_BUDGET, delta: float = SCHOOL_DELTA) -> float:
    """The (epsilon, delta) equivalent of a rho-zCDP release (OpenDP's zCDP to approximate-DP conversion)."""
    if total_rho <= 0:
        return 0.0
    gauss = dp.m.make_gaussian(dp.atom_domain(T=float, nan=False), dp.absolute_distance(T=float),
                               scale=1 / math.sqrt(2 * total_rho))
    return float(dp.c.make_zCDP_to_approxDP(gauss).map(1.0).epsilon(delta))


def release(query: NoisyQuery, values: Iterable[int]) -> list[int]:
    """The noisy vector (OpenDP draws its noise from the operating system, it cannot be seeded)."""
    exact = [int(v) for v in values]
    if len(exact) != query.size:
        raise ValueError(f"{query.name}: expected {query.size} values, got {len(exact)}")
    return [int(v) for v in measurement(query)(exact)]


def accuracy(query: NoisyQuery, alpha: float = ALPHA) -> float:
    """|noise| of one coordinate stays below this with probability 1 - alpha (OpenDP's accuracy helper)."""
    if query.mechanism == GAUSSIAN:
        return float(discrete_gaussian_scale_to_accuracy(query.scale, alpha))
    return float(discrete_laplacian_scale_to_accuracy(query.scale, alpha))


def normal_quantile(alpha: float = ALPHA) -> float:
    """z with P(|N(0, 1)| > z) = alpha."""
    return NormalDist().inv_cdf(1 - alpha / 2)


# ---- the survey's scales, as the queries see them -----------------------------------------------------------


def class_figures_per_phase(survey) -> int:
    return len(class_page_scales(survey))


def class_term_budget(survey) -> float:
    """Pure ε one student's answers can spend on class pages in a term: ε = 1 per class figure and phase, over
    the scales the survey file puts on the class page (never a fixed list)."""
    return FIGURE_EPSILON * class_figures_per_phase(survey) * len(PHASES)


def term_epsilon(survey) -> float:
    """One student's whole term, class pages and school, in (ε, δ = SCHOOL_DELTA) by basic composition."""
    return class_term_budget(survey) + school_epsilon()


def privacy_promise(survey) -> dict[str, str]:
    """The figures the survey's intro states ({class_results}, {epsilon}), from the declared scales."""
    return {"class_results": str(class_figures_per_phase(survey) * len(PHASES)),
            "epsilon": f"{term_epsilon(survey):.0f}"}


Counts = Mapping[str, Mapping[str | None, int]]  # item id -> answer value -> how many


def scale_sums(scale: Scale, counts: Counts) -> tuple[int, int]:
    """(sum of clipped points, number of answers counted) of a scale over per-item answer counts."""
    total = answered = 0
    for item_id in scale.item_ids:
        for value, count in counts.get(item_id, {}).items():
            points = scale.points(item_id, value)
            if points is not None:
                total += points * count
                answered += count
    return total, answered


def scale_query(scale: Scale, epsilon: float = FIGURE_EPSILON, name: str | None = None) -> NoisyQuery:
    """Knowledge: the right answers (one student adds at most one per item). A Likert scale: (points, answers),
    one student adds at most top points and one answer per item."""
    items = len(scale.item_ids)
    if scale.is_knowledge:
        return NoisyQuery(name or scale.name, items, epsilon, 1)
    return NoisyQuery(name or scale.name, items * (scale.top + 1), epsilon, 2)


def scale_values(scale: Scale, counts: Counts) -> list[int]:
    total, answered = scale_sums(scale, counts)
    return [total] if scale.is_knowledge else [total, answered]


# ---- from noisy sums to a figure ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A figure as a page shows it: the value (percent for knowledge, 1..top+1 for a scale) and its expected
    90% error, or ``shown`` False with no value ("too few answers to show")."""

    scale: str
    value: float | None
    error90: float | None
    shown: bool
    percent: bool
    high: int = 100  # the top of the scale shown (100, or the number of Likert labels)


def knowledge_figure(scale_name: str, noisy_right: int, n: int, items: int, acc: float) -> Figure:
    """Share of knowledge answers right, over the public n x items; error = noise accuracy / (n x items)."""
    if n <= 0 or items <= 0:
        return Figure(scale_name, None, None, False, True)
    denominator = n * items
    value = min(100.0, max(0.0, 100.0 * noisy_right / denominator))
    error = 100.0 * acc / denominator
    shown = error <= MAX_KNOWLEDGE_ERROR
    return Figure(scale_name, value if shown else None, error, shown, True)


def scaled_figure(scale_name: str, mean: float | None, error: float | None, top: int, step: int = 0) -> Figure:
    """A mean of points (0..top) and its expected 90% error in points, as shown: a Likert mean on 1..top+1,
    useful while the error is at most MAX_SCALE_ERROR; a rating mean on 0..100 (points x step), useful while
    the error is at most MAX_KNOWLEDGE_ERROR points of 100."""
    if step:
        shown = mean is not None and error * step <= MAX_KNOWLEDGE_ERROR
        return Figure(scale_name, mean * step if shown else None, None if error is None else error * step, shown,
                      True)
    shown = mean is not None and error <= MAX_SCALE_ERROR
    return Figure(scale_name, mean + 1 if shown else None, error, shown, False, top + 1)


def mean_figure(scale_name: str, noisy_total: int, noisy_answered: int, top: int, acc95: float,
                step: int = 0) -> Figure:
    """A scale mean S/A (points 0..top). Both sums are noisy; with each off by at most ``acc95`` (95% each,
    so both hold at least 90% of the time) the mean is off by at most (acc95 + top x acc95) / (A - acc95)."""
    if noisy_answered - acc95 <= 0:
        return scaled_figure(scale_name, None, None, top, step)
    mean = min(float(top), max(0.0, noisy_total / noisy_answered))
    return scaled_figure(scale_name, mean, acc95 * (1 + top) / (noisy_answered - acc95), top, step)


def figure_of(scale_name: str, query: NoisyQuery, noisy: list[int], n: int, items: int, top: int,
              step: int = 0) -> Figure:
    """The figure of a released scale query (knowledge: one sum over the public n; Likert or rating: two sums)."""
    if query.size == 1:
        return knowledge_figure(scale_name, noisy[0], n, items, accuracy(query))
    return mean_figure(scale_name, noisy[0], noisy[1], top, accuracy(query, ALPHA / 2), step)


def effect_from_noisy(n: int, noisy_pre: int, noisy_post: int, noisy_squares: int, items: int,
                      acc_sums: float, acc_squares: float):
    """Paired change of the knowledge score from noisy sums over n pairs (public): mean change, SD of change and
    d_z with its sampling interval, as points of 100; None unless the noise moves the mean change by at most
    10 points and the variance by at most a quarter (90% each)."""

    if n < 2 or items <= 0:
        return None
    mean_change = (noisy_post - noisy_pre) / n  # in right answers
    variance = (noisy_squares / n - mean_change * mean_change) * n / (n - 1)
    if variance <= 0:
        return None
    mean_error = 2 * acc_sums / n
    variance_error = acc_squares / (n - 1) + 2 * abs(mean_change) * mean_error + mean_error * mean_error
    if 100.0 * mean_error / items > MAX_KNOWLEDGE_ERROR or variance_error > variance / 4:
        return None
    sd = math.sqrt(variance)
    return effect_size(n, 100.0 * mean_change / items, 100.0 * sd / items)


# ---- per-item answer distributions (school level, discrete Gaussian) ---------------------------------------


def option_counts(scale: Scale, counts: Counts) -> list[int]:
    """How many answers of a one-item scale fall on each option, in the survey's label order (not reversed for
    reverse-keyed items, so the columns read like the survey); skipped or off-scale answers count nowhere."""
    cells = [0] * (scale.top + 1)
    item_id = scale.item_ids[0]
    reverse = item_id in scale.reverse
    for value, count in counts.get(item_id, {}).items():
        points = scale.points(item_id, value)
        if points is not None:
            cells[scale.top - points if reverse else points] += count
    return cells


def options_l2_sensitivity(items: int, phases: int = len(PHASES)) -> int:
    """L2 bound of per-option counts when one student is added, removed or changed: per item and phase one
    answer moves from one cell to another (two cells change by 1) or appears/disappears (one cell): at most
    2 x items x phases squared units, rounded up to an integer root."""
    squared = 2 * items * phases
    root = math.isqrt(squared)
    return root if root * root == squared else root + 1


@dataclass(frozen=True)
class Distribution:
    """Shares of the answers per option (0..1, the options in survey order) and the mean derived from the same
    counts, with their expected 90% errors; ``shown`` False: "too few answers to show"."""

    item: str
    shares: tuple[float, ...] | None
    error90: float | None
    shown: bool
    mean: Figure


def distribution_of(item_id: str, noisy: list[int], sigma: float, top: int, reverse: bool = False,
                    step: int = 0) -> Distribution:
    """From noisy counts per option (each with independent noise of standard deviation at most ``sigma``):
    shares c_k / N and the mean sum(k c_k) / N, N the sum of the counts. The errors are the normal
    approximation of the noise's effect at the released values, with N lowered by its own 90% error:
    share k: z sigma sqrt((1 - s_k)^2 + s_k^2 top) / N; mean: z sigma sqrt(sum_k (k - mean)^2) / N. The mean is
    on the scale's "higher is better" direction (a reverse-keyed item's options counted from the other end)."""
    z = normal_quantile()
    counts = [max(0, int(v)) for v in noisy]
    total = sum(counts)
    low = total - z * sigma * math.sqrt(top + 1)
    silent = Distribution(item_id, None, None, False, scaled_figure(item_id, None, None, top, step))
    if total <= 0 or low <= 0:
        return silent
    shares = tuple(c / total for c in counts)
    share_error = max(z * sigma * math.sqrt((1 - s) ** 2 + s * s * top) / low for s in shares)
    mean = sum((top - k if reverse else k) * c for k, c in enumerate(counts)) / total
    mean_error = z * sigma * math.sqrt(sum((k - mean) ** 2 for k in range(top + 1))) / low
    figure = scaled_figure(item_id, mean, mean_error, top, step)
    shown = share_error <= MAX_SHARE_ERROR
    return Distribution(item_id, shares if shown else None, share_error, shown, figure)


# One student's whole term (class pages and school): zCDP rho 8 x 1/2 + 1/2 = 4.5; in (epsilon, delta) terms, by
# basic composition of the class pages' pure epsilon 8 with the school's (epsilon, 1e-6): about (13.2, 1e-6).
TERM_RHO = CLASS_TERM_BUDGET * FIGURE_EPSILON / 2 + SCHOOL_TERM_BUDGET
TERM_EPSILON = CLASS_TERM_BUDGET + school_epsilon()
