"""The scope and sequence page: each age band's years, their modules and lessons, and the class time they make.

For signed-in staff (teachers, admins, authors), in the interface language, for a Korean or an international
class (the law lessons differ); it prints on A4 (the print layout of the other documents)."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user

from edu.access import roles
from edu.author.views import bp
from edu.content.catalog import country_file
from edu.content.model import AGE_BANDS
from edu.content.sequence import plan_band
from edu.content_service import catalog
from edu.domain import REGIONS
from edu.i18n import language


def _region() -> str:
    """The country asked for, else the school's (KR or INTL), else Korea."""
    asked = request.args.get("country", "")
    if asked in REGIONS:
        return asked
    school = getattr(current_user, "school", None)
    return country_file(school.country) if school is not None else "KR"


@bp.route("/sequence")
@roles("teacher", "admin", "author")
def sequence():
    current = catalog()
    locale, region = language(), _region()
    band = request.args.get("band", "")
    bands = (band,) if band in AGE_BANDS else AGE_BANDS
    plans = {b: plan_band(current, current.sequence, b, locale, region) for b in bands}
    listed = {b: {m.module.id for year in years for m in year.modules} for b, years in plans.items()}
    others = {b: [m for m in current.modules if m.id not in listed[b]
                  and any(b in lesson.age_bands for lesson in current.lessons_for(m.id, locale, region=region))]
              for b in bands}
    return render_template("author/sequence.html", plans=plans, others=others, region=region, band=band,
                           locale=locale, sequence=current.sequence)
