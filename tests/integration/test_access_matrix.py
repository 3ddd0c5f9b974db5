"""Every route declares who may use it, and the role × owner matrix below holds for all of them.

Adding a route without adding it here fails the first test: nobody can forget the access rules.
"""

from __future__ import annotations

import pytest

from edu.access import PUBLIC, declared_roles
from edu.content import self_help as self_help_rules
from edu.school import invitations
from tests import factories

P = PUBLIC
# endpoint -> roles allowed. Objects in URLs belong to "teacher" (the owner); "other_teacher" must get 404.
MATRIX: dict[str, set[str]] = {
    "public.index": {P},
    "public.get_help": {P},
    "public.staying_safe": {P},
    "public.page": {P},
    "public.self_help_step": {P},
    "public.set_language": {P},
    "public.quick_exit": {P},
    "auth.signup": {P},
    "auth.signin": {P},
    "auth.signout": {P},
    "auth.join": {P},
    "auth.join_welcome": {"student"},
    "auth.student_signin": {P},
    "account.verify_totp": {P},
    "account.setup_totp": {P},
    "account.account_security": {"teacher", "author", "admin"},
    "account.change_password": {"teacher", "author", "admin"},
    "learn.home": {"student"},
    "learn.lesson": {"student"},
    "learn.lesson_block": {"student"},
    "learn.lesson_steps": {"student"},
    "learn.lesson_progress": {"student"},
    "learn.lesson_finish": {"student"},
    "learn.module_done": {"student"},
    "learn.quiz": {"student"},
    "learn.quiz_answer": {"student"},
    "learn.quiz_result": {"student"},
    "learn.survey": {"student"},
    "learn.my_data": {"student"},
    "learn.my_data_download": {"student"},
    "learn.delete_reflections": {"student"},
    "teach.home": {"teacher"},
    "teach.new_class": {"teacher"},
    "teach.classroom": {"teacher"},
    "teach.assign": {"teacher"},
    "teach.unassign": {"teacher"},
    "teach.move_assignment": {"teacher"},
    "teach.progress": {"teacher"},
    "teach.settings": {"teacher"},
    "teach.archive": {"teacher"},
    "teach.restore": {"teacher"},
    "teach.joining": {"teacher"},
    "teach.add_students": {"teacher"},
    "teach.new_cards": {"teacher"},
    "teach.reset_pin": {"teacher"},
    "teach.pin_sheet": {"teacher"},
    "teach.students": {"teacher"},
    "teach.assignments": {"teacher"},
    "teach.edit_assignment": {"teacher"},
    "teach.assignment_students": {"teacher"},
    "teach.extend": {"teacher"},
    "teach.overdue": {"teacher"},
    "teach.reminders": {"teacher"},
    "teach.remove_student": {"teacher"},
    "teach.analysis": {"teacher"},
    "teach.export": {"teacher"},
    "author.home": {"author"},
    "author.preview_lesson": {"author", "teacher"},
    "author.preview_quiz": {"author", "teacher"},
    "author.guide": {"author", "teacher"},
    "author.worksheet": {"author", "teacher"},
    "author.sequence": {"teacher", "admin", "author"},
    "teach.sequence": {"teacher"},
    "teach.assign_sequence": {"teacher"},
    "admin.home": {"admin"},
    "admin.safeguarding_lead": {"admin"},
    "admin.audit_log": {"admin"},
    "teach.student": {"teacher"},
    "teach.guardian_consent": {"teacher", "admin"},
    "teach.outcomes": {"teacher"},
    "teach.release_outcomes": {"teacher"},
    "admin.insights": {"admin"},
    "admin.release_insights": {"admin"},
    "admin.research_export": {"admin"},
    "admin.research_tables": {"admin"},
    "safe.ask": {"student"},
    "safe.talk": {"student"},
    "safe.poll": {"student"},
    "safe.inbox": {"teacher"},
    "safe.answer": {"teacher"},
    "safe.dismiss": {"teacher"},
    "safe.talk_handled": {"teacher", "admin"},
    "safe.start_poll": {"teacher"},
    "safe.projector": {"teacher"},
    "safe.poll_results": {"teacher"},
    "safe.close_poll": {"teacher"},
    "live.projector": {"teacher"},
    "live.projector_panel": {"teacher"},
    "live.start": {"teacher"},
    "live.step": {"teacher"},
    "live.reveal": {"teacher"},
    "live.end": {"teacher"},
    "live.follow": {P},
    "live.phone": {"student"},
    "live.phone_state": {"student"},
    "live.answer": {"student"},
    "safe.pause": {"teacher"},
    "safe.admin_pause": {"admin"},
    "cases.index": {"teacher", "admin"},
    "cases.show": {"teacher", "admin"},
    "cases.move": {"teacher", "admin"},
    "cases.settings": {"admin"},
    "channel.replies": {P},
    "channel.student_answer": {P},
    "channel.teacher_reply": {"teacher"},
    "channel.case_reply": {"teacher"},
    "incidents.index": {"teacher", "admin"},
    "incidents.show": {"teacher", "admin"},
    "incidents.pause": {"teacher", "admin"},
    "incidents.resume": {"teacher", "admin"},
    "incidents.tick": {"teacher", "admin"},
    "incidents.log": {"teacher", "admin"},
    "incidents.follow_up": {"teacher", "admin"},
    "incidents.close": {"teacher", "admin"},
    "incidents.print_template": {"teacher", "admin"},
    "sso.start": {P},
    "sso.choose": {P},
    "sso.back": {P},
    "sso.account_links": {"teacher", "author", "admin"},
    "sso_admin.settings": {"admin"},
    "sso_admin.remove": {"admin"},
    "sso_admin.required": {"admin"},
    # LTI 1.3 (edu/lti/): the platform's login initiation and launch are public and CSRF-exempt (state cookie and
    # one-time nonce protect them); the landing page is public (the launch ticket says who it is for).
    "lti.login": {P},
    "lti.launch": {P},
    "lti.start": {P},
    "lti.jwks": {P},
    "lti.link_class": {"teacher"},
    "lti.new_class": {"teacher"},
    "lti.pick": {"teacher"},
    "lti_admin.registrations": {"admin"},
    "lti_admin.remove": {"admin"},
    "teach.add_co_teacher": {"teacher"},
    "teach.remove_co_teacher": {"teacher"},
    "school.settings": {"admin"},
    "school.staff": {"admin"},
    "school.invite": {"admin"},
    "school.withdraw": {"admin"},
    "school.change_role": {"admin"},
    "school.remove": {"admin"},
    "school.join": {P},
    "family.sheet": {P},
    "family.notice": {P},
    "family.school_contact": {"admin"},
    "family.renew_school_link": {"admin"},
    "family.class_notice": {"teacher"},
    "reporting.participation": {"admin"},
    "reporting.participation_csv": {"admin"},
    "reporting.school_report": {"admin"},
    "teach.import_roster": {"teacher"},
}
# Teachers reach these only as the school's safeguarding lead (the world's teachers are not leads: 403); a lead of
# another school gets 404 for this school's incident (tests/integration/test_incidents.py).
LEAD_ONLY = {endpoint for endpoint in MATRIX if endpoint.startswith("incidents.")}
# Public GET routes that only a platform's launch parameters (or its ticket) make sense of: without them they
# answer 400 with a page that says so.
NEEDS_LAUNCH = {"lti.login", "lti.start"}
OWNED_ARGUMENTS = {"classroom_id", "request_id", "case_id"}  # ids of objects that belong to the owner teacher
ROLES = ("anonymous", "student", "teacher", "other_teacher", "author", "admin")


