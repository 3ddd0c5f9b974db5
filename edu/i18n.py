"""Which language a page is shown in."""

from __future__ import annotations

from babel import Locale
from flask import Flask, current_app, g, request, session
from flask_babel import get_translations

from edu.identity import signed_in_user

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}


def supported() -> list[str]:
    return current_app.config["EDU_LANGUAGES"]


_LOCALES: dict[str, Locale] = {}


def _locale(code: str) -> Locale:
    """The Babel locale of a language code, parsed once per process (Flask-Babel takes a Locale as it is)."""
    locale = _LOCALES.get(code)
    if locale is None:
        locale = _LOCALES[code] = Locale.parse(code)
    return locale


def select_locale() -> Locale:
    """Flask-Babel's locale: the request's `language`."""
    return _locale(language())


def language() -> str:
    """The request's language code ("ko", "en"): the user's remembered choice, then the class language
    (students), then the browser's. Chosen once per request (Flask-Babel's locale is the same choice), read
    without Flask-Babel's context lookups, which cost a lesson page more than the choice itself (3%)."""
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


def select_timezone() -> str:
    """Dates are shown in the school's time zone."""
    user = signed_in_user()
    if user.is_authenticated:
        school = user.classroom.school if user.is_student else user.school
        if school is not None:
            return school.timezone
    return current_app.config["EDU_SCHOOL_TIMEZONE"]


def _request_translations():
    """The request's translations, looked up once: Flask-Babel's own template callables look them up again for
    every string (two context lookups and a locale identifier each), ten or more times per page."""
    return _once_per_request("_edu_translations", get_translations)


def _once_per_request(name: str, compute):
    """``compute()``, called at most once per request: its value is kept in ``g`` under ``name``."""
    value = g.get(name)
    if value is None:
        value = compute()
        setattr(g, name, value)
    return value


def install_template_gettext(app: Flask) -> None:
    """Replace the template gettext callables Flask-Babel installed with ones that reuse the request's
    translations (same strings, same newstyle escaping and %-formatting by Jinja)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _request_translations().ugettext(s),
        ngettext=lambda s, p, n: _request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
