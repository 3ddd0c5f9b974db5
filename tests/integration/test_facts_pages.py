"""What students, teachers and visitors see of the facts registry: cited figures on lesson pages, verified help
only, and the duty to report in the teacher guide."""

from __future__ import annotations

import pytest

from edu.content_service import catalog
from tests import factories

GUIDE = "/guide"
NEWSIS = "https://mobile.newsis.com/view/NISX20241211_0002992344"


@pytest.fixture
def student_client(module_student):
    return lambda locale, country="KR": module_student("consent", locale, country=country)


@pytest.mark.parametrize(("locale", "wording"), [("ko", "89.4%</a>가"), ("en", "89.4%</a> said")])
def test_a_cited_figure_reaches_the_lesson_page_linked_to_its_source(student_client, locale, wording):
    lesson = catalog().lesson("consent-basics", locale)
    step = lesson.step_ids.index("wrap-up") + 1
    page = student_client(locale).get(f"/learn/lesson/consent-basics?step={step}").get_data(as_text=True)
    assert f'<a href="{NEWSIS}"' in page and wording in page
    assert "[[fact:" not in page


def test_the_help_page_shows_only_verified_lines(client):
    page = client.get("/help?country=KR", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "109" in page and "1366" in page and "방송미디어통신심의위원회" in page
    assert "02-735-8994" not in page and "02-1388" not in page
    assert "확인 중" not in page and "to be confirmed" not in page


@pytest.mark.parametrize(("locale", "duty", "fine"), [("ko", "제34조", "300만 원 이하의 과태료"),
                                                     ("en", "Art. 34", "a fine of up to ₩3 million")])
def test_the_teacher_guide_tells_teachers_they_must_report(app, ctx, locale, duty, fine):
    teacher = factories.teacher()
    client = app.test_client()
    factories.sign_in_staff(client, teacher.email)
    response = client.get(f"{GUIDE}/deepfakes?locale={locale}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert duty in page and fine in page and "109" in page
    assert "[[fact:" not in page
