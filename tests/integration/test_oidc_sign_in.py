"""Staff sign-in with a school account, against a real OpenID Connect provider on localhost (tests/oidc_provider.py):
the browser's trips to the provider are real HTTP requests, and so is the app's call to the token endpoint."""

from __future__ import annotations

import html
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from sqlalchemy import func, select

from edu.extensions import db
from edu.models import Account, AuditEvent, OidcFlow, OidcLink, OidcProvider
from edu.sso import client as oidc_client
from edu.sso import services as sso
from tests import factories
from tests.clock import clock
from tests.oidc_provider import Provider

EN = {"Accept-Language": "en"}
KO = {"Accept-Language": "ko"}


@pytest.fixture
def provider():
    with Provider(clock=clock) as running:
        yield running
        oidc_client.forget(running.issuer)


@pytest.fixture
def school(app, ctx, provider):
    """A school with a teacher, an admin (two-step sign-in on) and the provider set up for school.kr."""
    teacher = factories.teacher("kim@school.kr")
    admin = factories.staff("admin", "boss@school.kr", school=teacher.school)
    added = sso.add_provider(admin, "Test School Google", provider.issuer, provider.client_id,
                             provider.client_secret, ["school.kr"])
    db.session.commit()
    return teacher, admin, added


def provider_url(response) -> str:
    """Where the app sends the browser: a page that goes on at once (meta refresh) and links there."""
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    url = html.unescape(page.split('id="provider-link" href="')[1].split('"')[0])
    assert f'<meta http-equiv="refresh" content="0;url={html.escape(url)}">' in page
    return url


