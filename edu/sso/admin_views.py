"""The school admin's settings for signing in with the school's accounts: providers and whether teachers must use
them. A client secret goes in once and is never shown again."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu.access import roles
from edu.auth.signing_in import outside_write_lock
from edu.extensions import db
from edu.sso import client, sending, services
from edu.sso.forms import ProviderForm

bp = Blueprint("sso_admin", __name__, url_prefix="/admin/sign-in")


def _page(form: ProviderForm, status: int = 200):
    school = current_user.school
    return render_template("sso/admin.html", form=form, providers=services.providers_of(school.id),
                           counts=services.linked_counts(school.id), school=school,
                           redirect_uri=sending.redirect_uri(school), scope=client.SCOPE), status


def _issuer_error(form: ProviderForm) -> str | None:
    try:
        problem = client.issuer_url_problem(form.issuer.data, current_app.config["EDU_ENV"] == "production")
    except ValueError:
        problem = "https"
    if problem is not None:
        return _("Enter the issuer as an https:// address without ? or #, for example https://accounts.google.com.")
    client.forget(form.issuer.data)  # a changed provider is read afresh
    with outside_write_lock():  # the request to the provider is made without holding the write lock
        try:
            client.discover(form.issuer.data)
        except client.ProviderError:
            return _("No OpenID Connect provider answered at this issuer (its /.well-known/openid-configuration "
                     "must name exactly this issuer). Check the address.")
    return None


@bp.route("/", methods=["GET", "POST"])
@roles("admin")
def settings():
    if current_user.school is None:
        abort(404)
    form = ProviderForm()
    if form.validate_on_submit():
        error = _issuer_error(form)
        if error is not None:
            form.issuer.errors.append(error)
            return _page(form, 422)
        try:
            services.add_provider(current_user, form.name.data, form.issuer.data, form.client_id.data,
                                  form.client_secret.data, services.normalise_domains(form.domains.data))
        except services.Refused:
            form.issuer.errors.append(_("This issuer is already set up for your school."))
            return _page(form, 422)
        db.session.commit()
        flash(_("The provider is saved. Staff can now link their school accounts."), "success")
        return redirect(url_for("sso_admin.settings"))
    return _page(form, 422 if form.errors else 200)


@bp.route("/<int:provider_id>/remove", methods=["POST"])
@roles("admin")
def remove(provider_id: int):
    try:
        provider = services.provider_of_school(current_user.school_id, provider_id)
    except services.NotFound:
        abort(404)
    services.remove_provider(current_user, provider)
    db.session.commit()
    flash(_("The provider is removed, with every staff account's link to it."), "success")
    return redirect(url_for("sso_admin.settings"))


@bp.route("/required", methods=["POST"])
@roles("admin")
def required():
    if current_user.school is None:
        abort(404)
    on = request.form.get("required") == "1"
    services.set_required(current_user, on)
    db.session.commit()
    flash(_("Teachers with a linked school account now sign in only with it.") if on
          else _("Teachers may sign in with their password again."), "success")
    return redirect(url_for("sso_admin.settings"))
