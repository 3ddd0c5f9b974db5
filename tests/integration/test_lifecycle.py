"""Data lifecycle: backups, deletion that really removes data, rate limits shared through Redis."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.learn import lessons
from edu.models import Student
from edu.teach import services as teach
from tests import factories
from tests.conftest import REQUIRE_SERVICES, make_test_app


def sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite file checks (PostgreSQL is backed up with pg_dump)")


def test_backup_makes_a_consistent_copy_that_restores(app, database_url, tmp_path):
    sqlite_only(database_url)
    with app.app_context():
        classroom = factories.classroom(factories.teacher())
        factories.student(classroom)
    target = tmp_path / "backup.db"
    result = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    restored = make_test_app(f"sqlite:///{target}")
    with restored.app_context():
        assert db.session.scalar(select(func.count()).select_from(Student)) == 1
        restored_names = set(db.session.scalars(select(Student.pseudonym)))
    with app.app_context():
        assert restored_names == set(db.session.scalars(select(Student.pseudonym)))
    again = app.test_cli_runner().invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "exists" in again.output


def test_deleted_reflection_is_gone_from_the_file_after_vacuum(app, database_url):
    sqlite_only(database_url)
    canary = "canary-deleted-reflection-51d0"
    with app.app_context():
        classroom = factories.classroom(factories.teacher(), locale="en")
        teach.assign(classroom, "module", "consent")
        db.session.commit()
        student, _ = factories.student(classroom)
        lesson = catalog().lessons_for("consent", "en", region="KR")[0]
        lessons.save_reflection(student, lesson, lesson.reflection_ids[0], canary)
        db.session.commit()
        teach.remove_student(classroom, student)
        db.session.commit()
        db.session.remove()
        path = db.engine.url.database
        db.engine.dispose()
    raw = sqlite3.connect(path, isolation_level=None)
    raw.execute("PRAGMA secure_delete=ON")
    raw.execute("VACUUM")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    data = Path(path).read_bytes()
    wal = Path(path + "-wal").read_bytes() if os.path.exists(path + "-wal") else b""
    assert canary.encode() not in data and canary.encode() not in wal


def redis_url_or_skip() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # noqa: BLE001
        message = f"Redis is not reachable at {url} ({type(error).__name__}); CI requires it."
        if REQUIRE_SERVICES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return url


def test_rate_limit_counts_across_two_apps_sharing_redis(database_url, base_app):
    url = redis_url_or_skip()
    import redis

    redis.Redis.from_url(url).flushdb()
    first = make_test_app(database_url, RATELIMIT_STORAGE_URI=url)
    second = make_test_app(database_url, RATELIMIT_STORAGE_URI=url)
    data = {"email": "nobody@x.kr", "password": "wrong-password"}
    for index in range(5):
        app = first if index % 2 else second
        assert app.test_client().post("/signin", data=data).status_code == 401
    assert first.test_client().post("/signin", data=data).status_code == 429
    assert second.test_client().post("/signin", data=data).status_code == 429
    redis.Redis.from_url(url).flushdb()
