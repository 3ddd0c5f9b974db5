"""Anonymous questions, "talk to someone", live polls and incident mode, for students and teachers."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit, mixing
from edu.access import roles
from edu.content_service import catalog
from edu.extensions import db, limiter
from edu.i18n import language
from edu.identity import signed_in_user
from edu.insights.item_analysis import bar_chart_svg
from edu.logging_setup import logs_no_user
from edu.models import Classroom
from edu.safeguarding import cases, channel, cues, receipts, services
from edu.safeguarding.forms import AnswerForm, QuestionForm
from edu.segment_view import SegmentView
from edu.teach import services as teach

bp = Blueprint("safe", __name__)


def anonymous_limit_key(purpose: str) -> str:
    """A rate-limit key for the signed-in student's anonymous actions: an HMAC of their id under the app's secret,
    so the limiter's storage (memory or Redis) never holds a student id, and nothing beside the question or the
    vote does either. The limiter keeps a key only for its limit's window (a day at most)."""
    message = f"{purpose}:{signed_in_user().id}".encode()
    return f"anon-{purpose}:" + hmac.new(current_app.secret_key.encode(), message, hashlib.sha256).hexdigest()


def _question_key() -> str:
    return anonymous_limit_key("question")


def _poll_key() -> str:
    return anonymous_limit_key("poll")


def _question_limit() -> str:
    return current_app.config["EDU_QUESTION_STUDENT_LIMIT"]


def _question_stored(response) -> bool:
    """Only a question that was sent counts against the limit (not a form sent back with an error)."""
    return response.status_code == 200


def disclosure_cues():
    path = Path(current_app.config["EDU_CONTENT_DIR"]) / "safeguarding" / "disclosure-cues.yaml"
    return cues.load_cues(path)


def _help_view() -> SegmentView:
    return SegmentView(catalog=catalog(), locale=language(), country=current_user.classroom.country)


# ---- students ---------------------------------------------------------------------------------------------


@bp.route("/learn/ask", methods=["GET", "POST"])
@logs_no_user
@roles("student")
@limiter.limit(_question_limit, key_func=_question_key, methods=["POST"], deduct_when=_question_stored)
@limiter.limit("120 per hour", methods=["POST"])
def ask():
    classroom = current_user.classroom
    form = QuestionForm()
    if form.validate_on_submit():
        flagged = cues.matches(form.text.data, disclosure_cues())
        question = services.ask(classroom, form.text.data, flagged)
        code = channel.issue_receipt(question, current_app.secret_key)  # shown this once; only its hash is kept
        db.session.commit()
        return render_template("safe/asked.html", flagged=flagged, view=_help_view(), code=receipts.display(code))
    return render_template("safe/ask.html", form=form, answers=services.answered_questions(classroom)), \
        422 if form.errors else 200


@bp.route("/learn/talk", methods=["GET", "POST"])
@roles("student")
def talk():
    if request.method == "POST":
        services.request_talk(current_user)
        db.session.commit()
        return redirect(url_for("safe.talk"))
    return render_template("safe/talk.html", pending=services.open_talk_request(current_user), view=_help_view())


def _poll_block(lesson_id: str, block_id: str, locale: str):
    lesson = catalog().lesson(lesson_id, locale)
    if lesson is None:
        return None
    return next((b for b in lesson.blocks("poll") if b.id == block_id), None)


@bp.route("/learn/poll", methods=["GET", "POST"])
@logs_no_user
@roles("student")
@limiter.limit("30 per minute", key_func=_poll_key, methods=["POST"])
def poll():
    student = signed_in_user()
    live = services.current_poll(student.classroom)
    block = _poll_block(live.lesson_id, live.block_id, language()) if live else None
    voted = live is not None and services.has_voted(live, student.id)
    if request.method == "POST" and live is not None and block is not None and not voted:
        try:
            services.vote(live, student.id, request.form.get("option", "")[:64], {o.id for o in block.options})
        except services.InvalidInput:
            abort(400)
        except services.AlreadyVoted:
            db.session.rollback()
        else:
            db.session.commit()
            mixing.flush_ready(student.classroom_id)  # the poll's batch, if full, in its own transaction
        return redirect(url_for("safe.poll"))
    return render_template("safe/poll.html", live=live, block=block, voted=voted)


# ---- teachers ---------------------------------------------------------------------------------------------


def _owned(classroom_id: int):
    try:
        return teach.owned_classroom(current_user, classroom_id)
    except teach.NotFound:
        abort(404)


@bp.route("/teach/classes/<int:classroom_id>/questions")
@roles("teacher")
def inbox(classroom_id: int):
    classroom = _owned(classroom_id)
    return render_template("safe/inbox.html", classroom=classroom, inbox=services.inbox(classroom),
                           form=AnswerForm(), case_ids=cases.case_ids(classroom.id))


@bp.route("/teach/classes/<int:classroom_id>/questions/<question_id>/answer", methods=["POST"])
@roles("teacher")
def answer(classroom_id: int, question_id: str):
    classroom = _owned(classroom_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.text.errors + form.public_text.errors), "error")
        return redirect(url_for("safe.inbox", classroom_id=classroom.id))
    if not form.public_text.data and not form.verbatim.data:
        flash(_("Write the question as the class will see it, or choose to publish the student's words unchanged."),
              "error")
        return redirect(url_for("safe.inbox", classroom_id=classroom.id) + f"#q-{question_id}")
    try:
        services.answer(classroom, question_id, form.text.data, None if form.verbatim.data else form.public_text.data)
    except services.NotFound:
        abort(404)
    db.session.commit()
    flash(_("Your answer is on the class's question page."), "success")
    return redirect(url_for("safe.inbox", classroom_id=classroom.id))


