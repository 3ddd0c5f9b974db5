"""The student's pages: home, lesson player, quizzes, surveys and their own data. Views stay thin."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    get_flashed_messages,
    get_template_attribute,
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
from edu.i18n import in_locale, language
from edu.identity import signed_in_user
from edu.learn import assignments, errors, lessons, pin_reset, quizzes, surveys
from edu.learn import my_data as student_data
from edu.learn.forms import int_arg, quiz_answers_from, survey_answers_from
from edu.learn.option_order import option_orders
from edu.learn.step_cache import render_step_cached, step_key
from edu.live import services as live_services
from edu.logging_setup import logs_no_user
from edu.lti.session_flag import in_lti_session
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


# ---- lesson player ---------------------------------------------------------------------------------------


def student_view(student, lesson, state: lessons.LessonState, content, locale: str) -> SegmentView:
    """How the lesson's blocks show for ``student``, with their own answers (``state``) in place."""
    classroom = student.classroom
    return SegmentView(
        catalog=content, locale=locale, country=classroom.country, age_band=classroom.age_band,
        responses=state.responses, reflections=state.reflections, form_method="post",
        reflections_off=in_lti_session(),
        action_for=lambda seg: url_for("learn.lesson_block", lesson_id=lesson.id, block_id=seg.id),
    )


@bp.route("/lesson/<lesson_id>")
@roles("student")
def lesson(lesson_id: str):
    """A step of a lesson (?step=N), or the step the student last opened. Opening a step records it, so "Next" and
    "Previous" are plain links: one request per step, and the student resumes here on any device."""
    content, locale = catalog(), language()
    lesson, state = _assigned_or_404(lessons.open_lesson, lesson_id, content, locale)
    student = signed_in_user()
    last = state.last_step
    number = int_arg(request.args.get("step"))
    if number is None:
        number = last + 1 if last is not None else 1
    if not 1 <= number <= len(lesson.steps):
        abort(404)
    view = student_view(student, lesson, state, content, locale)
    missing = session.pop("missing_checks", None)
    key = step_key(content, lesson, number, view, request.full_path) if _cacheable(number, missing) else None
    page = render_step_cached(key, lambda: render_template(
        "learn/lesson.html", lesson=lesson, step=lesson.steps[number - 1],
        player=_lesson_player(lesson, number, view, missing)))
    if last != number - 1:  # written after rendering: the page needs nothing the commit would expire
        with writing():
            lessons.record_step(student, lesson, number - 1)
    return page


def _cacheable(number: int, missing) -> bool:
    """Whether this lesson page may come from (and go into) the step cache: a GET of one of a step's two
    addresses (the page's language switch returns to the address asked for, so any other query string would be
    an entry of its own), with no message for the student and no unanswered checks to mark."""
    return (request.method == "GET" and request.query_string in (b"", f"step={number}".encode())
            and not missing and not get_flashed_messages())


def _lesson_player(lesson, number: int, view: SegmentView, missing) -> str:
    player = get_template_attribute("macros/lesson.html", "lesson_player")
    return in_locale(lesson.locale, player, lesson, lesson.steps[number - 1], number, len(lesson.steps), view,
                     missing=missing,
                  finish_url=url_for("learn.lesson_finish", lesson_id=lesson.id),
                  step_base=url_for("learn.lesson", lesson_id=lesson.id),
                  back_url=url_for("learn.home"), interactive=True)


@bp.route("/lesson/<lesson_id>/block/<block_id>", methods=["POST"])
@roles("student")
@reads_first
def lesson_block(lesson_id: str, block_id: str):
    lesson = _lesson_or_404(lesson_id)
    placed = {key[5:]: value[:64] for key, value in request.form.items() if key.startswith("item.")}
    try:
        with writing():
            if "text" in request.form:
                if in_lti_session():
                    raise errors.InvalidInput("reflections are off in an LMS session")
                step_index = lessons.save_reflection(signed_in_user(), lesson, block_id, request.form["text"])
            elif "sort" in request.form or placed:
                step_index = lessons.record_sort(signed_in_user(), lesson, block_id, placed)
            else:
                step_index = lessons.record_block_choice(signed_in_user(), lesson, block_id,
                                                          request.form.get("choice", "")[:64])
    except errors.IncompleteSort as incomplete:
        message = _("Put each card in a group, then check your answers.")
        if _wants_json():
            return jsonify(saved=False, error=message), 400
        flash(message, "error")
        return redirect(url_for("learn.lesson", lesson_id=lesson.id, step=incomplete.step_index + 1)
                        + f"#block-{block_id}")
    except errors.InvalidInput:
        if _wants_json():
            return jsonify(saved=False, error=_("That answer could not be saved. Reload the page.")), 400
        abort(400)
    if _wants_json():
        return jsonify(saved=True)
    return redirect(url_for("learn.lesson", lesson_id=lesson.id, step=step_index + 1) + f"#block-{block_id}")


@bp.route("/lesson/<lesson_id>/finish", methods=["POST"])
@roles("student")
@reads_first
def lesson_finish(lesson_id: str):
    lesson = _lesson_or_404(lesson_id)
    with writing():
        missing = lessons.finish_lesson(signed_in_user(), lesson, catalog())
    if missing:
        session["missing_checks"] = [[index + 1, check.question] for index, check in missing]
        return redirect(url_for("learn.lesson", lesson_id=lesson.id, step=len(lesson.steps)))
    if assignments.module_card(signed_in_user(), catalog(), lesson.module, language()).lessons_done:
        return redirect(url_for("learn.module_done", module_id=lesson.module))
    flash(_("Lesson finished. Well done for taking the time."), "success")
    return redirect(url_for("learn.home"))


@bp.route("/module/<module_id>/done")
@roles("student")
def module_done(module_id: str):
    """The module-end page, once every lesson of the module is finished: what the lessons set out to teach (their
    `objectives`), then what is next: the module's quiz, and help. No points, no streaks."""
    card = _assigned_or_404(assignments.module_card, module_id, catalog(), language())
    if not card.lessons_done:
        return redirect(url_for("learn.home"))
    next_quiz = next((status for status in card.quizzes if status.counted is None), None)
    return render_template("learn/module_end.html", card=card, next_quiz=next_quiz)


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
