"""Prepared reads (edu/reads.py) give what SQLAlchemy gives, read committed data, and keep a working connection
per thread."""

from __future__ import annotations

import contextlib
import os
import threading
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import bindparam, literal, select, union_all

from edu import reads
from edu.database import core_execute
from edu.extensions import db
from edu.models import Assignment, Classroom, Student, utcnow
from edu.reads import PreparedRead
from edu.teach import services as teach
from tests import factories

STUDENT_AND_CLASS = (
    select(Student.id, Student.pseudonym, Student.locale, Student.created_at, Classroom.joining_open,
           Classroom.archived_at, literal("fixed").label("fixed"))
    .join_from(Student, Classroom)
    .where(Student.id == bindparam("pk"))
)
STUDENT_ID = select(Student.id).where(Student.id == bindparam("pk"))


@pytest.fixture
def student(ctx):
    classroom = factories.classroom(factories.teacher())
    student, _pin = factories.student(classroom)
    db.session.commit()
    return student


@pytest.mark.parametrize("joining_open, archived", [(True, False), (False, True)])
def test_the_rows_and_their_values_are_the_ones_sqlalchemy_gives(student, joining_open, archived):
    student.classroom.joining_open = joining_open
    student.classroom.archived_at = utcnow() if archived else None
    db.session.commit()
    expected = [tuple(row) for row in core_execute(STUDENT_AND_CLASS, {"pk": student.id})]
    db.session.commit()

    rows = PreparedRead(STUDENT_AND_CLASS).rows({"pk": student.id})

    assert rows == expected
    _id, pseudonym, locale, created_at, joining, archived_at, fixed = rows[0]
    assert (pseudonym, locale, joining, fixed) == (student.pseudonym, None, joining_open, "fixed")
    assert type(joining) is bool  # SQLite stores 0 or 1
    assert created_at == student.created_at  # a datetime, as the ORM reads it (SQLite stores text)
    assert (archived_at is not None) == archived
    assert PreparedRead(STUDENT_AND_CLASS).rows({"pk": student.id + 1000}) == []


def test_a_date_parameter_and_a_parameter_used_twice_are_sent_as_sqlalchemy_sends_them(student):
    classroom = student.classroom
    teach.assign(classroom, "module", "consent")
    teach.assign(classroom, "module", "law", opens_on=utcnow().date() + timedelta(days=2))
    db.session.commit()
    statement = union_all(
        select(literal("open"), Assignment.target_id).where(
            Assignment.classroom_id == bindparam("classroom"), Assignment.opens_at.is_(None)
            | (Assignment.opens_at <= bindparam("now"))),
        select(literal("class"), Classroom.name).where(Classroom.id == bindparam("classroom")),
    )
    read = PreparedRead(statement)

    today = sorted(read.rows({"classroom": classroom.id, "now": utcnow()}))
    in_three_days = sorted(read.rows({"classroom": classroom.id, "now": utcnow() + timedelta(days=3)}))

    assert today == [("class", classroom.name), ("open", "consent")]
    assert in_three_days == [("class", classroom.name), ("open", "consent"), ("open", "law")]


def test_it_reads_what_is_committed_and_not_the_sessions_unsaved_changes(student):
    read = PreparedRead(select(Student.pseudonym).where(Student.id == bindparam("pk")))
    before = student.pseudonym
    student.pseudonym = "changed-not-committed"
    db.session.flush()

    assert read.rows({"pk": student.id}) == [(before,)]

    db.session.commit()
    assert read.rows({"pk": student.id}) == [("changed-not-committed",)]


def read_connection():
    return reads._reads_of(db.engine).connection()


def test_a_thread_keeps_one_connection_across_requests_and_another_thread_has_its_own(app, student):
    pk = student.id
    read = PreparedRead(STUDENT_ID)
    with current_app.app_context():
        read.rows({"pk": pk})
        first = read_connection()
    with current_app.app_context():
        assert read.rows({"pk": pk}) == [(pk,)]
        assert read_connection() is first
    other = []

    def in_another_thread():
        with app.app_context():
            other.append((read.rows({"pk": pk}), read_connection()))

    thread = threading.Thread(target=in_another_thread)
    thread.start()
    thread.join()
    assert other[0][0] == [(pk,)]
    assert other[0][1] is not first


def test_a_connection_that_was_closed_under_it_is_replaced_on_the_next_read(student):
    read = PreparedRead(select(Student.pseudonym).where(Student.id == bindparam("pk")))
    read.rows({"pk": student.id})
    broken = read_connection()
    if db.engine.dialect.name == "postgresql":  # the server ends the session, as a restart would
        with db.engine.connect() as admin:
            pid = broken.info.backend_pid
            admin.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
    else:
        broken.close()

    assert read.rows({"pk": student.id}) == [(student.pseudonym,)]
    assert read_connection() is not broken


def read_once(student):
    """A read of the student's id, run once, and the thread's connection it ran on."""
    read = PreparedRead(STUDENT_ID)
    read.rows({"pk": student.id})
    return read, read_connection()


def test_a_disposed_engine_gets_new_connections(student):
    read, before = read_once(student)
    db.engine.dispose()
    assert read.rows({"pk": student.id}) == [(student.id,)]
    assert read_connection() is not before


def test_a_forked_process_opens_its_own_connection(student):
    read, parent = read_once(student)
    child = os.fork()
    if child == 0:  # the child: exit code 0 if it read on a new connection
        ok = False
        with contextlib.suppress(BaseException):
            ok = read.rows({"pk": student.id}) == [(student.id,)] and read_connection() is not parent
        os._exit(0 if ok else 1)
    _pid, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert read_connection() is parent
    assert read.rows({"pk": student.id}) == [(student.id,)]  # the parent's connection still works


def test_a_list_parameter_is_refused_when_the_read_is_first_run(ctx):
    read = PreparedRead(select(Student.id).where(Student.id.in_(bindparam("ids", expanding=True))))
    with pytest.raises(ValueError, match="list parameter"):
        read.rows({"ids": [1, 2]})
