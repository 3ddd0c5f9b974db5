"""The LTI rules that must hold for every input: keyed hashes that never collide across different LMS values or
kinds, and a CSP whose directives the deep-linking page changes one at a time."""

from __future__ import annotations

from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from edu.lti import identity
from edu.lti.pages import ORIGIN_HOST, _policy
from edu.security import CONTENT_SECURITY_POLICY

app = Flask(__name__)
app.config["SECRET_KEY"] = "test-secret"
other = Flask(__name__)
other.config["SECRET_KEY"] = "another-secret"
TEXT = st.text(max_size=40)


@given(a=st.tuples(TEXT, TEXT, TEXT), b=st.tuples(TEXT, TEXT, TEXT))
def test_different_courses_never_share_a_key(a, b):
    with app.app_context():
        assert (identity.context_key(*a) == identity.context_key(*b)) == (a == b)


@given(issuer=TEXT, subject=TEXT, deployment=TEXT)
def test_a_subject_key_is_keyed_and_never_a_course_key(issuer, subject, deployment):
    with app.app_context():
        key = identity.subject_key(issuer, subject)
        assert len(key) == 64 and int(key, 16) >= 0
        assert key != identity.context_key(issuer, deployment, subject)
    with other.app_context():
        assert identity.subject_key(issuer, subject) != key  # another secret: another key


def test_policy_changes_only_the_named_directive():
    changed = _policy(form_action="form-action 'self' https://lms.school.test")
    assert changed.count(";") == CONTENT_SECURITY_POLICY.count(";")
    assert "form-action 'self' https://lms.school.test" in changed and "frame-ancestors 'none'" in changed
    assert _policy() == CONTENT_SECURITY_POLICY


@given(st.text(max_size=60))
def test_an_origin_that_could_end_a_directive_is_refused(netloc):
    if ORIGIN_HOST.fullmatch(netloc):
        assert not set(netloc) & set(" ;,'\"\n\r\t*")
