"""Who is signed in, and for how long: Flask-Login wiring for staff accounts and pseudonymous students, and the
idle and maximum session lifetimes. What happens to a request that arrives signed out is edu/learn/rescue.py."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import bindparam, select
from sqlalchemy.orm import defer, joinedload

from edu.extensions import db, login_manager
from edu.learn.rescue import refuse_post_without_session, rescue_unsent_work, same_origin, unauthorized
from edu.models import Account, Student

# Every signed-in request reads its user: a student comes with their class in the same query (every student page
# needs it); the PIN hash is read only where a PIN is checked. Built once.
_STUDENT = (select(Student).options(joinedload(Student.classroom), defer(Student.pin_hash))
            .where(Student.id == bindparam("pk")))
_ACCOUNT = select(Account).where(Account.id == bindparam("pk"), Account.removed_at.is_(None))  # removed staff: out


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
    login_manager.unauthorized_handler(unauthorized)
    login_manager.session_protection = "basic"
    app.before_request(_end_idle_sessions)

