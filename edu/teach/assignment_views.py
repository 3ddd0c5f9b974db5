"""The class's assignments section: what is assigned, in which order, open and due when, and for whom."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext as _

from edu.access import roles
from edu.content_service import catalog
from edu.domain import SURVEY_ID
from edu.extensions import db
from edu.family import services as family
from edu.i18n import language
from edu.learn.assignments import module_quizzes
from edu.safeguarding import services as safeguarding
from edu.teach import services
from edu.teach.blueprint import back, bp, owned, read_only
from edu.teach.forms import AssignForm


def _assign_form(classroom) -> AssignForm:
    locale = language()
    taken = {a.target_id for a in services.assignments(classroom) if a.kind == "module"}
    form = AssignForm()
    form.target.choices = [(m.id, m.title.get(locale, m.id)) for m in catalog().modules if m.id not in taken]
    return form


@bp.route("/classes/<int:classroom_id>/assignments")
@roles("teacher")
def assignments(classroom_id: int):
    classroom = owned(classroom_id)
    return _page(classroom, _assign_form(classroom))


def _page(classroom, assign_form, status: int = 200):
    locale = language()
    current = catalog()
    modules = {m.id: m for m in current.modules}
    lessons = {m.id: current.lessons_for(m.id, locale, region=classroom.region, band=classroom.age_band)
               for m in current.modules}
    quizzes = {m.id: module_quizzes(current, m.id, locale, classroom.region) for m in current.modules}
    polls = {m.id: [(lesson, block) for lesson in lessons[m.id] for block in lesson.blocks("poll")]
             for m in current.modules}
    worksheets = {m.id for m in current.modules if current.worksheet(m.id, classroom.locale) is not None}
    return render_template(
        "teach/assignments.html", classroom=classroom, section="assignments",
        assignments=services.assignments(classroom), modules=modules, lessons=lessons, quizzes=quizzes,
        locale=locale, assign_form=assign_form, polls=polls, worksheets=worksheets,
        paused=safeguarding.paused_modules(classroom.id), country=classroom.region,
        notice=family.notice_of(classroom),
    ), status


@bp.route("/classes/<int:classroom_id>/assignments", methods=["POST"])
@roles("teacher")
def assign(classroom_id: int):
    classroom = owned(classroom_id)
    if classroom.archived_at is not None:
        return read_only(classroom)
    kind = request.form.get("kind", "module")
    if kind in services.SURVEY_KINDS:
        services.assign(classroom, kind, SURVEY_ID)
        db.session.commit()
        flash(_("Survey assigned."), "success")
        return back(classroom, "assignments")
    form = _assign_form(classroom)
    if not form.validate_on_submit():
        return _page(classroom, form, 422)
    services.assign(classroom, "module", form.target.data, form.opens_on.data, form.due_on.data)
    db.session.commit()
    flash(_("Module assigned."), "success")
    return back(classroom, "assignments")


@bp.route("/classes/<int:classroom_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@roles("teacher")
def unassign(classroom_id: int, assignment_id: int):
    classroom = owned(classroom_id)
    if classroom.archived_at is not None:
        return read_only(classroom)
    try:
        services.unassign(classroom, assignment_id)
    except services.NotFound:
        abort(404)
    db.session.commit()
    flash(_("Removed from the class's assignments. Students' work is kept."), "success")
    return back(classroom, "assignments")


@bp.route("/classes/<int:classroom_id>/assignments/<int:assignment_id>/move", methods=["POST"])
@roles("teacher")
def move_assignment(classroom_id: int, assignment_id: int):
    classroom = owned(classroom_id)
    if classroom.archived_at is not None:
        return read_only(classroom)
    direction = -1 if request.form.get("direction") == "up" else 1
    try:
        services.move(classroom, assignment_id, direction)
    except services.NotFound:
        abort(404)
    db.session.commit()
    return back(classroom, "assignments")
