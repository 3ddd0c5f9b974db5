"""Pure rules of school-account sign-in: which issuer addresses are accepted, how allowed domains are read, and
that a sealed client secret opens only under the key it was sealed with."""

from __future__ import annotations

from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from edu.sso.client import issuer_url_problem
from edu.sso.sealing import seal, unseal
from edu.sso.services import email_domain, normalise_domains


def test_issuers_must_be_https_except_loopback_outside_production():
    assert issuer_url_problem("https://accounts.google.com", production=True) is None
    assert issuer_url_problem("https://login.microsoftonline.com/abc/v2.0", production=True) is None
    assert issuer_url_problem("http://127.0.0.1:8080", production=False) is None
    assert issuer_url_problem("http://127.0.0.1:8080", production=True) == "https"
    assert issuer_url_problem("http://accounts.google.com", production=False) == "https"
    assert issuer_url_problem("https://idp.example/?x=1", production=True) is not None
    assert issuer_url_problem("https://idp.example/#x", production=True) is not None
    assert issuer_url_problem("javascript:alert(1)", production=False) == "https"


@given(st.lists(st.from_regex(r"[a-z0-9]{1,10}\.(kr|com|ac\.kr)", fullmatch=True), min_size=1, max_size=5),
       st.sampled_from([" ", ", ", ",", "\n"]))
def test_domains_are_read_in_any_case_with_any_separator_once_each(domains, separator):
    typed = separator.join("@" + d.upper() if i % 2 else d for i, d in enumerate(domains))
    read = normalise_domains(typed)
    assert read == list(dict.fromkeys(domains))
    assert all(email_domain(f"Someone@{d.upper()}") == d for d in read)


@given(st.text(max_size=60))
def test_a_sealed_secret_opens_only_under_its_own_key(secret):
    app = Flask(__name__)
    app.config["SECRET_KEY"] = "first key"
    with app.app_context():
        sealed = seal(secret)
        assert seal(secret) != sealed  # a fresh IV each time: equal secrets do not look equal
        assert "client-secret-value" not in seal("client-secret-value")
        assert unseal(sealed) == secret
    app.config["SECRET_KEY"] = "another key"
    with app.app_context():
        assert unseal(sealed) is None
        assert unseal(sealed[:-2] + "xx") is None
