"""Which language a page is shown in."""

from __future__ import annotations

from flask import current_app, request, session
from flask_login import current_user

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


def supported() -> list[str]:
    return current_app.config["EDU_LANGUAGES"]


def select_locale() -> str:
    """The user's remembered choice, then the class language (students), then the browser's."""
    languages = supported()
    if current_user and current_user.is_authenticated:
        if current_user.locale in languages:
            return current_user.locale
        if current_user.is_student and current_user.classroom.locale in languages:
            return current_user.classroom.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def select_timezone() -> str:
    """Dates are shown in the school's time zone."""
    if current_user and current_user.is_authenticated:
        school = current_user.classroom.school if current_user.is_student else current_user.school
        if school is not None:
            return school.timezone
    return current_app.config["EDU_SCHOOL_TIMEZONE"]
