"""The write protocol: a request that began reading writes only in `with writing():`; in tests and development
a write inside a read transaction raises at once. On SQLite, a GET that wrote inside its read transaction failed
with "database is locked" when another request committed a write in between (SQLite cannot upgrade a read
snapshot that is out of date); `writing()` ends the read first, so it cannot."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text, update

from edu.database import WriteOutsideWriting, mark_request_read_only, writing
from edu.extensions import db
from edu.models import AuditEvent, School
from edu.teach import services as teach_services
from tests import factories


def test_a_write_inside_a_read_transaction_raises(app):
    school = None
    with app.app_context():
        school = factories.teacher().school_id
    with app.test_request_context("/", method="GET"):
        mark_request_read_only("GET", guarded=True)
        try:
            with pytest.raises(WriteOutsideWriting):
                db.session.execute(update(School).where(School.id == school).values(name="Renamed"))
            db.session.rollback()
            db.session.scalar(select(School.name))  # reading is fine
            with writing():
                db.session.execute(update(School).where(School.id == school).values(name="Renamed"))
            assert db.session.scalar(select(School.name).where(School.id == school)) == "Renamed"
            with pytest.raises(WriteOutsideWriting):  # after the block, the request reads again
                db.session.execute(update(School).where(School.id == school).values(name="Again"))
            db.session.rollback()
        finally:
            mark_request_read_only("GET")


def test_writing_rolls_back_when_its_block_raises(app):
    with app.app_context():
        school = factories.teacher().school_id
    with app.test_request_context("/", method="GET"):
        mark_request_read_only("GET", guarded=True)
        try:
            with pytest.raises(ValueError), writing():
                db.session.execute(update(School).where(School.id == school).values(name="Half done"))
                raise ValueError("the block failed")
            assert db.session.scalar(select(School.name).where(School.id == school)) == "Test School"
        finally:
            mark_request_read_only("GET")


def _commit_a_write_elsewhere(engine) -> None:
    """Another request's write, committed: in a thread of its own (its own transaction mode and connection)."""
    def write():
        with engine.begin() as connection:
            connection.execute(text("UPDATE schools SET name = name || '.'"))

    thread = threading.Thread(target=write)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()


@pytest.mark.parametrize("endpoint", ["student", "export.csv", "export.json"])
def test_get_views_that_audit_survive_a_write_committed_in_between(app, ctx, monkeypatch, endpoint):
    """teach.student and teach.export record an audit row on a GET: a write committed by another request after
    the view began reading and before it writes must not turn the page into a 500."""
    owner = factories.teacher()
    classroom = factories.classroom(owner)
    pupil, _pin = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_staff(client, owner.email)
    real_owned = teach_services.owned_classroom
    engine = db.engine

    def owned_then_someone_writes(*args, **kwargs):
        found = real_owned(*args, **kwargs)
        _commit_a_write_elsewhere(engine)
        return found

    monkeypatch.setattr(teach_services, "owned_classroom", owned_then_someone_writes)
    path = (f"/teach/classes/{classroom.id}/students/{pupil.id}" if endpoint == "student"
            else f"/teach/classes/{classroom.id}/{endpoint}")
    response = client.get(path)
    assert response.status_code == 200
    db.session.commit()
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert ("view_student" if endpoint == "student" else "export_class") in actions
