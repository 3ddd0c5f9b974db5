"""Benchmark 4: the class bell. 1,000 students sign in, open the same lesson, step through it and submit a quiz.

    .venv/bin/python -m bench.bench_class_bell [--students 1000] [--arrive 30] [--read 0] [--pin-hash app|argon2|heavy]
                                               [--breakdown 40] [--db sqlite|postgresql] [--workers N] [--threads T]
                                               [--lesson in-place|pages]

gunicorn with the production settings serves the app (SQLite, or PostgreSQL with --db postgresql). Students arrive evenly over --arrive seconds; each
then runs on its own keep-alive connection: GET sign-in form, POST sign-in, GET home, the lesson consent-basics,
GET the quiz, POST the submit (10 answer values), GET the result. The lesson, as a phone with JavaScript goes
through it (static/js/lesson.js): GET step 1 (which records it), GET the lesson's other steps at the first
"Next", POST the place reached when leaving for the quiz. With --lesson pages, as without JavaScript: GET each
step's page (opening it records the place; "Next" is a link).
By default a student sends each request the moment the last one is answered (no reading time: the hardest
load). With --read R each student pauses between requests for a time drawn evenly from R/2 to 3R/2 seconds
(seeded by pseudonym, so runs repeat), as a class does when it reads the pages; the same 11,000 requests then
spread over the minute instead of arriving as fast as the server answers. The load generator is asyncio on raw sockets (cookies sent by hand: production cookies are Secure).
Bounded: requests time out after 30 s, and the run stops after --cap seconds, counting unfinished students.
Only failed sign-ins count against the rate limits, so 1,000 sign-ins from 127.0.0.1 need no overrides.
--pin-hash picks how the students' PIN hash was made (bench/seed.py): `app` is the app's keyed PIN hash
(HMAC-SHA256 under the PIN key); `argon2` is argon2id 7 MiB, t=5, p=1, what PINs used until December 2026; `heavy`
is argon2id 64 MiB, t=3, p=4, what PINs used before November 2026. Verification cost follows the stored hash.
Target: all within 60 s, zero errors, p95 per request under 250 ms.
Where the time goes: after the bell, --breakdown more students (default 40) do the same journey one at a time
in-process (bench/journey_cpu.py), and the CPU of each kind of request is printed, the PIN check's share included, beside
the CPU per student gunicorn used during the bell.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import sys
import time
from collections import defaultdict
from urllib.parse import urlencode, urlsplit

from bench.common import (
    DEMO_CODE,
    Instance,
    Server,
    add_server_arguments,
    percentile,
    print_facts,
    run,
    table,
    write_result,
)

QUIZ = "consent-quiz"
LESSON = "consent-basics"
CSRF = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
PLAYER_CSRF = re.compile(rb'class="lesson-player"[^>]*data-csrf="([^"]+)"')


class Session:
    def __init__(self, port: int, stats: dict, timeout: float, read: float = 0.0, seed: str = ""):
        self.port, self.stats, self.timeout = port, stats, timeout
        self.cookies: dict[str, str] = {}
        self.reader = self.writer = None
        self.read, self.random, self.sent = read, random.Random(seed), 0

    async def request(self, kind: str, method: str, path: str, form: dict | list | None = None,
                      extra: dict | None = None):
        if self.read and self.sent:
            await asyncio.sleep(self.random.uniform(self.read / 2, self.read * 3 / 2))  # reading the last page
        self.sent += 1
        body = urlencode(form).encode() if form is not None else b""
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Accept-Encoding: identity"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if form is not None:
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in (extra or {}).items()]
        data = ("\r\n".join(head) + "\r\n\r\n").encode() + body
        started = time.perf_counter()
        for attempt in range(2):
            try:
                if self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
                self.writer.write(data)
                status, headers, payload = await asyncio.wait_for(self._read(), self.timeout)
                break
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        self.stats[kind].append((time.perf_counter() - started) * 1000)
        for value in headers.get("set-cookie", []):
            key, _, val = value.split(";", 1)[0].partition("=")
            self.cookies[key.strip()] = val.strip()
        return status, headers, payload

    async def _read(self):
        line = await self.reader.readuntil(b"\r\n")
        status = int(line.split()[1])
        headers: dict[str, list[str]] = defaultdict(list)
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()].append(value.strip())
        length = int(headers.get("content-length", ["0"])[0])
        payload = await self.reader.readexactly(length) if length else b""
        if "close" in headers.get("connection", []):
            self.close()
        return status, headers, payload

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def expect(status: int, wanted: int, what: str) -> None:
    if status != wanted:
        raise RuntimeError(f"{what}: HTTP {status}")


def journey(name: str, pin: str, steps: int, questions: list, lesson: str = "in-place"):
    """One student's requests in order, as (kind, method, path, form, status wanted). Send each response back in as
    (status, headers with lower-case names and lists of values, body): the journey reads its CSRF tokens and the
    result's address from them. Driven over HTTP by `student` and in-process by bench/journey_cpu.py."""
    _status, _headers, page = yield "signin form", "GET", "/student/signin", None, 200
    form = {"csrf_token": CSRF.search(page).group(1).decode(), "code": DEMO_CODE, "pseudonym": name, "pin": pin}
    yield "signin POST", "POST", "/student/signin", form, 302
    yield "home", "GET", "/learn/", None, 200
    if lesson == "pages":  # without JavaScript "Next" is a link: opening a step records the student's place
        for number in range(1, steps + 1):
            yield "lesson step", "GET", f"/learn/lesson/{LESSON}?step={number}", None, 200
    else:  # static/js/lesson.js: the first "Next" fetches the other steps, the place is sent on leaving
        _status, _headers, page = yield "lesson step", "GET", f"/learn/lesson/{LESSON}?step=1", None, 200
        token = PLAYER_CSRF.search(page).group(1).decode()
        yield "lesson's other steps", "GET", f"/learn/lesson/{LESSON}/steps", None, 200
        yield "lesson place POST", "POST", f"/learn/lesson/{LESSON}/progress", {
            "csrf_token": token, "step": str(steps), "furthest": str(steps)}, 204
    _status, _headers, page = yield "quiz", "GET", f"/learn/quiz/{QUIZ}", None, 200
    answers = [("csrf_token", CSRF.search(page).group(1).decode()), ("action", "submit")]
    for question in questions:
        chosen = question["options"][:2] if question["type"] == "multiple" else question["options"][:1]
        answers += [(f"q-{question['id']}", option) for option in chosen]
    _status, headers, _page = yield "quiz submit POST", "POST", f"/learn/quiz/{QUIZ}", answers, 302
    result = urlsplit(headers["location"][0])
    yield "quiz result", "GET", result.path + (f"?{result.query}" if result.query else ""), None, 200


