"""The worksheet of a module for teachers, through the Flask test client: reached from the class page, shown in
both languages with ruled lines to write on and a print layout, never to students."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edu.extensions import db
from edu.teach import services as teach
from tests import factories
from tests.conftest import make_test_app, wipe_database

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "content" / "fixtures" / "valid" / "content" / "worksheets"


@pytest.fixture(scope="module")
def sheet_app(base_app, database_url, tmp_path_factory):
    """The app on the same test database, reading content/ with a worksheet added for the consent module."""
    dest = tmp_path_factory.mktemp("worksheets") / "content"
    shutil.copytree(ROOT / "content", dest)
    for locale in ("ko", "en"):
        (dest / "worksheets" / locale).mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURE / locale / "consent.md", dest / "worksheets" / locale / "consent.md")
    return make_test_app(database_url, EDU_CONTENT_DIR=str(dest))


@pytest.fixture
def teacher(app, sheet_app):
    wipe_database(sheet_app)
    with sheet_app.app_context():
        owner = factories.teacher("owner@school.kr")
        classroom = factories.classroom(owner, locale="ko", country="KR")
        teach.assign(classroom, "module", "consent")
        teach.assign(classroom, "module", "respect")
        student, pin = factories.student(classroom)
        db.session.commit()
        client = sheet_app.test_client()
        factories.sign_in_staff(client, "owner@school.kr")
        yield sheet_app, client, classroom, student, pin
    wipe_database(sheet_app)


def test_the_class_page_links_the_worksheet_of_a_module_that_has_one(teacher):
    _app, client, classroom, _student, _pin = teacher
    page = client.get(f"/teach/classes/{classroom.id}/assignments").text
    assert page.count('href="/worksheet/') == 1
    assert 'href="/worksheet/consent?locale=ko&amp;country=KR"' in page


@pytest.mark.parametrize(("locale", "title", "label", "privacy"), [
    ("ko", "활동지: 동의", "내가 보낼 메시지", "이름은 쓰지 않습니다."),
    ("en", "Worksheet: Consent", "My message", "No name needed"),
])
def test_the_worksheet_renders_with_ruled_lines_in_both_languages(teacher, locale, title, label, privacy):
    _app, client, _classroom, _student, _pin = teacher
    response = client.get(f"/worksheet/consent?locale={locale}&country=KR")
    assert response.status_code == 200
    page = response.text
    assert 'class="document document--worksheet"' in page and f'lang="{locale}"' in page
    assert f"<h1>{title}</h1>" in page and f'<p class="write__label">{label}</p>' in page
    assert page.count('<span class="write__line"></span>') == 3
    assert privacy in page  # the reminder is printed in the worksheet's language, whatever the teacher reads
    assert 'class="callout no-print"' in page  # the printing hint is for the screen only
    assert "block--help" in page  # help lines of the class's country, as in other documents
    assert ":::" not in page


def test_no_worksheet_is_a_404_and_students_cannot_open_one(teacher):
    app, client, classroom, student, pin = teacher
    assert client.get("/worksheet/respect?locale=ko").status_code == 404
    assert client.get("/worksheet/consent?locale=xx").status_code == 404
    with app.app_context():
        learner = app.test_client()
        factories.sign_in_student(learner, classroom, student, pin)
        assert learner.get("/worksheet/consent?locale=ko").status_code in (302, 403)
