"""The class's students section: adding students, login cards, PIN resets and the page that keeps new PINs.

Every action that makes PINs follows post/redirect/get: it stores the PINs as a short-lived sheet
(edu/teach/pin_sheets.py) and redirects to that sheet's page, so a reload or a language switch shows the same
cards and never adds students or changes PINs again.
"""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit
from edu.access import roles
from edu.auth.codes import format_join_code
from edu.auth.services import needs_guardian_consent
from edu.database import writing
from edu.extensions import db
from edu.models import utcnow
from edu.teach import pin_sheets, services
from edu.teach.blueprint import back, bp, owned, read_only
from edu.teach.forms import AddStudentsForm, ConsentForm
from edu.teach.joining import closes_at, joining_is_open


@bp.route("/classes/<int:classroom_id>/students")
@roles("teacher")
def students(classroom_id: int):
    return students_page(owned(classroom_id))


def students_page(classroom, import_errors: list[str] | None = None, status: int = 200):
    """The students section; ``import_errors`` are a refused class list's problems, shown beside its form."""
    return render_template(
        "teach/students.html", classroom=classroom, section="students",
        join_code=format_join_code(classroom.join_code), add_form=AddStudentsForm(count=30), today=utcnow(),
        joining_open=joining_is_open(classroom, utcnow()), joining_closes=closes_at(classroom),
        needs_consent=needs_guardian_consent(classroom), consent_form=ConsentForm(),
        import_errors=import_errors or [], import_id=secrets.token_urlsafe(16),
    ), status


def _to_sheet(classroom, cards):
    token = pin_sheets.keep(classroom, current_user, cards)
    db.session.commit()
    return redirect(url_for("teach.pin_sheet", classroom_id=classroom.id, sheet_key=token))


@bp.route("/classes/<int:classroom_id>/students/add", methods=["POST"])
@roles("teacher")
def add_students(classroom_id: int):
    classroom = owned(classroom_id)
    form = AddStudentsForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.count.errors), "error")
        return back(classroom, "students")
    try:
        cards = services.add_students(classroom, form.count.data)
    except services.ArchivedClass:
        return read_only(classroom)
    except services.ConsentMissing:
        flash(_("Record guardian consent for your school first: this class may have students under 14."), "error")
        return back(classroom, "students")
    return _to_sheet(classroom, cards)


@bp.route("/classes/<int:classroom_id>/cards", methods=["POST"])
@roles("teacher")
def new_cards(classroom_id: int):
    """New PINs for the whole class, printed as login cards (after a confirmation on the students section)."""
    classroom = owned(classroom_id)
    if request.form.get("confirm") != "yes":
        abort(400)
    try:
        cards = services.reset_pins(classroom, sorted(classroom.students, key=lambda s: s.pseudonym))
    except services.ArchivedClass:
        return read_only(classroom)
    audit.record(current_user, "reset_pins", f"classroom:{classroom.id}")
    return _to_sheet(classroom, cards)


@bp.route("/classes/<int:classroom_id>/students/<int:student_id>/reset-pin", methods=["GET", "POST"])
@roles("teacher")
def reset_pin(classroom_id: int, student_id: int):
    """A new PIN for one student, after a page that says what a reset does to their private work."""
    classroom = owned(classroom_id)
    try:
        student = services.owned_student(classroom, student_id)
        if request.method == "GET":
            return render_template("teach/reset_pin.html", classroom=classroom, student=student, today=utcnow())
        cards = services.reset_pins(classroom, [student])
    except services.NotFound:
        abort(404)
    except services.ArchivedClass:
        return read_only(classroom)
    audit.record(current_user, "reset_pins", f"student:{student_id}")
    return _to_sheet(classroom, cards)


@bp.route("/classes/<int:classroom_id>/pins/<sheet_key>")
@roles("teacher")
def pin_sheet(classroom_id: int, sheet_key: str):
    """Login cards with one-time PINs, viewable for 10 minutes (PINs are stored hashed on the students)."""
    classroom = owned(classroom_id)
    sheet = pin_sheets.read(classroom, current_user, sheet_key)
    if sheet is None:
        with writing():
            pin_sheets.purge_expired()
        return render_template("teach/pins_gone.html", classroom=classroom,
                               minutes=int(pin_sheets.KEEP_FOR.total_seconds() // 60)), 410
    return render_template("teach/cards.html", classroom=classroom, cards=sheet.cards, expires_at=sheet.expires_at,
                           join_code=format_join_code(classroom.join_code),
                           join_url=url_for("auth.join", _external=True))


@bp.route("/classes/<int:classroom_id>/students/<int:student_id>/remove", methods=["GET", "POST"])
@roles("teacher")
def remove_student(classroom_id: int, student_id: int):
    classroom = owned(classroom_id)
    try:
        student = services.owned_student(classroom, student_id)
    except services.NotFound:
        abort(404)
    if request.method == "GET":
        return render_template("teach/remove_student.html", classroom=classroom, student=student)
    try:
        services.remove_student(classroom, student)
    except services.ArchivedClass:
        return read_only(classroom)
    audit.record(current_user, "delete_student", f"student:{student_id}")
    db.session.commit()
    flash(_("The student and all their work were deleted."), "success")
    return back(classroom, "students")
