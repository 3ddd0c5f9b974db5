"""LTI 1.3 end to end, with the tests playing the LMS: a real RSA key pair, the platform's JWKS served over HTTP on
localhost, signed id_tokens, the OIDC login → authorisation redirect → id_token POST → landing page, deep linking
(the tool's signed response checked against the tool's own JWKS), and the refusals."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.lti import services
from edu.lti.keys import school_key
from edu.models import (
    Assignment,
    AuditEvent,
    Classroom,
    ClassTeacher,
    LtiCourse,
    LtiLaunchValue,
    LtiPlatform,
    LtiStudent,
    LtiToolKey,
    Reflection,
    Student,
)
from edu.teach import services as teach
from tests import factories
from tests.lti_platform import (
    AUTH_URL,
    CLIENT_ID,
    DEPLOYMENT,
    INSTRUCTOR,
    ISSUER,
    LEARNER,
    PERSON,
    RETURN_URL,
    Platform,
    new_key,
)

BASE = "https://localhost"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


@pytest.fixture
def lms(app, monkeypatch):
    monkeypatch.setitem(app.config, "EDU_PUBLIC_URL", BASE)
    platform = Platform()
    yield platform
    platform.close()


@pytest.fixture
def school(app, ctx, lms):
    """A teacher of a school that registered the test LMS (and recorded guardian consent)."""
    teacher = factories.teacher("park@school.kr")
    services.add_platform(teacher.school, **lms.registration())
    school_key(teacher.school_id)
    db.session.commit()
    return teacher


def login(client, **params) -> tuple[str, str]:
    """The LMS's OIDC login initiation; returns the state and nonce of the tool's authorisation request."""
    query = {"iss": ISSUER, "login_hint": "hint-7", "target_link_uri": f"{BASE}/lti/launch",
             "client_id": CLIENT_ID, "lti_deployment_id": DEPLOYMENT, **params}
    response = client.get("/lti/login", query_string=query, base_url=BASE)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.location.startswith(AUTH_URL + "?")
    auth = {key: values[0] for key, values in parse_qs(urlsplit(response.location).query).items()}
    assert auth["redirect_uri"] == f"{BASE}/lti/launch"
    assert auth["client_id"] == CLIENT_ID and auth["login_hint"] == "hint-7"
    assert (auth["response_type"], auth["response_mode"], auth["scope"]) == ("id_token", "form_post", "openid")
    return auth["state"], auth["nonce"]


def post_token(client, state: str, token: str):
    return client.post("/lti/launch", data={"id_token": token, "state": state}, base_url=BASE)


def launch(client, lms, **claims):
    """Login, then the platform's signed id_token POST; returns the launch response."""
    state, nonce = login(client)
    return post_token(client, state, lms.id_token(lms.claims(nonce, **claims)))


def land(client, lms, **claims):
    response = launch(client, lms, **claims)
    assert response.status_code == 303, response.get_data(as_text=True)
    assert response.location.endswith("/lti/start")
    return client.get("/lti/start", base_url=BASE)


def mapped_class(teacher, age_band="high", module="consent") -> Classroom:
    classroom = factories.classroom(teacher, name="Health 2-3", locale="en", age_band=age_band)
    teach.assign(classroom, "module", module)
    db.session.commit()
    return classroom


def map_course(client, lms, teacher, classroom):
    factories.sign_in_staff(client, teacher.email)
    landing = land(client, lms, roles=(INSTRUCTOR,), deep_link=True)
    assert 'action="/lti/course/new"' in landing.get_data(as_text=True)
    response = client.post("/lti/course/link", data={"classroom": classroom.id}, base_url=BASE)
    assert response.status_code == 302


# ---- the admin page -------------------------------------------------------------------------------------


