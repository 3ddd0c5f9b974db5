"""Turn one raw ``:::name`` block into a segment, checking its body."""

from __future__ import annotations

from collections.abc import Callable

from . import yamlio
from .blocks import RawBlock
from .fields import FileResult, HelpRef, LegalRef, LintText
from .model import (
    AGE_BANDS,
    HELP_TOPICS,
    Audience,
    Check,
    Choice,
    ContentNote,
    HelpBox,
    LegalBox,
    MythFact,
    Option,
    Poll,
    PollOption,
    Reflection,
    Scenario,
    Segment,
    StepOut,
)
from .yamlio import LDict, LList

LESSON_BLOCKS = (
    "scenario",
    "check",
    "reflection",
    "mythfact",
    "content-note",
    "help",
    "legal",
    "audience",
    "stepout",
    "poll",
)
DOCUMENT_BLOCKS = ("mythfact", "content-note", "help", "legal", "audience")
ID_BLOCKS = ("scenario", "check", "reflection", "stepout", "poll")


def _items(
    res: FileResult, data: LDict, key: str, where: str, required: set[str], optional: set[str], minimum: int
) -> list[LDict]:
    """The list under ``key``: each a mapping with unique ids."""
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, LList):
        res.error(data.line_of(key), f"'{key}' must be a list{where}")
        return []
    items: list[LDict] = []
    seen: set[str] = set()
    for i, raw in enumerate(value):
        item = res.mapping(raw, value.line_of(i), f"each of '{key}'{where}")
        if item is None:
            continue
        item_id = res.ident(item, "id", f" in '{key}'{where}")
        label = key[:-1]  # choices -> choice, options -> option
        res.keys(
            item, required, optional, f" in {label} '{item_id}'{where}" if item_id else f" in '{key}'{where}"
        )
        if item_id and item_id in seen:
            res.error(item.line_of("id"), f"duplicate id '{item_id}' in '{key}'{where}")
        seen.add(item_id)
        items.append(item)
    if len(value) < minimum:
        res.error(data.line_of(key), f"'{key}' needs at least {minimum}{where}")
    return items


def _scenario(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"id", "situation", "question", "choices"}, set(), where)
    sid = str(d.get("id", ""))
    choices = []
    for c in _items(res, d, "choices", where, {"id", "text", "feedback"}, set(), 2):
        cid = str(c.get("id", ""))
        feedback = res.text(c, "feedback", where)
        res.lint_texts.append(
            LintText(c.line_of("feedback"), f"feedback of choice '{cid}' in scenario '{sid}'", feedback)
        )
        choices.append(Choice(cid, res.text(c, "text", where), res.md_field(c, "feedback", where)))
    return Scenario(sid, res.md_field(d, "situation", where), res.text(d, "question", where), tuple(choices))


def _check(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"id", "question", "options", "explanation"}, set(), where)
    cid = str(d.get("id", ""))
    options = []
    for o in _items(res, d, "options", where, {"id", "text"}, {"correct"}, 2):
        option = Option(str(o.get("id", "")), res.text(o, "text", where), res.flag(o, "correct", where))
        if option.correct:
            res.lint_texts.append(
                LintText(o.line_of("text"), f"correct option '{option.id}' in check '{cid}'", option.text)
            )
        options.append(option)
    if "options" in d and not any(o.correct for o in options):
        res.error(d.line_of("options"), f"no option is marked 'correct: true'{where}")
    res.lint_texts.append(
        LintText(
            d.line_of("explanation"),
            f"explanation of check '{cid}'",
            res.text(d, "explanation", where, required=False),
        )
    )
    return Check(cid, res.text(d, "question", where), tuple(options), res.md_field(d, "explanation", where))


def _reflection(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"id", "prompt"}, set(), where)
    return Reflection(str(d.get("id", "")), res.text(d, "prompt", where))


def _mythfact(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"myth", "fact"}, {"source"}, where)
    return MythFact(
        res.text(d, "myth", where), res.md_field(d, "fact", where), res.source(d, "source", where)
    )


def _help(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, set(), {"topics", "keys"}, where)
    topics = res.str_list(d, "topics", where, HELP_TOPICS, "topic")
    keys = res.str_list(d, "keys", where)
    res.help_refs.append(HelpRef(d.line_of("keys"), d.line_of("topics"), topics, keys))
    return HelpBox(topics, keys)


def _legal(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"keys"}, set(), where)
    keys = res.str_list(d, "keys", where)
    res.legal_refs.append(LegalRef(d.line_of("keys"), keys))
    return LegalBox(keys)


def _stepout(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"id", "label", "alternative"}, set(), where)
    return StepOut(str(d.get("id", "")), res.text(d, "label", where), res.md_field(d, "alternative", where))


def _poll(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"id", "question", "options"}, set(), where)
    options = tuple(
        PollOption(str(o.get("id", "")), res.text(o, "text", where))
        for o in _items(res, d, "options", where, {"id", "text"}, set(), 2)
    )
    return Poll(str(d.get("id", "")), res.text(d, "question", where), options)


_YAML_BLOCKS: dict[str, Callable[[FileResult, LDict, str], Segment]] = {
    "scenario": _scenario,
    "check": _check,
    "reflection": _reflection,
    "mythfact": _mythfact,
    "help": _help,
    "legal": _legal,
    "stepout": _stepout,
    "poll": _poll,
}


def build(res: FileResult, block: RawBlock, allowed: tuple[str, ...]) -> Segment | None:
    """The segment for ``block``, or None when it is unusable (the problem is reported on ``res``)."""
    name, where = block.name, f" in ':::{block.name}' block"
    if name not in LESSON_BLOCKS:
        res.error(block.line, f"unknown block ':::{name}' (use: {', '.join(LESSON_BLOCKS)})")
        return None
    if name not in allowed:
        res.error(block.line, f"block ':::{name}' can only be used in lessons")
        return None
    if name == "audience":
        bands = tuple(block.args.replace(",", " ").split())
        if not bands:
            res.error(block.line, "':::audience' needs age bands, e.g. ':::audience middle high'")
        for band in bands:
            if band not in AGE_BANDS:
                res.error(block.line, f"unknown age band '{band}' (use: {', '.join(AGE_BANDS)})")
        return Audience(bands, res.markdown(block.body, block.body_line))
    if block.args:
        res.error(block.line, f"block ':::{name}' takes no arguments after its name")
    if name == "content-note":
        if not block.body.strip():
            res.error(block.line, "block ':::content-note' is empty")
        res.notes.append(LintText(block.body_line, "content note", block.body))
        return ContentNote(res.markdown(block.body, block.body_line))
    data, problems = yamlio.load(block.body, block.body_line)
    for problem in problems:
        res.error(problem.line, f"{problem.message}{where}")
    if problems and data is None:
        return None
    if data is None:
        if name == "help":
            return HelpBox()
        res.error(block.line, f"block ':::{name}' is empty")
        return None
    mapping = res.mapping(data, block.body_line, f"the body of ':::{name}'")
    if mapping is None:
        return None
    if name in ID_BLOCKS:
        res.ident(mapping, "id", where)
    return _YAML_BLOCKS[name](res, mapping, where)