@pytest.fixture
def world(app):
    """Clients signed in as each role, plus the ids used to build URLs."""
    with app.app_context():
        owner = factories.teacher("owner@school.kr")
        classroom = factories.classroom(owner)
        student, pin = factories.student(classroom)
        factories.teacher("other@school.kr", school_name="Elsewhere")
        factories.staff("author", "author@school.kr")
        admin = factories.staff("admin", "admin@school.kr", school=owner.school)
        clients = {role: app.test_client() for role in ROLES}
        factories.sign_in_staff(clients["teacher"], "owner@school.kr")
        factories.sign_in_staff(clients["other_teacher"], "other@school.kr")
        factories.sign_in_staff(clients["author"], "author@school.kr")
        factories.sign_in_staff(clients["admin"], "admin@school.kr")
        factories.sign_in_student(clients["student"], classroom, student, pin)
        from edu.content_service import catalog
        from edu.extensions import db
        from edu.teach import services as teach

        assignment = teach.assign(classroom, "module", "consent")
        teach.assign(classroom, "pre_survey", "prepost")
        db.session.commit()
        lesson = catalog().lessons_for("consent", "ko", region="KR")[0]
        quiz = catalog().quiz_for("consent", "ko", "KR")
        clients["student"].post(f"/learn/quiz/{quiz.id}", data={"action": "submit"})
        from edu.safeguarding import services as safeguarding

        poll_lesson = next(ls for ls in catalog().lessons_for("consent", "ko", region="KR") if ls.blocks("poll"))
        poll = safeguarding.open_poll(classroom, poll_lesson.id, poll_lesson.blocks("poll")[0].id)
        from edu.teach import pin_sheets

        token = pin_sheets.keep(classroom, owner, [(student, pin)])
        flagged = safeguarding.ask(classroom, "someone is threatening me", flagged=True)
        db.session.commit()
        from edu.safeguarding import cases

        case_id = cases.case_of_question(flagged.id).id
        from datetime import date

        from edu.models import Account
        from edu.safeguarding import incidents

        admin = db.session.scalar(db.select(Account).where(Account.email == "admin@school.kr"))
        incident = incidents.open_incident(admin, "A case in a group chat", date(2026, 12, 1))

        from edu.family import services as family
        notice_key = family.renew_notice(classroom).notice_key
        school_key = family.school_settings(owner.school).public_key
        db.session.commit()
        args = {"classroom_id": classroom.id, "slug": "class-agreement", "assignment_id": assignment.id,
                "lesson_id": lesson.id, "quiz_id": quiz.id, "block_id": lesson.check_ids[0], "attempt_no": 1,
                "phase": "pre", "module_id": "consent", "student_id": student.id, "fmt": "csv",
                "account_id": owner.id, "question_id": "0" * 32, "request_id": 1, "poll_id": poll.id,
                "token": self_help_rules.token("ko", ()), "sheet_key": token, "case_id": case_id,
                "code": classroom.join_code, "incident_id": incident.id, "doc_slug": "letter-families",
                "provider_id": 1, "platform_id": 1,
                "invitation_id": 1, "invite_key": invitations.invite(admin, "teacher"),
                "notice_key": notice_key, "school_key": school_key}
        db.session.commit()
        yield clients, args


