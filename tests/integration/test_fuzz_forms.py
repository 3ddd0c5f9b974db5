"""Hypothesis fuzzes every POST route's fields and every GET route's query string with every role: never a 500,
whatever they hold."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edu.content_service import catalog
from edu.extensions import db
from edu.teach import services as teach
from tests import factories

FIELDS = ["email", "password", "school_name", "code", "pseudonym", "pin", "name", "locale", "age_band",
          "country", "quiz_policy", "target", "opens_on", "due_on", "kind", "count", "confirm", "text", "choice",
          "to", "action", "attempt", "question", "option", "lesson", "block", "resume", "lead", "open",
          "consent_on", "method", "next", "direction"]
NASTY = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "0", "-1", "99999999999999999999", "2026-13-45", "null", "../../etc/passwd",
                     "<script>alert(1)</script>", "' OR 1=1 --", "\x00", "가" * 5000, "consent", "q1", "a"]),
)
FORMS = st.dictionaries(st.sampled_from(FIELDS), st.one_of(NASTY, st.lists(NASTY, max_size=3)), max_size=8)
# Every argument a view reads (step, by, next, code, country, locale, band, the author preview's block, choice and
# r.<block>), and some it does not.
ARGS = ["step", "by", "next", "code", "country", "locale", "band", "block", "choice", "r.intro-check", "page", "q",
        "phase", "fmt", "attempt", "id"]
QUERIES = st.fixed_dictionaries({}, optional={arg: NASTY for arg in ARGS})  # each argument there or not
ROLES = st.sampled_from(["anonymous", "student", "teacher", "author", "admin"])


@pytest.fixture
def world(app):
    with app.app_context():
        owner = factories.teacher("owner@school.kr")
        classroom = factories.classroom(owner, locale="en")
        teach.assign(classroom, "module", "consent")
        teach.assign(classroom, "pre_survey", "prepost")
        db.session.commit()
        student, pin = factories.student(classroom)
        factories.staff("author", "author@school.kr")
        factories.staff("admin", "admin@school.kr", school=owner.school)
        clients = {"anonymous": app.test_client(), "student": app.test_client(), "teacher": app.test_client(),
                   "author": app.test_client(), "admin": app.test_client()}
        factories.sign_in_student(clients["student"], classroom, student, pin)
        for role in ("teacher", "author", "admin"):
            factories.sign_in_staff(clients[role], f"{'owner' if role == 'teacher' else role}@school.kr")
        lesson = catalog().lessons_for("consent", "en", region="KR")[0]
        quiz = catalog().quiz_for("consent", "en", "KR")
        args = {"classroom_id": classroom.id, "student_id": student.id, "assignment_id": 1, "lesson_id": lesson.id,
                "block_id": lesson.check_ids[0], "quiz_id": quiz.id, "attempt_no": 1, "phase": "pre",
                "module_id": "consent", "question_id": "x" * 32, "request_id": 1, "poll_id": 1, "account_id": 1,
                "slug": "class-agreement", "fmt": "csv", "filename": "css/app.css"}
        posts, gets = [], []
        for rule in app.url_map.iter_rules():
            with app.test_request_context():
                from flask import url_for

                url = url_for(rule.endpoint, **{a: args[a] for a in rule.arguments})
            if "POST" in rule.methods and rule.endpoint not in ("auth.signout",):
                posts.append(url)
            if "GET" in rule.methods:
                gets.append(url)
        yield clients, posts, gets


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=FORMS, role=ROLES, index=st.integers(0))
def test_no_post_route_ever_answers_500(world, form, role, index):
    clients, posts, _gets = world
    url = posts[index % len(posts)]
    response = clients[role].post(url, data=form)
    assert response.status_code < 500, (url, role, form)


def _get_check(clients, url: str):
    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
              database=None)
    @given(query=QUERIES, role=ROLES)
    def check(query, role):
        response = clients[role].get(url + "?" + urlencode(query))
        assert response.status_code < 500, (url, role, query)

    return check


def test_no_get_route_ever_answers_500(world):
    """Each GET route in turn (a route drawn at random among 45 is rarely drawn with the argument it reads)."""
    clients, _posts, gets = world
    for url in gets:
        _get_check(clients, url)()
