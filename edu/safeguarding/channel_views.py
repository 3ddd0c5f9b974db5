"""The anonymous two-way channel: the student's receipt-code pages (public, on any device) and the private
replies of the class teacher, the safeguarding lead and admins (edu/safeguarding/channel.py)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit
from edu.access import public, roles
from edu.content_service import catalog
from edu.extensions import db, limiter
from edu.i18n import language
from edu.logging_setup import logs_no_user
from edu.safeguarding import cases, channel, cues, receipts, services
from edu.safeguarding.views import disclosure_cues
from edu.teach import services as teach

bp = Blueprint("channel", __name__)


def _receipt_limit() -> str:
    return current_app.config["EDU_RECEIPT_IP_LIMIT"]


def _wrong_code(response) -> bool:
    """Only a code that found nothing counts against the limit (a class reading its replies never does)."""
    return response.status_code == 404


def _thread_page(question, code: str, sent: bool = False):
    intro = catalog().legal_facts("KR", ["art34-duty"], language())
    return render_template("safe/replies.html", question=question, code=receipts.display(code) if code else "",
                           sent=sent, art34=intro[0] if intro else None), 200 if question else 404


def _lookup():
    typed = request.form.get("code", "")
    question = channel.find(typed, current_app.secret_key)
    return question, receipts.normalise(typed) or ""


@bp.route("/replies", methods=["GET", "POST"])
@logs_no_user
@public
@limiter.limit(_receipt_limit, methods=["POST"], deduct_when=_wrong_code)
def replies():
    if request.method == "GET":
        return _thread_page(None, "")[0]
    question, code = _lookup()
    return _thread_page(question, code if question else "")


@bp.route("/replies/answer", methods=["POST"])
@logs_no_user
@public
@limiter.limit(_receipt_limit, deduct_when=_wrong_code)
@limiter.limit("300 per hour")
def student_answer():
    question, code = _lookup()
    if question is None:
        return _thread_page(None, "")
    text = request.form.get("text", "")
    try:
        channel.student_message(question, text, cues.matches(text, disclosure_cues()))
    except channel.InvalidInput:
        flash(_("Write your message first (up to %(max)d characters).", max=channel.MESSAGE_MAX), "error")
        return _thread_page(question, code)
    db.session.commit()
    return _thread_page(question, code, sent=True)


@bp.route("/teach/classes/<int:classroom_id>/questions/<question_id>/reply", methods=["POST"])
@roles("teacher")
def teacher_reply(classroom_id: int, question_id: str):
    try:
        classroom = teach.owned_classroom(current_user, classroom_id)
    except teach.NotFound:
        abort(404)
    try:
        question = services.question_in(classroom, question_id)
    except services.NotFound:
        abort(404)
    _reply(question)
    return redirect(url_for("safe.inbox", classroom_id=classroom.id) + f"#q-{question.id}")


@bp.route("/safeguarding/cases/<case_id>/reply", methods=["POST"])
@roles("teacher")
def case_reply(case_id: str):
    try:
        case = cases.case_for(current_user, case_id)
    except cases.NotFound:
        abort(404)
    if case.question is None:
        abort(404)
    audit.record(current_user, "case_reply", f"case:{case.id}", case.classroom.school_id)
    _reply(case.question)
    return redirect(url_for("cases.show", case_id=case.id) + "#thread")


def _reply(question) -> None:
    try:
        channel.staff_message(current_user.id, question, request.form.get("text", ""))
    except channel.InvalidInput:
        flash(_("Write your reply first (up to %(max)d characters).", max=channel.MESSAGE_MAX), "error")
        return
    db.session.commit()
    flash(_("Your private reply is sent. The student reads it with their receipt code."), "success")
