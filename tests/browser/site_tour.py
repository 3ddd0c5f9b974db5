"""A walk through every page each role can reach, shared by the accessibility tests and `make screenshots`.

Each tour is a generator: it navigates a Playwright page and yields a short label every time the page shows
something worth checking (a page, or a page in a new state such as "form with errors" or "answer chosen").
The caller runs its checks on `page` at each yield. Tours sign nobody in; see `sign_in_staff` and
`sign_in_student`. Everything is reached through the UI, so the tour also proves the links exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlparse

DEMO_PASSWORD = "demo-pass-2026"
DEMO_PIN = "246810"
TEACHER = "teacher@demo.boundaries.test"
AUTHOR = "author@demo.boundaries.test"
ADMIN = "admin@demo.boundaries.test"
STUDENTS = {  # class code -> (demo class name, pseudonym)
    "DEMKR7": ("2학년 3반", "파란 수달 17"),
    "DEMEN7": ("Year 10 Blue", "Blue Otter 17"),
}
DEMO_CLASSES = tuple(name for name, _ in STUDENTS.values())
LANGUAGES = ("ko", "en")
PUBLIC_PATHS = ("/", "/help", "/help?country=INTL", "/staying-safe", "/signin", "/signup", "/join",
                "/student/signin", "/page/class-agreement", "/no-such-page")
# Korean proper names that English content quotes as they are (a KakaoTalk channel name, say): WCAG 3.1.2
# exempts proper names from marking the change of language.
PROPER_NAMES = ("청소년상담1388",)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# ---- navigation helpers -------------------------------------------------------------------------------

def _submit(page, button) -> None:
    """Press a submit button and wait for the page it leads to."""
    with page.expect_navigation():
        button.click()


def path_of(page) -> str:
    parsed = urlparse(page.url)
    return parsed.path + (f"?{parsed.query}" if parsed.query else "")


def set_language(page, lang: str) -> None:
    """Press the header language button (remembered in the session, and on the account when signed in)."""
    if page.evaluate("document.documentElement.lang") == lang:
        return
    _submit(page, page.locator(f".language-switch button[value='{lang}']"))
    assert page.evaluate("document.documentElement.lang") == lang


def sign_in_staff(page, base: str, email: str) -> None:
    page.goto(base + "/signin")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    _submit(page, page.locator("main form button[type=submit]"))
    assert "/signin" not in page.url, f"sign-in failed for {email}"


def sign_in_student(page, base: str, code: str) -> None:
    page.goto(base + "/student/signin")
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=pseudonym]").fill(STUDENTS[code][1])
    page.locator("input[name=pin]").fill(DEMO_PIN)
    _submit(page, page.locator("main form button[type=submit]"))
    assert page.url.endswith("/learn/"), f"student sign-in failed for {code}"


def sign_out(page) -> None:
    _submit(page, page.locator(".site-nav form button"))


def _hrefs(page, selector: str) -> list[str]:
    seen: list[str] = []
    for href in page.locator(selector).evaluate_all("els => els.map(e => e.getAttribute('href'))"):
        if href and href not in seen:
            seen.append(href)
    return seen


def _visit(page, base: str, href: str) -> None:
    page.goto(href if href.startswith("http") else base + href)


def _step_count(page) -> int:
    return int(page.locator(".lesson progress").first.get_attribute("max"))


def _with_step(href: str, n: int) -> str:
    href = re.sub(r"([?&])step=\d+&?", r"\1", href).rstrip("?&")
    return href + ("&" if "?" in href else "?") + f"step={n}"


# ---- tours ----------------------------------------------------------------------------------------------

def anonymous_tour(page, base: str) -> Iterator[str]:
    for path in PUBLIC_PATHS:
        page.goto(base + path)
        yield path
    # Forms sent empty: errors must be tied to their fields.
    for path in ("/signin", "/signup", "/join", "/student/signin"):
        page.goto(base + path)
        _submit(page, page.locator("main form button[type=submit]"))
        yield f"{path} (errors)"


def join_tour(page, base: str, code: str = "DEMEN7") -> Iterator[str]:
    """A new student joins a demo class: the welcome page with pseudonym and PIN. Leaves the page signed out."""
    page.goto(base + "/join")
    page.locator("input[name=code]").fill(code)
    _submit(page, page.locator("main form button[type=submit]"))
    yield "/join -> welcome"
    sign_out(page)


def student_tour(page, base: str, *, last_pass: bool) -> Iterator[str]:
    """A demo student's pages. With `last_pass`, also sends the one-off forms (survey, question, talk, poll)."""
    page.goto(base + "/learn/")
    yield "/learn/"
    home = base + "/learn/"
    lesson = _hrefs(page, ".module-card a[href*='/learn/lesson/']")[0]
    quiz = _hrefs(page, ".module-card a[href*='/learn/quiz/']")[0]
    survey = _hrefs(page, "main a[href*='/learn/survey/']")

    _visit(page, base, lesson)
    total = _step_count(page)
    for n in range(1, total + 1):
        _visit(page, base, _with_step(lesson, n))
        yield f"lesson step {n}/{total}"
        answered = False
        for block in (".block--scenario", ".block--check"):
            while page.locator(f"{block}:not(:has(.feedback)) button.choice").count():
                _submit(page, page.locator(f"{block}:not(:has(.feedback)) button.choice").first)
                answered = True
        reflection = page.locator(".block--reflection textarea")
        if reflection.count():
            reflection.first.fill("A private thought")
            _submit(page, page.locator(".block--reflection button[type=submit]").first)
            answered = True
        if answered:
            yield f"lesson step {n}/{total} (answered)"
    _submit(page, page.locator(".step-nav form button[type=submit]").last)  # Finish lesson
    yield "lesson finished"

    _visit(page, base, quiz)
    yield "quiz"
    for fieldset in page.locator("fieldset.question").all():
        fieldset.locator("input").first.check()
    _submit(page, page.locator(".quiz-actions button[value=submit]"))
    assert "/result/" in page.url
    yield "quiz result"

    if survey:
        _visit(page, base, survey[0])
        yield "survey"
        if last_pass:
            for fieldset in page.locator("fieldset.question").all():
                fieldset.locator("input").first.check()
            _submit(page, page.locator("main form button[type=submit]"))
            yield "survey done"

    for path in ("/learn/my-data", "/learn/ask", "/learn/talk", "/learn/poll"):
        page.goto(base + path)
        yield path
        if path == "/learn/ask":
            _submit(page, page.locator("main form button[type=submit]"))
            yield "/learn/ask (errors)"
            if last_pass:
                page.locator("textarea[name=text]").fill("Someone made a deepfake of my friend, what can I do?")
                _submit(page, page.locator("main form button[type=submit]"))
                yield "/learn/ask -> sent"
        elif last_pass and path == "/learn/talk" and page.locator("main form button[type=submit]").count():
            _submit(page, page.locator("main form button[type=submit]"))
            yield "/learn/talk -> asked"
        elif last_pass and path == "/learn/poll" and page.locator("main form input[type=radio]").count():
            page.locator("main form input[type=radio]").first.check()
            _submit(page, page.locator("main form button[type=submit]"))
            yield "/learn/poll -> voted"
    page.goto(home)


