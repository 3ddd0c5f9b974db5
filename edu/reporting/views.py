"""The school admin's participation figures for a term, their CSV, and the one-page school report to print."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from edu import audit
from edu.access import own_school_or_404, roles
from edu.content_service import catalog
from edu.database import writing
from edu.domain import SURVEY_ID
from edu.i18n import language
from edu.insights import releases
from edu.insights.school_release import ALL, school_figures
from edu.insights.wording import GROUP_NAMES, scale_names
from edu.reporting import export, services

bp = Blueprint("reporting", __name__, url_prefix="/admin")


def _school_and_term():
    school = own_school_or_404()
    return school, services.term_by_key(school, request.args.get("term"))


def _context(school, term) -> dict:
    locale = language()
    return {"figures": services.participation(school, catalog(), term), "terms": services.terms_of(school),
            "term": term, "titles": {m.id: m.title.get(locale, m.id) for m in catalog().modules},
            "band_names": GROUP_NAMES, "method_names": export.METHOD_NAMES, "hours": services.hours,
            "term_label": export.term_label(term)}


@bp.route("/participation")
@roles("admin")
def participation():
    """Exact participation per class and module and for the school, for one term (a record, not a survey)."""
    school, term = _school_and_term()
    return render_template("reporting/participation.html", **_context(school, term))


@bp.route("/participation.csv")
@roles("admin")
def participation_csv():
    school, term = _school_and_term()
    body = export.to_csv(services.participation(school, catalog(), term), catalog(), language())
    with writing():
        audit.record(current_user, "participation_export", f"school:{school.id}")
    return Response(body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="boundaries-participation-{term.key}.csv"'})


@bp.route("/report")
@roles("admin")
def school_report():
    """One page to print: modules taught, hours per band, participation, the school's released survey figures
    of the term (frozen, differentially private; nothing new is computed) and what to teach again."""
    school, term = _school_and_term()
    release = releases.find(releases.school_scope(school.id), term.key)
    groups = school_figures(release) if release else []
    whole = next((g for g in groups if g.group == ALL), None)
    survey = catalog().survey(SURVEY_ID, language())
    prompts = {item.id: item.prompt for item in survey.items} if survey else {}
    return render_template("reporting/report.html", release=release, whole=whole, prompts=prompts,
                           scale_names=scale_names(survey), **_context(school, term))
