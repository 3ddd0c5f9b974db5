"""The removal module (issue 40: reporting and removal): it comes last; the hash-tool step names Take It Down and
StopNCII and international classes see the international removal services; the two evidence rules are taught; the
app-specific reporting menus wait in the facts registry, unverified, and are never cited or shown on a student
page; help lines are never typed into the lessons. The parts every module has are checked in
test_module_parts.py."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest
from markupsafe import escape

from edu.content_service import catalog

MODULE = "removal"
ROOT = Path(__file__).resolve().parents[2]
APP_FACTS = ("app-instagram-report-post", "app-instagram-report-account", "app-tiktok-report-video",
             "app-x-report-post")


@pytest.fixture
def student_client(module_student):
    return functools.partial(module_student, MODULE)


def _step(lesson_id: str, step_id: str, locale: str = "ko") -> int:
    lesson = next(lesson for lesson in catalog().lessons_for(MODULE, locale, region="KR") if lesson.id == lesson_id)
    return [step.id for step in lesson.steps].index(step_id) + 1


def test_the_module_comes_last(ctx):
    assert catalog().modules[-1].id == MODULE  # order 14: the last module of the curriculum




def test_the_removal_step_shows_the_class_countrys_removal_services(student_client):
    step = _step("removal-deletion", "acosav")
    korean = student_client("ko", "high", "KR").get(f"/learn/lesson/removal-deletion?step={step}")
    html = korean.get_data(as_text=True)
    assert "1366" in html and "1377" in html and "02-735-8994" not in html  # the unverified direct line stays off
    british = student_client("en", "high", "GB").get(f"/learn/lesson/removal-deletion?step={step}")
    html = british.get_data(as_text=True)
    assert "Take It Down" in html and "Report Remove" in html and "1377" not in html


def test_the_hash_tool_step_names_both_tools_and_their_limits(student_client):
    step = _step("removal-deletion", "hash-tools")
    korean = student_client("ko", "university", "KR").get(f"/learn/lesson/removal-deletion?step={step}")
    html = korean.get_data(as_text=True)
    assert "Take It Down" in html and "StopNCII.org" in html and "암호화된 채팅방" in html
    english = student_client("en", "middle", "GB").get(f"/learn/lesson/removal-deletion?step={step}")
    assert "encrypted chats" in english.get_data(as_text=True)


@pytest.mark.parametrize(("locale", "friend", "person_shown"), [
    ("ko", "저장하거나 캡처하거나 전달하지 않아요", "증거를 남기는 건 범죄가 아니에요"),
    ("en", "never save, screenshot or forward the image", "Keeping evidence of your own case is not a crime"),
])
def test_the_evidence_step_teaches_both_tracks(student_client, locale, friend, person_shown):
    step = _step("removal-report", "evidence", locale)
    html = student_client(locale, "middle", "KR").get(f"/learn/lesson/removal-report?step={step}").get_data(
        as_text=True)
    assert friend in html and person_shown in html








def test_app_specific_menus_wait_unverified_and_are_never_cited_or_shown(student_client):
    for fact_id in APP_FACTS:
        fact = catalog().fact(fact_id)
        assert fact is not None and not fact.verified and fact.note, fact_id
    cited = "".join(path.read_text("utf-8") for path in (ROOT / "content").rglob("*")
                    if path.is_file() and path.suffix in (".md", ".yaml") and "facts" not in path.parts)
    for fact_id in APP_FACTS:
        assert f"[[fact:{fact_id}]]" not in cited and f"fact: {fact_id}" not in cited
    menus = [catalog().fact(fact_id).wording[locale] for fact_id in APP_FACTS for locale in ("ko", "en")]
    for locale, country in (("ko", "KR"), ("en", "GB")):
        client = student_client(locale, "high", country)
        for lesson in catalog().lessons_for(MODULE, locale, region="KR" if country == "KR" else "INTL"):
            for number in range(1, len(lesson.steps) + 1):
                page = client.get(f"/learn/lesson/{lesson.id}?step={number}").get_data(as_text=True)
                assert not any(str(escape(menu)) in page or menu in page for menu in menus), (lesson.id, number)


def test_help_lines_come_from_help_blocks_never_typed_in_the_lessons_or_the_quiz(ctx):
    typed = re.compile(r"(?<![\d-])(1366|1377|112|1388|109|117|02-735-8994)(?![\d-])")
    files = [*(ROOT / "content" / "lessons").glob(f"*/{MODULE}/*.md"), *(ROOT / "content" / "quizzes").glob(
        f"*/{MODULE}/*.yaml")]
    assert len(files) == 6
    for path in files:
        text = path.read_text("utf-8")
        body = text.split("\n---\n", 1)[1] if path.suffix == ".md" else text  # lessons: after the front matter
        body = "\n".join(line for line in body.splitlines() if not line.strip().startswith(("url:", "title:")))
        assert not typed.search(body), (path.name, typed.search(body))
