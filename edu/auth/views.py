"""Sign-up, sign-in and sign-out for staff; joining a class and signing in for students."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from edu.access import HOME_BY_ROLE, public, roles
from edu.auth import services, welcome
from edu.auth.forms import JoinForm, SigninForm, SignupForm, StudentSigninForm
from edu.auth.limits import (
    account_limit,
    class_key,
    class_limit,
    class_limit_message,
    failed_sign_in,
    ip_limit,
    join_limit,
    signup_answered,
    signup_email_key,
    signup_email_limit,
    signup_ip_limit,
    staff_key,
    student_key,
)
from edu.auth.signin_page import render_signin_page
from edu.auth.signing_in import outside_write_lock, safe_next, second_factor_or_home, start_session
from edu.extensions import db, limiter
from edu.i18n import language
from edu.identity import signed_in_user
from edu.learn import rescue
from edu.school.services import sign_up_admin
from edu.sso import services as sso
from edu.sso.wording import sso_required_message

bp = Blueprint("auth", __name__)


@bp.errorhandler(429)
def _too_many_tries(error):
    """The class-wide limit explains itself; every other limit shows the usual page."""
    limit = getattr(error, "limit", None)
    if limit is not None and limit.error_message:
        return render_template("auth/too_many_tries.html", message=error.description), 429
    return render_template("errors/429.html", error=error), 429


@bp.route("/signup", methods=["GET", "POST"])
@public
@limiter.limit(signup_email_limit, key_func=signup_email_key, methods=["POST"], deduct_when=signup_answered)
@limiter.limit(signup_ip_limit, methods=["POST"], deduct_when=signup_answered)
def signup():
    """A new school with the person signing up as its admin (colleagues join it by the admin's invitation link:
    edu/school/views.py). The same answer whether the address was new or taken (nobody learns which addresses have
    accounts), and nobody is signed in: the new admin signs in with the password they chose."""
    form = SignupForm()
    form.fill_choices(language())
    if request.method == "GET":
        form.country.data, form.timezone.data = "KR", "Asia/Seoul"
        form.languages.data, form.retention_days.data = ["ko", "en"], 90
    if form.validate_on_submit():
        sign_up_admin(form.setup(), form.email.data, form.password.data, session.get("locale"))
        db.session.commit()
        return render_template("auth/signup_done.html")
    return render_template("auth/signup.html", form=form), 422 if form.errors else 200


@bp.route("/signin", methods=["GET", "POST"])
@public
@limiter.limit(account_limit, key_func=staff_key, methods=["POST"], deduct_when=failed_sign_in)
@limiter.limit(ip_limit, methods=["POST"], deduct_when=failed_sign_in)
def signin():
    form = SigninForm()
    status = 200
    if form.validate_on_submit():
        account = services.authenticate_staff(form.email.data, form.password.data)
        if account is None:
            form.form_errors.append(_("That email and password do not match an account."))
            status = 401
        elif sso.password_refused(account):
            form.form_errors.append(sso_required_message())
            status = 403
        else:
            db.session.commit()
            target = safe_next(url_for(HOME_BY_ROLE[account.role]))
            if sso.must_link(account):  # the school requires its accounts: link one first
                target = url_for("sso.account_links")
            return second_factor_or_home(account, target)
    elif form.errors:
        status = 422
    return render_template("auth/signin.html", form=form), status


@bp.route("/signout", methods=["POST"])
@public
def signout():
    if current_user.is_authenticated:
        services.end_all_sessions(signed_in_user())
        db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("public.index"))


@bp.route("/join", methods=["GET", "POST"])
@public
@limiter.limit(join_limit, methods=["POST"])
def join():
    form = JoinForm(code=request.args.get("code", ""))
    status = 200
    if form.validate_on_submit():
        try:
            student, pin = services.join_class(form.code.data)
        except services.JoinRefused as refusal:
            message = {
                "unknown": _("We could not find a class taking new students with that code. Check the code with "
                             "your teacher."),
                "consent": _("This class is not open yet: your school still has to record permission from "
                             "parents or guardians. Ask your teacher."),
            }[refusal.reason]
            form.code.errors.append(message)
            status = 422
        else:
            db.session.commit()
            start_session(student)
            # Shown in this response only (and again by its language switch): never stored in a readable form.
            return welcome.welcome_page(student, pin)
    elif form.errors:
        status = 422
    return render_template("auth/join.html", form=form), status


@bp.route("/join/welcome", methods=["POST"])
@roles("student")
def join_welcome():
    """The welcome page's language switch: the same page, PIN included, in the chosen language."""
    page = welcome.welcome_again(signed_in_user(), request.form.get("pin", "")[:12], request.form.get("locale", ""))
    return page if page is not None else redirect(url_for("learn.home"))


@bp.route("/student/signin", methods=["GET", "POST"])
@public
@limiter.limit(account_limit, key_func=student_key, methods=["POST"], deduct_when=failed_sign_in)
@limiter.limit(class_limit, key_func=class_key, methods=["POST"], deduct_when=failed_sign_in,
               error_message=class_limit_message)
@limiter.limit(ip_limit, methods=["POST"], deduct_when=failed_sign_in)
def student_signin():
    form = StudentSigninForm(code=request.args.get("code", "")[:20] or None)  # a live lesson's QR code fills it in
    status = 200
    rescued = rescue.carried_text()  # words a rescue page sends along (edu/learn/rescue.py): given back, not lost
    if form.validate_on_submit():
        with outside_write_lock(keep_loaded=True):  # look up and verify (an argon2 PIN hash is slow), then write
            sign_in = services.authenticate_student(form.code.data, form.pseudonym.data, form.pin.data)
        if sign_in is None or not services.record_student_sign_in(sign_in):
            form.form_errors.append(
                _("The class code, nickname or PIN is not right. Check your login card or ask your teacher.")
            )
            status = 401
        else:
            start_session(sign_in.student)  # before the commit, which would expire the student Flask-Login reads
            db.session.commit()
            if rescued:
                return rescue.restore_page(*rescued)
            return redirect(safe_next(url_for("learn.home")))
    elif form.errors:
        status = 422
    if rescued:
        return rescue.signin_page(form, *rescued), status
    return render_signin_page(lambda: render_template("auth/student_signin.html", form=form)), status


# ---- two-factor sign-in (TOTP): optional for teachers and authors, required for admins -----------------------
