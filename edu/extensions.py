"""Unbound extensions; create_app binds them."""

from __future__ import annotations

from flask import request
from flask.globals import request_ctx
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def client_ip() -> str:
    return request.remote_addr or "unknown"


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=client_ip)


def drop_route_wide_limit_check(app) -> None:
    """Take Flask-Limiter's before-request check off the app when it has nothing to check.

    Flask-Limiter checks two kinds of limits. A limit on a view (``@limiter.limit``, every limit this app has:
    sign-in, joining, the anonymous question box) is checked by the view's own wrapper when the view is
    called. Limits on every route (application, default, blueprint and meta limits) are checked by a hook before
    every request. This app declares none of the second kind, so that hook looked for limits on every request
    and never found one, at 8% of a lesson page's cost. It stays in place the moment any such limit is declared,
    so no limit can be skipped; tests/integration/test_fast_paths.py checks both."""
    manager = limiter.limit_manager
    if (manager.application_limits or manager.default_limits or manager._blueprint_limits
            or limiter._meta_limits):
        return
    app.before_request_funcs[None].remove(limiter._check_request_limit)


def _request_met_a_limit() -> bool:
    """Whether Flask-Limiter kept state for this request: it does once a limit is checked (a limited view ran,
    or the route-wide check)."""
    return hasattr(request_ctx._get_current_object(), "_limiter_request_context")


def run_limiter_response_hooks_only_when_limited(app) -> None:
    """Flask-Limiter's two hooks after each request, run only for a request that met a limit.

    After every response Flask-Limiter counts the conditional deductions (``deduct_when``: here, failed sign-ins)
    and adds rate-limit headers (switched off here), and as the request ends it clears its state for the request.
    Both work on state it keeps only for a request that checked a limit; for any other request (every lesson
    page) they built that state just to find it empty, 2% of a lesson page. Failed sign-ins still count
    (tests/integration/test_auth.py)."""
    after, teardown = app.after_request_funcs[None], app.teardown_request_funcs[None]
    inject = next(hook for hook in after if getattr(hook, "args", None) == (limiter,))
    release = next(hook for hook in teardown if getattr(hook, "__self__", None) is limiter)

    def after_a_limited_request(response):
        return inject(response) if _request_met_a_limit() else response

    def end_a_limited_request(error=None):
        if _request_met_a_limit():
            release(error)

    after[after.index(inject)] = after_a_limited_request
    teardown[teardown.index(release)] = end_a_limited_request
