"""Where a class-bell student's time goes: the CPU of each request of the journey, measured in-process.

    python -m bench.journey_cpu '{"names": [...], "pin": "246810", "steps": 5, "questions": [...]}'

Run by bench/bench_class_bell.py inside its instance (its environment names the database), after the bell, with
students who took no part in it. Each student's journey (bench_class_bell.journey) goes through Flask's test
client one request at a time (the first student's uncounted: it warms the process up, as gunicorn's first
requests do), and the process's CPU time is read around each request: no network, no gunicorn,
nothing else running, so the figures add up to what one student costs the app itself (the test client's own
small share included). Prints one JSON line: per request kind, the count and the mean CPU milliseconds.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict

from werkzeug.datastructures import MultiDict

from bench.bench_class_bell import expect, journey


def measure(names: list[str], pin: str, steps: int, questions: list, lesson: str) -> dict:
    from edu import create_app
    from edu.content_service import catalog

    app = create_app({"SESSION_COOKIE_SECURE": False})  # production cookies are Secure; the test client is http
    with app.app_context():
        catalog()  # gunicorn loads it before the first request (edu/wsgi.py)
    cpu: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    for number, name in enumerate(names):  # the first student warms the process up (templates compile) uncounted
        client = app.test_client()
        requests = journey(name, pin, steps, questions, lesson)
        step = next(requests)
        while True:
            kind, method, path, form, wanted = step
            started = time.process_time()
            response = client.open(path, method=method, data=MultiDict(form) if form else None)
            if number:
                cpu[kind] += time.process_time() - started
                count[kind] += 1
            expect(response.status_code, wanted, kind)
            headers = {key.lower(): response.headers.getlist(key) for key in response.headers.keys()}  # noqa: SIM118
            try:
                step = requests.send((response.status_code, headers, response.data))
            except StopIteration:
                break
    return {kind: {"count": count[kind], "ms": cpu[kind] * 1000 / count[kind]} for kind in cpu}


def main() -> None:
    spec = json.loads(sys.argv[1])
    print(json.dumps(measure(spec["names"], spec["pin"], spec["steps"], spec["questions"], spec["lesson"])))


if __name__ == "__main__":
    main()
