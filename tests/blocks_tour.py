"""A copy of the real content tree with one extra lesson, ``blocks-tour`` (tests/fixtures/blocks_tour), that has a
step with each light block of issue 30 (flip and law, sort, reveal) and a group-chat rehearsal (issue 39, step 4): the
player and browser tests use it, so they do not depend on which blocks the real lessons happen to use."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "blocks_tour"
LESSON_ID = "blocks-tour"
MODULE_ID = "consent"


def content_with_blocks_tour(dest: Path) -> Path:
    """Copy content/ to ``dest`` (a new folder), add the tour lesson in both languages to the consent module;
    returns ``dest``."""
    shutil.copytree(ROOT / "content", dest)
    for locale in ("en", "ko"):
        shutil.copy(FIXTURE / locale / f"{LESSON_ID}.md", dest / "lessons" / locale / MODULE_ID / f"{LESSON_ID}.md")
    modules = dest / "modules.yaml"
    text, found = re.subn(rf"(- id: {MODULE_ID}\n(?:.*\n)*?\s+lessons: \[[^\]]*)\]", rf"\1, {LESSON_ID}]",
                          modules.read_text("utf-8"), count=1)
    assert found, "no lesson list for the consent module in modules.yaml: update tests/blocks_tour.py"
    modules.write_text(text, "utf-8")
    return dest
