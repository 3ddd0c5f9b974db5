"""`make screenshots`: PNGs of the main pages at 360 px (phone) and 1280 px (desktop), in Korean and English.

Starts the app as the browser tests do (gunicorn on a fresh SQLite file with the demo data) and drives
Debian's Chromium (never a downloaded browser). Usage: python -m tests.browser.screenshots [OUTPUT_DIR]
(default: screenshots/, which git ignores).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tests.browser import site_tour as tour
from tests.browser.conftest import CHROMIUM, NEUTRAL_SITE, ROOT, free_port, wait_until_up

WIDTHS = {"phone": {"width": 360, "height": 740}, "desktop": {"width": 1280, "height": 900}}
STUDENT_CLASS = {"ko": "DEMKR7", "en": "DEMEN7"}


@contextmanager
def demo_server():
    with tempfile.TemporaryDirectory(prefix="boundaries-shots-") as tmp:
        instance = Path(tmp)
        env = dict(os.environ, EDU_INSTANCE_DIR=str(instance), EDU_ENV="testing",
                   DATABASE_URL=f"sqlite:///{instance / 'shots.db'}", SECRET_KEY="screenshots",
                   QUICK_EXIT_URL=NEUTRAL_SITE, EDU_CONTENT_DIR=str(ROOT / "content"))
        flask = [sys.executable, "-m", "flask", "--app", "edu"]
        subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
        subprocess.run(flask + ["demo"], env=env, cwd=ROOT, check=True, capture_output=True)
        port = free_port()
        with open(instance / "server.log", "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "edu.wsgi:app"],
                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
            try:
                base = f"http://127.0.0.1:{port}"
                wait_until_up(base + "/", process)
                yield base
            finally:
                process.terminate()
                process.wait(timeout=10)


def _student_pages(page, base):
    page.goto(base + "/learn/")
    yield "student-home"
    lesson = page.locator(".module-card a[href*='/learn/lesson/']").first.get_attribute("href")
    quiz = page.locator(".module-card a[href*='/learn/quiz/']").first.get_attribute("href")
    page.goto(base + lesson + "?step=2")
    yield "lesson-step"
    page.goto(base + quiz)
    yield "quiz"


def _teacher_pages(page, base, lang):
    class_url = tour.demo_class_urls(page, base)[0 if lang == "ko" else 1]
    page.goto(class_url)
    yield "teacher-class"
    page.goto(class_url + "/assignments")
    yield "teacher-assignments"
    page.goto(class_url + "/progress")
    yield "progress-grid"


def _session(browser, base: str, viewport: dict, lang: str, who: str):
    """A new browser context signed in as `who` (anonymous, student, teacher, author, admin) in `lang`."""
    context = browser.new_context(viewport=viewport, locale="ko-KR" if lang == "ko" else "en-GB")
    page = context.new_page()
    page.goto(base + "/")
    tour.set_language(page, lang)
    if who == "student":
        tour.sign_in_student(page, base, STUDENT_CLASS[lang])
    elif who != "anonymous":
        tour.sign_in_staff(page, base, {"teacher": tour.TEACHER, "author": tour.AUTHOR, "admin": tour.ADMIN}[who])
    tour.set_language(page, lang)
    return context, page


def _pages(page, base: str, who: str, lang: str):
    """Go to each page to photograph; yields its name."""
    if who == "anonymous":
        page.goto(base + "/help")
        yield "help"
    elif who == "student":
        yield from _student_pages(page, base)
    elif who == "teacher":
        yield from _teacher_pages(page, base, lang)
    elif who == "author":
        page.goto(base + "/author/")
        yield "author-catalog"
        page.goto(base + "/sequence")
        yield "scope-and-sequence"
    else:
        page.goto(base + "/admin/")
        yield "admin"


def take(output: Path, browser, base: str) -> list[Path]:
    saved = []
    for viewport in WIDTHS.values():
        for lang in tour.LANGUAGES:
            for who in ("anonymous", "student", "teacher", "author", "admin"):
                context, page = _session(browser, base, viewport, lang, who)
                for name in _pages(page, base, who, lang):
                    path = output / f"{lang}-{viewport['width']}-{name}.png"
                    page.screenshot(path=str(path), full_page=True)
                    saved.append(path)
                context.close()
    return saved


def main(argv: list[str]) -> int:
    output = Path(argv[1] if len(argv) > 1 else ROOT / "screenshots").resolve()
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium fonts-noto-cjk`.",
              file=sys.stderr)
        return 1
    output.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with demo_server() as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        try:
            saved = take(output, browser, base)
        finally:
            browser.close()
    print(f"{len(saved)} screenshots in {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
