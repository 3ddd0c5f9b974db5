"""The reliability workloads and checks (issue #9), shared by tests/integration/test_reliability.py and the
heavy version in bench/bench_reliability.py.

Against a real gunicorn (tests/live_server.py) on a fresh database whose curriculum's consent quiz has 10
questions, students signed in through the real route:

1. concurrent_submits: every student submits the quiz at the same moment (one thread each, one barrier).
2. twin_submits: each student sends the same submit twice at the same moment (two connections released by a
   barrier; half of them saved an answer first, so a draft exists); with two_tabs, the two submits differ.
3. write_load_with_kills: students save answers one by one (form posts and the save-as-you-go JSON endpoint) and
   submit, round after round, while the longest-serving worker is killed with SIGKILL. Each kill waits until the
   load has had answers acknowledged since the previous replacement came up, so it lands in a running load on a
   machine of any speed; the load then goes on until a number of answers is acknowledged, within a generous
   deadline. A request cut off by a kill is sent again, as its user would; it counts as "interrupted".

`verify` compares the database with what the clients were told: every answer and submit acknowledged (2xx/3xx)
stored as sent, no attempt that no acknowledged request made (one attempt per submit), no unique key broken, and
the database's own integrity check (SQLite: integrity_check and foreign_key_check; PostgreSQL: amcheck's
bt_index_check with heapallindexed on every index).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from tests.live_server import (
    CSRF_RE,
    DEMO_CODE,
    DEMO_PIN,
    PRODUCTION_THREADS,
    PRODUCTION_WORKERS,
    ROOT,
    Client,
    Server,
)

QUIZ = "consent-quiz"
QUIZ_PATH = f"/learn/quiz/{QUIZ}"
RESULT_PATH = f"{QUIZ_PATH}/result/"
ATTEMPT_RE = re.compile(r'name="attempt" value="(\d+)"')
PSEUDONYM = "Reliability Student {:05d}"
WORKERS = PRODUCTION_WORKERS
THREADS = PRODUCTION_THREADS


# ---- the instance: a 10-question quiz, many students -------------------------------------------------------


def build_content(target: Path) -> Path:
    """A copy of the curriculum whose consent quiz (Korean and English) has at least 10 questions: existing
    questions (a true/false and a single choice, in turn) copied under new ids until it does."""
    shutil.copytree(ROOT / "content", target)
    for locale in ("ko", "en"):
        path = target / "quizzes" / locale / "consent" / "consent-quiz.yaml"
        text = path.read_text(encoding="utf-8")
        document = yaml.safe_load(text)
        questions = document["questions"]
        copies = [next(q for q in questions if q["type"] == kind) for kind in ("truefalse", "single")]
        extra = [dict(copies[i % 2], id=f"q{90 + i}") for i in range(10 - len(questions))]
        if not extra:
            continue
        assert list(document)[-1] == "questions"  # the copies can simply be appended
        dumped = yaml.safe_dump(extra, allow_unicode=True, sort_keys=False, width=1000)
        indented = "".join(f"  {line}\n" if line else "\n" for line in dumped.splitlines())
        path.write_text(text.rstrip("\n") + "\n\n" + indented, encoding="utf-8")
    return target


def seed_inside_app(count: int) -> None:
    """Run in the instance's environment (see `seed`): migrate, load the demo data, add `count` students to
    the Korean demo class with one shared precomputed PIN hash, print the students and the quiz as JSON."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from edu import create_app
    from edu.auth.secrets import hash_pin
    from edu.content_service import catalog
    from edu.demo import load_demo
    from edu.domain import SURVEY_ID
    from edu.extensions import db
    from edu.models import Classroom, Student, SurveySubmission, utcnow

    app = create_app()
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        classroom = db.session.scalar(select(Classroom).where(Classroom.join_code == DEMO_CODE))
        pin_hash = hash_pin(DEMO_PIN)
        names = [PSEUDONYM.format(i) for i in range(count)]
        students = [Student(classroom=classroom, pseudonym=name, pin_hash=pin_hash) for name in names]
        db.session.add_all(students)
        db.session.flush()
        # They have skipped the class's pre-survey, so its lessons and quizzes are open to them.
        db.session.add_all(SurveySubmission(student_id=s.id, survey_id=SURVEY_ID, phase="pre", content_version="",
                                            submitted_at=utcnow()) for s in students)
        db.session.commit()
        content = catalog().quiz(QUIZ, classroom.locale)
        # The question and option ids, and the right options (to send all-right and all-wrong answers).
        structure = {"id": content.id, "questions": [
            {"id": q.id, "type": q.type, "options": [o.id for o in q.options], "correct": sorted(q.correct_ids)}
            for q in content.questions]}
        print(json.dumps({"pseudonyms": names, "quiz": structure}, ensure_ascii=False))


