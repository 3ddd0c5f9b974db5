"""Staff sign-up tells nobody whether an address has an account, signs nobody in, changes no existing account,
and is limited per address and per email."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from edu.auth import secrets as auth_secrets
from edu.extensions import db
from edu.models import Account, School
from tests import factories

SAME_ANSWER = "If this address is new, your account is ready: sign in"


def _sign_up(client, email: str, password: str = "long-enough-1", school: str = "New School", ip="10.0.0.1",
             **setup):
    data = {"school_name": school, "email": email, "password": password, "country": "KR", "timezone": "Asia/Seoul",
            "languages": ["ko", "en"], "retention_days": "90"} | setup
    return client.post("/signup", data=data, headers={"Accept-Language": "en"}, environ_base={"REMOTE_ADDR": ip})


def test_a_taken_address_gets_the_same_answer_after_the_same_work_and_changes_nothing(client, ctx, monkeypatch):
    owner = factories.teacher("kim@school.kr")
    password_hash, school_id, version = owner.password_hash, owner.school_id, owner.session_version
    hashed = []
    real_hash = auth_secrets.hash_password
    monkeypatch.setattr("edu.school.services.hash_password", lambda p: hashed.append(p) or real_hash(p))
    new = _sign_up(client, "new@school.kr")
    taken = _sign_up(client, "KIM@school.kr", password="attacker-pass-1", school="Attacker School")
    assert new.status_code == taken.status_code == 200
    assert SAME_ANSWER in new.get_data(as_text=True) and SAME_ANSWER in taken.get_data(as_text=True)
    assert hashed == ["long-enough-1", "attacker-pass-1"]  # a password hashed in both cases
    assert "Set-Cookie" not in taken.headers or "_user_id" not in taken.headers["Set-Cookie"]
    assert client.get("/teach/").status_code == 302  # nobody signed in
    db.session.refresh(owner)
    assert (owner.password_hash, owner.school_id, owner.session_version) == (password_hash, school_id, version)
    assert db.session.scalar(select(func.count()).select_from(School).where(School.name == "Attacker School")) == 0
    assert db.session.scalar(select(func.count()).select_from(Account)) == 2


def test_the_owner_is_told_at_the_next_sign_in_once(app, ctx):
    factories.teacher("kim@school.kr")
    _sign_up(app.test_client(), "kim@school.kr")
    owner = app.test_client()
    owner.post("/signin", data={"email": "kim@school.kr", "password": factories.PASSWORD},
               headers={"Accept-Language": "en"})
    home = owner.get("/teach/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    today = date.today()
    assert "Someone tried to sign up with your address on" in home
    assert f"{today:%B} {today.day}, {today.year}" in home
    again = app.test_client()
    factories.sign_in_staff(again, "kim@school.kr")
    assert "Someone tried" not in again.get("/teach/", headers={"Accept-Language": "en"}).get_data(as_text=True)


def test_the_notice_in_korean(app, ctx):
    factories.teacher("lee@school.kr")
    _sign_up(app.test_client(), "lee@school.kr")
    owner = app.test_client()
    factories.sign_in_staff(owner, "lee@school.kr")
    home = owner.get("/teach/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "누군가 이 주소로 가입하려고 했어요" in home


def test_sign_ups_are_limited_per_address_and_per_email(app, ctx):
    client = app.test_client()
    for number in range(5):
        assert _sign_up(client, f"t{number}@school.kr", ip="10.0.0.9").status_code == 200
    assert _sign_up(client, "t5@school.kr", ip="10.0.0.9").status_code == 429
    assert _sign_up(client, "t5@school.kr", ip="10.0.0.10").status_code == 200
    for ip in ("10.0.1.1", "10.0.1.2"):  # the same email from other addresses: 3 a day
        assert _sign_up(client, "t5@school.kr", ip=ip).status_code == 200
    assert _sign_up(client, "t5@school.kr", ip="10.0.1.3").status_code == 429
    mistakes = app.test_client()  # a form sent back with a mistake does not count
    for _ in range(6):
        assert _sign_up(mistakes, "not-an-email", ip="10.0.2.1").status_code == 422
    assert _sign_up(mistakes, "fine@school.kr", ip="10.0.2.1").status_code == 200


def test_a_sign_up_creates_the_school_it_describes_with_the_signer_as_its_admin(client, ctx):
    answer = _sign_up(client, "head@school.uk", school="Riverside Academy", country="GB", timezone="Europe/London",
                      languages=["en"], retention_days="60")
    assert answer.status_code == 200
    admin = db.session.scalar(select(Account).where(Account.email == "head@school.uk"))
    school = admin.school
    assert admin.role == "admin"
    assert (school.name, school.country, school.timezone, school.languages, school.retention_days) == (
        "Riverside Academy", "GB", "Europe/London", "en", 60)


def test_a_sign_up_refuses_what_a_school_cannot_be(client, ctx):
    for wrong in ({"timezone": "Mars/Olympus"}, {"timezone": "US/Pacific"}, {"country": "XX"}, {"languages": []},
                  {"languages": ["fr"]}, {"retention_days": "1"}, {"retention_days": "100000"}):
        assert _sign_up(client, "x@school.kr", **wrong).status_code == 422, wrong
    assert db.session.scalar(select(func.count()).select_from(School)) == 0


def test_the_sign_up_page_sends_colleagues_to_their_admin(client):
    page = client.get("/signup", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "invitation link" in page and "Create a new school" in page
