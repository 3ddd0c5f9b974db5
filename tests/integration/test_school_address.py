"""A school's own address (its admin's setting, issue 41) replaces the operator's EDU_PUBLIC_URL wherever the app
tells someone outside where to reach it: the LMS registration values, the school-account sign-in's redirect URI
(also sent to the provider), the live lesson's join address. A school without one keeps the operator's."""

from __future__ import annotations

from edu.extensions import db
from tests import factories

OWN = "https://boundaries.hanbit.kr"


def _admin_of_school_with_address(app, address: str | None):
    teacher = factories.teacher("park@school.kr")
    teacher.school.public_url = address
    admin = factories.staff("admin", "admin@school.kr", school=teacher.school)
    db.session.commit()
    return factories.signed_in_staff(app, admin.email)


def test_the_lms_values_and_the_sign_in_redirect_use_the_school_s_own_address(app, ctx):
    client = _admin_of_school_with_address(app, OWN)
    lti = client.get("/admin/lti/").get_data(as_text=True)
    assert f"{OWN}/lti/login" in lti and f"{OWN}/lti/jwks.json" in lti
    sso = client.get("/admin/sign-in/").get_data(as_text=True)
    assert f"{OWN}/signin/school/return" in sso


def test_a_school_without_its_own_address_keeps_the_operator_s(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "EDU_PUBLIC_URL", "https://boundaries.example")
    client = _admin_of_school_with_address(app, None)
    lti = client.get("/admin/lti/").get_data(as_text=True)
    assert "https://boundaries.example/lti/login" in lti and OWN not in lti
    assert "https://boundaries.example/signin/school/return" in client.get("/admin/sign-in/").get_data(as_text=True)
