"""The incident playbook's pages, for the school's safeguarding leads and admins only (other teachers and
students get 403). Thin: the work is in edu/safeguarding/incidents.py; every view and change is audited."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from edu.access import roles
from edu.content_service import catalog
from edu.database import writing
from edu.extensions import db
from edu.i18n import language
from edu.safeguarding import incidents
from edu.safeguarding.incident_forms import ROLE_LABELS, LogEntryForm, OpenIncidentForm
from edu.segment_view import SegmentView
from edu.teach.forms import country_choices

bp = Blueprint("incidents", __name__, url_prefix="/safeguarding/incidents")

REASONS = {
    "image": _l("The log never keeps images or attachments (a data: address, an embedded picture or a long "
                "encoded block). Note where it was seen instead: room, user name, link and time."),
    "resident_number": _l("This looks like a resident registration number. Never write one here: keep it in the "
                          "school's own system."),
    "phone": _l("This looks like a phone number. Write roles and online user names only: keep phone numbers in "
                "the school's own system."),
    "name": _l("This looks like a person's real name. Write a role instead (\"person targeted\", \"reporter 1\") "
               "and keep real names in the school's own system."),
    "required": _l("Fill this in."),
    "too_long": _l("This is too long."),
    "invalid": _l("Choose one of the options."),
}
PRINTABLE = ("letter-families", "support-targeted", "support-witnesses", "support-responsible")


@bp.app_context_processor
def _may_use_incidents():
    """``may_use_incidents()`` for the home pages' link to the playbook."""
    return {"may_use_incidents": lambda: current_user.is_authenticated and not current_user.is_student
            and incidents.may_use(current_user)}


def _id(value: str) -> int | None:
    """A class id from a form field: plain digits of a size a database column holds, or None."""
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value or "") else None


def _guard() -> None:
    if not incidents.may_use(current_user):
        abort(403)


def _incident(incident_id: str):
    _guard()
    try:
        return incidents.incident_for(current_user, incident_id)
    except incidents.NotFound:
        abort(404)


def _country() -> str:
    return current_user.school.country


@bp.route("/", methods=["GET", "POST"])
@roles("teacher", "admin")
def index():
    _guard()
    form = OpenIncidentForm()
    if form.validate_on_submit():
        try:
            incident = incidents.open_incident(current_user, form.title.data, form.happened_on.data)
        except incidents.Refused as refused:
            db.session.rollback()
            getattr(form, refused.field).errors.append(REASONS[refused.reason])
        else:
            db.session.commit()
            flash(_("The incident is open. Only the safeguarding leads and the school's admins see it."), "success")
            return redirect(url_for("incidents.show", incident_id=incident.id))
    status = 422 if form.errors else 200
    return render_template("safe/incidents.html", incidents=incidents.incidents_for(current_user),
                           form=form), status


def _page(incident, log_form: LogEntryForm | None = None, status: int = 200):
    locale, current = language(), catalog()
    checklist = current.checklist(_country())
    steps = checklist.steps.get(locale, ()) if checklist else ()
    country = _country()
    legal = {s.key: current.legal_facts(country, s.legal, locale) for s in steps}
    help_ = {s.key: current.help_for(country, locale, keys=s.help) if s.help else [] for s in steps}
    titles = {m.id: m.title.get(locale, m.id) for m in current.modules}
    return render_template(
        "safe/incident.html", incident=incident, steps=steps, legal=legal, help=help_,
        ticks=incidents.ticks_by_step(incident), titles=titles, classes=incidents.school_classes(incident.school_id),
        pauses=incidents.pauses_of(incident), follow_up=checklist.follow_up if checklist else (),
        log_form=log_form or LogEntryForm(formdata=None), role_labels=ROLE_LABELS, printable=PRINTABLE,
        country_name=dict(country_choices(locale)).get(country, country),
    ), status


@bp.route("/<incident_id>")
@roles("teacher", "admin")
def show(incident_id: str):
    incident = _incident(incident_id)
    with writing():  # every opening of an incident is in the school's audit log
        incidents.record_view(current_user, incident)
    return _page(incident)


def _saved(incident_id: str, message: str, section: str = ""):
    """Commit, say what was done, and go back to the incident's page at ``section``."""
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("incidents.show", incident_id=incident_id) + section)


def _refused(incident_id: str, refused: incidents.Refused):
    db.session.rollback()
    flash(REASONS[refused.reason], "error")
    return redirect(url_for("incidents.show", incident_id=incident_id))


