"""Sign-up, sign-in and sign-out for staff; join and PIN sign-in for students."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from edu.extensions import db
from edu.models import Account, Student
from tests import factories


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def test_teacher_signs_up_and_lands_on_empty_classes_page(client, ctx):
    response = client.post("/signup", data={
        "school_name": "Hanbit Middle School", "email": "Kim@School.kr", "password": "long-enough-1",
    })
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/teach/")
    page = client.get("/teach/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "You have no classes yet" in page.get_data(as_text=True)
    account = db.session.scalar(select(Account))
    assert account.email == "kim@school.kr" and account.role == "teacher"
    assert account.school.name == "Hanbit Middle School"
    assert account.password_hash.startswith("$argon2id$")


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


def test_duplicate_email_is_refused_next_to_the_field(client, ctx):
    factories.teacher("kim@school.kr")
    response = client.post("/signup", data={
        "school_name": "Other", "email": "KIM@school.kr", "password": "long-enough-1",
    }, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "An account with this email already exists" in response.get_data(as_text=True)
    assert db.session.query(Account).count() == 1


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
    assert pin not in student.pin_hash and student.pin_hash.startswith("$argon2id$")
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
    assert "We could not find a class with that code" in response.get_data(as_text=True)
    assert db.session.scalar(select(Student)) is None


def test_join_closed_class(client, ctx):
    classroom = factories.classroom(factories.teacher())
    classroom.joining_open = False
    db.session.commit()
    response = client.post("/join", data={"code": classroom.join_code}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert "not taking new students" in response.get_data(as_text=True)


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
    assert "The class code, name or PIN is not right." in html
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