def to_provider_and_back(client, response, headers=EN):
    """Follow the app's page on to the provider (a real HTTP request) and the provider's redirect back."""
    at_provider = requests.get(provider_url(response), allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlparse(at_provider.headers["Location"])
    return client.get(f"{back.path}?{back.query}", headers=headers)


def start_school_sign_in(client, email="kim@school.kr"):
    return client.post("/signin/school", data={"email": email}, headers=EN)


def link_account(app, provider_row, email="kim@school.kr", client=None):
    client = client or app.test_client()
    factories.sign_in_staff(client, email)
    started = client.post("/account/school-sign-in", headers=EN,
                          data={"current_password": factories.PASSWORD, "action": f"link:{provider_row.id}"})
    done = to_provider_and_back(client, started)
    assert done.status_code == 302 and done.headers["Location"].endswith("/account/school-sign-in")
    return client


def signed_in_home(client) -> int:
    return client.get("/teach/", headers=EN).status_code


def test_teacher_links_once_then_signs_in_with_the_school_account(app, school, provider):
    teacher, _admin, provider_row = school
    link_account(app, provider_row)
    link = db.session.scalars(select(OidcLink)).one()
    assert (link.issuer, link.subject, link.account_id) == (provider.issuer, "248289761001", teacher.id)

    browser = app.test_client()
    assert "Sign in with your school account" in browser.get("/signin", headers=EN).get_data(as_text=True)
    started = start_school_sign_in(browser)
    request = parse_qs(urlparse(provider_url(started)).query)
    assert request["code_challenge_method"] == ["S256"] and request["scope"] == ["openid email"]
    assert request["nonce"][0] and request["state"][0] and request["login_hint"] == ["kim@school.kr"]
    assert request["redirect_uri"] == ["http://localhost/signin/school/return"]
    tokens_before = provider.token_requests
    done = to_provider_and_back(browser, started)
    assert done.status_code == 302 and done.headers["Location"].endswith("/teach/")
    assert provider.token_requests == tokens_before + 1  # the code was traded at the real token endpoint
    assert signed_in_home(browser) == 200
    assert db.session.scalar(select(func.count()).select_from(OidcFlow)) == 0  # the flow is gone once used


def test_the_account_page_offers_linking_and_the_admin_log_names_it_in_both_languages(app, school, provider):
    _teacher, admin, provider_row = school
    client = link_account(app, provider_row)
    page = client.get("/account/school-sign-in", headers=EN).get_data(as_text=True)
    assert "Test School Google" in page and "Unlink Test School Google" in page
    boss = app.test_client()
    factories.sign_in_staff(boss, "boss@school.kr")
    assert "Linked a school account for sign-in" in boss.get("/admin/audit", headers=EN).get_data(as_text=True)
    korean = boss.get("/admin/audit", headers=KO).get_data(as_text=True)
    assert "학교 계정을 로그인에 연결함" in korean and "학교 계정 로그인 제공자를 추가함" in korean


@pytest.mark.parametrize("override, label", [
    ({"aud": "someone-else"}, "wrong audience"),
    ({"iss": "https://accounts.evil.example"}, "wrong issuer"),
    ({"exp": "past"}, "expired token"),
    ({"iat": "long ago"}, "issued long ago"),
    ({"nonce": None}, "no nonce"),
])
def test_an_id_token_that_fails_a_check_signs_nobody_in(app, school, provider, override, label):
    _teacher, _admin, provider_row = school
    link_account(app, provider_row)
    now = int(clock())
    values = {"past": now - 600, "long ago": now - 3600}
    provider.override = {name: values.get(value, value) for name, value in override.items()}
    if "exp" in override:
        provider.override["iat"] = now - 900
    browser = app.test_client()
    refused = to_provider_and_back(browser, start_school_sign_in(browser))
    assert refused.status_code == 401, label
    assert "did not confirm who you are" in refused.get_data(as_text=True), label
    assert signed_in_home(browser) == 302, label


def test_a_replayed_state_is_refused_even_with_the_old_session_cookie(app, school, provider):
    _teacher, _admin, provider_row = school
    link_account(app, provider_row)
    browser = app.test_client()
    started = start_school_sign_in(browser)
    old_cookie = browser.get_cookie("session").value
    at_provider = requests.get(provider_url(started), allow_redirects=False, timeout=10)
    back = urlparse(at_provider.headers["Location"])
    assert browser.get(f"{back.path}?{back.query}").status_code == 302
    for replay in (browser, app.test_client()):
        replay.set_cookie("session", old_cookie, domain="localhost")
        again = replay.get(f"{back.path}?{back.query}", headers=EN)
        assert again.status_code == 401
        assert "expired or was already used" in again.get_data(as_text=True)


def test_a_replayed_nonce_is_refused(app, school, provider):
    _teacher, _admin, provider_row = school
    link_account(app, provider_row)
    first = app.test_client()
    assert to_provider_and_back(first, start_school_sign_in(first)).status_code == 302
    provider.override = {"nonce": provider.authorize_requests[-1]["nonce"]}  # the last sign-in's nonce, again
    second = app.test_client()
    refused = to_provider_and_back(second, start_school_sign_in(second))
    assert refused.status_code == 401 and signed_in_home(second) == 302


def test_a_state_started_in_another_browser_does_not_sign_this_one_in(app, school, provider):
    _teacher, _admin, provider_row = school
    link_account(app, provider_row)
    attacker = app.test_client()
    at_provider = requests.get(provider_url(start_school_sign_in(attacker)), allow_redirects=False,
                               timeout=10)
    back = urlparse(at_provider.headers["Location"])
    victim = app.test_client()
    assert victim.get(f"{back.path}?{back.query}", headers=EN).status_code == 401
    assert signed_in_home(victim) == 302


def test_a_discovery_document_naming_another_issuer_is_not_used(app, school, provider):
    provider.discovery_issuer = "https://accounts.evil.example"
    browser = app.test_client()
    refused = start_school_sign_in(browser)
    assert refused.status_code == 502 and "could not reach" in refused.get_data(as_text=True)


@pytest.mark.parametrize("user, message", [
    ({"sub": "248289761001", "email": "kim@gmail.com", "email_verified": True}, "does not accept sign-in"),
    ({"sub": "248289761001", "email": "kim@school.kr", "email_verified": False}, "did not confirm this email"),
    ({"sub": "248289761001"}, "does not accept sign-in"),
])
def test_an_address_outside_the_allowed_domains_or_unverified_is_refused(app, school, provider, user, message):
    _teacher, _admin, provider_row = school
    link_account(app, provider_row)
    provider.user = user
    browser = app.test_client()
    refused = to_provider_and_back(browser, start_school_sign_in(browser))
    assert refused.status_code == 401 and message in refused.get_data(as_text=True)
    assert signed_in_home(browser) == 302


def test_an_unlinked_school_account_is_refused_and_no_account_is_made(app, school, provider):
    provider.user = {"sub": "new-person-7", "email": "newcomer@school.kr", "email_verified": True}
    accounts_before = db.session.scalar(select(func.count()).select_from(Account))
    browser = app.test_client()
    refused = to_provider_and_back(browser, start_school_sign_in(browser, "newcomer@school.kr"))
    assert refused.status_code == 401
    assert "not linked to a Boundaries account" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Account)) == accounts_before
    korean = app.test_client()
    refused = to_provider_and_back(korean, start_school_sign_in(korean, "newcomer@school.kr"), headers=KO)
    assert "Boundaries 계정에 연결되어 있지 않습니다" in refused.get_data(as_text=True)


