"""The anonymous two-way channel: a receipt code shown once, stored only as a keyed hash that links to no
student; with it, on any device, the student reads a private reply and answers it; staff reply privately or
publish a reworded question; wrong codes read nothing and are rate-limited; other teachers are refused."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from edu.extensions import db
from edu.models import AnonymousQuestion, QuestionMessage, SafeguardingCase, Student
from edu.safeguarding import receipts
from tests import factories

EN = {"Accept-Language": "en"}
CODE = re.compile(r"\b([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})\b")


@pytest.fixture
def room(app, ctx):
    return factories.class_room(app, "owner@school.kr", students=2)


def _ask(room, text="What should I do if a friend is being pressured for photos?"):
    page = room["students"][0][1].post("/learn/ask", data={"text": text}, headers=EN)
    return CODE.search(page.get_data(as_text=True)).group(1), page


def test_the_code_is_shown_once_and_only_its_keyed_hash_is_stored(app, room):
    code, page = _ask(room)
    assert "shown only this once" in page.get_data(as_text=True) and "no-store" in page.headers["Cache-Control"]
    canonical = code.replace("-", "")
    assert len(canonical) >= 10 and set(canonical) <= set(receipts.ALPHABET)
    row = db.session.scalar(select(AnonymousQuestion))
    assert row.receipt_hash == receipts.code_hash(app.secret_key, canonical) and canonical not in row.receipt_hash
    # The stored hash depends on the code alone: it is not the hash of any student's id, pseudonym or PIN hash.
    for student in db.session.scalars(select(Student)):
        for value in (str(student.id), student.pseudonym, student.pin_hash or ""):
            assert receipts.code_hash(app.secret_key, value) != row.receipt_hash
        assert student.pseudonym not in str([getattr(row, c.key) for c in AnonymousQuestion.__table__.columns])
    home = room["students"][0][1].get("/learn/ask", headers=EN).get_data(as_text=True)
    assert code not in home  # never shown again
    second, _page = _ask(room)
    assert second != code


def test_a_private_reply_is_read_and_answered_on_another_device(app, room):
    code, _page = _ask(room)
    question = db.session.scalar(select(AnonymousQuestion))
    teacher = room["teacher_client"]
    assert teacher.post(f"/teach/classes/{room['classroom'].id}/questions/{question.id}/reply",
                        data={"text": "Thank you for asking. Can you tell me a bit more?"}).status_code == 302
    device = app.test_client()  # not signed in: any phone or computer
    page = device.post("/replies", data={"code": code.lower().replace("-", " ")}, headers=EN)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Can you tell me a bit more?" in html and "no-store" in page.headers["Cache-Control"]
    assert "Art. 34" in html  # the channel says what an adult must do
    answered = device.post("/replies/answer", data={"code": code, "text": "It is about my friend."}, headers=EN)
    assert "Your message is sent." in answered.get_data(as_text=True)
    messages = db.session.scalars(select(QuestionMessage).order_by(QuestionMessage.seq)).all()
    assert [(m.author, m.text) for m in messages] == [
        ("staff", "Thank you for asking. Can you tell me a bit more?"), ("student", "It is about my friend.")]
    assert set(QuestionMessage.__table__.columns.keys()) == {
        "id", "question_id", "seq", "author", "account_id", "text", "created_on"}
    inbox = teacher.get(f"/teach/classes/{room['classroom'].id}/questions", headers=EN).get_data(as_text=True)
    assert "It is about my friend." in inbox


def test_a_wrong_code_reads_nothing_and_guessing_is_limited(app, room):
    code, _page = _ask(room)
    question = db.session.scalar(select(AnonymousQuestion))
    room["teacher_client"].post(f"/teach/classes/{room['classroom'].id}/questions/{question.id}/reply",
                                data={"text": "secret reply 81f2"})
    guesser = app.test_client()
    wrong = "A" * 12 if code.replace("-", "") != "A" * 12 else "B" * 12
    for typed in (wrong, "", "not a code", code[:-1]):
        page = guesser.post("/replies", data={"code": typed}, headers=EN)
        assert page.status_code == 404 and "secret reply 81f2" not in page.get_data(as_text=True)
        assert "No question has this code." in page.get_data(as_text=True)
    answer = guesser.post("/replies/answer", data={"code": wrong, "text": "injected"})
    assert answer.status_code == 404 and db.session.scalar(select(QuestionMessage.id).where(
        QuestionMessage.text == "injected")) is None
    for _ in range(10):
        guesser.post("/replies", data={"code": wrong})
    assert guesser.post("/replies", data={"code": wrong}).status_code == 429
    assert guesser.post("/replies", data={"code": code}).status_code == 429  # even the right code, from there


def test_reading_replies_never_counts_against_the_limit(app, room):
    code, _page = _ask(room)
    reader = app.test_client()
    for _ in range(15):
        assert reader.post("/replies", data={"code": code}).status_code == 200


def test_other_teachers_and_students_cannot_reply_or_read(app, room):
    _ask(room)
    question = db.session.scalar(select(AnonymousQuestion))
    factories.teacher("other@school.kr", school_name="Elsewhere")
    other = factories.signed_in_staff(app, "other@school.kr")
    url = f"/teach/classes/{room['classroom'].id}/questions/{question.id}/reply"
    assert other.post(url, data={"text": "hi"}).status_code == 404
    assert room["students"][1][1].post(url, data={"text": "hi"}).status_code == 403
    assert db.session.scalar(select(QuestionMessage)) is None


def test_the_lead_replies_from_the_case_and_a_follow_up_disclosure_opens_a_case(app, room):
    code, _page = _ask(room, "Can I ask something about photos?")
    assert db.session.scalar(select(SafeguardingCase)) is None
    app.test_client().post("/replies/answer", data={"code": code, "text": "someone is threatening me"})
    case = db.session.scalar(select(SafeguardingCase))
    assert case is not None and case.question.flagged
    lead = factories.staff("teacher", "lead@school.kr", school=room["teacher"].school)
    lead.is_safeguarding_lead = True
    db.session.commit()
    lead_client = factories.signed_in_staff(app, "lead@school.kr")
    assert lead_client.post(f"/safeguarding/cases/{case.id}/reply", data={"text": "You are not alone."}).status_code == 302
    page = app.test_client().post("/replies", data={"code": code}, headers=EN).get_data(as_text=True)
    assert "You are not alone." in page
    factories.teacher("other@school.kr", school_name="Elsewhere")
    assert factories.signed_in_staff(app, "other@school.kr").post(
        f"/safeguarding/cases/{case.id}/reply", data={"text": "x"}).status_code == 404
    factories.staff("admin", "admin@school.kr", school=room["teacher"].school)
    db.session.commit()
    admin = factories.signed_in_staff(app, "admin@school.kr")
    assert admin.post(f"/safeguarding/cases/{case.id}/reply", data={"text": "x"}).status_code == 403
    assert "someone is threatening me" not in admin.get(f"/safeguarding/cases/{case.id}").get_data(as_text=True)


def test_publishing_for_the_class_needs_a_rewording_or_an_explicit_choice(app, room):
    words = "My friend's photo is in a chat, what can we do?"
    code, _page = _ask(room, words)
    question = db.session.scalar(select(AnonymousQuestion))
    url = f"/teach/classes/{room['classroom'].id}/questions/{question.id}/answer"
    teacher = room["teacher_client"]
    teacher.post(url, data={"text": "Tell an adult and ask 1366 for removal."})
    assert db.session.scalar(select(AnonymousQuestion)).status == "new"  # neither reworded nor chosen: refused
    teacher.post(url, data={"text": "Tell an adult and ask 1366 for removal.",
                            "public_text": "What can you do if a photo of someone is shared in a chat?"})
    class_page = room["students"][1][1].get("/learn/ask", headers=EN).get_data(as_text=True)
    assert "What can you do if a photo of someone is shared in a chat?" in class_page and words not in class_page
    student_view = app.test_client().post("/replies", data={"code": code}, headers=EN).get_data(as_text=True)
    assert "a general version of your question" in student_view
