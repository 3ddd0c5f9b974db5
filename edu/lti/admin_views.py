"""The school admin's LTI page: the values to give the LMS administrator, and the LMS registrations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit
from edu.access import own_school_or_404, roles
from edu.database import writing
from edu.extensions import db
from edu.lti import services
from edu.lti.forms import PlatformForm
from edu.lti.keys import school_key

bp = Blueprint("lti_admin", __name__, url_prefix="/admin/lti")


@bp.route("/", methods=["GET", "POST"])
@roles("admin")
def registrations():
    school = own_school_or_404()
    form = PlatformForm()
    status = 200
    if form.validate_on_submit():
        try:
            platform = services.add_platform(school, form.issuer.data, form.client_id.data, form.deployment_ids.data,
                                             form.auth_login_url.data, form.auth_token_url.data,
                                             form.key_set_url.data)
        except services.InvalidRegistration:
            form.client_id.errors.append(_("This issuer and client ID are registered already."))
            status = 422
        else:
            audit.record(current_user, "lti_platform_add", f"lti-platform:{platform.id}")
            db.session.commit()
            flash(_("LMS registration saved."), "success")
            return redirect(url_for("lti_admin.registrations"))
    elif form.errors:
        status = 422
    with writing():
        key = school_key(school.id)  # made on the first visit: the JWKS has it before the LMS asks
    return render_template("lti/admin.html", form=form, urls=services.tool_urls(school), kid=key.kid,
                           platforms=services.platforms_of(school)), status


@bp.route("/<int:platform_id>/delete", methods=["POST"])
@roles("admin")
def remove(platform_id: int):
    platform = services.school_platform(own_school_or_404(), platform_id)
    if platform is None:
        abort(404)
    db.session.delete(platform)
    audit.record(current_user, "lti_platform_remove", f"lti-platform:{platform_id}")
    db.session.commit()
    flash(_("LMS registration removed. Classes linked through it stay, with their students."), "success")
    return redirect(url_for("lti_admin.registrations"))
