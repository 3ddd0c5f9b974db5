"""Who is signed in: Flask-Login wiring for staff accounts and pseudonymous students."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer, joinedload

from edu.extensions import db, login_manager
from edu.models import Account, Student

# Every signed-in request reads its user: a student comes with their class in the same query (every student page
# needs it); the PIN hash is read only where a PIN is checked. Built once.
_STUDENT = (select(Student).options(joinedload(Student.classroom), defer(Student.pin_hash))
            .where(Student.id == bindparam("pk")))
_ACCOUNT = select(Account).where(Account.id == bindparam("pk"))


def signed_in_user():
    """The signed-in user (or Flask-Login's anonymous user) itself, not the ``current_user`` proxy to it, for code
    that reads several of its attributes."""
    return current_user._get_current_object()


def load_user(user_id: str):
    try:
        kind, raw_id, version = user_id.split(":")
        pk, session_version = int(raw_id), int(version)
    except ValueError:
        return None
    if kind == "s":
        user = db.session.scalar(_STUDENT, {"pk": pk})
    elif kind == "a":
        user = db.session.scalar(_ACCOUNT, {"pk": pk})
    else:
        return None
    if user is None or user.session_version != session_version:
        return None
    g.signed_in_id = f"{kind}:{pk}"  # for the request log: ids only, read without the row after the commit
    return user


def same_origin() -> bool:
    """Whether the request comes from one of this app's own pages: the browser says so (``Sec-Fetch-Site``), or
    its ``Origin`` is the app's own."""
    if request.headers.get("Sec-Fetch-Site") == "same-origin":
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin == request.host_url.rstrip("/")


def refuse_post_without_session():
    """403 for a POST without a valid session that did not come from the app's own pages (another site, a
    forged form): nothing is stored, no session is created or ended, no cookie is set."""
    page = render_template("errors/post_refused.html")
    session.modified = False  # the page's forms asked for a CSRF token: that must not start a session
    return page, 403


def rescue_unsent_work(status: int):
    """A POST that arrived after the session (or its CSRF token) expired: nothing it carries is lost, when it
    came from the app's own pages; from anywhere else it is refused (`refuse_post_without_session`).

    - A reflection comes back on a page to copy and paste after signing in again (returned, with ``status``).
      Nothing is stored: private words never go into the cookie.
    - Quiz answers are kept in the (new) session, so after signing in again the student finds them filled in on
      the quiz page; nothing is saved until they press Save (returns None: the caller redirects).
    None for any other request."""
    if request.method != "POST":
        return None
    if not same_origin():
        return refuse_post_without_session()
    if request.endpoint == "learn.lesson_block" and "text" in request.form:
        from edu.segment_view import REFLECTION_MAX

        lesson_url = url_for("learn.lesson", lesson_id=(request.view_args or {}).get("lesson_id", ""))
        signed_out = not current_user.is_authenticated
        back_url = url_for("auth.student_signin", next=lesson_url) if signed_out else lesson_url
        page = render_template("learn/unsaved_text.html", text=request.form["text"][:REFLECTION_MAX],
                               back_url=back_url, signed_out=signed_out)
        return page, status
    if request.endpoint == "learn.quiz":
        answers = {key[2:]: request.form.getlist(key)[:10] for key in list(request.form)[:50]
                   if key.startswith("q-")}
        session["pending_quiz"] = {"quiz": (request.view_args or {}).get("quiz_id"), "answers": answers}
    return None


def _unauthorized():
    rescued = rescue_unsent_work(401)
    if rescued is not None:
        return rescued
    if request.blueprint == "learn":
        return redirect(url_for("auth.student_signin", next=request.full_path))
    return redirect(url_for("auth.signin", next=request.full_path))


SEEN_RESOLUTION_SECONDS = 60


def _end_idle_sessions():
    """Students are signed out after 30 idle minutes, staff after 60 (settings EDU_IDLE_MINUTES_*), and every
    session ends 8 hours (students) or 12 hours (staff) after signing in, whatever the activity
    (EDU_MAX_SESSION_HOURS_*). Static files never load the user."""
    if request.endpoint == "static":
        return None
    user = signed_in_user()
    if not user.is_authenticated:
        return None
    now = int(time.time())
    kind = "STUDENT" if user.is_student else "STAFF"
    idle_limit = current_app.config[f"EDU_IDLE_MINUTES_{kind}"] * 60
    last_seen, signed_in_at = session.get("seen"), session.get("signed_in_at")
    idle = last_seen is not None and now - last_seen > idle_limit
    too_old = signed_in_at is None or now - signed_in_at > current_app.config[f"EDU_MAX_SESSION_HOURS_{kind}"] * 3600
    if idle or too_old:
        if request.method == "POST" and not same_origin():
            return refuse_post_without_session()  # another site's POST neither ends the session nor plants data
        was_student = user.is_student
        logout_user()
        session.pop("seen", None)
        session.pop("signed_in_at", None)
        rescued = rescue_unsent_work(401)
        if rescued is not None:
            return rescued
        if idle:
            flash(_("You were signed out after a while without activity. Sign in again to carry on: your saved "
                    "work is all there."), "info")
        else:
            flash(_("You were signed out because you signed in a long time ago. Sign in again to carry on: your "
                    "saved work is all there."), "info")
        return redirect(url_for("auth.student_signin" if was_student else "auth.signin",
                                next=request.full_path if request.method == "GET" else None))
    if last_seen is None or now - last_seen >= SEEN_RESOLUTION_SECONDS:
        session["seen"] = now  # at most once a minute, so most responses do not re-sign the cookie
    return None


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = "basic"
    app.before_request(_end_idle_sessions)

