"""Live lesson routes: the teacher's projector and its controls, the students' phones, the QR code's address."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu.access import public, roles
from edu.auth.codes import format_join_code
from edu.auth.services import classroom_by_code
from edu.content_service import catalog
from edu.extensions import db, limiter
from edu.i18n import language
from edu.identity import signed_in_user
from edu.learn import lessons as learn_lessons
from edu.learn.errors import InvalidInput as LearnInvalidInput
from edu.learn.forms import int_arg
from edu.live import pages, services
from edu.logging_setup import logs_no_user
from edu.safeguarding.services import paused_modules
from edu.safeguarding.views import anonymous_limit_key
from edu.teach import services as teach

bp = Blueprint("live", __name__)


# ---- the teacher ------------------------------------------------------------------------------------------------


def _owned(classroom_id: int):
    try:
        return teach.owned_classroom(current_user, classroom_id)
    except teach.NotFound:
        abort(404)


def _running(classroom):
    """The class's live lesson and its lesson (class language); None, None when none is running, or when its
    module was paused meanwhile (incident mode: the class sees the lesson no more)."""
    live = services.running(classroom.id)
    lesson = catalog().lesson(live.lesson_id, classroom.locale) if live is not None else None
    if lesson is None or lesson.module in paused_modules(classroom.id):
        return None, None
    return live, lesson


@bp.route("/teach/classes/<int:classroom_id>/live")
@roles("teacher")
def projector(classroom_id: int):
    """The projector: the class's current step in large type, the join address and QR code, answers and totals.
    With no lesson running: the class's lessons, to start one."""
    classroom = _owned(classroom_id)
    live, lesson = _running(classroom)
    if live is None:
        return render_template("live/choose.html", classroom=classroom,
                               modules=services.runnable_lessons(classroom, catalog()))
    step = lesson.steps[live.step]
    address = pages.join_address(classroom)
    states = services.step_states(live, step)
    return render_template(
        "live/projector.html", classroom=classroom, live=live, lesson=lesson, step=step, states=states,
        step_label=pages.step_label(lesson, live.step), join_code=format_join_code(classroom.join_code),
        view=pages.projector_view(catalog(), classroom, lesson), address=address,
        qr=pages.qr_svg(address, _("QR code for %(address)s", address=address)) if address else None,
        token=services.projector_token(live, states), minimum=services.REVEAL_MIN, teacher=True)


@bp.route("/teach/classes/<int:classroom_id>/live/panel")
@roles("teacher")
def projector_panel(classroom_id: int):
    """The projector's answers panel, polled every 3 s with If-None-Match: 304 while nothing changed."""
    classroom = _owned(classroom_id)
    live, lesson = _running(classroom)
    if live is None:
        return pages.conditional_json("none", lambda: {"version": "none", "panel": None})
    step = lesson.steps[live.step]
    states = services.step_states(live, step)
    token = services.projector_token(live, states)
    return pages.conditional_json(token, lambda: {"version": token, "panel": render_template(
        "live/_answers.html", classroom=classroom, live=live, step=step, states=states, teacher=True,
        minimum=services.REVEAL_MIN)})


@bp.route("/teach/classes/<int:classroom_id>/live/start", methods=["POST"])
@roles("teacher")
def start(classroom_id: int):
    classroom = _owned(classroom_id)
    if classroom.archived_at is not None:
        abort(404)
    try:
        lesson = services.runnable_lesson(classroom, catalog(), request.form.get("lesson", "")[:64])
    except services.NotFound:
        abort(404)
    services.start(classroom, lesson)
    db.session.commit()
    return redirect(url_for("live.projector", classroom_id=classroom.id))


@bp.route("/teach/classes/<int:classroom_id>/live/step", methods=["POST"])
@roles("teacher")
def step(classroom_id: int):
    classroom = _owned(classroom_id)
    live, lesson = _running(classroom)
    if live is None:
        abort(404)
    try:
        services.move(live, lesson, int_arg(request.form.get("step"), 0) - 1)
    except (services.InvalidInput, services.Closed):
        abort(400)
    db.session.commit()
    return redirect(url_for("live.projector", classroom_id=classroom.id))


@bp.route("/teach/classes/<int:classroom_id>/live/reveal", methods=["POST"])
@roles("teacher")
def reveal(classroom_id: int):
    classroom = _owned(classroom_id)
    live, _lesson = _running(classroom)
    if live is None:
        abort(404)
    block_id = request.form.get("block", "")[:64]
    try:
        services.reveal(live, block_id)
    except services.NotFound:
        abort(404)
    except services.TooFew:
        db.session.rollback()
        flash(_("The totals show once at least %(n)d have answered.", n=services.REVEAL_MIN), "error")
    else:
        db.session.commit()
    return redirect(url_for("live.projector", classroom_id=classroom.id) + f"#answers-{block_id}")


