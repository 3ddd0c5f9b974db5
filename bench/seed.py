"""Bench-only data setup inside the app (run by bench/common.py as `python -m bench.seed ...`).

    python -m bench.seed students N [app|argon2|heavy] N more students in DEMKR7, all with PIN 246810, the
                                                        class's pre-survey done (skipped) as the demo's students
    python -m bench.seed quiz QUIZ_ID                   the quiz's question and option ids (Korean)
    python -m bench.seed lesson LESSON_ID               the lesson's number of steps (Korean)
    python -m bench.seed count                          submitted quiz attempts and saved answers

The PIN is hashed once and the hash reused for every student, so creating 1,000 students takes seconds. `app`
uses the app's own PIN hash (edu.auth.secrets.hash_pin: HMAC-SHA256 under the instance's PIN key); `argon2` is
argon2id 7 MiB, t=5, p=1, which hashed PINs until December 2026; `heavy` is argon2-cffi's defaults (64 MiB, t=3,
p=4), PINs until November 2026. Verification follows the stored hash (the first sign-in then replaces an argon2
hash with a keyed one), so the older kinds show what the PIN check used to cost. The cost of one check of the
stored hash is measured here, in the app's process, and returned with the students.
"""

from __future__ import annotations

import json
import sys

from argon2 import PasswordHasher


def students(count: int, kind: str) -> dict:
    from edu.auth import secrets, services
    from edu.extensions import db

    stored = {"heavy": lambda: PasswordHasher().hash("246810"),
              "argon2": lambda: PasswordHasher(time_cost=5, memory_cost=7168, parallelism=1).hash("246810"),
              "app": lambda: secrets.hash_pin("246810")}[kind]()
    original = services.hash_pin
    services.hash_pin = lambda _pin: stored
    try:
        classroom = services.classroom_by_code("DEMKR7")
        added = [services.add_student(classroom)[0] for _ in range(count)]
        skip_pre_survey(added)
        db.session.commit()
        names = [student.pseudonym for student in added]
    finally:
        services.hash_pin = original
    described = "keyed HMAC-SHA256" if kind == "app" else "argon2id " + stored.split("$")[3]
    return {"pseudonyms": names, "pin": "246810", "hash": described, "verify_ms": check_cost(stored, "246810")}


def check_cost(stored: str, pin: str) -> dict:
    """Wall and CPU milliseconds of one check of the stored PIN hash (the median of five), in the app."""
    import time

    from edu.auth import secrets

    walls, cpus = [], []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        assert secrets.verify_pin(stored, pin)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return {"wall": sorted(walls)[2], "cpu": sorted(cpus)[2]}


def skip_pre_survey(added) -> None:
    """The demo class's pre-survey comes before its lessons; like the demo's own students, the bench's have done
    it (skipped, which counts as done), so the bell measures the lesson and quiz journey it always has."""
    from edu.content_service import catalog
    from edu.learn import surveys

    survey = catalog().survey(surveys.SURVEY_ID, "ko")
    for student in added:
        surveys.submit_survey(student, survey, "pre", {})


def quiz(quiz_id: str) -> dict:
    from edu.content_service import catalog

    item = catalog().quiz(quiz_id, "ko")
    if item is None:
        raise SystemExit(f"no quiz {quiz_id}")
    return {"id": item.id, "questions": [{"id": q.id, "type": q.type, "options": [o.id for o in q.options]}
                                         for q in item.questions]}


def count() -> dict:
    from sqlalchemy import func, select

    from edu.extensions import db
    from edu.models import QuizAnswer, QuizAttempt

    submitted = db.session.scalar(select(func.count()).select_from(QuizAttempt)
                                  .where(QuizAttempt.submitted_at.is_not(None)))
    return {"submitted_attempts": submitted, "answers": db.session.scalar(select(func.count()).select_from(QuizAnswer))}


def main() -> None:
    from edu import create_app

    app = create_app()
    with app.app_context():
        if sys.argv[1] == "students":
            data = students(int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "app")
        elif sys.argv[1] == "lesson":
            from edu.content_service import catalog

            data = {"steps": len(catalog().lesson(sys.argv[2], "ko").steps)}
        elif sys.argv[1] == "count":
            data = count()
        else:
            data = quiz(sys.argv[2])
    print(json.dumps(data, ensure_ascii=False))


if __name__ == "__main__":
    main()
