"""Every example in docs/authoring.md, written out as a content tree, loads without errors or warnings."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from edu.content import load_catalog

from .conftest import TODAY

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "authoring.md"
EXAMPLE = re.compile(r"<!-- example: (\S+) -->\n```\w*\n(.*?)\n```", re.S)


def test_examples_in_the_authoring_guide_are_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    examples = EXAMPLE.findall(GUIDE.read_text("utf-8"))
    assert len(examples) == 14
    for rel, body in examples:
        path = tmp_path / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body + "\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    catalog = load_catalog(Path("content"), today=TODAY)
    assert [str(i) for i in catalog.issues if i.severity != "note"] == []
    # the guide's unverified example is listed for the author, and only it
    assert [i.message.split(":")[0] for i in catalog.issues if i.severity == "note"] == [
        "fact 'police-online-2025' is unverified"
    ]
    html = " ".join(getattr(seg, "html", "") for step in catalog.lesson("consent-basics", "en").steps
                    for seg in step.segments)
    assert ">89.4%</a> of students in a 2024 survey" in html
    lesson = catalog.lesson("consent-basics", "en")
    kinds = {seg.kind for step in lesson.steps for seg in step.segments}
    assert kinds == {
        "html",
        "content-note",
        "audience",
        "reflection",
        "scenario",
        "check",
        "mythfact",
        "stepout",
        "legal",
        "help",
        "poll",
        "flip",
        "law",
        "sort",
        "reveal",
        "chat",
    }
    assert {q.type for q in catalog.quiz("consent-quiz", "en").questions} == {
        "single",
        "multiple",
        "truefalse",
        "scenario",
    }
