"""The facts registry (facts/<COUNTRY>.yaml), inline citations [[fact:ID]], the rule that a statistic or penalty
in prose is a citation, review dates, unverified entries and verification notes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from edu.content.checker import check_tree
from edu.content.facts import uncited_numbers

from .conftest import messages

FACTS = """\
country: KR
facts:
  - id: moe-crime
    value: "89.4%"
    wording: {ko: "89.4%", en: "89.4%"}
    source: {title: "Newsis, 11 Dec 2024", url: "https://mobile.newsis.com/view/NISX20241211_0002992344"}
    last_verified: 2026-12-01
    review_by: 2027-06-01
  - id: art14-2-viewing-max
    value: "up to 3 years or 30 million won"
    wording: {ko: "3년 이하의 징역 또는 3천만 원 이하의 벌금", en: "up to 3 years in prison or a fine of up to ₩30 million"}
    source: {title: "CNA, Sept 2024"}
    last_verified: 2026-12-01
    review_by: 2027-06-01
  - id: police-2025
    value: "3,557 people"
    wording: {ko: "3,557명", en: "3,557"}
    source: {title: "Yonhap, 16 Nov 2025"}
    note: "marked [CHECK] in the fact sheet"
"""

LESSON_EN = "lessons/en/consent/basics.md"
LESSON_KO = "lessons/ko/consent/basics.md"


@pytest.fixture
def cited(tree):
    tree.add("facts/KR.yaml", text=FACTS)
    return tree


def _text(lesson) -> str:
    return " ".join(getattr(seg, "html", "") for step in lesson.steps for seg in step.segments)


def test_a_citation_shows_the_wording_of_the_page_language_linked_to_its_source(cited):
    cited.edit(LESSON_EN, "You ask before you borrow a charger.",
               "[[fact:moe-crime]] of students agree. Viewing one: [[fact:art14-2-viewing-max]].")
    catalog = cited.load()
    assert messages(catalog, LESSON_EN) == []
    html = _text(catalog.lesson("consent-basics", "en"))
    assert '<a href="https://mobile.newsis.com/view/NISX20241211_0002992344" title="Newsis, 11 Dec 2024" ' \
           'rel="noopener noreferrer">89.4%</a> of students agree' in html
    # a source without a url: the wording alone, no link
    assert "Viewing one: up to 3 years in prison or a fine of up to ₩30 million." in html
    assert "[[fact:" not in html


def test_a_citation_in_korean_uses_the_korean_wording_and_works_in_plain_text_fields(cited):
    path = "quizzes/ko/consent/consent-quiz.yaml"
    cited.edit(path, '{id: a, text: "사진 찍는 것만"', '{id: a, text: "[[fact:moe-crime]]가 동의해요"')
    cited.edit(path, 'explanation: "동의는 구체적이에요.', 'explanation: "보기만 해도 [[fact:art14-2-viewing-max]]이에요. 동의는 구체적이에요.')
    catalog = cited.load()
    assert messages(catalog, path) == []
    question = catalog.quiz("consent-quiz", "ko").questions[0]
    assert question.options[0].text == "89.4%가 동의해요"  # plain text: no Markdown, no link
    assert "보기만 해도 3년 이하의 징역 또는 3천만 원 이하의 벌금이에요." in question.explanation_html

def test_an_unknown_or_unverified_citation_is_an_error_and_keeps_the_file_from_students(cited):
    cited.edit(LESSON_EN, "You ask before you borrow a charger.", "[[fact:no-such-fact]] and [[fact:police-2025]].")
    catalog = cited.load()
    errors = messages(catalog, LESSON_EN)
    assert any("unknown fact 'no-such-fact'" in e for e in errors), errors
    assert any("fact 'police-2025' is not verified" in e for e in errors), errors
    assert catalog.lesson("consent-basics", "en") is None  # withheld from students
    assert catalog.lesson("consent-basics", "en", include_invalid=True) is not None  # authors still see it


def test_unverified_entries_are_listed_for_the_author_but_are_not_warnings(cited):
    code, report = check_tree(Path("content"), today=date(2026, 12, 1))
    assert code == 0, report
    assert "content/facts/KR.yaml:15: unverified: fact 'police-2025' is unverified" in report
    assert "(marked [CHECK] in the fact sheet)" in report
    assert "unverified: 1 entries kept off students' pages until a person checks them" in report
    assert report.splitlines()[-1] == "OK: 0 errors, 0 warnings"


@pytest.mark.parametrize("number", [
    "89.4%", "30 퍼센트", "2,145명", "61 명", "3건", "3천만 원", "300만 원", "₩30 million", "₩ 3", "50 million won",
    "7년 이하", "3년 이상", "5년 이상의", "최대 7년", "징역 3년", "up to 7 years", "at least 3 years",
    "7 years in prison", "3 years or more",
])
def test_a_number_that_looks_like_a_statistic_or_penalty_is_found(number):
    assert uncited_numbers(f"Some text {number} more text"), number


@pytest.mark.parametrize("text", [
    "Call 1366 or 112, or 02-735-8994.",
    "성폭력처벌법 제14조의2, Art. 14-2, s.66B, Directive (EU) 2024/1385",
    "2024년 10월부터, since 26 September 2024, in 2020, 2024년 11월 30일까지",
    "14세 미만, under 14, from age 10, a 13-year-old, 48 hours",
    "[[fact:moe-crime]] of students; [[fact:art14-2-viewing-max]]",
    "a link [Newsis](https://mobile.newsis.com/view/NISX20241211_0002992344) and `99%` in code",
    "다섯 명 중 한 명쯤, 몇백 명 있는 방",
])
def test_help_lines_articles_dates_ages_citations_and_words_are_not_statistics(text):
    assert uncited_numbers(text) == []


def test_an_uncited_statistic_in_a_lesson_quiz_guide_or_family_sheet_is_an_error_that_does_not_hide_it(tree):
    tree.edit(LESSON_EN, "You ask before you borrow a charger.", "In a survey, 89.4% of students agreed.")
    tree.edit("guides/ko/consent.md", "\n## ", "\n학생 2,145명에게 물었어요.\n\n## ")
    catalog = tree.load()
    assert any("'89.4%' looks like a statistic or penalty" in m for m in messages(catalog, LESSON_EN))
    assert any("'2,145명' looks like a statistic or penalty" in m for m in messages(catalog, "guides/ko/consent.md"))
    assert catalog.lesson("consent-basics", "en") is not None  # an error for the checker, still served
    code, _report = check_tree(tree.root, today=date(2026, 12, 1))
    assert code == 1


def test_the_legal_registry_cites_facts_and_is_not_held_to_the_number_rule(cited):
    cited.edit("legal/KR.yaml", 'ko: "소지·시청: 3년 이하."', 'ko: "소지·시청: [[fact:art14-2-viewing-max]]. 예전에는 3년 이하라고 썼어요."')
    catalog = cited.load()
    assert messages(catalog, "legal/KR.yaml") == []
    fact = catalog.legal_facts("KR", ["art14-2-viewing"], "ko")[0]
    assert fact.text.startswith("소지·시청: 3년 이하의 징역 또는 3천만 원 이하의 벌금.")

def test_review_dates_of_facts_past_is_an_error_soon_is_a_warning(cited):
    catalog = cited.load(today=date(2027, 6, 2))
    assert any("fact 'moe-crime' is past the review date 2027-06-01" in m for m in messages(catalog, "facts/KR.yaml"))
    catalog = cited.load(today=date(2027, 5, 20))
    assert any("fact 'moe-crime' due for review by 2027-06-01" in m
               for m in messages(catalog, "facts/KR.yaml", "warning"))


def test_a_fact_needs_both_dates_or_neither_and_a_dated_source(tree):
    tree.add("facts/KR.yaml", text="""\