def start_polls(page, base: str) -> None:
    """The demo teacher opens a live poll in each demo class (so students have a poll page with a form)."""
    for class_url in demo_class_urls(page, base):
        page.goto(class_url)
        if page.locator("a[href*='/polls/']").count():
            continue  # one is open already
        start = page.locator("form[action$='/polls'] button[type=submit]")
        if start.count():
            _submit(page, start.first)


def demo_class_urls(page, base: str) -> list[str]:
    page.goto(base + "/teach/")
    urls = []
    for name in DEMO_CLASSES:
        link = page.locator(".card-list h2 a", has_text=name).first
        urls.append(base + link.get_attribute("href"))
    return urls


def teacher_tour(page, base: str) -> Iterator[str]:
    page.goto(base + "/teach/")
    yield "/teach/"
    page.goto(base + "/teach/classes/new")
    yield "/teach/classes/new"
    _submit(page, page.locator("main form button[type=submit]"))
    yield "/teach/classes/new (errors)"

    for class_url in demo_class_urls(page, base):
        page.goto(class_url)
        yield path_of(page)
        links = {
            "analysis": _hrefs(page, "main a[href*='/analysis']")[:1],
            "projector": _hrefs(page, "main a[href*='/polls/']")[:1],
            "remove": _hrefs(page, "main a[href*='/remove']")[:1],
            "guide": _hrefs(page, "main a[href^='/guide/']")[:1],
            "family": _hrefs(page, "main a[href^='/family/']")[:1],
            "preview": _hrefs(page, "main a[href^='/preview/lesson/']")[:1],
        }
        for suffix in ("/progress", "/settings", "/questions"):
            page.goto(class_url + suffix)
            yield path_of(page)
            if suffix == "/progress":
                links["student"] = _hrefs(page, ".progress-grid a[href*='/students/']")[:1]
        for hrefs in links.values():
            for href in hrefs:
                _visit(page, base, href)
                yield path_of(page)

    # Printed login cards for one new student (never "new cards for everyone": that would change demo PINs).
    page.goto(demo_class_urls(page, base)[0])
    page.locator("input[name=count]").fill("1")
    _submit(page, page.locator("form[action$='/students/add'] button[type=submit]"))
    assert page.locator(".login-card").count() == 1
    yield "login cards"

    for path in ("/preview/lesson/consent-basics?locale=ko", "/preview/lesson/consent-basics?locale=en",
                 "/preview/quiz/consent-quiz?locale=ko", "/preview/quiz/consent-quiz?locale=en",
                 "/page/class-agreement", "/admin/"):
        page.goto(base + path)
        yield path + (" (not allowed)" if path == "/admin/" else "")


