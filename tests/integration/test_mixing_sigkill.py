"""The mixing buffer survives SIGKILL: students submit the survey to a real gunicorn (tests/live_server.py), the
whole server is killed with SIGKILL while their anonymous answers wait for a batch, a new server starts, more
students submit, the window closes and `flask insights flush-anonymous` writes the batch: every answer is there,
once. On SQLite the deleted buffer rows are then in neither the database file nor its write-ahead log."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import postgres_url_or_skip
from tests.live_server import DEMO_CODE, DEMO_PIN, ROOT, VENV_BIN, Client, Server

FIRST, SECOND = 6, 2  # fewer than a batch in all: nothing is written before the window closes


def _seed(env: dict, count: int) -> dict:
    code = """
import json, sys
from flask_migrate import upgrade
from sqlalchemy import select
from edu import create_app
from edu.auth.secrets import hash_pin
from edu.content_service import catalog
from edu import mixing
from edu.demo import load_demo
from edu.extensions import db
from edu.models import Classroom, Student
app = create_app()
with app.app_context():
    upgrade()
    load_demo()
    db.session.commit()
    for classroom_id, group, _n in mixing.pending_groups():  # the demo students' answers: their windows closed
        mixing.flush_group_now(classroom_id, group)
    classroom = db.session.scalar(select(Classroom).where(Classroom.join_code == sys.argv[1]))
    names = [f"Mixing Student {i:03d}" for i in range(int(sys.argv[2]))]
    pin = hash_pin(sys.argv[3])
    db.session.add_all(Student(classroom=classroom, pseudonym=n, pin_hash=pin) for n in names)
    db.session.commit()
    survey = catalog().survey("prepost", classroom.locale)
    items = [[i.id, i.identity, i.options[0].id if i.type == "knowledge" else "40" if i.type == "rating" else "4"]
             for i in survey.items_for("pre")]
    print(json.dumps({"names": names, "items": items, "classroom": classroom.id}))
"""
    result = subprocess.run([sys.executable, "-c", code, DEMO_CODE, str(count), DEMO_PIN], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def _submit(port: int, name: str, items: list) -> None:
    client = Client(port)
    client.student_signin(DEMO_CODE, name, DEMO_PIN)
    token = client.csrf("/learn/survey/pre")
    status, _headers, body = client.request("POST", "/learn/survey/pre",
                                            {"csrf_token": token, **{f"i-{i}": v for i, _identity, v in items}})
    client.close()
    assert status == 200, body[:500]


class Database:
    def __init__(self, url: str):
        self.url = url

    def rows(self, sql: str) -> list[tuple]:
        if self.url.startswith("sqlite"):
            connection = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            try:
                rows = connection.execute(sql).fetchall()
                connection.commit()
                return rows
            finally:
                connection.close()
        import psycopg

        with psycopg.connect(self.url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
            cursor = conn.execute(sql)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture
def deployment(request, tmp_path):
    admin_url = None
    if request.config.getoption("--db") == "postgresql":
        import psycopg

        admin_url = postgres_url_or_skip().replace("postgresql+psycopg://", "postgresql://")
        name = f"edu_mixing_{os.getpid()}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        url = "postgresql+psycopg://" + admin_url.removeprefix("postgresql://").rsplit("/", 1)[0] + "/" + name
    else:
        url = f"sqlite:///{tmp_path / 'mixing.db'}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EDU_", "RATELIMIT_"))}
    env.update({"DATABASE_URL": url, "SECRET_KEY": "mixing-test-secret", "EDU_ENV": "production",
                "EDU_INSTANCE_DIR": str(tmp_path / "instance"), "PYTHONPATH": str(ROOT)})
    try:
        yield env, url
    finally:
        if admin_url:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_the_buffer_survives_sigkill_and_loses_nothing(deployment):
    env, url = deployment
    database = Database(url)
    data = _seed(env, FIRST + SECOND)
    names, items = data["names"], data["items"]
    anonymous = sum(1 for _id, identity, _v in items if identity == "none")
    # the demo students' work, already written before the test's students arrive
    (base_answers,), = database.rows("SELECT count(*) FROM anonymous_survey_answers")
    (base_submissions,), = database.rows("SELECT count(*) FROM survey_submissions")
    with Server("edu.wsgi:app", env, workers=1) as server:
        for name in names[:FIRST]:
            _submit(server.port, name, items)
        os.killpg(server.process.pid, signal.SIGKILL)  # master and worker at once, no clean-up of any kind
        server.process.wait()
    assert database.rows("SELECT count(*) FROM anonymous_pending") == [(FIRST,)]
    assert database.rows("SELECT count(*) FROM anonymous_survey_answers") == [(base_answers,)]
    with Server("edu.wsgi:app", env, workers=1) as server:  # a new server on the same database
        for name in names[FIRST:]:
            _submit(server.port, name, items)
        pending_ids = [row[0] for row in database.rows("SELECT id FROM anonymous_pending")]
        assert len(pending_ids) == FIRST + SECOND
        database.rows(f"UPDATE assignments SET due_at = '2000-01-01 00:00:00' "
                      f"WHERE classroom_id = {data['classroom']} AND kind = 'pre_survey'")
        flushed = subprocess.run([str(VENV_BIN / "flask"), "--app", "edu", "insights", "flush-anonymous"], env=env,
                                 cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert flushed.returncode == 0, flushed.stderr[-3000:]
        assert f"{FIRST + SECOND} students' batches" in flushed.stdout
    assert database.rows("SELECT count(*) FROM anonymous_pending") == [(0,)]
    assert database.rows("SELECT count(*) FROM anonymous_survey_answers") == [
        (base_answers + (FIRST + SECOND) * anonymous,)]
    assert database.rows("SELECT count(*) FROM survey_submissions") == [(base_submissions + FIRST + SECOND,)]
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        stored = b"".join(Path(p).read_bytes() for p in (path, f"{path}-wal") if os.path.exists(p))
        left = [i for i in pending_ids if i.encode() in stored]
        assert left == []  # secure_delete overwrote them and the checkpoint emptied the log