def seed(env: dict, count: int) -> dict:
    """Migrate, demo data and `count` students in one process (one app start instead of three CLI runs)."""
    code = ("import sys\nfrom tests.reliability_support import seed_inside_app\n"
            "seed_inside_app(int(sys.argv[1]))")
    result = subprocess.run([sys.executable, "-c", code, str(count)], env=env, cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    if len(data["quiz"]["questions"]) != 10:
        raise RuntimeError(f"the quiz has {len(data['quiz']['questions'])} questions, not 10")
    return data


# ---- students ----------------------------------------------------------------------------------------------


def answers_for(questions: list[dict], variant: int) -> dict[str, list[str]]:
    """A full set of answers that differs from student to student (multiple choice: two options)."""
    answers = {}
    for number, question in enumerate(questions):
        options = question["options"]
        first = (variant + number) % len(options)
        if question["type"] == "multiple":
            answers[question["id"]] = sorted({options[first], options[(first + 1) % len(options)]})
        else:
            answers[question["id"]] = [options[first]]
    return answers


def right_and_wrong_answers(questions: list[dict]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Every question answered rightly (score 10), and every question answered wrongly (score 0)."""
    right = {q["id"]: q["correct"] for q in questions}
    wrong = {q["id"]: [next(o for o in q["options"] if o not in q["correct"])] for q in questions}
    return right, wrong


def stored_value(options: list[str]) -> str:
    """How the app stores an answer: the option ids, sorted, comma-separated."""
    return ",".join(sorted(set(options)))


@dataclass
class QuizForm:
    csrf: str
    attempt: int

    def fields(self, action: str, answers: dict[str, list[str]]) -> list[tuple[str, str]]:
        form = [("csrf_token", self.csrf), ("attempt", str(self.attempt)), ("action", action)]
        return form + [(f"q-{question}", option)
                       for question, options in answers.items() for option in options]


class Student(Client):
    """tests/live_server.py's client (cookies by hand, keep-alive) that never sends a request a second time by itself: a
    connection cut off is the caller's to see (and to retry, counted)."""

    resend_once = False

    def __init__(self, port: int, pseudonym: str, timeout: float = 180):
        super().__init__(port, timeout)
        self.pseudonym = pseudonym

    def connect(self) -> None:
        """Open the connection now, so a request sent after a barrier leaves at once."""
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        self.conn.connect()

    def twin(self) -> Student:
        """A second tab of the same browser: the same cookies, its own connection."""
        other = Student(self.port, self.pseudonym, self.timeout)
        other.cookies = dict(self.cookies)
        return other

    def sign_in(self) -> Student:
        self.student_signin(DEMO_CODE, self.pseudonym, DEMO_PIN)
        return self

    def open_quiz(self) -> QuizForm:
        status, _headers, body = self.request("GET", QUIZ_PATH)
        page = body.decode()
        token, attempt = CSRF_RE.search(page), ATTEMPT_RE.search(page)
        if status != 200 or token is None or attempt is None:
            raise RuntimeError(f"quiz page for {self.pseudonym}: HTTP {status}")
        return QuizForm(token.group(1) or token.group(2), int(attempt.group(1)))


def sign_in_all(port: int, pseudonyms: list[str], parallel: int = 16) -> list[Student]:
    """Sign every student in through the real route (argon2 verification included), `parallel` at a time."""
    with ThreadPoolExecutor(parallel) as pool:
        students = list(pool.map(lambda name: Student(port, name).sign_in(), pseudonyms))
    for student in students:
        student.close()
    return students


def open_forms(students: list[Student], parallel: int = 16) -> list[QuizForm]:
    with ThreadPoolExecutor(parallel) as pool:
        forms = list(pool.map(Student.open_quiz, students))
    for student in students:
        student.close()
    return forms


# ---- what a load did ---------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    """What the clients saw. `acknowledged` holds only what the server confirmed with a 2xx/3xx."""

    scenario: str
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # non-2xx/3xx answers, or a 3xx to the wrong place
    interrupted: int = 0  # requests cut off (connection reset by a killed worker), then retried
    seconds: float = 0.0
    kills: int = 0
    deadline_reached: bool = False  # a write load stopped by its deadline rather than by reaching its goal
    # pseudonym -> attempt number -> question id -> stored value
    acknowledged: dict[str, dict[int, dict[str, str]]] = field(default_factory=dict)
    submitted: set[tuple[str, int]] = field(default_factory=set)  # acknowledged submits
    # two tabs submitted different answers into one attempt, both acknowledged: one must be stored whole
    either: dict[tuple[str, int], list[dict[str, str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    stop: threading.Event = field(default_factory=threading.Event, repr=False)  # ends a write load

    def record(self, status: int | None, failure: str | None = None) -> None:
        with self.lock:
            self.requests += 1
            if status is None:
                self.interrupted += 1
            else:
                self.statuses[status] += 1
            if failure:
                self.errors.append(failure)

    def acknowledge(self, pseudonym: str, attempt: int, answers: dict[str, list[str]], submit: bool) -> None:
        with self.lock:
            saved = self.acknowledged.setdefault(pseudonym, {}).setdefault(attempt, {})
            saved.update({question: stored_value(options) for question, options in answers.items()})
            if submit:
                self.submitted.add((pseudonym, attempt))

    @property
    def answers_acknowledged(self) -> int:
        """Distinct (student, attempt, question) answers acknowledged so far; safe to read during a load."""
        with self.lock:
            return (sum(len(answers) for attempts in self.acknowledged.values() for answers in attempts.values())
                    + sum(len(choices[0]) for choices in self.either.values()))

    @property
    def submits_acknowledged(self) -> int:
        with self.lock:
            return len(self.submitted)


def post_submit(student: Student, form: QuizForm, answers: dict[str, list[str]], report: LoadReport,
                record: bool = True) -> bool:
    """One submit, no retry; True if acknowledged (a 302 to the attempt's result page), which is recorded
    in the report unless `record` is false."""
    try:
        status, headers, _body = student.request("POST", QUIZ_PATH, form.fields("submit", answers))
    except (OSError, http.client.HTTPException) as error:
        report.record(None, f"{student.pseudonym}: submit failed ({type(error).__name__})")
        return False
    location = headers.get("Location", "")
    if status == 302 and location.endswith(f"{RESULT_PATH}{form.attempt}"):
        report.record(status)
        if record:
            report.acknowledge(student.pseudonym, form.attempt, answers, submit=True)
        return True
    report.record(status, f"{student.pseudonym}: submit answered {status} {location}")
    return False


# ---- scenario 1: everybody submits at once -----------------------------------------------------------------


def concurrent_submits(students: list[Student], questions: list[dict]) -> LoadReport:
    """Every student opens the quiz, then all submit their 10 answers at the same moment (one thread each)."""
    report = LoadReport("submits")
    forms = open_forms(students)
    barrier = threading.Barrier(len(students) + 1)

    def submit(index: int) -> None:
        barrier.wait()
        post_submit(students[index], forms[index], answers_for(questions, index), report)
        students[index].close()

    threads = [threading.Thread(target=submit, args=(index,)) for index in range(len(students))]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.monotonic()
    for thread in threads:
        thread.join()
    report.seconds = time.monotonic() - started
    return report


# ---- scenario 2: every submit sent twice at the same moment ------------------------------------------------


def twin_submits(students: list[Student], questions: list[dict], parallel_pairs: int = 8,
                 two_tabs: bool = False) -> LoadReport:
    """Each student sends the same submit twice at once (a double click); half of them saved one answer
    first, so the twins find a draft rather than racing to create the attempt. With `two_tabs`, the two
    submits differ (two tabs of one attempt, one all right, one all wrong): one must be stored whole, graded."""
    report = LoadReport("two tabs" if two_tabs else "twins")
    right, wrong = right_and_wrong_answers(questions)

    def pair(index: int) -> None:
        first = students[index]
        answers = [right, wrong] if two_tabs else [answers_for(questions, index)] * 2
        try:
            form = first.open_quiz()
            if index % 2:
                question = questions[0]["id"]
                status, headers, _body = first.request("POST", QUIZ_PATH,
                                                       form.fields("save", {question: answers[0][question]}))
                if status != 302 or not headers.get("Location", "").endswith(QUIZ_PATH):
                    report.record(status, f"{first.pseudonym}: the save before the twins answered {status}")
                    return
        except (OSError, http.client.HTTPException, RuntimeError) as error:
            report.record(None, f"{first.pseudonym}: before the twins: {error!r}")
            return
        finally:
            first.close()
        tabs = [first, first.twin()]
        barrier = threading.Barrier(2)
        acknowledged = [False, False]

        def send(tab: int) -> None:
            tabs[tab].connect()
            barrier.wait()
            acknowledged[tab] = post_submit(tabs[tab], form, answers[tab], report, record=not two_tabs)
            tabs[tab].close()

        other = threading.Thread(target=send, args=(1,))
        other.start()
        send(0)
        other.join()
        if two_tabs and all(acknowledged):
            with report.lock:
                report.either[(first.pseudonym, form.attempt)] = [
                    {question: stored_value(options) for question, options in tab_answers.items()}
                    for tab_answers in answers]
                report.submitted.add((first.pseudonym, form.attempt))

    started = time.monotonic()
    with ThreadPoolExecutor(parallel_pairs) as pool:
        list(pool.map(pair, range(len(students))))
    report.seconds = time.monotonic() - started
    return report


# ---- scenario 3: workers killed with SIGKILL during a write load -------------------------------------------


def worker_pids(master: int) -> list[int]:
    """The live gunicorn workers (children of the master), longest-running first."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == master and fields[0] not in "ZX":
            workers.append((int(fields[19]), int(stat.parent.name)))  # (start time, pid)
    return [pid for _start, pid in sorted(workers)]


def wait_until(condition, until: float, report: LoadReport | None = None) -> bool:
    """Poll `condition` until it holds (True), the monotonic time `until` comes or the load reports an error."""
    while not condition():
        if time.monotonic() > until or (report is not None and report.errors):
            return False
        time.sleep(0.05)
    return True


def acknowledged_request(student: Student, report: LoadReport, method: str, path: str, form: list,
                         expect: str, attempts: int = 20) -> tuple[int, dict, bytes] | None:
    """Send until the server answers (a request cut off by a killed worker is sent again, as its user would).
    Returns the response if it is the expected one: 302 to `expect`, or 200 when `expect` is empty."""
    for _ in range(attempts):
        try:
            status, headers, body = student.request(method, path, form)
        except (OSError, http.client.HTTPException):
            report.record(None)
            time.sleep(0.05)
            continue
        location = headers.get("Location", "")
        if (status == 200 and not expect) or (status == 302 and location.endswith(expect) and expect):
            report.record(status)
            return status, headers, body
        report.record(status, f"{student.pseudonym}: {method} {path} answered {status} {location}")
        return None
    report.record(None, f"{student.pseudonym}: {method} {path} never answered")
    return None


def write_round(student: Student, questions: list[dict], variant: int, report: LoadReport) -> bool:
    """Open the quiz, save each answer alone (odd questions through the save-as-you-go JSON endpoint), then
    submit them all. Returns False on an error (reported)."""
    page = acknowledged_request(student, report, "GET", QUIZ_PATH, None, "")
    if page is None:
        return False
    text = page[2].decode()
    token = CSRF_RE.search(text)
    form = QuizForm(token.group(1) or token.group(2), int(ATTEMPT_RE.search(text).group(1)))
    answers = answers_for(questions, variant)
    for number, (question, options) in enumerate(answers.items()):
        if number % 2:
            fields = [("csrf_token", form.csrf), ("question", question), *(("option", o) for o in options)]
            response = acknowledged_request(student, report, "POST", f"{QUIZ_PATH}/answer", fields, "")
            if response is None:
                return False
            reply = json.loads(response[2])
            if not reply.get("saved") or reply.get("attempt") != form.attempt:
                report.record(200, f"{student.pseudonym}: answer saved as {reply}, form was {form.attempt}")
                return False
        else:
            fields = form.fields("save", {question: options})
            if acknowledged_request(student, report, "POST", QUIZ_PATH, fields, QUIZ_PATH) is None:
                return False
        report.acknowledge(student.pseudonym, form.attempt, {question: options}, submit=False)
        if report.stop.is_set():
            return True  # the load is over: leave the draft as it is
    submit = acknowledged_request(student, report, "POST", QUIZ_PATH, form.fields("submit", answers),
                                  f"{RESULT_PATH}{form.attempt}")
    if submit is None:
        return False
    report.acknowledge(student.pseudonym, form.attempt, answers, submit=True)
    return True


def write_load_with_kills(master: int, students: list[Student], questions: list[dict], kills: int, *,
                          answers_between: int = 0, answers_at_least: int = 0, submits_at_least: int = 0,
                          pause: float = 0.0, deadline: float = 600.0, workers: int = WORKERS) -> LoadReport:
    """Students write round after round while the longest-serving worker is killed with SIGKILL `kills` times.

    Before each kill: every worker is up, the load has had `answers_between` more answers acknowledged since then
    (so the kill lands in a running load, however slow the machine), and `pause` more seconds have passed. After
    the last kill the load goes on until the replacement is up, `answers_between` more answers and `pause` more
    seconds, and `answers_at_least` answers and `submits_at_least` submits acknowledged in all. Whatever
    happens, the load stops `deadline` seconds after it started (then `report.deadline_reached` is true, and
    `report.kills` may be short). It also stops waiting as soon as a request fails (`report.errors`)."""
    report = LoadReport("sigkill")

    def writer(index: int) -> None:
        variant = index
        while not report.stop.is_set() and write_round(students[index], questions, variant, report):
            variant += 1
        students[index].close()

    def running_load() -> bool:
        """Workers all up, then `answers_between` more answers and `pause` more seconds."""
        if not wait_until(lambda: len(worker_pids(master)) >= workers, until, report):
            return False
        goal = report.answers_acknowledged + answers_between
        if not wait_until(lambda: report.answers_acknowledged >= goal, until, report):
            return False
        time.sleep(pause)
        return True

    started = time.monotonic()
    until = started + deadline
    threads = [threading.Thread(target=writer, args=(index,)) for index in range(len(students))]
    for thread in threads:
        thread.start()
    try:
        while report.kills < kills and running_load():
            victims = worker_pids(master)
            if victims:
                os.kill(victims[0], signal.SIGKILL)
                report.kills += 1
        if report.kills == kills and running_load():
            wait_until(lambda: (report.answers_acknowledged >= answers_at_least
                                and report.submits_acknowledged >= submits_at_least), until, report)
        report.deadline_reached = time.monotonic() > until
    finally:
        report.stop.set()
        for thread in threads:
            thread.join()
    report.seconds = time.monotonic() - started
    return report


# ---- what the database holds -------------------------------------------------------------------------------


@dataclass
class StoredAttempt:
    submitted: bool
    score: int | None
    answers: dict[str, str] = field(default_factory=dict)


def _connect(url: str):
    if url.startswith("sqlite"):
        return sqlite3.connect(url.split("///", 1)[1])
    import psycopg

    return psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _rows(url: str, sql: str) -> list[tuple]:
    connection = _connect(url)
    try:
        return list(connection.execute(sql).fetchall())
    finally:
        connection.close()


def stored_attempts(url: str, pseudonyms: list[str]) -> dict[str, dict[int, StoredAttempt]]:
    """pseudonym -> attempt number -> the attempt and its answers (these students' consent-quiz attempts)."""
    wanted = set(pseudonyms)
    rows = _rows(url, f"""
        SELECT s.pseudonym, a.attempt_no, a.submitted_at IS NOT NULL, a.score, q.question_id, q.option_ids
        FROM quiz_attempts a JOIN students s ON s.id = a.student_id
        LEFT JOIN quiz_answers q ON q.attempt_id = a.id
        WHERE a.quiz_id = '{QUIZ}'""")
    stored: dict[str, dict[int, StoredAttempt]] = {name: {} for name in pseudonyms}
    for pseudonym, attempt_no, submitted, score, question, options in rows:
        if pseudonym in wanted:
            attempt = stored[pseudonym].setdefault(attempt_no, StoredAttempt(bool(submitted), score))
            if question is not None:
                attempt.answers[question] = options
    return stored


DUPLICATE_QUERIES = {
    "duplicate answers (attempt, question)":
        "SELECT attempt_id, question_id FROM quiz_answers GROUP BY attempt_id, question_id "
        "HAVING COUNT(*) > 1",
    "duplicate attempts (student, quiz, number)":
        "SELECT student_id, quiz_id, attempt_no FROM quiz_attempts GROUP BY student_id, quiz_id, attempt_no "
        "HAVING COUNT(*) > 1",
}
CONSISTENCY_QUERIES = {
    **DUPLICATE_QUERIES,
    "answers without their attempt":
        "SELECT q.id FROM quiz_answers q LEFT JOIN quiz_attempts a ON a.id = q.attempt_id WHERE a.id IS NULL",
    "attempts without their student":
        "SELECT a.id FROM quiz_attempts a LEFT JOIN students s ON s.id = a.student_id WHERE s.id IS NULL",
    "submitted attempts whose score is not their number of right answers":
        "SELECT a.id FROM quiz_attempts a "
        "LEFT JOIN quiz_answers q ON q.attempt_id = a.id AND q.correct = TRUE WHERE a.submitted_at IS NOT NULL GROUP BY a.id, a.score HAVING COUNT(q.id) <> a.score",
    "submitted attempts without a score":
        "SELECT id FROM quiz_attempts "
        "WHERE submitted_at IS NOT NULL AND (score IS NULL OR max_score IS NULL)",
}


def integrity_problems(url: str) -> list[str]:
    """Empty when the database is sound: the engine's own check, then the constraints the app relies on."""
    problems = []
    if url.startswith("sqlite"):
        result = [row[0] for row in _rows(url, "PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.append(f"PRAGMA integrity_check: {result[:5]}")
        foreign = _rows(url, "PRAGMA foreign_key_check")
        if foreign:
            problems.append(f"PRAGMA foreign_key_check: {foreign[:5]}")
    else:
        connection = _connect(url)
        try:
            connection.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
            indexes = connection.execute(
                "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam "
                "WHERE n.nspname = 'public' AND am.amname = 'btree'").fetchall()
            for (name,) in indexes:
                try:
                    connection.execute(f"SELECT bt_index_check('public.{name}'::regclass, true)")
                except Exception as error:  # noqa: BLE001 - amcheck reports corruption as an error
                    problems.append(f"amcheck {name}: {error}")
        finally:
            connection.close()
    for what, sql in CONSISTENCY_QUERIES.items():
        rows = _rows(url, sql)
        if rows:
            problems.append(f"{len(rows)} {what}, e.g. {rows[:3]}")
    return problems


@dataclass
class Verification:
    """The database compared with what the clients were told."""

    attempts: int = 0
    submitted: int = 0
    answers_stored: int = 0  # answers of these students' attempts
    answers_expected: int = 0  # acknowledged answers
    missing_or_wrong: list[str] = field(default_factory=list)
    # attempts stored (or submitted) that no acknowledged request made (or submitted): a submit must make one
    unacknowledged: list[str] = field(default_factory=list)
    duplicates: int = 0  # rows breaking a unique key the app relies on (whole database)
    integrity: list[str] = field(default_factory=list)

    @property
    def integrity_result(self) -> str:
        return "ok" if not self.integrity else f"{len(self.integrity)} problems"


def verify(url: str, report: LoadReport, pseudonyms: list[str]) -> Verification:
    stored = stored_attempts(url, pseudonyms)
    check = Verification(integrity=integrity_problems(url),
                         duplicates=sum(len(_rows(url, sql)) for sql in DUPLICATE_QUERIES.values()))
    for attempts in stored.values():
        check.attempts += len(attempts)
        check.submitted += sum(a.submitted for a in attempts.values())
        check.answers_stored += sum(len(a.answers) for a in attempts.values())
    check.answers_expected = report.answers_acknowledged
    for pseudonym, attempts in report.acknowledged.items():
        for number, answers in attempts.items():
            attempt = stored[pseudonym].get(number)
            if attempt is None:
                check.missing_or_wrong.append(f"{pseudonym}: attempt {number} missing")
                continue
            for question, value in answers.items():
                if attempt.answers.get(question) != value:
                    check.missing_or_wrong.append(f"{pseudonym} attempt {number} {question}: sent {value!r}, "
                                                  f"stored {attempt.answers.get(question)!r}")
            if (pseudonym, number) in report.submitted:
                if not attempt.submitted or attempt.score is None:
                    check.missing_or_wrong.append(
                        f"{pseudonym}: the acknowledged submit of attempt {number} is not closed")
                if set(attempt.answers) != set(answers):
                    check.missing_or_wrong.append(f"{pseudonym} attempt {number}: stored questions "
                                                  f"{sorted(attempt.answers)}, sent {sorted(answers)}")
    for (pseudonym, number), choices in report.either.items():
        attempt = stored[pseudonym].get(number)
        if attempt is None or not attempt.submitted or attempt.answers not in choices:
            check.missing_or_wrong.append(
                f"{pseudonym} attempt {number}: stored {attempt}, not one of the two tabs' answers whole")
    for pseudonym, attempts in stored.items():
        for number, attempt in attempts.items():
            made = number in report.acknowledged.get(pseudonym, {}) or (pseudonym, number) in report.either
            if not made:
                check.unacknowledged.append(f"{pseudonym}: attempt {number} stored, no acknowledged request made it")
            elif attempt.submitted and (pseudonym, number) not in report.submitted:
                check.unacknowledged.append(f"{pseudonym}: attempt {number} submitted, no submit was acknowledged")
    return check


def server_log_errors(server: Server) -> list[str]:
    """Tracebacks and 5xx request lines in gunicorn's log; a worker killed on purpose is not an error."""
    text = server.log_text()
    lines = [line for line in text.splitlines()
             if "Traceback" in line or '"status": 5' in line
             or ("[ERROR]" in line and "was sent SIGKILL" not in line)]
    return lines
