"""Turn one raw ``:::name`` block into a segment, checking its body."""

from __future__ import annotations

import html
from collections.abc import Callable

from . import facts, yamlio
from .activities import (
    FLIP_ANSWERS,
    SORT_GROUPS,
    SORT_ITEMS,
    WRITE_LINES,
    Flip,
    Law,
    Reveal,
    Sort,
    SortGroup,
    SortItem,
    Write,
)
from .blocks import RawBlock
from .chat import parse_chat
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
    "law",
    "sort",
    "reveal",
    "flip",
    "chat",
)
DOCUMENT_BLOCKS = ("mythfact", "content-note", "help", "legal", "audience")
WORKSHEET_BLOCKS = (*DOCUMENT_BLOCKS, "write")
ALL_BLOCKS = (*LESSON_BLOCKS, "write")
ID_BLOCKS = ("scenario", "check", "reflection", "stepout", "poll", "sort", "reveal", "flip", "chat")


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


def _sort(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"id", "question", "groups", "items", "explanation"}, set(), where)
    sid = str(d.get("id", ""))
    groups = tuple(
        SortGroup(str(g.get("id", "")), res.text(g, "text", where))
        for g in _items(res, d, "groups", where, {"id", "text"}, set(), SORT_GROUPS[0])
    )
    if len(groups) > SORT_GROUPS[1]:
        res.error(d.line_of("groups"), f"'groups' has {len(groups)}: use at most {SORT_GROUPS[1]}{where}")
    known = {g.id for g in groups}
    items = []
    for i in _items(res, d, "items", where, {"id", "text", "group"}, set(), SORT_ITEMS[0]):
        item = SortItem(str(i.get("id", "")), res.text(i, "text", where), str(i.get("group", "") or ""))
        if "group" in i and item.group not in known:
            res.error(
                i.line_of("group"),
                f"item '{item.id}' is in group '{item.group}', which is not one of the groups "
                f"({', '.join(sorted(known)) or 'none'}){where}",
            )
        items.append(item)
    if len(items) > SORT_ITEMS[1]:
        res.error(d.line_of("items"), f"'items' has {len(items)}: use at most {SORT_ITEMS[1]}{where}")
    res.lint_texts.append(
        LintText(d.line_of("explanation"), f"explanation of sort '{sid}'",
                 res.text(d, "explanation", where, required=False))
    )
    return Sort(sid, res.text(d, "question", where), groups, tuple(items), res.md_field(d, "explanation", where))


def _reveal(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"id", "prompt"}, {"text", "fact"}, where)
    rid, prompt = str(d.get("id", "")), res.text(d, "prompt", where)
    if ("text" in d) == ("fact" in d):
        res.error(d.line, f"give either 'text' (Markdown) or 'fact' (a facts-registry id), not both{where}"
                  if "text" in d else f"missing key 'text' or 'fact'{where}")
    if "fact" not in d or "text" in d:
        return Reveal(rid, prompt, res.md_field(d, "text", where))
    fid = res.raw_text(d, "fact", where)
    words, problems = facts.cite(f"[[fact:{fid}]]", res.facts, res.locale, markdown=False)
    for problem in problems:
        res.error(d.line_of("fact"), f"{problem}{where}")
    if problems or not fid:
        return Reveal(rid, prompt, "", fact=fid or None)
    entry = res.facts[fid]
    return Reveal(rid, prompt, f"<p>{html.escape(words)}</p>", entry.source, fid)


def _flip(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"id", "statement", "answer", "explanation"}, {"source"}, where)
    fid = str(d.get("id", ""))
    answer = str(d.get("answer", "") or "")
    if "answer" in d and answer not in FLIP_ANSWERS:
        res.error(d.line_of("answer"), f"'answer' must be myth or fact, not '{answer}'{where}")
    res.lint_texts.append(
        LintText(d.line_of("explanation"), f"explanation of flip '{fid}'",
                 res.text(d, "explanation", where, required=False))
    )
    return Flip(fid, res.text(d, "statement", where), answer, res.md_field(d, "explanation", where),
                res.source(d, "source", where))


def _write(res: FileResult, d: LDict, where: str) -> Segment:
    res.keys(d, {"lines"}, {"label"}, where)
    lines = d.get("lines", 0)
    low, high = WRITE_LINES
    if "lines" in d and (not isinstance(lines, int) or isinstance(lines, bool) or not low <= lines <= high):
        res.error(d.line_of("lines"), f"'lines' must be a whole number from {low} to {high}{where}")
        lines = 0
    return Write(lines if isinstance(lines, int) and not isinstance(lines, bool) else 0,
                 res.text(d, "label", where, required=False))


_YAML_BLOCKS: dict[str, Callable[[FileResult, LDict, str], Segment]] = {
    "scenario": _scenario,
    "check": _check,
    "reflection": _reflection,
    "mythfact": _mythfact,
    "help": _help,
    "legal": _legal,
    "stepout": _stepout,
    "poll": _poll,
    "sort": _sort,
    "reveal": _reveal,
    "flip": _flip,
    "write": _write,
    "chat": parse_chat,
}


def build(res: FileResult, block: RawBlock, allowed: tuple[str, ...]) -> Segment | None:
    """The segment for ``block``, or None when it is unusable (the problem is reported on ``res``)."""
    name, where = block.name, f" in ':::{block.name}' block"
    if name not in ALL_BLOCKS:
        res.error(block.line, f"unknown block ':::{name}' (use: {', '.join(allowed)})")
        return None
    if name not in allowed:
        res.error(block.line, f"block ':::{name}' can only be used in {'worksheets' if name == 'write' else 'lessons'}")
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
    if name in ("content-note", "law"):
        if not block.body.strip():
            res.error(block.line, f"block ':::{name}' is empty")
        html_body = res.markdown(block.body, block.body_line)
        if name == "content-note":
            res.notes.append(LintText(block.body_line, "content note", block.body))
            return ContentNote(html_body)
        return Law(html_body)
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
