"""Reliability under load (issue #9): concurrent quiz submits, twin submits, workers killed with SIGKILL.

    .venv/bin/python -m bench.bench_reliability [--quick] [--db sqlite,postgresql]

The heavy version of tests/integration/test_reliability.py; the workloads and checks are the test's own, in
tests/reliability_support.py (described there). gunicorn runs with the production settings of docs/deploy.md
(one single-threaded gthread worker per core, two at least; EDU_ENV=production) on a throw-away instance
(bench/common.py), on SQLite and on PostgreSQL:

1. submits: N students (default 1,000) each submit a 10-question quiz at the same moment: every answer stored,
   zero errors, no duplicates, every student's answers as sent.
2. twins: each of N students (default 200) sends the same submit twice at the same moment: exactly one attempt
   each; two tabs: N students (default 100) submit different answers from two tabs at once: one attempt each,
   holding one tab's answers whole.
3. sigkill: students (default 48) save answers one by one and submit, round after round, while a loop kills the
   longest-serving gunicorn worker with SIGKILL K times (default 20), one second after the previous replacement
   is up. Every request answered with a 2xx/3xx ("acknowledged") must be in the database, no attempt may exist
   that no acknowledged request made, and the database must pass its integrity check.

--quick runs small sizes (200 submits, 40 twins, 5 kills) as a smoke pass.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.common import Instance, Server, print_facts, table, write_result
from tests.reliability_support import (
    THREADS,
    WORKERS,
    LoadReport,
    build_content,
    concurrent_submits,
    seed,
    server_log_errors,
    sign_in_all,
    stored_attempts,
    twin_submits,
    verify,
    write_load_with_kills,
)


def database_url(env: dict) -> str:
    return env.get("DATABASE_URL") or f"sqlite:///{Path(env['EDU_INSTANCE_DIR']) / 'boundaries.db'}"


# ---- the benchmark -----------------------------------------------------------------------------------------


SIZES = {"full": {"submits": 1000, "twins": 200, "two tabs": 100, "writers": 48, "kills": 20},
         "quick": {"submits": 200, "twins": 40, "two tabs": 20, "writers": 24, "kills": 5}}


def summary_row(backend: str, report: LoadReport, url: str, names: list[str]) -> dict:
    check = verify(url, report, names)
    stored = stored_attempts(url, names)
    return {
        "database": backend, "scenario": report.scenario, "students": len(names), "requests": report.requests,
        "errors": len(report.errors), "interrupted": report.interrupted, "kills": report.kills,
        "attempts": check.attempts, "submitted": check.submitted,
        "one attempt": sum(len(attempts) == 1 for attempts in stored.values()),
        "answers stored": check.answers_stored, "answers acknowledged": check.answers_expected,
        "missing or wrong": len(check.missing_or_wrong), "unacknowledged": len(check.unacknowledged),
        "duplicates": check.duplicates,
        "integrity": check.integrity_result, "seconds": round(report.seconds, 1),
        "deadline reached": report.deadline_reached,
        "statuses": dict(report.statuses),
        "examples": (report.errors + check.missing_or_wrong + check.unacknowledged + check.integrity)[:5],
    }


def run_backend(backend: str, sizes: dict) -> list[dict]:
    total = sizes["submits"] + sizes["twins"] + sizes["two tabs"] + sizes["writers"]
    with Instance(backend) as instance:
        env = dict(instance.env, EDU_CONTENT_DIR=str(build_content(instance.directory / "content")))
        url = database_url(env)
        data = seed(env, total)
        questions = data["quiz"]["questions"]
        with Server("edu.wsgi:app", env, workers=WORKERS, threads=THREADS) as server:
            started = time.monotonic()
            students = sign_in_all(server.port, data["pseudonyms"])
            print(f"  {backend}: {total} students signed in in {time.monotonic() - started:.1f} s")
            groups, first = {}, 0
            for scenario in ("submits", "twins", "two tabs", "writers"):
                groups[scenario], first = students[first:first + sizes[scenario]], first + sizes[scenario]
            runs = [(concurrent_submits(groups["submits"], questions), groups["submits"]),
                    (twin_submits(groups["twins"], questions), groups["twins"]),
                    (twin_submits(groups["two tabs"], questions, two_tabs=True), groups["two tabs"]),
                    (write_load_with_kills(server.process.pid, groups["writers"], questions, sizes["kills"], pause=1.0),
                     groups["writers"])]
            rows = [summary_row(backend, report, url, [s.pseudonym for s in group]) for report, group in runs]
            log_errors = server_log_errors(server)
    rows[-1]["server log errors"] = len(log_errors)
    if log_errors:
        print(f"  {backend}: {len(log_errors)} error lines in the server log, e.g. {log_errors[:3]}")
    return rows


def passed(row: dict) -> bool:
    expected_attempts = row["scenario"] == "sigkill" or row["one attempt"] == row["students"]
    return (not row["errors"] and not row["missing or wrong"] and not row["unacknowledged"]
            and not row["duplicates"] and expected_attempts and not row["deadline reached"]
            and row["integrity"] == "ok" and not row.get("server log errors"))


def main() -> list[dict]:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke pass")
    parser.add_argument("--db", default="sqlite,postgresql")
    args = parser.parse_args()
    sizes = SIZES["quick" if args.quick else "full"]
    print(f"Reliability: {sizes['submits']} concurrent submits, {sizes['twins']} twin submits, "
          f"{sizes['two tabs']} two-tab submits, {sizes['kills']} SIGKILLs under a write load of "
          f"{sizes['writers']} students; "
          f"gunicorn -w {WORKERS} --threads {THREADS}")
    print_facts()
    rows = []
    for backend in args.db.split(","):
        try:
            rows += run_backend(backend, sizes)
        except Exception as error:  # noqa: BLE001 - e.g. PostgreSQL not running: report and go on
            print(f"  {backend}: not measured ({type(error).__name__}: {str(error)[:500]})")
    columns = ["database", "scenario", "students", "requests", "errors", "interrupted", "kills", "submitted",
               "one attempt", "answers stored", "answers acknowledged", "missing or wrong", "unacknowledged", "duplicates",
               "integrity", "seconds"]
    print(table([[row[c] if c != "one attempt" or row["scenario"] != "sigkill" else "-" for c in columns]
                 for row in rows], columns))
    for row in rows:
        if row["examples"]:
            print(f"  {row['database']} {row['scenario']}: {row['examples']}")
    verdict = "PASS" if rows and all(passed(row) for row in rows) else "FAIL"
    print("  target: zero errors, every acknowledged answer stored, one attempt per submit, integrity ok: "
          f"{verdict}")
    write_result("reliability", {"rows": rows, "verdict": verdict})
    return rows


if __name__ == "__main__":
    main()
