"""Class settings, archive and restore, roster, login cards, removal, question analysis and export."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from edu.content_service import catalog
from edu.extensions import db
from edu.learn import lessons, quizzes
from edu.models import Classroom, Student, utcnow
from edu.teach import services as teach
from tests import factories


@pytest.fixture
def owner(app, ctx):
    teacher = factories.teacher("owner@school.kr")
    classroom = factories.classroom(teacher, locale="en", country="KR")
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    return client, classroom


def table_counts() -> dict[str, int]:
    db.session.commit()
    counts = {}
    for table in db.metadata.sorted_tables:
        counts[table.name] = db.session.scalar(select(func.count()).select_from(table))
    return counts


def test_add_students_prints_login_cards_once(owner):
    client, classroom = owner
    response = client.post(f"/teach/classes/{classroom.id}/students/add", data={"count": 3},
                           headers={"Accept-Language": "en"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    pins = re.findall(r'<dd class="pin">(\d{6})</dd>', html)
    assert len(pins) == 3
    assert html.count(f"{classroom.join_code[:3]}-{classroom.join_code[3:]}") >= 3
    assert "/student/signin" in html
    students = db.session.scalars(select(Student)).all()
    assert len(students) == 3
    # A printed card really signs the student in.
    pseudonym = re.findall(r'<dd class="pseudonym" lang="en">([^<]+)</dd>', html)[0]
    student_client = client.application.test_client()
    signin = student_client.post("/student/signin", data={"code": classroom.join_code, "pseudonym": pseudonym,
                                                          "pin": pins[0]})
    assert signin.status_code == 302
    bad = client.post(f"/teach/classes/{classroom.id}/students/add", data={"count": 500})
    assert bad.status_code == 302 and db.session.scalar(select(func.count()).select_from(Student)) == 3


def test_reset_pin_ends_the_old_pin_and_old_sessions(app, owner):
    client, classroom = owner
    student, old_pin = factories.student(classroom)
    student_client = app.test_client()
    factories.sign_in_student(student_client, classroom, student, old_pin)
    html = client.post(f"/teach/classes/{classroom.id}/students/{student.id}/reset-pin",
                       follow_redirects=True).get_data(as_text=True)
    new_pin = re.findall(r'<dd class="pin">(\d{6})</dd>', html)[0]
    assert student_client.get("/learn/").status_code == 302  # signed out everywhere
    fresh = app.test_client()
    assert factories.sign_in_student(fresh, classroom, student, old_pin).status_code in (401,) or old_pin == new_pin
    assert factories.sign_in_student(fresh, classroom, student, new_pin).status_code == 302


def test_new_cards_for_everyone_needs_confirmation(owner):
    client, classroom = owner
    factories.student(classroom)
    assert client.post(f"/teach/classes/{classroom.id}/cards").status_code == 400
    html = client.post(f"/teach/classes/{classroom.id}/cards", data={"confirm": "yes"},
                       follow_redirects=True).get_data(as_text=True)
    assert len(re.findall(r'<dd class="pin">\d{6}</dd>', html)) == 1


def test_remove_student_confirms_then_deletes_every_row(app, owner):
    client, classroom = owner
    teach.assign(classroom, "module", "consent")
    teach.assign(classroom, "pre_survey", "prepost")
    db.session.commit()
    keep, _ = factories.student(classroom)
    gone, pin = factories.student(classroom)
    before = table_counts()
    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    quiz = catalog().quiz_for("consent", "en", "KR")
    lessons.record_step(gone, lesson, 1)
    reflection = lesson.reflection_ids[0]
    lessons.save_reflection(gone, lesson, reflection, "canary-reflection")
    lessons.record_block_choice(gone, lesson, lesson.check_ids[0], lesson.blocks("check")[0].options[0].id)
    attempt = quizzes.open_draft(gone, quiz)
    quizzes.save_answer(attempt, quiz, quiz.questions[0].id, [quiz.questions[0].options[0].id])
    quizzes.submit_attempt(attempt, quiz)
    db.session.commit()
    confirm = client.get(f"/teach/classes/{classroom.id}/students/{gone.id}/remove", headers={"Accept-Language": "en"})
    assert "cannot be undone" in confirm.get_data(as_text=True)
    assert client.post(f"/teach/classes/{classroom.id}/students/{gone.id}/remove").status_code == 302
    db.session.commit()  # end the test's transaction: see what the requests wrote
    after = table_counts()
    before["students"] -= 1
    before["audit_events"] += 1  # the deletion itself is recorded (ids only)
    assert after == before, "rows of the removed student are left behind"
    assert db.session.get(Student, keep.id) is not None


def test_archived_class_is_read_only_and_students_cannot_sign_in(app, owner):
    client, classroom = owner
    student, pin = factories.student(classroom)
    client.post(f"/teach/classes/{classroom.id}/archive")
    db.session.commit()  # end the test's transaction: see what the requests wrote
    assert db.session.get(Classroom, classroom.id).archived_at is not None
    page = client.get(f"/teach/classes/{classroom.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "archived and read-only" in page
    for path, data in ((f"/teach/classes/{classroom.id}/students/add", {"count": 2}),
                       (f"/teach/classes/{classroom.id}/assignments", {"target": "consent"}),
                       (f"/teach/classes/{classroom.id}/settings", {"name": "New", "locale": "en",
                        "age_band": "high", "country": "KR", "quiz_policy": "best"})):
        client.post(path, data=data)
    db.session.commit()  # end the test's transaction: see what the requests wrote
    refreshed = db.session.get(Classroom, classroom.id)
    assert refreshed.name == "2-3" and len(refreshed.students) == 1 and not refreshed.assignments
    assert factories.sign_in_student(app.test_client(), classroom, student, pin).status_code == 401
    assert app.test_client().post("/join", data={"code": classroom.join_code}).status_code == 422
    client.post(f"/teach/classes/{classroom.id}/restore")
    db.session.commit()  # end the test's transaction: see what the requests wrote
    assert db.session.get(Classroom, classroom.id).archived_at is None


def test_retention_purge_deletes_archived_classes_after_the_period(owner):
    _client, classroom = owner
    factories.student(classroom)
    teach.archive(classroom)
    db.session.commit()
    assert teach.purge_expired_classes(utcnow() + timedelta(days=89)) == []
    assert teach.purge_expired_classes(utcnow() + timedelta(days=91)) == [classroom.id]
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Student)) == 0


def test_settings_change_name_and_quiz_policy(owner):
    client, classroom = owner
    response = client.post(f"/teach/classes/{classroom.id}/settings", data={
        "name": "3-1", "locale": "ko", "age_band": "high", "country": "US", "quiz_policy": "latest"})
    assert response.status_code == 302
    db.session.commit()  # end the test's transaction: see what the requests wrote
    changed = db.session.get(Classroom, classroom.id)
    assert (changed.name, changed.locale, changed.age_band, changed.country, changed.quiz_policy) == \
        ("3-1", "ko", "high", "US", "latest")


def test_close_and_reopen_joining(app, owner):
    client, classroom = owner
    client.post(f"/teach/classes/{classroom.id}/joining", data={"open": "0"})
    assert app.test_client().post("/join", data={"code": classroom.join_code}).status_code == 422
    client.post(f"/teach/classes/{classroom.id}/joining", data={"open": "1"})
    assert app.test_client().post("/join", data={"code": classroom.join_code}).status_code == 200


def _submit(student, quiz, picks):
    attempt = quizzes.open_draft(student, quiz)
    for question, option in zip(quiz.questions, picks, strict=False):
        quizzes.save_answer(attempt, quiz, question.id, [option])
    quizzes.submit_attempt(attempt, quiz)


def test_question_analysis_page_and_export(owner):
    client, classroom = owner
    teach.assign(classroom, "module", "consent")
    quiz = catalog().quiz_for("consent", "en", "KR")
    first = quiz.questions[0]
    right = [o.id for o in first.options if o.correct][0]
    wrong = [o for o in first.options if not o.correct][0]
    for index in range(4):
        student, _ = factories.student(classroom)
        _submit(student, quiz, [right if index == 0 else wrong.id])
    db.session.commit()
    html = client.get(f"/teach/classes/{classroom.id}/quiz/{quiz.id}/analysis",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "25% (1/4)" in html
    assert f"{wrong.text} (3)" in html
    assert "<svg" in html and "after 10 students" in html

    csv_response = client.get(f"/teach/classes/{classroom.id}/export.csv", headers={"Accept-Language": "en"})
    body = csv_response.get_data()
    assert body.startswith("\ufeff".encode()) and "attachment" in csv_response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(rows[0]) == ["Pseudonym", "Module", "Lesson or quiz", "Item code", "Title", "Status", "Score",
                             "Out of"]
    pseudonyms = {s.pseudonym for s in classroom.students}
    assert {r["Pseudonym"] for r in rows} == pseudonyms
    assert {r["Status"] for r in rows} <= {"Done", "In progress", "Not started", "Overdue"}
    assert {r["Module"] for r in rows} == {catalog().module("consent").title["en"]}
    korean = client.get(f"/teach/classes/{classroom.id}/export.csv", headers={"Accept-Language": "ko"})
    text = korean.get_data().decode("utf-8-sig")
    assert text.startswith("별명,")
    assert "not_started" not in text and "in_progress" not in text and ",quiz," not in text
    data = json.loads(client.get(f"/teach/classes/{classroom.id}/export.json").get_data(as_text=True))
    assert len(data["rows"]) == len(rows)
    assert client.get(f"/teach/classes/{classroom.id}/export.xml").status_code == 404


def test_korean_pseudonyms_survive_the_csv(app, ctx):
    teacher = factories.teacher("ko@school.kr")
    classroom = factories.classroom(teacher, locale="ko")
    teach.assign(classroom, "module", "consent")
    db.session.commit()
    student, _ = factories.student(classroom)
    client = app.test_client()
    factories.sign_in_staff(client, "ko@school.kr")
    text = client.get(f"/teach/classes/{classroom.id}/export.csv").get_data().decode("utf-8-sig")
    assert student.pseudonym in text


def test_teacher_home_shows_overdue_work(owner):
    from datetime import date

    client, classroom = owner
    teach.assign(classroom, "module", "consent", due_on=date.today() - timedelta(days=2))
    db.session.commit()
    factories.student(classroom)
    html = client.get("/teach/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "1 student has overdue work" in html


def test_under_14_classes_open_only_after_guardian_consent(app, ctx):
    from edu.models import School

    teacher = factories.teacher("new@school.kr", school_name="No Consent Yet", consent=False)
    middle = factories.classroom(teacher, name="1-1", age_band="middle")
    high = factories.classroom(teacher, name="3-1", age_band="high")
    client = app.test_client()
    factories.sign_in_staff(client, "new@school.kr")
    joiner = app.test_client()
    refused = joiner.post("/join", data={"code": middle.join_code}, headers={"Accept-Language": "en"})
    assert refused.status_code == 422 and "permission from parents or guardians" in refused.get_data(True)
    assert joiner.post("/join", data={"code": high.join_code}).status_code == 200
    page = client.get(f"/teach/classes/{middle.id}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Record guardian consent first" in page
    client.post(f"/teach/classes/{middle.id}/students/add", data={"count": 2})
    assert db.session.scalar(select(func.count()).select_from(Student).where(Student.classroom_id == middle.id)) == 0
    client.post("/teach/school/guardian-consent", data={"consent_on": "2026-09-01", "method": "signed paper forms",
                                                  "next": f"/teach/classes/{middle.id}"})
    db.session.commit()
    school = db.session.get(School, teacher.school_id)
    assert school.guardian_consent_method == "signed paper forms"
    assert app.test_client().post("/join", data={"code": middle.join_code}).status_code == 200
