"""The CLI: demo data (idempotent) and creating users."""

from __future__ import annotations

from sqlalchemy import func, select

from edu.extensions import db
from edu.models import Account, Classroom, Student


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_demo_is_idempotent_and_prints_sign_ins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "teacher@demo.boundaries.test" in first.output and "246810" in first.output
    with app.app_context():
        before = (count(Account), count(Classroom), count(Student))
        assert before[0] == 3 and before[1] == 2 and before[2] >= 10
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "nothing changed" in second.output
    with app.app_context():
        assert (count(Account), count(Classroom), count(Student)) == before


def test_demo_sign_ins_work(app):
    app.test_cli_runner().invoke(args=["demo"])
    client = app.test_client()
    response = client.post("/signin", data={"email": "teacher@demo.boundaries.test", "password": "demo-pass-2026"})
    assert response.status_code == 302
    student = app.test_client()
    response = student.post("/student/signin", data={"code": "DEMKR7", "pseudonym": "파란 수달 17", "pin": "246810"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/learn/")


def test_create_user_staff_and_student(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--role", "author", "--email", "a@x.kr", "--password-stdin"],
                           input="long-enough-password\n")
    assert result.exit_code == 0, result.output
    duplicate = runner.invoke(args=["create-user", "--role", "author", "--email", "a@x.kr", "--password-stdin"],
                              input="long-enough-password\n")
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    short = runner.invoke(args=["create-user", "--role", "admin", "--email", "b@x.kr", "--password-stdin"],
                          input="short\n")
    assert short.exit_code != 0
    runner.invoke(args=["demo"])
    student = runner.invoke(args=["create-user", "--role", "student", "--class-code", "DEMEN7"])
    assert student.exit_code == 0 and "PIN:" in student.output
    with app.app_context():
        assert db.session.scalar(select(Account).where(Account.email == "a@x.kr")).role == "author"


def test_insights_refresh_fills_new_lesson_sets(app):
    from sqlalchemy import delete

    from edu.models import ModuleCompletionSet

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        db.session.execute(delete(ModuleCompletionSet))
        db.session.commit()
    result = runner.invoke(args=["insights", "refresh"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert count(ModuleCompletionSet) > 0
    again = runner.invoke(args=["insights", "refresh"])
    assert "already up to date" in again.output
