"""The real curriculum against the corrected fact sheet (../shared/content-facts.md, December 2026): the known
wrong phrasings are gone from every content file in both languages, and what the sheet requires is there."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from edu.content import load_catalog

CONTENT = Path(__file__).resolve().parents[2] / "content"
# Everything authors write that a reader sees; the registry files are where numbers are allowed to live.
FILES = sorted(
    p for p in CONTENT.rglob("*")
    if p.suffix in (".md", ".yaml") and p.parts[len(CONTENT.parts)] in
    ("lessons", "quizzes", "guides", "family", "pages", "help", "legal")
)
ALL_FILES = sorted(p for p in CONTENT.rglob("*") if p.suffix in (".md", ".yaml"))

# (what is wrong, pattern), case-insensitive, over every file of FILES
KNOWN_WRONG = [
    ("29.7% is a share of the anxious students; it is cited from facts/, never written out", r"29[.,]7"),
    ("one room for a single school with over 2,000 members", r"2,000\s*(명|members)|over 2,000|2,000명"),
    ("500 schools named within a week", r"500\s*(곳|schools)|일주일 만에 500"),
    ("the unverified ACOSAV counts 86/238", r"\b86\s*(명|adolescent)|\b238\s*(명|in the first)"),
    ("making or sharing a crime only since October 2024",
     r"since (october )?2024,? (making|creating|to make)|2024년 (10월)?부터[^.\n]{0,40}(만드는|제작)"
     r"|since 2024,? making"),
    ("117 described as run by the ministries", r"run together with the education|교육부와 성평등 담당 부처가 함께 운영"),
    ("the old name of the 1377 body as its current name", r"name: .*Korea Communications Standards Commission 1377"
     r"|ko: \"방송통신심의위원회 1377"),
    ("verification notes students could see", r"to be confirmed|확인 중이에요|현재 운영 여부"),
    ("help promised to stay confidential", r"confidential help|confidential advice|비밀이 보장되는"),
    ("students told they can take time to decide before an adult reports",
     r"take time to decide|시간을 두고 결정"),
    ("a changed consent list attributed to F.R.I.E.S.", r"\*\*Ongoing\.\*\*|\*\*계속 확인해요\.\*\*"),
    ("victims told never to keep evidence, even of their own case",
     r"\*\*Don't save, screenshot or forward the image, and don't go looking for it\.\*\*"
     r"|\*\*이미지를 저장·캡처·전달하지 말고, 찾아보지도 마세요\.\*\*"),
]


def test_the_file_list_covers_both_languages():
    names = {str(p.relative_to(CONTENT)) for p in FILES}
    assert "lessons/ko/deepfakes/deepfakes-not-a-joke.md" in names and "guides/en/deepfakes.md" in names
    assert "help/KR.yaml" in names and "family/ko/getting-help.md" in names


@pytest.mark.parametrize(("what", "pattern"), KNOWN_WRONG, ids=[w for w, _ in KNOWN_WRONG])
def test_no_known_wrong_phrasing_is_left_in_any_content_file(what, pattern):
    found = [
        f"{p.relative_to(CONTENT)}:{n}: {line.strip()[:100]}"
        for p in FILES
        for n, line in enumerate(p.read_text("utf-8").splitlines(), 1)
        if re.search(pattern, line, re.IGNORECASE)
    ]
    assert found == [], f"{what}:\n" + "\n".join(found)


def test_the_wrong_phrasings_test_would_find_them():
    """The patterns match the phrasings the lessons had before the correction."""
    before = [
        "**29.7%** said they would not know what to do",
        "One room for a single school had over 2,000 members.",
        "한 학교의 방에는 2,000명이 넘게 들어가 있었어요. 일주일 만에 500곳이 넘는 학교",
        "ACOSAV told the BBC it counselled 86 adolescent deepfake victims in 2023 and 238 in the first eight months",
        "In Korea, since 2024, making a sexual deepfake is a crime",
        "run together with the education and gender equality ministries",
        "the name and number are still to be confirmed",
        "직통번호 02-735-8994는 2024년 자료에 나온 번호로, 현재 운영 여부를 확인 중이에요.",
        "there is confidential help. In Korea, 1388",
        "You can do one, both, or take time to decide",
        "5. **Ongoing.** Consent is checked again",
        "2. **Don't save, screenshot or forward the image, and don't go looking for it.** Note",
    ]
    for text in before:
        assert any(re.search(p, text, re.IGNORECASE) for _, p in KNOWN_WRONG), text


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(CONTENT, today=date.today())


def test_every_teacher_guide_gives_the_duty_to_report_and_the_procedure(catalog):
    for module in catalog.modules:
        for locale in ("ko", "en"):
            guide = catalog.guide(module.id, locale)
            section = guide.section("disclosure")
            html = " ".join(getattr(seg, "html", "") for seg in section.segments)
            keys = [k for seg in section.segments if seg.kind == "legal" for k in seg.keys]
            assert "art34-duty" in keys, (module.id, locale)
            fine = "a fine of up to ₩3 million" if locale == "en" else "300만 원 이하의 과태료"  # cited from facts/
            for needle in ("Art. 34" if locale == "en" else "제34조", "109", "인권센터", "학교폭력 전담조사관",
                           "분리 조치", fine):
                assert needle in html, (module.id, locale, needle)


def test_students_are_told_what_an_adult_must_do_before_they_disclose(catalog):
    for locale, needle in (("en", "must report it to the police"), ("ko", "경찰에 신고해야 해요")):
        for lesson_id in ("getting-help-not-your-fault", "getting-help-friend", "law-kr-what-happens"):
            lesson = catalog.lesson(lesson_id, locale)
            html = " ".join(getattr(seg, "html", "") for step in lesson.steps for seg in step.segments)
            assert needle in html.replace("<strong>", "").replace("</strong>", ""), (lesson_id, locale)


def test_the_person_targeted_may_keep_evidence_of_their_own_case(catalog):
    for locale, needle in (("en", "keep evidence"), ("ko", "증거")):
        lesson = catalog.lesson("getting-help-not-your-fault", locale)
        first_steps = lesson.step("first-steps")
        html = " ".join(getattr(seg, "html", "") for seg in first_steps.segments)
        assert needle in html and ("ACOSAV" in html or "디지털성범죄피해자지원센터" in html), locale


def test_consent_is_taught_as_fries(catalog):
    for locale, parts in (
        ("en", ("Freely given", "Reversible", "Informed", "Enthusiastic", "Specific")),
        ("ko", ("자유로워요", "언제든 철회할 수 있어요", "알고 하는 거예요", "진심으로 원해서 해요", "구체적이에요")),
    ):
        html = " ".join(seg.html for seg in catalog.lesson("consent-basics", locale).step("five-parts").segments
                        if seg.kind == "html")
        positions = [html.index(part) for part in parts]
        assert positions == sorted(positions), locale
        assert "F.R.I.E.S." in html


def test_students_see_only_verified_help_and_the_help_lines_the_sheet_names(catalog):
    for locale in ("ko", "en"):
        korea = catalog.help_for("KR", locale)
        phones = {r.phone for r in korea}
        assert {"1366", "112", "117", "1377", "1388", "109"} <= phones
        assert "02-735-8994" not in phones and not any("02-1388" in r.text for r in korea)
        school = next(r for r in korea if r.key == "school-117")
        assert ("police" in school.text) if locale == "en" else ("경찰청이 운영" in school.text)
        kcsc = next(r for r in korea if r.key == "kcsc-1377")
        assert "방송미디어통신심의위원회" in kcsc.name + kcsc.text
        for country, line in (("GB", "116 123"), ("AU", "13 11 14"), ("US", "988")):
            assert line in {r.phone for r in catalog.help_for(country, locale)}, country


def test_the_international_lessons_name_each_countrys_law_with_review_dates(catalog):
    keys = ["us-take-it-down", "uk-intimate-images", "au-deepfake-act", "eu-directive"]
    facts = catalog.legal_facts("KR", keys, "en")  # the lesson box asks with KR; INTL keys are found too
    assert [f.key for f in facts] == keys
    assert all(f.last_verified and f.review_by for f in facts)
    assert "6 February 2026" in facts[1].text and "19 May 2025" in facts[0].text
    lesson = catalog.lesson("law-intl-basics", "ko")
    boxes = [k for step in lesson.steps for seg in step.segments if seg.kind == "legal" for k in seg.keys]
    assert set(keys) <= set(boxes)


def test_threats_against_minors_cite_youth_act_article_11_2(catalog):
    fact = catalog.legal_facts("KR", ["youth-11-2-threats"], "ko")[0]
    assert "3년 이상의 징역" in fact.text and "5년 이상의 징역" in fact.text
    for locale in ("ko", "en"):
        lesson = catalog.lesson("law-kr-acts", locale)
        boxes = [k for step in lesson.steps for seg in step.segments if seg.kind == "legal" for k in seg.keys]
        assert "youth-11-2-threats" in boxes


def test_no_raw_statistic_outside_the_registry():
    """29.7, 54.8, 89.4 and the penalties live in facts/ only: any other file cites them."""
    for p in ALL_FILES:
        if p.parts[len(CONTENT.parts)] in ("facts", "surveys"):
            continue
        text = "\n".join(line for line in p.read_text("utf-8").splitlines()
                         if not line.lstrip().startswith(("title:", "- title:", "source:")))  # sources may name it
        for number in ("89.4%", "54.8%", "44.1%", "80.8%", "5천만 원", "₩50 million"):
            assert number not in text, (str(p.relative_to(CONTENT)), number)