# Routes that end the session of whoever opens them (tests/integration/test_quick_exit.py): the walks below would
# sign their own clients out.
ENDS_THE_SESSION = {"public.quick_exit"}


def rules(app, walk: bool = True):
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and not (walk and rule.endpoint in ENDS_THE_SESSION)]


def test_every_route_is_in_the_matrix_and_declares_the_same_roles(app):
    for rule in rules(app, walk=False):
        assert rule.endpoint in MATRIX, f"{rule.endpoint} ({rule.rule}) is missing from the access matrix"
        view = app.view_functions[rule.endpoint]
        assert declared_roles(view) is not None, f"{rule.endpoint} does not declare its roles"
        assert set(declared_roles(view)) == MATRIX[rule.endpoint], rule.endpoint
    assert set(MATRIX) == {rule.endpoint for rule in rules(app, walk=False)}, "the matrix lists routes that no longer exist"


# Routes whose sample content may not exist in content/ (not every module has a worksheet yet): an allowed role
# may get 404 there; the refusals of the other roles are still checked.
NO_SAMPLE = {"author.worksheet"}


def _url(app, rule, args):
    missing = [name for name in rule.arguments if name not in args]
    assert not missing, f"no sample value for {missing} in {rule.rule}"
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: args[name] for name in rule.arguments})


def test_role_by_owner_matrix_on_every_route(app, world):
    clients, args = world
    for rule in rules(app):
        url = _url(app, rule, args)
        method = "GET" if "GET" in rule.methods else "POST"
        allowed = MATRIX[rule.endpoint]
        for role in ROLES:
            if P in allowed:
                continue
            effective_role = "teacher" if role == "other_teacher" else role
            if rule.endpoint in LEAD_ONLY and effective_role == "teacher":
                assert clients[role].open(url, method=method).status_code == 403, f"{role} {method} {url}"
                continue
            if method == "POST" and effective_role in allowed and role != "other_teacher":
                continue  # allowed writes are exercised by the feature tests; here only refusals matter
            response = clients[role].open(url, method=method)
            label = f"{role} {method} {url}"
            if effective_role not in allowed:
                if role == "anonymous" and method == "POST":
                    # Without a session, a POST from another site is refused outright (and sets no cookie)
                    assert response.status_code == 403 and "Set-Cookie" not in response.headers, label
                    own_page = clients[role].open(url, method=method, headers={"Sec-Fetch-Site": "same-origin"})
                    assert own_page.status_code in (302, 400, 401), label  # sign in again; unsaved words shown
                elif role == "anonymous":
                    assert response.status_code == 302 and "signin" in response.headers["Location"], label
                else:
                    assert response.status_code == 403, label
            elif role == "other_teacher" and rule.arguments & OWNED_ARGUMENTS:
                assert response.status_code == 404, label  # someone else's class: as if it did not exist
            elif method == "GET" and rule.endpoint in NO_SAMPLE:
                assert response.status_code in (200, 302, 404), label  # allowed past the role check
            elif method == "GET":
                assert response.status_code in (200, 302), label
            else:
                assert response.status_code in (200, 302, 400, 422), label


def test_public_get_routes_answer_everyone(app, world):
    clients, args = world
    for rule in rules(app):
        if P in MATRIX[rule.endpoint] and "GET" in rule.methods:
            for role in ROLES:
                response = clients[role].get(_url(app, rule, args))
                expected = (400,) if rule.endpoint in NEEDS_LAUNCH else (200, 302)
                assert response.status_code in expected, f"{role} {rule.rule}"
