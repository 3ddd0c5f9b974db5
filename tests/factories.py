"""Small builders for test data, going through the real services."""

from __future__ import annotations

from sqlalchemy import select

from edu.auth import services as auth
from edu.extensions import db
from edu.models import Account
from edu.teach import services as teach

PASSWORD = "correct-horse-42"


def teacher(email: str = "teacher@school.test", school_name: str = "Test School", consent: bool = True):
    """A teacher with a new school; the school has recorded guardian consent unless consent=False."""
    from datetime import date

    account = auth.register_teacher(school_name, email, PASSWORD, None)
    if consent:
        account.school.guardian_consent_on = date(2026, 9, 1)
        account.school.guardian_consent_method = "paper forms"
    db.session.commit()
    return account


def staff(role: str, email: str, school=None):
    """A staff account; admins get a two-step sign-in secret, as they must."""
    import pyotp

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


def sign_in_staff(client, email: str, password: str = PASSWORD):
    """Sign in with the password, and with the authenticator code when the account has two-step sign-in."""
    import pyotp

    response = client.post("/signin", data={"email": email, "password": password})
    if response.status_code == 302 and response.headers["Location"].endswith("/signin/code"):
        secret = db.session.scalar(select(Account.totp_secret).where(Account.email == email.lower()))
        response = client.post("/signin/code", data={"code": pyotp.TOTP(secret).now()})
    return response


def sign_in_student(client, classroom_obj, student_obj, pin: str):
    return client.post("/student/signin", data={
        "code": classroom_obj.join_code, "pseudonym": student_obj.pseudonym, "pin": pin,
    })
