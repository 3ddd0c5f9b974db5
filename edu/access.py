"""Every route declares who may use it; a test walks app.url_map to make sure none is left out."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort

from edu.extensions import login_manager
from edu.identity import signed_in_user

PUBLIC = "public"
# Where each role lands after signing in, and where the header's home link goes.
HOME_BY_ROLE = {"student": "learn.home", "teacher": "teach.home", "author": "author.home", "admin": "admin.home"}


def public(view: Callable) -> Callable:
    view.edu_roles = (PUBLIC,)
    return view


def roles(*allowed: str) -> Callable[[Callable], Callable]:
    """Allow signed-in users with one of these roles; others are sent to sign in, or get 403."""

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = signed_in_user()
            if not user.is_authenticated:
                return login_manager.unauthorized()
            if user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapper.edu_roles = tuple(allowed)
        return wrapper

    return decorate


def declared_roles(view: Callable) -> tuple[str, ...] | None:
    return getattr(view, "edu_roles", None)


def own_school_or_404():
    """The signed-in staff member's school, or 404 for an account without one."""
    school = signed_in_user().school
    if school is None:
        abort(404)
    return school
