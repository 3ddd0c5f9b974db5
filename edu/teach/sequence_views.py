"""The class's "this year's sequence" page: the sequence's years for the class's band, what is already assigned,
and one form that assigns a whole year (then back to the assignments section with a summary)."""

from __future__ import annotations

from flask import flash, render_template
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from edu.access import roles
from edu.content_service import catalog
from edu.extensions import db
from edu.i18n import language
from edu.models import utcnow
from edu.teach import services
from edu.teach.blueprint import back, bp, owned, read_only
from edu.teach.forms import SequenceForm
from edu.teach.labels import module_title
from edu.teach.sequence_assign import assign_year, years_for


def _form(classroom, years) -> SequenceForm:
    form = SequenceForm()
    form.year.choices = [(y.year, _("Year %(num)d", num=y.year)) for y in years]
    if form.start_on.data is None and not form.is_submitted():
        form.start_on.data = services.local_day(utcnow(), classroom.school.timezone)
    return form


def _page(classroom, years, form, status: int = 200):
    assigned = {a.target_id for a in services.assignments(classroom) if a.kind == "module"}
    return render_template("teach/sequence.html", classroom=classroom, section="assignments", years=years,
                           form=form, assigned=assigned, locale=language()), status


@bp.route("/classes/<int:classroom_id>/sequence")
@roles("teacher")
def sequence(classroom_id: int):
    classroom = owned(classroom_id)
    years = years_for(classroom)
    return _page(classroom, years, _form(classroom, years))


@bp.route("/classes/<int:classroom_id>/sequence", methods=["POST"])
@roles("teacher")
def assign_sequence(classroom_id: int):
    classroom = owned(classroom_id)
    if classroom.archived_at is not None:
        return read_only(classroom)
    years = years_for(classroom)
    form = _form(classroom, years)
    if not years or not form.validate_on_submit():
        return _page(classroom, years, form, 422)
    result = assign_year(classroom, current_user, form.year.data, form.start_on.data, form.spacing.data)
    db.session.commit()
    locale = language()
    titles = ", ".join(module_title(catalog(), item.module_id, locale) for item in result.assigned)
    if result.assigned:
        flash(ngettext("Year %(year)d of the sequence: %(num)d module assigned (%(titles)s).",
                       "Year %(year)d of the sequence: %(num)d modules assigned (%(titles)s).",
                       len(result.assigned), year=result.year, titles=titles), "success")
    else:
        flash(_("Year %(year)d of the sequence: nothing new to assign.", year=result.year), "success")
    if result.skipped:
        skipped = ", ".join(module_title(catalog(), module_id, locale) for module_id in result.skipped)
        flash(ngettext("%(num)d module was already assigned and keeps its dates (%(titles)s).",
                       "%(num)d modules were already assigned and keep their dates (%(titles)s).",
                       len(result.skipped), titles=skipped), "success")
    return back(classroom, "assignments")
