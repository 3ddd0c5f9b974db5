"""One assignment's page (dates, which students, extensions) and the list of students who are behind, with
printable reminder slips."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from edu.access import roles
from edu.auth.codes import format_join_code
from edu.content_service import catalog
from edu.extensions import db
from edu.i18n import language
from edu.models import utcnow
from edu.teach import assigning, services
from edu.teach.blueprint import bp, owned, read_only
from edu.teach.forms import DatesForm, ExtensionForm
from edu.teach.labels import assignment_title
from edu.teach.progress import progress_grid


def _assignment(classroom, assignment_id: int):
    try:
        return services.owned_assignment(classroom, assignment_id)
    except services.NotFound:
        abort(404)


def _to_page(classroom, assignment):
    return redirect(url_for("teach.edit_assignment", classroom_id=classroom.id, assignment_id=assignment.id))


def _dates_form(classroom, assignment) -> DatesForm:
    timezone = classroom.school.timezone
    return DatesForm(data={"opens_on": services.local_day(assignment.opens_at, timezone),
                           "due_on": services.local_day(assignment.due_at, timezone)})


def _extension_form(classroom, assignment) -> ExtensionForm:
    form = ExtensionForm(prefix="extend")
    form.student.choices = [(s.id, s.pseudonym) for s in sorted(classroom.students, key=lambda s: s.pseudonym)]
    return form


@bp.route("/classes/<int:classroom_id>/assignments/<int:assignment_id>", methods=["GET", "POST"])
@roles("teacher")
def edit_assignment(classroom_id: int, assignment_id: int):
    """Change the open and due dates (in the school's time zone)."""
    classroom = owned(classroom_id)
    assignment = _assignment(classroom, assignment_id)
    form = _dates_form(classroom, assignment)
    if request.method == "POST" and form.validate_on_submit():
        try:
            assigning.set_dates(classroom, assignment.id, form.opens_on.data, form.due_on.data)
        except services.ArchivedClass:
            return read_only(classroom)
        db.session.commit()
        flash(_("Dates saved."), "success")
        return _to_page(classroom, assignment)
    return _page(classroom, assignment, form, _extension_form(classroom, assignment), 422 if form.errors else 200)


def _page(classroom, assignment, dates_form, extension_form, status: int = 200):
    return render_template(
        "teach/assignment.html", classroom=classroom, section="assignments", assignment=assignment,
        title=assignment_title(assignment, catalog(), language()), dates_form=dates_form,
        extension_form=extension_form, chosen=assigning.chosen_students(assignment),
        extensions=assigning.extensions(assignment),
        students=sorted(classroom.students, key=lambda s: s.pseudonym),
    ), status


@bp.route("/classes/<int:classroom_id>/assignments/<int:assignment_id>/students", methods=["POST"])
@roles("teacher")
def assignment_students(classroom_id: int, assignment_id: int):
    """Give the assignment to some students only (no box ticked: the whole class)."""
    classroom = owned(classroom_id)
    assignment = _assignment(classroom, assignment_id)
    everyone = request.form.get("everyone") == "1"
    try:
        ids = [] if everyone else [int(v) for v in request.form.getlist("student") if v.isdigit()]
        assigning.set_students(classroom, assignment.id, ids)
    except services.NotFound:
        abort(404)
    except services.ArchivedClass:
        return read_only(classroom)
    db.session.commit()
    flash(_("Saved who this is assigned to."), "success")
    return _to_page(classroom, assignment)


@bp.route("/classes/<int:classroom_id>/assignments/<int:assignment_id>/extensions", methods=["POST"])
@roles("teacher")
def extend(classroom_id: int, assignment_id: int):
    """A later due date for one student, or (with `remove`) back to the class's date."""
    classroom = owned(classroom_id)
    assignment = _assignment(classroom, assignment_id)
    form = _extension_form(classroom, assignment)
    removing = request.form.get("remove", "")
    if not removing and not form.validate_on_submit():
        return _page(classroom, assignment, _dates_form(classroom, assignment), form, 422)
    try:
        if removing:
            assigning.extend(classroom, assignment.id, int(removing) if removing.isdigit() else -1, None)
        else:
            assigning.extend(classroom, assignment.id, form.student.data, form.due_on.data)
    except services.NotFound:
        abort(404)
    except services.ArchivedClass:
        return read_only(classroom)
    db.session.commit()
    flash(_("Extension removed.") if removing else _("Extension saved."), "success")
    return _to_page(classroom, assignment)


@bp.route("/classes/<int:classroom_id>/assignments/behind")
@roles("teacher")
def overdue(classroom_id: int):
    """Students who have not started a module or are past their due date."""
    classroom = owned(classroom_id)
    return render_template("teach/behind.html", classroom=classroom, section="assignments",
                           behind=assigning.behind(progress_grid(classroom, catalog(), language())))


@bp.route("/classes/<int:classroom_id>/assignments/reminders")
@roles("teacher")
def reminders(classroom_id: int):
    """Reminder slips to print and hand out: nickname, module and due date; never a PIN or a real name."""
    classroom = owned(classroom_id)
    return render_template("teach/reminders.html", classroom=classroom, now=utcnow(),
                           behind=assigning.behind(progress_grid(classroom, catalog(), language())),
                           join_code=format_join_code(classroom.join_code))
