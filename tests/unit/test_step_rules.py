"""The step rules of issue 30 (edu/content/steps.py): how a step's prose is counted, and the two warnings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from edu.content.fields import FileResult
from edu.content.lessons import parse_lesson
from edu.content.model import Audience, Html, Reflection, Step
from edu.content.steps import MAX_CHARACTERS, MAX_WORDS, check_steps, plain_text, prose_size, size

HEAD = """---
id: rules
module: consent
order: 1
title: Rules
summary: S.
age_bands: [middle, high]
minutes: 5
status: draft
updated: 2026-11-24
---
"""
# Text an author might write inside a block: words in both languages, Markdown marks, blank lines.
BODY_TEXT = st.text(alphabet=st.sampled_from(list("abc xyz 가나다 라마 *_#>-.\n")), max_size=400)
OTHER_BLOCKS = ("law", "content-note")  # Markdown bodies; YAML blocks below


def lesson(body: str, locale: str = "en"):
    res = FileResult("lesson", f"content/lessons/{locale}/consent/rules.md", locale)
    parse_lesson(res, HEAD + body, locale, "consent")
    assert not res.has_errors, [str(i) for i in res.issues]
    return res.obj, [i for i in res.issues if i.severity == "warning"]


def words(n: int, word: str = "word") -> str:
    return " ".join([word] * n)


def test_english_counts_words_of_the_rendered_text_not_the_markup():
    assert size(plain_text("<p><strong>Ask</strong> first, <a href='https://x.example/a/b'>then</a> post.</p>"),
                "en") == 4
    step, _ = lesson("## One {#one}\n\n**Ask** _first_, [then](https://example.org/long/link) post.\n\n"
                     "- a list\n- of three\n")
    assert prose_size(step.steps[0], "en") == 9


def test_korean_counts_characters_without_whitespace():
    assert size("주황 부엉이 47", "ko") == size("주황부엉이47", "ko") == 7
    step, _ = lesson("## 하나 {#one}\n\n**동의는** 분명한 \"좋아\"예요.\n", "ko")
    assert prose_size(step.steps[0], "ko") == len("동의는분명한\"좋아\"예요.")


@settings(max_examples=60, deadline=None)
@given(inside=BODY_TEXT, kind=st.sampled_from(OTHER_BLOCKS), locale=st.sampled_from(("en", "ko")))
def test_text_inside_a_block_never_counts(inside, kind, locale):
    prose = "Some prose here, 몇 마디 말.\n"
    without, _ = lesson(f"## One {{#one}}\n\n{prose}\n:::reflection\nid: r\nprompt: P?\n:::\n", locale)
    if not inside.strip():
        inside = "x"
    with_block, _ = lesson(f"## One {{#one}}\n\n{prose}\n:::{kind}\n{inside}\n:::\n\n"
                           f":::reflection\nid: r\nprompt: \"{inside.replace(chr(10), ' ')}\"\n:::\n", locale)
    assert prose_size(with_block.steps[0], locale) == prose_size(without.steps[0], locale)


@settings(max_examples=60, deadline=None)
@given(shared=st.integers(0, 40), middle=st.integers(0, 40), high=st.integers(0, 40),
       university=st.integers(0, 40))
def test_the_largest_age_band_counts_and_only_the_lessons_bands(shared, middle, high, university):
    """The lesson is for middle and high: the university block is never shown, so it never counts."""
    step = Step("one", "One", (
        Html(f"<p>{words(shared)}</p>"), Audience(("middle",), f"<p>{words(middle)}</p>"),
        Audience(("high",), f"<p>{words(high)}</p>"), Audience(("university",), f"<p>{words(university)}</p>"),
        Reflection("r", "P?"),
    ))
    assert prose_size(step, "en", ("middle", "high")) == shared + max(middle, high)
    both = Step("two", "Two", (Html(f"<p>{words(shared)}</p>"), Audience(("middle", "high"), f"<p>{words(middle)}</p>")))
    assert prose_size(both, "en", ("middle", "high")) == shared + middle


def test_a_step_over_the_limit_warns_on_its_heading_line():
    body = f"## Long {{#long}}\n\n{words(MAX_WORDS)}\n\n:::law\n{words(500)}\n:::\n\n" \
           f":::reflection\nid: r\nprompt: P?\n:::\n\n## Longer {{#longer}}\n\n{words(MAX_WORDS + 1)}\n\n" \
           ":::flip\nid: f\nstatement: S.\nanswer: myth\nexplanation: E.\n:::\n"
    _, warnings = lesson(body)
    assert [(w.line, w.message) for w in warnings] == [
        (25, f"step 'longer' has {MAX_WORDS + 1} words of prose (at most {MAX_WORDS}): shorten it, or move the "
             "legal detail into a ':::law' block")]
    _, korean = lesson(f"## 길게 {{#long}}\n\n{'가' * (MAX_CHARACTERS + 1)}\n\n:::reflection\nid: r\nprompt: P?\n:::\n",
                       "ko")
    assert [w.message for w in korean] == [
        f"step 'long' has {MAX_CHARACTERS + 1} characters without spaces of prose (at most {MAX_CHARACTERS}): "
        "shorten it, or move the legal detail into a ':::law' block"]


def test_two_steps_in_a_row_with_nothing_to_do_warn_on_the_second():
    doing = {
        "check": ":::check\nid: c\nquestion: Q?\noptions:\n  - {id: a, text: A, correct: true}\n"
                 "  - {id: b, text: B}\nexplanation: E.\n:::\n",
        "reveal": ":::reveal\nid: v\nprompt: P?\ntext: T.\n:::\n",
        "sort": ":::sort\nid: s\nquestion: Q?\ngroups:\n  - {id: y, text: Y}\n  - {id: n, text: N}\nitems:\n"
                "  - {id: a, text: A, group: y}\n  - {id: b, text: B, group: n}\n  - {id: c, text: C, group: n}\n"
                "explanation: E.\n:::\n",
    }
    idle = ":::law\nArticle 1.\n:::\n\n:::mythfact\nmyth: M.\nfact: F.\n:::\n"
    for kind, block in doing.items():
        body = (f"## A {{#a}}\n\nText.\n\n{idle}\n## B {{#b}}\n\nText.\n\n{block}\n## C {{#c}}\n\nText.\n\n"
                f"## D {{#d}}\n\nText.\n\n## E {{#e}}\n\nText.\n")
        parsed, warnings = lesson(body)
        assert [w.message.split(" and ")[0] for w in warnings] == ["step 'd'", "step 'e'"], kind
        assert all("have nothing to do" in w.message for w in warnings)
        assert check_steps(parsed, "p", {}) == [w.__class__("p", 1, w.message, "warning") for w in warnings]