def test_a_link_is_by_subject_not_by_email(app, school, provider):
    """The same address with another subject (a recycled mailbox) is not the linked person."""
    _teacher, _admin, provider_row = school
    link_account(app, provider_row)
    provider.user = {"sub": "someone-else-9", "email": "kim@school.kr", "email_verified": True}
    browser = app.test_client()
    assert to_provider_and_back(browser, start_school_sign_in(browser)).status_code == 401


def test_an_admin_still_gives_the_two_step_code_after_the_provider(app, school, provider):
    _teacher, _admin, provider_row = school
    provider.user = {"sub": "boss-1", "email": "boss@school.kr", "email_verified": True}
    link_account(app, provider_row, "boss@school.kr")
    browser = app.test_client()
    back = to_provider_and_back(browser, start_school_sign_in(browser, "boss@school.kr"))
    assert back.status_code == 302 and back.headers["Location"].endswith("/signin/code")
    assert browser.get("/admin/", headers=EN).status_code == 302  # not signed in yet
    done = browser.post("/signin/code", data={"code": factories.unused_code(app, "boss@school.kr")})
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/")
    assert browser.get("/admin/", headers=EN).status_code == 200


def test_required_single_sign_on_refuses_the_password_of_linked_teachers(app, school, provider):
    _teacher, admin, provider_row = school
    other = factories.staff("teacher", "lee@school.kr", school=admin.school)
    link_account(app, provider_row)
    boss = app.test_client()
    factories.sign_in_staff(boss, "boss@school.kr")
    assert boss.post("/admin/sign-in/required", data={"required": "1"}).status_code == 302
    assert db.session.get(Account, other.id).school.sso_required

    refused = app.test_client().post("/signin", data={"email": "kim@school.kr", "password": factories.PASSWORD},
                                     headers=EN)
    assert refused.status_code == 403 and "asks staff to sign in with the school account" in refused.get_data(
        as_text=True)
    # Unlinked teachers sign in with their password and are taken to link their school account.
    unlinked = app.test_client().post("/signin", data={"email": "lee@school.kr", "password": factories.PASSWORD})
    assert unlinked.status_code == 302 and unlinked.headers["Location"].endswith("/account/school-sign-in")
    # The admin keeps the password and the two-step code: the way back in if the provider fails.
    assert factories.sign_in_staff(app.test_client(), "boss@school.kr").headers["Location"].endswith("/admin/")
    # A linked teacher cannot unlink themselves back to passwords.
    browser = app.test_client()
    assert to_provider_and_back(browser, start_school_sign_in(browser)).status_code == 302
    kept = browser.post("/account/school-sign-in", headers=EN,
                        data={"current_password": factories.PASSWORD, "action": f"unlink:{provider_row.id}"})
    assert kept.status_code == 409 and db.session.scalar(select(func.count()).select_from(OidcLink)) == 1
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"sso_required_on", "sso_link"} <= actions
    assert boss.post("/admin/sign-in/required", data={"required": "0"}).status_code == 302
    assert app.test_client().post("/signin", data={"email": "kim@school.kr", "password": factories.PASSWORD}
                                  ).status_code == 302


def test_linking_asks_for_the_password_and_only_the_school_s_own_providers(app, school, provider):
    _teacher, _admin, provider_row = school
    elsewhere = factories.teacher("park@other.kr", school_name="Other School")
    client = app.test_client()
    factories.sign_in_staff(client, "park@other.kr")
    assert client.post("/account/school-sign-in", data={
        "current_password": factories.PASSWORD, "action": f"link:{provider_row.id}"}).status_code == 404
    mine = app.test_client()
    factories.sign_in_staff(mine, "kim@school.kr")
    wrong = mine.post("/account/school-sign-in", data={"current_password": "not-my-password",
                                                       "action": f"link:{provider_row.id}"})
    assert wrong.status_code == 401
    assert db.session.scalar(select(func.count()).select_from(OidcFlow)) == 0
    assert elsewhere.school_id != provider_row.school_id


def test_the_link_goes_to_the_account_that_started_it(app, school, provider):
    """A link started by one account and finished in a browser signed in as another is refused."""
    _teacher, admin, provider_row = school
    factories.staff("teacher", "lee@school.kr", school=admin.school)
    kim = app.test_client()
    factories.sign_in_staff(kim, "kim@school.kr")
    started = kim.post("/account/school-sign-in", data={"current_password": factories.PASSWORD,
                                                        "action": f"link:{provider_row.id}"})
    at_provider = requests.get(provider_url(started), allow_redirects=False, timeout=10)
    back = urlparse(at_provider.headers["Location"])
    factories.sign_in_staff(kim, "lee@school.kr")  # the same browser, now someone else (the session is new)
    assert kim.get(f"{back.path}?{back.query}").status_code == 401
    assert db.session.scalar(select(func.count()).select_from(OidcLink)) == 0


