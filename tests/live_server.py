"""A real gunicorn on a free loopback port, and a small HTTP client that keeps cookies itself.

Used by tests/integration/test_reliability.py and, through bench/common.py, by the benchmarks (bench/ may import
from tests/, never the other way round). The server runs the documented production settings (docs/deploy.md):
one single-threaded gthread worker per core, two at least.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CORES = os.cpu_count() or 1
PRODUCTION_WORKERS = max(2, CORES)
PRODUCTION_THREADS = 1
# The demo data's Korean class, one of its students, and the PIN every demo and generated student has.
DEMO_CODE = "DEMKR7"
DEMO_STUDENT = "파란 수달 17"
DEMO_PIN = "246810"
# How long gunicorn may take to answer its first request: generous, so that a busy machine is not a failure.
STARTUP_SECONDS = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_args(app: str, port: int, workers: int | None = None, threads: int = PRODUCTION_THREADS,
                  worker_class: str = "gthread") -> list[str]:
    """The gunicorn command line; the documented production settings unless told otherwise."""
    workers = workers or PRODUCTION_WORKERS
    return [str(VENV_BIN / "gunicorn"), "-w", str(workers), "--worker-class", worker_class, "--threads", str(threads),
            "--keep-alive", "5", "--backlog", "2048", "-b", f"127.0.0.1:{port}", app]


class Server:
    """gunicorn in its own process group, its output in a temporary log file; stopped (and the log removed) on
    leaving the `with` block."""

    def __init__(self, app: str, env: dict, workers: int | None = None, threads: int = PRODUCTION_THREADS,
                 worker_class: str = "gthread"):
        self.port = free_port()
        self.cmd = gunicorn_args(app, self.port, workers, threads, worker_class)
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(prefix="edu-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.cmd, env=self.env, cwd=ROOT, stdout=self.log, stderr=self.log,
                                        start_new_session=True)
        deadline = time.monotonic() + STARTUP_SECONDS
        try:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn exited: {Path(self.log.name).read_text()[-3000:]}")
                with contextlib.suppress(OSError):
                    status, _h, _b = Client(self.port).request("GET", "/student/signin")
                    if status == 200:
                        return self
                time.sleep(0.2)
            raise RuntimeError(f"gunicorn did not answer in {STARTUP_SECONDS} s: "
                               f"{Path(self.log.name).read_text()[-3000:]}")
        except BaseException:
            self.__exit__()
            raise

    def __exit__(self, *_exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(OSError):
            os.unlink(self.log.name)

    def log_text(self) -> str:
        return Path(self.log.name).read_text(errors="replace")


# ---- a minimal HTTP client (keep-alive, cookies sent by hand: production cookies are Secure) -------------------

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class Client:
    # A keep-alive connection the server closed meanwhile is reopened and the request sent again, once.
    resend_once = True

    def __init__(self, port: int, timeout: float = 60):
        self.port = port
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, form: dict | list | None = None) -> tuple[int, dict, bytes]:
        headers = {"Accept-Encoding": "identity"}
        body = None
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        tries = 2 if self.resend_once else 1
        for attempt in range(tries):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException) as error:
                self.close()
                stale = isinstance(error, (ConnectionError, http.client.RemoteDisconnected))
                if not stale or attempt == tries - 1:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                self.cookies[key.strip()] = val.strip()
        return response.status, dict(response.getheaders()), data

    def csrf(self, path: str) -> str:
        status, _headers, body = self.request("GET", path)
        match = CSRF_RE.search(body.decode())
        if status != 200 or not match:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        return match.group(1) or match.group(2)

    def student_signin(self, code: str, pseudonym: str, pin: str) -> None:
        token = self.csrf("/student/signin")
        status, headers, _body = self.request("POST", "/student/signin",
                                              {"csrf_token": token, "code": code, "pseudonym": pseudonym, "pin": pin})
        if status != 302:
            raise RuntimeError(f"student sign-in failed: {status}")
