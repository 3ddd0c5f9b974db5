"""Rate-limit keys and limits for the sign-in pages (Flask-Limiter), read from the app's configuration."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import gettext as _
from flask_login import current_user

from edu.auth.codes import normalise_join_code, normalise_pseudonym


def failed_sign_in(response) -> bool:
    return response.status_code == 401


def staff_key() -> str:
    return "staff:" + request.form.get("email", "").strip().lower()


def student_key() -> str:
    code = normalise_join_code(request.form.get("code", ""))
    return f"student:{code}:{normalise_pseudonym(request.form.get('pseudonym', ''))}"


def class_key() -> str:
    return "class:" + normalise_join_code(request.form.get("code", ""))


def password_change_key() -> str:
    return f"password-change:{current_user.id}"


def class_limit() -> str:
    return current_app.config["EDU_SIGNIN_CLASS_LIMIT"]


def class_limit_message() -> str:
    return _("There were too many wrong sign-ins in this class, so signing in to it is paused for a while to keep "
             "everyone's account safe. Try again later, or ask your teacher for help.")


def account_limit() -> str:
    return current_app.config["EDU_SIGNIN_ACCOUNT_LIMIT"]


def ip_limit() -> str:
    return current_app.config["EDU_SIGNIN_IP_LIMIT"]


def join_limit() -> str:
    return current_app.config["EDU_JOIN_IP_LIMIT"]


def signup_ip_limit() -> str:
    return current_app.config["EDU_SIGNUP_IP_LIMIT"]


def signup_email_limit() -> str:
    return current_app.config["EDU_SIGNUP_EMAIL_LIMIT"]


def signup_email_key() -> str:
    return "signup:" + request.form.get("email", "").strip().lower()


def signup_answered(response) -> bool:
    """A sign-up counts once the form was accepted (the same answer for a new and a taken address); a form sent
    back with a mistake does not."""
    return response.status_code == 200



def two_step_key() -> str:
    """Wrong codes and passwords on the two-step pages count per account: the pending one, else the signed-in."""
    pending = session.get("totp_pending") or {}
    if pending.get("id"):
        return f"two-step:a{pending['id']}"
    if current_user.is_authenticated and not current_user.is_student:
        return f"two-step:a{current_user.id}"
    return "two-step:" + request.remote_addr if request.remote_addr else "two-step:none"
