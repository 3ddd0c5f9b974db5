"""Teachers create classes and only ever reach their own."""

from __future__ import annotations

import re

from sqlalchemy import select

from edu.auth.codes import JOIN_CODE_ALPHABET
from edu.extensions import db
from edu.models import Classroom
from tests import factories


def test_teacher_creates_a_class_and_gets_a_readable_join_code(client, ctx):
    factories.teacher("kim@school.kr")
    factories.sign_in_staff(client, "kim@school.kr")
    response = client.post("/teach/classes/new", data={
        "name": "2-3", "locale": "ko", "age_band": "middle", "country": "KR"})
    assert response.status_code == 302
    classroom = db.session.scalar(select(Classroom))
    assert classroom.name == "2-3" and classroom.locale == "ko" and classroom.country == "KR"
    assert len(classroom.join_code) == 6
    assert set(classroom.join_code) <= set(JOIN_CODE_ALPHABET)
    assert not set(classroom.join_code) & set("0O1lI")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{classroom.join_code[:3]}-{classroom.join_code[3:]}" in page
    listing = client.get("/teach/").get_data(as_text=True)
    assert "2-3" in listing


def test_create_class_validation(client, ctx):
    factories.teacher("kim@school.kr")
    factories.sign_in_staff(client, "kim@school.kr")
    response = client.post("/teach/classes/new", data={
        "name": "", "locale": "xx", "age_band": "middle", "country": "KR"}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Give the class a name" in html and "Not a valid choice" in html
    assert db.session.scalar(select(Classroom)) is None


def test_other_teachers_class_is_404(client, ctx):
    owner = factories.teacher("owner@school.kr")
    classroom = factories.classroom(owner)
    factories.teacher("other@school.kr", school_name="Other School")
    factories.sign_in_staff(client, "other@school.kr")
    assert client.get(f"/teach/classes/{classroom.id}").status_code == 404
    assert client.get("/teach/classes/999999").status_code == 404
    assert classroom.name not in client.get("/teach/").get_data(as_text=True)


def test_join_codes_are_unique(ctx):
    owner = factories.teacher()
    codes = {factories.classroom(owner, name=f"c{i}").join_code for i in range(30)}
    assert len(codes) == 30
    assert all(re.fullmatch(f"[{JOIN_CODE_ALPHABET}]{{6}}", code) for code in codes)
