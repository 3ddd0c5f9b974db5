"""Security floor: two-step sign-in, common passwords, idle timeout, logs without free text, headers on every
route, escaping of everything a user can type."""

from __future__ import annotations

import logging
import time

import pytest
from sqlalchemy import select

from edu.extensions import db
from edu.teach import services as teach
from tests import factories
from tests.conftest import csrf_token_from


def test_common_passwords_are_refused_in_both_languages(client):
    for password, locale, message in (("password123", "en", "too common"), ("1q2w3e4r", "ko", "너무 흔해서")):
        response = client.post("/signup", data={"school_name": "S", "email": "a@b.kr", "password": password},
                               headers={"Accept-Language": locale})
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    long_password = "a sentence that is long enough " * 3
    assert client.post("/signup", data={"school_name": "S", "email": "a@b.kr", "password": long_password[:90],
                                        **factories.NEW_SCHOOL}).status_code == 200


def test_idle_students_are_signed_out_after_30_minutes_and_keep_their_work(app, ctx, monkeypatch):
    classroom = factories.classroom(factories.teacher())
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    assert client.get("/learn/").status_code == 200
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 29 * 60)
    assert client.get("/learn/").status_code == 200  # 29 minutes later: still signed in
    monkeypatch.setattr(time, "time", lambda: real_time() + 29 * 60 + 31 * 60)
    response = client.get("/learn/")
    assert response.status_code == 302 and "/student/signin" in response.headers["Location"]


def test_idle_staff_get_60_minutes(app, ctx, monkeypatch):
    factories.teacher("kim@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "kim@school.kr")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 45 * 60)
    assert client.get("/teach/").status_code == 200
    monkeypatch.setattr(time, "time", lambda: real_time() + 45 * 60 + 61 * 60)
    assert client.get("/teach/").status_code == 302


def test_logs_are_json_with_ids_only_and_never_free_text_or_pseudonyms(app, ctx, caplog):
    import json

    caplog.set_level(logging.INFO, logger="edu.requests")
    teacher = factories.teacher("kim@school.kr")
    classroom = factories.classroom(teacher, locale="en")
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    from edu.content_service import catalog

    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    canary = "canary-7c1e-reflection"
    client.post(f"/learn/lesson/{lesson.id}/block/{lesson.reflection_ids[0]}?x={canary}", data={"text": canary})
    client.post("/learn/ask", data={"text": canary + " question"})
    client.get(f"/learn/?q={canary}")
    records = [r for r in caplog.records if r.name == "edu.requests"]
    assert records, "no request log lines"
    output = "\n".join(logging.getLogger("edu.requests").handlers[0].format(r) for r in records)
    assert canary not in output and student.pseudonym not in output and classroom.join_code not in output
    line = json.loads(output.splitlines()[-1])
    assert {"request_id", "method", "endpoint", "status", "ms", "user"} <= set(line)
    assert line["user"].startswith("s:")


def test_security_headers_and_no_store_on_every_route(app, ctx):
    """Walk app.url_map: every GET route answers with the headers, signed in or not."""
    owner = factories.teacher("owner@school.kr")
    classroom = factories.classroom(owner)
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        samples = {"classroom_id": classroom.id, "student_id": 1, "attempt_no": 1, "poll_id": 1,
                   "assignment_id": 1, "request_id": 1, "account_id": 1, "fmt": "csv"}
        values = {name: samples.get(name, "x") for name in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        response = client.get(url)
        headers = response.headers
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"], url
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], url
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "same-origin", url
        assert headers.get("Cache-Control") == "no-store", url  # signed in: nothing personal is cached
        checked += 1
    assert checked > 20


def test_security_headers_once_on_errors_static_files_and_a_view_may_set_its_own(database_url):
    from edu.security import fixed_headers
    from tests.conftest import make_test_app

    app = make_test_app(database_url)
    client = app.test_client()

    own_policy = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'"

    @app.get("/test-own-policy")
    def own_policy_view():
        return "ok", 200, {"Content-Security-Policy": own_policy}

    expected = dict(fixed_headers(production=False))
    static_url = next(rule.rule for rule in app.url_map.iter_rules() if rule.endpoint == "static")
    for url in ("/no-such-page", static_url.replace("<path:filename>", "css/app.css"), "/test-own-policy"):
        response = client.get(url)
        for name, value in expected.items():
            if url == "/test-own-policy" and name == "Content-Security-Policy":
                value = own_policy  # the view's own, once
            assert response.headers.getlist(name) == [value], (url, name)
    assert "Strict-Transport-Security" not in expected
    assert dict(fixed_headers(production=True))["Strict-Transport-Security"].startswith("max-age=31536000")
    assert client.get("/no-such-page").headers["Cache-Control"] == "no-store"  # an error page is never kept
    static = client.get(static_url.replace("<path:filename>", "css/app.css"))
    assert static.headers.getlist("Cache-Control") == ["public, max-age=300"]  # its own, and only its own


XSS = '<script>alert(1)</script><img src=x onerror=alert(1)>"\'&'


def test_everything_a_user_types_is_escaped_where_it_shows(app, ctx):
    client = app.test_client()
    teacher = factories.teacher("x@school.kr", school_name=XSS)
    factories.staff("admin", "head@school.kr", school=teacher.school)
    admin = factories.signed_in_staff(app, "head@school.kr")
    factories.sign_in_staff(client, "x@school.kr")
    client.post("/teach/classes/new", data={"name": XSS, "locale": "en", "age_band": "high", "country": "KR"})
    from edu.models import Classroom

    classroom = db.session.scalar(select(Classroom))
    classroom_id = classroom.id
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    joiner = app.test_client()
    joiner.post("/join", data={"code": classroom.join_code})
    joiner.post("/learn/ask", data={"text": XSS})
    from edu.content_service import catalog

    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    joiner.post(f"/learn/lesson/{lesson.id}/block/{lesson.reflection_ids[0]}", data={"text": XSS})
    pages = [client.get(p).get_data(as_text=True) for p in (
        "/teach/", f"/teach/classes/{classroom_id}", f"/teach/classes/{classroom_id}/questions",
        f"/teach/classes/{classroom_id}/progress")]
    pages += [joiner.get(p).get_data(as_text=True) for p in ("/learn/", "/learn/my-data", "/learn/ask")]
    pages.append(joiner.get(f"/learn/lesson/{lesson.id}?step=1").get_data(as_text=True))
    pages += [admin.get(p).get_data(as_text=True) for p in ("/admin/", "/admin/staff", "/admin/settings",
                                                           "/admin/audit")]
    for html in pages:
        assert "<script>alert(1)</script>" not in html and "<img src=x onerror" not in html, html[:200]
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in html for html in pages)


