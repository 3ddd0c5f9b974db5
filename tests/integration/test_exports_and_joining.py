"""CSV exports open as text in spreadsheets (no cell runs as a formula, numbers stay numbers); joining by code
closes by itself 14 days after it was last opened, and an unknown code and a closed one get the same answer."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import update

from edu.csv_export import csv_bytes, neutralise
from edu.extensions import db
from edu.models import Classroom, QuizAttempt, Student, utcnow
from edu.teach import services as teach
from tests import factories

DANGEROUS = ["=1+2", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_text_cell_that_could_be_a_formula_is_neutralised(value):
    assert neutralise(value) == "'" + value
    rows = list(csv.reader(io.StringIO(csv_bytes([{"a": value, "n": -3}], ("a", "n"), frozenset({"n"}))
                                       .decode("utf-8-sig"))))
    assert rows[1] == ["'" + value, "-3"]  # numbers in a numeric column stay numbers, even negative


def test_plain_text_and_numbers_are_unchanged():
    assert [neutralise(v) for v in ("Blue Otter 17", "파란 수달 17", "", 3, "1 - 2")] == \
        ["Blue Otter 17", "파란 수달 17", "", 3, "1 - 2"]
    with pytest.raises(TypeError):
        csv_bytes([{"n": "=1"}], ("n",), frozenset({"n"}))  # text never goes into a numeric column


def _class_export(app, client, classroom) -> list[dict]:
    body = client.get(f"/teach/classes/{classroom.id}/export.csv", headers={"Accept-Language": "en"}).get_data()
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_class_export_neutralises_pseudonyms_and_keeps_scores_numeric(app, ctx):
    teacher = factories.teacher("csv@school.kr")
    classroom = factories.classroom(teacher, locale="en", country="KR")
    teach.assign(classroom, "module", "consent")
    student, _pin = factories.student(classroom)
    db.session.execute(update(Student).where(Student.id == student.id).values(pseudonym="=cmd|' /C calc'!A0"))
    from edu.content_service import catalog
    from edu.learn.assignments import module_quizzes

    quiz = module_quizzes(catalog(), "consent", "en", "KR")[0]
    db.session.add(QuizAttempt(student_id=student.id, quiz_id=quiz.id, attempt_no=1, content_version="v",
                               submitted_at=utcnow(), score=4, max_score=5))
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "csv@school.kr")
    rows = _class_export(app, client, classroom)
    assert rows and all(row["Pseudonym"] == "'=cmd|' /C calc'!A0" for row in rows)
    scored = [row for row in rows if row["Item code"] == quiz.id]
    assert scored[0]["Score"] == "4" and scored[0]["Out of"] == "5"
    assert all(not cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row.values())


def _join(client, code):
    return client.post("/join", data={"code": code}, headers={"Accept-Language": "en"})


def test_joining_closes_by_itself_after_14_days_and_the_teacher_can_reopen(app, ctx):
    teacher = factories.teacher("join@school.kr")
    classroom = factories.classroom(teacher, locale="en")
    code, classroom_id = classroom.join_code, classroom.id
    client = app.test_client()
    assert _join(client, code).status_code == 200  # a new class takes students
    db.session.execute(update(Classroom).values(joining_opened_at=utcnow() - timedelta(days=14, minutes=1)))
    db.session.commit()
    closed = _join(app.test_client(), code)
    unknown = _join(app.test_client(), "ZZZZZZ")
    assert closed.status_code == unknown.status_code == 422
    message = "We could not find a class taking new students with that code"
    assert message in closed.get_data(as_text=True) and message in unknown.get_data(as_text=True)
    teacher_client = app.test_client()
    factories.sign_in_staff(teacher_client, "join@school.kr")
    page = teacher_client.get(f"/teach/classes/{classroom_id}/students", headers={"Accept-Language": "en"})
    assert "Joining by code is closed for this class." in page.get_data(as_text=True)
    teacher_client.post(f"/teach/classes/{classroom_id}/joining", data={"open": "1"})
    assert _join(app.test_client(), code).status_code == 200
    page = teacher_client.get(f"/teach/classes/{classroom_id}/students", headers={"Accept-Language": "en"})
    assert "Joining by code closes by itself on" in page.get_data(as_text=True)


def test_a_closed_and_an_unknown_code_look_the_same(app, ctx):
    classroom = factories.classroom(factories.teacher("same@school.kr"), locale="en")
    classroom.joining_open = False
    db.session.commit()
    closed, unknown = _join(app.test_client(), classroom.join_code), _join(app.test_client(), "ZZZZZZ")
    assert closed.status_code == unknown.status_code == 422

    def main(response):
        html = response.get_data(as_text=True)
        return html.split("<main", 1)[1].split("</main>", 1)[0].replace(classroom.join_code, "ZZZZZZ")

    assert main(closed) == main(unknown)