async def student(port, name, pin, steps, questions, delay, stats, errors, timeout, read, lesson):
    await asyncio.sleep(delay)
    session = Session(port, stats, timeout, read, seed=name)
    try:
        requests = journey(name, pin, steps, questions, lesson)
        step = next(requests)
        while True:
            kind, method, path, form, wanted = step
            response = await session.request(kind, method, path, form)
            expect(response[0], wanted, kind)
            try:
                step = requests.send(response)
            except StopIteration:
                return time.perf_counter()
    except Exception as error:  # noqa: BLE001 - every failure is counted and reported
        errors[f"{type(error).__name__}: {str(error)[:80]}"] += 1
        return None
    finally:
        session.close()


async def bell(port, names, pin, steps, questions, arrive, cap, timeout, read, lesson):
    stats: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    tasks = [asyncio.ensure_future(student(port, n, pin, steps, questions,
                                           arrive * i / len(names), stats, errors, timeout, read, lesson))
             for i, n in enumerate(names)]
    done, pending = await asyncio.wait(tasks, timeout=cap)
    for task in pending:
        task.cancel()
    finished = [t.result() for t in done if t.result() is not None]
    return stats, errors, started, finished, len(pending)


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--arrive", type=float, default=30.0)
    parser.add_argument("--cap", type=float, default=150.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--read", type=float, default=0.0, help="mean seconds a student reads each page (0: none)")
    parser.add_argument("--pin-hash", choices=["app", "argon2", "heavy"], default="app")
    parser.add_argument("--breakdown", type=int, default=40,
                        help="students whose journey is then measured in-process, request by request (0: none)")
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--lesson", choices=["in-place", "pages"], default="in-place",
                        help="how the students step through the lesson: as lesson.js does, or a page per step "
                             "(without JavaScript)")
    add_server_arguments(parser)
    args = parser.parse_args()
    reading = f"reading {args.read / 2:g}-{args.read * 3 / 2:g} s per page" if args.read else "no reading time"
    print(f"Benchmark 4: class bell, {args.students} students arriving over {args.arrive:.0f} s, {reading}, "
          f"lesson {args.lesson}, "
          f"PIN hash {args.pin_hash}, {args.db}, gunicorn {args.worker_class}")
    print_facts()
    with Instance(args.db) as instance:
        questions = instance.seed("quiz", QUIZ)["questions"]
        steps = instance.seed("lesson", LESSON)["steps"]
        extra = args.breakdown + 1 if args.breakdown else 0  # one more warms the in-process measurement up
        seeded = instance.seed("students", str(args.students + extra), args.pin_hash)
        names, apart = seeded["pseudonyms"][:args.students], seeded["pseudonyms"][args.students:]
        print(f"  {args.students} students, PIN hash {seeded['hash']}; lesson {LESSON}: {steps} steps")
        verify_ms = seeded["verify_ms"]
        with Server("edu.wsgi:app", instance.env, args.workers, args.threads, args.worker_class) as server:
            server_cpu = server.cpu_seconds()
            client_cpu = time.process_time()
            stats, errors, started, finished, unfinished = asyncio.run(bell(
                server.port, names, seeded["pin"], steps, questions, args.arrive, args.cap,
                args.timeout, args.read, args.lesson))
            server_cpu = server.cpu_seconds() - server_cpu
            client_cpu = time.process_time() - client_cpu
            server_errors = server.errors_logged()
        breakdown = journey_cpu(instance, apart, seeded["pin"], steps, questions, args.lesson) if apart else None
    everything = [v for values in stats.values() for v in values]
    last = (max(finished) - started) if finished else float("nan")
    rows = []
    for kind, values in stats.items():
        rows.append([kind, len(values), f"{percentile(values, 50):.0f}", f"{percentile(values, 95):.0f}",
                     f"{percentile(values, 99):.0f}", f"{sum(values) / 1000:.0f}"])
    rows.append(["all requests", len(everything), f"{percentile(everything, 50):.0f}",
                 f"{percentile(everything, 95):.0f}", f"{percentile(everything, 99):.0f}",
                 f"{sum(everything) / 1000:.0f}"])
    print(table(rows, ["request", "count", "p50 ms", "p95 ms", "p99 ms", "total s (sum of latencies)"]))
    error_count = sum(errors.values()) + unfinished
    p95 = percentile(everything, 95)
    print(f"  finished: {len(finished)}/{args.students} students, last at {last:.1f} s; unfinished at the cap: "
          f"{unfinished}; errors: {dict(errors) or 0}; server errors logged: {server_errors}")
    cpu = args.students * verify_ms["cpu"] / 1000
    print(f"  PIN check ({seeded['hash']}): {verify_ms['wall']:.2f} ms wall, {verify_ms['cpu']:.2f} ms CPU each "
          f"(measured here); {args.students} sign-ins = {cpu:.0f} CPU-s, on {instance_cores()} cores at least "
          f"{cpu / instance_cores():.0f} s of the run")
    print(f"  CPU used: server {server_cpu:.0f} s ({server_cpu * 1000 / max(1, len(everything)):.1f} ms per "
          f"request, the PIN check included), this load generator {client_cpu:.0f} s, of {instance_cores()} cores x "
          f"{last:.0f} s = {instance_cores() * last:.0f} s")
    if breakdown:
        print_breakdown(breakdown, verify_ms["cpu"], server_cpu * 1000 / max(1, len(finished)), args.breakdown)
    verdict = "PASS" if (len(finished) == args.students and last <= 60 and error_count == 0 and p95 < 250) \
        else "FAIL"
    print(f"  target: all {args.students} done within 60 s, zero errors, p95 < 250 ms: {verdict}")
    summary = {"students": args.students, "db": args.db, "lesson": args.lesson, "pin_hash": args.pin_hash, "read_s": args.read, "finished": len(finished),
               "last_s": last, "p95": p95, "p50": percentile(everything, 50), "errors": error_count,
               "server_errors": server_errors, "pin_check_cpu_ms": verify_ms["cpu"], "verdict": verdict,
               "server_cpu_s": server_cpu, "client_cpu_s": client_cpu,
               "cpu_ms_in_process": breakdown,
               "per_kind": {k: {"n": len(v), "p50": percentile(v, 50), "p95": percentile(v, 95)}
                            for k, v in stats.items()}}
    write_result(f"class_bell_{args.db}_{args.pin_hash}" + ("_pages" if args.lesson == "pages" else "")
                 + (f"_read{args.read:g}" if args.read else ""), summary)
    return summary


