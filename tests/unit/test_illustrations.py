"""The visual language's budget: at most 12 self-made SVG pictures (static/img), each under 3 KB gzipped,
hand-written plain SVG (no scripts, no links out, no embedded bitmaps, no fonts to fetch), and every picture the
code names exists."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from edu.illustrations import MODULE_PICTURES, PICTURES

ROOT = Path(__file__).resolve().parents[2]
IMG = ROOT / "static" / "img"
SVGS = sorted(IMG.glob("*.svg"))
MAX_PICTURES = 12
MAX_GZIPPED = 3 * 1024


def test_at_most_twelve_pictures_and_nothing_else_in_the_folder():
    assert 0 < len(SVGS) <= MAX_PICTURES
    assert {p.name for p in IMG.iterdir()} == {p.name for p in SVGS}, "static/img holds only the SVG pictures"


@pytest.mark.parametrize("path", SVGS, ids=[p.stem for p in SVGS])
def test_each_picture_is_small_plain_svg(path):
    body = path.read_bytes()
    assert len(gzip.compress(body, compresslevel=9, mtime=0)) <= MAX_GZIPPED
    text = body.decode("utf-8")
    assert text.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox=')
    assert re.search(r'\bwidth="\d+" height="\d+"', text), "an intrinsic size, so it scales without layout shift"
    for forbidden in ("<script", "<image", "<foreignObject", "href=", "url(", "@import", "on", "<style"):
        if forbidden == "on":
            assert not re.search(r"\son\w+=", text), "no event handlers"
        else:
            assert forbidden not in text, forbidden


def test_every_named_picture_exists_and_every_picture_is_named():
    assert set(MODULE_PICTURES.values()) <= PICTURES
    assert {p.stem for p in SVGS} == PICTURES

