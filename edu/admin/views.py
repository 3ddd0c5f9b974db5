"""The school admin's pages."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user

from edu import audit
from edu.access import roles
from edu.admin import services
from edu.content_service import catalog
from edu.extensions import db
from edu.safeguarding import services as safeguarding

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@roles("admin")
def home():
    school = current_user.school
    overview = services.school_overview(school) if school else None
    modules = services.class_modules(school) if school else {}
    paused = {c.id: safeguarding.paused_modules(c.id) for c, _n in overview["classrooms"]} if overview else {}
    titles = {m.id: m.title.get(str(get_locale()), m.id) for m in catalog().modules}
    return render_template("admin/home.html", overview=overview, modules=modules, paused=paused, titles=titles,
                           talk_requests=safeguarding.talk_requests_for(current_user))


@bp.route("/staff/<int:account_id>/safeguarding-lead", methods=["POST"])
@roles("admin")
def safeguarding_lead(account_id: int):
    try:
        services.set_safeguarding_lead(current_user.school, account_id, request.form.get("lead") == "1")
    except services.NotFound:
        abort(404)
    audit.record(current_user, "safeguarding_lead", f"account:{account_id}")
    db.session.commit()
    return redirect(url_for("admin.home"))


@bp.route("/audit")
@roles("admin")
def audit_log():
    events = audit.events_for_school(current_user.school_id) if current_user.school_id else []
    return render_template("admin/audit.html", events=events)