@bp.route("/<incident_id>/pause", methods=["POST"])
@roles("teacher", "admin")
def pause(incident_id: str):
    incident = _incident(incident_id)
    scope = request.form.get("scope", "school")
    classroom_ids = (None if scope == "school" else
                     [i for i in map(_id, request.form.getlist("classes")) if i is not None])
    try:
        made = incidents.pause(current_user, incident, request.form.getlist("modules"), classroom_ids,
                               {m.id for m in catalog().modules})
    except incidents.Refused as refused:
        return _refused(incident_id, refused)
    db.session.commit()
    if made:
        flash(ngettext("Paused %(num)d time (one module in one class). Students of that class see a neutral message "
                       "and the help services.", "Paused %(num)d times (each module in each class). Students of those "
                       "classes see a neutral message and the help services.", made), "success")
    else:
        flash(_("Those modules were already paused for those classes."), "success")
    return redirect(url_for("incidents.show", incident_id=incident.id) + "#pause")


@bp.route("/<incident_id>/resume", methods=["POST"])
@roles("teacher", "admin")
def resume(incident_id: str):
    incident = _incident(incident_id)
    pairs = []
    for value in request.form.getlist("pause"):
        classroom, _sep, module_id = value.partition(":")
        if _id(classroom) is not None and module_id:
            pairs.append((_id(classroom), module_id))
    done = incidents.resume(current_user, incident, pairs)
    return _saved(incident.id, _("Resumed: %(num)d.", num=done), "#pause")


@bp.route("/<incident_id>/tick", methods=["POST"])
@roles("teacher", "admin")
def tick(incident_id: str):
    incident = _incident(incident_id)
    checklist = catalog().checklist(_country())
    keys = {s.key for s in checklist.steps.get("en", ())} if checklist else set()
    try:
        incidents.tick(current_user, incident, request.form.get("step", ""), keys)
    except incidents.Refused as refused:
        return _refused(incident_id, refused)
    return _saved(incident.id, _("The step is marked done."), "#checklist")


@bp.route("/<incident_id>/log", methods=["POST"])
@roles("teacher", "admin")
def log(incident_id: str):
    incident = _incident(incident_id)
    form = LogEntryForm()
    if form.validate_on_submit():
        fields = {name: str(getattr(form, name).data or "") for name in ("role", *incidents.FIELD_MAX)}
        fields["role_number"] = str(form.role_number.data or "")
        try:
            incidents.add_entry(current_user, incident, fields)
        except incidents.Refused as refused:
            db.session.rollback()
            getattr(form, refused.field).errors.append(REASONS[refused.reason])
        else:
            return _saved(incident.id, _("The entry is added to the evidence log."), "#log")
    return _page(incident, form, 422)


@bp.route("/<incident_id>/follow-up", methods=["POST"])
@roles("teacher", "admin")
def follow_up(incident_id: str):
    incident = _incident(incident_id)
    checklist = catalog().checklist(_country())
    try:
        classroom = incidents.assign_follow_up(
            current_user, incident, _id(request.form.get("classroom", "")) or 0,
            request.form.get("module", ""), checklist.follow_up if checklist else ())
    except incidents.Refused as refused:
        return _refused(incident_id, refused)
    return _saved(incident.id, _("The follow-up module is assigned to the class %(name)s. Its teacher can set the "
                                 "dates.", name=classroom.name), "#follow-up")


@bp.route("/<incident_id>/close", methods=["POST"])
@roles("teacher", "admin")
def close(incident_id: str):
    incident = _incident(incident_id)
    incidents.close(current_user, incident)
    return _saved(incident.id, _("The incident is closed and its pauses are resumed. It is deleted after your "
                                 "school's retention period (%(days)d days).", days=current_user.school.retention_days))


@bp.route("/<incident_id>/print/<doc_slug>")
@roles("teacher", "admin")
def print_template(incident_id: str, doc_slug: str):
    """A letter or a support plan to print (A4), in the language asked for: a template, never filled in here."""
    incident = _incident(incident_id)
    locale = request.args.get("locale", language())
    document = catalog().playbook(doc_slug, locale if locale in ("ko", "en") else language())
    if doc_slug not in PRINTABLE or document is None or document.status != "published":
        abort(404)
    with writing():
        incidents.record_view(current_user, incident, doc_slug)
    view = SegmentView(catalog=catalog(), locale=document.locale, country=_country())
    return render_template("safe/incident_print.html", incident=incident, document=document, view=view)
