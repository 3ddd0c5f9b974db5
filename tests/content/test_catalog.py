"""The Catalog API the app codes against; robustness; caching; speed."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from edu.content import Issue, load_catalog, tree_fingerprint
from edu.content.model import Audience, Check, HelpBox, Html, LegalBox, Poll, Reflection, Scenario, StepOut

from .conftest import TODAY, Tree


def test_issue_str() -> None:
    assert str(Issue("content/lessons/en/consent/basics.md", 12, "message")) == (
        "content/lessons/en/consent/basics.md:12: message"
    )


def test_modules_and_lessons(tree: Tree) -> None:
    catalog = tree.load()
    module = catalog.module("consent")
    assert [m.id for m in catalog.modules] == ["consent"]
    assert module.title == {"en": "Consent, online and offline", "ko": "동의, 온라인과 오프라인"}
    assert module.lesson_ids == ("consent-basics", "consent-kr") and module.quiz_id == "consent-quiz"
    assert catalog.module("nope") is None
    assert [lesson.id for lesson in catalog.lessons_for("consent", "en", region="KR")] == [
        "consent-basics",
        "consent-kr",
    ]
    assert [lesson.id for lesson in catalog.lessons_for("consent", "en", region="US")] == ["consent-basics"]
    assert [lesson.id for lesson in catalog.lessons_for("consent", "en", region="INTL")] == ["consent-basics"]


def test_lesson_fields_and_segments(tree: Tree) -> None:
    lesson = tree.load().lesson("consent-basics", "ko")
    assert lesson.locale == "ko" and lesson.module == "consent" and lesson.minutes == 15
    assert lesson.age_bands == ("middle", "high", "university") and lesson.sensitivity == ("images",)
    assert lesson.region is None and lesson.status == "published" and lesson.translated_from == "en"
    assert lesson.sources[0].url == "https://mobile.newsis.com/view/NISX20241211_0002992344"
    assert lesson.step_ids == ("everyday", "photos", "help")
    assert lesson.check_ids == ("photo-check",) and lesson.reflection_ids == ("everyday-reflect",)
    kinds = [seg.kind for step in lesson.steps for seg in step.segments]
    assert kinds == [
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
    ]
    everyday, photos, help_step = lesson.steps
    assert (
        isinstance(everyday.segments[0], Html)
        and '<a href="/page/class-agreement">' in everyday.segments[0].html
    )
    assert isinstance(everyday.segments[2], Audience) and everyday.segments[2].bands == ("middle",)
    assert isinstance(everyday.segments[3], Reflection)
    scenario, check = photos.segments[0], photos.segments[1]
    assert isinstance(scenario, Scenario) and [c.id for c in scenario.choices] == ["ask", "post"]
    assert isinstance(check, Check) and [(o.id, o.correct) for o in check.options] == [
        ("no", True),
        ("yes", False),
    ]
    assert check.explanation_html == "<p>동의는 <strong>구체적</strong>이에요.</p>"
    assert isinstance(photos.segments[3], StepOut)
    assert isinstance(help_step.segments[0], LegalBox) and help_step.segments[0].keys == ("art14-2-viewing",)
    assert help_step.segments[1] == HelpBox(("removal",), ("trusted-adult",))
    assert isinstance(help_step.segments[2], Poll) and len(help_step.segments[2].options) == 2
    assert lesson.blocks("scenario") == [scenario]


def test_quiz_survey_documents(tree: Tree) -> None:
    catalog = tree.load()
    quiz = catalog.quiz("consent-quiz", "en")
    assert [q.type for q in quiz.questions] == ["single", "multiple", "truefalse", "scenario"]
    assert quiz.questions[1].source.title == "Planned Parenthood: What is consent?"
    assert quiz.questions[3].situation_html == "<p>Jun sees a photo of Mina in a group chat.</p>"
    assert catalog.quiz_for("consent", "en", "US") is quiz
    survey = catalog.survey("prepost", "ko")
    assert survey.intro_html == "<p>선생님은 <strong>반 전체 합계</strong>만 보고, 내 답은 보지 않아요.</p>"
    assert len(survey.likert) == 5 and survey.prefer_not == "답하고 싶지 않아요"
    k1, a1 = survey.items
    assert (k1.type, k1.identity, k1.module, [o.correct for o in k1.options]) == (
        "knowledge",
        "linked",
        "consent",
        [True, False],
    )
    assert (a1.type, a1.scale, a1.identity, a1.reverse, a1.sensitive) == (
        "likert",
        "attitudes",
        "none",
        True,
        True,
    )
    guide = catalog.guide("consent", "en")
    assert [s.id for s in guide.sections] == ["", "disclosure", "live-case"]
    assert catalog.family_sheet("consent", "ko").title == "가정 안내: 동의"
    assert catalog.page("class-agreement", "en").section("rules") is not None
    assert catalog.page("nope", "en") is None


def test_help_and_legal(tree: Tree) -> None:
    catalog = tree.load()
    assert [r.key for r in catalog.help_for("KR", "ko")] == ["acosav", "police-112"]
    assert [r.key for r in catalog.help_for("us", "en")] == ["take-it-down", "trusted-adult"]
    assert [r.key for r in catalog.help_for("KR", "en", topics=["emergency"])] == ["police-112"]
    assert [r.key for r in catalog.help_for("DE", "en", keys=["trusted-adult"])] == ["trusted-adult"]
    assert [r.key for r in catalog.help_for("DE", "en", topics=["removal"], keys=["trusted-adult"])] == [
        "take-it-down",
        "trusted-adult",
    ]
    acosav = catalog.help_for("KR", "ko", keys=["acosav"])[0]
    assert (acosav.name, acosav.phone, acosav.hours, acosav.topics) == (
        "디지털성범죄피해자지원센터",
        "1366",
        "24시간",
        ("removal", "counselling"),
    )
    assert str(acosav.review_by) == "2027-05-24"
    assert [str(d) for d in catalog.help_meta("KR")] == ["2026-11-24", "2027-05-24"]
    fact = catalog.legal_facts("KR", ["art14-2-viewing"], "ko")[0]
    assert fact.title == "딥페이크 시청 (제14조의2)" and fact.source.url.startswith("https://news1.kr")
    assert catalog.legal_facts("US", ["art14-2-viewing"], "en") == []


def test_load_catalog_never_raises_on_garbage(tree: Tree) -> None:
    tree.add("lessons/en/consent/binary.md", text="")
    (tree.root / "lessons/en/consent/binary.md").write_bytes(b"\xff\xfe\x00garbage")
    tree.add("lessons/en/consent/list-fm.md", text="---\n- a\n- b\n---\n")
    tree.add("quizzes/en/consent/list.yaml", text="- just\n- a list\n")
    tree.add("quizzes/en/consent/empty.yaml", text="")
    tree.add("quizzes/en/consent/scalars.yaml", text="id: 5\nmodule: [x]\nquestions: {a: 1}\ntitle: {}\n")
    tree.add("surveys/en/weird.yaml", text="items: [1, 2, {id: [x]}]\nlikert: 3\n")
    tree.add("help/XX.yaml", text="resources: [{key: 1, name: x, text: {en: 1}}]\n")
    tree.add("legal/XX.yaml", text="facts: 7\n")
    tree.add("modules.yaml", text="modules:\n  - 3\n  - {id: Bad Id, lessons: 4}\n")
    tree.add("lint/en.yaml", text="victim_blaming: 5\n")
    catalog = tree.load()
    assert catalog.errors
    assert "content/lessons/en/consent/binary.md:1: the file is not UTF-8 text" in [
        str(i) for i in catalog.errors
    ]
    assert not any("could not read this file" in i.message for i in catalog.errors), catalog.errors


def test_unchanged_files_are_not_parsed_again(tree: Tree) -> None:
    first = tree.load().lesson("consent-basics", "en")
    assert tree.load().lesson("consent-basics", "en") is first
    tree.edit("lessons/en/consent/basics.md", "You ask before", "You always ask before")
    assert tree.load().lesson("consent-basics", "en") is not first


def test_fingerprint_changes_when_a_file_changes(tree: Tree) -> None:
    catalog = tree.load()
    assert tree_fingerprint(Path("content")) == catalog.fingerprint()
    path = tree.root / "lessons/en/consent/kr.md"
    stat = path.stat()
    path.write_text(path.read_text("utf-8") + "\nMore.\n", "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert tree_fingerprint(Path("content")) != catalog.fingerprint()


def test_a_full_sized_curriculum_loads_cleanly(tree: Tree) -> None:
    """16 lessons x 2 languages and 8 quizzes x 2 load with no errors (how fast is measured in bench/)."""
    for n in range(14):
        for loc in ("en", "ko"):
            lesson = (tree.root / f"lessons/{loc}/consent/basics.md").read_text("utf-8")
            tree.add(
                f"lessons/{loc}/consent/copy{n}.md",
                text=lesson.replace("consent-basics", f"copy-{n}").replace("Consent every day", f"Day {n}"),
            )
    for n in range(7):
        for loc in ("en", "ko"):
            quiz = (tree.root / f"quizzes/{loc}/consent/consent-quiz.yaml").read_text("utf-8")
            tree.add(
                f"quizzes/{loc}/consent/q{n}.yaml",
                text=quiz.replace("consent-quiz", f"quiz-{n}") + f"# {n}\n",
            )
    catalog = load_catalog(Path("content"), today=TODAY)
    assert catalog.errors == []
    assert len(catalog.lesson_ids()) >= 16


def test_engine_is_pure_python_without_flask_or_database() -> None:
    package = Path(__file__).resolve().parents[2] / "edu" / "content"
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = ["." * node.level + (node.module or "")]
            else:
                continue
            for name in names:
                assert not name.startswith(("flask", "sqlalchemy", "edu", "..")), (source.name, name)
