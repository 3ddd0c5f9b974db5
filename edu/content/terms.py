"""House style in lint/<locale>.yaml: the terms to use, one register per kind of file, the step-out label.

Three warnings, all on text readers see (``FileResult.shown``) in lessons, quizzes, surveys, guides, family
sheets and pages:

- ``terms``: a word to avoid, what to write instead, and when the word is fine after all (inside a longer
  phrase, in a sentence that also says another word, or in certain kinds of file);
- ``register``: sentence endings of another register in a kind of file (e.g. ``…다`` in a 해요체 quiz);
- ``stepout``: a quoted phrase in a lesson's content note that names the step-out button must be the label of
  one of the lesson's ``:::stepout`` blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .fields import FileResult
from .model import Issue
from .yamlio import LDict, LList

KINDS = ("lesson", "quiz", "survey", "guide", "family", "worksheet", "page", "playbook")


@dataclass(frozen=True)
class Term:
    avoid: tuple[str, ...]
    use: str
    inside: tuple[str, ...] = ()  # fine when the match is part of one of these longer phrases
    with_words: tuple[str, ...] = ()  # fine when the same sentence also says one of these
    in_kinds: tuple[str, ...] = ()  # fine anywhere in these kinds of file


@dataclass(frozen=True)
class Register:
    style: str
    kinds: tuple[str, ...]
    avoid_endings: tuple[str, ...]
    fine_endings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Style:
    terms: tuple[Term, ...] = ()
    registers: tuple[Register, ...] = ()
    stepout_words: tuple[str, ...] = field(default_factory=tuple)


# ---- reading lint/<locale>.yaml ------------------------------------------------------------------------------
def _words(res: FileResult, d: LDict, key: str, where: str, allowed: tuple[str, ...] | None = None) -> tuple:
    return tuple(w for w in res.str_list(d, key, where, allowed, "kind of file") if str(w).strip())


def _entries(res: FileResult, d: LDict, key: str) -> list[tuple[int, object]]:
    raw = d.get(key)
    if raw is None:
        return []
    if not isinstance(raw, LList):
        res.error(d.line_of(key), f"'{key}' must be a list")
        return []
    return [(raw.line_of(i), entry) for i, entry in enumerate(raw)]


def parse(res: FileResult, d: LDict) -> Style:
    """The ``terms``, ``register`` and ``stepout_words`` keys of a lint file (checked; bad entries are left out)."""
    terms: list[Term] = []
    for i, (line, entry) in enumerate(_entries(res, d, "terms")):
        where = f" in term {i + 1}"
        t = res.mapping(entry, line, f"each of 'terms'{where}")
        if t is None:
            continue
        res.keys(t, {"avoid", "use"}, {"why", "fine_when"}, where)
        fine = t.get("fine_when") or LDict()
        if not isinstance(fine, LDict):
            res.error(t.line_of("fine_when"), f"'fine_when' must be a mapping (inside, with, in){where}")
            fine = LDict()
        res.keys(fine, set(), {"inside", "with", "in"}, f" in 'fine_when'{where}")
        avoid, use = _words(res, t, "avoid", where), res.raw_text(t, "use", where)
        exceptions = (
            _words(res, fine, "inside", where),
            _words(res, fine, "with", where),
            _words(res, fine, "in", where, KINDS),
        )
        if avoid and use:
            terms.append(Term(avoid, use, *exceptions))
    registers: list[Register] = []
    for i, (line, entry) in enumerate(_entries(res, d, "register")):
        where = f" in register {i + 1}"
        r = res.mapping(entry, line, f"each of 'register'{where}")
        if r is None:
            continue
        res.keys(r, {"style", "kinds", "avoid_endings"}, {"fine_endings"}, where)
        style = res.raw_text(r, "style", where)
        kinds = _words(res, r, "kinds", where, KINDS)
        avoid = _words(res, r, "avoid_endings", where)
        if style and kinds and avoid:
            registers.append(Register(style, kinds, avoid, _words(res, r, "fine_endings", where)))
    return Style(tuple(terms), tuple(registers), _words(res, d, "stepout_words", ""))


# ---- splitting text into sentences ------------------------------------------------------------------------------
_CITATION = re.compile(r"\[\[fact:[^\]]*\]\]")
_BLOCK_START = re.compile(r"^\s*(?:[-*+>]|\d+[.)]|#{1,6})\s")
# headings, table rows, block fences and bold-only lines (titles) are units of their own, not running text
_SKIP_LINE = re.compile(r"^\s*(?:#{1,6}\s|\||:::|\*\*[^*]+\*\*\s*(?:\([^()]*\))?\s*$)")
_SENTENCE_END = re.compile(r"(?<=[.!?。])[\"'”’)\]*_]*\s+")
_TAIL = re.compile(r"(?:[\s.!?。…~,:;*_\]]|\([^()]*\)|\{#[^}]*\})+$")
_QUOTE = re.compile(r"\"([^\"\n]+)\"|“([^”\n]+)”|‘([^’\n]+)’|'([^'\n]+)'|「([^」\n]+)」")
_OPEN, _CLOSE, _TOGGLE = "“‘「『", "”’」』", "\"'"


def _quoted(text: str) -> list[bool]:
    """For each character of ``text``: is it inside quotation marks (straight quotes toggle)?"""
    inside, depth, toggled = [], 0, {q: False for q in _TOGGLE}
    for ch in text:
        inside.append(depth > 0 or any(toggled.values()))
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif ch in toggled:
            toggled[ch] = not toggled[ch]
    return inside


def sentences(text: str) -> Iterator[tuple[int, str, str]]:
    """(line offset, sentence, its ending) for each sentence of ``text``.

    Paragraphs and list items are split at . ! ? . The ending is the sentence without closing marks and
    trailing brackets; it is empty when the sentence is not running text (a heading, table row or title) or
    when its last word is inside quotation marks (a character's words, a quoted title)."""
    unit: list[str] = []
    start = 0

    def flush() -> Iterator[tuple[int, str, str]]:
        if not unit:
            return
        joined = " ".join(s.strip() for s in unit)
        inside = _quoted(joined)
        pos = 0
        for part in _SENTENCE_END.split(joined):
            at = joined.index(part, pos)
            pos = at + len(part)
            if not part.strip():
                continue
            end = _TAIL.sub("", part)
            quoted = not end or end[-1] in _CLOSE + _TOGGLE or inside[at + len(end) - 1]
            yield start, part.strip(), "" if quoted else end

    for n, line in enumerate(text.split("\n")):
        if not line.strip() or _BLOCK_START.match(line) or _SKIP_LINE.match(line):
            yield from flush()
            unit, start = [], n
            if _SKIP_LINE.match(line):
                yield n, line.strip(), ""
                continue
            if not line.strip():
                continue
        if not unit:
            start = n
        unit.append(line)
    yield from flush()


# ---- the checks ------------------------------------------------------------------------------------------------
def _norm(text: str) -> str:
    return text.lower()


def _term_issues(res: FileResult, line: int, sentence: str, terms: tuple[Term, ...]) -> Iterator[Issue]:
    low = _norm(sentence)
    for term in terms:
        if res.kind in term.in_kinds:
            continue
        if any(_norm(w) in low for w in term.with_words):
            continue
        masked = low
        for phrase in term.inside:
            masked = masked.replace(_norm(phrase), " " * len(phrase))
        for word in term.avoid:
            if _norm(word) in masked:
                yield Issue(res.path, line, f'term "{word}": use {term.use}', "warning")
                break


def _register_issue(res: FileResult, line: int, end: str, reg: Register) -> Issue | None:
    if not re.search(r"[가-힣]$", end):
        return None
    if any(end.endswith(e) for e in reg.fine_endings) or not any(end.endswith(e) for e in reg.avoid_endings):
        return None
    shown = end if len(end) <= 30 else "…" + end[-30:]
    message = f'sentence ending in another register ("{shown}"): {res.kind} files are written in {reg.style}'
    return Issue(res.path, line, message, "warning")


def _stepout_issues(res: FileResult, words: tuple[str, ...]) -> Iterator[Issue]:
    lesson = res.obj if res.kind == "lesson" else None
    if lesson is None or not words:
        return
    labels = [s.label for step in lesson.steps for s in step.segments if s.kind == "stepout"]
    for note in res.notes:
        for m in _QUOTE.finditer(note.text):
            named = next(g for g in m.groups() if g is not None).strip()
            if not any(_norm(w) in _norm(named) for w in words):
                continue
            if any(_norm(named) == _norm(label.strip()) for label in labels):
                continue
            line = note.line + note.text.count("\n", 0, m.start())
            real = ", ".join(f'"{label}"' for label in labels) or "none: this lesson has no :::stepout block"
            yield Issue(
                res.path,
                line,
                f"{note.where} names the step-out button '{named}', but no :::stepout block in this lesson "
                f"has that label (labels: {real})",
                "warning",
            )


def check(res: FileResult, style: Style) -> list[Issue]:
    if res.kind not in KINDS:
        return []
    found: list[Issue] = []
    registers = [r for r in style.registers if res.kind in r.kinds]
    for line, text in dict.fromkeys(res.shown):
        for offset, sentence, ending in sentences(_CITATION.sub("X", text)):
            found.extend(_term_issues(res, line + offset, sentence, style.terms))
            for reg in registers if ending else ():
                issue = _register_issue(res, line + offset, ending, reg)
                if issue is not None:
                    found.append(issue)
    found.extend(_stepout_issues(res, style.stepout_words))
    return list(dict.fromkeys(found))
