"""Question analysis for a quiz: pure functions over (student, answers, score) records.

- facility: the share of students who answered the question correctly;
- most chosen wrong option: among wrong answers, the option chosen most often;
- discrimination index D = p(upper group) - p(lower group), the groups being the top and bottom 27% of
  students by total score (Kelley's rule), shown only once at least MIN_FOR_DISCRIMINATION students answered.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

MIN_FOR_DISCRIMINATION = 10
GROUP_SHARE = 0.27


@dataclass(frozen=True)
class Response:
    """One student's counted attempt: their answers (question -> chosen option ids) and total score."""

    answers: dict[str, frozenset[str]]
    score: int


@dataclass(frozen=True)
class ItemStats:
    question_id: str
    answered: int
    correct: int
    facility: float | None
    top_wrong_option: str | None
    top_wrong_count: int
    discrimination: float | None


def _is_correct(chosen: frozenset[str] | None, correct: frozenset[str]) -> bool:
    return chosen is not None and chosen == correct


def analyse(questions: list[tuple[str, frozenset[str]]], responses: list[Response]) -> list[ItemStats]:
    """Stats for each (question id, correct option ids); questions most often missed first."""
    ranked = sorted(responses, key=lambda r: r.score)
    group = max(1, math.ceil(len(ranked) * GROUP_SHARE)) if ranked else 0
    lower, upper = ranked[:group], ranked[-group:] if group else []
    stats = []
    for question_id, correct in questions:
        answered = [r for r in responses if question_id in r.answers]
        right = sum(_is_correct(r.answers[question_id], correct) for r in answered)
        wrong = Counter(option for r in answered if not _is_correct(r.answers[question_id], correct)
                        for option in r.answers[question_id] - correct)
        top_wrong, top_count = (wrong.most_common(1)[0] if wrong else (None, 0))
        discrimination = None
        if len(responses) >= MIN_FOR_DISCRIMINATION:
            p_upper = sum(_is_correct(r.answers.get(question_id), correct) for r in upper) / len(upper)
            p_lower = sum(_is_correct(r.answers.get(question_id), correct) for r in lower) / len(lower)
            discrimination = round(p_upper - p_lower, 2)
        stats.append(ItemStats(
            question_id=question_id, answered=len(answered), correct=right,
            facility=(right / len(answered)) if answered else None,
            top_wrong_option=top_wrong, top_wrong_count=top_count, discrimination=discrimination,
        ))
    return sorted(stats, key=lambda s: (s.facility is None, s.facility if s.facility is not None else 0))


def bar_chart_svg(values: list[float], width: int = 240, bar_height: int = 18) -> str:
    """A small horizontal bar chart (0..1) as SVG markup; labels are in the table beside it."""
    height = bar_height * len(values) + 4
    bars = []
    for index, value in enumerate(values):
        y = index * bar_height + 2
        value = max(0.0, min(1.0, value))
        length = value * (width - 50)
        bars.append(
            f'<rect x="0" y="{y}" width="{length:.1f}" height="{bar_height - 4}" class="bar"></rect>'
            f'<text x="{length + 4:.1f}" y="{y + bar_height - 7}" class="bar-label">{round(value * 100)}%</text>'
        )
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false">{"".join(bars)}</svg>')
