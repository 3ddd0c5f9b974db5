"""Quick exit leaves nothing behind: /exit ends the session for good and sends the browser away with 303."""

from __future__ import annotations

from tests import factories


def _signed_in_student(app):
    teacher = factories.teacher("exit@school.kr")
    classroom = factories.classroom(teacher, locale="en")
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    return client


def test_exit_ends_the_session_and_clears_the_cookie(app, ctx):
    client = _signed_in_student(app)
    assert client.get("/learn/").status_code == 200
    old_cookie = client.get_cookie("session").value
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers["Location"] == app.config["QUICK_EXIT_URL"]
    cleared = response.headers.getlist("Set-Cookie")
    assert cleared and cleared[0].startswith("session=;") and "Expires=Thu, 01 Jan 1970" in cleared[0]
    assert client.get_cookie("session") is None
    assert client.get("/learn/").status_code == 302  # signed out: back to the sign-in page
    replay = app.test_client()  # a copy of the old cookie does not work either
    replay.set_cookie("session", old_cookie, domain="localhost")
    assert replay.get("/learn/").status_code == 302


def test_exit_without_a_session_sets_no_cookie(client):
    response = client.get("/exit")
    assert response.status_code == 303
    assert response.headers.getlist("Set-Cookie") == []


def test_after_exit_public_pages_set_no_signed_in_cookie(app, ctx):
    client = _signed_in_student(app)
    client.get("/exit")
    for path in ("/", "/help", "/staying-safe"):
        response = client.get(path)
        assert response.status_code == 200
        assert not any("_user_id" in _decoded(app, value) for value in response.headers.getlist("Set-Cookie"))
    assert client.get("/learn/").status_code == 302


def _decoded(app, set_cookie: str) -> str:
    value = set_cookie.split(";", 1)[0].split("=", 1)[1]
    if not value:
        return ""
    return str(app.session_interface.get_signing_serializer(app).loads(value))


def test_the_button_links_to_exit_and_student_pages_are_not_stored(app, ctx):
    client = _signed_in_student(app)
    response = client.get("/learn/")
    page = response.get_data(as_text=True)
    assert 'id="quick-exit" href="/exit"' in page
    assert response.headers["Cache-Control"] == "no-store"
    for path in ("/learn/my-data", "/learn/ask", "/learn/poll", "/learn/talk"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_staying_safe_says_what_really_happens(client):
    english = client.get("/staying-safe", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "signs you out" in english
    korean = client.get("/staying-safe", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "로그아웃" in korean
