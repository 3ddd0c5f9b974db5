"""Benchmark: what 30 phones following a live lesson cost while 1,000 students ring the class bell.

    .venv/bin/python -m bench.bench_live_polling [--students 1000] [--pollers 30] [--arrive 30] [--db sqlite|postgresql]

The class bell (bench/bench_class_bell.py) runs twice on the same seeded instance and server: once alone, then with
a live lesson running in the demo class and --pollers students of it asking `/learn/live/state` every 3 s with
If-None-Match (as static/js/live.js does), from before the bell until it ends. The figure is the server's CPU
seconds of the second run over the first's; the target (issue 36) is under 10% more. The pollers' own requests
are counted too (p50/p95, and how many were 304).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import re
import time
from collections import defaultdict

from bench.bench_class_bell import CSRF, LESSON, QUIZ, Session, bell, expect
from bench.common import (
    DEMO_CODE,
    Instance,
    Server,
    add_server_arguments,
    percentile,
    print_facts,
    write_result,
)
from edu.auth.codes import format_join_code

TEACHER = ("teacher@demo.boundaries.test", "demo-pass-2026")
INTERVAL = 3.0


async def start_live_lesson(port: int, stats: dict, timeout: float) -> None:
    """The demo teacher starts the lesson live in the demo class (the one the seeded students belong to)."""
    teacher = Session(port, stats, timeout)
    _status, _headers, page = await teacher.request("teacher", "GET", "/signin")
    form = {"csrf_token": CSRF.search(page).group(1).decode(), "email": TEACHER[0], "password": TEACHER[1]}
    expect((await teacher.request("teacher", "POST", "/signin", form))[0], 302, "teacher sign-in")
    for classroom_id in re.findall(rb'href="/teach/classes/(\d+)"', (await teacher.request(
            "teacher", "GET", "/teach/"))[2]):
        base = f"/teach/classes/{classroom_id.decode()}"
        _status, _headers, page = await teacher.request("teacher", "GET", base)
        if format_join_code(DEMO_CODE).encode() in page:
            _status, _headers, page = await teacher.request("teacher", "GET", base + "/live")
            form = {"csrf_token": CSRF.search(page).group(1).decode(), "lesson": LESSON}
            expect((await teacher.request("teacher", "POST", base + "/live/start", form))[0], 302, "start")
            teacher.close()
            return
    raise RuntimeError(f"no class with the code {DEMO_CODE}")


async def poller(port, name, pin, stop: asyncio.Event, stats, counts, timeout) -> None:
    phone = Session(port, stats, timeout, seed=name)
    _status, _headers, page = await phone.request("poller signin", "GET", "/student/signin")
    form = {"csrf_token": CSRF.search(page).group(1).decode(), "code": DEMO_CODE, "pseudonym": name, "pin": pin}
    expect((await phone.request("poller signin", "POST", "/student/signin", form))[0], 302, "poller sign-in")
    await asyncio.sleep(random.Random(name).uniform(0, INTERVAL))  # phones do not poll in step
    etag = None
    while not stop.is_set():
        status, headers, _body = await phone.request("live state poll", "GET", "/learn/live/state",
                                                     extra={"If-None-Match": etag} if etag else None)
        counts[status] += 1
        etag = headers.get("etag", [etag])[0]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), INTERVAL)
    phone.close()


async def bell_with_pollers(port, names, pollers, pin, steps, questions, args):
    stats: dict[str, list[float]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    stop = asyncio.Event()
    await start_live_lesson(port, stats, args.timeout)
    phones = [asyncio.ensure_future(poller(port, n, pin, stop, stats, counts, args.timeout)) for n in pollers]
    await asyncio.sleep(INTERVAL + 1)  # every phone signed in and polling before the bell
    result = await bell(port, names, pin, steps, questions, args.arrive, args.cap, args.timeout, 0.0)
    stop.set()
    await asyncio.gather(*phones, return_exceptions=True)
    return result, stats, counts


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--pollers", type=int, default=30)
    parser.add_argument("--arrive", type=float, default=30.0)
    parser.add_argument("--cap", type=float, default=150.0)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    add_server_arguments(parser)
    args = parser.parse_args()
    print(f"Live lesson polling: {args.pollers} phones every {INTERVAL:g} s during a class bell of "
          f"{args.students} students ({args.db})")
    print_facts()
    with Instance(args.db) as instance:
        questions = instance.seed("quiz", QUIZ)["questions"]
        steps = instance.seed("lesson", LESSON)["steps"]
        seeded = instance.seed("students", str(2 * args.students + args.pollers), "app")
        names = seeded["pseudonyms"]
        first, second, pollers = (names[:args.students], names[args.students:2 * args.students],
                                  names[2 * args.students:])
        with Server("edu.wsgi:app", instance.env, args.workers, args.threads) as server:
            cpu = server.cpu_seconds()
            alone = asyncio.run(bell(server.port, first, seeded["pin"], steps, questions, args.arrive, args.cap,
                                     args.timeout, 0.0))
            cpu_alone = server.cpu_seconds() - cpu
            cpu = server.cpu_seconds()
            started = time.perf_counter()
            together, stats, counts = asyncio.run(bell_with_pollers(
                server.port, second, pollers, seeded["pin"], steps, questions, args))
            cpu_together = server.cpu_seconds() - cpu
            seconds = time.perf_counter() - started
    polls = stats.get("live state poll", [])
    added = (cpu_together - cpu_alone) / cpu_alone * 100 if cpu_alone else float("nan")
    print(f"  bell alone: {len(alone[3])}/{args.students} finished, errors {dict(alone[1]) or 0}; "
          f"server CPU {cpu_alone:.1f} s")
    print(f"  bell + {args.pollers} phones: {len(together[3])}/{args.students} finished, errors "
          f"{dict(together[1]) or 0}; server CPU {cpu_together:.1f} s over {seconds:.0f} s")
    print(f"  polls: {len(polls)} ({dict(counts)}), p50 {percentile(polls, 50):.1f} ms, "
          f"p95 {percentile(polls, 95):.1f} ms")
    verdict = "PASS" if added < 10 else "FAIL"
    print(f"  CPU added by the phones: {added:+.1f}% (target under 10%): {verdict}")
    summary = {"students": args.students, "pollers": args.pollers, "db": args.db, "cpu_alone_s": cpu_alone,
               "cpu_with_pollers_s": cpu_together, "added_percent": added, "polls": len(polls),
               "poll_statuses": dict(counts), "poll_p50": percentile(polls, 50),
               "poll_p95": percentile(polls, 95), "verdict": verdict}
    write_result(f"live_polling_{args.db}", summary)
    return summary


if __name__ == "__main__":
    main()
