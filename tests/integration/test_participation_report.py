"""Participation figures a school reports (issue 42): exact enrolled and completed counts per class and module and
for the school, per term (by the school's calendar), with the hours taught from the lessons' minutes and the
method; the CSV's columns and localized headers; the one-page report shows only released survey figures; only
the school's own admin sees any of it."""

from __future__ import annotations

import csv
import io
from datetime import date

from edu.content.minutes import minutes_per_band
from edu.content_service import catalog
from edu.extensions import db
from edu.insights.terms import term_of_day
from edu.learn import lessons
from edu.models import AuditEvent, LiveLesson
from edu.reporting import export, services
from edu.teach import assigning
from edu.teach import services as teach
from tests import factories

AUTUMN = term_of_day(date(2026, 10, 1), "KR")  # 2026-2: 1 Sep 2026 - 28 Feb 2027
SPRING = term_of_day(date(2027, 4, 1), "KR")  # 2027-1


def finish(student, module_id: str) -> None:
    classroom = student.classroom
    for lesson in catalog().lessons_for(module_id, classroom.locale, region=classroom.region):
        for check in lesson.blocks("check"):
            lessons.record_block_choice(student, lesson, check.id, check.options[0].id)
        assert lessons.finish_lesson(student, lesson, catalog()) == []


def school():
    """Class 2-1 (Korean, middle school, 4 students, consent in September: 2 finish), class 10B (English, high
    school, 3 students, consent for 2 of them only: 1 finishes; deepfakes opening next spring)."""
    owner = factories.teacher("owner@school.kr", school_name="한빛중학교")
    first = factories.classroom(owner, name="2-1", locale="ko", age_band="middle")
    second = factories.classroom(owner, name="10B", locale="en", age_band="high")
    firsts = [factories.student(first)[0] for _ in range(4)]
    seconds = [factories.student(second)[0] for _ in range(3)]
    teach.assign(first, "module", "consent", opens_on=date(2026, 9, 1), due_on=date(2026, 9, 30))
    some = teach.assign(second, "module", "consent", opens_on=date(2026, 10, 5), due_on=date(2026, 10, 20))
    assigning.set_students(second, some.id, [seconds[0].id, seconds[1].id])
    teach.assign(second, "module", "deepfakes", opens_on=date(2027, 3, 5))
    teach.assign(first, "pre_survey", "prepost", opens_on=date(2026, 9, 1))
    db.session.commit()
    for student in firsts[:2] + [seconds[0], seconds[2]]:  # seconds[2] was not given consent: not counted
        finish(student, "consent")
    db.session.commit()
    return owner, first, second


def test_counts_are_exact_per_class_module_and_school_and_belong_to_the_term_the_module_starts(app, ctx):
    owner, first, second = school()
    figures = services.participation(owner.school, catalog(), AUTUMN)
    rows = {(r.class_name, r.module_id): (r.enrolled, r.completed) for r in figures.rows}
    assert rows == {("2-1", "consent"): (4, 2), ("10B", "consent"): (2, 1)}  # modules only; deepfakes is spring's
    (consent,) = figures.modules
    assert (consent.classes, consent.enrolled, consent.completed, consent.rate) == (2, 6, 3, 0.5)
    assert (consent.first_day, consent.last_day) == (date(2026, 9, 1), date(2026, 10, 20))
    assert figures.students == 6 and figures.enrolled == 6 and figures.completed == 3
    spring = services.participation(owner.school, catalog(), SPRING)
    assert [(r.class_name, r.module_id, r.enrolled, r.completed) for r in spring.rows] == [("10B", "deepfakes", 3, 0)]
    assert [t.key for t in services.terms_of(owner.school)][:2] == ["2027-1", "2026-2"]


def test_hours_come_from_the_lessons_minutes_for_the_class_band(app, ctx):
    owner, first, second = school()
    figures = services.participation(owner.school, catalog(), AUTUMN)
    for row in figures.rows:
        classroom = first if row.classroom_id == first.id else second
        lessons_ = catalog().lessons_for("consent", classroom.locale, region=classroom.region)
        assert row.minutes == minutes_per_band(lessons_, (classroom.age_band,))[classroom.age_band] > 0
    bands = {b.band: b for b in figures.bands}
    assert set(bands) == {"middle", "high"} and bands["middle"].classes == 1 and bands["middle"].modules == 1
    assert services.hours(95) == 1.6 and services.hours(0) == 0.0


def test_a_module_run_live_is_teacher_led(app, ctx):
    owner, first, _second = school()
    lesson = catalog().lessons_for("consent", "ko", region="KR")[0]
    db.session.add(LiveLesson(classroom_id=first.id, lesson_id=lesson.id))
    db.session.commit()
    figures = services.participation(owner.school, catalog(), AUTUMN)
    assert {r.class_name: r.method for r in figures.rows} == {"2-1": "teacher_led", "10B": "self_paced"}
    assert figures.modules[0].method == "both"


def _admin(app, owner):
    factories.staff("admin", "admin@school.kr", school=owner.school)
    db.session.commit()
    return factories.signed_in_staff(app, "admin@school.kr")


