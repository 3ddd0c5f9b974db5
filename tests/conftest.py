"""Shared fixtures: an app on SQLite (default) or PostgreSQL (--db=postgresql), a clean database per test."""

from __future__ import annotations

import contextvars
import os
import re
import tempfile
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings

from tests.clock import clock

ROOT = Path(__file__).resolve().parent.parent
# No test may depend on the machine's speed: Hypothesis's 200 ms deadline per example and its "too slow" health
# check are off for every property test (a test's own @settings still sets anything else).
settings.register_profile("boundaries", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("boundaries")
os.environ.setdefault("EDU_INSTANCE_DIR", tempfile.mkdtemp(prefix="edu-test-instance-"))
os.environ.setdefault("SECRET_KEY", "test-secret-key")

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REQUIRE_SERVICES = os.environ.get("EDU_REQUIRE_SERVICES") == "1"


def pytest_addoption(parser):
    parser.addoption("--db", default="sqlite", choices=["sqlite", "postgresql"],
                     help="database for the integration tests")


def pytest_sessionstart(session):
    """Compile the translation catalogs, as `make` does, so a bare `pytest` sees both languages."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po_path in (ROOT / "edu" / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)


def postgres_url_or_skip() -> str:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)
    try:
        import psycopg

        plain = url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(plain, connect_timeout=3):
            pass
    except Exception as error:  # noqa: BLE001 - any failure means "no server here"
        message = (f"PostgreSQL is not reachable at {url} ({type(error).__name__}); start it or set "
                   "TEST_DATABASE_URL. These tests run in CI, which requires the server.")
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def database_url(request, tmp_path_factory) -> str:
    if request.config.getoption("--db") == "postgresql":
        return postgres_url_or_skip()
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


class IsolatedClient(FlaskClient):
    """Each request runs in its own context, as in production, even when the test holds an app context.

    Without this, Flask reuses the test's app context for the request, so `g` (and Flask-Login's cached
    user) and the database session would leak between requests of different clients.
    """

    def open(self, *args, **kwargs):
        self._end_test_transaction()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        self._end_test_transaction()
        return response

    @staticmethod
    def _end_test_transaction():
        """The test's own session commits around each request, so it neither holds SQLite's lock nor reads
        from a stale snapshot afterwards."""
        from flask import has_app_context

        if has_app_context():
            from edu.extensions import db

            db.session.commit()


def make_test_app(database_url: str, **overrides):
    from edu import create_app

    config = {
        "TESTING": True,
        "EDU_ENV": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "EDU_CONTENT_DIR": str(ROOT / "content"),
        "EDU_RELOAD_CONTENT": False,
        "SERVER_NAME": "localhost",
        "EDU_CLOCK": clock,
        # argon2id at its minimum cost for staff passwords: the suite makes and signs in over a thousand staff
        # accounts. The tests of the real parameters ask for "standard" (tests/integration/test_security.py).
        "EDU_PASSWORD_HASHING": "light",
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


@pytest.fixture(scope="session")
def base_app(database_url):
    from edu.extensions import db

    app = make_test_app(database_url)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # A test database only: tables another branch or an older schema left behind (with foreign keys to
            # ours) would stop drop_all, so the whole schema starts empty.
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        db.drop_all()
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def wipe_database(app) -> None:
    from edu.extensions import db

    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def app(base_app):
    from edu.database import mark_request_read_only
    from edu.extensions import limiter

    wipe_database(base_app)
    limiter.reset()
    clock.reset()
    # The test's own session must not hold SQLite's write lock while it reads: requests (in their own
    # contexts) write in between. Test code that writes still commits at once.
    mark_request_read_only("GET")
    yield base_app
    mark_request_read_only("POST")
    wipe_database(base_app)


@pytest.fixture
def ctx(app):
    """An application context for the test's own database work (requests run in contexts of their own)."""
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_client(app):
    return app.test_client


@pytest.fixture
def db_session(app):
    from edu.extensions import db

    with app.app_context():
        yield db.session
        db.session.rollback()


@pytest.fixture
def lesson_class(app, ctx):
    """(an English class in Korea with the consent module assigned, the module's first lesson)."""
    from edu.content_service import catalog
    from edu.extensions import db
    from edu.teach import services as teach
    from tests import factories

    classroom = factories.classroom(factories.teacher(), locale="en", country="KR")
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    return classroom, catalog().lessons_for("consent", "en", region="KR")[0]


@pytest.fixture
def module_student(app, ctx):
    """make(modules, locale, age_band="middle", country="KR"): a signed-in client of a new student in a new class
    (its own teacher and school) with the module or modules assigned."""
    from edu.extensions import db
    from edu.teach import services as teach
    from tests import factories

    made = []

    def make(modules, locale: str, age_band: str = "middle", country: str = "KR") -> FlaskClient:
        made.append(modules)
        owner = factories.teacher(f"module-teacher{len(made)}@school.test")
        classroom = factories.classroom(owner, locale=locale, age_band=age_band, country=country)
        for module in (modules,) if isinstance(modules, str) else modules:
            teach.assign(classroom, "module", module)
        db.session.commit()
        student, pin = factories.student(classroom)
        client = app.test_client()
        factories.sign_in_student(client, classroom, student, pin)
        return client

    return make


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)
