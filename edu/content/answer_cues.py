"""Warnings about cues that give answers away, and about feedback that all sounds the same.

- Lesson checks and survey knowledge items are shown in the authored order (lesson pages are cached for the whole
  class), so their correct answers must not cluster in one position (a survey's pre and post forms each).
- In every kind of item, the correct option must not be the longest in more than half of a file's items. A survey
  knowledge form, the measure behind the outcome pages, is held to chance instead (form_cues).
- A quiz needs at least two transfer questions (``transfer: true``: a situation the lessons did not show).
- No opening phrase starts more than three feedback texts in one language.
"""

from __future__ import annotations

import html
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from .fields import FileResult
from .model import Issue
from .survey_forms import PHASES, form_items

MIN_TRANSFER_QUESTIONS = 2
MAX_SHARED_OPENINGS = 3
OPENING_WORDS = 2
_TAGS = re.compile(r"<[^>]+>")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_EDGE_PUNCTUATION = "\"'.,:;!?…()*-–—「」『』"


def _single_answer(items: Iterable[tuple[str, Sequence]]) -> list[tuple[str, Sequence]]:
    return [(label, options) for label, options in items if sum(o.correct for o in options) == 1]


def _line(res: FileResult, label: str) -> int:
    return res.signature.get(f"options of {label}", ([], 1))[1]


def correct_position_cluster(items: list[tuple[str, Sequence]]) -> tuple[int, int] | None:
    """(1-based position, count) when one position holds the correct answer of more than half of 3+ items."""
    if len(items) < 3:
        return None
    positions = Counter(next(i for i, o in enumerate(options) if o.correct) + 1 for _label, options in items)
    position, count = positions.most_common(1)[0]
    return (position, count) if count * 2 > len(items) else None


def correct_is_longest(options: Sequence) -> bool:
    lengths = [len(o.text.strip()) for o in options]
    longest = max(lengths)
    return lengths.count(longest) == 1 and options[lengths.index(longest)].correct


def longest_cue(items: list[tuple[str, Sequence]]) -> int | None:
    """How many items have the correct option as the single longest, when that is more than half of 2+ items."""
    count = sum(correct_is_longest(options) for _label, options in items)
    return count if len(items) >= 2 and count * 2 > len(items) else None


def chance(items: list[tuple[str, Sequence]]) -> int:
    """How many of the items a guess would get right, rounded up: sum of 1 / options."""
    return math.ceil(sum(1 / len(options) for _label, options in items) - 1e-9)


def form_cues(items: list[tuple[str, Sequence]]) -> tuple[tuple[int, int] | None, int | None]:
    """A survey knowledge form is the measure behind the outcome pages, so it is held to chance: (position,
    count) when one position holds the correct answer more than once above chance, and the count when the
    correct option is the single longest in more items than chance."""
    expected = chance(items)
    positions = Counter(next(i for i, o in enumerate(options) if o.correct) + 1 for _label, options in items)
    position, count = positions.most_common(1)[0] if positions else (0, 0)
    longest = sum(correct_is_longest(options) for _label, options in items)
    return ((position, count) if count > expected + 1 else None), (longest if longest > expected else None)


def opening(text_html: str, words: int = OPENING_WORDS) -> str:
    """The first words of a text, lower case, without markup or punctuation ("" for a shorter text)."""
    text = html.unescape(_TAGS.sub(" ", text_html)).translate(_QUOTES).lower()
    parts = [p for p in (w.strip(_EDGE_PUNCTUATION) for w in text.split()) if p]
    return " ".join(parts[:words]) if len(parts) >= words else ""


def _items(res: FileResult) -> list[tuple[str, list[tuple[str, Sequence]]]]:
    """[(what the items are called, [(label, options)])] of the items with a correct answer in one file: one
    group per set a student sees together (a survey's pre and post knowledge forms are checked apart)."""
    obj = res.obj
    if res.kind == "lesson":
        return [("checks", [(f"check '{c.id}'", c.options) for c in obj.blocks("check")])]
    if res.kind == "survey":
        return [(f"{phase}-survey knowledge items", [(f"item '{i.id}'", i.options) for i in form_items(obj.items, phase)
                                                     if i.type == "knowledge"]) for phase in PHASES]
    return [("questions", [(f"question '{q.id}'", q.options) for q in obj.questions
                           if q.type in ("single", "scenario")])]


def _file_cues(res: FileResult) -> list[Issue]:
    groups = _items(res)
    if not any(_single_answer(items) for _noun, items in groups):
        return []
    issues = [issue for noun, items in groups for issue in _group_cues(res, noun, items)]
    if res.kind == "quiz":
        transfer = sum(q.transfer for q in res.obj.questions)
        if transfer < MIN_TRANSFER_QUESTIONS:
            issues.append(Issue(res.path, 1, f"the quiz has {transfer} transfer questions (`transfer: true`), it "
                                             f"needs at least {MIN_TRANSFER_QUESTIONS}: a situation the lessons "
                                             "did not show, with new people", "warning"))
    return issues


def _group_cues(res: FileResult, noun: str, items: list[tuple[str, Sequence]]) -> list[Issue]:
    single = _single_answer(items)
    if not single:
        return []
    line = _line(res, single[0][0])
    issues = []
    if res.kind == "survey":
        cluster, longest = form_cues(single)
    else:
        cluster = correct_position_cluster(single) if res.kind == "lesson" else None
        longest = longest_cue(single)
    if cluster:
        position, count = cluster
        issues.append(Issue(res.path, line, f"the correct answer is option {position} in {count} of {len(single)} "
                                            f"{noun}: spread the correct answers over the positions ({noun} are "
                                            "shown in the order written)", "warning"))
    if longest:
        issues.append(Issue(res.path, line, f"the correct option is the longest in {longest} of {len(single)} "
                                            f"{noun}: make wrong options as full and plausible as the right one",
                            "warning"))
    return issues


def _feedback_texts(res: FileResult) -> Iterable[tuple[str, int]]:
    if res.kind == "lesson":
        for scenario in res.obj.blocks("scenario"):
            for choice in scenario.choices:
                yield choice.feedback_html, _line(res, f"scenario '{scenario.id}'")
    elif res.kind == "quiz":
        for question in res.obj.questions:
            for option in question.options:
                yield option.feedback_html, _line(res, f"question '{question.id}'")


def answer_cues(results: list[FileResult]) -> list[Issue]:
    issues: list[Issue] = []
    openings: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for res in results:
        if res.obj is None or res.kind not in ("lesson", "quiz", "survey"):
            continue
        issues.extend(_file_cues(res))
        for text_html, line in _feedback_texts(res):
            phrase = opening(text_html)
            if phrase:
                openings[(res.locale or "", phrase)].append((res.path, line))
    for (_locale, phrase), where in sorted(openings.items()):
        if len(where) > MAX_SHARED_OPENINGS:
            path, line = where[0]
            issues.append(Issue(path, line, f'{len(where)} feedback texts open with "{phrase}…" (at most '
                                            f"{MAX_SHARED_OPENINGS}): vary how feedback starts", "warning"))
    return issues
