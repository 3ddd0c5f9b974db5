"""Prepared reads (edu/reads.py) give what SQLAlchemy gives, read committed data, and give their connection back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import bindparam, literal, select, union_all

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


def test_one_connection_per_request_given_back_when_it_ends(app, student):
    pool = db.engine.pool
    read = PreparedRead(select(Student.id).where(Student.id == bindparam("pk")))
    pk = student.id
    db.session.commit()
    db.session.close()
    idle = pool.checkedout()
    with current_app.app_context():
        read.rows({"pk": pk})
        read.rows({"pk": pk})
        assert pool.checkedout() == idle + 1
    assert pool.checkedout() == idle


def test_a_list_parameter_is_refused_when_the_read_is_first_run(ctx):
    read = PreparedRead(select(Student.id).where(Student.id.in_(bindparam("ids", expanding=True))))
    with pytest.raises(ValueError, match="list parameter"):
        read.rows({"ids": [1, 2]})