def referer_a_browser_sends(policy: str, page_url: str, target_url: str) -> str | None:
    """The Referer a browser sends from ``page_url`` to ``target_url`` under the page's Referrer-Policy (the
    policies this app could choose; https throughout)."""
    same_origin = page_url.split("/", 3)[:3] == target_url.split("/", 3)[:3]
    if policy == "no-referrer" or (policy == "same-origin" and not same_origin):
        return None
    if policy in ("origin", "strict-origin") or (policy == "strict-origin-when-cross-origin" and not same_origin):
        return "/".join(page_url.split("/", 3)[:3]) + "/"
    return page_url


def test_forms_post_behind_an_https_proxy_with_the_referer_the_pages_policy_lets_browsers_send(app, database_url):
    """Behind nginx (EDU_TRUSTED_PROXIES=1, X-Forwarded-Proto https) the CSRF check wants the Referer of a POST
    from the app's own page; a browser sends one only if the page's Referrer-Policy lets it."""
    from tests.conftest import make_test_app

    with app.app_context():  # the suite's app: the same database, tables made and emptied
        classroom = factories.classroom(factories.teacher())
        student, pin = factories.student(classroom)
        code, pseudonym = classroom.join_code, student.pseudonym
    client = make_test_app(database_url, WTF_CSRF_ENABLED=True, EDU_TRUSTED_PROXIES=1).test_client()
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9", "Sec-Fetch-Site": "same-origin",
               "Origin": "https://localhost"}
    page_url = "https://localhost/student/signin"
    page = client.get("/student/signin", headers=proxied, base_url="https://localhost")
    referer = referer_a_browser_sends(page.headers["Referrer-Policy"], page_url, page_url)
    headers = {**proxied, **({"Referer": referer} if referer else {})}
    signed_in = client.post("/student/signin", headers=headers, base_url="https://localhost", data={
        "csrf_token": csrf_token_from(page.get_data(as_text=True)), "code": code, "pseudonym": pseudonym, "pin": pin})
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[:500]
    assert referer_a_browser_sends(page.headers["Referrer-Policy"], page_url, "https://www.google.com/") is None


