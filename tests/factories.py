"""Small builders for test data, going through the real services."""

from __future__ import annotations

from edu.auth import services as auth
from edu.extensions import db
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
    account = auth.create_account(role, email, PASSWORD, school)
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
    return client.post("/signin", data={"email": email, "password": password})


def sign_in_student(client, classroom_obj, student_obj, pin: str):
    return client.post("/student/signin", data={
        "code": classroom_obj.join_code, "pseudonym": student_obj.pseudonym, "pin": pin,
    })
