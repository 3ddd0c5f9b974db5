"""The student's pages: home, lesson player, quizzes, surveys and their own data. Views stay thin."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from edu import mixing
from edu.access import roles
from edu.content.grading import grade_quiz
from edu.content_service import catalog
from edu.database import reads_first, writing
from edu.extensions import db
from edu.i18n import language
from edu.identity import signed_in_user
from edu.learn import assignments, errors, pin_reset, quizzes, surveys
from edu.learn import my_data as student_data
from edu.learn.forms import int_arg, quiz_answers_from, survey_answers_from
from edu.learn.option_order import option_orders
from edu.live import services as live_services
from edu.logging_setup import logs_no_user
from edu.models import utcnow
from edu.safeguarding import services as safeguarding
from edu.segment_view import SegmentView

bp = Blueprint("learn", __name__, url_prefix="/learn")


def _wants_json() -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


class _PausedPage(Exception):
    pass


class _SurveyFirstPage(Exception):
    pass


def _assigned_or_404(find, item_id: str, content, locale: str):
    """``find`` (a service taking the student, the catalog, the id and the language) for the signed-in student:
    404 if the item is not in an open module assigned to their class, the paused page if its module is paused."""
    try:
        return find(signed_in_user(), content, item_id, locale)
    except errors.NotFound:
        abort(404)
    except errors.Paused:
        raise _PausedPage() from None
    except errors.SurveyFirst:
        raise _SurveyFirstPage() from None


def _lesson_or_404(lesson_id: str):
    return _assigned_or_404(assignments.find_assigned_lesson, lesson_id, catalog(), language())


def _quiz_or_404(quiz_id: str):
    return _assigned_or_404(assignments.find_assigned_quiz, quiz_id, catalog(), language())


@bp.errorhandler(_PausedPage)
def _paused(_error):
    """Incident mode: a neutral message and the help services, for every page of the paused module."""
    view = SegmentView(catalog=catalog(), locale=language(), country=current_user.classroom.country)
    return render_template("learn/paused.html", view=view), 200


@bp.errorhandler(_SurveyFirstPage)
def _survey_first(_error):
    flash(_("Please answer or skip the short starting survey first: then your lessons open."), "info")
    return redirect(url_for("learn.survey", phase="pre"))


@bp.route("/")
@roles("student")
def home():
    student = signed_in_user()
    assigned = assignments.assignments_of(student)
    cards = assignments.module_cards(student, catalog(), language(), assigned)
    now = utcnow()
    classroom = student.classroom
    return render_template(
        "learn/home.html", classroom=classroom, cards=cards, now=now,
        continue_lesson=assignments.continue_target(cards, now), surveys=surveys.survey_phases(student, assigned),
        live_poll=safeguarding.current_poll(classroom), live_lesson=live_services.running(classroom.id),
        answered_count=safeguarding.answered_question_count(classroom),
        pin_reset_on=pin_reset.notice_date(student, now),
    )


# ---- quizzes ---------------------------------------------------------------------------------------------


@bp.route("/quiz/<quiz_id>", methods=["GET", "POST"])
@roles("student")
@reads_first
def quiz(quiz_id: str):
    quiz = _quiz_or_404(quiz_id)
    if request.method == "POST":
        return _quiz_post(quiz)
    status = quizzes.quiz_status(signed_in_user(), quiz)
    answers = quizzes.saved_answers(status.draft)
    pending = session.pop("pending_quiz", None)
    restored = False
    if pending and pending.get("quiz") == quiz.id:
        answers.update({q: set(v) for q, v in pending.get("answers", {}).items()})
        restored = True
    return render_template("learn/quiz.html", quiz=quiz, answers=answers, attempt_no=status.form_attempt_no,
                           orders=option_orders(quiz, current_user.id, status.form_attempt_no),
                           status=status, restored=restored, policy=current_user.classroom.quiz_policy)


def _quiz_post(quiz):
    answers, refused = quizzes.validate_answers(quiz, quiz_answers_from(request.form, quiz))
    # Checking the form needs no database: it comes before the write lock is taken.
    with writing():
        attempt = quizzes.open_draft(signed_in_user(), quiz, int_arg(request.form.get("attempt")))
        number = attempt.attempt_no
        if attempt.submitted_at is not None:
            # Sent twice (double click, two tabs, or resent after a reload): the first one counted.
            return redirect(url_for("learn.quiz_result", quiz_id=quiz.id, attempt_no=number))
        if request.form.get("action") == "submit" and not refused:
            quizzes.submit_attempt(attempt, quiz, answers)
            return redirect(url_for("learn.quiz_result", quiz_id=quiz.id, attempt_no=number))
        quizzes.save_answers(attempt, answers)
    if request.form.get("action") == "retake":  # "Take it again": a fresh attempt, nothing answered to confirm
        return redirect(url_for("learn.quiz", quiz_id=quiz.id))
    if refused:
        flash(_("Some answers could not be saved. Check the questions marked below and try again."), "error")
    else:
        flash(_("Your answers are saved. You can finish later."), "success")
    return redirect(url_for("learn.quiz", quiz_id=quiz.id))


@bp.route("/quiz/<quiz_id>/answer", methods=["POST"])
@roles("student")
@reads_first
def quiz_answer(quiz_id: str):
    """Saving as you go (JavaScript): one question at a time."""
    quiz = _quiz_or_404(quiz_id)
    question_id = request.form.get("question", "")[:64]
    option_ids = [v[:64] for v in request.form.getlist("option") if v]
    try:
        with writing():
            attempt = quizzes.open_draft(signed_in_user(), quiz)
            quizzes.save_answer(attempt, quiz, question_id, option_ids)
            number = attempt.attempt_no
    except errors.AlreadySubmitted:
        return jsonify(saved=False, error=_("This attempt is already finished. Reload the page.")), 409
    except errors.InvalidInput:
        return jsonify(saved=False, error=_("That answer could not be saved.")), 400
    return jsonify(saved=True, attempt=number)


@bp.route("/quiz/<quiz_id>/result/<int:attempt_no>")
@roles("student")
def quiz_result(quiz_id: str, attempt_no: int):
    quiz = _quiz_or_404(quiz_id)
    try:
        attempt = quizzes.attempt_of(signed_in_user(), quiz.id, attempt_no)
    except errors.NotFound:
        abort(404)
    if attempt.submitted_at is None:
        return redirect(url_for("learn.quiz", quiz_id=quiz.id))
    answers = quizzes.saved_answers(attempt)
    return render_template("learn/quiz_result.html", quiz=quiz, attempt=attempt, answers=answers,
                           orders=option_orders(quiz, current_user.id, attempt.attempt_no),
                           review_opens_at=quizzes.review_opens_at(signed_in_user(), quiz),
                           verdicts=grade_quiz(quiz, answers).per_question,
                           status=quizzes.quiz_status(signed_in_user(), quiz))


# ---- survey ----------------------------------------------------------------------------------------------


@bp.route("/survey/<phase>", methods=["GET", "POST"])
@logs_no_user  # the survey's `identity: none` answers are sent with it
@roles("student")
def survey(phase: str):
    if phase not in ("pre", "post") or not surveys.survey_is_assigned(signed_in_user(), phase):
        abort(404)
    survey = catalog().survey(surveys.SURVEY_ID, language())
    if survey is None:
        abort(404)
    done = any(p == phase and sub is not None for _, p, sub in surveys.survey_phases(signed_in_user()))
    if done:
        return render_template("learn/survey_done.html", phase=phase)
    if request.method == "POST":
        return _survey_post(survey, phase)
    return _survey_form(survey, phase, {})


def _survey_form(survey, phase: str, answers: dict, invalid=(), status: int = 200):
    return render_template("learn/survey.html", survey=survey, phase=phase, items=survey.items_for(phase),
                           intro_html=surveys.intro_html(survey), answers=answers, invalid=set(invalid)), status


def _survey_post(survey, phase: str):
    """Review before sending (answers travel in the page, nothing is stored), change, send, or skip it all.
    Sending with more than half unanswered asks once. A value not on the form is asked again (400), the other
    answers kept."""
    action = request.form.get("action", "send")
    answers, invalid = surveys.read_survey_answers(survey, phase, survey_answers_from(request.form, survey, phase))
    if invalid:
        return _survey_form(survey, phase, answers, invalid, 400)
    if action == "change":
        return _survey_form(survey, phase, answers)
    if action == "skip":
        answers = dict.fromkeys(answers)
    elif action == "review" or (surveys.mostly_unanswered(answers) and not request.form.get("confirmed")):
        return render_template("learn/survey_review.html", survey=survey, phase=phase, answers=answers,
                               items=survey.items_for(phase),
                               unanswered=surveys.unanswered(answers), ask=surveys.mostly_unanswered(answers))
    try:
        surveys.submit_survey(signed_in_user(), survey, phase, answers)
    except errors.AlreadySubmitted:
        db.session.rollback()
    else:
        db.session.commit()
        mixing.flush_ready(signed_in_user().classroom_id)  # the class's batch, if full, in its own transaction
    return render_template("learn/survey_done.html", phase=phase, skipped=action == "skip")


# ---- my data ---------------------------------------------------------------------------------------------


@bp.route("/my-data")
@roles("student")
def my_data():
    return render_template("learn/my_data.html", data=student_data.everything_stored(signed_in_user()))


@bp.route("/my-data.json")
@roles("student")
def my_data_download():
    body = json.dumps(student_data.everything_stored(signed_in_user()), ensure_ascii=False, indent=2)
    return Response(body, mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="my-boundaries-data.json"'})


@bp.route("/my-data/reflections/delete", methods=["POST"])
@roles("student")
def delete_reflections():
    count = student_data.delete_reflections(signed_in_user())
    db.session.commit()
    flash(_("Deleted %(num)d reflections.", num=count), "success")
    return redirect(url_for("learn.my_data"))
