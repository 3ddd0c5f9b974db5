"""Small builders for test data, going through the real services."""

from __future__ import annotations

from datetime import date

import pyotp
from sqlalchemy import select

from edu import mixing
from edu.auth import services as auth
from edu.extensions import db
from edu.models import Account
from edu.teach import services as teach

PASSWORD = "correct-horse-42"
# The sign-up form's fields for a new school, besides its name, the email and the password.
NEW_SCHOOL = {"country": "KR", "timezone": "Asia/Seoul", "languages": ["ko", "en"], "retention_days": "90"}


def teacher(email: str = "teacher@school.test", school_name: str = "Test School", consent: bool = True):
    """A teacher with a new school; the school has recorded guardian consent unless consent=False."""
    account = auth.register_teacher(school_name, email, PASSWORD, None)
    if consent:
        account.school.guardian_consent_on = date(2026, 9, 1)
        account.school.guardian_consent_method = "paper forms"
    db.session.commit()
    return account


def staff(role: str, email: str, school=None):
    """A staff account; admins get a two-step sign-in secret, as they must."""
    account = auth.create_account(role, email, PASSWORD, school)
    if role == "admin":
        account.totp_secret = pyotp.random_base32()
    db.session.commit()
    return account


def classroom(owner, name: str = "2-3", locale: str = "ko", age_band: str = "middle", country: str = "KR"):
    created = teach.create_classroom(owner, name, locale, age_band, country)
    db.session.commit()
    return created


def student(classroom_obj):
    created, pin = auth.add_student(classroom_obj)
    db.session.commit()
    return created, pin


def unused_code(app, email: str) -> str:
    """The authenticator's code for the account, at a time no code of it was accepted yet: a code works once,
    so the test clock moves on to the next 30-second step when this one was used already."""
    account = db.session.execute(select(Account.totp_secret, Account.totp_last_step)
                                 .where(Account.email == email.lower())).one()
    clock = app.config["EDU_CLOCK"]
    step = int(clock() // 30)
    if account.totp_last_step is not None and account.totp_last_step >= step:
        clock.advance((account.totp_last_step - step + 1) * 30)
    return pyotp.TOTP(account.totp_secret).at(clock())


def sign_in_staff(client, email: str, password: str = PASSWORD):
    """Sign in with the password, and with the authenticator code when the account has two-step sign-in."""
    response = client.post("/signin", data={"email": email, "password": password})
    if response.status_code == 302 and response.headers["Location"].endswith("/signin/code"):
        db.session.commit()  # see the last accepted step as it is now
        response = client.post("/signin/code", data={"code": unused_code(client.application, email)})
    return response


def sign_in_student(client, classroom_obj, student_obj, pin: str):
    return client.post("/student/signin", data={
        "code": classroom_obj.join_code, "pseudonym": student_obj.pseudonym, "pin": pin,
    })


def signed_in_student(app, classroom_obj):
    """A new student of the class, signed in on their own test client: (student, client)."""
    created, pin = student(classroom_obj)
    client = app.test_client()
    assert sign_in_student(client, classroom_obj, created, pin).status_code == 302
    return created, client


def signed_in_staff(app, email: str):
    client = app.test_client()
    sign_in_staff(client, email)
    return client


def class_room(app, email: str, students: int, assign=(("module", "consent"),), locale: str = "en",
               country: str = "KR") -> dict:
    """A new teacher's class with ``assign`` assigned, the teacher signed in, and ``students`` students signed in:
    {"teacher", "classroom", "teacher_client", "students": [(student, client)]}."""
    owner = teacher(email)
    room = classroom(owner, locale=locale, country=country)
    for kind, target in assign:
        teach.assign(room, kind, target)
    db.session.commit()
    return {"teacher": owner, "classroom": room, "teacher_client": signed_in_staff(app, email),
            "students": [signed_in_student(app, room) for _ in range(students)]}


def write_anonymous_batches() -> int:
    """Write every batch waiting in the mixing buffer, whatever its size (as closing each survey window and poll
    would): for tests that read the final anonymous tables."""
    db.session.commit()
    return sum(mixing.flush_group_now(classroom_id, group) for classroom_id, group, _n in mixing.pending_groups())


def survey_value(item, n: int = 0) -> str:
    """A valid answer to a survey item (the n-th of its choices, wrapping): an option id, a Likert label 1..5 or
    a 0..100 rating."""
    from edu.domain import LIKERT_VALUES, RATING_VALUES

    if item.type == "knowledge":
        return item.options[n % len(item.options)].id
    values = RATING_VALUES if item.type == "rating" else LIKERT_VALUES
    return values[n % len(values)]