def journey_cpu(instance: Instance, names: list[str], pin: str, steps: int, questions: list, lesson: str) -> dict:
    """CPU per request of the journey, in-process, for students who took no part in the bell (bench/journey_cpu.py)."""
    spec = json.dumps({"names": names, "pin": pin, "steps": steps, "questions": questions, "lesson": lesson})
    result = run([sys.executable, "-m", "bench.journey_cpu", spec], instance.env)
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_breakdown(breakdown: dict, pin_check_ms: float, server_ms_per_student: float, students: int) -> None:
    """Where one student's CPU goes, request by request (the issue's "where time goes", hashing included)."""
    per_student = {kind: row["ms"] * row["count"] / students for kind, row in breakdown.items()}
    total = sum(per_student.values())
    rows = [[kind, f"{row['count'] / students:g}", f"{row['ms']:.2f}", f"{per_student[kind]:.1f}",
             f"{100 * per_student[kind] / total:.0f}%"] for kind, row in breakdown.items()]
    rows.append(["  of which the PIN check", "1", f"{pin_check_ms:.2f}", f"{pin_check_ms:.1f}",
                 f"{100 * pin_check_ms / total:.0f}%"])
    rows.append(["one student", "", "", f"{total:.1f}", "100%"])
    print(f"  where the time goes: CPU of each request, in-process, {students} more students one at a time "
          "(Flask's test client: no network, no gunicorn)")
    print(table(rows, ["request", "per student", "CPU ms each", "CPU ms per student", "share"]))
    largest = sorted(per_student.items(), key=lambda item: -item[1])[:3]
    print("  three largest costs per student: " + "; ".join(
        f"{kind} {ms:.1f} ms ({100 * ms / total:.0f}%)" for kind, ms in largest))
    print(f"  in gunicorn during the bell: {server_ms_per_student:.1f} CPU ms per finished student "
          f"({server_ms_per_student / total:.2f} x in-process: HTTP parsing, sockets, processes sharing the cores)")


def instance_cores() -> int:
    from bench.common import CORES

    return CORES


if __name__ == "__main__":
    main()
