"""Reliability (issue #9): no quiz answer is lost or duplicated under load, by double submits, or by crashes.

Each test runs against a real gunicorn (one single-threaded gthread worker per core, two at least;
EDU_ENV=production, as in docs/deploy.md) on a fresh database: SQLite in the first pass of `make test`,
PostgreSQL in the second (`pytest tests/integration --db=postgresql`; its own database `edu_reliability_test`,
created and dropped). Students sign in through the real sign-in route. The quiz is the consent quiz with two of
its questions copied under new ids (in a temporary copy of the curriculum), so every submit carries 10 answers.
The workloads and checks are in tests/reliability_support.py, shared with the heavy version
bench/bench_reliability.py (1,000 submits, 20 SIGKILLs). Nothing here depends on the machine's speed: the tests
assert what was stored against what the server acknowledged, never how much it did in a given time.

- test_concurrent_submits_store_every_answer_once: 200 students submit at the same moment. Every request gets
  its redirect to the result; 200 attempts and 2,000 answers are stored; no (attempt, question) is stored
  twice; each student's stored answers are the ones that student sent.
- test_every_submit_sent_twice_makes_one_attempt: 40 students each send the same submit twice at the same
  moment (half of them with a draft already saved): both requests succeed, each student has one attempt.
- test_two_tabs_submitting_different_answers_make_one_consistent_attempt: 20 students each submit one
  attempt from two tabs at the same moment, one tab all right, the other all wrong: one attempt each, holding
  one tab's answers whole, with the score of those answers.
- test_workers_killed_with_sigkill_lose_no_acknowledged_answer: students save answers one by one and submit
  while gunicorn workers are killed with SIGKILL four times, each kill once the load has had more answers
  acknowledged since the previous replacement came up; the load goes on until 240 answers and 24 submits are
  acknowledged (a deadline of ten minutes only stops a server that makes no progress). The database passes its integrity check
  (SQLite: integrity_check and foreign_key_check; PostgreSQL: amcheck on every index), no unique key is broken,
  every answer and submit the server acknowledged (2xx/3xx) is stored as sent, and no attempt exists that no
  acknowledged request made (one attempt per submit). A request cut off by a kill is sent again, as the student
  would.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

from tests.conftest import ROOT, postgres_url_or_skip
from tests.live_server import Server
from tests.reliability_support import (
    THREADS,
    WORKERS,
    Student,
    build_content,
    concurrent_submits,
    seed,
    server_log_errors,
    sign_in_all,
    stored_attempts,
    twin_submits,
    verify,
    worker_pids,
    write_load_with_kills,
)

pytestmark = [pytest.mark.slow]

DATABASE = "edu_reliability_test"
SUBMITS = 200
TWINS = 40
TWO_TABS = 20
WRITERS = 24
KILLS = 4
# Each kill waits for this many answers acknowledged since the previous replacement came up (so it lands in a
# running load); the load stops once every writer has, on average, saved and submitted a whole round.
ANSWERS_BETWEEN_KILLS = WRITERS * 2
ANSWERS = WRITERS * 10
SUBMITS_UNDER_KILLS = WRITERS
DEADLINE = 600  # seconds: reached only by a server that makes (almost) no progress


@dataclass
class Deployment:
    server: Server
    database_url: str
    questions: list[dict]
    submitters: list[Student]
    twins: list[Student]
    two_tabs: list[Student]
    writers: list[Student]


def _admin(admin_url: str, statement: str) -> None:
    import psycopg

    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(statement)


@pytest.fixture(scope="module")
def deployment(request, tmp_path_factory):
    """One server and database for the module: migrated, demo data, the students signed in, in disjoint
    groups (one per test, so that no test depends on another's outcome)."""
    directory = tmp_path_factory.mktemp("reliability")
    admin_url = None
    if request.config.getoption("--db") == "postgresql":
        admin_url = postgres_url_or_skip()
        _admin(admin_url, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        _admin(admin_url, f"CREATE DATABASE {DATABASE}")
        url = admin_url.rsplit("/", 1)[0] + "/" + DATABASE
    else:
        url = f"sqlite:///{directory / 'reliability.db'}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EDU_", "RATELIMIT_"))}
    env.update({
        "DATABASE_URL": url,
        "SECRET_KEY": "reliability-test-shared-secret",
        "EDU_ENV": "production",
        "EDU_CONTENT_DIR": str(build_content(directory / "content")),
        "EDU_INSTANCE_DIR": str(directory / "instance"),
        "PYTHONPATH": str(ROOT),
    })
    try:
        data = seed(env, SUBMITS + TWINS + TWO_TABS + WRITERS)
        with Server("edu.wsgi:app", env, workers=WORKERS, threads=THREADS) as server:
            students = iter(sign_in_all(server.port, data["pseudonyms"]))
            groups = [[next(students) for _ in range(size)] for size in (SUBMITS, TWINS, TWO_TABS, WRITERS)]
            yield Deployment(server, url, data["quiz"]["questions"], *groups)
    finally:
        if admin_url:
            _admin(admin_url, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


def _names(students: list[Student]) -> list[str]:
    return [student.pseudonym for student in students]


def test_concurrent_submits_store_every_answer_once(deployment):
    report = concurrent_submits(deployment.submitters, deployment.questions)

    assert report.errors == [], report.errors[:10]
    assert report.statuses == {302: SUBMITS} and report.interrupted == 0
    check = verify(deployment.database_url, report, _names(deployment.submitters))
    assert check.duplicates == 0 and check.integrity == []
    assert check.missing_or_wrong == [], check.missing_or_wrong[:10]
    assert check.unacknowledged == [], check.unacknowledged[:10]
    assert (check.attempts, check.submitted, check.answers_stored) == (SUBMITS, SUBMITS, SUBMITS * 10)
    assert check.answers_expected == SUBMITS * 10
    assert server_log_errors(deployment.server) == []


def _sent_twice_and_stored_once(deployment, students: list[Student], report):
    """Every request of the pairs succeeded and each student has exactly one attempt (number 1); the check of
    what is stored, for the test's own assertions."""
    assert report.errors == [], report.errors[:10]
    assert report.statuses == {302: 2 * len(students)} and report.interrupted == 0
    stored = stored_attempts(deployment.database_url, _names(students))
    more_than_one = {name: sorted(attempts) for name, attempts in stored.items() if sorted(attempts) != [1]}
    assert more_than_one == {}
    check = verify(deployment.database_url, report, _names(students))
    assert check.unacknowledged == [], check.unacknowledged[:10]
    return check


def test_every_submit_sent_twice_makes_one_attempt(deployment):
    report = twin_submits(deployment.twins, deployment.questions)

    check = _sent_twice_and_stored_once(deployment, deployment.twins, report)
    assert check.duplicates == 0 and check.integrity == []
    assert check.missing_or_wrong == [], check.missing_or_wrong[:10]
    assert (check.submitted, check.answers_stored) == (TWINS, TWINS * 10)
    assert server_log_errors(deployment.server) == []


def test_two_tabs_submitting_different_answers_make_one_consistent_attempt(deployment):
    report = twin_submits(deployment.two_tabs, deployment.questions, two_tabs=True)

    check = _sent_twice_and_stored_once(deployment, deployment.two_tabs, report)
    assert check.duplicates == 0
    assert check.missing_or_wrong == [], check.missing_or_wrong[:10]
    assert check.integrity == [], check.integrity  # includes: each score is its attempt's number of right answers
    assert server_log_errors(deployment.server) == []


def test_workers_killed_with_sigkill_lose_no_acknowledged_answer(deployment):
    master = deployment.server.process.pid
    report = write_load_with_kills(master, deployment.writers, deployment.questions, kills=KILLS,
                                   answers_between=ANSWERS_BETWEEN_KILLS, answers_at_least=ANSWERS,
                                   submits_at_least=SUBMITS_UNDER_KILLS, deadline=DEADLINE)

    assert report.errors == [], report.errors[:10]
    assert not report.deadline_reached, (
        f"{report.kills} kills, {report.answers_acknowledged} answers and {report.submits_acknowledged} submits "
        f"acknowledged in {DEADLINE} s: the server stopped making progress")
    assert report.kills == KILLS
    assert report.interrupted > 0, "no request was cut off: the kills did not hit the load"
    assert report.submits_acknowledged >= SUBMITS_UNDER_KILLS and report.answers_acknowledged >= ANSWERS
    check = verify(deployment.database_url, report, _names(deployment.writers))
    assert check.duplicates == 0 and check.integrity == [], check.integrity
    assert check.missing_or_wrong == [], check.missing_or_wrong[:10]
    assert check.unacknowledged == [], check.unacknowledged[:10]  # one attempt per submit, resent or not
    assert check.answers_stored >= check.answers_expected >= ANSWERS
    assert deployment.server.process.poll() is None and len(worker_pids(master)) == WORKERS
    assert server_log_errors(deployment.server) == []
