"""Quiz writes: a submit stores every answer once with its verdict, in the same statements for one answer or all."""

from __future__ import annotations

from sqlalchemy import event, func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.models import QuizAnswer, QuizAttempt
from tests import factories


def signed_in(app, classroom):
    return factories.signed_in_student(app, classroom)[1]


def record_statements(client_call) -> list[str]:
    """The SQL a request sends, commits and rollbacks included (as "COMMIT" / "ROLLBACK")."""
    statements = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    events = {"before_cursor_execute": record, "commit": lambda _conn: statements.append("COMMIT"),
              "rollback": lambda _conn: statements.append("ROLLBACK")}
    for name, listener in events.items():
        event.listen(db.engine, name, listener)
    try:
        client_call()
    finally:
        for name, listener in events.items():
            event.remove(db.engine, name, listener)
    return statements


def count_statements(client_call) -> int:
    return len([s for s in record_statements(client_call)
                if not s.startswith(("BEGIN", "SAVEPOINT", "RELEASE", "COMMIT", "ROLLBACK"))])


def submit_form(quiz, how_many: int) -> dict:
    form = {"action": "submit"}
    for question in quiz.questions[:how_many]:
        form[f"q-{question.id}"] = question.options[0].id
    return form


def test_a_submit_costs_the_same_statements_for_one_answer_or_all_of_them(app, lesson_class):
    classroom, _lesson = lesson_class
    quiz = catalog().quiz_for("consent", "en", "KR")
    assert len(quiz.questions) >= 5
    counts = []
    for how_many in (1, len(quiz.questions)):
        client = signed_in(app, classroom)
        path = f"/learn/quiz/{quiz.id}"
        counts.append(count_statements(lambda: client.post(path, data=submit_form(quiz, how_many))))  # noqa: B023
    assert counts[0] == counts[1]
    # the signed-in student with their class; open modules; newest attempt, new attempt, answers, close
    assert counts[1] <= 6


def test_the_request_log_names_the_student_without_loading_them_again_after_the_commit(app, lesson_class, caplog):
    classroom, _lesson = lesson_class
    quiz = catalog().quiz_for("consent", "en", "KR")
    client = signed_in(app, classroom)
    caplog.set_level("INFO", logger="edu.requests")
    statements = record_statements(lambda: client.post(f"/learn/quiz/{quiz.id}", data=submit_form(quiz, 3)))
    last_commit = max(i for i, s in enumerate(statements) if s == "COMMIT")
    after = [s for s in statements[last_commit + 1:] if "FROM students" in s]
    assert after == [], "the student was read again after the request's commit"
    student_id = db.session.scalar(select(QuizAttempt.student_id))
    logged = [r.fields for r in caplog.records if getattr(r, "fields", {}).get("endpoint") == "learn.quiz"]
    assert logged and logged[-1]["user"] == f"s:{student_id}" and logged[-1]["status"] == 302


def test_a_submit_stores_every_answer_once_with_its_verdict(app, lesson_class):
    classroom, _lesson = lesson_class
    quiz = catalog().quiz_for("consent", "en", "KR")
    client = signed_in(app, classroom)
    first = quiz.questions[0]
    wrong = next(o for o in first.options if not o.correct)
    assert client.post(f"/learn/quiz/{quiz.id}/answer", data={"question": first.id, "option": wrong.id},
                       headers={"X-Requested-With": "fetch"}).status_code == 200
    form = {"action": "submit"}
    for question in quiz.questions[1:]:
        form[f"q-{question.id}"] = [o.id for o in question.options if o.correct]
    assert client.post(f"/learn/quiz/{quiz.id}", data=form).status_code == 302
    db.session.commit()
    attempt = db.session.scalar(select(QuizAttempt))
    rows = {row.question_id: row for row in db.session.scalars(select(QuizAnswer))}
    assert set(rows) == {q.id for q in quiz.questions}
    assert rows[first.id].option_ids == wrong.id and rows[first.id].correct is False
    assert all(rows[q.id].correct for q in quiz.questions[1:])
    assert attempt.submitted_at is not None and attempt.score == attempt.max_score - 1
    # Saving as you go after the submit starts a new attempt; the submitted one is unchanged.
    late = client.post(f"/learn/quiz/{quiz.id}/answer", data={"question": first.id, "option": first.options[0].id},
                       headers={"X-Requested-With": "fetch"})
    assert late.status_code == 200 and late.get_json()["attempt"] == 2
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(QuizAnswer)
                             .where(QuizAnswer.attempt_id == attempt.id)) == len(quiz.questions)
    assert db.session.scalar(select(QuizAnswer.option_ids).where(
        QuizAnswer.attempt_id == attempt.id, QuizAnswer.question_id == first.id)) == wrong.id
