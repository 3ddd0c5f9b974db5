"""The lesson player's pages, on the student blueprint (edu/learn/views.py): a step (one page each, from the step
cache), the whole lesson's steps for showing them without page loads (static/js/lesson.js), the student's place
sent once from such a page, answers in blocks, finishing, and the module-end page."""

from __future__ import annotations

from flask import (
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

from edu.access import roles
from edu.content_service import catalog
from edu.database import reads_first, writing
from edu.i18n import in_locale, language
from edu.identity import signed_in_user
from edu.learn import assignments, errors, lessons
from edu.learn.forms import int_arg
from edu.learn.step_cache import lesson_key, render_step_cached, step_key
from edu.learn.views import _assigned_or_404, _lesson_or_404, _wants_json, bp
from edu.lti.session_flag import in_lti_session
from edu.segment_view import SegmentView


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
    "Previous" are plain links (one request per step without JavaScript; static/js/lesson.js swaps steps in place
    after the first), and the student resumes here on any device."""
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
        "learn/lesson.html", lesson=lesson, step=lesson.steps[number - 1], number=number,
        player=_lesson_player(lesson, number, view, missing)))
    if last != number - 1:  # written after rendering: the page needs nothing the commit would expire
        with writing():
            lessons.record_step(student, lesson, number - 1, once_a_minute=True)
    return page


@bp.route("/lesson/<lesson_id>/steps")
@roles("student")
def lesson_steps(lesson_id: str):
    """Every step of the lesson as the step pages show them (the student's own answers in place), each in a
    <template>, for static/js/lesson.js: after the first "Next" the student moves between steps without page loads.
    Records nothing: the page that asks for it has recorded its step, and sends where the student went when they
    leave it (``lesson_progress``)."""
    content, locale = catalog(), language()
    lesson, state = _assigned_or_404(lessons.open_lesson, lesson_id, content, locale)
    view = student_view(signed_in_user(), lesson, state, content, locale)
    page = render_step_cached(lesson_key(content, lesson, view), lambda: render_template(
        "learn/lesson_steps.html", lesson=lesson,
        steps=[(number, step, _lesson_player(lesson, number, view, None))
               for number, step in enumerate(lesson.steps, start=1)]))
    return page, 200, {"Content-Type": "text/html; charset=utf-8"}


@bp.route("/lesson/<lesson_id>/progress", methods=["POST"])
@roles("student")
@reads_first
def lesson_progress(lesson_id: str):
    """Where the student is in the lesson (``step``) and the furthest step they opened (``furthest``), both from 1,
    sent once by a lesson page that showed its steps without page loads, when the student leaves it."""
    lesson = _lesson_or_404(lesson_id)
    step, furthest = int_arg(request.form.get("step")), int_arg(request.form.get("furthest"))
    if step is None or furthest is None:
        abort(400)
    try:
        with writing():
            lessons.record_step(signed_in_user(), lesson, step - 1, furthest - 1, once_a_minute=True)
    except errors.InvalidInput:
        abort(400)
    return "", 204


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


