"""The student sign-in form from the page cache: rendered once per language and address, each visitor with their own
CSRF token (and able to sign in with it), and never cached when the page holds something of one visitor."""

from __future__ import annotations

import re

from flask import flash

from edu.auth.signin_page import CACHE, signin_page_key
from edu.extensions import db
from tests import factories
from tests.conftest import make_test_app

CSRF_VALUE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def signin_cache(app):
    cache = app.extensions[CACHE]
    cache._entries.clear()
    cache.hits = cache.misses = 0
    return cache


def test_the_form_is_rendered_once_and_each_visitor_signs_in_with_their_own_token(app, ctx, database_url):
    classroom = factories.classroom(factories.teacher())
    student, pin = factories.student(classroom)
    db.session.commit()
    strict = make_test_app(database_url, WTF_CSRF_ENABLED=True)  # the form carries its token
    cache = signin_cache(strict)
    first, second = strict.test_client(), strict.test_client()
    page_one = first.get("/student/signin", headers={"Accept-Language": "en"})
    page_two = second.get("/student/signin", headers={"Accept-Language": "en"})
    assert page_one.status_code == page_two.status_code == 200
    assert (cache.misses, cache.hits) == (1, 1)
    [token_one], [token_two] = set(CSRF_VALUE.findall(page_one.text)), set(CSRF_VALUE.findall(page_two.text))
    assert token_one != token_two
    assert CSRF_VALUE.sub("", page_one.text) == CSRF_VALUE.sub("", page_two.text)
    # Each token is its visitor's alone: the second visitor's token sent from the first visitor's session is refused.
    refused = first.post("/student/signin", headers={"Sec-Fetch-Site": "same-origin"}, data={
        "csrf_token": token_two, "code": classroom.join_code, "pseudonym": student.pseudonym, "pin": pin})
    assert refused.status_code == 400
    signed_in = second.post("/student/signin", data={
        "csrf_token": token_two, "code": classroom.join_code, "pseudonym": student.pseudonym, "pin": pin})
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/learn/")


def test_each_language_and_a_class_code_from_a_qr_code_are_kept_apart(app):
    cache = signin_cache(app)
    english = app.test_client().get("/student/signin", headers={"Accept-Language": "en"}).text
    korean = app.test_client().get("/student/signin", headers={"Accept-Language": "ko"}).text
    assert "Student sign-in" in english and "학생 로그인" in korean
    with_code = app.test_client().get("/student/signin?code=ABC-123", headers={"Accept-Language": "en"}).text
    assert 'value="ABC-123"' in with_code
    again = app.test_client().get("/student/signin?code=ABC-123", headers={"Accept-Language": "en"}).text
    assert 'value="ABC-123"' in again
    assert (cache.misses, cache.hits, len(cache)) == (3, 1, 3)


def test_other_addresses_signed_in_visitors_and_a_failed_sign_in_are_rendered_afresh(app, ctx):
    factories.teacher("t@school.kr")
    db.session.commit()
    cache = signin_cache(app)
    after_idle = app.test_client().get("/student/signin?next=/learn/", headers={"Accept-Language": "en"})
    assert after_idle.status_code == 200
    made_up = app.test_client().get("/student/signin?code=ABC123&x=1", headers={"Accept-Language": "en"})
    assert made_up.status_code == 200
    odd_code = app.test_client().get("/student/signin?code=%3Cscript%3E", headers={"Accept-Language": "en"})
    assert odd_code.status_code == 200 and "<script>" not in odd_code.text
    teacher = factories.signed_in_staff(app, "t@school.kr")
    assert teacher.get("/student/signin", headers={"Accept-Language": "en"}).status_code == 200
    visitor = app.test_client()
    assert visitor.get("/student/signin?code=ABC123", headers={"Accept-Language": "en"}).status_code == 200
    failed = visitor.post("/student/signin?code=ABC123", headers={"Accept-Language": "en"}, data={
        "code": "ABC123", "pseudonym": "Blue Otter 17", "pin": "000000"})
    assert failed.status_code == 401 and "is not right" in failed.text
    assert len(cache) == 1 and cache.misses == 1  # only the plain form with a code went in


def test_a_message_waiting_for_the_visitor_keeps_the_form_out_of_the_cache(app):
    with app.test_request_context("/student/signin"):
        assert signin_page_key() is not None
    with app.test_request_context("/student/signin"):
        flash("You were signed out.", "info")
        assert signin_page_key() is None
    with app.test_request_context("/student/signin", method="POST"):
        assert signin_page_key() is None
