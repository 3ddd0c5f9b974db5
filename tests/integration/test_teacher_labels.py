"""Words instead of codes: the audit log, guide links, labelled charts with a text alternative, and the outcomes
page's plain leading sentence."""

from __future__ import annotations

import re

from edu.content_service import catalog
from edu.extensions import db
from edu.learn import quizzes
from edu.teach import services as teach
from tests import factories


def test_the_audit_log_names_actions_and_objects_in_words(app, ctx):
    teacher = factories.teacher("words@school.kr")
    classroom = factories.classroom(teacher, name="2-3", locale="en")
    student, _pin = factories.student(classroom)
    factories.staff("admin", "admin@school.kr", school=teacher.school)
    client = app.test_client()
    factories.sign_in_staff(client, "words@school.kr")
    client.get(f"/teach/classes/{classroom.id}/students/{student.id}")
    client.get(f"/teach/classes/{classroom.id}/export.csv")
    client.post(f"/teach/classes/{classroom.id}/modules/consent/pause")
    admin = app.test_client()
    factories.sign_in_staff(admin, "admin@school.kr")
    html = admin.get("/admin/audit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f"Student no. {student.id} of Class 2-3" in html and "Exported a class" in html
    assert f"Class 2-3, module {catalog().module('consent').title['en']}" in html
    assert "words@school.kr" in html
    assert not re.search(r"(classroom|student):\d", html)
    assert student.pseudonym not in html  # students stay numbers
    # Only the school's admin reads it.
    assert client.get("/admin/audit").status_code == 403


def test_a_korean_class_name_in_the_audit_log_is_marked_as_korean_on_an_english_page(app, ctx):
    teacher = factories.teacher("marked@school.kr")
    classroom = factories.classroom(teacher, name="2학년 <3>반", locale="ko")
    student, _pin = factories.student(classroom)
    factories.staff("admin", "admin-marked@school.kr", school=teacher.school)
    client = app.test_client()
    factories.sign_in_staff(client, "marked@school.kr")
    client.get(f"/teach/classes/{classroom.id}/students/{student.id}")
    admin = app.test_client()
    factories.sign_in_staff(admin, "admin-marked@school.kr")
    html = admin.get("/admin/audit", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert f'Student no. {student.id} of Class <span lang="ko">2학년 &lt;3&gt;반</span>' in html
    html = admin.get("/admin/audit", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert '<span lang="ko">' not in html.split("<main", 1)[1] and "2학년 &lt;3&gt;반" in html


def test_charts_are_labelled_and_the_outcomes_page_leads_with_a_sentence(app, ctx):
    teacher = factories.teacher("charts@school.kr")
    classroom = factories.classroom(teacher, locale="en", age_band="high")
    teach.assign(classroom, "module", "consent")
    quiz = catalog().quiz_for("consent", "en", "KR")
    first = quiz.questions[0]
    wrong = [o.id for o in first.options if not o.correct][0]
    for _ in range(2):
        student, _pin = factories.student(classroom)
        attempt = quizzes.open_draft(student, quiz)
        quizzes.save_answer(attempt, quiz, first.id, [wrong])
        quizzes.submit_attempt(attempt, quiz)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "charts@school.kr")
    html = client.get(f"/teach/classes/{classroom.id}/quiz/{quiz.id}/analysis",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Question 1" in svg and "0% (0/2)" in svg and "100%" in svg  # labels, values, axis
    outcomes = client.get(f"/teach/classes/{classroom.id}/outcomes",
                          headers={"Accept-Language": "en"}).get_data(as_text=True)
    lead = re.search(r'<p class="lead outcome-summary">(.*?)</p>', outcomes, re.S).group(1)
    assert "No before-and-after survey figures are released yet." in lead
    assert f"Reteach first: question 1 of “{quiz.title}”, answered correctly by 0% of students." in lead
    guides = client.get(f"/teach/classes/{classroom.id}/assignments", headers={"Accept-Language": "en"}).get_data(True)
    assert f"Teacher guide: {catalog().module('consent').title['en']}" in guides


def test_the_inbox_guide_links_name_their_module(app, ctx):
    from edu.safeguarding import services as safeguarding

    teacher = factories.teacher("inbox@school.kr")
    classroom = factories.classroom(teacher, locale="en")
    safeguarding.ask(classroom, "someone made a fake of me", flagged=True)
    db.session.commit()
    client = app.test_client()
    factories.sign_in_staff(client, "inbox@school.kr")
    html = client.get(f"/teach/classes/{classroom.id}/questions", headers={"Accept-Language": "en"}).get_data(True)
    for module_id in ("deepfakes", "getting-help"):
        assert f"Responding to a disclosure: {catalog().module(module_id).title['en']}</a>" in html
    assert "(deepfakes)" not in html
