"""The step rules (warnings in ``flask content check``): a step is short, and a student has something to do.

A step's prose is its text outside any block plus, for each age band, the ``:::audience`` blocks for that band;
the band with the most counts. Text inside every other block (check, scenario, poll, reflection, sort, reveal,
flip, chat, mythfact, law, legal, help, content-note, stepout) is not counted. It is counted as readers see it: the
rendered text, so Markdown markup, link targets and tags do not count and a citation counts as its wording.
English counts words (separated by whitespace), Korean counts characters other than whitespace.
"""

from __future__ import annotations

import html
import re

from .model import AGE_BANDS, Issue

MAX_WORDS = 150  # English (and any language but Korean)
MAX_CHARACTERS = 350  # Korean, without whitespace
DOING_KINDS = ("check", "scenario", "poll", "reflection", "sort", "reveal", "flip", "chat")
_TAG = re.compile(r"<[^>]*>")


def plain_text(rendered_html: str) -> str:
    """The text a reader sees in sanitised HTML: tags dropped (each as a space), entities decoded."""
    return html.unescape(_TAG.sub(" ", rendered_html))


def size(text: str, locale: str | None) -> int:
    """Words for English, characters without whitespace for Korean."""
    if locale == "ko":
        return sum(1 for c in text if not c.isspace())
    return len(text.split())


def limit(locale: str | None) -> int:
    return MAX_CHARACTERS if locale == "ko" else MAX_WORDS


def prose_size(step, locale: str | None, bands: tuple[str, ...] = AGE_BANDS) -> int:
    """The size of a step's prose for its largest age band (``bands``: the lesson's)."""
    shared = " ".join(plain_text(seg.html) for seg in step.segments if seg.kind == "html")
    sizes = [size(shared, locale)]
    for band in bands or AGE_BANDS:
        extra = " ".join(plain_text(seg.html) for seg in step.segments
                         if seg.kind == "audience" and band in seg.bands)
        sizes.append(size(f"{shared} {extra}", locale))
    return max(sizes)


def has_something_to_do(step) -> bool:
    return any(seg.kind in DOING_KINDS for seg in step.segments)


def check_steps(lesson, path: str, step_lines: dict[str, int]) -> list[Issue]:
    """Warnings for a lesson: steps over the limit, and each second step in a row with nothing to do."""
    issues: list[Issue] = []
    unit = "characters without spaces" if lesson.locale == "ko" else "words"
    previous_idle = False
    for step in lesson.steps:
        line = step_lines.get(step.id, 1)
        n, most = prose_size(step, lesson.locale, lesson.age_bands), limit(lesson.locale)
        if n > most:
            issues.append(Issue(path, line, f"step '{step.id}' has {n} {unit} of prose (at most {most}): "
                                "shorten it, or move the legal detail into a ':::law' block", "warning"))
        idle = not has_something_to_do(step)
        if idle and previous_idle:
            issues.append(Issue(path, line, f"step '{step.id}' and the step before it have nothing to do: add "
                                f"one of {', '.join(DOING_KINDS)} to one of them", "warning"))
        previous_idle = idle
        issues.extend(_chat_issues(step, path, line))
    return issues


def _chat_issues(step, path: str, line: int) -> list[Issue]:
    """A step with a ``:::chat`` has one chat, and before it a content note and a step-out, like other sensitive
    material: the chat is the step's rehearsal and the student can always do something else instead."""
    kinds = [seg.kind for seg in step.segments]
    if "chat" not in kinds:
        return []
    found = []
    if kinds.count("chat") > 1:
        found.append(f"step '{step.id}' has {kinds.count('chat')} ':::chat' blocks: give each chat a step of its own")
    first = kinds.index("chat")
    for needed in ("content-note", "stepout"):
        if needed not in kinds[:first]:
            found.append(f"step '{step.id}' has a ':::chat' block but no ':::{needed}' before it: sensitive "
                         "practice comes with a content note and a step-out")
    return [Issue(path, line, message, "warning") for message in found]
