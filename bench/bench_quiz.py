"""Benchmark 3: quiz submissions per second at 32 concurrent connections, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.bench_quiz [--seconds 15] [--students 128] [--db sqlite,postgresql] [--workers N] [--threads T]

Each request is a complete submit of the consent quiz (POST /learn/quiz/consent-quiz, action=submit): it opens a
new attempt, saves every answer, grades and closes the attempt, answered with a 302 to the result. The quiz has 8
questions; the two multiple-answer questions get two options each, so each submit carries 10 answer values.
Requests cycle through --students signed-in students (two wrk threads, half a cycle apart) so one student never
has two submits in flight. The students are created with the light PIN hash only to keep sign-in setup short;
the measured requests do no hashing. (With 128 students, wrk's two threads drift into each other and a student
gets two submits at once: see the double-submit check below.) Afterwards the database count of submitted attempts is checked against the
number of requests wrk completed. Finally one student sends 8 identical submits at once, 5 times (double clicks,
two tabs), and the HTTP statuses are printed: on PostgreSQL these were 500s (docs/performance.md). Target: at least 300/s on SQLite, zero errors.
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qsl, urlencode

from bench.common import (
    DEMO_CODE,
    PRODUCTION_THREADS,
    Client,
    Instance,
    Server,
    add_server_arguments,
    print_facts,
    table,
    write_result,
    wrk,
)

QUIZ = "consent-quiz"

LUA = """
local reqs = @REQUESTS@
local n = #reqs
local i = 0
local counter = 0
function setup(thread)
  thread:set("offset", counter * math.floor(n / 2))
  counter = counter + 1
end
function init(args)
  i = tonumber(offset) or 0
end
function request()
  i = (i % n) + 1
  local r = reqs[i]
  return wrk.format("POST", "/learn/quiz/@QUIZ@", {["Cookie"] = r[1],
    ["Content-Type"] = "application/x-www-form-urlencoded"}, r[2])
end
"""


def lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII is a valid Lua string literal


def prepare(port: int, pseudonyms: list[str], pin: str, questions: list[dict]) -> list[tuple[str, str]]:
    def one(name: str) -> tuple[str, str]:
        client = Client(port)
        client.student_signin(DEMO_CODE, name, pin)
        token = client.csrf(f"/learn/quiz/{QUIZ}")
        form = [("csrf_token", token), ("action", "submit")]
        for question in questions:
            chosen = question["options"][:2] if question["type"] == "multiple" else question["options"][:1]
            form += [(f"q-{question['id']}", option) for option in chosen]
        return client.cookie_header(), urlencode(form)

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, pseudonyms))


def double_submit(port: int, prepared: tuple[str, str]) -> dict:
    """One student sends the same submit 8 times at once, 5 times over (double clicks, two tabs): every
    answer should be a 302, never a 500."""
    cookie, body = prepared
    form = parse_qsl(body)

    def post(_index: int) -> int:
        client = Client(port)
        client.cookies = dict(pair.split("=", 1) for pair in cookie.split("; "))
        return client.request("POST", f"/learn/quiz/{QUIZ}", form)[0]

    statuses: list[int] = []
    for _ in range(5):
        with ThreadPoolExecutor(8) as pool:
            statuses += list(pool.map(post, range(8)))
    return {str(s): statuses.count(s) for s in sorted(set(statuses))}


def run_backend(backend: str, seconds: int, students: int, workers: int | None = None, threads: int = PRODUCTION_THREADS) -> dict:
    with Instance(backend) as instance:
        quiz = instance.seed("quiz", QUIZ)
        seeded = instance.seed("students", str(students), "app")
        with Server("edu.wsgi:app", instance.env, workers, threads) as server:
            requests = prepare(server.port, seeded["pseudonyms"], seeded["pin"], quiz["questions"])
            values = sum(body.count("=") for _c, body in requests[:1]) - 2
            script = instance.directory / "submit.lua"
            entries = ",\n".join(f"{{{lua_string(c)}, {lua_string(b)}}}" for c, b in requests)
            script.write_text(LUA.replace("@REQUESTS@", "{" + entries + "}").replace("@QUIZ@", QUIZ))
            before = instance.seed("count")["submitted_attempts"]
            wrk(server.port, f"/learn/quiz/{QUIZ}", 3, script=str(script))
            mid = instance.seed("count")["submitted_attempts"]
            cpu = server.cpu_seconds()
            result = wrk(server.port, f"/learn/quiz/{QUIZ}", seconds, script=str(script))
            result["cpu_ms"] = (server.cpu_seconds() - cpu) * 1000 / max(1, result["requests"])
            after = instance.seed("count")
            result["server_errors"] = server.errors_logged()
            result["double_submit"] = double_submit(server.port, requests[0])
        result["recorded"] = after["submitted_attempts"] - mid
        result["answer_values"] = values
        result["warmup_recorded"] = mid - before
    return result


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--students", type=int, default=256)
    parser.add_argument("--db", default="sqlite,postgresql")
    add_server_arguments(parser)
    args = parser.parse_args()
    print("Benchmark 3: quiz submissions, 32 connections")
    print_facts()
    results = {}
    for backend in args.db.split(","):
        try:
            results[backend] = run_backend(backend, args.seconds, args.students, args.workers, args.threads)
        except Exception as error:  # noqa: BLE001 - e.g. PostgreSQL not running: report and go on
            print(f"  {backend}: not measured ({type(error).__name__}: {str(error)[:300]})")
    rows = []
    for backend, r in results.items():
        errors = r["errors"] + r["server_errors"]
        rows.append([backend, f"{r['rps']:.0f}", f"{r['p50']:.1f}", f"{r['p99']:.1f}", f"{r['cpu_ms']:.1f}",
                     r["requests"], r["recorded"], errors])
    print(table(rows, ["database", "submits/s", "p50 ms", "p99 ms", "server CPU ms/submit", "requests",
                       "attempts recorded", "errors"]))
    for backend, r in results.items():
        print(f"  {backend}: one student, 8 identical submits at once x5 -> HTTP statuses {r['double_submit']}")
    sqlite = results.get("sqlite")
    verdict = "PASS" if sqlite and sqlite["rps"] >= 300 and all(
        r["errors"] + r["server_errors"] == 0 for r in results.values()) else "FAIL"
    print(f"  target: >= 300 submits/s on SQLite with zero errors: {verdict}")
    summary = {b: {k: r[k] for k in ("rps", "p50", "p99", "cpu_ms", "requests", "recorded", "errors",
                                     "server_errors", "double_submit")}
               for b, r in results.items()}
    summary["verdict"] = verdict
    write_result("quiz", summary)
    return summary


if __name__ == "__main__":
    main()
