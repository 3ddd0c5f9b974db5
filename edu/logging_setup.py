"""Structured (JSON) request logs with ids only: never free text, pseudonyms, emails, form data or IPs."""

from __future__ import annotations

import json
import logging
import secrets
import sys
import time

from flask import Flask, g, request, session

from edu.identity import signed_in_user

logger = logging.getLogger("edu.requests")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                   "event": record.getMessage()}
        payload.update(getattr(record, "fields", {}))
        return json.dumps(payload, ensure_ascii=False)


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
        g.request_started = time.perf_counter()
        g.request_id = secrets.token_hex(6)  # 12 random hex digits, as uuid4's first twelve but a quarter the cost

    @app.after_request
    def _log(response):
        user = "-"
        if signed_in_user().is_authenticated:
            # The id Flask-Login keeps in the session ("s:42:1" -> "s:42", never a name): reading it from the user
            # after the request's commit would load the row again.
            user = session.get("_user_id", "-").rsplit(":", 1)[0]
        logger.info("request", extra={"fields": {
            "request_id": g.get("request_id"),
            "method": request.method,
            "endpoint": request.endpoint or "-",  # the route's name, not the URL: no query strings, no text
            "status": response.status_code,
            "ms": round((time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000, 1),
            "user": user,
        }})
        return response
