"""WCAG 2.2 AA contrast of the colour scheme, computed from static/css/app.css itself.

Every colour is a custom property of `:root` (a colour written anywhere else in the file fails the second test),
and every pair the stylesheet puts together is listed below with what it is used for: text needs 4.5:1
(1.4.3), controls, focus rings and state marks need 3:1 against what is next to them (1.4.11). A new pair in the
stylesheet belongs in this list.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "app.css"
TEXT, UI = 4.5, 3.0

# (foreground, background, minimum, where)
PAIRS = [
    # body text, secondary text, links and their hover, on the page and on cards
    ("ink", "paper", TEXT, "text on cards"),
    ("ink", "wash", TEXT, "text on the page"),
    ("muted", "paper", TEXT, "hints and meta on cards"),
    ("muted", "wash", TEXT, "hints and meta on the page, footer"),
    ("brand", "paper", TEXT, "links on cards"),
    ("brand", "wash", TEXT, "links on the page"),
    ("brand-dark", "paper", TEXT, "links on cards, hover"),
    ("brand-dark", "wash", TEXT, "links on the page, hover; secondary button hover"),
    # buttons in every state
    ("on-brand", "brand", TEXT, "primary button"),
    ("on-brand", "brand-dark", TEXT, "primary button, hover"),
    ("brand", "paper", UI, "secondary button border"),
    ("on-brand", "accent", TEXT, "call button"),
    ("on-brand", "success-ink", TEXT, "call button, hover"),
    ("brand", "wash", UI, "button edge against the page"),
    ("accent", "wash", UI, "call button edge against the page"),
    # the quick-exit button, over any page
    ("on-brand", "exit", TEXT, "quick exit"),
    ("on-brand", "exit-dark", TEXT, "quick exit, hover and focus"),
    ("exit", "paper", UI, "quick exit edge over a card"),
    ("exit", "wash", UI, "quick exit edge over the page"),
    # focus: an amber ring inside an ink ring, so one of them contrasts with whatever is behind
    ("ink", "paper", UI, "focus ring (outer) on cards"),
    ("ink", "wash", UI, "focus ring (outer) on the page"),
    ("focus", "ink", UI, "focus ring: amber against its ink edge"),
    ("focus", "exit", UI, "focus ring beside the quick-exit button"),
    ("focus", "brand", UI, "focus ring beside a primary button"),
    # form controls and choices
    ("control", "paper", UI, "input, choice and language-button borders"),
    ("control", "wash", UI, "input borders on the page"),
    ("ink", "brand-wash", TEXT, "selected choice; teacher preview bar"),
    ("brand", "brand-wash", UI, "selected choice border"),
    ("on-brand", "ink", TEXT, "current language, current tab"),
    # errors
    ("error", "paper", TEXT, "field error text, error summary"),
    ("error", "wash", TEXT, "field error text on the page"),
    ("error", "paper", UI, "border of a field with an error"),
    ("ink", "error-bg", TEXT, "error callout"),
    ("error-ink", "error-bg", TEXT, "myth tag"),
    # success, saved, done
    ("accent", "paper", TEXT, "'saved' status on cards"),
    ("accent", "wash", TEXT, "'saved' status on the page"),
    ("ink", "success-bg", TEXT, "success message"),
    ("success-ink", "success-bg", TEXT, "done and fact tags"),
    ("ink", "help-bg", TEXT, "help block"),
    # warnings and notes
    ("ink", "warn-bg", TEXT, "callout"),
    ("warn-ink", "warn-bg", TEXT, "due tag"),
    ("ink", "note-bg", TEXT, "content note"),
    ("brand", "warn-bg", TEXT, "link in a callout"),
    ("muted", "note-bg", TEXT, "hint in a content note"),
    # links and hints on tinted boxes
    ("muted", "brand-wash", TEXT, "hints in the progress grid and preview bar"),
    ("muted", "success-bg", TEXT, "hints in done cells"),
    ("muted", "warn-bg", TEXT, "hints in overdue cells"),
    ("brand", "success-bg", TEXT, "link in a success message"),
    ("brand", "help-bg", TEXT, "link in a help block"),
    ("brand", "error-bg", TEXT, "link in an error callout"),
    ("brand", "note-bg", TEXT, "link in a content note"),
    ("accent", "help-bg", TEXT, "'saved' status in a help block"),
    # the lesson step indicator: done, current and left are told apart by shape and words, and each mark
    # stands out from the page
    ("on-brand", "accent", UI, "step done: tick on green"),
    ("accent", "wash", UI, "step done: mark on the page"),
    ("on-brand", "brand", TEXT, "current step number"),
    ("brand", "wash", UI, "current step mark on the page"),
    ("ink", "paper", TEXT, "step still to do: number"),
    ("control", "wash", UI, "step still to do: ring on the page"),
]


def _root_properties(css: str) -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", css, re.S)
    assert root, "app.css has no :root block"
    return {name: value.strip() for name, value in re.findall(r"--([\w-]+)\s*:\s*([^;]+);", root.group(1))}


def _resolve(props: dict[str, str], name: str) -> str:
    value = props[name]
    seen = {name}
    while (ref := re.fullmatch(r"var\(--([\w-]+)\)", value)) is not None:
        assert ref.group(1) not in seen, f"--{name} refers to itself"
        seen.add(ref.group(1))
        value = props[ref.group(1)]
    return value


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    assert re.fullmatch(r"[0-9a-fA-F]{6}", value), f"not an opaque hex colour: {hex_colour}"

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(value[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss


@pytest.mark.parametrize(("fg", "bg", "minimum", "where"), PAIRS, ids=[f"{p[0]}-on-{p[1]}-{p[3]}" for p in PAIRS])
def test_declared_pairs_pass_wcag_aa(fg, bg, minimum, where):
    props = _root_properties(CSS.read_text(encoding="utf-8"))
    ratio = contrast(_resolve(props, fg), _resolve(props, bg))
    assert ratio >= minimum, f"--{fg} on --{bg} ({where}): {ratio:.2f}:1, needs {minimum}:1"


def test_colours_are_only_declared_in_root():
    """A colour written outside :root would escape the pairs above: use (or add) a custom property instead."""
    css = CSS.read_text(encoding="utf-8")
    root = re.search(r":root\s*\{.*?\}", css, re.S)
    rest = re.sub(r"/\*.*?\*/", "", css[root.end():], flags=re.S)
    literals = re.findall(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(|(?<![\w-])(?:white|black)(?![\w-])", rest)
    assert not literals, f"colours outside :root in app.css: {sorted(set(literals))}"


def test_every_colour_property_in_the_pairs_is_declared():
    props = _root_properties(CSS.read_text(encoding="utf-8"))
    missing = {name for fg, bg, *_ in PAIRS for name in (fg, bg) if name not in props}
    assert not missing


def test_only_the_system_font_stack():
    """No web fonts: no @font-face, and every font-family names installed families and ends in a generic one."""
    css = CSS.read_text(encoding="utf-8")
    assert "@font-face" not in css and "@import" not in css and "url(" not in css
    for family in re.findall(r"font-family:\s*([^;]+);", css):
        assert family.strip().split(",")[-1].strip() in ("sans-serif", "monospace", "serif"), family