# ---- hashing: slow for passwords, keyed for PINs, rehash on sign-in -----------------------------------------------

PASSWORD_PARAMS = "m=65536,t=3,p=4"


@pytest.fixture
def standard_password_hashing(app, monkeypatch):
    """The production password hasher (the suite's own apps use the light one: tests/conftest.py)."""
    monkeypatch.setitem(app.config, "EDU_PASSWORD_HASHING", "standard")


def keyed_under_the_app_key(app, pin_hash: str) -> bool:
    from edu.auth import secrets

    return pin_hash.startswith(secrets.KEYED_PIN_PREFIX) and not secrets.pin_needs_rehash(pin_hash)


def test_pins_use_the_keyed_hash_and_passwords_argon2(app, ctx, standard_password_hashing):
    teacher = factories.teacher("kim@school.kr")
    classroom = factories.classroom(teacher)
    joined, _pin = factories.student(classroom)
    [(reset, _new_pin)] = teach.reset_pins(classroom, [factories.student(classroom)[0]])
    db.session.commit()
    assert teacher.password_hash.startswith(f"$argon2id$v=19${PASSWORD_PARAMS}$")
    for student in (joined, reset):
        assert keyed_under_the_app_key(app, student.pin_hash)


@pytest.mark.parametrize("old_parameters", [
    {},  # argon2-cffi's defaults (64 MiB, t=3, p=4): PINs before they had their own hasher
    {"time_cost": 2, "memory_cost": 19456, "parallelism": 1},  # OWASP's 19 MiB minimum: PINs until 25 Nov 2026
    {"time_cost": 5, "memory_cost": 7168, "parallelism": 1},  # OWASP's 7 MiB minimum: PINs until December 2026
], ids=["library-defaults", "owasp-19-mib", "owasp-7-mib"])
def test_a_pin_hashed_with_other_parameters_is_rehashed_at_sign_in(app, ctx, old_parameters):
    from argon2 import PasswordHasher

    classroom = factories.classroom(factories.teacher())
    student, pin = factories.student(classroom)
    student.pin_hash = PasswordHasher(**old_parameters).hash(pin)
    version = student.session_version
    db.session.commit()
    client = app.test_client()
    assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
    assert client.get("/learn/").status_code == 200
    db.session.refresh(student)
    assert keyed_under_the_app_key(app, student.pin_hash)
    assert student.session_version == version  # a rehash is not a PIN change: other sessions go on
    assert factories.sign_in_student(app.test_client(), classroom, student, pin).status_code == 302


def test_a_wrong_pin_does_not_rehash(app, ctx):
    from argon2 import PasswordHasher

    classroom = factories.classroom(factories.teacher())
    student, pin = factories.student(classroom)
    student.pin_hash = old_hash = PasswordHasher().hash(pin)
    db.session.commit()
    wrong = "000000" if pin != "000000" else "111111"
    assert factories.sign_in_student(app.test_client(), classroom, student, wrong).status_code == 401
    db.session.refresh(student)
    assert student.pin_hash == old_hash


def test_a_pin_hash_made_under_another_key_does_not_sign_in(app, ctx):
    """A lost or changed EDU_PIN_KEY refuses every PIN hashed under the old one (the teacher resets PINs); it never
    lets a wrong PIN in."""
    from edu.auth import secrets

    classroom = factories.classroom(factories.teacher())
    student, pin = factories.student(classroom)
    student.pin_hash = secrets.hash_pin(pin, key=b"another key")
    db.session.commit()
    assert factories.sign_in_student(app.test_client(), classroom, student, pin).status_code == 401


def test_a_password_hashed_with_other_parameters_is_rehashed_at_sign_in(app, ctx, standard_password_hashing):
    from argon2 import PasswordHasher

    teacher = factories.teacher("kim@school.kr")
    teacher.password_hash = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash(factories.PASSWORD)
    db.session.commit()
    assert factories.sign_in_staff(app.test_client(), "kim@school.kr").status_code == 302
    db.session.refresh(teacher)
    assert teacher.password_hash.startswith(f"$argon2id$v=19${PASSWORD_PARAMS}$")


def test_the_light_password_hasher_is_refused_outside_the_test_suite():
    from edu.config import load_config

    with pytest.raises(ValueError, match="test suite only"):
        load_config({"EDU_PASSWORD_HASHING": "light"})
    assert load_config()["EDU_PASSWORD_HASHING"] == "standard"
    assert load_config({"EDU_PASSWORD_HASHING": "light", "TESTING": True})["EDU_PASSWORD_HASHING"] == "light"


