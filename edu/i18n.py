"""Which language a page is shown in."""

from __future__ import annotations

from flask import current_app, g, request, session
from flask_babel import force_locale

from edu.identity import signed_in_user

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


def supported() -> list[str]:
    return current_app.config["EDU_LANGUAGES"]


def select_locale() -> str:
    """Flask-Babel's locale: the request's `language`."""
    return language()


def language() -> str:
    """The request's language code ("ko", "en"): the user's remembered choice, then the class language
    (students), then the browser's. Chosen once per request (Flask-Babel's locale is the same choice)."""
    return _once_per_request("language", _language_code)


def _language_code() -> str:
    languages = supported()
    user = signed_in_user()
    if user.is_authenticated:
        if user.locale in languages:
            return user.locale
        if user.is_student and user.classroom.locale in languages:
            return user.classroom.locale
    chosen = session.get("locale")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


def use_language(code: str) -> None:
    """Show the rest of this request in ``code`` (after the user chose it): `language` answers it from now on."""
    g.language = code


def in_locale(locale: str, render, *args, **kwargs):
    """``render(*args, **kwargs)`` with its own words in ``locale``: a lesson or document in one language shown
    inside pages in another ("Step 3 of 5", "Next", "Call 1366" follow the lesson, the page around it does not).
    Also a template global: ``{{ in_locale(lesson.locale, lesson_player, ...) }}``."""
    with force_locale(locale):
        return render(*args, **kwargs)


def select_timezone() -> str:
    """Dates are shown in the school's time zone."""
    user = signed_in_user()
    if user.is_authenticated:
        school = user.classroom.school if user.is_student else user.school
        if school is not None:
            return school.timezone
    return current_app.config["EDU_SCHOOL_TIMEZONE"]


def _once_per_request(name: str, compute):
    """``compute()``, called at most once per request: its value is kept in ``g`` under ``name``."""
    value = g.get(name)
    if value is None:
        value = compute()
        setattr(g, name, value)
    return value

