"""The teacher's classroom pages."""

from __future__ import annotations

import json

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit
from edu.access import roles
from edu.auth.codes import format_join_code
from edu.auth.services import needs_guardian_consent
from edu.content_service import catalog
from edu.database import writing
from edu.extensions import db
from edu.i18n import language
from edu.insights.item_analysis import MIN_FOR_DISCRIMINATION
from edu.models import utcnow
from edu.safeguarding import services as safeguarding
from edu.teach import assigning, co_teachers, services
from edu.teach.blueprint import back, bp, owned, read_only
from edu.teach.dashboard import teacher_day
from edu.teach.forms import (
    ClassroomForm,
    ConsentForm,
    SettingsForm,
    band_names,
    country_choices,
    offered_languages,
)
from edu.teach.joining import joining_is_open
from edu.teach.labels import assignment_title
from edu.teach.progress import progress_grid
from edu.teach.progress_view import grid_view
from edu.teach.reports import (
    analysis_chart,
    export_csv,
    export_rows,
    question_analysis,
    state_labels,
    student_quiz_answers,
)


@bp.route("/")
@roles("teacher")
def home():
    """The teacher's dashboard across their classes."""
    days, due = teacher_day(current_user, catalog(), language(), utcnow())
    return render_template(
        "teach/home.html", days=days, due=due,
        archived=services.classes_of(current_user, archived=True),
        talk_requests=safeguarding.talk_requests_for(current_user),
    )


@bp.route("/classes/new", methods=["GET", "POST"])
@roles("teacher")
def new_class():
    form = ClassroomForm()
    form.country.choices = country_choices(language())
    form.locale.choices = offered_languages(current_user.school, form.locale.choices)
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


@bp.route("/classes/<int:classroom_id>")
@roles("teacher")
def classroom(classroom_id: int):
    """The class overview: what is where, with the numbers that say which section needs a look."""
    classroom = owned(classroom_id)
    locale = language()
    grid = progress_grid(classroom, catalog(), locale)
    upcoming = services.next_due(classroom, utcnow())
    next_due = (assignment_title(upcoming, catalog(), locale), upcoming.due_at) if upcoming else None
    return render_template(
        "teach/classroom.html", classroom=classroom, section="overview",
        join_code=format_join_code(classroom.join_code), joining_open=joining_is_open(classroom, utcnow()),
        needs_consent=needs_guardian_consent(classroom), live_poll=safeguarding.current_poll(classroom),
        new_questions=safeguarding.new_question_count(classroom), modules_done=grid.modules,
        assignment_count=len(classroom.assignments), next_due=next_due,
        behind_count=len({row.student.id for row in assigning.behind(grid)}), band_names=band_names(),
        country_name=dict(country_choices(locale)).get(classroom.country),
    )


@bp.route("/classes/<int:classroom_id>/progress")
@roles("teacher")
def progress(classroom_id: int):
    classroom = owned(classroom_id)
    grid = progress_grid(classroom, catalog(), language())
    view = grid_view(grid, request.args.get("sort", ""), request.args.get("show", ""), request.args.get("module", ""))
    return render_template("teach/progress.html", classroom=classroom, grid=view, section="progress",
                           labels=state_labels(), all_modules=grid.modules)


# ---- settings, archive, roster ---------------------------------------------------------------------------


@bp.route("/classes/<int:classroom_id>/settings", methods=["GET", "POST"])
@roles("teacher")
def settings(classroom_id: int):
    classroom = owned(classroom_id)
    form = SettingsForm(obj=classroom)
    form.country.choices = country_choices(language())
    form.locale.choices = offered_languages(classroom.school, form.locale.choices, keep=classroom.locale)
    if form.validate_on_submit():
        try:
            services.update_settings(classroom, form.name.data, form.locale.data, form.age_band.data,
                                     form.country.data, form.quiz_policy.data, form.quiz_review.data)
        except services.ArchivedClass:
            return read_only(classroom)
        db.session.commit()
        flash(_("Class settings saved."), "success")
        return back(classroom)
    status = 422 if form.errors else 200
    return render_template("teach/settings.html", classroom=classroom, form=form, section="settings",
                           candidates=co_teachers.candidates(classroom)), status


@bp.route("/classes/<int:classroom_id>/archive", methods=["POST"])
@roles("teacher")
def archive(classroom_id: int):
    classroom = owned(classroom_id)
    services.archive(classroom)
    audit.record(current_user, "archive_class", f"classroom:{classroom.id}")
    db.session.commit()
    flash(_("Class archived. It is read-only now and will be deleted after %(days)d days unless you restore it.",
            days=classroom.school.retention_days), "success")
    return back(classroom)


@bp.route("/classes/<int:classroom_id>/restore", methods=["POST"])
@roles("teacher")
def restore(classroom_id: int):
    classroom = owned(classroom_id)
    services.restore(classroom)
    db.session.commit()
    flash(_("Class restored."), "success")
    return back(classroom)


@bp.route("/classes/<int:classroom_id>/joining", methods=["POST"])
@roles("teacher")
def joining(classroom_id: int):
    classroom = owned(classroom_id)
    try:
        services.set_joining(classroom, request.form.get("open") == "1")
    except services.ArchivedClass:
        return read_only(classroom)
    db.session.commit()
    return back(classroom)


# ---- question analysis and export ------------------------------------------------------------------------


@bp.route("/classes/<int:classroom_id>/quiz/<quiz_id>/analysis")
@roles("teacher")
def analysis(classroom_id: int, quiz_id: str):
    classroom = owned(classroom_id)
    quiz = catalog().quiz(quiz_id, language())
    if quiz is None:
        abort(404)
    rows, responders = question_analysis(classroom, quiz)
    return render_template("teach/analysis.html", classroom=classroom, quiz=quiz, rows=rows, section="assignments",
                           responders=responders, chart=analysis_chart(rows) if responders else "",
                           min_for_d=MIN_FOR_DISCRIMINATION)


@bp.route("/classes/<int:classroom_id>/export.<fmt>")
@roles("teacher")
def export(classroom_id: int, fmt: str):
    classroom = owned(classroom_id)
    rows = export_rows(classroom, catalog(), language())
    name = f"boundaries-class-{classroom.id}"
    if fmt in ("csv", "json"):
        with writing():
            audit.record(current_user, "export_class", f"classroom:{classroom.id}")
    if fmt == "csv":
        return Response(export_csv(rows, catalog(), language()), mimetype="text/csv; charset=utf-8",
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
    classroom = owned(classroom_id)
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


# The other class sections register their routes on the same blueprint.
from edu.teach import (  # noqa: E402,F401
    assignment_edit_views,
    assignment_views,
    co_teacher_views,
    outcome_views,
    roster_import_views,
    roster_views,
    sequence_views,
)
