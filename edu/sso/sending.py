"""Sending the browser to a school's provider, and the one address it comes back to."""

from __future__ import annotations

import hmac

from flask import current_app, render_template, session, url_for

from edu.extensions import db
from edu.models import Account, OidcProvider, School
from edu.sso import client, services

_SESSION_KEY = "oidc_state"


def redirect_uri(school: School | None = None) -> str:
    """The school's own address (its admin's setting), else `EDU_PUBLIC_URL`, + /signin/school/return when set
    (what the admin registers at the provider), else this request's own address."""
    public = ((school.public_url if school is not None else None) or current_app.config.get("EDU_PUBLIC_URL")
              or "").strip().rstrip("/")
    path = url_for("sso.back")
    return public + path if public else url_for("sso.back", _external=True)


def to_provider(provider: OidcProvider, metadata: dict, purpose: str, account: Account | None = None,
                next_url: str = "", login_hint: str | None = None):
    """Start a flow (state, nonce, PKCE verifier kept server-side, the state also in this browser's session)
    and send the browser to the provider's authorization endpoint. Not with a redirect: the request is a form's,
    and the CSP's form-action 'self' also covers where a form's redirects lead, so a page sends it on
    (templates/sso/going.html, an immediate meta refresh and a link)."""
    flow = services.start_flow(provider, purpose, account, next_url)
    db.session.commit()
    session[_SESSION_KEY] = flow.state
    url = client.authorization_url(metadata, provider.client_id, redirect_uri(provider.school), flow.state, flow.nonce,
                                   flow.code_verifier, login_hint)
    return render_template("sso/going.html", url=url, name=provider.name)


def state_of_this_browser(state: str) -> bool:
    """The state came back to the browser that started the flow (a link sent to someone else does not sign them
    in as the sender); the session's copy is used once."""
    mine = session.pop(_SESSION_KEY, None)
    return bool(mine) and bool(state) and hmac.compare_digest(mine.encode(), state.encode())
