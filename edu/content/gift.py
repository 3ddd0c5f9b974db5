"""Import Moodle GIFT quizzes: ``gift_to_quiz_yaml(text, module, locale, quiz_id)`` returns quiz YAML in this
project's format (status: draft; explanation and source are placeholders to fill in when GIFT has none).

Supported: comments ``//``, ``$CATEGORY``, titles ``::title::``, format tags ``[markdown]``,
multiple choice (``=`` right, ``~`` wrong, ``#feedback``), multiple answer (``~%50%``),
true/false (``{T}``, ``{FALSE#..#..}``), general feedback ``####``,
escapes ``\\~ \\= \\# \\{ \\} \\: \\\\ \\n``.
Short answer, numeric, matching and essay questions are skipped and listed in a comment at the top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import yaml

_ESCAPES = {
    "\\\\": "\ue000",
    "\\~": "\ue001",
    "\\=": "\ue002",
    "\\#": "\ue003",
    "\\{": "\ue004",
    "\\}": "\ue005",
    "\\:": "\ue006",
}
_RESTORE = {v: k[1] for k, v in _ESCAPES.items()}
_ESCAPE_RE = re.compile(r"\\[\\~=#{}:n]")
_TITLE_RE = re.compile(r"^::(.*?)::", re.S)
_FORMAT_RE = re.compile(r"^\s*\[(?:markdown|html|plain|moodle)\]", re.I)
_WEIGHT_RE = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TF_RE = re.compile(r"^(TRUE|FALSE|T|F)(?=$|#)")
PLACEHOLDER_EXPLANATION = "TODO: explain why this is the answer, citing the fact."
PLACEHOLDER_SOURCE = "TODO: source title, URL"


def _protect(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: "\n" if m.group(0) == "\\n" else _ESCAPES[m.group(0)], text)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(ch, ch) for ch in text).strip()


@dataclass
class _Result:
    questions: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _chunks(text: str) -> list[str]:
    """Questions are separated by blank lines (outside braces); comments and $CATEGORY lines are dropped."""
    chunks, current, depth = [], [], 0
    for line in _protect(text).splitlines():
        stripped = line.strip()
        if stripped.startswith("//") or stripped.startswith("$CATEGORY"):
            continue
        if not stripped and depth == 0:
            if current:
                chunks.append("\n".join(current))
            current = []
            continue
        depth += line.count("{") - line.count("}")
        current.append(line)
    if current:
        chunks.append("\n".join(current))
    return chunks


def _split_feedback(text: str) -> tuple[str, str | None]:
    answer, sep, feedback = text.partition("#")
    return _restore(answer), (_restore(feedback) or None) if sep else None


def _answers(body: str) -> list[tuple[bool, float | None, str, str | None]]:
    """(marked '=', weight, text, feedback) for each answer."""
    found = []
    for match in re.finditer(r"([=~])([^=~]*)", body):
        raw = match.group(2).strip()
        weight = None
        w = _WEIGHT_RE.match(raw)
        if w:
            weight, raw = float(w.group(1)), raw[w.end() :]
        text, feedback = _split_feedback(raw)
        found.append((match.group(1) == "=", weight, text, feedback))
    return found


def _question(chunk: str, number: int, result: _Result) -> None:
    title = None
    m = _TITLE_RE.match(chunk.strip())
    if m:
        title, chunk = _restore(m.group(1)), chunk.strip()[m.end() :]
    label = f"question {number}" + (f" ('{title}')" if title else "")
    chunk = _FORMAT_RE.sub("", chunk, count=1)
    start, end = chunk.find("{"), chunk.rfind("}")
    if start < 0 or end < start:
        result.notes.append(f"{label}: no answers in {{...}}; skipped")
        return
    before, body, after = _restore(chunk[:start]), chunk[start + 1 : end].strip(), _restore(chunk[end + 1 :])
    prompt = f"{before} _____ {after}" if after else before
    body, _, general = body.partition("####")
    explanation = _restore(general) or PLACEHOLDER_EXPLANATION
    qid = f"q{len(result.questions) + 1}"
    question: dict[str, Any] = {"id": qid}
    tf = _TF_RE.match(body)
    if tf:
        answer = tf.group(1).startswith("T")
        feedbacks = [_restore(f) for f in body[tf.end() :].split("#")[1:]]
        question.update(type="truefalse", prompt=prompt, answer=answer)
        # GIFT: the first feedback is shown for a wrong answer, the second for a right one
        wrong, right = (feedbacks + ["", ""])[:2]
        for value, text in ((answer, right), (not answer, wrong)):
            if text:
                question[f"feedback_{'true' if value else 'false'}"] = text
    else:
        if not body or "->" in body or body.startswith("#"):
            kind = "essay" if not body else "matching" if "->" in body else "numeric"
            result.notes.append(f"{label}: {kind} questions are not supported; skipped")
            return
        answers = _answers(body)
        if not any(not marked for marked, *_ in answers):
            result.notes.append(f"{label}: short-answer questions are not supported; skipped")
            return
        options = []
        for i, (marked, weight, text, feedback) in enumerate(answers):
            option: dict[str, Any] = {"id": chr(ord("a") + i) if i < 26 else f"o{i + 1}", "text": text}
            if marked or (weight is not None and weight > 0):
                option["correct"] = True
            if feedback:
                option["feedback"] = feedback
            options.append(option)
        correct = sum(1 for o in options if o.get("correct"))
        qtype = (
            "single"
            if correct == 1 and not any(w is not None and 0 < w < 100 for _, w, _, _ in answers)
            else "multiple"
        )
        question.update(type=qtype, prompt=prompt, options=options)
    question.update(explanation=explanation, source=PLACEHOLDER_SOURCE)
    result.questions.append(question)
    if title:
        result.notes.append(f"{qid}: {title}")


def gift_to_quiz_yaml(
    text: str, module: str, locale: str, quiz_id: str, *, title: str | None = None, today: date | None = None
) -> str:
    """Quiz YAML for ``content/quizzes/<locale>/<module>/<quiz_id>.yaml``. Raises ValueError when nothing
    could be imported."""
    result = _Result()
    for number, chunk in enumerate(_chunks(text), start=1):
        _question(chunk, number, result)
    if not result.questions:
        raise ValueError("no question could be imported" + "".join(f"\n  {n}" for n in result.notes))
    quiz = {
        "id": quiz_id,
        "module": module,
        "title": title or quiz_id,
        "status": "draft",
        "updated": today or date.today(),
        "questions": result.questions,
    }
    header = [f"# Imported from GIFT ({locale}). Fill in every TODO, then set status: published."]
    header += [f"# {note}" for note in result.notes]
    return "\n".join(header) + "\n" + yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False, width=100)
