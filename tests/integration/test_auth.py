"""Sign-up, sign-in and sign-out for staff; join and PIN sign-in for students."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from edu.extensions import db
from edu.models import Account, Student
from tests import factories


def test_a_new_school_is_signed_up_by_its_admin_who_then_sets_up_two_step_sign_in(client, ctx):
    response = client.post("/signup", data={
        "school_name": "Hanbit Middle School", "email": "Kim@School.kr", "password": "long-enough-1",
        **factories.NEW_SCHOOL}, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "If this address is new, your account is ready: sign in" in response.get_data(as_text=True)
    assert client.get("/admin/").status_code == 302  # signed up, not signed in
    signin = client.post("/signin", data={"email": "kim@school.kr", "password": "long-enough-1"})
    assert signin.status_code == 302 and signin.headers["Location"].endswith("/signin/setup-code")
    account = db.session.scalar(select(Account))
    assert account.email == "kim@school.kr" and account.role == "admin"
    assert account.school.name == "Hanbit Middle School"
    assert account.password_hash.startswith("$argon2id$")


def test_a_teacher_signs_in_to_an_empty_classes_page(client, ctx):
    factories.teacher("kim@school.kr")
    assert factories.sign_in_staff(client, "kim@school.kr").status_code == 302
    page = client.get("/teach/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "You have no classes yet" in page.get_data(as_text=True)


@pytest.mark.parametrize("data, field, message", [
    ({"school_name": "S", "email": "not-an-email", "password": "long-enough-1"}, "email",
     "Enter an email address like name@school.kr."),
    ({"school_name": "S", "email": "a@b.kr", "password": "short"}, "password",
     "Use between 8 and 128 characters."),
    ({"school_name": "", "email": "a@b.kr", "password": "long-enough-1"}, "school_name",
     "Enter the name of your school."),
])
def test_signup_errors_are_shown_next_to_the_field_and_keep_input(client, ctx, data, field, message):
    response = client.post("/signup", data=data, headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<p class="field-error" id="{field}-error">{message}</p>' in html
    assert f'aria-describedby="{field}-error"' in html or f'{field}-error"' in html
    if data["email"]:
        assert f'value="{data["email"]}"' in html  # what was typed is kept
    assert db.session.scalar(select(Account)) is None


def test_signup_errors_in_korean(client, ctx):
    response = client.post("/signup", data={"school_name": "S", "email": "x", "password": "long-enough-1"},
                           headers={"Accept-Language": "ko"})
    html = response.get_data(as_text=True)
    assert '<html lang="ko">' in html
    assert "name@school.kr" in html and "이메일" in html


def test_staff_sign_in_wrong_password_and_sign_out(client, ctx):
    factories.teacher("kim@school.kr")
    bad = client.post("/signin", data={"email": "kim@school.kr", "password": "wrong-password"},
                      headers={"Accept-Language": "en"})
    assert bad.status_code == 401
    assert "That email and password do not match an account." in bad.get_data(as_text=True)
    good = factories.sign_in_staff(client, "kim@school.kr")
    assert good.status_code == 302 and good.headers["Location"].endswith("/teach/")
    assert client.get("/teach/").status_code == 200
    client.post("/signout")
    after = client.get("/teach/")
    assert after.status_code == 302 and "/signin" in after.headers["Location"]


def test_sign_out_ends_old_cookies_too(app, ctx):
    factories.teacher("kim@school.kr")
    first = app.test_client()
    factories.sign_in_staff(first, "kim@school.kr")
    stolen_cookie = first.get_cookie("session").value
    first.post("/signout")
    replay = app.test_client()
    replay.set_cookie("session", stolen_cookie, domain="localhost")
    response = replay.get("/teach/")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_sign_in_rate_limit_sixth_bad_attempt_gets_429(client, ctx):
    factories.teacher("kim@school.kr")
    for _ in range(5):
        assert client.post("/signin", data={"email": "kim@school.kr", "password": "nope-nope"}).status_code == 401
    assert client.post("/signin", data={"email": "kim@school.kr", "password": "nope-nope"}).status_code == 429
    # Even the right password waits out the limit for this account.
    assert factories.sign_in_staff(client, "kim@school.kr").status_code == 429


def test_good_sign_ins_do_not_count_against_the_limit(client, ctx):
    factories.teacher("kim@school.kr")
    for _ in range(8):
        assert factories.sign_in_staff(client, "kim@school.kr").status_code == 302


def test_per_ip_limit_across_accounts(client, ctx):
    for attempt in range(20):
        response = client.post("/signin", data={"email": f"user{attempt}@x.kr", "password": "nope-nope"})
        assert response.status_code == 401
    assert client.post("/signin", data={"email": "another@x.kr", "password": "nope-nope"}).status_code == 429


def test_student_joins_gets_pseudonym_and_pin_once(client, ctx):
    teacher = factories.teacher()
    classroom = factories.classroom(teacher, locale="ko")
    response = client.post("/join", data={"code": classroom.join_code.lower()})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    student = db.session.scalar(select(Student))
    assert student.pseudonym in html
    pin = html.split('<dd class="pin">')[1].split("<")[0]
    assert len(pin) == 6 and pin.isdigit()
    assert pin not in student.pin_hash and student.pin_hash.startswith("$hmac-sha256$")
    # Korean class: a Korean pseudonym such as "파란 수달 17".
    adjective, animal, number = student.pseudonym.split(" ")
    assert any("\uac00" <= ch <= "\ud7a3" for ch in adjective + animal) and 10 <= int(number) <= 99
    assert response.headers["Cache-Control"] == "no-store"
    # Signed in straight away, and the PIN page is never shown again.
    home = client.get("/learn/")
    assert home.status_code == 200 and pin not in home.get_data(as_text=True)


def test_join_form_asks_nothing_identifying(client, ctx):
    html = client.get("/join").get_data(as_text=True)
    form = html.split('class="form-card"')[1].split("</form>")[0]
    assert set(re.findall(r'name="([^"]+)"', form)) <= {"csrf_token", "code"}
    assert 'type="file"' not in html


def test_join_with_wrong_code_says_so_and_creates_nothing(client, ctx):
    response = client.post("/join", data={"code": "ZZZZZZ"}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "We could not find a class taking new students with that code" in response.get_data(as_text=True)
    assert db.session.scalar(select(Student)) is None


def test_join_closed_class(client, ctx):
    classroom = factories.classroom(factories.teacher())
    classroom.joining_open = False
    db.session.commit()
    response = client.post("/join", data={"code": classroom.join_code}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "We could not find a class taking new students with that code" in response.get_data(as_text=True)


def test_student_signs_in_with_code_pseudonym_and_pin(client, ctx):
    classroom = factories.classroom(factories.teacher(), locale="en")
    student, pin = factories.student(classroom)
    response = client.post("/student/signin", data={
        "code": classroom.join_code[:3] + "-" + classroom.join_code[3:].lower(),
        "pseudonym": "  " + student.pseudonym.upper() + " ", "pin": pin,
    })
    assert response.status_code == 302 and response.headers["Location"].endswith("/learn/")
    assert student.pseudonym in client.get("/learn/").get_data(as_text=True)


@pytest.mark.parametrize("wrong", ["code", "pseudonym", "pin"])
def test_student_wrong_details_get_one_message_that_reveals_nothing(client, ctx, wrong):
    classroom = factories.classroom(factories.teacher(), locale="en")
    student, pin = factories.student(classroom)
    data = {"code": classroom.join_code, "pseudonym": student.pseudonym, "pin": pin}
    data[wrong] = {"code": "QQQQQQ", "pseudonym": "Nobody Here 11", "pin": "000000" if pin != "000000" else "111111"}[wrong]
    response = client.post("/student/signin", data=data, headers={"Accept-Language": "en"})
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "The class code, nickname or PIN is not right." in html
    assert student.pseudonym not in html or wrong != "pseudonym"


def test_student_pin_rate_limit(client, ctx):
    classroom = factories.classroom(factories.teacher())
    student, pin = factories.student(classroom)
    data = {"code": classroom.join_code, "pseudonym": student.pseudonym, "pin": "999999" if pin != "999999" else "888888"}
    for _ in range(5):
        assert client.post("/student/signin", data=data).status_code == 401
    assert client.post("/student/signin", data=data).status_code == 429


def test_next_parameter_cannot_redirect_elsewhere(client, ctx):
    factories.teacher("kim@school.kr")
    response = client.post("/signin?next=https://evil.example/", data={
        "email": "kim@school.kr", "password": factories.PASSWORD})
    assert response.headers["Location"].endswith("/teach/")


# ---- password change (staff) ------------------------------------------------------------------------------------

NEW_PASSWORD = "a-new-and-longer-one-77"


def _change_password(client, current=factories.PASSWORD, new=NEW_PASSWORD, again=None, locale="en"):
    return client.post("/account/password", data={
        "current_password": current, "new_password": new, "new_password_again": new if again is None else again,
    }, headers={"Accept-Language": locale})


def test_account_page_in_the_staff_navigation_links_to_password_change(client, ctx):
    factories.teacher("kim@school.kr")
    factories.sign_in_staff(client, "kim@school.kr")
    home = client.get("/teach/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/account/security">Account</a>' in home
    account = client.get("/account/security", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/account/password"' in account
    page = client.get("/account/password", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert 'autocomplete="current-password"' in html and html.count('autocomplete="new-password"') == 2


def test_password_change_keeps_this_browser_and_ends_every_other_session(app, ctx):
    teacher = factories.teacher("kim@school.kr")
    here, elsewhere = app.test_client(), app.test_client()
    factories.sign_in_staff(here, "kim@school.kr")
    factories.sign_in_staff(elsewhere, "kim@school.kr")
    old_cookie = elsewhere.get_cookie("session").value
    version_before = teacher.session_version

    response = _change_password(here)
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/security")
    confirmation = here.get("/account/security", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Your password is changed. You are signed out everywhere else." in confirmation
    assert here.get("/teach/").status_code == 200  # this browser stays signed in

    assert elsewhere.get("/teach/").status_code == 302  # the other browser is signed out
    replay = app.test_client()
    replay.set_cookie("session", old_cookie, domain="localhost")
    refused = replay.get("/teach/")
    assert refused.status_code == 302 and "/signin" in refused.headers["Location"]

    db.session.refresh(teacher)
    assert teacher.session_version == version_before + 1
    assert teacher.password_hash.startswith("$argon2id$") and NEW_PASSWORD not in teacher.password_hash
    fresh = app.test_client()
    assert fresh.post("/signin", data={"email": "kim@school.kr", "password": factories.PASSWORD}).status_code == 401
    assert factories.sign_in_staff(fresh, "kim@school.kr", NEW_PASSWORD).status_code == 302


def test_password_change_is_in_the_audit_log_without_secrets(client, ctx):
    from edu.models import AuditEvent

    teacher = factories.teacher("kim@school.kr")
    factories.sign_in_staff(client, "kim@school.kr")
    _change_password(client)
    event = db.session.scalar(select(AuditEvent))
    assert (event.action, event.target, event.account_id) == ("change_password", f"account:{teacher.id}", teacher.id)
    assert event.school_id == teacher.school_id
    assert factories.PASSWORD not in event.target and NEW_PASSWORD not in event.target


def test_author_and_admin_can_change_their_password_too(app, ctx):
    owner = factories.teacher("owner@school.kr")
    factories.staff("author", "author@school.kr")
    factories.staff("admin", "admin@school.kr", school=owner.school)
    for email, home in (("author@school.kr", "/author/"), ("admin@school.kr", "/admin/")):
        client = app.test_client()
        factories.sign_in_staff(client, email)
        assert _change_password(client).status_code == 302
        assert client.get(home).status_code == 200
        assert factories.sign_in_staff(app.test_client(), email, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("current, new, again, field, message", [
    ("wrong-password-1", NEW_PASSWORD, None, "current_password", "That is not your current password."),
    (factories.PASSWORD, "short", None, "new_password", "Use between 8 and 128 characters."),
    (factories.PASSWORD, "x" * 129, None, "new_password", "Use between 8 and 128 characters."),
    (factories.PASSWORD, "password123", None, "new_password", "This password is too common"),
    (factories.PASSWORD, factories.PASSWORD, None, "new_password", "different from your current one"),
    (factories.PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "new_password_again", "are not the same"),
    ("", NEW_PASSWORD, None, "current_password", "Enter your current password."),
])
def test_password_change_errors_are_clear_and_change_nothing(client, ctx, current, new, again, field, message):
    teacher = factories.teacher("kim@school.kr")
    factories.sign_in_staff(client, "kim@school.kr")
    hash_before, version_before = teacher.password_hash, teacher.session_version
    response = _change_password(client, current, new, again)
    html = response.get_data(as_text=True)
    assert response.status_code == (401 if current == "wrong-password-1" else 422)
    assert f'<p class="field-error" id="{field}-error">' in html and message in html
    db.session.refresh(teacher)
    assert (teacher.password_hash, teacher.session_version) == (hash_before, version_before)
    assert client.get("/teach/").status_code == 200


def test_password_change_in_korean(client, ctx):
    factories.teacher("kim@school.kr")
    factories.sign_in_staff(client, "kim@school.kr")
    page = client.get("/account/password", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "비밀번호 바꾸기" in page and "현재 비밀번호" in page
    wrong = _change_password(client, current="wrong-password-1", locale="ko").get_data(as_text=True)
    assert "현재 비밀번호가 맞지 않아요." in wrong
    _change_password(client, locale="ko")
    done = client.get("/account/security", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "비밀번호를 바꿨어요." in done


def test_wrong_current_password_is_rate_limited_like_sign_in(client, ctx):
    factories.teacher("kim@school.kr")
    factories.sign_in_staff(client, "kim@school.kr")
    for _ in range(5):
        assert _change_password(client, current="wrong-password-1").status_code == 401
    assert _change_password(client, current="wrong-password-1").status_code == 429
    assert _change_password(client).status_code == 429  # even the right one waits out the limit
    assert client.get("/teach/").status_code == 200  # still signed in, nothing changed


def test_password_change_needs_a_staff_session(app, ctx):
    classroom = factories.classroom(factories.teacher())
    student, pin = factories.student(classroom)
    anonymous = app.test_client()
    assert _change_password(anonymous).status_code == 403  # a POST without a session from anywhere else
    anonymous.environ_base["HTTP_SEC_FETCH_SITE"] = "same-origin"
    response = _change_password(anonymous)
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
    pupil = app.test_client()
    factories.sign_in_student(pupil, classroom, student, pin)
    assert _change_password(pupil).status_code == 403


# ---- student sign-in: per-class limit and lookup --------------------------------------------------------------


def _class_limit(app) -> int:
    from limits import parse_many

    return min(limit.amount for limit in parse_many(app.config["EDU_SIGNIN_CLASS_LIMIT"]))


def _failed_student_sign_in(app, classroom, attempt: int, locale: str = "en"):
    """A wrong PIN for a different pseudonym from a different address each time: only the class limit counts."""
    client = app.test_client()
    return client.post("/student/signin", data={
        "code": classroom.join_code, "pseudonym": f"Nobody Here {attempt}", "pin": "000000",
    }, headers={"Accept-Language": locale}, environ_base={"REMOTE_ADDR": f"10.1.{attempt // 250}.{attempt % 250}"})


def test_failed_student_sign_ins_are_limited_per_class(app, ctx):
    teacher = factories.teacher()
    guessed = factories.classroom(teacher, locale="en")
    other = factories.classroom(teacher, name="2-4", locale="en")
    student, pin = factories.student(guessed)
    neighbour, neighbour_pin = factories.student(other)
    allowed = _class_limit(app)
    assert allowed > 30  # a class of 30 each mistyping once stays below it
    for attempt in range(allowed):
        assert _failed_student_sign_in(app, guessed, attempt).status_code == 401
    refused = _failed_student_sign_in(app, guessed, allowed)
    assert refused.status_code == 429
    assert "too many wrong sign-ins in this class" in refused.get_data(as_text=True)
    korean = _failed_student_sign_in(app, guessed, allowed + 1, locale="ko").get_data(as_text=True)
    assert "이 학급에서 잘못된 로그인 시도가 너무 많았어요" in korean
    # Even the right PIN waits, so guessing cannot go on; another class is not affected.
    assert factories.sign_in_student(app.test_client(), guessed, student, pin).status_code == 429
    assert factories.sign_in_student(app.test_client(), other, neighbour, neighbour_pin).status_code == 302


def test_other_limits_still_show_the_usual_page(client, ctx):
    classroom = factories.classroom(factories.teacher(), locale="en")
    student, _pin = factories.student(classroom)
    data = {"code": classroom.join_code, "pseudonym": student.pseudonym, "pin": "not-it"}
    for _ in range(5):
        client.post("/student/signin", data=data)
    html = client.post("/student/signin", data=data, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Wait a minute and try again" in html and "in this class" not in html


def test_student_sign_in_loads_only_the_one_student(app, ctx):
    from edu.auth import services

    classroom = factories.classroom(factories.teacher(), locale="ko")
    student, pin = factories.student(classroom)
    for _ in range(4):
        factories.student(classroom)
    code, student_id = classroom.join_code, student.id
    typed = "  " + "   ".join(student.pseudonym.split(" ")) + " "  # e.g. "  파란   수달   17 "
    db.session.expunge_all()
    sign_in = services.authenticate_student(code, typed, pin)
    assert sign_in is not None and sign_in.student.id == student_id
    loaded = [obj for obj in db.session.identity_map.values() if isinstance(obj, Student)]
    assert [s.id for s in loaded] == [student_id]


def test_a_pin_reset_while_signing_in_wins(app, ctx):
    from edu.auth import services
    from edu.teach import services as teach

    classroom = factories.classroom(factories.teacher())
    student, pin = factories.student(classroom)
    sign_in = services.authenticate_student(classroom.join_code, student.pseudonym, pin)
    [(_, new_pin)] = teach.reset_pins(classroom, [student])
    db.session.commit()
    assert services.record_student_sign_in(sign_in) is False
    db.session.rollback()
    assert services.authenticate_student(classroom.join_code, student.pseudonym, new_pin) is not None
    assert services.authenticate_student(classroom.join_code, student.pseudonym, pin) is None


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(current=st.text(max_size=200), new=st.text(max_size=200), again=st.one_of(st.none(), st.text(max_size=200)))
def test_password_change_never_answers_500_whatever_is_typed(app, ctx, current, new, again):
    from edu.extensions import limiter

    limiter.reset()
    teacher = db.session.scalar(select(Account)) or factories.teacher("kim@school.kr")
    client = app.test_client()
    assert factories.sign_in_staff(client, "kim@school.kr").status_code == 302
    original_hash = teacher.password_hash
    response = _change_password(client, current, new, again)
    assert response.status_code in (302, 401, 422), (current, new, again)
    db.session.refresh(teacher)
    if response.status_code != 302:
        assert teacher.password_hash == original_hash
    teacher.password_hash = original_hash  # the next example signs in with the usual password
    db.session.commit()


def test_the_signed_in_student_is_loaded_with_their_class_in_one_query_without_the_pin_hash(app, ctx):
    from sqlalchemy import event, inspect

    from edu.identity import load_user
    from edu.models import Student

    classroom = factories.classroom(factories.teacher(), locale="ko", country="KR")
    student, pin = factories.student(classroom)
    db.session.commit()
    expected = (student.id, classroom.id, student.pseudonym, student.get_id())
    old_cookie_id = f"s:{student.id}:{student.session_version + 1}"
    db.session.expunge_all()
    statements = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        loaded = load_user(expected[3])
        assert (loaded.classroom.country, loaded.classroom.region, loaded.classroom.quiz_policy) == ("KR", "KR", "best")
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert isinstance(loaded, Student) and loaded.is_authenticated and loaded.is_student
    assert (loaded.id, loaded.classroom_id, loaded.pseudonym, loaded.get_id()) == expected
    reads = [s for s in statements if "students" in s]
    assert len(reads) == 1 and "classrooms" in reads[0] and "pin_hash" not in reads[0]
    assert "pin_hash" in inspect(loaded).unloaded
    assert load_user(old_cookie_id) is None  # an old cookie's version
    assert load_user("s:999999:1") is None

    first, second = app.test_client(), app.test_client()
    for device in (first, second):
        assert factories.sign_in_student(device, classroom, student, pin).status_code == 302
    first.post("/language", data={"locale": "en", "next": "/learn/"})
    db.session.commit()  # end the test's transaction: see what the requests wrote
    assert db.session.get(Student, student.id).locale == "en"
    assert '<html lang="en">' in second.get("/learn/").get_data(as_text=True)  # their choice, on every device
    first.post("/signout")
    assert second.get("/learn/").status_code == 302  # signed out everywhere


def test_no_sign_in_is_remembered_past_the_browser_session(app, ctx):
    """No remember-me cookie, ever (edu/identity.py takes Flask-Login's remember-me hook off every request)."""
    classroom = factories.classroom(factories.teacher(email="remember@school.kr"), locale="en")
    student, pin = factories.student(classroom)
    db.session.commit()
    staff, pupil = app.test_client(), app.test_client()
    responses = [factories.sign_in_staff(staff, "remember@school.kr"), staff.get("/teach/"),
                 factories.sign_in_student(pupil, classroom, student, pin), pupil.get("/learn/"),
                 staff.post("/signout"), staff.get("/teach/")]
    assert [response.status_code for response in responses] == [302, 200, 302, 200, 302, 302]
    set_cookies = [value for response in responses for value in response.headers.getlist("Set-Cookie")]
    assert set_cookies and all(value.startswith("session=") for value in set_cookies)


@pytest.fixture
def english_class(app, ctx):
    return factories.classroom(factories.teacher(), locale="en", country="KR")


def test_a_session_carried_to_another_browser_is_no_longer_fresh(app, english_class):
    classroom = english_class
    student, pin = factories.student(classroom)
    db.session.commit()
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = "phone A"
    assert factories.sign_in_student(client, classroom, student, pin).status_code == 302
    assert client.get("/learn/").status_code == 200
    with client.session_transaction() as saved:
        assert saved["_fresh"] is True
    assert client.get("/learn/", headers={"User-Agent": "phone B"}).status_code == 200  # basic protection
    with client.session_transaction() as saved:
        assert saved["_fresh"] is False
