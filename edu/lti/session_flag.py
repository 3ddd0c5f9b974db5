"""Whether this browser session began with an LMS launch: reflections are off in it (docs/privacy.md,
"Launching from an LMS"). An LMS administrator who can act as a student could open such a session."""

from __future__ import annotations

from flask import session

LTI_SESSION = "lti"


def mark_lti_session() -> None:
    session[LTI_SESSION] = True


def in_lti_session() -> bool:
    return bool(session.get(LTI_SESSION))