country: KR
facts:
  - id: half-dated
    value: "1"
    wording: {ko: "1%", en: "1%"}
    source: {title: "A title without any date"}
    last_verified: 2026-12-01
""")
    errors = messages(tree.load(), "facts/KR.yaml")
    assert any("'last_verified' and 'review_by' go together in fact 'half-dated'" in e for e in errors), errors
    assert any("'source' needs a url, or a title with its date in fact 'half-dated'" in e for e in errors), errors


def test_a_verification_note_in_text_readers_see_is_an_error(tree):
    tree.edit(LESSON_EN, "You ask before you borrow a charger.", "The number is still to be confirmed.")
    tree.edit("help/KR.yaml", 'ko: "상담과 영상물 삭제 지원."', 'ko: "상담과 영상물 삭제 지원. 직통번호는 현재 운영 여부를 확인 중이에요."')
    catalog = tree.load()
    assert any("verification note 'to be confirmed'" in m for m in messages(catalog, LESSON_EN))
    assert any("verification note '확인 중'" in m for m in messages(catalog, "help/KR.yaml"))

def test_an_unverified_help_resource_is_never_shown_and_is_listed_for_the_author(tree):
    tree.edit("help/KR.yaml", "resources:\n", """resources:
  - key: direct-line
    unverified: "appears in 2024 sources only; to be confirmed with the centre"
    name: {en: "Direct line", ko: "직통 전화"}
    phone: "02-000-0000"
    text: {en: "A direct number.", ko: "직통 번호예요."}
    topics: [removal]
