"""Benchmark 5: insights over 100,000 students and 2,000,000 answers, on SQLite and on PostgreSQL.

    .venv/bin/python -m bench.bench_insights [--quick] [--students N] [--answers N] [--db sqlite,postgresql]

For each database the data set is made with the real CLI (`flask --app edu db upgrade`, then
`python -m bench.datagen --students N --answers N --seed 1`, timed). The SQLite file is kept in the
temporary directory and reused by the next run with the same sizes; the PostgreSQL database `edu_bench_insights_<pid>`
is created at `BENCH_POSTGRES_URL` and dropped afterwards. Then, in a fresh process, warm (each figure computed
once before timing):
- class figures, for 15 classes that finished the programme (medians): the outcomes page (the stored survey
  releases, quiz results over time), the progress grid and the question analysis of one quiz;
- school figures, for 5 schools, both breakdowns (median of 3 runs each): what the admin insights page
  computes (exact module completion, the stored school and class releases);
- the whole set with every class of the data set as one school: module completion (by age band), and computing
  a school release (made once a term; rolled back here), with each part timed too.
Targets (issue 7): class figures < 50 ms, school figures < 1 s, the all-students set included.
`--quick` uses 10,000 students and 200,000 answers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import DEFAULT_PG_URL, ROOT, VENV_BIN, print_facts, run, table, write_result

CLASS_TARGET_MS = 50.0
SCHOOL_TARGET_MS = 1000.0
SEED = 1


# ---- the data set --------------------------------------------------------------------------------------------


def base_env() -> dict:
    env = dict(os.environ)
    for key in ("DATABASE_URL", "RATELIMIT_STORAGE_URI"):
        env.pop(key, None)
    env.update({"SECRET_KEY": "bench-secret-key", "EDU_CONTENT_DIR": str(ROOT / "content"),
                "PYTHONPATH": str(ROOT)})
    return env


def generate(env: dict, students: int, answers: int) -> tuple[float, str]:
    flask = str(VENV_BIN / "flask")
    run([flask, "--app", "edu", "db", "upgrade"], env)
    started = time.monotonic()
    out = run([str(VENV_BIN / "python"), "-m", "bench.datagen", "--students", str(students), "--answers",
               str(answers), "--seed", str(SEED)], env, timeout=3600).stdout
    return time.monotonic() - started, "generated" if "Generated in" in out else "reused"


def sqlite_env(students: int, answers: int) -> dict:
    directory = Path(tempfile.gettempdir()) / f"edu-bench-insights-{students}-{answers}-s{SEED}"
    directory.mkdir(exist_ok=True)
    env = base_env()
    env["EDU_INSTANCE_DIR"] = str(directory)
    return env


class PostgresDatabase:
    def __init__(self):
        self.name = f"edu_bench_insights_{os.getpid()}"
        self.admin = DEFAULT_PG_URL.replace("postgresql+psycopg://", "postgresql://")
        self.directory = tempfile.mkdtemp(prefix="edu-bench-insights-pg-")

    def __enter__(self) -> dict:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {self.name}")
        env = base_env()
        env["EDU_INSTANCE_DIR"] = self.directory
        env["DATABASE_URL"] = DEFAULT_PG_URL.rsplit("/", 1)[0] + "/" + self.name
        return env

    def __exit__(self, *_exc) -> None:
        import shutil

        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        shutil.rmtree(self.directory, ignore_errors=True)


# ---- the measurements (run inside the app, in a child process) ------------------------------------------------


def timed(function, repeat: int = 1) -> float:
    """Milliseconds of the fastest of ``repeat`` runs, after one warm-up run."""
    function()
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, (time.perf_counter() - started) * 1000)
    return best


def measure() -> dict:
    from sqlalchemy import func, select

    from edu import create_app
    from edu.content_service import catalog
    from edu.extensions import db
    from edu.insights import pages, school_release, service
    from edu.insights.queries import Scope
    from edu.models import Classroom, School, Student, SurveySubmission
    from edu.teach.progress import progress_grid
    from edu.teach.reports import question_analysis

    app = create_app()
    with app.app_context():
        cat = catalog()
        finished = list(db.session.scalars(
            select(Student.classroom_id).join(SurveySubmission, SurveySubmission.student_id == Student.id)
            .where(SurveySubmission.phase == "post").group_by(Student.classroom_id).order_by(Student.classroom_id)))
        step = max(1, len(finished) // 15)
        classes = [db.session.get(Classroom, i) for i in finished[::step][:15]]
        outcomes_ms, progress_ms, analysis_ms = [], [], []
        for classroom in classes:
            outcomes_ms.append(timed(lambda c=classroom: (
                pages.class_page(c), service.quiz_results_over_time(c, cat, c.locale))))
            progress_ms.append(timed(lambda c=classroom: progress_grid(c, cat, c.locale)))
            quiz = cat.quiz_for("consent", classroom.locale, classroom.region)
            analysis_ms.append(timed(lambda c=classroom, q=quiz: question_analysis(c, q)))

        def school_figures(school, breakdown: str, active=None) -> None:
            service.completion_table(school, cat, breakdown, scope=active)
            pages.school_page(school)

        schools = list(db.session.scalars(select(School).where(School.name.like("Generated school %"))
                                          .order_by(School.id).limit(5)))
        students_per_school = statistics.median(db.session.scalar(
            select(func.count()).select_from(Student).join(Classroom).where(Classroom.school_id == s.id))
            for s in schools)
        school_ms = {by: [timed(lambda s=s, by=by: school_figures(s, by), repeat=3) for s in schools]
                     for by in service.BREAKDOWNS}
        survey = cat.survey("prepost", "en")
        parts = {
            "completion": lambda: service.completion_table(schools[0], cat, "age_band", scope=Scope(active_only=True)),
            "school release": lambda: (school_release.release_school(schools[0], survey), db.session.rollback()),
        }
        everything_ms = timed(lambda: [part() for part in parts.values()], repeat=3)
        everything_parts_ms = {name: timed(part, repeat=3) for name, part in parts.items()}
        return {
            "classes": len(classes), "schools": len(schools), "students_per_school": students_per_school,
            "class_outcomes_ms": statistics.median(outcomes_ms), "class_outcomes_max_ms": max(outcomes_ms),
            "class_progress_ms": statistics.median(progress_ms), "class_progress_max_ms": max(progress_ms),
            "class_analysis_ms": statistics.median(analysis_ms), "class_analysis_max_ms": max(analysis_ms),
            "school_by_class_ms": statistics.median(school_ms["classroom"]),
            "school_by_class_max_ms": max(school_ms["classroom"]),
            "school_by_age_ms": statistics.median(school_ms["age_band"]),
            "school_by_age_max_ms": max(school_ms["age_band"]),
            "everything_ms": everything_ms, "everything_parts_ms": everything_parts_ms,
            "counts": counts(db),
        }


def counts(db) -> dict:
    from sqlalchemy import func, select

    from edu.models import AnonymousSurveyAnswer, QuizAnswer, Student, SurveyAnswer

    def n(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model))

    return {"students": n(Student), "answers": n(SurveyAnswer) + n(AnonymousSurveyAnswer) + n(QuizAnswer)}


def run_backend(env: dict, students: int, answers: int) -> dict:
    seconds, line = generate(env, students, answers)
    result = run([sys.executable, "-m", "bench.bench_insights", "--measure"], env, timeout=3600)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["generate_s"] = seconds
    figures["generate_note"] = line
    return figures


def verdict(value: float, target: float) -> str:
    return "PASS" if value < target else "FAIL"


def report(results: dict) -> list[list]:
    rows = []
    for backend, r in results.items():
        students, answers = r["counts"]["students"], r["counts"]["answers"]
        rows.append([backend, "data set", f"{students:,} students, {answers:,} answers",
                     "generated in " + (f"{r['generate_s']:.0f} s" if r["generate_note"] != "reused" else
                                        "an earlier run (reused)"), ""])
        for key, what in (("class_outcomes", "class: outcomes page figures"),
                          ("class_progress", "class: progress grid"),
                          ("class_analysis", "class: question analysis")):
            rows.append([backend, what, f"{r[key + '_ms']:.1f} ms (max {r[key + '_max_ms']:.1f})",
                         f"< {CLASS_TARGET_MS:.0f} ms", verdict(r[key + "_ms"], CLASS_TARGET_MS)])
        per = f"{r['students_per_school']:,.0f} students"
        for key, what in (("school_by_class", f"school ({per}), by class"),
                          ("school_by_age", f"school ({per}), by age band")):
            rows.append([backend, what, f"{r[key + '_ms']:.0f} ms (max {r[key + '_max_ms']:.0f})",
                         f"< {SCHOOL_TARGET_MS:.0f} ms", verdict(r[key + "_ms"], SCHOOL_TARGET_MS)])
        rows.append([backend, f"all {students:,} students as one school: every school figure",
                     f"{r['everything_ms']:.0f} ms", f"< {SCHOOL_TARGET_MS:.0f} ms",
                     verdict(r["everything_ms"], SCHOOL_TARGET_MS)])
        for name, ms in r["everything_parts_ms"].items():
            rows.append([backend, f"  of which {name}", f"{ms:.0f} ms", "", ""])
    return rows


def main() -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="10,000 students and 200,000 answers")
    parser.add_argument("--students", type=int)
    parser.add_argument("--answers", type=int)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return {}
    students = args.students or (10_000 if args.quick else 100_000)
    answers = args.answers or 20 * students
    print(f"Benchmark 5: insights over {students:,} students and about {answers:,} answers")
    print_facts()
    results = {}
    for backend in args.db.split(","):
        print(f"  {backend}: generating and measuring ...", flush=True)
        try:
            if backend == "postgresql":
                with PostgresDatabase() as env:
                    results[backend] = run_backend(env, students, answers)
            else:
                results[backend] = run_backend(sqlite_env(students, answers), students, answers)
        except Exception as error:  # noqa: BLE001 - e.g. PostgreSQL not running: report and go on
            print(f"  {backend}: not measured ({type(error).__name__}: {str(error)[:500]})")
    print(table(report(results), ["database", "figure", "measured (median)", "target", "verdict"]))
    checked = [row[-1] for row in report(results) if row[-1]]
    overall = "PASS" if results and all(v == "PASS" for v in checked) else "FAIL"
    print(f"  target: class figures < {CLASS_TARGET_MS:.0f} ms and school figures < {SCHOOL_TARGET_MS / 1000:.0f} s "
          f"on every database, the all-students set included: {overall}")
    summary = dict(results)
    summary["verdict"] = overall
    write_result("insights", summary)
    return summary


if __name__ == "__main__":
    main()
