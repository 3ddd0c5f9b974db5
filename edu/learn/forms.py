"""Reading the student's form posts: plain dicts, validated by the services against the content."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

MAX_FIELD = 64


def quiz_answers_from(form: MultiDict, quiz) -> dict[str, list[str]]:
    """Answers posted as q-<question id> (one value, or several for multiple choice)."""
    answers = {}
    for question in quiz.questions:
        values = [v[:MAX_FIELD] for v in form.getlist(f"q-{question.id}") if v]
        if values:
            answers[question.id] = values
    return answers


def survey_answers_from(form: MultiDict, survey, phase: str) -> dict[str, str | None]:
    return {item.id: (form.get(f"i-{item.id}") or None) for item in survey.items_for(phase)}


def int_arg(value, default: int | None = None) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
