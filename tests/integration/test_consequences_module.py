"""The consequences module (issue 40: "you won't get caught" and what happens next): each band gets its own law,
undercover investigation is taught with its cited facts, the own-behaviour step is honest about the duty to
report, and every lesson previews for a teacher. The parts every module has are checked in
test_module_parts.py."""

from __future__ import annotations

import functools

import pytest
from markupsafe import escape

from edu.content_service import catalog
from tests import factories

MODULE = "consequences"
BANDS = ("middle", "high", "university")
# The person in the band's own story in the first lesson's step 'found'.
STORY_NAMES = {
    ("found", "ko"): {"middle": "도현", "high": "예린", "university": "준서"},
    ("found", "en"): {"middle": "Dohyeon", "high": "Yerin", "university": "Junseo"},
}


@pytest.fixture
def student_client(module_student):
    return functools.partial(module_student, MODULE)






def test_the_ages_step_gives_each_band_its_own_law(student_client):
    """Middle school: under 14 and protective measures from 10; high school: criminal court or juvenile court at
    14 to 18; university: adult criminal courts, with viewing punished too. No band sees another band's paragraph."""
    paragraphs = {
        "ko": {"middle": "10세</a>부터는 가정법원이", "high": "어느 쪽이 될지는 저지른 일과",
               "university": "대학생은 법에서 성인이라 형사재판을"},
        "en": {"middle": "a family court can order protective measures. From", "high": "Which one depends on what they did",
               "university": "are tried in adult criminal courts"},
    }
    for locale, by_band in paragraphs.items():
        for band in BANDS:
            html = student_client(locale, band).get("/learn/lesson/consequences-what-happens?step=2").get_data(as_text=True)
            assert by_band[band] in html, (locale, band)
            assert not any(text in html for other, text in by_band.items() if other != band), (locale, band)


def test_undercover_investigation_is_taught_with_its_cited_facts_and_no_unverified_date(student_client):
    page = student_client("ko", "high").get("/learn/lesson/consequences-caught?step=2").get_data(as_text=True)
    assert "위장수사" in page and "2021년 9월 24일" in page and "1,415명" in page
    label = student_client("en", "high", "GB").get("/learn/lesson/consequences-caught?step=3").get_data(as_text=True)
    assert "AI Basic Act" in label and "22 January 2026" not in label  # [CHECK] in content-facts: kept off the page
    assert "These details are Korea" in student_client("en", "middle", "GB").get(
        "/learn/lesson/consequences-caught?step=2").get_data(as_text=True)


def test_the_own_behaviour_step_is_honest_about_the_duty_to_report_and_offers_help(student_client):
    html = student_client("ko", "middle").get("/learn/lesson/consequences-what-happens?step=4").get_data(as_text=True)
    assert "경찰에 신고해야 해요" in html and "이 단계는 건너뛸래요" in html
    english = student_client("en", "high").get("/learn/lesson/consequences-what-happens?step=4").get_data(as_text=True)
    assert "must report it to the police" in english








def test_every_lesson_previews_for_a_teacher_in_both_languages_and_all_bands_but_not_for_a_student(app, ctx,
                                                                                                 student_client):
    factories.teacher("preview@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "preview@school.kr")
    for locale in ("ko", "en"):
        for band in BANDS:
            names = STORY_NAMES[("found", locale)]
            for lesson in catalog().lessons_for(MODULE, locale, region="KR"):
                for number, step in enumerate(lesson.steps, 1):
                    page = client.get(f"/preview/lesson/{lesson.id}?locale={locale}&band={band}&country=KR"
                                      f"&step={number}")
                    assert page.status_code == 200, (locale, band, lesson.id, step.id)
                    html = page.get_data(as_text=True)
                    assert str(escape(step.title)) in html and "[[fact:" not in html
                    if step.id == "found":
                        assert names[band] in html, (locale, band)
    student = student_client("ko", "middle")
    assert student.get("/preview/lesson/consequences-caught?locale=ko&band=middle").status_code == 403
