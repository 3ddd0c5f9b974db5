"""Every journey with the keyboard alone (WCAG 2.1.1, 2.4.7, 2.4.11): Tab, Shift+Tab, Enter, Space and the
arrow keys, never the mouse. After every key press the focused element must be a real control (not <body>),
show a visible focus indicator, and not be hidden under the fixed Quick exit button.

- a student joins a demo class, works through a lesson (scenario, checks, reflection, Next, Finish) and
  takes the quiz (Space and arrow keys in the answer groups, then Submit);
- a teacher signs in, creates a class and assigns a module on the class page.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.actions import to_next_step

pytestmark = pytest.mark.browser

_FOCUS_PROBLEM = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return 'focus is on the page itself';
  const label = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '');
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  if (!outline && style.boxShadow === 'none') return label + ' has no focus indicator';
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return label + ' has no size';
  // Not entirely hidden by the fixed Quick exit button (or anything else): some point of it is on top.
  const points = [[box.left + box.width / 2, box.top + box.height / 2], [box.left + 2, box.top + 2],
                  [box.right - 2, box.top + 2], [box.left + 2, box.bottom - 2], [box.right - 2, box.bottom - 2]];
  const seen = points.some(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return hit && (hit === el || el.contains(hit) || (el.labels && [...el.labels].some(l => l.contains(hit))));
  });
  return seen ? '' : label + ' is hidden behind other content (or off screen)';
}"""


def focus_problem(page) -> str:
    return page.evaluate(_FOCUS_PROBLEM)


def press(page, key: str) -> None:
    page.keyboard.press(key)


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 120) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches `selector`, checking focus at each stop."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("sel => !!document.activeElement && document.activeElement.matches(sel)", selector):
            return
        press(page, key)
        problem = focus_problem(page)
        assert not problem, f"after {key} on {page.url}: {problem}"
    raise AssertionError(f"{selector} not reached with {key} on {page.url}")


def activate(page, selector: str, key: str = "Enter") -> None:
    """Tab to a link or button and press Enter (or Space); waits for the page it loads."""
    tab_to(page, selector)
    with page.expect_navigation():
        press(page, key)


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


@pytest.fixture
def keyboard_context(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    yield context
    context.close()


def test_skip_link_moves_focus_to_the_content(live_server, keyboard_context):
    page = keyboard_context.new_page()
    page.goto(live_server + "/join")
    press(page, "Tab")
    assert page.evaluate("document.activeElement.id") == "quick-exit"
    press(page, "Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert not focus_problem(page)
    press(page, "Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    press(page, "Tab")
    assert page.evaluate("document.activeElement.name") == "code"  # the first field, straight after the link


def test_student_lesson_and_quiz_with_the_keyboard_alone(live_server, keyboard_context):
    page = keyboard_context.new_page()
    page.goto(live_server + "/join")
    type_into(page, "input[name=code]", "DEMEN7")
    with page.expect_navigation():
        press(page, "Enter")  # submits the form
    assert page.locator(".pin").count() == 1, "the welcome page with the new PIN"
    activate(page, "main a.button")  # I have written it down
    assert page.url.endswith("/learn/")
    activate(page, "main a[href*='/learn/survey/pre']")  # the class's pre-survey comes before the lessons
    activate(page, "main form button[value=skip]")  # skipped: it counts as done
    activate(page, "main a.button")  # Back to your lessons
    assert page.url.endswith("/learn/")

    activate(page, ".module-card a[href*='/learn/lesson/']")  # the first lesson of the first module
    seen = {"scenario": 0, "check": 0, "reflection": 0}
    for _ in range(15):
        scenario = ".block--scenario:not(:has(.feedback)) button.choice"
        if page.locator(scenario).count():
            activate(page, scenario, key="Enter")
            seen["scenario"] += 1
            assert page.locator(".block--scenario .feedback").count()
        while page.locator(".block--check:not(:has(.feedback)) button.choice").count():
            activate(page, ".block--check:not(:has(.feedback)) button.choice", key="Space")
            seen["check"] += 1
        if page.locator(".block--reflection textarea").count() and not seen["reflection"]:
            type_into(page, ".block--reflection textarea", "Ask first, and take no for an answer.")
            activate(page, ".block--reflection button[type=submit]")
            seen["reflection"] += 1
            assert page.locator(".block--reflection textarea").input_value().startswith("Ask first")
        if page.locator(".step-nav form[action$='/finish']").count():
            activate(page, ".step-nav form[action$='/finish'] button")  # Finish lesson
            break
        tab_to(page, ".step-nav a.button:not(.button--secondary)")  # Next (a link)
        to_next_step(page, lambda: press(page, "Enter"))
        assert page.evaluate("document.activeElement.id") == "step-title"  # the new step's heading has the focus
        assert not focus_problem(page)
    assert all(seen.values()), seen
    assert page.url.endswith("/learn/")

    activate(page, ".module-card a[href*='/learn/quiz/']")
    questions = page.locator("fieldset.question")
    for index in range(questions.count()):
        group = f"fieldset[id='{questions.nth(index).get_attribute('id')}']"
        tab_to(page, f"{group} input")  # Tab enters a radio group on its first option
        kind = page.evaluate("document.activeElement.type")
        press(page, "Space")
        if kind == "radio" and index == 0:
            press(page, "ArrowDown")  # arrows move the choice within the group
            press(page, "ArrowUp")
        assert page.locator(f"{group} input:checked").count() >= 1
        assert not focus_problem(page)
    activate(page, ".quiz-actions button[value=submit]")
    assert re.search(r"You got \d+ out of \d+", page.content())


def test_teacher_creates_a_class_and_assigns_a_module_with_the_keyboard_alone(live_server, keyboard_context):
    page = keyboard_context.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server + "/signin")
    type_into(page, "input[name=email]", "teacher@demo.boundaries.test")
    type_into(page, "input[name=password]", "demo-pass-2026")
    with page.expect_navigation():
        press(page, "Enter")
    assert page.url.endswith("/teach/")

    activate(page, "main a[href$='/teach/classes/new']")
    type_into(page, "input[name=name]", "Keyboard class")
    tab_to(page, "select[name=locale]")
    press(page, "ArrowDown")  # 한국어 -> English
    assert page.locator("select[name=locale]").input_value() == "en"
    activate(page, "main form button[type=submit]")
    assert re.search(r"/teach/classes/\d+$", page.url)
    activate(page, "nav.class-nav a[href$='/assignments']")

    tab_to(page, "select[name=target]")
    module = page.locator("select[name=target]").input_value()
    activate(page, "form[action$='/assignments'] button[type=submit]:not([name])")  # Assign
    assert page.locator(".flash").count(), "a confirmation after assigning"
    assert page.locator(".assignment").count() == 1
    assert page.locator(f".assignment a[href*='/guide/{module}']").count() == 1
