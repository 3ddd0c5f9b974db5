"""Who is signed in: Flask-Login wiring for staff accounts and pseudonymous students."""

from __future__ import annotations

from flask import Flask, redirect, request, session, url_for

from edu.extensions import db, login_manager
from edu.models import Account, Student


def load_user(user_id: str):
    try:
        kind, raw_id, version = user_id.split(":")
        pk, session_version = int(raw_id), int(version)
    except ValueError:
        return None
    model = {"a": Account, "s": Student}.get(kind)
    if model is None:
        return None
    user = db.session.get(model, pk)
    if user is None or user.session_version != session_version:
        return None
    return user


def keep_unsent_quiz_answers() -> None:
    """A quiz posted after the session expired: keep its answers in the (new) session, so after signing in
    again the student finds them filled in on the quiz page. Nothing is saved until they press Save."""
    if request.method == "POST" and request.endpoint == "learn.quiz":
        answers = {key[2:]: request.form.getlist(key)[:10] for key in list(request.form)[:50]
                   if key.startswith("q-")}
        session["pending_quiz"] = {"quiz": (request.view_args or {}).get("quiz_id"), "answers": answers}


def _unauthorized():
    keep_unsent_quiz_answers()
    if request.blueprint == "learn":
        return redirect(url_for("auth.student_signin", next=request.full_path))
    return redirect(url_for("auth.signin", next=request.full_path))


def init_login(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)
    login_manager.session_protection = "basic"