def test_the_csv_has_the_reports_columns_with_headers_in_the_admins_language(app, ctx):
    owner, _first, _second = school()
    admin = _admin(app, owner)
    admin.post("/language", data={"locale": "en", "next": "/"})
    response = admin.get("/admin/participation.csv?term=2026-2")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "boundaries-participation-2026-2.csv" in response.headers["Content-Disposition"]
    assert response.data.startswith("\ufeff".encode())  # Excel reads Korean
    table = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(table[0]) == len(export.COLUMNS) == 9
    assert table[0] == ["School", "Term", "Module", "Dates", "Hours per student", "Students enrolled",
                        "Students completed", "Completion rate (%)", "Method"]
    body = {row[2]: row for row in table[1:]}
    consent = next(row for title, row in body.items() if title != "All modules")
    assert body["All modules"][5:8] == ["6", "3", "50.0"]
    assert consent[0] == "한빛중학교" and consent[1].startswith("2026-2 (2026-09-01")
    assert consent[3] == "2026-09-01 – 2026-10-20" and consent[5:8] == ["6", "3", "50.0"]
    assert float(consent[4]) > 0
    assert db.session.query(AuditEvent).filter_by(action="participation_export").count() == 1
    admin.post("/language", data={"locale": "ko", "next": "/"})
    korean = admin.get("/admin/participation.csv?term=2026-2").data.decode("utf-8-sig").splitlines()
    assert korean[0].split(",") == ["학교", "학기", "모듈", "날짜", "학생 1인당 시간", "대상 학생 수", "이수 학생 수",
                                    "이수율(%)", "교육 방법"]


def test_the_csv_neutralises_a_class_or_school_name_that_looks_like_a_formula(app, ctx):
    owner, _first, _second = school()
    owner.school.name = "=HYPERLINK(1)"
    db.session.commit()
    admin = _admin(app, owner)
    text = admin.get("/admin/participation.csv?term=2026-2").data.decode("utf-8-sig")
    assert "\n'=HYPERLINK(1)" in text.replace("\r", "")


def test_the_pages_show_the_term_and_the_report_shows_no_outcome_before_a_release(app, ctx):
    owner, _first, _second = school()
    admin = _admin(app, owner)
    admin.post("/language", data={"locale": "en", "next": "/"})
    page = admin.get("/admin/participation?term=2026-2").get_data(as_text=True)
    assert "2-1" in page and "10B" in page and "50%" in page
    deepfakes = catalog().module("deepfakes").title["en"]
    assert deepfakes not in page and deepfakes in admin.get("/admin/participation?term=2027-1").get_data(as_text=True)
    report = admin.get("/admin/report?term=2026-2").get_data(as_text=True)
    assert "Prevention education report" in report and "not released yet" in report
    assert "out of 100" not in report  # no survey figure is computed for the report
    assert admin.get("/admin/participation?term=nonsense").status_code == 200  # the current term instead


def test_only_the_schools_own_admin_sees_its_participation(app, ctx):
    owner, _first, _second = school()
    other_admin_school = factories.teacher("t@elsewhere.kr", school_name="Elsewhere").school
    factories.staff("admin", "admin@elsewhere.kr", school=other_admin_school)
    db.session.commit()
    elsewhere = factories.signed_in_staff(app, "admin@elsewhere.kr")
    assert "2-1" not in elsewhere.get("/admin/participation?term=2026-2").get_data(as_text=True)
    csv_rows = elsewhere.get("/admin/participation.csv?term=2026-2").data.decode("utf-8-sig").splitlines()
    assert len(csv_rows) == 1  # headers only
    teacher = factories.signed_in_staff(app, "owner@school.kr")
    assert teacher.get("/admin/participation").status_code == 403
    assert app.test_client().get("/admin/report").status_code == 302


def test_the_report_shows_the_schools_released_figures_and_they_stay_as_released(app, ctx):
    from tests.integration.test_insights import answer_survey, make_class

    teacher = factories.teacher("t@school.kr")
    classroom, students = make_class(teacher, "Big class", 12, band="high")
    for student in students:
        answer_survey(student, "pre", False, "2")
        answer_survey(student, "post", True, "4")
    factories.staff("admin", "admin@school.kr", school=teacher.school)
    db.session.commit()
    admin = factories.signed_in_staff(app, "admin@school.kr")
    admin.post("/language", data={"locale": "en", "next": "/"})
    assert admin.post("/admin/insights/release").status_code == 302
    outcomes = admin.get("/admin/report").get_data(as_text=True).split('id="outcomes-heading"')[1]
    assert "12 students answered both surveys this term" in outcomes and "not released yet" not in outcomes
    assert "out of 100" in outcomes or "too few answers to show" in outcomes
    teach.remove_student(classroom, students[0])  # the roster changes; the released figures do not
    db.session.commit()
    again = admin.get("/admin/report").get_data(as_text=True).split('id="outcomes-heading"')[1]
    assert again.split("</section>")[0] == outcomes.split("</section>")[0]
