"""Outcomes through the pages: the teacher's released class figures, the admin's exact participation, the
research export and its destroyable link key (the insider attacks are in test_insights_releases.py)."""

from __future__ import annotations

import csv
import io
import json

from edu.content_service import catalog
from edu.extensions import db
from edu.learn import lessons, quizzes, surveys
from edu.teach import services as teach
from tests import factories

RATING_OF_LIKERT = {"1": "0", "2": "20", "3": "50", "4": "80", "5": "100"}  # a 0-100 rating item answered alike


def answer_survey(student, phase: str, knowledge_right: bool, likert: str) -> None:
    survey = catalog().survey("prepost", "en")
    answers = {}
    for item in survey.items_for(phase):
        if item.type == "knowledge":
            options = [o for o in item.options if o.correct == knowledge_right] or item.options
            answers[item.id] = options[0].id
        else:
            answers[item.id] = RATING_OF_LIKERT[likert] if item.type == "rating" else likert
    surveys.submit_survey(student, survey, phase, answers)


def make_class(teacher, name: str, size: int, band: str = "high"):
    classroom = factories.classroom(teacher, name=name, locale="en", age_band=band, country="KR")
    teach.assign(classroom, "pre_survey", "prepost")
    teach.assign(classroom, "post_survey", "prepost")
    db.session.commit()
    students = [factories.student(classroom)[0] for _ in range(size)]
    return classroom, students


def test_teacher_sees_nothing_before_the_release_and_the_knowledge_score_at_25(app, ctx):
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "twenty-five", 25)
    client = app.test_client()
    factories.sign_in_staff(client, "t@school.kr")
    for student in students:
        answer_survey(student, "pre", False, "2")
    db.session.commit()
    html = client.get(f"/teach/classes/{classroom.id}/outcomes", headers={"Accept-Language": "en"}).get_data(True)
    assert "Not released yet" in html and "out of 100" not in html and "too few answers" not in html
    response = client.post(f"/teach/classes/{classroom.id}/outcomes/release", data={"phase": "pre"})
    assert response.status_code == 302
    html = client.get(f"/teach/classes/{classroom.id}/outcomes", headers={"Accept-Language": "en"}).get_data(True)
    pre = html.split("Before the lessons (pre-survey)")[1].split("</section>")[0]
    assert "25 students answered" in pre
    # 25 students, 8 knowledge questions: the expected 90% error is 100 x 18.9 / 200 = 9.5 points, so it shows.
    assert "out of 100 (expected error ± 10)" in pre
    # The scale means (two noisy sums each) need more students: silent, never a misleading number.
    assert pre.count("too few answers to show") == 3
    assert "Close the survey and release" not in pre  # released this term: no second release


def test_admin_sees_exact_completion_counts_per_class_id(app, ctx):
    teacher = factories.teacher("t@school.kr")
    big, big_students = make_class(teacher, "Same name", 12)
    small, small_students = make_class(teacher, "Same name", 3)
    for classroom in (big, small):
        teach.assign(classroom, "module", "consent")
    consent_lessons = catalog().lessons_for("consent", "en", region="KR")
    for student in big_students + small_students[:2]:
        for lesson in consent_lessons:
            for check in lesson.blocks("check"):
                lessons.record_block_choice(student, lesson, check.id, check.options[0].id)
            lessons.finish_lesson(student, lesson, catalog())
    factories.staff("admin", "admin@school.kr", school=teacher.school)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "admin@school.kr")
    html = client.get("/admin/insights?by=classroom", headers={"Accept-Language": "en"}).get_data(as_text=True)
    table = html.split("Students who finished each module")[2].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("</tr>")
    # Two classes with the same name stay two rows (grouped by id), with exact counts, the small 2 included.
    assert f"#{big.id}" in rows[0] and "<td>12</td>" in rows[0]
    assert f"#{small.id}" in rows[1] and "<td>2</td>" in rows[1]
    assert "<td>14</td>" in table.split("<tfoot>")[1]
    by_band = client.get("/admin/insights?by=age_band", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<td>14</td>" in by_band.split("Students who finished each module")[2].split("</tbody>")[0]
    assert client.get("/admin/insights?by=nonsense").status_code == 404


def test_research_export_has_no_identifiers_and_the_key_can_be_destroyed(app, ctx, tmp_path):
    app.config["EDU_RESEARCH_KEY_FILE"] = str(tmp_path / "research-link.key")
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "Class Canary-Name", 10)  # k = 10: ten students, one stratum
    for student in students:
        answer_survey(student, "pre", False, "3")
        answer_survey(student, "post", True, "5")
    factories.staff("admin", "admin@school.kr", school=teacher.school)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "admin@school.kr")
    body = client.get("/admin/research-export.csv").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and set(rows[0]) == {"row_id", "response_id", "pair_id", "phase", "period", "period_unit",
                                     "age_band", "country", "language", "survey_id", "item_id", "scale", "value"}
    forbidden = {s.pseudonym for s in students} | {classroom.name, "t@school.kr", classroom.join_code}
    for row in rows:
        for value in row.values():
            assert value not in forbidden and not any(f in value for f in forbidden)
        assert row["period_unit"] == "week" and row["period"].count("-W") == 1
    survey = catalog().survey("prepost", "en")
    linked_items = {i.id for i in survey.items if i.identity == "linked"}
    assert {r["item_id"] for r in rows} == linked_items  # anonymous items are never rows
    pairs = {}
    for row in rows:
        pairs.setdefault(row["pair_id"], set()).add(row["phase"])
    assert len(pairs) == 10 and all(phases == {"pre", "post"} for phases in pairs.values())
    linked = rows
    again = list(csv.DictReader(io.StringIO(client.get("/admin/research-export.csv").get_data().decode("utf-8-sig"))))
    assert {r["row_id"] for r in rows}.isdisjoint({r["row_id"] for r in again})  # new random ids every time
    assert {r["pair_id"] for r in linked} == {r["pair_id"] for r in again}

    result = app.test_cli_runner().invoke(args=["research", "destroy-key"])
    assert result.exit_code == 0 and "destroyed the pre/post link key" in result.output
    assert not (tmp_path / "research-link.key").exists()
    after = json.loads(client.get("/admin/research-export.json").get_data(as_text=True))
    assert after and all(row["pair_id"] == "" for row in after)
    assert "already destroyed" in app.test_cli_runner().invoke(args=["research", "destroy-key"]).output
    audit_page = client.get("/admin/audit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Destroyed the pre/post link key" in audit_page and "Made a research export" in audit_page


def test_quiz_results_over_time_on_the_outcomes_page(app, ctx):
    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "weekly", 2)
    teach.assign(classroom, "module", "consent")
    quiz = catalog().quiz_for("consent", "en", "KR")
    for student in students:
        attempt = quizzes.open_draft(student, quiz)
        for question in quiz.questions:
            quizzes.save_answer(attempt, quiz, question.id, [o.id for o in question.options if o.correct])
        quizzes.submit_attempt(attempt, quiz)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "t@school.kr")
    html = client.get(f"/teach/classes/{classroom.id}/outcomes", headers={"Accept-Language": "en"}).get_data(True)
    section = html.split("Quiz results over time")[1]
    assert quiz.title in section and "2 attempts, average 100%" in section
