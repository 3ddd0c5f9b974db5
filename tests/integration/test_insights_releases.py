"""The insider attacks of issue 27, played through the pages: a teacher who controls the roster and reloads as
often as they like, an admin who opens every breakdown. Before a release nothing is shown; after it nothing
changes, whatever the roster does."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from sqlalchemy import func, select

from edu.extensions import db
from edu.insights import dp
from edu.models import Assignment, SurveyRelease, utcnow
from edu.teach import services as teach
from tests import factories
from tests.integration.test_insights import answer_survey, make_class

EN = {"Accept-Language": "en"}
TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


def outcomes(client, classroom) -> str:
    html = client.get(f"/teach/classes/{classroom.id}/outcomes", headers=EN).get_data(as_text=True)
    return TOKEN.sub("", html.split("<h1>")[1].split('id="quizzes-heading"')[0])


def survey_section(client, by: str = "classroom") -> str:
    html = client.get(f"/admin/insights?by={by}", headers=EN).get_data(as_text=True)
    return TOKEN.sub("", html.split('id="outcomes-heading"')[1].split('id="export-heading"')[0])


def stored() -> list[tuple]:
    return [tuple(row) for row in db.session.execute(
        select(SurveyRelease.scope, SurveyRelease.term, SurveyRelease.epsilon, SurveyRelease.figures)
        .order_by(SurveyRelease.id))]


def teacher_with_class(app, name: str, size: int):
    """A signed-in teacher's client and a class of ``size`` students with both surveys assigned."""
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, name, size)
    client = app.test_client()
    factories.sign_in_staff(client, "t@school.kr")
    return teacher, classroom, students, client


def test_differencing_over_time_sees_one_frozen_release(app, ctx):
    _teacher, classroom, students, client = teacher_with_class(app, "2-1", 7)
    for student in students[:5]:
        answer_survey(student, "pre", True, "4")
    db.session.commit()
    before = outcomes(client, classroom)
    assert "Not released yet" in before and "out of 100" not in before and "on a scale" not in before
    answer_survey(students[5], "pre", False, "1")  # one more known student: still nothing to compare
    db.session.commit()
    assert outcomes(client, classroom) == before

    assert client.post(f"/teach/classes/{classroom.id}/outcomes/release", data={"phase": "pre"}).status_code == 302
    released, rows = outcomes(client, classroom), stored()
    assert "6 students answered" in released and len(rows) == 1
    # The window is closed: its end date is now.
    assert db.session.scalar(select(Assignment.due_at).where(Assignment.classroom_id == classroom.id,
                                                             Assignment.kind == "pre_survey")) <= utcnow()
    answer_survey(students[6], "pre", False, "1")  # answering after the release
    teach.assign(classroom, "pre_survey", "prepost")  # reopening the survey
    db.session.commit()
    assert outcomes(client, classroom) == released and stored() == rows
    again = client.post(f"/teach/classes/{classroom.id}/outcomes/release", data={"phase": "pre"}, headers=EN)
    assert again.status_code == 302 and stored() == rows
    page = client.get(f"/teach/classes/{classroom.id}/outcomes", headers=EN).get_data(as_text=True)
    assert "already released this term" in page
    assert "nothing more is released for it until next term" in outcomes(client, classroom)
    assert outcomes(client, classroom) == released


def test_removing_a_student_or_adding_fake_ones_changes_nothing(app, ctx):
    _teacher, classroom, students, client = teacher_with_class(app, "2-2", 5)
    for student in students:
        answer_survey(student, "pre", False, "3")
    db.session.commit()
    client.post(f"/teach/classes/{classroom.id}/outcomes/release", data={"phase": "pre"})
    released, rows = outcomes(client, classroom), stored()
    teach.remove_student(classroom, students[0])
    fakes = [s for s, _pin in teach.add_students(classroom, 4)]  # the teacher holds their cards
    for fake in fakes:
        answer_survey(fake, "pre", True, "5")
    db.session.commit()
    assert outcomes(client, classroom) == released and stored() == rows


def test_a_class_spends_at_most_its_term_budget(app, ctx):
    _teacher, classroom, students, client = teacher_with_class(app, "2-3", 6)
    for student in students:
        answer_survey(student, "pre", True, "4")
        answer_survey(student, "post", True, "5")
    db.session.commit()
    for phase in ("pre", "post", "pre", "post"):
        client.post(f"/teach/classes/{classroom.id}/outcomes/release", data={"phase": phase})
    spent = db.session.scalar(select(func.sum(SurveyRelease.epsilon)).where(
        SurveyRelease.classroom_id == classroom.id))
    assert db.session.scalar(select(func.count()).select_from(SurveyRelease)) == 2
    assert spent <= dp.CLASS_TERM_BUDGET


