"""Structured (JSON) request logs with ids only: never free text, pseudonyms, emails, form data or IPs."""

from __future__ import annotations

import json
import logging
import random
import sys
import time

from flask import Flask, current_app, g, request

from edu.identity import signed_in_user

logger = logging.getLogger("edu.requests")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, in ASCII (anything else escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {"time": time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)),
                   "level": record.levelname, "event": record.getMessage()}
        payload.update(getattr(record, "fields", {}))
        return json.dumps(payload)


def logs_no_user(view):
    """Mark a view whose requests are anonymous (questions, polls, surveys with `identity: none` items): their log
    lines carry no user id, whatever the request's outcome, so a line's time cannot tie a vote or an answer to the
    student who sent it."""
    view.edu_logs_no_user = True
    return view


def _logs_user(endpoint: str | None) -> bool:
    view = current_app.view_functions.get(endpoint) if endpoint else None
    return not getattr(view, "edu_logs_no_user", False)


STARTED = "edu.request_started"  # the WSGI environ key of the request's start (time.perf_counter)


def init_logging(app: Flask) -> None:
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = True  # tests capture it; production reads stderr
    # Werkzeug's own access log prints full URLs with query strings: ours replaces it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    @app.before_request
    def _start_timer():
        request.environ[STARTED] = time.perf_counter()

    @app.after_request
    def _log(response):
        now = time.perf_counter()
        user = "-"
        if signed_in_user().is_authenticated and _logs_user(request.endpoint):
            user = g.get("signed_in_id", "-")  # "s:42": never a name
        logger.info("request", extra={"fields": {
            # 12 random hex digits to tell lines apart, not a secret: Python's generator (re-seeded in each forked
            # worker), not the system's, which cost a system call per request
            "request_id": f"{random.getrandbits(48):012x}",
            "method": request.method,
            "endpoint": request.endpoint or "-",  # the route's name, not the URL: no query strings, no text
            "status": response.status_code,
            "ms": round((now - request.environ.get(STARTED, now)) * 1000, 1),
            "user": user,
        }})
        return response
