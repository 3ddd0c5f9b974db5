"""Assignments, previews and the progress grid for teachers."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from edu.content_service import catalog
from edu.extensions import db
from edu.learn import lessons, quizzes
from edu.models import Assignment
from edu.teach.services import local_day_bounds
from tests import factories


@pytest.fixture
def teacher_client(app, ctx):
    owner = factories.teacher("owner@school.kr")
    classroom = factories.classroom(owner, locale="en", country="KR")
    client = app.test_client()
    factories.sign_in_staff(client, "owner@school.kr")
    return client, classroom


def kinds(classroom_id):
    db.session.commit()  # end the test's transaction: see what the requests wrote
    return [(a.kind, a.target_id) for a in db.session.scalars(
        select(Assignment).where(Assignment.classroom_id == classroom_id).order_by(Assignment.position))]


def test_assign_reorder_unassign_and_surveys_stay_first_and_last(teacher_client):
    client, classroom = teacher_client
    url = f"/teach/classes/{classroom.id}/assignments"
    assert client.post(url, data={"target": "consent"}).status_code == 302
    client.post(url, data={"target": "deepfakes", "opens_on": "2026-12-01", "due_on": "2026-12-08"})
    client.post(url, data={"kind": "post_survey"})
    client.post(url, data={"kind": "pre_survey"})
    assert kinds(classroom.id) == [("pre_survey", "prepost"), ("module", "consent"), ("module", "deepfakes"),
                                   ("post_survey", "prepost")]
    deepfakes = db.session.scalar(select(Assignment).where(Assignment.target_id == "deepfakes"))
    # Dates are days in the school's time zone (Asia/Seoul), stored as UTC.
    assert deepfakes.opens_at == datetime(2026, 11, 30, 15, 0)
    assert deepfakes.due_at == local_day_bounds(date(2026, 12, 8), "Asia/Seoul")[1]
    client.post(f"{url}/{deepfakes.id}/move", data={"direction": "up"})
    assert kinds(classroom.id)[1:3] == [("module", "deepfakes"), ("module", "consent")]
    client.post(f"{url}/{deepfakes.id}/delete")
    assert ("module", "deepfakes") not in kinds(classroom.id)


def test_assigning_twice_keeps_one_and_bad_dates_are_refused(teacher_client):
    client, classroom = teacher_client
    url = f"/teach/classes/{classroom.id}/assignments"
    client.post(url, data={"target": "consent"})
    again = client.post(url, data={"target": "consent"}, headers={"Accept-Language": "en"})
    assert again.status_code == 422  # no longer offered
    bad = client.post(url, data={"target": "deepfakes", "opens_on": "2026-12-08", "due_on": "2026-12-01"},
                      headers={"Accept-Language": "en"})
    assert bad.status_code == 422 and "due date must be on or after" in bad.get_data(as_text=True)
    assert kinds(classroom.id) == [("module", "consent")]


def test_other_teacher_cannot_touch_assignments(app, teacher_client):
    client, classroom = teacher_client
    client.post(f"/teach/classes/{classroom.id}/assignments", data={"target": "consent"})
    assignment = db.session.scalar(select(Assignment))
    factories.teacher("other@school.kr", school_name="Elsewhere")
    other = app.test_client()
    factories.sign_in_staff(other, "other@school.kr")
    for path in (f"/teach/classes/{classroom.id}/assignments/{assignment.id}/delete",
                 f"/teach/classes/{classroom.id}/assignments/{assignment.id}/move",
                 f"/teach/classes/{classroom.id}/assignments"):
        assert other.post(path, data={"target": "deepfakes"}).status_code == 404
    assert other.get(f"/teach/classes/{classroom.id}/progress").status_code == 404
    assert len(kinds(classroom.id)) == 1


def test_progress_grid_shows_states_and_scores_in_text(app, teacher_client):
    client, classroom = teacher_client
    client.post(f"/teach/classes/{classroom.id}/assignments", data={"target": "consent"})
    done_student, _ = factories.student(classroom)
    idle_student, _ = factories.student(classroom)
    lesson = catalog().lessons_for("consent", "en", region="KR")[0]
    quiz = catalog().quiz_for("consent", "en", "KR")
    for step in lesson.steps:
        for segment in step.segments:
            if segment.kind == "check":
                lessons.record_block_choice(done_student, lesson, segment.id, segment.options[0].id)
    lessons.finish_lesson(done_student, lesson, catalog())
    attempt = quizzes.open_draft(done_student, quiz)
    for question in quiz.questions:
        quizzes.save_answer(attempt, quiz, question.id, [o.id for o in question.options if o.correct])
    quizzes.submit_attempt(attempt, quiz)
    db.session.commit()
    html = client.get(f"/teach/classes/{classroom.id}/progress", headers={"Accept-Language": "en"}).get_data(True)
    assert done_student.pseudonym in html and idle_student.pseudonym in html
    n = len(quiz.questions)
    assert f"Done · {n}/{n}" in html  # score in text, not only on hover
    assert "Not started" in html
    row = html.split(idle_student.pseudonym)[1].split("</tr>")[0]
    assert "Done" not in row


def test_teacher_previews_lesson_guide_and_family_sheet(teacher_client):
    client, classroom = teacher_client
    lesson = catalog().lessons_for("consent", "ko", region="KR")[0]
    preview = client.get(f"/preview/lesson/{lesson.id}?locale=ko&band=middle&country=KR")
    assert preview.status_code == 200 and lesson.steps[0].title in preview.get_data(as_text=True)
    _, scenario = next((i, s) for i, st in enumerate(lesson.steps) for s in st.segments if s.kind == "scenario")
    step = next(i for i, st in enumerate(lesson.steps) if scenario in st.segments) + 1
    chosen = client.get(f"/preview/lesson/{lesson.id}?locale=ko&band=middle&country=KR&step={step}"
                        f"&block={scenario.id}&choice={scenario.choices[0].id}").get_data(as_text=True)
    assert scenario.choices[0].feedback_html[:40] in chosen
    assert client.get("/guide/consent?locale=en").status_code == 200
    assert client.get("/family/consent?locale=ko").status_code == 200
    assert client.get("/preview/lesson/no-such-lesson").status_code == 404
