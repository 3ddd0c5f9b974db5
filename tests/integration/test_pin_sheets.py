"""One-time PINs that can't get lost: post/redirect/get, 10 minutes on a page of their own, encrypted server-side,
deleted after, never logged; and who may open them."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from edu.extensions import db
from edu.models import Account, PinSheet, Student, utcnow
from tests import factories

PIN = re.compile(r'<dd class="pin">(\d{6})</dd>')


@pytest.fixture
def owner(app, ctx):
    teacher = factories.teacher("owner@school.kr")
    classroom = factories.classroom(teacher, locale="en", country="KR")
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    return client, classroom


def _students() -> int:
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Student))


def test_adding_students_redirects_and_a_reload_adds_nobody(owner):
    client, classroom = owner
    response = client.post(f"/teach/classes/{classroom.id}/students/add", data={"count": 1})
    assert response.status_code == 302 and f"/teach/classes/{classroom.id}/pins/" in response.headers["Location"]
    sheet_url = response.headers["Location"]
    first = client.get(sheet_url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    again = client.get(sheet_url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert PIN.findall(first) == PIN.findall(again) and len(PIN.findall(first)) == 1
    assert _students() == 1


def test_the_language_switch_keeps_the_pins(owner):
    client, classroom = owner
    sheet_url = client.post(f"/teach/classes/{classroom.id}/students/add", data={"count": 2}).headers["Location"]
    english = client.get(sheet_url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    switched = client.post("/language", data={"locale": "ko", "next": sheet_url}, follow_redirects=True)
    korean = switched.get_data(as_text=True)
    assert switched.status_code == 200 and '<html lang="ko">' in korean
    assert PIN.findall(english) == PIN.findall(korean) and len(PIN.findall(korean)) == 2
    assert _students() == 2


def test_new_cards_and_a_reset_also_redirect_to_a_sheet(owner):
    client, classroom = owner
    student, _pin = factories.student(classroom)
    confirm = client.get(f"/teach/classes/{classroom.id}/students/{student.id}/reset-pin",
                         headers={"Accept-Language": "en"})
    assert "A new PIN for" in confirm.get_data(as_text=True)  # "New PIN" asks first, changes nothing
    assert db.session.scalar(select(PinSheet.id)) is None
    for path, data in ((f"/teach/classes/{classroom.id}/students/{student.id}/reset-pin", {}),
                       (f"/teach/classes/{classroom.id}/cards", {"confirm": "yes"})):
        response = client.post(path, data=data)
        assert response.status_code == 302 and "/pins/" in response.headers["Location"]
        html = client.get(response.headers["Location"]).get_data(as_text=True)
        assert len(PIN.findall(html)) == 1


def test_the_pins_are_encrypted_in_the_database_and_never_logged(owner, caplog):
    client, classroom = owner
    with caplog.at_level(logging.DEBUG):
        sheet_url = client.post(f"/teach/classes/{classroom.id}/students/add", data={"count": 3}).headers["Location"]
        pins = PIN.findall(client.get(sheet_url).get_data(as_text=True))
    token = sheet_url.rsplit("/", 1)[1]
    db.session.commit()
    row = db.session.scalar(select(PinSheet))
    assert token not in row.lookup and all(pin.encode() not in row.sealed for pin in pins)
    logged = caplog.text + " ".join(str(getattr(r, "fields", "")) for r in caplog.records)
    assert all(pin not in logged for pin in pins) and token not in logged


def test_a_sheet_is_gone_after_ten_minutes_and_deleted(owner):
    client, classroom = owner
    sheet_url = client.post(f"/teach/classes/{classroom.id}/students/add", data={"count": 1}).headers["Location"]
    db.session.execute(update(PinSheet).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    gone = client.get(sheet_url, headers={"Accept-Language": "en"})
    assert gone.status_code == 410 and not PIN.findall(gone.get_data(as_text=True))
    assert "no longer shown" in gone.get_data(as_text=True)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(PinSheet)) == 0


def test_a_forged_or_changed_key_shows_nothing(owner):
    client, classroom = owner
    sheet_url = client.post(f"/teach/classes/{classroom.id}/students/add", data={"count": 1}).headers["Location"]
    forged = sheet_url[:-2] + ("AA" if not sheet_url.endswith("AA") else "BB")
    assert client.get(forged).status_code == 410


def test_only_the_teacher_who_made_the_sheet_sees_it(app, owner):
    client, classroom = owner
    sheet_url = client.post(f"/teach/classes/{classroom.id}/students/add", data={"count": 1}).headers["Location"]
    factories.teacher("other@school.kr", school_name="Elsewhere")
    other = app.test_client()
    factories.sign_in_staff(other, "other@school.kr")
    assert other.get(sheet_url).status_code == 404  # someone else's class
    mine = factories.classroom(db.session.scalar(select(Account).filter_by(
        email="other@school.kr")), name="mine")
    assert other.get(sheet_url.replace(f"/classes/{classroom.id}/", f"/classes/{mine.id}/")).status_code == 410
    factories.staff("admin", "admin@school.kr", school=classroom.school)
    admin = app.test_client()
    factories.sign_in_staff(admin, "admin@school.kr")
    assert admin.get(sheet_url).status_code == 403
    student, student_client = factories.signed_in_student(app, classroom)
    assert student_client.get(sheet_url).status_code == 403
    assert app.test_client().get(sheet_url).status_code == 302  # sign in first
