"""Pages anyone can open: the start page, Get help, the self-help path, staying safe, quick exit, the language
switch."""

from __future__ import annotations

from urllib.parse import urlparse

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_login import current_user, logout_user

from edu.access import public
from edu.auth.services import end_all_sessions
from edu.content_service import catalog
from edu.database import writing
from edu.domain import REGIONS
from edu.extensions import csrf, db
from edu.i18n import language, use_language
from edu.identity import signed_in_user
from edu.logging_setup import logs_no_user
from edu.public import self_help
from edu.segment_view import SegmentView

bp = Blueprint("public", __name__)


@bp.route("/")
@public
def index():
    return render_template("public/index.html")


def help_country() -> str:
    """The class's country for a student, the school's for staff, else a guess from the browser language."""
    if current_user.is_authenticated:
        if current_user.is_student:
            return current_user.classroom.country
        if current_user.school is not None:
            return current_user.school.country
    return "KR" if language() == "ko" else "INTL"


@bp.route("/help")
@public
def get_help():
    country = request.args.get("country", "").upper() or help_country()
    if country not in REGIONS:
        country = "INTL"
    locale = language()
    resources = catalog().help_for(country, locale)
    last_verified, review_by = catalog().help_meta(country)
    return render_template(
        "public/help.html", resources=resources, country=country,
        last_verified=last_verified, review_by=review_by,
    )


@bp.app_template_global("self_help_url")
def self_help_url() -> str:
    return self_help.start_url()


@bp.route("/help/p/<token>")
@public
@logs_no_user
def self_help_step(token: str):
    """One step of the self-help path. The address names neither the step nor the language; the page sets no
    cookie, carries no form and stores nothing, and its request line names no user (docs/privacy.md)."""
    found = self_help.find(token)
    if found is None:
        abort(404)
    locale, step = found
    use_language(locale)
    with force_locale(locale):
        page = self_help.build_page(catalog(), locale, step)
        return render_template("public/self_help.html", page=page, language_links=page.language_links)


@bp.route("/staying-safe")
@public
def staying_safe():
    return render_template("public/staying_safe.html")


@bp.route("/exit")
@public
def quick_exit():
    """Quick exit: a plain GET (a link, no form, no token) that ends the session and sends the browser to a neutral
    site with 303. The session ends for good, not only in this browser (the session version is bumped, as signing
    out does), and the cookie is cleared; pages are never cached (no-store), so Back finds only the sign-in page."""
    if current_user.is_authenticated:

        with writing():
            end_all_sessions(signed_in_user())
        logout_user()
    if session:  # a visitor without a session gets no cookie, not even an empty one
        session.clear()
    response = redirect(current_app.config["QUICK_EXIT_URL"], code=303)
    response.headers["Clear-Site-Data"] = '"cookies", "storage"'
    return response


@bp.route("/page/<slug>")
@public
def page(slug: str):
    locale = language()
    document = catalog().page(slug, locale)
    if document is None or document.status != "published":
        abort(404)
    view = SegmentView(catalog=catalog(), locale=locale, country=help_country())
    return render_template("public/page.html", document=document, view=view)


@bp.route("/language", methods=["POST"])
@public
@csrf.exempt
def set_language():
    """The header's language buttons. No CSRF token, so a public page carries no form token and sets no cookie:
    the session cookie is SameSite=Lax, so another site's POST arrives without it and can change nothing but the
    language of a page nobody is signed in to."""
    chosen = request.form.get("locale", "")
    if chosen in current_app.config["EDU_LANGUAGES"]:
        session["locale"] = chosen
        if current_user.is_authenticated:
            signed_in_user().locale = chosen
            db.session.commit()
    target = request.form.get("next", "/")
    if not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        target = url_for("public.index")
    return redirect(target)
