"""What a request costs before its view does anything, beside the pages a student opens most, in-process.

    .venv/bin/python -m bench.request_floor [--requests 5000] [--runs 3]

Everything goes through the app's WSGI callable with a prepared environ (no test client, no network, no
gunicorn), timed with the process's CPU clock, after `gc.freeze()` as in production (edu/wsgi.py); each figure is
printed for every run. Send stderr (the request log) to /dev/null or a file: a pipe to another process costs
this one more per line. Measured:
- a route that only returns "ok" in a bare Flask app (the floor of Flask itself);
- the same route added to this app: signed out, signed in as the demo student, and signed in with the student
  handed to Flask-Login from memory (a measurement only: the difference is what reading the student costs, with
  the connection and transaction around it);
- the student's home page and the lesson page of `bench_lesson` (the second from the step cache).
Figures in docs/performance.md ("Seventh round").
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import time
from contextlib import contextmanager

from bench.common import DEMO_CODE, DEMO_PIN, DEMO_STUDENT, LESSON_PATH, Instance, print_facts, table


def call_ok(wsgi, environ: dict) -> None:
    """One request through a WSGI callable with a copy of ``environ``, its body read; it must answer 200."""
    statuses = []
    b"".join(wsgi(dict(environ), lambda status, _headers, _exc=None: statuses.append(status)))
    assert statuses[0].startswith("200"), statuses


def cpu_ms_per_request(app, environ: dict, requests: int, runs: int) -> list[float]:
    def one() -> None:
        call_ok(app, environ)

    for _ in range(max(200, requests // 10)):
        one()
    figures = []
    for _ in range(runs):
        started = time.process_time()
        for _ in range(requests):
            one()
        figures.append((time.process_time() - started) * 1000 / requests)
    return figures


class Prepared:
    """This app with the demo data and the demo student signed in, ready to be called through its WSGI callable
    (`prepared_app`), beside a bare Flask app with the same empty route."""

    def __init__(self, app, client, cookie: str, user_id: str):
        from flask import Flask

        self.app, self.client, self.cookie, self.user_id = app, client, cookie, user_id
        self.bare = Flask("bare")
        self.bare.add_url_rule("/bench-empty", "bench_empty", lambda: "ok")

    def environ(self, path: str, signed_in: bool = True) -> dict:
        from werkzeug.test import EnvironBuilder

        path, _, query = path.partition("?")
        headers = {"Cookie": self.cookie} if signed_in else {}
        return EnvironBuilder(path=path, query_string=query, headers=headers,
                              environ_base=self.client.environ_base).get_environ()


@contextmanager
def prepared_app():
    """A throw-away instance with the demo data; the demo student signed in and the lesson of `bench_lesson`
    opened once (which records progress, as there); `gc.freeze()` done, as edu/wsgi.py does in production."""
    with Instance("sqlite") as instance:
        os.environ.update(instance.env)
        from edu import create_app

        app = create_app({"SESSION_COOKIE_SECURE": False})  # production cookies are Secure; this is plain http
        app.add_url_rule("/bench-empty", "bench_empty", lambda: "ok")
        client = app.test_client()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/student/signin").text).group(1)
        response = client.post("/student/signin", data={"csrf_token": token, "code": DEMO_CODE,
                                                         "pseudonym": DEMO_STUDENT, "pin": DEMO_PIN})
        assert response.status_code == 302, response.status_code
        assert client.get(LESSON_PATH).status_code == 200  # opening it records progress, as in bench_lesson
        with client.session_transaction() as session:
            user_id = session["_user_id"]  # Flask-Login's id of the signed-in student
            # Seen "tomorrow": the session records when it was last seen at most once a minute (edu/identity.py),
            # which re-signs the cookie. A browser takes the new cookie; the fixed cookie of these measurements
            # would have every request past the first minute re-sign it, a cost no real session pays.
            session["seen"] = int(time.time()) + 86400
        prepared = Prepared(app, client, f"session={client.get_cookie('session').value}", user_id)
        gc.freeze()  # as edu/wsgi.py does after loading the catalog: collections then skip what start-up built
        yield prepared


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print("What a request costs before its view runs, in-process (CPU ms per request)")
    print_facts()
    with prepared_app() as prepared:
        from edu.extensions import db, login_manager

        app, environ, rows = prepared.app, prepared.environ, []

        def measure(name: str, wsgi, env: dict) -> None:
            figures = cpu_ms_per_request(wsgi, env, args.requests, args.runs)
            rows.append([name, " / ".join(f"{figure:.3f}" for figure in figures)])
            print(f"  {name}: {rows[-1][1]}")

        measure("bare Flask, empty route", prepared.bare.wsgi_app, environ("/bench-empty", signed_in=False))
        measure("this app, empty route, signed out", app.wsgi_app, environ("/bench-empty", signed_in=False))
        measure("this app, empty route, signed-in student", app.wsgi_app, environ("/bench-empty"))
        measure("student home page", app.wsgi_app, environ("/learn/"))
        measure("lesson page (bench_lesson's)", app.wsgi_app, environ(LESSON_PATH))
        loader = login_manager._user_callback
        with app.app_context():
            student = loader(prepared.user_id)  # with their class (joined)
            db.session.expunge_all()
        login_manager._user_callback = lambda _user_id: student
        try:
            measure("this app, empty route, student from memory (no database)", app.wsgi_app,
                    environ("/bench-empty"))
        finally:
            login_manager._user_callback = loader
    print(table(rows, ["request", f"CPU ms per request, {args.runs} runs of {args.requests}"]))


if __name__ == "__main__":
    main()