def author_tour(page, base: str, lang: str) -> Iterator[str]:
    """The curriculum catalog, then every lesson (every step) and quiz preview in the page's language."""
    page.goto(base + "/author/")
    yield "/author/"
    previews = _hrefs(page, f".catalog-table td[lang='{lang}'] a")
    for href in previews:
        _visit(page, base, href)
        if "/preview/lesson/" in href:
            total = _step_count(page)
            for n in range(1, total + 1):
                if n > 1:
                    _visit(page, base, _with_step(href, n))
                yield f"{path_of(page)}"
        else:
            yield path_of(page)
    for kind in ("guide", "family"):
        for module in ("consent", "deepfakes", "law", "group-chat", "respect", "getting-help"):
            page.goto(f"{base}/{kind}/{module}?locale={lang}")
            yield path_of(page)


def admin_tour(page, base: str) -> Iterator[str]:
    for path in ("/admin/", "/admin/audit"):
        page.goto(base + path)
        yield path


# ---- checks -------------------------------------------------------------------------------------------

_PAGE_FACTS = """(properNames) => {
  const overflow = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) {
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.right > width + 1 && box.width > 0 && !el.closest('.table-wrap, .visually-hidden, .skip-link')) {
        overflow.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).trim().replace(/\\s+/g, '.') : '')
                      + ' right=' + Math.round(box.right));
      }
    }
  }
  const hangul = /[\\uac00-\\ud7a3]/;
  const unmarked = [];
  if (!document.documentElement.lang.startsWith('ko')) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const owner = node.parentElement;
      if (!hangul.test(node.nodeValue) || !owner || owner.closest('script, style, [hidden]')) continue;
      // Korean proper names inside English content are exempt (WCAG 3.1.2): PROPER_NAMES.
      let text = node.nodeValue;
      for (const name of properNames) text = text.split(name).join('');
      if (!hangul.test(text)) continue;
      const marked = owner.closest('[lang]');
      if (!marked || !marked.lang.startsWith('ko')) unmarked.push(node.nodeValue.trim().slice(0, 40));
    }
  }
  return {lang: document.documentElement.lang, mains: document.querySelectorAll('main').length,
          scrollWidth: document.documentElement.scrollWidth, width, overflow: overflow.slice(0, 5),
          unmarkedKorean: unmarked.slice(0, 5)};
}"""


def page_facts(page) -> dict:
    return page.evaluate(_PAGE_FACTS, list(PROPER_NAMES))


def axe_violations(page, axe, tags=None) -> list[str]:
    """axe-core's violations on the current page, one readable line each (rule, help, first targets)."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": tags or AXE_TAGS + ["best-practice"]},
                                     "resultTypes": ["violations"]})
    lines = []
    for v in results.response["violations"]:
        if "best-practice" in v["tags"]:
            v["help"] += " (best practice)"
        nodes = v["nodes"]
        targets = ", ".join(" ".join(map(str, n["target"])) for n in nodes[:3])
        summary = (nodes[0].get("failureSummary") or "").replace("\n", " ")[:240] if nodes else ""
        lines.append(f"{v['id']} [{v['impact']}] {v['help']} ({len(nodes)} nodes: {targets}) {summary}")
    return lines


def check_page(page, axe, label: str, lang: str, *, width_check: bool = True) -> list[str]:
    """Everything the accessibility suite asserts about one page; returns problems as readable lines."""
    problems = [f"{label}: {line}" for line in axe_violations(page, axe)]
    facts = page_facts(page)
    if facts["lang"] != lang:
        problems.append(f"{label}: <html lang> is {facts['lang']!r}, expected {lang!r}")
    if facts["mains"] != 1:
        problems.append(f"{label}: {facts['mains']} <main> elements")
    if width_check and facts["scrollWidth"] > facts["width"]:
        problems.append(f"{label}: scrolls sideways at {facts['width']} px (scrollWidth {facts['scrollWidth']}): "
                        f"{facts['overflow']}")
    if facts["unmarkedKorean"]:
        problems.append(f"{label}: Korean text without lang=ko on an {lang} page: {facts['unmarkedKorean']}")
    return problems
