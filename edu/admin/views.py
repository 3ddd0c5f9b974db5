"""The school admin's pages."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit
from edu.access import own_school_or_404, roles
from edu.admin import services
from edu.admin.audit_labels import describe
from edu.content_service import catalog
from edu.database import writing
from edu.domain import SURVEY_ID
from edu.extensions import db
from edu.family import services as family
from edu.i18n import language
from edu.insights.dp import SCHOOL_TERM_BUDGET
from edu.insights.pages import school_page
from edu.insights.releases import BudgetSpent
from edu.insights.research import K as RESEARCH_K
from edu.insights.research import KeyStore, export_rows, to_csv
from edu.insights.research_tables import anonymous_tables
from edu.insights.research_tables import to_csv as tables_csv
from edu.insights.school_release import release_school
from edu.insights.service import BREAKDOWNS, completion_table
from edu.insights.wording import BAND_NAMES, GROUP_NAMES, scale_names
from edu.safeguarding import services as safeguarding
from edu.teach.outcome_views import budget_message

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/")
@roles("admin")
def home():
    school = current_user.school
    overview = services.school_overview(school) if school else None
    modules = services.class_modules(school) if school else {}
    paused = {c.id: safeguarding.paused_modules(c.id) for c, _n in overview["classrooms"]} if overview else {}
    titles = {m.id: m.title.get(language(), m.id) for m in catalog().modules}
    return render_template("admin/home.html", overview=overview, modules=modules, paused=paused, titles=titles,
                           talk_requests=safeguarding.talk_requests_for(current_user),
                           family=family.school_settings(school) if school else None,
                           family_module=catalog().modules[0].id if catalog().modules else "")


@bp.route("/staff/<int:account_id>/safeguarding-lead", methods=["POST"])
@roles("admin")
def safeguarding_lead(account_id: int):
    try:
        services.set_safeguarding_lead(current_user.school, account_id, request.form.get("lead") == "1")
    except services.NotFound:
        abort(404)
    audit.record(current_user, "safeguarding_lead", f"account:{account_id}")
    db.session.commit()
    return redirect(url_for("school.staff"))


@bp.route("/audit")
@roles("admin")
def audit_log():
    events = audit.events_for_school(current_user.school_id) if current_user.school_id else []
    return render_template("admin/audit.html", lines=describe(events, catalog(), language()))


@bp.route("/insights")
@roles("admin")
def insights():
    """Participation (exact, per class id or age band) and the school's frozen survey releases."""

    school = own_school_or_404()
    breakdown = request.args.get("by", "classroom")
    if breakdown not in BREAKDOWNS:
        abort(404)
    locale = language()
    survey = catalog().survey(SURVEY_ID, locale)
    titles = {m.id: m.title.get(locale, m.id) for m in catalog().modules}
    prompts = {item.id: item.prompt for item in survey.items} if survey else {}
    likert = survey.likert if survey else ()
    return render_template("admin/insights.html", breakdown=breakdown, table=completion_table(school, catalog(),
                           breakdown), titles=titles, page=school_page(school), prompts=prompts,
                           scale_names=scale_names(survey), group_names=GROUP_NAMES, band_names=BAND_NAMES,
                           budget=SCHOOL_TERM_BUDGET, likert=likert, research_k=RESEARCH_K)


@bp.route("/insights/release", methods=["POST"])
@roles("admin")
def release_insights():
    """Release this term's school figures, every breakdown at once, once per term."""

    school = current_user.school
    survey = catalog().survey(SURVEY_ID, language())
    if school is None or survey is None:
        abort(404)
    try:
        release_school(school, survey)
    except BudgetSpent as spent:
        db.session.rollback()
        flash(budget_message(spent.reason), "error")
        return redirect(url_for("admin.insights"))
    audit.record(current_user, "survey_release", f"school:{school.id}")
    db.session.commit()
    flash(_("This term's school figures are released. They will not change."), "success")
    return redirect(url_for("admin.insights"))


@bp.route("/research-export.<fmt>")
@roles("admin")
def research_export(fmt: str):
    """Linked answers as rows, k-anonymous (docs/research-export.md)."""
    if fmt not in ("csv", "json") or current_user.school_id is None:
        abort(404)
    survey = catalog().survey(SURVEY_ID, "en")
    rows = export_rows(current_user.school, survey,
                       KeyStore(Path(current_app.config["EDU_RESEARCH_KEY_FILE"])).key())
    return _export(fmt, rows, to_csv, "boundaries-research")


@bp.route("/research-tables.<fmt>")
@roles("admin")
def research_tables(fmt: str):
    """`identity: none` answers as the noisy tables of the school's releases (docs/research-export.md)."""
    if fmt not in ("csv", "json") or current_user.school_id is None:
        abort(404)
    rows = anonymous_tables(current_user.school_id, catalog().survey(SURVEY_ID, "en"))
    return _export(fmt, rows, tables_csv, "boundaries-research-tables")


def _export(fmt: str, rows: list[dict], csv_of, name: str) -> Response:
    with writing():
        audit.record(current_user, "research_export", f"school:{current_user.school_id}")
    if fmt == "csv":
        return Response(csv_of(rows), mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(json.dumps(rows, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{name}.json"'})