def test_admin_registers_an_lms_and_sees_the_values_to_give_it(app, ctx, lms):
    teacher = factories.teacher("park@school.kr")
    admin = factories.staff("admin", "admin@school.kr", school=teacher.school)
    client = factories.signed_in_staff(app, admin.email)
    page = client.get("/admin/lti/")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for address in ("https://localhost/lti/login", "https://localhost/lti/launch", "https://localhost/lti/jwks.json"):
        assert address in text
    key = db.session.scalar(select(LtiToolKey).where(LtiToolKey.school_id == teacher.school_id))
    assert key.kid in text and "PRIVATE KEY" not in text and key.private_pem.splitlines()[1] not in text

    bad = client.post("/admin/lti/", data={**lms.registration(), "auth_login_url": "http://lms.school.test/auth"})
    assert bad.status_code == 422 and db.session.scalar(select(LtiPlatform)) is None
    saved = client.post("/admin/lti/", data=lms.registration())
    assert saved.status_code == 302
    platform = db.session.scalar(select(LtiPlatform))
    assert (platform.issuer, platform.client_id, platform.deployments()) == (ISSUER, CLIENT_ID, [DEPLOYMENT])
    assert client.post("/admin/lti/", data=lms.registration()).status_code == 422  # the same pair twice
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.target == f"lti-platform:{platform.id}"))
    assert ISSUER in client.get("/admin/audit").get_data(as_text=True)

    jwks = app.test_client().get("/lti/jwks.json").get_json()
    assert [k["kid"] for k in jwks["keys"]] == [key.kid]
    assert set(jwks["keys"][0]) >= {"kty", "n", "e", "alg", "use"} and "d" not in jwks["keys"][0]

    other_admin = factories.staff("admin", "admin@other.kr", school=factories.teacher("t@other.kr").school)
    other = factories.signed_in_staff(app, other_admin.email)
    assert other.post(f"/admin/lti/{platform.id}/delete").status_code == 404
    assert client.post(f"/admin/lti/{platform.id}/delete").status_code == 302
    assert db.session.scalar(select(LtiPlatform)) is None


def test_admin_page_says_when_the_public_address_is_unset(app, ctx, monkeypatch):
    monkeypatch.setitem(app.config, "EDU_PUBLIC_URL", "")
    teacher = factories.teacher("park@school.kr")
    admin = factories.staff("admin", "admin@school.kr", school=teacher.school)
    text = factories.signed_in_staff(app, admin.email).get("/admin/lti/").get_data(as_text=True)
    assert "EDU_PUBLIC_URL" in text and "/lti/login</code>" not in text


# ---- deep linking ---------------------------------------------------------------------------------------


