"""What every page shares: template globals and friendly error pages in both languages."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, current_app, redirect, render_template, request, url_for
from flask_babel import format_number, format_percent
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from edu import dates
from edu.access import HOME_BY_ROLE
from edu.content_service import catalog
from edu.i18n import LANGUAGE_NAMES, in_locale, language
from edu.learn.rescue import rescue_unsent_work
from edu.teach.blueprint import SECTIONS
from edu.teach.labels import module_title


def _globals() -> dict:
    locale = language()
    home = None
    if current_user.is_authenticated:
        home = HOME_BY_ROLE[current_user.role]
    return {
        "current_locale": locale,
        "language_names": LANGUAGE_NAMES,
        "languages": current_app.config["EDU_LANGUAGES"],
        "quick_exit_url": current_app.config["QUICK_EXIT_URL"],
        "home_endpoint": home,
        "timedelta": timedelta,
        "in_locale": in_locale,
        "class_sections": SECTIONS,
        "module_title": lambda module_id: module_title(catalog(), module_id, locale),
    }


def _error(status: int, template: str):
    def handler(error):
        return render_template(f"errors/{template}.html", error=error), status

    return handler


def init_web(app: Flask) -> None:
    app.context_processor(_globals)
    app.add_template_filter(lambda value: format_percent(value, "#,##0%"), "percentformat")
    app.add_template_filter(format_number, "numberformat")
    app.add_template_filter(dates.format_day, "day")
    app.add_template_filter(dates.format_moment, "moment")
    app.add_template_filter(dates.format_week, "week")
    for status in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(status, _error(status, str(status) if status in (403, 404, 429) else "generic"))

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        rescued = rescue_unsent_work(400)
        if rescued is not None:
            return rescued
        if request.endpoint == "learn.quiz":
            # The session (and its CSRF token) expired mid-quiz: the answers are kept, then sign in again.
            target = request.path
            if not current_user.is_authenticated:
                return redirect(url_for("auth.student_signin", next=target))
            return redirect(target)
        return render_template("errors/csrf.html", back=request.referrer), 400
