"""Alembic migrations build the whole schema from an empty database, and upgrade a database created at the
first migration with data in it, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text

from tests.conftest import make_test_app

# Alembic cannot reflect or compare expression indexes (the sign-in's pseudonym key) on SQLite: a test below checks
# that one itself.
pytestmark = [
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
    pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index"),
]


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    import psycopg

    admin_url = database_url.replace("postgresql+psycopg://", "postgresql://")
    name = database_url.rsplit("/", 1)[1] + "_migrations"  # beside the test database, never shared with others
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    yield database_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def test_upgrade_from_empty_matches_the_models(empty_database_url):
    from flask_migrate import downgrade, upgrade

    from edu.extensions import db

    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"schools", "accounts", "classrooms", "students", "quiz_answers"} <= tables
        with db.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
        assert differences == [], f"models and migrations disagree: {differences}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_a_sign_in_finds_the_student_through_the_pseudonym_key_index(empty_database_url):
    """The migrated database has the expression index, and the sign-in's query uses it."""
    from flask_migrate import upgrade

    from edu.extensions import db
    from edu.models import Student
    from edu.models.classes import pseudonym_key

    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade()
        query = select(Student).where(Student.classroom_id == 1, pseudonym_key == "blueotter17")  # as find_student
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        with db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.exec_driver_sql("SET enable_seqscan = off")  # an empty table: ask for the index plan
                explain = "EXPLAIN "
            else:
                explain = "EXPLAIN QUERY PLAN "
            plan = " ".join(str(row) for row in connection.exec_driver_sql(explain + sql))
        assert "ix_students_classroom_pseudonym_key" in plan
        db.engine.dispose()


FIRST_REVISION = "283f56692584"
STUDENTS = 120
QUESTIONS = 8


def _fill_first_schema(connection) -> None:
    """A school's worth of rows, written with the columns the first migration created (not today's models)."""
    now = datetime(2026, 3, 2, 9, 0)
    insert = lambda sql, rows: connection.execute(text(sql), rows)  # noqa: E731
    insert("INSERT INTO schools (id, name, country, timezone, retention_days, created_at) "
           "VALUES (:id, :name, 'KR', 'Asia/Seoul', 90, :now)", [{"id": 1, "name": "하늘중학교", "now": now}])
    insert("INSERT INTO accounts (id, school_id, role, email, password_hash, locale, session_version, created_at) "
           "VALUES (1, 1, 'teacher', 't@school.test', 'x', 'ko', 0, :now)", [{"now": now}])
    insert("INSERT INTO classrooms (id, school_id, teacher_id, name, locale, age_band, country, join_code, "
           "joining_open, quiz_policy, archived_at, created_at) VALUES (:id, 1, 1, :name, 'ko', 'middle', 'KR', "
           ":code, :open, 'best', NULL, :now)",
           [{"id": i, "name": f"2-{i}", "code": f"CODE{i:02d}", "open": True, "now": now} for i in (1, 2, 3, 4)])
    insert("INSERT INTO assignments (id, classroom_id, kind, target_id, position, opens_at, due_at, created_at) "
           "VALUES (:id, :c, 'module', 'consent', 0, NULL, NULL, :now)",
           [{"id": i, "c": i, "now": now} for i in (1, 2, 3, 4)])
    insert("INSERT INTO students (id, classroom_id, pseudonym, pin_hash, locale, session_version, created_at, "
           "last_active_at) VALUES (:id, :c, :name, 'x', NULL, 0, :now, :now)",
           [{"id": i, "c": 1 + i % 4, "name": f"파란 수달 {i}", "now": now} for i in range(1, STUDENTS + 1)])
    insert("INSERT INTO lesson_progress (id, student_id, lesson_id, content_version, last_step, furthest_step, "
           "completed_at, updated_at) VALUES (:id, :id, 'consent-basics', 'v1', 3, 3, :now, :now)",
           [{"id": i, "now": now} for i in range(1, STUDENTS + 1)])
    insert("INSERT INTO quiz_attempts (id, student_id, quiz_id, attempt_no, content_version, started_at, "
           "submitted_at, score, max_score) VALUES (:id, :id, 'consent-quiz', 1, 'v1', :now, :now, 6, 8)",
           [{"id": i, "now": now} for i in range(1, STUDENTS + 1)])
    insert("INSERT INTO quiz_answers (attempt_id, question_id, option_ids, correct, updated_at) "
           "VALUES (:a, :q, 'a', :ok, :now)",
           [{"a": i, "q": f"q{q}", "ok": q % 4 != 0, "now": now}
            for i in range(1, STUDENTS + 1) for q in range(1, QUESTIONS + 1)])
    insert("INSERT INTO survey_submissions (student_id, survey_id, phase, content_version, submitted_at) "
           "VALUES (:s, 'prepost', 'pre', 'v1', :now)", [{"s": i, "now": now} for i in range(1, STUDENTS + 1)])
    insert("INSERT INTO survey_answers (student_id, survey_id, phase, item_id, value, updated_at) "
           "VALUES (:s, 'prepost', 'pre', 'k1', '3', :now)", [{"s": i, "now": now} for i in range(1, STUDENTS + 1)])
    insert("INSERT INTO anonymous_survey_answers (id, classroom_id, survey_id, phase, item_id, value, week) "
           "VALUES (:id, 1, 'prepost', 'pre', 'a1', '4', '2026-W10')",
           [{"id": f"{i:032x}"} for i in range(1, STUDENTS + 1)])
    insert("INSERT INTO reflections (student_id, lesson_id, block_id, text, updated_at) "
           "VALUES (1, 'consent-basics', 'r1', '내 생각', :now)", [{"now": now}])
    if connection.dialect.name == "postgresql":  # explicit ids leave the sequences behind: move them on
        for table in ("schools", "accounts", "classrooms", "assignments", "students", "lesson_progress",
                      "quiz_attempts"):
            connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                    f"(SELECT max(id) FROM {table}))"))


def test_upgrade_of_a_populated_database_keeps_every_row(empty_database_url):
    from flask_migrate import upgrade

    from edu.extensions import db
    from edu.models import Classroom, QuizAnswer, QuizAttempt, School, Student

    app = make_test_app(empty_database_url)
    with app.app_context():
        upgrade(revision=FIRST_REVISION)
        with db.engine.begin() as connection:
            _fill_first_schema(connection)
        upgrade()
        with db.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
        # Today's models read the old rows, with the later columns at their defaults.
        assert db.session.scalar(select(func.count()).select_from(Student)) == STUDENTS
        assert db.session.scalar(select(func.count()).select_from(QuizAnswer)) == STUDENTS * QUESTIONS
        school = db.session.get(School, 1)
        assert school.name == "하늘중학교" and school.guardian_consent_on is None
        student = db.session.scalar(select(Student).where(Student.id == 7))
        assert student.classroom.join_code == "CODE04" and student.pseudonym == "파란 수달 7"
        attempt = db.session.get(QuizAttempt, 3)
        assert attempt.score == 6 and len(attempt.answers) == QUESTIONS
        # The upgraded database takes new rows (sequences and defaults in place).
        # Each class's owner became its first teacher.
        assert [t.email for t in db.session.get(Classroom, 3).teachers] == ["t@school.test"]
        new_class = Classroom(school_id=1, name="3-1", locale="en", age_band="high", country="GB",
                              join_code="NEWONE")
        db.session.add(new_class)
        db.session.flush()
        db.session.add(Student(classroom_id=new_class.id, pseudonym="Blue Otter 1", pin_hash="x"))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Student)) == STUDENTS + 1
        db.session.remove()
        db.engine.dispose()
