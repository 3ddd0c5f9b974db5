"""Server-drawn SVG charts: no chart library, no script, no inline styles.

Every chart is an ``<svg role="img">`` whose accessible name is a ``<title>`` (and an optional ``<desc>``)
written by the caller, referenced with ``aria-labelledby``; the drawing itself is hidden from screen
readers because the caller also shows the figures as text or a table. Colours and fonts come from CSS
classes (``chart-pre``, ``chart-post``, ``chart-axis``, ``chart-label``, ``chart-value``,
``chart-legend``): the page's Content Security Policy forbids inline styles, so no ``style`` attribute
and no colour or font presentation attributes are emitted (only geometry and ``text-anchor``). All caller text is XML-escaped.

The caller passes already translated labels and already formatted value texts, so hidden or banded
figures (e.g. "almost none", "<10") can be shown as text with no bar.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

LABEL_WIDTH = 150
VALUE_WIDTH = 70
ROW_GAP = 10


@dataclass(frozen=True)
class PrePost:
    """One group (a scale or a class) of the pre/post chart; a None value draws no bar."""

    label: str
    pre: float | None
    post: float | None
    pre_text: str | None = None
    post_text: str | None = None


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Caller text made safe for XML: escaped, and characters XML cannot hold removed."""
    return escape(_NOT_XML.sub("", text))


def _safe_id(chart_id: str) -> str:
    """An XML id from the caller's id: letters, digits, '-' and '_' only, starting with a letter."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"
    return cleaned if cleaned[0].isalpha() else f"c-{cleaned}"


def _fraction(value: float, low: float, high: float) -> float:
    """Where value lies between low and high, clamped to 0..1."""
    if high <= low:
        return 0.0
    return max(0.0, min(1.0, (value - low) / (high - low)))


def _default_text(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _svg(chart_id: str, title: str, description: str | None, width: int, height: int, body: str) -> str:
    """The outer element with the text alternative."""
    if not _NOT_XML.sub("", title).strip():
        raise ValueError("a chart needs a title: it is its text alternative")
    ident = _safe_id(chart_id)
    labelled = f"{ident}-title" + (f" {ident}-desc" if description else "")
    desc = f'<desc id="{ident}-desc">{_xml_text(description)}</desc>' if description else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" role="img" '
        f'aria-labelledby="{labelled}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" focusable="false">'
        f'<title id="{ident}-title">{_xml_text(title)}</title>{desc}'
        f'<g aria-hidden="true">{body}</g></svg>'
    )


def _text(x: float, y: float, css: str, content: str, anchor: str = "start") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" class="{css}" text-anchor="{anchor}">'
            f'{_xml_text(content)}</text>')


def _rect(x: float, y: float, width: float, height: float, css: str) -> str:
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" class="{css}"></rect>'


def pre_post_chart(groups: Sequence[PrePost], *, title: str, description: str | None = None,
                   min_value: float = 0.0, max_value: float = 100.0, legend: tuple[str, str] = ("Before", "After"),
                   chart_id: str = "pre-post-chart", width: int = 480, bar_height: int = 16) -> str:
    """Paired horizontal bars (before, after) per group on a common axis from min_value to max_value.

    Use one chart per kind of score: knowledge percentages (0..100) and Likert means (1..5) must not share
    an axis. Bars start at ``min_value`` (1 for a Likert scale).
    """
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    group_height = 2 * bar_height + 2 + ROW_GAP
    legend_height = 24
    height = legend_height + max(len(groups), 1) * group_height + ROW_GAP
    parts = [_legend(legend), f'<line x1="{LABEL_WIDTH}" y1="{legend_height}" x2="{LABEL_WIDTH}" '
             f'y2="{height}" class="chart-axis"></line>']
    for i, group in enumerate(groups):
        top = legend_height + ROW_GAP / 2 + i * group_height
        parts.append(_text(LABEL_WIDTH - 6, top + bar_height + 5, "chart-label", group.label, "end"))
        for j, (value, text, css) in enumerate(((group.pre, group.pre_text, "chart-pre"),
                                                (group.post, group.post_text, "chart-post"))):
            y = top + j * (bar_height + 2)
            length = 0.0 if value is None else _fraction(value, min_value, max_value) * plot
            if value is not None:
                parts.append(_rect(LABEL_WIDTH, y, length, bar_height, css))
            shown = text if text is not None else _default_text(value)
            parts.append(_text(LABEL_WIDTH + length + 4, y + bar_height - 4, "chart-value", shown))
    return _svg(chart_id, title, description, width, height, "".join(parts))


def _legend(legend: tuple[str, str]) -> str:
    """Two swatches with their labels across the top."""
    items = []
    x = LABEL_WIDTH
    for label, css in zip(legend, ("chart-pre", "chart-post"), strict=True):
        items.append(_rect(x, 6, 12, 12, css))
        items.append(_text(x + 16, 16, "chart-legend", label))
        x += 20 + 8 * max(len(label), 4)
    return "".join(items)


def share_chart(rows: Sequence[tuple[str, float, str]], *, title: str, description: str | None = None,
                axis: tuple[str, str] = ("0%", "100%"), chart_id: str = "share-chart", width: int = 560,
                bar_height: int = 24) -> str:
    """One labelled bar per row (label, share 0..1, value text) on an axis from 0 to 100%, large enough to read
    on a projector; the SVG scales down to a phone's width (CSS)."""
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    row_height = bar_height + ROW_GAP
    axis_height = 22
    height = max(len(rows), 1) * row_height + ROW_GAP + axis_height
    bottom = height - axis_height
    parts = [f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{bottom}" class="chart-axis"></line>',
             f'<line x1="{LABEL_WIDTH}" y1="{bottom}" x2="{LABEL_WIDTH + plot}" y2="{bottom}" class="chart-axis">'
             "</line>",
             _text(LABEL_WIDTH, bottom + 16, "chart-label", axis[0], "middle"),
             _text(LABEL_WIDTH + plot, bottom + 16, "chart-label", axis[1], "middle")]
    for i, (label, share, text) in enumerate(rows):
        y = ROW_GAP / 2 + i * row_height
        length = _fraction(share, 0.0, 1.0) * plot
        parts.append(_text(LABEL_WIDTH - 6, y + bar_height - 7, "chart-label", label, "end"))
        parts.append(_rect(LABEL_WIDTH, y, length, bar_height, "chart-post"))
        parts.append(_text(LABEL_WIDTH + length + 4, y + bar_height - 7, "chart-value", text))
    return _svg(chart_id, title, description, width, height, "".join(parts))
