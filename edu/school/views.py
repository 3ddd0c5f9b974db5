"""The school admin's pages for the school itself: settings, staff and invitations. And the invitation link."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu import audit
from edu.access import own_school_or_404, public, roles
from edu.auth.forms import JoinSchoolForm
from edu.auth.limits import signup_answered, signup_email_key, signup_email_limit, signup_ip_limit
from edu.extensions import db, limiter
from edu.forms_common import id_from_form
from edu.i18n import language
from edu.models import School
from edu.school import invitations, services
from edu.school.forms import InviteForm, RemoveForm, RoleForm, SchoolSettingsForm
from edu.school.rules import parse_languages, term_starts

bp = Blueprint("school", __name__)

REFUSALS = {
    "self": lambda: _("You cannot change or remove your own account here: ask another admin of your school."),
    "sole_teacher": lambda: _("This teacher is the only teacher of a class. Add another teacher to it (in the "
                              "class's settings) or remove this account and choose who takes the classes."),
    "successor": lambda: _("Choose a teacher of your school to take this person's classes."),
    "role": lambda: _("Choose a role."),
}


@bp.route("/admin/settings", methods=["GET", "POST"])
@roles("admin")
def settings():
    school = own_school_or_404()
    form = SchoolSettingsForm()
    form.fill_choices(language())
    if request.method == "GET":
        form.school_name.data, form.country.data, form.timezone.data = school.name, school.country, school.timezone
        form.languages.data = parse_languages(school.languages)
        form.retention_days.data = school.retention_days
        form.guardian_consent_required.data = school.guardian_consent_required
        form.guardian_consent_on.data = school.guardian_consent_on
        form.guardian_consent_method.data = school.guardian_consent_method or ""
        form.own_terms.data = school.term_starts is not None
        first, second = term_starts(school.term_starts, school.country)
        form.first_term.data, form.second_term.data = str(first), str(second)
        form.public_url.data = school.public_url or ""
    if form.validate_on_submit():
        services.update_settings(school, form.setup(), form.policies())
        audit.record(current_user, "school_settings", f"school:{school.id}")
        db.session.commit()
        flash(_("School settings saved."), "success")
        return redirect(url_for("school.settings"))
    return render_template("school/settings.html", form=form, school=school), 422 if form.errors else 200


def _staff_page(new_link: str | None = None, status: int = 200):
    school = own_school_or_404()
    staff = services.staff_of(school)
    return render_template(
        "school/staff.html", school=school, staff=staff, invite_form=InviteForm(), role_form=RoleForm(),
        remove_form=RemoveForm(), teachers=[a for a in staff if a.role == "teacher"],
        taught={a.id: services.classes_taught(a) for a in staff}, invitations=invitations.open_invitations(school),
        new_link=new_link, days=invitations.INVITE_DAYS,
    ), status


@bp.route("/admin/staff")
@roles("admin")
def staff():
    return _staff_page()


@bp.route("/admin/staff/invite", methods=["POST"])
@roles("admin")
def invite():
    """Shows the new link in this response only: its secret is not stored, so it cannot be shown again."""
    own_school_or_404()
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Choose a role."), "error")
        return redirect(url_for("school.staff"))
    key = invitations.invite(current_user, form.role.data)
    db.session.commit()
    return _staff_page(new_link=url_for("school.join", invite_key=key, _external=True))


@bp.route("/admin/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@roles("admin")
def withdraw(invitation_id: int):
    try:
        invitations.withdraw(current_user, invitation_id)
    except invitations.NotFound:
        abort(404)
    db.session.commit()
    flash(_("Invitation withdrawn: the link no longer works."), "success")
    return redirect(url_for("school.staff"))


@bp.route("/admin/staff/<int:account_id>/role", methods=["POST"])
@roles("admin")
def change_role(account_id: int):
    form = RoleForm()
    try:
        if not form.validate_on_submit():
            raise services.Refused("role")
        account = services.change_role(current_user, account_id, form.role.data)
    except services.NotFound:
        abort(404)
    except services.Refused as refusal:
        db.session.rollback()
        flash(REFUSALS[refusal.reason](), "error")
        return redirect(url_for("school.staff"))
    db.session.commit()
    flash(_("%(email)s's role is changed. They sign in again to use it.", email=account.email), "success")
    return redirect(url_for("school.staff"))


@bp.route("/admin/staff/<int:account_id>/remove", methods=["POST"])
@roles("admin")
def remove(account_id: int):
    form = RemoveForm()
    successor = form.successor.data
    try:
        if not form.validate_on_submit():
            raise services.Refused("successor")
        moved = services.remove_staff(current_user, account_id,
                                      id_from_form(successor))
    except services.NotFound:
        abort(404)
    except services.Refused as refusal:
        db.session.rollback()
        flash(REFUSALS[refusal.reason](), "error")
        return redirect(url_for("school.staff"))
    db.session.commit()
    flash(_("Removed from your school: that account can no longer sign in. Classes moved: %(count)d.",
            count=len(moved)), "success")
    return redirect(url_for("school.staff"))


@bp.route("/invite/<invite_key>", methods=["GET", "POST"])
@public
@limiter.limit(signup_email_limit, key_func=signup_email_key, methods=["POST"], deduct_when=signup_answered)
@limiter.limit(signup_ip_limit, methods=["POST"], deduct_when=signup_answered)
def join(invite_key: str):
    """Join a school by its admin's invitation link. Answers as sign-up does: the same page whether the address
    was new or taken, nobody signed in."""
    invitation = invitations.usable(invite_key)
    if invitation is None:
        return render_template("school/invitation_gone.html"), 410
    form = JoinSchoolForm()
    if form.validate_on_submit():
        if invitations.accept(invite_key, form.email.data, form.password.data, session.get("locale")) is None:
            db.session.rollback()
            return render_template("school/invitation_gone.html"), 410
        db.session.commit()
        return render_template("auth/signup_done.html")
    school = db.session.get(School, invitation.school_id)
    return render_template("school/join.html", form=form, school=school, role=invitation.role), \
        422 if form.errors else 200
