"""Split a Markdown body into steps (``## Title {#id}``) made of Markdown runs and ``:::`` blocks.

Only structure is decided here; what a block's body means is decided in ``segments.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADING = re.compile(r"^##[ \t]+(.*?)[ \t]*(?:\{#([^}]*)\}[ \t]*)?$")
_OPEN = re.compile(r"^:::[ \t]*([A-Za-z][\w-]*)[ \t]*(.*?)[ \t]*$")
_CLOSE = re.compile(r"^:::[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


@dataclass(frozen=True)
class RawText:
    text: str
    line: int


@dataclass(frozen=True)
class RawBlock:
    name: str
    args: str
    body: str
    line: int  # line of ':::name'
    body_line: int  # line of the first body line


@dataclass
class RawSection:
    id: str
    title: str
    line: int
    items: list[RawText | RawBlock] = field(default_factory=list)


@dataclass
class Structure:
    sections: list[RawSection]
    problems: list[tuple[int, str]]


def _slug(title: str, n: int) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug or f"section-{n}"


def parse(lines: list[str], first_line: int, *, lesson: bool) -> Structure:
    """``lesson=True``: every ``##`` heading needs an id and nothing but blank lines may precede the first.
    ``lesson=False`` (guides, family sheets, pages): text before the first heading becomes a section with
    id ``""`` and headings without an id get one made from the title."""
    sections: list[RawSection] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    current = RawSection("", "", first_line)
    text: list[str] = []
    text_line = first_line
    block: tuple[str, str, int] | None = None
    body: list[str] = []
    fence: str | None = None
    preamble_reported = False

    def add_text(n: int, raw: str) -> None:
        nonlocal text_line
        if not text:
            text_line = n
        text.append(raw)

    def flush_text() -> None:
        if any(t.strip() for t in text):
            current.items.append(RawText("\n".join(text), text_line))
        text.clear()

    def close_block() -> None:
        nonlocal block
        assert block is not None
        name, args, line = block
        current.items.append(RawBlock(name, args, "\n".join(body), line, line + 1))
        body.clear()
        block = None

    for i, raw in enumerate(lines):
        n = first_line + i
        if block is not None:
            if _CLOSE.match(raw):
                close_block()
                continue
            opened = _OPEN.match(raw)
            if opened:
                problems.append(
                    (
                        block[2],
                        f"block ':::{block[0]}' is not closed before ':::{opened.group(1)}' "
                        f"on line {n} (blocks do not nest)",
                    )
                )
                close_block()
                block = (opened.group(1), opened.group(2), n)
                continue
            body.append(raw)
            continue
        if fence is not None:
            if raw.strip().startswith(fence):
                fence = None
            add_text(n, raw)
            continue
        fenced = _FENCE.match(raw)
        if fenced:
            fence = fenced.group(1)
            add_text(n, raw)
            continue
        heading = _HEADING.match(raw)
        if heading:
            flush_text()
            if current.items or current.id:
                sections.append(current)
            title, step_id = heading.group(1).strip(), heading.group(2)
            if step_id is None:
                if lesson:
                    problems.append((n, "step heading has no id: write '## Title {#step-id}'"))
                step_id = _slug(title, len(sections) + 1)
            else:
                step_id = step_id.strip().lstrip("#")
                if not ID_RE.match(step_id):
                    problems.append(
                        (n, f"step id '{step_id}' is not valid: use lowercase letters, digits and hyphens")
                    )
            if step_id in seen:
                problems.append((n, f"duplicate step id '{step_id}' (first on line {seen[step_id]})"))
            seen.setdefault(step_id, n)
            current = RawSection(step_id, title, n)
            continue
        if lesson and not current.id and not preamble_reported and raw.strip():
            problems.append(
                (n, "text before the first step: a lesson starts with a heading '## Title {#step-id}'")
            )
            preamble_reported = True
        if _CLOSE.match(raw):
            problems.append((n, "':::' closes no block"))
            continue
        opened = _OPEN.match(raw)
        if opened:
            flush_text()
            block = (opened.group(1), opened.group(2), n)
            continue
        add_text(n, raw)

    if block is not None:
        problems.append((block[2], f"block ':::{block[0]}' is not closed: add a line ':::' after it"))
        close_block()
    flush_text()
    if current.items or current.id:
        sections.append(current)
    if lesson:
        sections = [s for s in sections if s.id]  # text before the first step was reported above
    return Structure(sections, problems)
