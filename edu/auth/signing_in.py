"""Starting a signed-in session after a correct password, PIN or code, and where to go next."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from flask import flash, redirect, request, session, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import login_user
from werkzeug.local import LocalProxy

from edu.auth import services
from edu.database import mark_request_read_only
from edu.extensions import db
from edu.forms_common import forget_csrf_token


def safe_next(default: str) -> str:
    target = request.args.get("next", "")
    parsed = urlparse(target)
    if target.startswith("/") and not target.startswith("//") and not parsed.netloc:
        return target
    return default


@contextmanager
def outside_write_lock(keep_loaded: bool = False) -> Iterator[None]:
    """Run slow argon2 work in a read transaction: SQLite's write lock is not held meanwhile, so other writers
    (a whole school signing in at the bell) do not queue behind it. Writes come after the block. With
    ``keep_loaded``, what the block loaded stays as read when its transaction ends (for a caller whose writes are
    guarded by their own WHERE clause, as a student's sign-in is), instead of being read again."""
    db.session.commit()
    mark_request_read_only("GET")
    try:
        yield
        session = db.session()
        expire = session.expire_on_commit
        session.expire_on_commit = expire and not keep_loaded
        try:
            session.commit()
        finally:
            session.expire_on_commit = expire
    finally:
        mark_request_read_only("POST")


def start_session(user) -> None:
    """A fresh session on every sign-in; a language chosen before signing in, and quiz answers sent after the
    old session expired (shown again, unsaved, on the quiz page), are kept."""
    if isinstance(user, LocalProxy):  # current_user: Flask-Login must keep the user itself, not the proxy
        user = user._get_current_object()
    chosen_locale = session.get("locale")
    pending_quiz = session.get("pending_quiz") if user.is_student else None
    session.clear()
    forget_csrf_token()  # the welcome page, rendered in this request, carries the new session's token
    if chosen_locale and not user.locale:
        user.locale = chosen_locale
        db.session.commit()
    login_user(user, remember=False)
    session.permanent = True
    now = int(time.time())
    session["seen"] = now  # the idle timeout counts from the sign-in, not from the next request
    session["signed_in_at"] = now  # the session ends EDU_MAX_SESSION_HOURS_* after this, whatever the activity
    if pending_quiz:
        session["pending_quiz"] = pending_quiz
    if not user.is_student:
        tell_of_signup_attempt(user)


def tell_of_signup_attempt(account) -> None:
    """Someone tried to sign up with this account's address: say so once, at the owner's next sign-in."""
    day = services.take_signup_notice(account)
    if day is not None:
        db.session.commit()
        flash(_("Someone tried to sign up with your address on %(date)s. Your account was not changed. If it was "
                "not you, you need do nothing.", date=format_date(day, format="long")), "info")


def second_factor_or_home(account, target: str):
    """After a correct password: ask for the authenticator code, or make an admin set one up first."""
    session.pop("totp_setup_nonce", None)
    if account.totp_secret:
        session["totp_pending"] = {"id": account.id, "v": account.session_version, "next": target}
        return redirect(url_for("account.verify_totp"))
    if account.role == "admin":
        session["totp_pending"] = {"id": account.id, "v": account.session_version, "next": target, "setup": True}
        return redirect(url_for("account.setup_totp"))
    start_session(account)
    return redirect(target)
