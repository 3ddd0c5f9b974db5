"""Two-step sign-in holds: no setup from a half-finished sign-in, a code works once, changes need the password,
wrong codes are limited per account, recovery codes, and the operator's audited reset."""

from __future__ import annotations

import pyotp
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from edu.auth import services as auth
from edu.extensions import db
from edu.models import Account, AuditEvent
from tests import factories
from tests.clock import clock

EN = {"Accept-Language": "en"}


def secret_of(email: str) -> str | None:
    db.session.commit()
    return db.session.scalar(select(Account.totp_secret).where(Account.email == email))


def shown_secret(page: str) -> str:
    return page.split('<code class="secret-key">')[1].split("<")[0]


def recovery_codes_in(page: str) -> list[str]:
    return [part.split("</code>")[0] for part in page.split('<li><code>')[1:]]


def teacher_with_two_step(app, email: str = "kim@school.kr") -> str:
    """A teacher who set up two-step sign-in through the account page; returns the secret."""
    factories.teacher(email)
    return turn_on_two_step(app, email)


def turn_on_two_step(app, email: str) -> str:
    client = app.test_client()
    factories.sign_in_staff(client, email)
    secret = shown_secret(client.get("/signin/setup-code", headers=EN).get_data(as_text=True))
    done = client.post("/signin/setup-code", data={"current_password": factories.PASSWORD,
                                                   "code": pyotp.TOTP(secret).at(clock())})
    assert done.status_code == 200 and len(recovery_codes_in(done.get_data(as_text=True))) == 10
    assert secret_of(email) == secret
    return secret


