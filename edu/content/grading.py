"""Quiz grading: a pure function. One point per question; a question is right when the chosen set of options
equals the set of correct options. Unknown question and option ids are ignored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import Quiz


@dataclass(frozen=True)
class QuizResult:
    score: int
    max_score: int
    percent: float  # 0..100, rounded to one decimal
    per_question: dict[str, bool]  # every question of the quiz, in order; unanswered ones are False


def grade_quiz(quiz: Quiz, answers: Mapping[str, Iterable[str] | str]) -> QuizResult:
    per_question: dict[str, bool] = {}
    for question in quiz.questions:
        raw = answers.get(question.id, ())
        chosen = {raw} if isinstance(raw, str) else set(raw)
        chosen &= {o.id for o in question.options}
        per_question[question.id] = bool(chosen) and chosen == question.correct_ids
    score, max_score = sum(per_question.values()), len(quiz.questions)
    percent = round(100 * score / max_score, 1) if max_score else 0.0
    return QuizResult(score, max_score, percent, per_question)
