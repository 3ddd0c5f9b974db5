"""The session cookie (edu/session_cookie.py): a verified cookie is kept, and kept cookies are refused exactly
when Flask would refuse them."""

from __future__ import annotations

import time

import pytest

from edu import session_cookie
from edu.extensions import db
from tests import factories


@pytest.fixture
def student_client(app, ctx):
    classroom = factories.classroom(factories.teacher(), locale="en")
    student, pin = factories.student(classroom)
    db.session.commit()
    client = app.test_client()
    assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
    return client


def kept_cookies(app) -> dict:
    return app.session_interface._verified


def signed_in(client) -> bool:
    return client.get("/learn/").status_code == 200


def open_session(app, cookie: str):
    """The session the app opens for a request carrying ``cookie``."""
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        from flask import request

        return app.session_interface.open_session(app, request)


def test_a_cookie_is_verified_once_and_keeps_the_student_signed_in(app, student_client):
    assert signed_in(student_client)  # the first page after signing in changes the session
    cookie = student_client.get_cookie("session").value
    kept_cookies(app).clear()
    assert signed_in(student_client) and signed_in(student_client)
    assert student_client.get_cookie("session").value == cookie
    assert [header for _keys, header in kept_cookies(app)] == [f"session={cookie}"]  # verified once, then kept


def test_each_request_gets_its_own_copy_of_the_session(app, student_client):
    with student_client.session_transaction() as saved:
        saved["pending_quiz"] = {"quiz": "q", "answers": {"q1": ["a"]}}
    cookie = student_client.get_cookie("session").value
    first = open_session(app, cookie)
    first["pending_quiz"]["answers"]["q1"].append("b")  # changed in place, as a careless view might
    second = open_session(app, cookie)
    assert second["pending_quiz"] == {"quiz": "q", "answers": {"q1": ["a"]}}
    assert second["_user_id"] == first["_user_id"]


def test_a_session_of_plain_values_is_copied_for_each_request(app, student_client):
    assert signed_in(student_client)
    cookie = student_client.get_cookie("session").value
    kept_cookies(app).clear()
    first = open_session(app, cookie)
    assert isinstance(next(iter(kept_cookies(app).values()))[1], dict)  # kept parsed: every value is immutable
    seen, user_id = first["seen"], first["_user_id"]
    first["seen"] = 0
    first["_user_id"] = "s:999:1"
    first["locale"] = "ko"
    second = open_session(app, cookie)
    assert (second["seen"], second["_user_id"], "locale" in second) == (seen, user_id, False)
    assert not second.modified


def test_the_same_session_cookie_beside_other_cookies_is_verified_apart_and_refused_when_forged(app, student_client):
    assert signed_in(student_client)
    cookie = student_client.get_cookie("session").value
    kept_cookies(app).clear()
    assert signed_in(student_client)
    student_client.set_cookie("other", "1")
    assert signed_in(student_client)
    assert len(kept_cookies(app)) == 2  # one entry per Cookie header
    payload, _, signature = cookie.rpartition(".")
    student_client.set_cookie("session", f"{payload}.{signature[:-2]}{'AA' if not signature.endswith('AA') else 'BB'}")
    assert not signed_in(student_client)


def test_a_changed_cookie_is_refused_even_after_the_real_one_was_kept(app, student_client):
    assert signed_in(student_client)
    cookie = student_client.get_cookie("session").value
    payload, _, signature = cookie.rpartition(".")
    forged = f"{payload}.{signature[:-2]}{'AA' if not signature.endswith('AA') else 'BB'}"
    student_client.set_cookie("session", forged)
    assert not signed_in(student_client)
    student_client.set_cookie("session", cookie)
    assert signed_in(student_client)


def test_a_kept_cookie_is_refused_once_older_than_the_session_lifetime(app, student_client, monkeypatch):
    assert signed_in(student_client)
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = time.time() + lifetime + 5
    monkeypatch.setattr(session_cookie.time, "time", lambda: later)
    assert not signed_in(student_client)


def test_a_kept_cookie_is_refused_when_the_secret_key_changes(app, student_client):
    assert signed_in(student_client)
    old = app.secret_key
    app.secret_key = "another-secret-key"
    try:
        assert not signed_in(student_client)
    finally:
        app.secret_key = old
    assert signed_in(student_client)


def test_the_kept_cookies_are_dropped_past_the_limit(app, student_client, monkeypatch):
    monkeypatch.setattr(session_cookie, "MAX_VERIFIED_COOKIES", 2)
    kept_cookies(app).clear()
    others = []
    for _ in range(2):
        classroom = factories.classroom(factories.teacher(email=f"t{len(others)}@school.test"), locale="en")
        student, pin = factories.student(classroom)
        db.session.commit()
        other = app.test_client()
        factories.sign_in_student(other, classroom, student, pin)
        others.append(other)
    assert signed_in(student_client) and signed_in(others[0])
    assert len(kept_cookies(app)) == 2
    assert signed_in(others[1])
    assert len(kept_cookies(app)) == 1
    assert all(signed_in(client) for client in (student_client, *others))


def test_an_unchanged_session_sets_no_cookie_and_a_changed_or_emptied_one_does(app, student_client):
    assert signed_in(student_client)  # settles the session after signing in
    unchanged = student_client.get("/learn/")
    assert "Set-Cookie" not in unchanged.headers
    assert "Cookie" in unchanged.headers["Vary"]
    with student_client.session_transaction() as saved:
        saved["seen"] -= 3600  # an hour ago (the idle limit is 30 minutes): the next request signs out
    changed = student_client.get("/learn/")
    assert changed.status_code == 302 and "session=" in changed.headers["Set-Cookie"]
    assert not signed_in(student_client)
