"""Browser tests: a real server process (gunicorn) and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("EDU_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("EDU_REQUIRE_BROWSER") == "1"
NEUTRAL_SITE = "https://www.google.com/search?q=weather"


def _skip_or_fail(message: str):
    if REQUIRE_BROWSER:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


@pytest.fixture(scope="session")
def neutral_site():
    """The neutral page quick exit sends the browser to, served here: /exit answers with a redirect, and Playwright
    does not intercept a redirect's target (a routed https://www.google.com would fail to resolve)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Weather(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server name)
            body = b"<html><head><title>Weather</title></head><body>Weather</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Weather)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/search?q=weather"
    server.shutdown()


@contextlib.contextmanager
def demo_server(instance: Path, content: Path, neutral_site: str):
    """gunicorn (two workers) serving the app on SQLite in ``instance`` with the demo data and the content in
    ``content``, as `make run` would (production CSP); yields its base address."""
    env = dict(os.environ, EDU_INSTANCE_DIR=str(instance), EDU_ENV="testing",
               DATABASE_URL=f"sqlite:///{instance / 'live.db'}", SECRET_KEY="browser-tests",
               QUICK_EXIT_URL=neutral_site, EDU_CONTENT_DIR=str(content))
    flask = [sys.executable, "-m", "flask", "--app", "edu"]
    subprocess.run(flask + ["db", "upgrade"], env=env, cwd=ROOT, check=True, capture_output=True)
    subprocess.run(flask + ["demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    port = free_port()
    # The server's log goes to a file: a pipe nobody reads fills up after a few hundred requests (one JSON
    # line each) and then blocks the server. Two workers, so that a browser's idle preconnection cannot stall
    # the only one.
    log = open(instance / "server.log", "wb")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "edu.wsgi:app"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory, neutral_site):
    """The demo site on the project's own content."""
    with demo_server(tmp_path_factory.mktemp("live-instance"), ROOT / "content", neutral_site) as base:
        yield base


@pytest.fixture(scope="session")
def blocks_tour_server(tmp_path_factory, neutral_site):
    """The demo site on content/ plus the blocks tour lesson (tests/blocks_tour.py), shared by the tour's browser
    tests. Each test signs in demo students of its own, so one test's answers are never another's."""
    from tests.blocks_tour import content_with_blocks_tour

    content = content_with_blocks_tour(tmp_path_factory.mktemp("tour-content") / "content")
    with demo_server(tmp_path_factory.mktemp("tour-instance"), content, neutral_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        _skip_or_fail(f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` "
                      "to run the browser tests (CI installs it and requires them).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A fresh browser context the size of a small phone (360×740)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    context.route("https://www.google.com/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<html><head><title>Weather</title></head><body>Weather</body></html>"))
    yield context
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ko-KR")
    yield context
    context.close()
