"""The teacher's classroom pages."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit
from edu.access import roles
from edu.auth.codes import format_join_code
from edu.auth.services import needs_guardian_consent
from edu.content_service import catalog
from edu.database import writing
from edu.domain import SURVEY_ID
from edu.extensions import db
from edu.i18n import language
from edu.insights.item_analysis import MIN_FOR_DISCRIMINATION, bar_chart_svg
from edu.learn.assignments import module_quizzes
from edu.models import utcnow
from edu.safeguarding import services as safeguarding
from edu.teach import services
from edu.teach.forms import (
    AddStudentsForm,
    AssignForm,
    ClassroomForm,
    ConsentForm,
    SettingsForm,
    country_choices,
)
from edu.teach.joining import closes_at, joining_is_open
from edu.teach.progress import progress_grid
from edu.teach.reports import attention, export_csv, export_rows, question_analysis, student_quiz_answers

bp = Blueprint("teach", __name__, url_prefix="/teach")


def _owned(classroom_id: int):
    try:
        return services.owned_classroom(current_user, classroom_id)
    except services.NotFound:
        abort(404)


@bp.route("/")
@roles("teacher")
def home():
    classrooms = services.classes_of(current_user)
    return render_template(
        "teach/home.html", classrooms=classrooms,
        archived=services.classes_of(current_user, archived=True),
        attention=attention(current_user, catalog(), language()),
        talk_requests=safeguarding.talk_requests_for(current_user),
        new_questions={c.id: safeguarding.new_question_count(c) for c in classrooms},
    )


@bp.route("/classes/new", methods=["GET", "POST"])
@roles("teacher")
def new_class():
    form = ClassroomForm()
    form.country.choices = country_choices(language())
    if request.method == "GET":
        form.locale.data = language()
        form.country.data = current_user.school.country if current_user.school else "KR"
    if form.validate_on_submit():
        classroom = services.create_classroom(
            current_user, form.name.data, form.locale.data, form.age_band.data, form.country.data
        )
        db.session.commit()
        return redirect(url_for("teach.classroom", classroom_id=classroom.id))
    return render_template("teach/new_class.html", form=form), 422 if form.errors else 200


def _assign_form(classroom) -> AssignForm:
    locale = language()
    taken = {a.target_id for a in services.assignments(classroom) if a.kind == "module"}
    form = AssignForm()
    form.target.choices = [(m.id, m.title.get(locale, m.id)) for m in catalog().modules if m.id not in taken]
    return form


@bp.route("/classes/<int:classroom_id>")
@roles("teacher")
def classroom(classroom_id: int):
    classroom = _owned(classroom_id)
    return _classroom_page(classroom, _assign_form(classroom))


def _classroom_page(classroom, assign_form, status: int = 200):
    locale = language()
    current = catalog()
    modules = {m.id: m for m in current.modules}
    lessons = {m.id: current.lessons_for(m.id, locale, region=classroom.region) for m in current.modules}
    quizzes = {m.id: module_quizzes(current, m.id, locale, classroom.region) for m in current.modules}
    polls = {m.id: [(lesson, block) for lesson in lessons[m.id] for block in lesson.blocks("poll")]
             for m in current.modules}
    worksheets = {m.id for m in current.modules if current.worksheet(m.id, classroom.locale) is not None}
    return render_template(
        "teach/classroom.html", classroom=classroom, join_code=format_join_code(classroom.join_code),
        assignments=services.assignments(classroom), modules=modules, lessons=lessons, quizzes=quizzes,
        locale=locale, assign_form=assign_form, add_form=AddStudentsForm(count=30), polls=polls, worksheets=worksheets,
        paused=safeguarding.paused_modules(classroom.id), new_questions=safeguarding.new_question_count(classroom),
        needs_consent=needs_guardian_consent(classroom), consent_form=ConsentForm(),
        live_poll=safeguarding.current_poll(classroom),
        country=classroom.region, today=utcnow(),
        joining_open=joining_is_open(classroom, utcnow()), joining_closes=closes_at(classroom),
    ), status


@bp.route("/classes/<int:classroom_id>/assignments", methods=["POST"])
@roles("teacher")
def assign(classroom_id: int):
    classroom = _owned(classroom_id)
    if classroom.archived_at is not None:
        return _read_only(classroom)
    kind = request.form.get("kind", "module")
    if kind in services.SURVEY_KINDS:
        services.assign(classroom, kind, SURVEY_ID)
        db.session.commit()
        flash(_("Survey assigned."), "success")
        return redirect(url_for("teach.classroom", classroom_id=classroom.id) + "#assignments")
    form = _assign_form(classroom)
    if not form.validate_on_submit():
        return _classroom_page(classroom, form, 422)
    services.assign(classroom, "module", form.target.data, form.opens_on.data, form.due_on.data)
    db.session.commit()
    flash(_("Module assigned."), "success")
    return redirect(url_for("teach.classroom", classroom_id=classroom.id) + "#assignments")


@bp.route("/classes/<int:classroom_id>/assignments/<int:assignment_id>/delete", methods=["POST"])
@roles("teacher")
def unassign(classroom_id: int, assignment_id: int):
    classroom = _owned(classroom_id)
    if classroom.archived_at is not None:
        return _read_only(classroom)
    try:
        services.unassign(classroom, assignment_id)
    except services.NotFound:
        abort(404)
    db.session.commit()
    flash(_("Removed from the class's assignments. Students' work is kept."), "success")
    return redirect(url_for("teach.classroom", classroom_id=classroom.id) + "#assignments")


@bp.route("/classes/<int:classroom_id>/assignments/<int:assignment_id>/move", methods=["POST"])
@roles("teacher")
def move_assignment(classroom_id: int, assignment_id: int):
    classroom = _owned(classroom_id)
    if classroom.archived_at is not None:
        return _read_only(classroom)
    direction = -1 if request.form.get("direction") == "up" else 1
    try:
        services.move(classroom, assignment_id, direction)
    except services.NotFound:
        abort(404)
    db.session.commit()
    return redirect(url_for("teach.classroom", classroom_id=classroom.id) + "#assignments")


@bp.route("/classes/<int:classroom_id>/progress")
@roles("teacher")
def progress(classroom_id: int):
    classroom = _owned(classroom_id)
    grid = progress_grid(classroom, catalog(), language())
    return render_template("teach/progress.html", classroom=classroom, grid=grid)


# ---- settings, archive, roster ---------------------------------------------------------------------------


def _back(classroom, anchor: str = ""):
    return redirect(url_for("teach.classroom", classroom_id=classroom.id) + anchor)


def _read_only(classroom):
    flash(_("This class is archived and read-only. Restore it to make changes."), "error")
    return _back(classroom)


@bp.route("/classes/<int:classroom_id>/settings", methods=["GET", "POST"])
@roles("teacher")
def settings(classroom_id: int):
    classroom = _owned(classroom_id)
    form = SettingsForm(obj=classroom)
    form.country.choices = country_choices(language())
    if form.validate_on_submit():
        try:
            services.update_settings(classroom, form.name.data, form.locale.data, form.age_band.data,
                                     form.country.data, form.quiz_policy.data)
        except services.ArchivedClass:
            return _read_only(classroom)
        db.session.commit()
        flash(_("Class settings saved."), "success")
        return _back(classroom)
    return render_template("teach/settings.html", classroom=classroom, form=form), 422 if form.errors else 200


@bp.route("/classes/<int:classroom_id>/archive", methods=["POST"])
@roles("teacher")
def archive(classroom_id: int):
    classroom = _owned(classroom_id)
    services.archive(classroom)
    audit.record(current_user, "archive_class", f"classroom:{classroom.id}")
    db.session.commit()
    flash(_("Class archived. It is read-only now and will be deleted after %(days)d days unless you restore it.",
            days=classroom.school.retention_days), "success")
    return _back(classroom)


@bp.route("/classes/<int:classroom_id>/restore", methods=["POST"])
@roles("teacher")
def restore(classroom_id: int):
    classroom = _owned(classroom_id)
    services.restore(classroom)
    db.session.commit()
    flash(_("Class restored."), "success")
    return _back(classroom)


@bp.route("/classes/<int:classroom_id>/joining", methods=["POST"])
@roles("teacher")
def joining(classroom_id: int):
    classroom = _owned(classroom_id)
    try:
        services.set_joining(classroom, request.form.get("open") == "1")
    except services.ArchivedClass:
        return _read_only(classroom)
    db.session.commit()
    return _back(classroom)


@bp.route("/classes/<int:classroom_id>/students/add", methods=["POST"])
@roles("teacher")
def add_students(classroom_id: int):
    classroom = _owned(classroom_id)
    form = AddStudentsForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.count.errors), "error")
        return _back(classroom, "#students")
    try:
        cards = services.add_students(classroom, form.count.data)
    except services.ArchivedClass:
        return _read_only(classroom)
    except services.ConsentMissing:
        flash(_("Record guardian consent for your school first: this class may have students under 14."), "error")
        return _back(classroom, "#consent")
    db.session.commit()
    return _cards(classroom, cards)


@bp.route("/classes/<int:classroom_id>/cards", methods=["POST"])
@roles("teacher")
def new_cards(classroom_id: int):
    """New PINs for the whole class, printed as login cards (after a confirmation on the class page)."""
    classroom = _owned(classroom_id)
    if request.form.get("confirm") != "yes":
        abort(400)
    try:
        cards = services.reset_pins(classroom, sorted(classroom.students, key=lambda s: s.pseudonym))
    except services.ArchivedClass:
        return _read_only(classroom)
    audit.record(current_user, "reset_pins", f"classroom:{classroom.id}")
    db.session.commit()
    return _cards(classroom, cards)


@bp.route("/classes/<int:classroom_id>/students/<int:student_id>/reset-pin", methods=["GET", "POST"])
@roles("teacher")
def reset_pin(classroom_id: int, student_id: int):
    """A new PIN for one student, after a page that says what a reset does to their private work."""
    classroom = _owned(classroom_id)
    try:
        student = services.owned_student(classroom, student_id)
        if request.method == "GET":
            return render_template("teach/reset_pin.html", classroom=classroom, student=student, today=utcnow())
        cards = services.reset_pins(classroom, [student])
    except services.NotFound:
        abort(404)
    except services.ArchivedClass:
        return _read_only(classroom)
    audit.record(current_user, "reset_pins", f"student:{student_id}")
    db.session.commit()
    return _cards(classroom, cards)


def _cards(classroom, cards):
    """Login cards: shown once, in this response only (PINs are stored hashed)."""
    return render_template("teach/cards.html", classroom=classroom, cards=cards,
                           join_code=format_join_code(classroom.join_code),
                           join_url=url_for("auth.join", _external=True))


@bp.route("/classes/<int:classroom_id>/students/<int:student_id>/remove", methods=["GET", "POST"])
@roles("teacher")
def remove_student(classroom_id: int, student_id: int):
    classroom = _owned(classroom_id)
    try:
        student = services.owned_student(classroom, student_id)
    except services.NotFound:
        abort(404)
    if request.method == "GET":
        return render_template("teach/remove_student.html", classroom=classroom, student=student)
    try:
        services.remove_student(classroom, student)
    except services.ArchivedClass:
        return _read_only(classroom)
    audit.record(current_user, "delete_student", f"student:{student_id}")
    db.session.commit()
    flash(_("The student and all their work were deleted."), "success")
    return _back(classroom, "#students")


# ---- question analysis and export ------------------------------------------------------------------------


@bp.route("/classes/<int:classroom_id>/quiz/<quiz_id>/analysis")
@roles("teacher")
def analysis(classroom_id: int, quiz_id: str):
    classroom = _owned(classroom_id)
    quiz = catalog().quiz(quiz_id, language())
    if quiz is None:
        abort(404)
    rows, responders = question_analysis(classroom, quiz)
    chart = bar_chart_svg([r.stats.facility or 0.0 for r in rows]) if responders else ""
    return render_template("teach/analysis.html", classroom=classroom, quiz=quiz, rows=rows,
                           responders=responders, chart=chart, min_for_d=MIN_FOR_DISCRIMINATION)


@bp.route("/classes/<int:classroom_id>/export.<fmt>")
@roles("teacher")
def export(classroom_id: int, fmt: str):
    classroom = _owned(classroom_id)
    rows = export_rows(classroom, catalog(), language())
    name = f"boundaries-class-{classroom.id}"
    if fmt in ("csv", "json"):
        with writing():
            audit.record(current_user, "export_class", f"classroom:{classroom.id}")
    if fmt == "csv":
        return Response(export_csv(rows), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    if fmt == "json":
        body = json.dumps({"class": classroom.name, "rows": rows}, ensure_ascii=False, indent=2)
        return Response(body, mimetype="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{name}.json"'})
    abort(404)


@bp.route("/classes/<int:classroom_id>/students/<int:student_id>")
@roles("teacher")
def student(classroom_id: int, student_id: int):
    """One student's progress and quiz answers: never their reflections or their anonymous survey answers."""
    classroom = _owned(classroom_id)
    try:
        pupil = services.owned_student(classroom, student_id)
    except services.NotFound:
        abort(404)
    with writing():
        audit.record(current_user, "view_student", f"student:{pupil.id}")
    locale = language()
    grid = progress_grid(classroom, catalog(), locale)
    cells = next((cells for s, cells in grid.rows if s.id == pupil.id), [])
    return render_template("teach/student.html", classroom=classroom, student=pupil,
                           progress=list(zip(grid.columns, cells, strict=False)),
                           attempts=student_quiz_answers(pupil, catalog(), locale))


@bp.route("/school/guardian-consent", methods=["POST"])
@roles("teacher", "admin")
def guardian_consent():
    """The school's record that parents or guardians agreed (needed before under-14s can join)."""
    form = ConsentForm()
    if form.validate_on_submit() and current_user.school is not None:
        services.record_guardian_consent(current_user.school, form.consent_on.data, form.method.data)
        db.session.commit()
        flash(_("Guardian consent recorded for your school."), "success")
    else:
        flash(_("Enter the date and how consent was collected."), "error")
    return redirect(request.form.get("next") if (request.form.get("next") or "").startswith("/teach/")
                    or (request.form.get("next") or "").startswith("/admin/") else url_for("teach.home"))


from edu.teach import outcome_views  # noqa: E402,F401  (registers the outcome routes on bp)