def test_unknown_students_cost_one_pin_hash_like_real_ones(app, ctx, monkeypatch):
    """The dummy hash for an unknown class or pseudonym uses the PIN hash, so timing matches a real check."""
    from edu.auth import secrets, services

    classroom = factories.classroom(factories.teacher())
    calls = []
    monkeypatch.setattr(services, "hash_pin", lambda pin: calls.append(pin) or secrets.hash_pin(pin))
    monkeypatch.setattr(services, "hash_password", lambda _: pytest.fail("the password hasher is not for PINs"))
    assert services.authenticate_student(classroom.join_code, "Nobody Here 12", "123456") is None
    assert services.authenticate_student("QQQQQQ", "Nobody Here 12", "123456") is None
    assert calls == ["123456", "123456"]


def test_the_idle_timeout_counts_from_the_sign_in(app, ctx, monkeypatch):
    classroom = factories.classroom(factories.teacher())
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 31 * 60)  # no request since signing in
    response = client.get("/learn/")
    assert response.status_code == 302 and "/student/signin" in response.headers["Location"]


def test_sessions_end_8_hours_after_sign_in_for_students_whatever_the_activity(app, ctx, monkeypatch):
    classroom = factories.classroom(factories.teacher())
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    real_time = time.time
    for minutes in range(25, 8 * 60, 25):  # active every 25 minutes: never idle
        monkeypatch.setattr(time, "time", lambda m=minutes: real_time() + m * 60)
        assert client.get("/learn/").status_code == 200, minutes
    monkeypatch.setattr(time, "time", lambda: real_time() + 8 * 60 * 60 + 60)
    response = client.get("/learn/", headers={"Accept-Language": "en"})
    assert response.status_code == 302 and "/student/signin" in response.headers["Location"]
    assert "signed in a long time ago" in client.get(response.headers["Location"],
                                                     headers={"Accept-Language": "en"}).text


def test_staff_sessions_end_12_hours_after_sign_in(app, ctx, monkeypatch):
    factories.teacher("kim@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "kim@school.kr")
    real_time = time.time
    for minutes in range(50, 12 * 60, 50):
        monkeypatch.setattr(time, "time", lambda m=minutes: real_time() + m * 60)
        assert client.get("/teach/").status_code == 200, minutes
    monkeypatch.setattr(time, "time", lambda: real_time() + 12 * 60 * 60 + 60)
    assert client.get("/teach/").status_code == 302


def _quiz_class(app):
    from edu.content_service import catalog

    classroom = factories.classroom(factories.teacher(), locale="en")
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    quiz = catalog().quiz_for("consent", "en", classroom.region)
    answers = {f"q-{q.id}": q.options[-1].id for q in quiz.questions}
    return classroom, quiz, answers


def test_a_cross_site_post_without_a_session_is_refused_and_sets_no_cookie(app, ctx):
    from tests.conftest import make_test_app

    _classroom, quiz, answers = _quiz_class(app)
    strict = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True)
    for headers in ({}, {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}):
        client = strict.test_client()
        response = client.post(f"/learn/quiz/{quiz.id}", data={"action": "save", "csrf_token": "x", **answers},
                               headers={**headers, "Accept-Language": "en"})
        assert response.status_code == 403 and "nothing in it was saved" in response.text
        assert "Set-Cookie" not in response.headers
        assert client.get_cookie("session") is None


def test_a_cross_site_post_with_an_expired_session_plants_nothing(app, ctx, monkeypatch):
    """The review's case: another site posts quiz answers to a student whose session went idle. Before, the
    student was signed out and found the sender's answers pre-selected after signing in again."""
    classroom, quiz, answers = _quiz_class(app)
    student, pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_student(client, classroom, student, pin)
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 31 * 60)
    forged = client.post(f"/learn/quiz/{quiz.id}", data={"action": "save", **answers},
                         headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
    assert forged.status_code == 403 and "Set-Cookie" not in forged.headers
    monkeypatch.setattr(time, "time", real_time)
    fresh = app.test_client()
    factories.sign_in_student(fresh, classroom, student, pin)
    page = fresh.get(f"/learn/quiz/{quiz.id}").text
    assert " checked" not in page
    from edu.models import QuizAttempt

    assert db.session.scalar(select(QuizAttempt.id)) is None
