"""Text resized to 200% (WCAG 1.4.4) on a 1280 px screen, in both languages: no sideways scrolling, the key
controls stay on screen, and the fixed Quick exit button covers none of the header's links and buttons.

The root font size is changed through the DOM (the CSP forbids injected style sheets; a style set through the
CSSOM is allowed), which is what a browser's "font size" setting does to a page sized in rem, as this one is.
"""

from __future__ import annotations

import pytest

from tests.browser import site_tour as tour

pytestmark = pytest.mark.browser

# Each page with the controls that must remain visible on it (besides the Quick exit and the h1).
PAGES = {
    "anonymous": [("/", ["main a.button"]), ("/help", ["main .help-item"]),
                  ("/signin", ["main form button[type=submit]"]), ("/join", ["main form button[type=submit]"])],
    "student": [("/learn/", ["main .module-card a"]), ("lesson", [".step-nav .button", ".block button.choice"]),
                ("quiz", [".quiz-actions button[value=submit]", "fieldset.question input"])],
    "teacher": [("/teach/", ["main a.button"]), ("class", ["form[action$='/assignments'] button[type=submit]"]),
                ("class/progress", [".table-wrap"])],
    "author": [("/author/", [".catalog-table a"]), ("/preview/lesson/consent-basics?locale=ko&step=2",
                                                     [".preview-bar button", ".step-nav .button"])],
    "admin": [("/admin/", ["main table"])],
}

_LAYOUT = """(selectors) => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) problems.push('scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
  for (const sel of ['#quick-exit', 'main h1', ...selectors]) {
    const el = document.querySelector(sel);
    if (!el) { problems.push(sel + ' missing'); continue; }
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') problems.push(sel + ' not visible');
    else if (box.left < 0 || box.right > width + 1) problems.push(sel + ' off screen: ' + Math.round(box.left) + '..' + Math.round(box.right));
  }
  const exit = document.getElementById('quick-exit').getBoundingClientRect();
  for (const el of document.querySelectorAll('.site-header a:not(#quick-exit):not(.skip-link), .site-header button')) {
    const b = el.getBoundingClientRect();
    if (b.width && b.left < exit.right && b.right > exit.left && b.top < exit.bottom && b.bottom > exit.top)
      problems.push('Quick exit covers ' + el.tagName.toLowerCase() + ' "' + el.textContent.trim() + '"');
  }
  return problems;
}"""


def _enlarge_and_check(page, label, selectors) -> list[str]:
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    page.evaluate("window.scrollTo(0, 0)")
    return [f"{label}: {p}" for p in page.evaluate(_LAYOUT, selectors)]


def _resolve(page, base: str, role: str, path: str) -> str:
    """Turn the symbolic paths ("lesson", "class/progress") into real ones for the signed-in role."""
    if role == "student" and path in ("lesson", "quiz"):
        page.goto(base + "/learn/")
        kind = "lesson" if path == "lesson" else "quiz"
        href = page.locator(f".module-card a[href*='/learn/{kind}/']").first.get_attribute("href")
        return href + ("?step=2" if kind == "lesson" else "")
    if role == "teacher" and path.startswith("class"):
        url = tour.demo_class_urls(page, base)[0][len(base):]
        return url + ("/progress" if path.endswith("progress") else "/assignments")
    return path


@pytest.mark.parametrize("role", list(PAGES))
def test_text_at_200_percent_keeps_everything_usable(browser, live_server, role):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    page = context.new_page()
    if role == "student":
        tour.sign_in_student(page, live_server, "DEMEN7")
    elif role != "anonymous":
        tour.sign_in_staff(page, live_server, {"teacher": tour.TEACHER, "author": tour.AUTHOR,
                                               "admin": tour.ADMIN}[role])
    else:
        page.goto(live_server + "/")
    problems = []
    for lang in tour.LANGUAGES:
        tour.set_language(page, lang)
        for path, selectors in PAGES[role]:
            page.goto(live_server + _resolve(page, live_server, role, path))
            problems += _enlarge_and_check(page, f"[{lang}] {path}", selectors)
    if role != "anonymous":
        tour.set_language(page, "en")  # leave the demo accounts in English, as other tests expect
    context.close()
    assert not problems, "\n".join(problems)
