"""Who is signed in: Flask-Login wiring for staff accounts and pseudonymous students."""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from datetime import datetime

from flask import Flask, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, logout_user
from flask_login.utils import _create_identifier
from sqlalchemy import bindparam, select

from edu.extensions import db, login_manager
from edu.kept import keep
from edu.models import Account, Classroom, School, Student
from edu.reads import PreparedRead


@dataclass(frozen=True, eq=False)
class SignedInClassroom:
    """The signed-in student's class, read with them: its columns as they were at the start of the request."""

    id: int
    school_id: int
    teacher_id: int
    name: str
    locale: str
    age_band: str
    country: str
    join_code: str
    joining_open: bool
    quiz_policy: str
    archived_at: datetime | None

    region = Classroom.region  # the same rule, read from the same column

    @property
    def school(self) -> School | None:
        return db.session.get(School, self.school_id)  # rarely needed (dates): read only then


@dataclass(frozen=True, eq=False)
class SignedInStudent(UserMixin):
    """The signed-in student as every request reads them: their row and their class's, as plain values.

    Loading the student as an ORM object with their class cost 0.74 million instructions per request, against
    0.31 for the same two rows read as columns (docs/performance.md, ninth round), and less again as a prepared
    read (edu/reads.py, tenth round): every student page pays it, and none of them changes the student. The PIN
    hash is not read at all. It is read only: code that changes the student's row (their language, signing out
    everywhere) loads the row (`Student`) to change it, and assigning to this object raises."""

    id: int
    classroom_id: int
    pseudonym: str
    locale: str | None
    session_version: int
    created_at: datetime
    classroom: SignedInClassroom

    role = Student.role
    is_student = Student.is_student
    get_id = Student.get_id  # the same Flask-Login id, from the same two columns


_CLASSROOM_FIELDS = [field.name for field in fields(SignedInClassroom)]
_STUDENT_FIELDS = [field.name for field in fields(SignedInStudent) if field.name != "classroom"]

# Built once (building costs more than running). A student comes with their classroom, which every page needs.
_SIGNED_IN_STUDENT = (
    select(*[Student.__table__.c[name] for name in _STUDENT_FIELDS],
           *[Classroom.__table__.c[name].label(f"classroom_{name}") for name in _CLASSROOM_FIELDS])
    .join_from(Student.__table__, Classroom.__table__)
    .where(Student.__table__.c.id == bindparam("pk"))
)
_SIGNED_IN_READ = PreparedRead(_SIGNED_IN_STUDENT)
_ACCOUNT = select(Account).where(Account.id == bindparam("pk"))
_STUDENT_COLUMN_COUNT = len(_STUDENT_FIELDS)


def _signed_in_student(pk: int) -> SignedInStudent | None:
    rows = _SIGNED_IN_READ.rows({"pk": pk})
    if not rows:
        return None
    row = rows[0]
    return SignedInStudent(*row[:_STUDENT_COLUMN_COUNT],
                           classroom=SignedInClassroom(*row[_STUDENT_COLUMN_COUNT:]))


def signed_in_user():
    """The signed-in user (or Flask-Login's anonymous user) itself, not the ``current_user`` proxy to it: every
    attribute read through the proxy finds the user again, so code that reads several takes the object once.
    Flask-Login keeps the request's user in ``g._login_user`` once loaded; reading it there skips the proxy's
    three context lookups (a request asks five times: 2% of a lesson page)."""
    user = g.get("_login_user")
    return user if user is not None else current_user._get_current_object()


def signed_in_row():
    """The signed-in user's own database row, to change it: the staff account itself, or the student's row (the
    signed-in student is a read-only `SignedInStudent`)."""
    user = signed_in_user()
    return db.session.get(Student, user.id) if user.is_student else user


def load_user(user_id: str):
    try:
        kind, raw_id, version = user_id.split(":")
        pk, session_version = int(raw_id), int(version)
    except ValueError:
        return None
    if kind == "s":
        user = _signed_in_student(pk)
    elif kind == "a":
        user = db.session.scalar(_ACCOUNT, {"pk": pk})
    else:
        return None
    if user is None or user.session_version != session_version:
        return None
    return user


def rescue_unsent_work(status: int):
    """A POST that arrived after the session (or its CSRF token) expired: nothing it carries is lost.

    - A reflection comes back on a page to copy and paste after signing in again (returned, with ``status``).
      Nothing is stored: private words never go into the cookie.
    - Quiz answers are kept in the (new) session, so after signing in again the student finds them filled in on
      the quiz page; nothing is saved until they press Save (returns None: the caller redirects).
    None for any other request."""
    if request.method != "POST":
        return None
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
    """Students are signed out after 30 idle minutes, staff after 60 (settings EDU_IDLE_MINUTES_*)."""
    user = signed_in_user()
    if not user.is_authenticated:
        return None
    now = int(time.time())
    limit = current_app.config["EDU_IDLE_MINUTES_STUDENT" if user.is_student else "EDU_IDLE_MINUTES_STAFF"]
    last_seen = session.get("seen")
    if last_seen is not None and now - last_seen > limit * 60:
        was_student = user.is_student
        logout_user()
        for key in ("seen", "_user_id", "_id", "_fresh"):
            session.pop(key, None)
        rescued = rescue_unsent_work(401)
        if rescued is not None:
            return rescued
        flash(_("You were signed out after a while without activity. Sign in again to carry on: your saved "
                "work is all there."), "info")
        return redirect(url_for("auth.student_signin" if was_student else "auth.signin",
                                next=request.full_path if request.method == "GET" else None))
    if last_seen is None or now - last_seen >= SEEN_RESOLUTION_SECONDS:
        session["seen"] = now  # at most once a minute, so most responses do not re-sign the cookie
    return None


MAX_SESSION_IDENTIFIERS = 10_000
_session_identifiers: dict[tuple, str] = {}


def session_identifier() -> str:
    """Flask-Login's session protection identifier (a SHA-512 of the client's address and browser, compared with
    the one kept in the session on every request), computed once per address and browser in a process: the hash
    cost 2% of a lesson request. The same value as Flask-Login's own, from the same request headers; kept in this
    process's memory only, all dropped at once past ``MAX_SESSION_IDENTIFIERS``."""
    environ = request.environ
    key = (environ.get("HTTP_X_FORWARDED_FOR"), environ.get("REMOTE_ADDR"), environ.get("HTTP_USER_AGENT"))
    identifier = _session_identifiers.get(key)
    if identifier is None:
        identifier = keep(_session_identifiers, key, _create_identifier(), MAX_SESSION_IDENTIFIERS)
    return identifier


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = "basic"
    login_manager._session_identifier_generator = session_identifier  # Flask-Login's hook for the identifier
    _drop_remember_cookie_hook(app)
    app.before_request(_end_idle_sessions)


def _drop_remember_cookie_hook(app: Flask) -> None:
    """Take Flask-Login's remember-me hook off the end of every request. Boundaries has no "remember me" (every
    sign-in lasts for the browser session: students share devices), so the hook, which sets or clears that cookie,
    looked at the session after every response and found nothing to do, at 1.5% of a lesson page. Signing in
    passes ``remember=False``; tests/integration/test_auth.py checks that no remember cookie is ever set."""
    hooks = app.after_request_funcs[None]
    hooks[:] = [hook for hook in hooks if getattr(hook, "__func__", None) is not LoginManager._update_remember_cookie]
