"""The page a student sees once, right after joining: their class code, nickname and one-time PIN.

The PIN is never stored in a readable form, so it lives only in this page: the page's language switch sends it
back (in the form, with the CSRF token) and gets the same page in the other language, after the PIN is checked
against the student's own hash. The student leaves the page by confirming they wrote the PIN down, or by signing
out; nothing about the PIN goes into the session."""

from __future__ import annotations

from flask import current_app, render_template, session, url_for
from flask_babel import force_locale

from edu.auth.codes import format_join_code
from edu.auth.secrets import verify_pin
from edu.extensions import db
from edu.i18n import use_language


def welcome_page(student, pin: str) -> str:
    """The welcome page, in the request's language."""
    return render_template("auth/welcome.html", student=student, pin=pin,
                           join_code=format_join_code(student.classroom.join_code),
                           language_action=url_for("auth.join_welcome"))


def welcome_again(student, pin: str, locale: str) -> str | None:
    """The welcome page in ``locale`` (remembered as the student's language), or None when ``pin`` is not the
    student's PIN or ``locale`` not a language of the app."""
    if locale not in current_app.config["EDU_LANGUAGES"] or not verify_pin(student.pin_hash, pin.strip()):
        return None
    student.locale = locale
    session["locale"] = locale
    db.session.commit()
    use_language(locale)
    with force_locale(locale):
        return welcome_page(student, pin.strip())
