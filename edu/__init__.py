"""Boundaries: consent and digital sex-crime prevention lessons for schools."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from edu.config import PROJECT_ROOT, load_config
from edu.database import configure_engine, mark_request_read_only
from edu.extensions import babel, csrf, db, limiter, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(load_config(config))

    if app.config["EDU_TRUSTED_PROXIES"]:
        # Behind nginx: the client's address (rate limits, logs) and https come from the proxy's headers.
        hops = app.config["EDU_TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)

    check_writes = app.config["EDU_ENV"] in ("development", "testing")

    @app.before_request
    def _transaction_mode():
        """First of all hooks: reads use a deferred BEGIN, writes BEGIN IMMEDIATE; in development and tests a
        write inside a read transaction raises (see edu/database.py, `writing`)."""
        view = app.view_functions.get(request.endpoint)
        mark_request_read_only(request.method, reads_first=getattr(view, "edu_reads_first", False),
                               guarded=check_writes)

    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from edu import i18n, identity, logging_setup, request_input, security, web
    from edu.assets import init_assets
    from edu.auth.signin_page import init_signin_page_cache
    from edu.content_service import init_content
    from edu.illustrations import init_illustrations
    from edu.learn.step_cache import init_step_cache

    request_input.init_request_input(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    identity.init_login(app)
    security.init_security(app)
    init_content(app)
    init_step_cache(app)
    init_signin_page_cache(app)
    init_assets(app)
    init_illustrations(app)
    web.init_web(app)
    logging_setup.init_logging(app)

    with app.app_context():
        configure_engine(db.engine, check_writes=check_writes)

    from edu.admin.views import bp as admin_bp
    from edu.auth.account_views import bp as account_bp
    from edu.auth.views import bp as auth_bp
    from edu.author.views import bp as author_bp
    from edu.family.views import bp as family_bp
    from edu.learn import lesson_views  # noqa: F401 - the lesson player's routes, on learn_bp
    from edu.learn.views import bp as learn_bp
    from edu.live.views import bp as live_bp
    from edu.lti.admin_views import bp as lti_admin_bp
    from edu.lti.views import bp as lti_bp
    from edu.public.views import bp as public_bp
    from edu.reporting.views import bp as reporting_bp
    from edu.safeguarding.case_views import bp as cases_bp
    from edu.safeguarding.channel_views import bp as channel_bp
    from edu.safeguarding.incident_views import bp as incidents_bp
    from edu.safeguarding.views import bp as safe_bp
    from edu.school.views import bp as school_bp
    from edu.sso.admin_views import bp as sso_admin_bp
    from edu.sso.views import bp as sso_bp
    from edu.teach.views import bp as teach_bp

    for blueprint in (public_bp, auth_bp, account_bp, learn_bp, teach_bp, author_bp, admin_bp, safe_bp,
                      cases_bp, channel_bp, incidents_bp, live_bp, sso_bp, sso_admin_bp,
                      lti_bp, lti_admin_bp, school_bp,
                      family_bp, reporting_bp):
        app.register_blueprint(blueprint)

    from edu.cli import register_cli

    register_cli(app)
    return app
