"""The class settings section's teachers: add a colleague of the school as a co-teacher, or take one off."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu.access import roles
from edu.extensions import db
from edu.forms_common import id_from_form
from edu.teach import co_teachers
from edu.teach.blueprint import back, bp, owned


def _account_id() -> int | None:
    return id_from_form(request.form.get("account"))


@bp.route("/classes/<int:classroom_id>/teachers", methods=["POST"])
@roles("teacher")
def add_co_teacher(classroom_id: int):
    classroom = owned(classroom_id)
    try:
        account = co_teachers.add(current_user, classroom, _account_id() or 0)
    except co_teachers.Refused:
        flash(_("Choose a teacher of your school."), "error")
        return back(classroom, "settings")
    db.session.commit()
    flash(_("%(email)s teaches this class too now, with the same rights as you.", email=account.email), "success")
    return back(classroom, "settings")


@bp.route("/classes/<int:classroom_id>/teachers/remove", methods=["POST"])
@roles("teacher")
def remove_co_teacher(classroom_id: int):
    classroom = owned(classroom_id)
    account_id = _account_id() or 0
    try:
        co_teachers.remove(current_user, classroom, account_id)
    except co_teachers.Refused as refusal:
        flash(_("A class always keeps at least one teacher.") if refusal.reason == "last"
              else _("That person does not teach this class."), "error")
        return back(classroom, "settings")
    db.session.commit()
    if account_id == current_user.id:
        flash(_("You no longer teach this class."), "success")
        return redirect(url_for("teach.home"))
    flash(_("Removed from this class's teachers."), "success")
    return back(classroom, "settings")
