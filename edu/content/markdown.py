"""Markdown to safe HTML: markdown-it-py (CommonMark + tables, raw HTML off), internal links rewritten,
then nh3 with an allow-list. Returns the internal links found so the loader can check their targets."""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from markdown_it import MarkdownIt

LESSON_URL = "/learn/lesson/{id}"
PAGE_URL = "/page/{slug}"
EXTERNAL_REL = "noopener noreferrer"

_md = MarkdownIt("commonmark", {"html": False}).enable("table")


def _table_open(renderer, tokens, idx, options, env) -> str:
    """A table scrolls sideways when it is wider than a phone (.prose table): keyboard users reach it by Tab."""
    tokens[idx].attrSet("tabindex", "0")
    return renderer.renderToken(tokens, idx, options, env)


_md.add_render_rule("table_open", _table_open)

_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "code": {"class"},
    "table": {"tabindex"},
    "th": {"style"},
    "td": {"style"},
}
_SCHEMES = {"http", "https", "mailto", "tel"}
_SYNTAX = re.compile(r"[\\`*_\[\]<>!&|~\x00-\x09\x0b-\x1f\x7f]|[^\S\n ]|https?:|www\.")
_LINE_START = re.compile(r"[#+=>-]|\d{1,9}[.)]")


@dataclass(frozen=True)
class LinkRef:
    kind: str  # lesson | page
    target: str
    anchor: str | None
    line: int
    href: str  # as written, e.g. "lesson:consent-basics#pressure"


@dataclass(frozen=True)
class Rendered:
    html: str
    links: tuple[LinkRef, ...]


def _rewrite(href: str, line: int, links: list[LinkRef]) -> str | None:
    """The app URL for an internal link (recording it), or None for other links."""
    for kind in ("lesson", "page"):
        if href.startswith(kind + ":"):
            target, _, anchor = href[len(kind) + 1 :].partition("#")
            links.append(LinkRef(kind, target, anchor or None, line, href))
            url = LESSON_URL.format(id=target) if kind == "lesson" else PAGE_URL.format(slug=target)
            return url + (f"#{anchor}" if anchor else "")
    return None


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel=None,
        filter_style_properties={"text-align"},
        strip_comments=True,
    )


def _plain_paragraph(text: str) -> str | None:
    """Fast path: HTML for a single paragraph with no Markdown syntax at all (most feedback texts), else None.
    It gives exactly what markdown-it would; tests compare the two."""
    if _SYNTAX.search(text):
        return None
    lines = text.strip("\n ").split("\n")
    if text.lstrip("\n").startswith("    "):
        return None  # indented code
    for line in lines:
        if not line.strip() or line.endswith("  ") or _LINE_START.match(line.lstrip()):
            return None
    return "<p>" + "\n".join(line.strip() for line in lines) + "</p>"


def render(text: str, first_line: int = 1) -> Rendered:
    """Render Markdown whose first line is line ``first_line`` of its file."""
    if not text or not text.strip():
        return Rendered("", ())
    plain = _plain_paragraph(text)
    if plain is not None:
        return Rendered(plain, ())
    tokens = _md.parse(text)
    links: list[LinkRef] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = first_line + (token.map[0] if token.map else 0)
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "link_open":
                href = str(child.attrGet("href") or "")
                internal = _rewrite(href, line, links)
                if internal is not None:
                    child.attrSet("href", internal)
                elif href.startswith(("http://", "https://", "//")):
                    child.attrSet("rel", EXTERNAL_REL)
    html = _md.renderer.render(tokens, _md.options, {})
    return Rendered(sanitize(html).strip(), tuple(links))


_HANGUL = "\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3"
_HANGUL_RUN = re.compile(f"[{_HANGUL}]+(?:[ \u00b7][{_HANGUL}]+)*")
_TAG = re.compile(r"(<[^>]*>)")


def mark_korean(html: str) -> str:
    """Wrap each run of Korean words in the text (never inside a tag) in ``<span lang="ko">``, so a screen
    reader reading an English page switches voice for 디지털성범죄피해자지원센터 (WCAG 3.1.2, language of parts).
    For pages in other languages than Korean; ``html`` is sanitized output."""
    return "".join(part if part.startswith("<") else _HANGUL_RUN.sub(r'<span lang="ko">\g<0></span>', part)
                   for part in _TAG.split(html))
