"""The app factory, configuration from the environment, and SQLite connection settings."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from edu import create_app
from edu.config import load_config

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_and_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("EDU_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = load_config()
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'boundaries.db'}"
    key_file = tmp_path / "secret_key"
    assert key_file.exists() and config["SECRET_KEY"] == key_file.read_text().strip()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert load_config()["SECRET_KEY"] == config["SECRET_KEY"]  # generated once, then reused
    assert config["EDU_CONTENT_DIR"].endswith("content") and config["EDU_LANGUAGES"] == ["ko", "en"]
    assert config["SESSION_COOKIE_HTTPONLY"] and config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert not config["SESSION_COOKIE_SECURE"]  # development

    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/x")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("EDU_ENV", "production")
    config = load_config()
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/x"
    assert config["SECRET_KEY"] == "from-env" and config["SESSION_COOKIE_SECURE"]
    assert config["EDU_RELOAD_CONTENT"] is False


def test_factory_accepts_overrides(database_url):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "EDU_LANGUAGES": ["en"]})
    assert app.config["TESTING"] and app.config["EDU_LANGUAGES"] == ["en"]
    assert {"auth", "learn", "teach", "author", "admin", "public", "safe"} <= set(app.blueprints)


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}"})
    from edu.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10000


def test_writes_begin_immediate_reads_deferred(tmp_path):
    from edu.database import mark_request_read_only
    from edu.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'b.db'}"})
    statements = []
    with app.app_context():
        from sqlalchemy import event

        # BEGIN goes straight to the driver's connection, so watch what SQLite itself is asked to run.
        event.listen(db.engine, "checkout",
                     lambda dbapi_connection, *rest: dbapi_connection.set_trace_callback(statements.append))
        mark_request_read_only("POST")
        with db.engine.begin() as connection:
            connection.execute(text("SELECT 1"))
        mark_request_read_only("GET")
        with db.engine.begin() as connection:
            connection.execute(text("SELECT 1"))
        mark_request_read_only("POST")
    begins = [s for s in statements if s.startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE", "BEGIN"]


def test_content_edits_are_picked_up_without_a_restart_in_development(tmp_path, database_url):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "EDU_CONTENT_DIR": str(content),
                      "EDU_RELOAD_CONTENT": True})
    from edu.content_service import catalog

    lesson_file = content / "lessons" / "en" / "consent" / "consent-basics.md"
    with app.app_context():
        before = catalog().lesson("consent-basics", "en").title
        lesson_file.write_text(lesson_file.read_text().replace(f"title: {before}", "title: Edited title", 1))
        assert catalog().lesson("consent-basics", "en").title == "Edited title"


@pytest.mark.parametrize("env", ["production"])
def test_production_sends_hsts(database_url, env):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "EDU_ENV": env,
                      "SESSION_COOKIE_SECURE": True})
    response = app.test_client().get("/")
    assert "max-age=" in response.headers["Strict-Transport-Security"]