def test_a_teacher_picks_a_module_and_the_platform_gets_a_signed_deep_link(app, ctx, lms, school):
    client = app.test_client()
    first = land(client, lms, roles=(INSTRUCTOR,), deep_link=True)
    assert first.status_code == 302 and "/signin?next=" in first.location  # a Boundaries teacher must sign in
    factories.sign_in_staff(client, school.email)
    landing = client.get("/lti/start", base_url=BASE)
    assert 'action="/lti/course/new"' in landing.get_data(as_text=True)

    created = client.post("/lti/course/new", base_url=BASE, data={
        "name": "Health 8", "locale": "en", "age_band": "high", "country": "KR"})
    assert created.status_code == 302
    classroom = db.session.scalar(select(Classroom).join(ClassTeacher).where(ClassTeacher.account_id == school.id))
    assert db.session.scalar(select(LtiCourse.classroom_id)) == classroom.id
    picker = client.get("/lti/start", base_url=BASE)
    assert 'name="module"' in picker.get_data(as_text=True)

    response = client.post("/lti/pick", data={"module": "consent"}, base_url=BASE)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'action="{RETURN_URL}"' in page
    assert "form-action 'self' https://lms.school.test" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    token = page.split('name="JWT" value="')[1].split('"')[0]

    tool_keys = app.test_client().get("/lti/jwks.json", base_url=BASE).get_json()
    key = jwt.PyJWKSet.from_dict(tool_keys)[jwt.get_unverified_header(token)["kid"]]
    body = jwt.decode(token, key.key, algorithms=["RS256"], audience=ISSUER)
    assert body["iss"] == CLIENT_ID
    assert body["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"
    assert body["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == DEPLOYMENT
    assert body[DL + "data"] == "opaque-platform-data"
    [item] = body[DL + "content_items"]
    assert (item["type"], item["url"], item["custom"]) == ("ltiResourceLink", f"{BASE}/lti/launch", {"module": "consent"})
    assert item["title"] == catalog().module("consent").title["en"]
    assert db.session.scalar(select(Assignment).where(Assignment.classroom_id == classroom.id,
                                                      Assignment.target_id == "consent"))
    with pytest.raises(jwt.InvalidSignatureError):  # the tool's key, not any key, signed it
        jwt.decode(token, new_key().public_key(), algorithms=["RS256"], audience=ISSUER)
    # the ticket is spent: the same picker cannot be posted again
    assert client.post("/lti/pick", data={"module": "consent"}, base_url=BASE).status_code == 400


def test_a_course_stays_with_its_teacher(app, ctx, lms, school):
    classroom = mapped_class(school)
    map_course(app.test_client(), lms, school, classroom)
    colleague = factories.staff("teacher", "lee@school.kr", school=school.school)
    client = app.test_client()
    factories.sign_in_staff(client, colleague.email)
    assert land(client, lms, roles=(INSTRUCTOR,), deep_link=True).status_code == 403
    assert client.post("/lti/course/link", data={"classroom": classroom.id}, base_url=BASE).status_code == 403


# ---- students -------------------------------------------------------------------------------------------


def test_a_student_launch_signs_in_a_pseudonym_and_opens_the_assigned_lesson(app, ctx, lms, school):
    classroom = mapped_class(school)
    map_course(app.test_client(), lms, school, classroom)
    client = app.test_client()
    response = land(client, lms, module="consent")
    first_lesson = catalog().lessons_for("consent", "en", region=classroom.region)[0]
    assert response.status_code == 302 and response.location.endswith(f"/learn/lesson/{first_lesson.id}")
    [student] = db.session.scalars(select(Student).where(Student.classroom_id == classroom.id)).all()
    assert client.get("/learn/").status_code == 200

    again = app.test_client()
    land(again, lms, module="consent")
    assert db.session.scalar(select(db.func.count()).select_from(Student)) == 1  # the same LMS user, same student
    land(app.test_client(), lms, sub="another-lms-user")
    assert db.session.scalar(select(db.func.count()).select_from(Student)) == 2
    assert len(set(db.session.scalars(select(Student.pseudonym)))) == 2
    assert db.session.scalar(select(LtiStudent.student_id).where(LtiStudent.student_id == student.id))


def test_reflections_are_off_in_an_lms_session(app, ctx, lms, school):
    classroom = mapped_class(school)
    map_course(app.test_client(), lms, school, classroom)
    client = app.test_client()
    land(client, lms)
    student = db.session.scalar(select(Student))
    lesson, block = next((lesson, seg) for lesson in catalog().lessons_for("consent", "en", region=classroom.region)
                         for step in lesson.steps for seg in step.segments if seg.kind == "reflection")
    step = next(n for n, s in enumerate(lesson.steps, 1) if block in s.segments)
    client.post("/learn/survey/pre", data={"skip": "1"})
    page = client.get(f"/learn/lesson/{lesson.id}?step={step}").get_data(as_text=True)
    assert "Writing here is switched off" in page and f'id="reflection-{block.id}"' not in page
    saved = client.post(f"/learn/lesson/{lesson.id}/block/{block.id}", data={"text": "what I think"})
    assert saved.status_code == 400
    assert db.session.scalar(select(Reflection).where(Reflection.student_id == student.id)) is None

    # the same class's students who joined with a code keep their private text box
    _other, joined = factories.signed_in_student(app, classroom)
    joined.post("/learn/survey/pre", data={"skip": "1"})
    assert f'id="reflection-{block.id}"' in joined.get(f"/learn/lesson/{lesson.id}?step={step}").get_data(as_text=True)


def test_students_follow_the_guardian_consent_rule(app, ctx, lms):
    teacher = factories.teacher("park@school.kr", consent=False)
    services.add_platform(teacher.school, **lms.registration())
    db.session.commit()
    classroom = mapped_class(teacher, age_band="middle")
    map_course(app.test_client(), lms, teacher, classroom)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = land(client, lms)
    assert response.status_code == 403 and "permission from parents or guardians" in response.get_data(as_text=True)
    assert db.session.scalar(select(Student)) is None


def test_a_student_before_the_teacher_set_up_the_course(app, ctx, lms, school):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = land(client, lms)
    assert response.status_code == 403 and "has not set up" in response.get_data(as_text=True)
    assert land(app.test_client(), lms, roles=("http://purl.imsglobal.org/vocab/lis/v2/membership#Mentor",)
                ).status_code == 403


def test_no_name_email_or_lms_id_is_stored_anywhere(app, ctx, lms, school):
    classroom = mapped_class(school)
    map_course(app.test_client(), lms, school, classroom)
    land(app.test_client(), lms, module="consent")
    land(app.test_client(), lms, sub="second-user", module="consent")
    launch(app.test_client(), lms)  # a launch left on its ticket
    dump = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            dump.append(" ".join(str(value) for value in row))
    text = "\n".join(dump)
    assert db.session.scalar(select(LtiLaunchValue.key))  # the dump does include the launch values
    for secret in (*PERSON.values(), "Minji", "8f2d-lms-user-1", "second-user", "course-42", "SIS-20261234",
                   "Health 8 (Ms Park)", "HEALTH-8", "hint-7"):
        assert secret not in text, secret


# ---- frames ---------------------------------------------------------------------------------------------


def test_a_launch_in_a_frame_offers_a_new_window(app, ctx, lms, school):
    client = app.test_client()
    query = {"iss": ISSUER, "login_hint": "hint-7", "client_id": CLIENT_ID, "lti_message_hint": "m-1"}
    framed = client.get("/lti/login", query_string=query, base_url=BASE, headers={"Sec-Fetch-Dest": "iframe"})
    page = framed.get_data(as_text=True)
    assert framed.status_code == 200 and 'target="_blank"' in page and "lti1p3_new_window=1" in page
    assert "lti_message_hint=m-1" in page
    assert "frame-ancestors https:" in framed.headers["Content-Security-Policy"]
    assert db.session.scalar(select(LtiLaunchValue)) is None  # nothing started inside the frame
    opened = client.get("/lti/login", query_string={**query, "lti1p3_new_window": "1"}, base_url=BASE,
                        headers={"Sec-Fetch-Dest": "document"})
    assert opened.status_code == 302 and opened.location.startswith(AUTH_URL)
    assert "frame-ancestors 'none'" in client.get("/", base_url=BASE).headers["Content-Security-Policy"]


# ---- refusals -------------------------------------------------------------------------------------------


def _refused(response) -> None:
    assert response.status_code == 400
    assert services.TICKET_COOKIE not in response.headers.get("Set-Cookie", "")


@pytest.mark.parametrize("case", ["bad_signature", "unknown_kid", "wrong_issuer", "wrong_deployment",
                                  "wrong_client", "expired", "no_expiry", "wrong_nonce"])
def test_launches_that_are_refused(app, ctx, lms, school, case):
    client = app.test_client()
    state, nonce = login(client)
    claims = lms.claims(nonce, roles=(LEARNER,))
    key, kid = None, None
    if case == "bad_signature":
        key = new_key()
    elif case == "unknown_kid":
        kid = "another-key"
    elif case == "wrong_issuer":
        claims["iss"] = "https://lms.elsewhere.test"
    elif case == "wrong_deployment":
        claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = "2:other"
    elif case == "wrong_client":
        claims["aud"] = "someone-else"
    elif case == "expired":
        claims = lms.claims(nonce, lifetime=-60)
    elif case == "no_expiry":
        del claims["exp"]
    elif case == "wrong_nonce":
        claims["nonce"] = "a" * 64
    _refused(post_token(client, state, lms.id_token(claims, key=key, kid=kid)))


def test_a_replayed_id_token_is_refused(app, ctx, lms, school):
    classroom = mapped_class(school)
    map_course(app.test_client(), lms, school, classroom)
    client = app.test_client()
    state, nonce = login(client)
    token = lms.id_token(lms.claims(nonce))
    assert post_token(client, state, token).status_code == 303
    _refused(post_token(client, state, token))
    # and the ticket of the first works once
    assert client.get("/lti/start", base_url=BASE).status_code == 302
    assert client.get("/lti/start", base_url=BASE).status_code == 400


def test_a_wrong_or_missing_state_is_refused(app, ctx, lms, school):
    client = app.test_client()
    state, nonce = login(client)
    token = lms.id_token(lms.claims(nonce))
    _refused(post_token(client, "state-forged", token))
    _refused(post_token(app.test_client(), state, token))  # another browser: no state cookie


def test_login_initiation_refusals(app, ctx, lms, school):
    client = app.test_client()
    for query in ({"iss": "https://lms.elsewhere.test", "login_hint": "h", "client_id": CLIENT_ID},
                  {"iss": ISSUER, "client_id": CLIENT_ID}, {"iss": ISSUER, "login_hint": "h", "client_id": "x"}):
        assert client.get("/lti/login", query_string=query, base_url=BASE).status_code == 400
    assert client.get("/lti/start", base_url=BASE).status_code == 400