def test_the_admin_sets_up_a_provider_whose_secret_is_never_shown_again(app, ctx, provider):
    teacher = factories.teacher("kim@school.kr")
    factories.staff("admin", "boss@school.kr", school=teacher.school)
    boss = app.test_client()
    factories.sign_in_staff(boss, "boss@school.kr")
    page = boss.get("/admin/sign-in/", headers=EN).get_data(as_text=True)
    assert "http://localhost/signin/school/return" in page and "openid email" in page
    form = {"name": "Hanbit Google", "issuer": provider.issuer, "client_id": provider.client_id,
            "client_secret": provider.client_secret, "domains": "School.kr, @staff.school.kr"}
    for bad_issuer in ("ftp://example.org", "http://example.org", "http://127.0.0.1:9/nothing-here"):
        refused = boss.post("/admin/sign-in/", data={**form, "issuer": bad_issuer}, headers=EN)
        assert refused.status_code == 422, bad_issuer
    assert boss.post("/admin/sign-in/", data=form).status_code == 302
    saved = db.session.scalars(select(OidcProvider)).one()
    assert saved.domains == ["school.kr", "staff.school.kr"]
    assert provider.client_secret not in saved.client_secret_sealed
    page = boss.get("/admin/sign-in/", headers=EN).get_data(as_text=True)
    assert "Hanbit Google" in page and provider.client_secret not in page
    assert boss.post("/admin/sign-in/", data=form, headers=EN).status_code == 422  # the same issuer twice

    link_account(app, saved)
    assert boss.post(f"/admin/sign-in/{saved.id}/remove").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(OidcLink)) == 0
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions.count("sso_provider_add") == 1 and "sso_provider_remove" in actions


def test_another_school_s_admin_cannot_remove_the_provider(app, school, provider):
    _teacher, _admin, provider_row = school
    other = factories.teacher("park@other.kr", school_name="Other School")
    factories.staff("admin", "head@other.kr", school=other.school)
    head = app.test_client()
    factories.sign_in_staff(head, "head@other.kr")
    assert head.post(f"/admin/sign-in/{provider_row.id}/remove").status_code == 404
    assert db.session.get(OidcProvider, provider_row.id) is not None


def test_a_domain_nobody_set_up_says_so_without_naming_accounts(app, school):
    answer = app.test_client().post("/signin/school", data={"email": "kim@nowhere.kr"}, headers=EN)
    assert answer.status_code == 404 and "No school sign-in is set up" in answer.get_data(as_text=True)


def test_several_schools_on_one_domain_offer_a_choice(app, school, provider):
    _teacher, _admin, provider_row = school
    other = factories.teacher("park@other.kr", school_name="Other School")
    head = factories.staff("admin", "head@other.kr", school=other.school)
    sso.add_provider(head, "District Microsoft", provider.issuer, "another-client", "x", ["school.kr"])
    db.session.commit()
    browser = app.test_client()
    choice = start_school_sign_in(browser)
    assert choice.status_code == 200
    page = choice.get_data(as_text=True)
    assert "Test School Google" in page and "District Microsoft" in page
    link_account(app, provider_row)
    chosen = browser.post("/signin/school/choose", data={"provider": provider_row.id, "email": "kim@school.kr"})
    assert to_provider_and_back(browser, chosen).status_code == 302
    assert signed_in_home(browser) == 200


def test_refused_school_sign_ins_count_against_the_sign_in_limit_per_address(app, school):
    """Bad states and unknown domains count like wrong passwords (EDU_SIGNIN_IP_LIMIT, 20 a minute)."""
    browser = app.test_client()
    for attempt in range(20):
        url = f"/signin/school/return?state=guess-{attempt}&code=x"
        assert browser.get(url).status_code == 401
    assert browser.get("/signin/school/return?state=one-more&code=x").status_code == 429
    other = app.test_client()
    for _attempt in range(20):
        assert other.post("/signin/school", data={"email": "a@unknown.kr"},
                          environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 404
    assert other.post("/signin/school", data={"email": "a@unknown.kr"},
                      environ_base={"REMOTE_ADDR": "10.0.0.9"}).status_code == 429


def test_a_token_endpoint_that_refuses_the_client_signs_nobody_in(app, school, provider):
    """The client secret the school stored no longer matches (rotated at the provider)."""
    _teacher, _admin, provider_row = school
    link_account(app, provider_row)
    provider.client_secret = "rotated-at-the-provider"
    browser = app.test_client()
    refused = to_provider_and_back(browser, start_school_sign_in(browser))
    assert refused.status_code == 401 and "did not confirm who you are" in refused.get_data(as_text=True)
    assert signed_in_home(browser) == 302