def test_admin_breakdowns_come_from_one_release_that_never_changes(app, ctx):
    teacher = factories.teacher("t@school.kr")
    big, big_students = make_class(teacher, "Big class", 12, band="high")
    hidden, hidden_students = make_class(teacher, "Hidden four", 4, band="middle")
    for student in big_students + hidden_students:
        answer_survey(student, "pre", False, "2")
        answer_survey(student, "post", True, "4")
    factories.staff("admin", "admin@school.kr", school=teacher.school)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "admin@school.kr")
    unreleased = survey_section(client)
    assert "Not released yet" in unreleased and "out of 100" not in unreleased and "too few" not in unreleased
    assert client.post("/admin/insights/release").status_code == 302
    by_class, rows = survey_section(client, "classroom"), stored()
    assert len(rows) == 1 and rows[0][2] <= dp.SCHOOL_TERM_BUDGET
    # Every breakdown reads the same release: nothing to subtract one from the other.
    assert survey_section(client, "age_band") == by_class
    assert "Hidden four" not in by_class  # no class figures without the class's own release
    body = json.loads(rows[0][3])
    assert set(body["noisy"]) == {"knowledge", "knowledge_change_squares", "item_options"}
    assert body["pairs"] == {"middle": 4, "high": 12, "university": 0}
    teach.remove_student(hidden, hidden_students[0])
    db.session.commit()
    client.post("/admin/insights/release")
    assert survey_section(client, "classroom") == by_class and stored() == rows
    assert "The school budget for this term is spent" in by_class
    audit = client.get("/admin/audit", headers=EN).get_data(as_text=True)
    assert "Released survey figures" in audit


def test_the_daily_command_releases_windows_that_ended(app, ctx):
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "2-4", 5)
    for student in students:
        answer_survey(student, "pre", True, "4")
    assignment = db.session.scalar(select(Assignment).where(Assignment.classroom_id == classroom.id,
                                                            Assignment.kind == "pre_survey"))
    assignment.due_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    runner = app.test_cli_runner()
    assert "Survey releases made: 1." in runner.invoke(args=["insights", "release"]).output
    assert "Survey releases made: 0." in runner.invoke(args=["insights", "release"]).output
    assert [scope for scope, *_ in stored()] == [f"class:{classroom.id}:pre"]


def test_release_pages_in_korean(app, ctx):
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "3-1", 5)
    for student in students:
        answer_survey(student, "pre", True, "4")
    factories.staff("admin", "admin@school.kr", school=teacher.school)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "t@school.kr")
    client.post(f"/teach/classes/{classroom.id}/outcomes/release", data={"phase": "pre"})
    html = client.get(f"/teach/classes/{classroom.id}/outcomes", headers={"Accept-Language": "ko"}).get_data(True)
    assert "수업 전 (사전 설문)" in html and "답이 너무 적어 보여 줄 수 없음" in html
    admin = app.test_client()
    factories.sign_in_staff(admin, "admin@school.kr")
    admin.post("/admin/insights/release")
    html = admin.get("/admin/insights", headers={"Accept-Language": "ko"}).get_data(True)
    assert "학교 전체" in html and "이번 학기 학급별 공개 결과" in html and f"#{classroom.id}" in html


def test_the_admin_page_shows_per_item_answer_distributions_or_says_too_few(app, ctx, monkeypatch):
    """The distributions table of the school release, English and Korean: with the real noise a 16-student
    school is silent; with the noise's error taken as zero (only in this test, to see the numbers) the exact
    shares appear, in label order."""
    teacher = factories.teacher("t@school.kr")
    _classroom, students = make_class(teacher, "Big class", 16, band="high")
    for student in students:
        answer_survey(student, "pre", False, "2")
        answer_survey(student, "post", True, "4")
    factories.staff("admin", "admin@school.kr", school=teacher.school)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "admin@school.kr")
    client.post("/admin/insights/release")
    page = survey_section(client)
    table = page.split("How the students answered each statement", 1)[1]
    assert "Strongly agree" in table and "too few answers to show" in table
    korean = client.get("/admin/insights", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert "문항별 학생들의 응답" in korean and "집중 차등 프라이버시" in korean

    exact = dp.distribution_of
    monkeypatch.setattr(dp, "distribution_of",
                        lambda item, noisy, sigma, top, reverse=False, step=0: exact(item, noisy, 0.0, top, reverse,
                                                                                   step))
    body = json.loads(stored()[0][3])
    noisy = body["noisy"]["item_options"]
    width = sum(item["top"] + 1 for item in body["items"])
    high = body["groups"].index("high")
    first = noisy[high * 2 * width: high * 2 * width + body["items"][0]["top"] + 1]
    total = sum(max(0, v) for v in first)
    shares = [round(100 * max(0, v) / total) for v in first] if total > 0 else []
    high_article = survey_section(client).split("<h3>High school</h3>", 1)[1]
    # the distributions table (other figures before it, shown or not as the noise falls, may be tables too)
    table = high_article.split("How the students answered each statement: High school", 1)[1]
    # the first statement's "before" row (the noise may leave it with no positive count: then it says too few)
    before = table.split("<tbody>", 1)[1].split('<th scope="row">', 2)[1]
    if total > 0:
        assert [int(v) for v in re.findall(r"<td>(\d+)</td>", before)] == shares
    else:
        assert "too few answers to show" in before
