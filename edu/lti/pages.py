"""The LTI pages that need their own security headers, and the refusal pages."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import make_response, render_template

from edu.security import CONTENT_SECURITY_POLICY

# Who may frame the "open in a new window" page: any https page (an LMS's course page), and a test LMS on this
# machine's loopback (as the registration form allows).
FRAMING_LMS = "frame-ancestors https: http://127.0.0.1:* http://localhost:*"
# The params a login initiation may carry; the "open in a new window" form sends them on.
ORIGIN_HOST = re.compile(r"[A-Za-z0-9.-]+(:[0-9]{1,5})?")  # nothing that could end a CSP directive
LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "lti_deployment_id", "client_id")


def _policy(**changes: str) -> str:
    """The site's Content-Security-Policy with some directives replaced."""
    directives = []
    for directive in CONTENT_SECURITY_POLICY.split("; "):
        name = directive.split(" ", 1)[0]
        directives.append(changes.pop(name.replace("-", "_"), directive))
    return "; ".join(directives)


def framed_login(lti_request):
    """The LMS opened the tool inside its page. Boundaries never runs in a frame (its quick exit must be able to
    leave the whole page, and its cookies would be third-party there), so this one page, which holds nothing of
    anyone, may be framed by an https page (or a test LMS on loopback): it only offers to open the launch in a new window."""
    params = {key: lti_request.get_param(key) for key in LOGIN_PARAMS if lti_request.get_param(key)}
    response = make_response(render_template("lti/new_window.html", params=params))
    response.headers["Content-Security-Policy"] = _policy(frame_ancestors=FRAMING_LMS)
    return response


def deep_link_return(return_url: str, token: str):
    """The signed deep-linking response, posted by the teacher's browser to the platform (the one form that
    leaves the site: form-action allows the platform's origin on this page only)."""
    parts = urlsplit(return_url)
    if parts.scheme not in ("https", "http") or not ORIGIN_HOST.fullmatch(parts.netloc):
        return refused("invalid", 400)
    origin = f"{parts.scheme}://{parts.netloc}"
    response = make_response(render_template("lti/return.html", return_url=return_url, token=token))
    response.headers["Content-Security-Policy"] = _policy(form_action=f"form-action 'self' {origin}")
    return response


def refused(reason: str, status: int):
    return render_template("lti/refused.html", reason=reason), status
