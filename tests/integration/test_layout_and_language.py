"""Every page has the shared layout, in both languages; the language choice is remembered."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from edu.extensions import db
from edu.models import Account
from tests import factories
from tests.conftest import csrf_token_from, make_test_app

PUBLIC_PAGES = ["/", "/help", "/staying-safe", "/signin", "/signup", "/join", "/student/signin",
                "/page/class-agreement"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
@pytest.mark.parametrize("locale", ["ko", "en"])
def test_every_public_page_renders_in_both_languages_with_layout(client, path, locale):
    response = client.get(path, headers={"Accept-Language": locale})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'<html lang="{locale}">' in html
    quick_exit = html.index('class="quick-exit"')
    assert quick_exit < html.index('class="skip-link"') < html.index("<main")  # first in tab order
    assert 'href="/help"' in html
    assert ("도움 받기" if locale == "ko" else "Get help") in html
    assert ("빠른 나가기" if locale == "ko" else "Quick exit") in html
    assert 'name="locale" value="ko"' in html and 'name="locale" value="en"' in html


def test_signed_in_pages_render_in_both_languages(app, ctx):
    owner = factories.teacher("owner@school.kr")
    classroom = factories.classroom(owner)
    student, pin = factories.student(classroom)
    factories.staff("author", "author@school.kr")
    factories.staff("admin", "admin@school.kr", school=owner.school)
    pages = {
        "owner@school.kr": ["/teach/", "/teach/classes/new", f"/teach/classes/{classroom.id}"],
        "author@school.kr": ["/author/"],
        "admin@school.kr": ["/admin/"],
    }
    for locale in ("ko", "en"):
        for email, paths in pages.items():
            client = app.test_client()
            factories.sign_in_staff(client, email)
            client.post("/language", data={"locale": locale})
            for path in paths:
                response = client.get(path)
                assert response.status_code == 200, path
                assert f'<html lang="{locale}">' in response.get_data(as_text=True), path
        student_client = app.test_client()
        factories.sign_in_student(student_client, classroom, student, pin)
        student_client.post("/language", data={"locale": locale})
        assert f'<html lang="{locale}">' in student_client.get("/learn/").get_data(as_text=True)


def test_language_defaults_from_the_browser(client):
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(True)
    assert '<html lang="ko">' in client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9"}).get_data(True)


def test_language_switch_is_remembered_per_user(app, ctx):
    factories.teacher("kim@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "kim@school.kr")
    response = client.post("/language", data={"locale": "en", "next": "/teach/"})
    assert response.headers["Location"].endswith("/teach/")
    db.session.commit()  # end the test's transaction: see what the requests wrote
    assert db.session.scalar(select(Account)).locale == "en"
    # A new device with a Korean browser still gets the teacher's choice after signing in.
    other_device = app.test_client()
    factories.sign_in_staff(other_device, "kim@school.kr")
    html = other_device.get("/teach/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert '<html lang="en">' in html


def test_students_default_to_their_class_language(app, ctx):
    classroom = factories.classroom(factories.teacher(), locale="en")
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    assert '<html lang="en">' in client.get("/learn/", headers={"Accept-Language": "ko"}).get_data(True)


def test_language_switch_ignores_unknown_languages_and_outside_redirects(client):
    response = client.post("/language", data={"locale": "fr", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"] in ("/", "http://localhost/")
    assert '<html lang="ko">' in client.get("/", headers={"Accept-Language": "ko"}).get_data(True)


def test_korean_pages_have_no_untranslated_layout_text(client):
    html = client.get("/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    for english in ("Quick exit", "Get help", "Skip to content", "Sign in"):
        assert english not in html


def test_csrf_token_required_on_every_form(database_url):
    app = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    for path in ("/signup", "/signin", "/join", "/student/signin", "/signout"):
        for headers, refused in (({"Sec-Fetch-Site": "same-origin"}, 400), ({}, 403)):  # 403: not from our page
            response = client.post(path, data={"email": "a@b.kr", "password": "x" * 10, "code": "ABCDEF"},
                                   headers=headers)
            assert response.status_code == refused, path
            assert "Set-Cookie" not in response.headers or refused == 400, path
    # With the token from the page the same form is accepted (validation runs instead).
    page = client.get("/join").get_data(as_text=True)
    response = client.post("/join", data={"code": "ZZZZZZ", "csrf_token": csrf_token_from(page)})
    assert response.status_code == 422


def test_public_pages_set_no_cookie(database_url):
    """A visitor reading the public pages (and a student who used the quick exit) gets no cookie: the language
    buttons need no form token (the session cookie is SameSite=Lax, so another site's POST carries none)."""
    app = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    for path in ("/", "/help", "/help?country=INTL", "/staying-safe", "/page/class-agreement", "/no-such-page"):
        response = client.get(path)
        assert "Set-Cookie" not in response.headers, path
    assert client.get_cookie("session") is None
    switched = client.post("/language", data={"locale": "en", "next": "/help"})  # no token needed
    assert switched.status_code == 302 and switched.headers["Location"].endswith("/help")
    assert '<html lang="en">' in client.get("/help").text


def test_security_headers_on_every_public_page(client):
    for path in PUBLIC_PAGES + ["/no-such-page"]:
        response = client.get(path)
        csp = response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in csp and "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp and "base-uri 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        # No page is kept in the browser's cache, public ones included: nothing to find after a quick exit.
        assert response.headers.getlist("Cache-Control") == ["no-store"], path


def test_no_inline_script_or_style_in_pages(client):
    for path in PUBLIC_PAGES:
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert " style=" not in html and "<style" not in html, path
        assert not re.search(r"<[^>]+\son[a-z]+=", html), path


def test_not_found_page_in_both_languages(client):
    assert "Page not found" in client.get("/nope", headers={"Accept-Language": "en"}).get_data(True)
    ko = client.get("/nope", headers={"Accept-Language": "ko"})
    assert ko.status_code == 404 and "페이지를 찾을 수 없어요" in ko.get_data(True)


def test_language_chosen_before_signing_in_is_remembered_for_the_account(app, ctx):
    factories.teacher("kim@school.kr")
    client = app.test_client()
    client.post("/language", data={"locale": "en"})
    factories.sign_in_staff(client, "kim@school.kr")
    db.session.commit()
    assert db.session.scalar(select(Account.locale).where(Account.email == "kim@school.kr")) == "en"


@pytest.mark.parametrize("class_locale", ["ko", "en"])
def test_the_request_language_is_the_locale_flask_babel_chooses(app, ctx, class_locale):
    from flask import session
    from flask_babel import get_locale

    from edu.i18n import language

    classroom = factories.classroom(factories.teacher(), locale=class_locale)
    student, pin = factories.student(classroom)
    db.session.commit()
    cases = [({"Accept-Language": "ko-KR,ko;q=0.9"}, None, "ko"), ({"Accept-Language": "en-US"}, None, "en"),
             ({"Accept-Language": "en-US"}, "ko", "ko"), ({}, None, app.config["EDU_LANGUAGES"][0])]
    for headers, chosen, expected in cases:
        with app.app_context(), app.test_request_context(headers=headers):  # each request its own context
            if chosen:
                session["locale"] = chosen
            assert language() == str(get_locale()) == expected
    client = app.test_client()
    assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
    cookie = client.get_cookie("session").value
    with app.app_context(), app.test_request_context(headers={"Cookie": f"session={cookie}",
                                                                    "Accept-Language": "en-US"}):
        app.preprocess_request()
        assert language() == str(get_locale()) == class_locale