@bp.route("/teach/classes/<int:classroom_id>/live/end", methods=["POST"])
@roles("teacher")
def end(classroom_id: int):
    classroom = _owned(classroom_id)
    live = services.running(classroom.id)
    if live is not None:
        services.end(live)
        db.session.commit()
        flash(_("The live lesson has ended. Answers not revealed were deleted unseen."), "success")
    return redirect(url_for("teach.classroom", classroom_id=classroom.id))


# ---- students ---------------------------------------------------------------------------------------------------


@bp.route("/live/<code>")
@public
def follow(code: str):
    """The QR code's address. A student of the class goes to the live lesson; anyone else to student sign-in with
    the class code filled in (never to joining, which would make a second student)."""
    user = signed_in_user()
    if user.is_authenticated and user.is_student:
        classroom = classroom_by_code(code[:20])
        if classroom is not None and classroom.id == user.classroom_id:
            return redirect(url_for("live.phone"))
    return redirect(url_for("auth.student_signin", code=code[:20], next=url_for("live.phone")))


def _student_live():
    student = signed_in_user()
    live, lesson = _running(student.classroom)
    return student, live, lesson


@bp.route("/learn/live")
@roles("student")
def phone():
    """The class's live step on a phone. Without JavaScript, "Next" comes back here with the step the student saw
    (``seen``): the page moves on only once the teacher has."""
    student, live, lesson = _student_live()
    if live is None:
        return render_template("live/phone.html", live=None, token=services.student_token(None))
    content = catalog()
    shown = pages.displayed_lesson(content, lesson, language())
    step = shown.steps[live.step]
    state = learn_lessons.lesson_state(student, lesson.id)
    stepouts = {seg.id: state.responses[seg.id] for seg in step.segments
                if seg.kind == "stepout" and seg.id in state.responses}
    view = pages.phone_view(content, student.classroom, shown, {**pages.own_choices(live.id), **stepouts},
                            state.reflections)
    return render_template(
        "live/phone.html", live=live, lesson=shown, step=step, view=view, number=live.step + 1,
        step_label=pages.step_label(shown, live.step),
        states=[] if view.hidden_by_stepout(step) else services.step_states(live, step), answered=services.answered_blocks(live, student.id),
        waiting=int_arg(request.args.get("seen")) == live.step + 1, token=services.student_token(live),
        minimum=services.REVEAL_MIN)


@bp.route("/learn/live/state")
@roles("student")
def phone_state():
    """What the phone's page depends on, polled every 3 s with If-None-Match: 304 while the teacher stays."""
    token = services.student_token(services.running(signed_in_user().classroom_id))
    return pages.conditional_json(token, lambda: {"version": token})


def _live_key() -> str:
    return anonymous_limit_key("live")


@bp.route("/learn/live/answer", methods=["POST"])
@logs_no_user
@roles("student")
@limiter.limit("60 per minute", key_func=_live_key)
def answer():
    """A block of the live step: a question's answer is counted without a name; a step-out, a private note or a
    sort is the student's own, saved as in the lesson player."""
    student, live, lesson = _student_live()
    if live is None:
        return redirect(url_for("live.phone"))
    block_id = request.values.get("block", "")[:64]
    segment = next((s for s in lesson.steps[live.step].segments if getattr(s, "id", None) == block_id), None)
    if segment is None:
        return redirect(url_for("live.phone"))  # the teacher moved on meanwhile: the page shows the new step
    try:
        if segment.kind in services.ANSWERED_KINDS:
            _count_answer(student, live, lesson, segment, request.form.get("choice", "")[:64])
        else:
            _save_own(student, live, lesson, segment)
    except (services.InvalidInput, LearnInvalidInput):
        abort(400)
    return redirect(url_for("live.phone") + f"#block-{block_id}")


def _count_answer(student, live, lesson, segment, choice: str) -> None:
    """Count the answer; a group chat posts its way through so far, which answers its last decision."""
    question_id, option = services.chat_question(segment, choice) if segment.kind == "chat" else (segment.id, choice)
    try:
        services.answer(live, lesson, student.id, question_id, option)
    except (services.AlreadyAnswered, services.Closed):
        db.session.rollback()  # counted once: trying another choice only shows its feedback, here
        if segment.kind == "chat" or choice in services.option_ids(segment):
            pages.keep_own_choice(live.id, segment.id, choice)
        return
    db.session.commit()
    pages.keep_own_choice(live.id, segment.id, choice)


def _save_own(student, live, lesson, segment) -> None:
    if "text" in request.form:
        learn_lessons.save_reflection(student, lesson, segment.id, request.form["text"])
    elif segment.kind == "sort":
        placed = {k[5:]: v[:64] for k, v in request.form.items() if k.startswith("item.")}
        if not set(placed.values()) <= {g.id for g in segment.groups} or not set(placed) <= {i.id for i in segment.items}:
            raise services.InvalidInput("sort")
        encoded = segment.encode(placed)
        if encoded is None:
            flash(_("Put each card in a group, then check your answers."), "error")
            return
        pages.keep_own_choice(live.id, segment.id, encoded)
        return
    else:
        learn_lessons.record_block_choice(student, lesson, segment.id, request.form.get("choice", "")[:64])
    db.session.commit()