@bp.route("/teach/classes/<int:classroom_id>/questions/<question_id>/dismiss", methods=["POST"])
@roles("teacher")
def dismiss(classroom_id: int, question_id: str):
    classroom = _owned(classroom_id)
    try:
        services.dismiss(classroom, question_id)
    except services.NotFound:
        abort(404)
    db.session.commit()
    return redirect(url_for("safe.inbox", classroom_id=classroom.id))


@bp.route("/teach/talk/<int:request_id>/handled", methods=["POST"])
@roles("teacher", "admin")
def talk_handled(request_id: int):
    try:
        services.handle_talk_request(current_user, request_id)
    except services.NotFound:
        abort(404)
    db.session.commit()
    return redirect(request.referrer or url_for("teach.home"))


@bp.route("/teach/classes/<int:classroom_id>/polls", methods=["POST"])
@roles("teacher")
def start_poll(classroom_id: int):
    classroom = _owned(classroom_id)
    lesson_id, block_id = request.form.get("lesson", ""), request.form.get("block", "")
    if _poll_block(lesson_id, block_id, classroom.locale) is None:
        abort(404)
    live = services.open_poll(classroom, lesson_id, block_id)
    db.session.commit()
    mixing.flush_closed(classroom.id)  # the votes of the poll it closed, if any, in their own transaction
    return redirect(url_for("safe.projector", classroom_id=classroom.id, poll_id=live.id))


def _poll_view(classroom, poll_id: int):
    try:
        live = services.owned_poll(classroom, poll_id)
    except services.NotFound:
        abort(404)
    block = _poll_block(live.lesson_id, live.block_id, language())
    if block is None:
        abort(404)
    total, counts = services.poll_counts(live)
    chart = None
    if counts is not None:

        chart = bar_chart_svg([counts.get(o.id, 0) / total for o in block.options], width=520, bar_height=34)
    return live, block, total, counts, chart


@bp.route("/teach/classes/<int:classroom_id>/polls/<int:poll_id>")
@roles("teacher")
def projector(classroom_id: int, poll_id: int):
    classroom = _owned(classroom_id)
    live, block, total, counts, chart = _poll_view(classroom, poll_id)
    return render_template("safe/projector.html", classroom=classroom, live=live, block=block, total=total,
                           counts=counts, chart=chart, minimum=services.POLL_MIN_VOTES)


@bp.route("/teach/classes/<int:classroom_id>/polls/<int:poll_id>/results")
@roles("teacher")
def poll_results(classroom_id: int, poll_id: int):
    """The results part of the projector view, fetched every few seconds by the page (light polling)."""
    classroom = _owned(classroom_id)
    live, block, total, counts, chart = _poll_view(classroom, poll_id)
    return render_template("safe/_poll_results.html", live=live, block=block, total=total, counts=counts,
                           chart=chart, minimum=services.POLL_MIN_VOTES)


@bp.route("/teach/classes/<int:classroom_id>/polls/<int:poll_id>/close", methods=["POST"])
@roles("teacher")
def close_poll(classroom_id: int, poll_id: int):
    classroom = _owned(classroom_id)
    try:
        services.close_poll(services.owned_poll(classroom, poll_id))
    except services.NotFound:
        abort(404)
    db.session.commit()
    mixing.flush_group_now(classroom.id, mixing.poll_group(poll_id))  # its votes, in their own transaction
    return redirect(url_for("safe.projector", classroom_id=classroom.id, poll_id=poll_id))


@bp.route("/teach/classes/<int:classroom_id>/modules/<module_id>/pause", methods=["POST"])
@roles("teacher")
def pause(classroom_id: int, module_id: str):
    classroom = _owned(classroom_id)
    _toggle_pause(classroom, module_id)
    return redirect(url_for("teach.assignments", classroom_id=classroom.id))


def _toggle_pause(classroom, module_id: str) -> None:
    if catalog().module(module_id) is None:
        abort(404)
    if request.form.get("resume") == "1":
        services.resume_module(classroom, module_id)
        audit.record(current_user, "resume_module", f"classroom:{classroom.id}:{module_id}", classroom.school_id)
        flash(_("The module is open again for this class."), "success")
    else:
        services.pause_module(classroom, module_id)
        audit.record(current_user, "pause_module", f"classroom:{classroom.id}:{module_id}", classroom.school_id)
        flash(_("Incident mode: the module is paused for this class. Students see a neutral message and the help services."), "success")
    db.session.commit()


@bp.route("/admin/classes/<int:classroom_id>/modules/<module_id>/pause", methods=["POST"])
@roles("admin")
def admin_pause(classroom_id: int, module_id: str):

    classroom = db.session.get(Classroom, classroom_id)
    if classroom is None or classroom.school_id != current_user.school_id:
        abort(404)
    _toggle_pause(classroom, module_id)
    return redirect(url_for("admin.home"))
