"""The anonymous two-way channel: a student holding a question's receipt code reads the private replies and
answers them, on any device and without signing in; the class teacher and the school's safeguarding leads
reply privately (a school admin sees a case, never free text).

Messages keep what the question keeps (no student, no session, no IP, the day only); the receipt code is stored
only as a keyed hash (edu/safeguarding/receipts.py). Services flush, never commit.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from edu.extensions import db
from edu.models import AnonymousQuestion, QuestionMessage
from edu.safeguarding import cases, receipts

MESSAGE_MAX = 1000


class InvalidInput(Exception):
    pass


def issue_receipt(question: AnonymousQuestion, secret: str) -> str:
    """A new code for the question, returned once to show the student; only its hash is kept."""
    code = receipts.new_code()
    question.receipt_hash = receipts.code_hash(secret, code)
    db.session.flush()
    return code


def find(typed_code: str, secret: str) -> AnonymousQuestion | None:
    code = receipts.normalise(typed_code)
    if code is None:
        return None
    return db.session.scalar(select(AnonymousQuestion).where(
        AnonymousQuestion.receipt_hash == receipts.code_hash(secret, code)))


def _add(question: AnonymousQuestion, author: str, text: str, account_id: int | None) -> QuestionMessage:
    text = (text or "").strip()
    if not text or len(text) > MESSAGE_MAX:
        raise InvalidInput("length")
    seq = (db.session.scalar(select(func.max(QuestionMessage.seq)).where(
        QuestionMessage.question_id == question.id)) or 0) + 1
    message = QuestionMessage(question_id=question.id, seq=seq, author=author, account_id=account_id, text=text,
                              created_on=date.today())
    db.session.add(message)
    db.session.flush()
    return message


def student_message(question: AnonymousQuestion, text: str, flagged: bool) -> QuestionMessage:
    """The student's answer in the thread. A message that matches a disclosure cue flags the question and opens
    its case, as the question itself would have."""
    message = _add(question, "student", text, None)
    if flagged and not question.flagged:
        question.flagged = True
        if cases.case_of_question(question.id) is None:
            cases.open_case(question)
    db.session.flush()
    return message


def staff_message(account_id: int, question: AnonymousQuestion, text: str) -> QuestionMessage:
    """A private reply: only the student holding the code (and the staff who see the question) read it."""
    return _add(question, "staff", text, account_id)
