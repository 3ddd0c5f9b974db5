"""Scale out: two app server processes on different ports share one PostgreSQL database and one Redis.

A student signed in through one server carries on through the other (shared SECRET_KEY and EDU_PIN_KEY, sessions
in the signed cookie), a failed sign-in counts against the same limit on both (RATELIMIT_STORAGE_URI=redis://...), and a quiz
answer saved through one is shown by the other (one database). Runs in the PostgreSQL pass of `make test`
(`pytest tests/integration --db=postgresql`); it creates and drops its own database and uses its own Redis
database number, so it does not touch the other tests' data. See docs/deploy.md.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import ROOT, postgres_url_or_skip
from tests.integration.test_lifecycle import redis_url_or_skip

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

DATABASE = "edu_scale_out_test"
REDIS_DB = 9  # a database number of its own: flushed before and after, never the other tests' db 0
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """Keeps cookies itself and sends them to whichever server it talks to, like one browser behind a load
    balancer. (Production cookies are Secure; over plain http on loopback we send the header by hand.)"""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port: int, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, val = value.split(";", 1)[0].partition("=")
                    self.cookies[key.strip()] = val.strip()
            return response.status, text
        finally:
            connection.close()

    def csrf(self, port: int, path: str) -> str:
        status, text = self.request(port, "GET", path)
        assert status == 200, (path, status)
        return CSRF.search(text).group(1)

    def post_form(self, port: int, form_path: str, path: str, fields: dict) -> tuple[int, str]:
        return self.request(port, "POST", path, {"csrf_token": self.csrf(port, form_path), **fields})


@pytest.fixture
def shared_services(request, tmp_path):
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: pytest tests/integration --db=postgresql")
    admin_url = postgres_url_or_skip()
    redis_url = redis_url_or_skip().rsplit("/", 1)[0] + f"/{REDIS_DB}"
    import psycopg
    import redis

    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    store = redis.Redis.from_url(redis_url)
    store.flushdb()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EDU_", "RATELIMIT_"))}
    env.update({
        "DATABASE_URL": admin_url.rsplit("/", 1)[0] + "/" + DATABASE,
        "SECRET_KEY": "scale-out-test-shared-secret",
        "EDU_PIN_KEY": "scale-out-test-shared-pin-key",
        "RATELIMIT_STORAGE_URI": redis_url,
        "EDU_ENV": "production",
        "EDU_CONTENT_DIR": str(ROOT / "content"),
        "EDU_INSTANCE_DIR": str(tmp_path / "setup"),
        "PYTHONPATH": str(ROOT),
    })
    for command in (["db", "upgrade"], ["demo"]):
        subprocess.run([str(BIN / "flask"), "--app", "edu", *command], env=env, cwd=ROOT, check=True,
                       capture_output=True, timeout=120)
    yield env
    store.flushdb()
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


@pytest.fixture
def two_servers(shared_services, tmp_path):
    """Two gunicorn processes, each with its own instance directory: nothing shared but the settings."""
    servers, logs = [], []
    try:
        for name in ("a", "b"):
            port = _free_port()
            env = dict(shared_services, EDU_INSTANCE_DIR=str(tmp_path / name))
            log = (tmp_path / f"{name}.log").open("w")
            logs.append(log)
            process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-w", "1", "--worker-class", "gthread", "--threads", "2",
                 "-b", f"127.0.0.1:{port}", "edu.wsgi:app"],
                env=env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True)
            servers.append((port, process))
        for port, process in servers:
            deadline = time.monotonic() + 30
            while True:
                assert process.poll() is None, (tmp_path / "a.log").read_text() + (tmp_path / "b.log").read_text()
                try:
                    if Browser().request(port, "GET", "/student/signin")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield [port for port, _process in servers]
    finally:
        for _port, process in servers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        for log in logs:
            log.close()


def test_two_app_servers_share_sessions_rate_limits_and_answers(two_servers):
    first, second = two_servers
    student = {"code": "DEMKR7", "pseudonym": "파란 수달 17", "pin": "246810"}

    # Signed in through the first server, the student carries on through the second.
    browser = Browser()
    status, _ = browser.post_form(first, "/student/signin", "/student/signin", student)
    assert status == 302
    status, page = browser.request(second, "GET", "/learn/lesson/consent-basics?step=1")
    assert status == 200 and 'action="/student/signin"' not in page

    # An answer saved through the second server is shown through the first.
    status, _ = browser.post_form(second, "/learn/quiz/consent-quiz", "/learn/quiz/consent-quiz",
                                  {"action": "save", "q-q2": "false"})
    assert status == 302
    status, page = browser.request(first, "GET", "/learn/quiz/consent-quiz")
    assert status == 200
    assert re.search(r'id="q-q2-false"\s+checked', page), "the answer saved on one server is not shown on the other"

    # Failed sign-ins count against one limit (5 per minute per account) across both servers.
    attacker = Browser()
    wrong = dict(student, pin="000000")
    for attempt in range(5):
        port = (first, second)[attempt % 2]
        assert attacker.post_form(port, "/student/signin", "/student/signin", wrong)[0] == 401
    assert attacker.post_form(first, "/student/signin", "/student/signin", wrong)[0] == 429
    assert attacker.post_form(second, "/student/signin", "/student/signin", wrong)[0] == 429


def test_a_live_lesson_runs_across_two_servers(two_servers):
    """The teacher's projector on one server, the students' phones on the other: the step, the answers and the
    reveal all go through the shared database."""
    first, second = two_servers
    teacher = Browser()
    assert teacher.post_form(first, "/signin", "/signin", {"email": "teacher@demo.boundaries.test",
                                                           "password": "demo-pass-2026"})[0] == 302
    _status, home = teacher.request(first, "GET", "/teach/")
    classroom_id = int(re.search(r'href="/teach/classes/(\d+)">2학년 3반<', home).group(1))
    base = f"/teach/classes/{classroom_id}/live"
    assert teacher.post_form(first, base, base + "/start", {"lesson": "consent-basics"})[0] == 302
    phones = []
    for pseudonym in ("파란 수달 17", "용감한 여우 23", "조용한 고래 31", "밝은 펭귄 42", "다정한 사슴 55"):
        phone = Browser()
        assert phone.post_form(second, "/student/signin", "/student/signin",
                               {"code": "DEMKR7", "pseudonym": pseudonym, "pin": "246810"})[0] == 302
        phones.append(phone)
    status, page = phones[0].request(second, "GET", "/learn/live")
    assert status == 200 and "block-everyday-sort" in page
    assert teacher.post_form(first, base, base + "/step", {"step": "2"})[0] == 302
    for index, phone in enumerate(phones):
        status, _ = phone.post_form(second, "/learn/live", "/learn/live/answer",
                                    {"block": "five-parts-check", "choice": ("ask-again", "only-if-no")[index % 2]})
        assert status == 302
    assert teacher.post_form(first, base, base + "/reveal", {"block": "five-parts-check"})[0] == 302
    _status, projector = teacher.request(first, "GET", base)
    counts = [int(n) for n in re.findall(r'live-totals__count">\D*(\d+)', projector)]
    assert sorted(counts) == [0, 2, 3], counts  # three chose one option, two another, none the third
    _status, page = phones[0].request(second, "GET", "/learn/live")
    assert "live-totals" in page
