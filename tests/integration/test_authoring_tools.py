"""The authors' tools: `content check`, `content import-gift`, the catalog page and previews."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from tests import factories

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "content" / "fixtures"


def test_content_check_passes_on_the_curriculum_and_fails_with_file_line_messages(app, tmp_path):
    runner = app.test_cli_runner()
    ok = runner.invoke(args=["content", "check"])
    assert ok.exit_code == 0 and "OK: 0 errors" in ok.output
    broken = tmp_path / "content"
    shutil.copytree(ROOT / "content", broken)
    lesson = broken / "lessons" / "en" / "consent" / "consent-basics.md"
    lesson.write_text(lesson.read_text().replace("status: published", "status: finished", 1))
    failed = runner.invoke(args=["content", "check", str(broken)])
    assert failed.exit_code == 1
    assert f"{broken}/lessons/en/consent/consent-basics.md:" in failed.output and "status" in failed.output


def test_import_gift_writes_a_quiz_file(app, tmp_path):
    target = tmp_path / "bank.yaml"
    result = app.test_cli_runner().invoke(args=[
        "content", "import-gift", str(FIXTURES / "broken" / "gift-sample.txt"), "--module", "consent",
        "--locale", "en", "--quiz-id", "bank", "--output", str(target)])
    assert result.exit_code == 0, result.output
    quiz = yaml.safe_load(target.read_text())
    assert quiz["id"] == "bank" and quiz["module"] == "consent" and quiz["questions"]
    again = app.test_cli_runner().invoke(args=[
        "content", "import-gift", str(FIXTURES / "broken" / "gift-sample.txt"), "--module", "consent",
        "--locale", "en", "--quiz-id", "bank", "--output", str(target)])
    assert again.exit_code != 0 and "exists" in again.output


def test_author_catalog_shows_status_and_translations(app):
    with app.app_context():
        factories.staff("author", "author@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "author@school.kr")
    html = client.get("/author/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "consent-basics" in html and "law-quiz-intl" in html and "Published" in html
    assert "/preview/lesson/consent-basics?locale=ko" in html and "/preview/quiz/consent-quiz?locale=en" in html
    from edu.content_service import catalog

    with app.app_context():
        korean_title = catalog().lesson("law-kr-acts", "ko").title
    preview = client.get("/preview/lesson/law-kr-acts?locale=ko&band=high&country=KR",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Preview: exactly what a student sees" in preview and korean_title in preview
    quiz = client.get("/preview/quiz/consent-quiz?locale=ko", headers={"Accept-Language": "en"}).get_data(True)
    assert "correct answer" in quiz
    assert client.get("/preview/lesson/consent-basics?locale=fr").status_code == 404


def test_preview_shows_age_band_blocks_for_the_chosen_band_only(app):
    from edu.content_service import catalog

    with app.app_context():
        factories.staff("author", "author@school.kr")
        lesson, step_number, block = next(
            (ls, n + 1, seg) for ls in catalog().lessons_for("getting-help", "en", region="KR")
            for n, step in enumerate(ls.steps) for seg in step.segments
            if seg.kind == "audience" and seg.bands == ("middle",))
    client = app.test_client()
    factories.sign_in_staff(client, "author@school.kr")
    base = f"/preview/lesson/{lesson.id}?locale=en&country=KR&step={step_number}"
    snippet = block.html[3:60]
    assert snippet in client.get(base + "&band=middle").get_data(as_text=True)
    assert snippet not in client.get(base + "&band=university").get_data(as_text=True)