""")
    catalog = tree.load()
    assert "direct-line" not in [r.key for r in catalog.help_for("KR", "ko")]
    notes = messages(catalog, "help/KR.yaml", "note")
    assert any("help resource 'direct-line' is unverified: appears in 2024 sources only" in n for n in notes)
    assert messages(catalog, "help/KR.yaml") == []  # a note for authors may say "to be confirmed"


def test_a_country_line_is_shown_only_to_classes_in_that_country(tree):
    tree.edit("help/INTL.yaml", "resources:\n", """resources:
  - key: lifeline-au
    countries: [AU]
    name: {en: "Lifeline", ko: "라이프라인"}
    phone: "13 11 14"
    text: {en: "Crisis line.", ko: "위기 상담 전화예요."}
    topics: [crisis]
""")
    catalog = tree.load()
    assert "lifeline-au" in [r.key for r in catalog.help_for("AU", "en")]
    assert "lifeline-au" not in [r.key for r in catalog.help_for("GB", "en")]
    assert "lifeline-au" in [r.key for r in catalog.help_for("INTL", "en")]  # the author's view: all


def test_a_key_missing_from_the_korean_legal_file_is_found_in_the_international_one(tree):
    tree.add("legal/INTL.yaml", text="""\
country: INTL
facts:
  - key: us-law
    title: {en: "US law", ko: "미국 법"}
    text: {en: "A US law.", ko: "미국 법이에요."}
    source: {title: "A US law, signed 19 May 2025"}
    last_verified: 2026-12-01
    review_by: 2027-06-01
""")
    catalog = tree.load()
    assert [f.key for f in catalog.legal_facts("KR", ["us-law"], "en")] == ["us-law"]
    assert catalog.legal_facts("US", ["art14-2-viewing"], "en") == []  # never the other way round


def test_correcting_an_entry_corrects_every_page_that_cites_it(cited):
    cited.edit(LESSON_EN, "You ask before you borrow a charger.", "[[fact:moe-crime]] agree.")
    assert "89.4%" in _text(cited.load().lesson("consent-basics", "en"))
    cited.edit("facts/KR.yaml", 'wording: {ko: "89.4%", en: "89.4%"}', 'wording: {ko: "89.5%", en: "89.5%"}')
    html = _text(cited.load().lesson("consent-basics", "en"))
    assert "89.5%" in html and "89.4%" not in html