def password_step(app, email: str):
    client = app.test_client()
    response = client.post("/signin", data={"email": email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client, response.headers["Location"]


def test_admin_must_set_up_two_step_sign_in_and_gets_recovery_codes(app, ctx):
    owner = factories.teacher("owner@school.kr")
    auth.create_account("admin", "boss@school.kr", factories.PASSWORD, owner.school)
    db.session.commit()
    client, location = password_step(app, "boss@school.kr")
    assert location.endswith("/signin/setup-code")
    assert client.get("/admin/").status_code == 302  # not signed in yet
    page = client.get("/signin/setup-code", headers=EN).get_data(as_text=True)
    assert "current_password" not in page  # the first enrolment follows the password at once
    secret = shown_secret(page)
    assert secret not in str(client.get_cookie("session").value)  # the cookie holds a nonce, not the key
    assert client.post("/signin/setup-code", data={"code": "000000"}).status_code == 401
    done = client.post("/signin/setup-code", data={"code": pyotp.TOTP(secret).at(clock())}, headers=EN)
    assert done.status_code == 200
    assert len(recovery_codes_in(done.get_data(as_text=True))) == 10
    assert 'href="/admin/"' in done.get_data(as_text=True)
    assert client.get("/admin/").status_code == 200
    assert secret_of("boss@school.kr") == secret


def test_teacher_turns_on_two_step_then_needs_the_code(app, ctx):
    secret = teacher_with_two_step(app)
    fresh, location = password_step(app, "kim@school.kr")
    assert location.endswith("/signin/code")
    assert fresh.get("/teach/").status_code == 302
    clock.advance(30)
    assert fresh.post("/signin/code", data={"code": pyotp.TOTP(secret).at(clock())}).status_code == 302
    assert fresh.get("/teach/").status_code == 200


@pytest.mark.parametrize("role", ["teacher", "admin"])
def test_a_pending_sign_in_cannot_set_up_a_new_secret(app, ctx, role):
    """The review's bypass: password accepted, then the setup page, a new secret of the attacker's, signed in."""
    school = factories.teacher("owner@school.kr").school
    factories.staff(role, "victim@school.kr", school)
    owners_secret = secret_of("victim@school.kr") or turn_on_two_step(app, "victim@school.kr")
    attacker, location = password_step(app, "victim@school.kr")
    assert location.endswith("/signin/code")
    page = attacker.get("/signin/setup-code")
    assert page.status_code == 302 and page.headers["Location"].endswith("/signin/code")
    their_secret = pyotp.random_base32()
    for code in (pyotp.TOTP(their_secret).at(clock()), "123456"):
        answer = attacker.post("/signin/setup-code", data={"code": code})
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/signin/code")
    assert attacker.get("/admin/" if role == "admin" else "/teach/").status_code == 302  # still not signed in
    assert secret_of("victim@school.kr") == owners_secret
    owner = app.test_client()
    assert factories.sign_in_staff(owner, "victim@school.kr").status_code == 302
    assert owner.get("/admin/" if role == "admin" else "/teach/").status_code == 200


def test_a_code_works_once(app, ctx):
    secret = teacher_with_two_step(app)
    clock.advance(30)
    code = pyotp.TOTP(secret).at(clock())
    first, _ = password_step(app, "kim@school.kr")
    assert first.post("/signin/code", data={"code": code}).status_code == 302
    second, _ = password_step(app, "kim@school.kr")
    assert second.post("/signin/code", data={"code": code}).status_code == 401  # replayed
    earlier = pyotp.TOTP(secret).at(clock() - 30)  # an older step, still inside the drift window
    assert second.post("/signin/code", data={"code": earlier}).status_code == 401
    assert second.get("/teach/").status_code == 302
    clock.advance(30)
    assert second.post("/signin/code", data={"code": pyotp.TOTP(secret).at(clock())}).status_code == 302


def test_the_code_used_to_set_up_does_not_sign_in_again(app, ctx):
    factories.teacher("kim@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "kim@school.kr")
    secret = shown_secret(client.get("/signin/setup-code", headers=EN).get_data(as_text=True))
    code = pyotp.TOTP(secret).at(clock())
    client.post("/signin/setup-code", data={"current_password": factories.PASSWORD, "code": code})
    other, _ = password_step(app, "kim@school.kr")
    assert other.post("/signin/code", data={"code": code}).status_code == 401


def test_changing_or_removing_the_factor_needs_the_password(app, ctx):
    secret = teacher_with_two_step(app)
    client = app.test_client()
    factories.sign_in_staff(client, "kim@school.kr")
    assert client.post("/account/security", data={"action": "disable"}).status_code == 422
    assert client.post("/account/security", data={"action": "disable",
                                                  "current_password": "not-my-password"}).status_code == 401
    assert secret_of("kim@school.kr") == secret
    page = client.get("/signin/setup-code", headers=EN).get_data(as_text=True)
    assert "replaces the authenticator" in page and 'name="current_password"' in page
    new_secret = shown_secret(page)
    replace = client.post("/signin/setup-code", data={"code": pyotp.TOTP(new_secret).at(clock())})
    assert replace.status_code == 422
    replace = client.post("/signin/setup-code", data={"current_password": "wrong-password-1",
                                                      "code": pyotp.TOTP(new_secret).at(clock())})
    assert replace.status_code == 401
    assert secret_of("kim@school.kr") == secret
    off = client.post("/account/security", data={"action": "disable", "current_password": factories.PASSWORD})
    assert off.status_code == 302
    assert secret_of("kim@school.kr") is None


def test_admins_cannot_turn_two_step_off(app, ctx):
    school = factories.teacher("owner@school.kr").school
    factories.staff("admin", "boss@school.kr", school)
    client = app.test_client()
    factories.sign_in_staff(client, "boss@school.kr")
    refused = client.post("/account/security", data={"action": "disable", "current_password": factories.PASSWORD})
    assert refused.status_code == 400
    assert secret_of("boss@school.kr") is not None


def test_wrong_codes_are_limited_per_account(app, ctx):
    secret_a = teacher_with_two_step(app, "a@school.kr")
    secret_b = teacher_with_two_step(app, "b@school.kr")
    clock.advance(30)
    client_a, _ = password_step(app, "a@school.kr")
    for _ in range(5):
        assert client_a.post("/signin/code", data={"code": "123456"}).status_code == 401
    assert client_a.post("/signin/code", data={"code": pyotp.TOTP(secret_a).at(clock())}).status_code == 429
    client_b, _ = password_step(app, "b@school.kr")  # another account is not blocked by a's mistakes
    assert client_b.post("/signin/code", data={"code": pyotp.TOTP(secret_b).at(clock())}).status_code == 302


def test_wrong_setup_codes_are_limited_per_account(app, ctx):
    """Every signed-in user shared one counter: one teacher's mistakes blocked everyone else's setup."""
    factories.teacher("a@school.kr")
    factories.teacher("b@school.kr")
    client_a, client_b = app.test_client(), app.test_client()
    factories.sign_in_staff(client_a, "a@school.kr")
    factories.sign_in_staff(client_b, "b@school.kr")
    client_a.get("/signin/setup-code")
    for _ in range(5):
        answer = client_a.post("/signin/setup-code", data={"current_password": factories.PASSWORD,
                                                           "code": "000000"})
        assert answer.status_code == 401
    assert client_a.post("/signin/setup-code", data={"current_password": factories.PASSWORD,
                                                     "code": "000000"}).status_code == 429
    secret = shown_secret(client_b.get("/signin/setup-code", headers=EN).get_data(as_text=True))
    done = client_b.post("/signin/setup-code", data={"current_password": factories.PASSWORD,
                                                     "code": pyotp.TOTP(secret).at(clock())})
    assert done.status_code == 200


def test_recovery_codes_work_once_each(app, ctx):
    factories.teacher("kim@school.kr")
    client = app.test_client()
    factories.sign_in_staff(client, "kim@school.kr")
    secret = shown_secret(client.get("/signin/setup-code", headers=EN).get_data(as_text=True))
    page = client.post("/signin/setup-code", data={"current_password": factories.PASSWORD,
                                                   "code": pyotp.TOTP(secret).at(clock())}).get_data(as_text=True)
    codes = recovery_codes_in(page)
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.execute(select(Account.id)).all()
    assert stored and all(code not in str(stored) for code in codes)
    for code in codes[:2]:
        phone_lost, _ = password_step(app, "kim@school.kr")
        assert phone_lost.post("/signin/code", data={"code": code.upper()}).status_code == 302
        assert phone_lost.get("/teach/").status_code == 200
        again, _ = password_step(app, "kim@school.kr")
        assert again.post("/signin/code", data={"code": code}).status_code == 401
    security = phone_lost.get("/account/security", headers=EN).get_data(as_text=True)
    assert "8 unused recovery codes" in security
    fresh = phone_lost.post("/account/security", data={"action": "recovery-codes",
                                                       "current_password": factories.PASSWORD})
    new_codes = recovery_codes_in(fresh.get_data(as_text=True))
    assert len(new_codes) == 10
    old, _ = password_step(app, "kim@school.kr")
    assert old.post("/signin/code", data={"code": codes[5]}).status_code == 401  # replaced
    assert old.post("/signin/code", data={"code": new_codes[0]}).status_code == 302


def test_the_operator_reset_is_audited_and_makes_the_admin_enrol_again(app, ctx):
    school = factories.teacher("owner@school.kr").school
    admin = factories.staff("admin", "boss@school.kr", school)
    signed_in = app.test_client()
    factories.sign_in_staff(signed_in, "boss@school.kr")
    result = CliRunner().invoke(app.cli, ["two-step", "reset", "BOSS@school.kr"])
    assert result.exit_code == 0, result.output
    assert secret_of("boss@school.kr") is None
    assert signed_in.get("/admin/").status_code == 302  # every session ended
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reset_two_step"))
    assert event.target == f"account:{admin.id}" and event.school_id == school.id and event.account_id is None
    client, location = password_step(app, "boss@school.kr")
    assert location.endswith("/signin/setup-code")
    secret = shown_secret(client.get("/signin/setup-code", headers=EN).get_data(as_text=True))
    assert client.post("/signin/setup-code", data={"code": pyotp.TOTP(secret).at(clock())}).status_code == 200
    audit_page = client.get("/admin/audit", headers=EN).get_data(as_text=True)
    assert "Two-step sign-in reset by the operator" in audit_page
    missing = CliRunner().invoke(app.cli, ["two-step", "reset", "nobody@school.kr"])
    assert missing.exit_code != 0 and "no staff account" in missing.output
