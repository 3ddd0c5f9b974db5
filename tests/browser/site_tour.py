"""A walk through every page each role can reach, shared by the accessibility tests and `make screenshots`.

Each tour is a generator: it navigates a Playwright page and yields a short label every time the page shows
something worth checking (a page, or a page in a new state such as "form with errors" or "answer chosen").
The caller runs its checks on `page` at each yield. Tours sign nobody in; see `sign_in_staff` and
`sign_in_student`. Everything is reached through the UI, so the tour also proves the links exist.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
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
PUBLIC_PATHS = ("/", "/help", "/help?country=INTL", "/staying-safe", "/signin", "/signin/school", "/signup", "/join",
                "/student/signin", "/page/class-agreement", "/replies", "/no-such-page")
# Where text from content files (lessons, quizzes, help and legal data) is rendered.
CONTENT_AREAS = ".prose, .help-item, .legal-fact, .block, .question, .result"
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


_TOTP_SECRETS: dict[tuple[str, str], str] = {}  # (server, email) -> authenticator key set up in this run
_LAST_STEP: dict[tuple[str, str], int] = {}  # (server, email) -> time step of the last code used


def totp_code(secret: str, at: float | None = None) -> str:
    """The current 6-digit code (RFC 6238: SHA-1, 30 s), as an authenticator app shows it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((time.time() if at is None else at) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def unused_code(base: str, email: str, secret: str) -> str:
    """A code of a time step not used yet: a code works once (the server refuses the same or an earlier step).
    The server also accepts the next step (clock drift), so a second sign-in within 30 s uses it; a third waits
    for the clock to reach the step after."""
    current = int(time.time() // 30)
    step = max(current, _LAST_STEP.get((base, email), current - 1) + 1)
    if step > current + 1:
        time.sleep((step - 1) * 30 - time.time() + 0.1)
    _LAST_STEP[(base, email)] = step
    return totp_code(secret, step * 30)


def _demo_key(email: str) -> str | None:
    """The demo admin's authenticator key, when the demo data sets one."""
    try:
        from edu import demo
    except ImportError:
        return None
    return getattr(demo, "DEMO_ADMIN_TOTP", None) if email == ADMIN else None


def sign_in_staff(page, base: str, email: str, on_page=None) -> None:
    """Email and password, then the second step when the account has one (admins must set one up first:
    the key shown on the setup page is remembered for later sign-ins, and the recovery codes page that follows
    is passed). `on_page(label)` is called on the setup, code and recovery-codes pages, so callers can check
    them too."""
    page.goto(base + "/signin")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    _submit(page, page.locator("main form button[type=submit]"))
    path = urlparse(page.url).path
    if path in ("/signin/setup-code", "/signin/code"):
        if on_page:
            on_page(path)
        if path == "/signin/setup-code":
            _TOTP_SECRETS[(base, email)] = page.locator("code.secret-key").first.inner_text().strip()
        secret = _TOTP_SECRETS.get((base, email)) or _demo_key(email)
        assert secret, f"{email} asks for an authenticator code and the tests do not know its key"
        page.locator("input[name=code]").fill(unused_code(base, email, secret))
        _submit(page, page.locator("main form button[type=submit]"))
        if page.locator("ol.recovery-codes").count():
            if on_page:
                on_page("recovery codes")
            _submit(page, page.locator("main a.button"))
    assert not urlparse(page.url).path.startswith("/signin"), f"sign-in failed for {email}"


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
    return page.locator(".lesson .steps__item").count()


def _with_step(href: str, n: int) -> str:
    href = re.sub(r"([?&])step=\d+&?", r"\1", href).rstrip("?&")
    return href + ("&" if "?" in href else "?") + f"step={n}"


# ---- tours ----------------------------------------------------------------------------------------------

def anonymous_tour(page, base: str) -> Iterator[str]:
    for path in PUBLIC_PATHS:
        page.goto(base + path)
        yield path
    # Forms sent empty: errors must be tied to their fields.
    for path in ("/signin", "/signup", "/join", "/student/signin", "/signin/school"):
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


def _send_survey(page) -> Iterator[str]:
    """Answer every question of the open survey page, check the answers, send them."""
    for fieldset in page.locator("fieldset.question").all():
        if fieldset.locator("select").count():  # a 0-100 rating
            fieldset.locator("select").select_option("70")
        else:
            fieldset.locator("input").first.check()
    _submit(page, page.locator("main form button[value=review]"))
    yield "survey check"
    _submit(page, page.locator("main form button[value=send]"))
    yield "survey done"


def student_tour(page, base: str, *, last_pass: bool, every_step: bool = True) -> Iterator[str]:
    """A demo student's pages: home, the first lesson step by step (answering its activities, then Finish),
    the quiz and its result, the survey, my data, ask, talk and poll. With `last_pass`, also sends the
    one-off forms (survey, question, talk, poll). Without `every_step`, only the lesson's first two steps."""
    page.goto(base + "/learn/")
    yield "/learn/"
    home = base + "/learn/"
    for pre in _hrefs(page, "main a[href*='/learn/survey/pre']"):  # an open pre-survey comes before the lessons
        _visit(page, base, pre)
        yield "survey"
        yield from _send_survey(page)
        page.goto(home)
    lesson = _hrefs(page, ".module-card a[href*='/learn/lesson/']")[0]
    quiz = _hrefs(page, ".module-card a[href*='/learn/quiz/']")[0]
    survey = _hrefs(page, "main a[href*='/learn/survey/']")

    _visit(page, base, lesson)
    total = _step_count(page)
    for n in range(1, (total if every_step else min(total, 2)) + 1):
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
    if every_step:
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
            yield from _send_survey(page)

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

    for number, class_url in enumerate(demo_class_urls(page, base)):
        # Every section of the first demo class; for the other (the other language), the pages that show its
        # content and names: those are where a change of language needs marking.
        page.goto(class_url)
        yield path_of(page)
        links: dict[str, list[str]] = {}
        sections = ("/students", "/assignments", "/progress", "/outcomes", "/settings", "/questions",
                    "/assignments/behind", "/assignments/reminders") if number == 0 else ("/assignments", "/progress")
        for suffix in sections:
            page.goto(class_url + suffix)
            yield path_of(page)
            if suffix == "/assignments":
                links["analysis"] = _hrefs(page, "main a[href*='/analysis']")[:1]
                links["projector"] = _hrefs(page, "main a[href*='/polls/']")[:1]
                if number == 0:
                    links["preview"] = _hrefs(page, "main a[href^='/preview/lesson/']")[:1]
                    links["guide"] = _hrefs(page, "main a[href^='/guide/']")[:1]
                    links["family"] = _hrefs(page, "main a[href^='/family/']")[:1]
                    links["assignment"] = _hrefs(page, "main a[href*='/assignments/']:not([href*='behind'])")[:1]
            if suffix == "/students" and number == 0:
                links["remove"] = _hrefs(page, "main a[href*='/remove']")[:1]
            if suffix == "/progress" and number == 0:
                links["student"] = _hrefs(page, ".progress-grid a[href*='/students/']")[:1]
        for hrefs in links.values():
            for href in hrefs:
                _visit(page, base, href)
                yield path_of(page)

    # Printed login cards for one new student (never "new cards for everyone": that would change demo PINs).
    page.goto(demo_class_urls(page, base)[0] + "/students")
    page.locator("input[name=count]").fill("1")
    _submit(page, page.locator("form[action$='/students/add'] button[type=submit]"))
    assert page.locator(".login-card").count() == 1
    yield "login cards"

    for path in ("/safeguarding/cases", "/account/security", "/account/password", "/signin/setup-code", "/admin/"):
        page.goto(base + path)
        yield path + (" (not allowed)" if path == "/admin/" else "")


# A lesson whose every step the author's tour shows by default: it uses every kind of block (scenario, check,
# reflection, myth/fact, content note, help, legal, audience, step-out, poll).
AUTHOR_FULL_LESSONS = ("getting-help-not-your-fault",)
MODULES = ("consent", "deepfakes", "law", "group-chat", "respect", "getting-help")
WORKSHEET_MODULE = "sextortion"  # a module with a worksheet (content/worksheets/)


def author_tour(page, base: str, lang: str, *, everything: bool = False) -> Iterator[str]:
    """The curriculum catalog, then the previews in the page's language: every quiz, the first lesson of every
    module, every step of AUTHOR_FULL_LESSONS, and two modules' guides and family sheets. With `everything`,
    every step of every lesson and every guide and family sheet."""
    page.goto(base + "/author/")
    yield "/author/"
    page.goto(base + "/account/security")
    yield "/account/security"
    page.goto(base + "/author/")
    previews = _hrefs(page, f".catalog-table td[lang='{lang}'] a")
    if not everything:
        modules_seen: set[str] = set()
        chosen = []
        for row in page.locator(".catalog-table tbody tr").all():
            link = row.locator(f"td[lang='{lang}'] a")
            if not link.count():
                continue
            href, module = link.first.get_attribute("href"), row.locator("td").first.inner_text().strip()
            full = any(f"/{lesson}?" in href for lesson in AUTHOR_FULL_LESSONS)
            if "/preview/quiz/" in href or full or module not in modules_seen:
                chosen.append(href)
            if "/preview/lesson/" in href:
                modules_seen.add(module)
        previews = chosen
    for href in previews:
        _visit(page, base, href)
        yield path_of(page)
        if "/preview/lesson/" in href and (everything or any(f"/{lesson}?" in href for lesson in AUTHOR_FULL_LESSONS)):
            for n in range(2, _step_count(page) + 1):
                _visit(page, base, _with_step(href, n))
                yield path_of(page)
    for kind in ("guide", "family"):
        for module in MODULES if everything else MODULES[:2]:
            page.goto(f"{base}/{kind}/{module}?locale={lang}")
            yield path_of(page)
    page.goto(f"{base}/worksheet/{WORKSHEET_MODULE}?locale={lang}")  # ruled lines to write on, for printing
    yield path_of(page)


def admin_tour(page, base: str) -> Iterator[str]:
    for path in ("/admin/", "/admin/insights", "/admin/audit", "/account/security", "/admin/sign-in/",
                 "/account/school-sign-in", "/admin/lti/"):
        page.goto(base + path)
        yield path
    _submit(page, page.locator("main form.form-card button[type=submit]"))  # the LMS registration, sent empty
    yield "/admin/lti/ (errors)"
    page.goto(base + "/lti/start")  # a landing page opened without a launch: the refusal page
    yield "/lti/start (no launch)"


# ---- checks -------------------------------------------------------------------------------------------

_PAGE_FACTS = """(contentAreas) => {
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
      // A Korean term quoted inside an English sentence of a content file (a law's or a service's name)
      // cannot be marked from a template: content Markdown and YAML have no way to say lang="ko" yet.
      // Those are left to the content (see the report); everything else must be marked.
      if (/[A-Za-z]{2}/.test(node.nodeValue) && owner.closest(contentAreas)) continue;
      const marked = owner.closest('[lang]');
      if (!marked || !marked.lang.startsWith('ko')) unmarked.push(node.nodeValue.trim().slice(0, 40));
    }
  }
  return {lang: document.documentElement.lang, mains: document.querySelectorAll('main').length,
          scrollWidth: document.documentElement.scrollWidth, width, overflow: overflow.slice(0, 5),
          unmarkedKorean: unmarked.slice(0, 5)};
}"""


def page_facts(page) -> dict:
    return page.evaluate(_PAGE_FACTS, CONTENT_AREAS)


def axe_violations(page, axe, tags=None) -> list[str]:
    """axe-core's violations on the current page, one readable line each (rule, help, first targets).
    `axe` is axe_playwright_python's Axe; by default the WCAG 2.0-2.2 A/AA rules and axe's best practices."""
    options = {"runOnly": {"type": "tag", "values": tags or AXE_TAGS + ["best-practice"]},
               "resultTypes": ["violations"]}
    response = axe.run(page, options=options).response
    violations = response["violations"]
    if page.evaluate("window.scrollY") > 0 and any(v["id"] == "target-size" for v in violations):
        # axe-core treats position: sticky as relative (dequelabs/axe-core#3720): on a scrolled page it counts the
        # header scrolled under the sticky Quick exit bar as obscured targets. Judge target size at the top of the
        # page, where every target is in its own place; everything else is judged where the student is.
        at = page.evaluate("window.scrollY")
        page.evaluate("window.scrollTo(0, 0)")
        again = axe.run(page, options={"runOnly": {"type": "rule", "values": ["target-size"]},
                                       "resultTypes": ["violations"]}).response["violations"]
        page.evaluate(f"window.scrollTo(0, {at})")
        violations = [v for v in violations if v["id"] != "target-size"] + again
    lines = []
    for v in violations:
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
