"""What reading one file produces (:class:`FileResult`) and the small checks every reader shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import facts, yamlio
from .blocks import ID_RE
from .markdown import LinkRef, Rendered, mark_korean, render
from .model import LOCALES, REGIONS, STATUSES, Issue, Source
from .yamlio import LDict, LList


@dataclass(frozen=True)
class HelpRef:
    keys_line: int
    topics_line: int
    topics: tuple[str, ...]
    keys: tuple[str, ...]


@dataclass(frozen=True)
class LegalRef:
    line: int
    keys: tuple[str, ...]


@dataclass(frozen=True)
class LintText:
    line: int
    where: str  # e.g. "feedback of choice 'post' in scenario 'jun-photo'"
    text: str


@dataclass
class FileResult:
    """Everything learnt from one file on its own. Cached by content hash, so never mutated afterwards."""

    kind: str  # lesson | quiz | survey | guide | family | worksheet | page | help | legal | modules | lint
    path: str  # display path, e.g. content/lessons/en/consent/basics.md
    locale: str | None = None
    obj: Any = None
    data: Any = None  # parsed front matter or YAML document (LDict), for line look-ups
    issues: list[Issue] = field(default_factory=list)
    links: list[LinkRef] = field(default_factory=list)
    help_refs: list[HelpRef] = field(default_factory=list)
    legal_refs: list[LegalRef] = field(default_factory=list)
    lint_texts: list[LintText] = field(default_factory=list)
    notes: list[LintText] = field(default_factory=list)  # content notes as written (front matter and blocks)
    # label -> (values, line): compared between language versions, e.g. "step ids" -> (["a", "b"], 12)
    signature: dict[str, tuple[list[str], int]] = field(default_factory=dict)
    item_lines: dict[tuple[str, str], int] = field(default_factory=dict)  # (label, value) -> its own line
    facts: Any = None  # the facts registry (facts.Registry) citations are resolved against
    unverified: list[tuple[int, str]] = field(default_factory=list)  # (line, note): entries kept off students' pages
    shown: list[tuple[int, str]] = field(default_factory=list)  # (line, text as written): every text readers see

    # ---- reporting --------------------------------------------------------------------------------------
    def error(self, line: int, message: str) -> None:
        self.issues.append(Issue(self.path, line, message, "error"))

    def warn(self, line: int, message: str) -> None:
        self.issues.append(Issue(self.path, line, message, "warning"))

    @property
    def has_errors(self) -> bool:
        return any(i.severity == "error" for i in self.issues)

    def line_of(self, key: str) -> int:
        return self.data.line_of(key) if isinstance(self.data, LDict) else 1

    # ---- whole files ------------------------------------------------------------------------------------
    def document(self, text: str) -> LDict | None:
        """The top-level mapping of a YAML data file, or None (reported)."""
        data, problems = yamlio.load(text, 1)
        for problem in problems:
            self.error(problem.line, problem.message)
        if data is None:
            if not problems:
                self.error(1, "the file is empty")
            return None
        self.data = self.mapping(data, 1, "the file")
        return self.data

    def header(self, data: LDict, locale: str, where: str) -> tuple[str, date | None, str | None]:
        """status (default draft), updated, translated_from: keys every lesson, quiz, survey, document has."""
        status = self.text(data, "status", where)
        if status and status not in STATUSES:
            self.error(data.line_of("status"), f"unknown status '{status}' (use: {', '.join(STATUSES)})")
        source = data.get("translated_from")
        if source is not None and (source not in LOCALES or source == locale):
            others = ", ".join(loc for loc in LOCALES if loc != locale)
            self.error(
                data.line_of("translated_from"), f"translated_from must be another language ({others})"
            )
            source = None
        return status or "draft", self.day(data, "updated", where), source

    def region(self, data: LDict) -> str | None:
        region = data.get("region")
        if region is not None and region not in REGIONS:
            self.error(
                data.line_of("region"),
                f"unknown region '{region}' (use: {', '.join(REGIONS)}, or leave it out)",
            )
            return None
        return region

    # ---- shape checks -----------------------------------------------------------------------------------
    def mapping(self, value: Any, line: int, what: str) -> LDict | None:
        if isinstance(value, LDict):
            return value
        self.error(line, f"{what} must be a mapping of keys (key: value)")
        return None

    def keys(
        self, data: LDict, required: set[str], optional: set[str], where: str, line: int | None = None
    ) -> None:
        """Report unknown keys (on their line) and missing keys (on ``line``, default the mapping's line)."""
        for key in data:
            if key not in required and key not in optional:
                self.error(data.line_of(key), f"unknown key '{key}'{where}")
        for key in sorted(required):
            if key not in data:
                self.error(data.line if line is None else line, f"missing key '{key}'{where}")

    def text(self, data: LDict, key: str, where: str, *, required: bool = True) -> str:
        """Plain text; citations ``[[fact:ID]]`` become the entry's wording."""
        value = self.raw_text(data, key, where, required=required)
        return self.cited(value, data.line_of(key), self.locale, markdown=False)

    def cited(self, text: str, line: int, locale: str | None, *, markdown: bool) -> str:
        if text:
            self.shown.append((line, text))
        out, problems = facts.cite(text, self.facts, locale, markdown=markdown)
        for problem in problems:
            if not any(i.message == problem for i in self.issues):  # a field may be read twice
                self.error(line, problem)
        return out

    def raw_text(self, data: LDict, key: str, where: str, *, required: bool = True) -> str:
        """Text as written, for fields nobody but authors reads (no citations, no checks on what is shown)."""
        value = data.get(key)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(data.line_of(key), f"'{key}' must be text{where}")
            return ""
        value = str(value)
        if required and not value.strip():
            self.error(data.line_of(key), f"'{key}' is empty{where}")
        return value

    def ident(self, data: LDict, key: str, where: str) -> str:
        value = data.get(key)
        if value is None:
            return ""
        value = str(value)
        if not ID_RE.match(value):
            self.error(
                data.line_of(key),
                f"'{key}' '{value}' is not valid{where}: use lowercase letters, digits and hyphens",
            )
        return value

    def flag(self, data: LDict, key: str, where: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.error(data.line_of(key), f"'{key}' must be true or false{where}")
            return default
        return value

    def str_list(
        self, data: LDict, key: str, where: str, allowed: tuple[str, ...] | None = None, noun: str = ""
    ) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = LList(value.split())
            value.line, value.lines = data.line_of(key), [data.line_of(key)] * len(value)
        if not isinstance(value, list):
            self.error(data.line_of(key), f"'{key}' must be a list{where}")
            return ()
        items = tuple(str(v) for v in value)
        if allowed is not None:
            for i, item in enumerate(items):
                if item not in allowed:
                    line = value.line_of(i) if isinstance(value, LList) else data.line_of(key)
                    self.error(line, f"unknown {noun or key} '{item}'{where} (use: {', '.join(allowed)})")
        return items

    def day(self, data: LDict, key: str, where: str) -> date | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.error(data.line_of(key), f"'{key}' must be a date like 2026-11-24{where}")
            return None

    def localized(self, data: LDict, key: str, where: str, *, required: bool = True) -> dict[str, str]:
        """A ``{en: ..., ko: ...}`` mapping with both locales."""
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, LDict):
            self.error(
                data.line_of(key), f"'{key}' must give both languages, e.g. {{en: ..., ko: ...}}{where}"
            )
            return {}
        for loc in LOCALES:
            if required and not str(value.get(loc) or "").strip():
                self.error(data.line_of(key), f"'{key}' has no '{loc}' text{where}")
        for loc in value:
            if loc not in LOCALES:
                self.error(value.line_of(loc), f"unknown language '{loc}' in '{key}'{where}")
        return {str(k): str(v) for k, v in value.items() if v is not None}

    def source(self, data: LDict, key: str, where: str) -> Source | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            return Source(value.strip())
        if isinstance(value, LDict) and isinstance(value.get("title"), str):
            self.keys(value, {"title"}, {"url"}, f" in '{key}'{where}")
            url = value.get("url")
            return Source(value["title"], str(url) if url else None)
        self.error(data.line_of(key), f"'{key}' must be text or {{title: ..., url: ...}}{where}")
        return None

    def markdown(self, text: str, line: int) -> str:
        """Render Markdown that starts on ``line``, remembering its internal links."""
        return self.render_as(self.locale, text, line)

    def render_as(self, locale: str | None, text: str, line: int) -> str:
        """Markdown in ``locale`` (citations resolved, Korean runs marked on non-Korean pages)."""
        rendered: Rendered = render(self.cited(text, line, locale, markdown=True), line)
        self.links.extend(rendered.links)
        return rendered.html if locale in (None, "ko") else mark_korean(rendered.html)

    def md_field(self, data: LDict, key: str, where: str, *, required: bool = True) -> str:
        value = self.raw_text(data, key, where, required=required)
        line = data.line_of(key) + (1 if value.endswith("\n") else 0)  # block scalars start on the next line
        return self.markdown(value, line)
