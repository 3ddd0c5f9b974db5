"""Safeguarding cases for the class teacher, the school's safeguarding leads and admins; the school's
escalation setting for admins. Every opening of a case and every move is audited (edu/safeguarding/cases.py)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit
from edu.access import own_school_or_404, roles
from edu.content_service import catalog
from edu.database import writing
from edu.extensions import db
from edu.i18n import language
from edu.safeguarding import cases

bp = Blueprint("cases", __name__)


@bp.app_context_processor
def _open_case_count():
    """``open_case_count()`` for the home pages' banner (templates/macros/cases.html): the signed-in staff
    member's open cases."""
    return {"open_case_count": lambda: cases.open_case_count(current_user)}


@bp.route("/safeguarding/cases")
@roles("teacher", "admin")
def index():
    include_closed = request.args.get("all") == "1"
    return render_template("safe/cases.html", cases=cases.cases_for(current_user, include_closed),
                           include_closed=include_closed, overdue=cases.overdue)


@bp.route("/safeguarding/cases/<case_id>")
@roles("teacher", "admin")
def show(case_id: str):
    try:
        case = cases.case_for(current_user, case_id)
    except cases.NotFound:
        abort(404)
    with writing():  # every opening of a case is in the school's audit log
        audit.record(current_user, "view_case", f"case:{case.id}", case.classroom.school_id)
    country, locale = case.classroom.country, language()
    return render_template(
        "safe/case.html", case=case, overdue=cases.overdue(case), states=cases.STATES,
        reads_text=cases.reads_text(current_user),
        legal=catalog().legal_facts(country, cases.legal_keys(country), locale),
        help=catalog().help_for(country, locale), country=country)


@bp.route("/safeguarding/cases/<case_id>/state", methods=["POST"])
@roles("teacher", "admin")
def move(case_id: str):
    try:
        cases.move(current_user, case_id, request.form.get("state", ""))
    except cases.NotFound:
        abort(404)
    except cases.InvalidMove:
        abort(400)
    db.session.commit()
    flash(_("The case is updated."), "success")
    return redirect(url_for("cases.show", case_id=case_id))


@bp.route("/admin/safeguarding", methods=["POST"])
@roles("admin")
def settings():
    school = own_school_or_404()
    try:
        cases.set_escalation_hours(school, int(request.form.get("hours", "")))
    except (ValueError, cases.InvalidMove):
        flash(_("Choose a whole number of hours from 1 to 168."), "error")
        return redirect(url_for("admin.home") + "#safeguarding")
    audit.record(current_user, "safeguarding_settings", f"school:{school.id}")
    db.session.commit()
    flash(_("The safeguarding reminder time is saved."), "success")
    return redirect(url_for("admin.home") + "#safeguarding")
