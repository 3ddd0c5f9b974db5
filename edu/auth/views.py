"""Sign-up, sign-in and sign-out for staff; joining a class and signing in for students."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.local import LocalProxy

from edu.access import HOME_BY_ROLE, public, roles
from edu.auth import services, totp, two_step, welcome
from edu.auth.codes import normalise_join_code, normalise_pseudonym
from edu.auth.forms import (
    ChangePasswordForm,
    ConfirmPasswordForm,
    JoinForm,
    SigninForm,
    SignupForm,
    StudentSigninForm,
    TotpForm,
    TotpSetupForm,
)
from edu.auth.secrets import verify_password
from edu.database import mark_request_read_only
from edu.extensions import db, limiter
from edu.forms_common import forget_csrf_token
from edu.identity import signed_in_user
from edu.learn import rescue
from edu.models import Account

bp = Blueprint("auth", __name__)


def _failed_sign_in(response) -> bool:
    return response.status_code == 401


def _staff_key() -> str:
    return "staff:" + request.form.get("email", "").strip().lower()


def _student_key() -> str:
    code = normalise_join_code(request.form.get("code", ""))
    return f"student:{code}:{normalise_pseudonym(request.form.get('pseudonym', ''))}"


def _class_key() -> str:
    return "class:" + normalise_join_code(request.form.get("code", ""))


def _password_change_key() -> str:
    return f"password-change:{current_user.id}"


def _class_limit() -> str:
    return current_app.config["EDU_SIGNIN_CLASS_LIMIT"]


def _class_limit_message() -> str:
    return _("There were too many wrong sign-ins in this class, so signing in to it is paused for a while to keep "
             "everyone's account safe. Try again later, or ask your teacher for help.")


def _account_limit() -> str:
    return current_app.config["EDU_SIGNIN_ACCOUNT_LIMIT"]


def _ip_limit() -> str:
    return current_app.config["EDU_SIGNIN_IP_LIMIT"]


def _join_limit() -> str:
    return current_app.config["EDU_JOIN_IP_LIMIT"]


def _signup_ip_limit() -> str:
    return current_app.config["EDU_SIGNUP_IP_LIMIT"]


def _signup_email_limit() -> str:
    return current_app.config["EDU_SIGNUP_EMAIL_LIMIT"]


def _signup_email_key() -> str:
    return "signup:" + request.form.get("email", "").strip().lower()


def _signup_answered(response) -> bool:
    """A sign-up counts once the form was accepted (the same answer for a new and a taken address); a form sent
    back with a mistake does not."""
    return response.status_code == 200


def _safe_next(default: str) -> str:
    target = request.args.get("next", "")
    parsed = urlparse(target)
    if target.startswith("/") and not target.startswith("//") and not parsed.netloc:
        return target
    return default


@contextmanager
def _outside_write_lock() -> Iterator[None]:
    """Run slow argon2 work in a read transaction: SQLite's write lock is not held meanwhile, so other writers
    (a whole school signing in at the bell) do not queue behind it. Writes come after the block."""
    db.session.commit()
    mark_request_read_only("GET")
    try:
        yield
        db.session.commit()
    finally:
        mark_request_read_only("POST")


@bp.errorhandler(429)
def _too_many_tries(error):
    """The class-wide limit explains itself; every other limit shows the usual page."""
    limit = getattr(error, "limit", None)
    if limit is not None and limit.error_message:
        return render_template("auth/too_many_tries.html", message=error.description), 429
    return render_template("errors/429.html", error=error), 429


def _start_session(user) -> None:
    """A fresh session on every sign-in; a language chosen before signing in, and quiz answers sent after the
    old session expired (shown again, unsaved, on the quiz page), are kept."""
    if isinstance(user, LocalProxy):  # current_user: Flask-Login must keep the user itself, not the proxy
        user = user._get_current_object()
    chosen_locale = session.get("locale")
    pending_quiz = session.get("pending_quiz") if user.is_student else None
    session.clear()
    forget_csrf_token()  # the welcome page, rendered in this request, carries the new session's token
    if chosen_locale and not user.locale:
        user.locale = chosen_locale
        db.session.commit()
    login_user(user, remember=False)
    session.permanent = True
    now = int(time.time())
    session["seen"] = now  # the idle timeout counts from the sign-in, not from the next request
    session["signed_in_at"] = now  # the session ends EDU_MAX_SESSION_HOURS_* after this, whatever the activity
    if pending_quiz:
        session["pending_quiz"] = pending_quiz
    if not user.is_student:
        _tell_of_signup_attempt(user)


def _tell_of_signup_attempt(account) -> None:
    """Someone tried to sign up with this account's address: say so once, at the owner's next sign-in."""
    day = services.take_signup_notice(account)
    if day is not None:
        db.session.commit()
        flash(_("Someone tried to sign up with your address on %(date)s. Your account was not changed. If it was "
                "not you, you need do nothing.", date=format_date(day, format="long")), "info")


@bp.route("/signup", methods=["GET", "POST"])
@public
@limiter.limit(_signup_email_limit, key_func=_signup_email_key, methods=["POST"], deduct_when=_signup_answered)
@limiter.limit(_signup_ip_limit, methods=["POST"], deduct_when=_signup_answered)
def signup():
    """The same answer whether the address was new or taken (nobody learns which addresses have accounts), and
    nobody is signed in: the new teacher signs in with the password they chose."""
    form = SignupForm()
    if form.validate_on_submit():
        services.sign_up_teacher(form.school_name.data, form.email.data, form.password.data, session.get("locale"))
        db.session.commit()
        return render_template("auth/signup_done.html")
    return render_template("auth/signup.html", form=form), 422 if form.errors else 200


@bp.route("/signin", methods=["GET", "POST"])
@public
@limiter.limit(_account_limit, key_func=_staff_key, methods=["POST"], deduct_when=_failed_sign_in)
@limiter.limit(_ip_limit, methods=["POST"], deduct_when=_failed_sign_in)
def signin():
    form = SigninForm()
    status = 200
    if form.validate_on_submit():
        account = services.authenticate_staff(form.email.data, form.password.data)
        if account is None:
            form.form_errors.append(_("That email and password do not match an account."))
            status = 401
        else:
            db.session.commit()
            return _second_factor_or_home(account, _safe_next(url_for(HOME_BY_ROLE[account.role])))
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
@limiter.limit(_join_limit, methods=["POST"])
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
            _start_session(student)
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
@limiter.limit(_account_limit, key_func=_student_key, methods=["POST"], deduct_when=_failed_sign_in)
@limiter.limit(_class_limit, key_func=_class_key, methods=["POST"], deduct_when=_failed_sign_in,
               error_message=_class_limit_message)
@limiter.limit(_ip_limit, methods=["POST"], deduct_when=_failed_sign_in)
def student_signin():
    form = StudentSigninForm()
    status = 200
    rescued = rescue.carried_text()  # words a rescue page sends along (edu/learn/rescue.py): given back, not lost
    if form.validate_on_submit():
        with _outside_write_lock():  # look up and verify (the PIN hash is slow), then write in a short step
            sign_in = services.authenticate_student(form.code.data, form.pseudonym.data, form.pin.data)
        if sign_in is None or not services.record_student_sign_in(sign_in):
            form.form_errors.append(
                _("The class code, nickname or PIN is not right. Check your login card or ask your teacher.")
            )
            status = 401
        else:
            db.session.commit()
            _start_session(sign_in.student)
            if rescued:
                return rescue.restore_page(*rescued)
            return redirect(_safe_next(url_for("learn.home")))
    elif form.errors:
        status = 422
    if rescued:
        return rescue.signin_page(form, *rescued), status
    return render_template("auth/student_signin.html", form=form), status


# ---- two-factor sign-in (TOTP): optional for teachers and authors, required for admins -----------------------
# A pending sign-in (password accepted, code not yet given) may only answer a code of the secret the account
# already has. Setting up is for a signed-in user (who gives the password again), or for an admin's very first
# enrolment while the account has no secret yet (docs/decisions.md, "Two-step sign-in").


def _second_factor_or_home(account, target: str):
    """After a correct password: ask for the authenticator code, or make an admin set one up first."""
    session.pop("totp_setup_nonce", None)
    if account.totp_secret:
        session["totp_pending"] = {"id": account.id, "v": account.session_version, "next": target}
        return redirect(url_for("auth.verify_totp"))
    if account.role == "admin":
        session["totp_pending"] = {"id": account.id, "v": account.session_version, "next": target, "setup": True}
        return redirect(url_for("auth.setup_totp"))
    _start_session(account)
    return redirect(target)


def _pending_account():

    pending = session.get("totp_pending")
    if not pending:
        return None, None
    account = db.session.get(Account, pending["id"])
    if account is None or account.session_version != pending["v"]:
        session.pop("totp_pending", None)
        return None, None
    return account, pending


def _first_enrolment(account, pending) -> bool:
    """The only setup a pending sign-in may do: an admin's first, while the account has no secret at all."""
    return bool(pending.get("setup")) and account.role == "admin" and not account.totp_secret


def _two_step_key() -> str:
    """Wrong codes and passwords on the two-step pages count per account: the pending one, else the signed-in."""
    pending = session.get("totp_pending") or {}
    if pending.get("id"):
        return f"two-step:a{pending['id']}"
    if current_user.is_authenticated and not current_user.is_student:
        return f"two-step:a{current_user.id}"
    return "two-step:" + request.remote_addr if request.remote_addr else "two-step:none"


def _now() -> float:
    return current_app.config["EDU_CLOCK"]()


def _wrong_code(form) -> None:
    form.code.errors.append(_("That code is not right. Check the time on your phone and try the newest code."))


@bp.route("/signin/code", methods=["GET", "POST"])
@public
@limiter.limit(_account_limit, key_func=_two_step_key, methods=["POST"], deduct_when=_failed_sign_in)
def verify_totp():
    account, pending = _pending_account()
    if account is None or not account.totp_secret:
        return redirect(url_for("auth.signin"))
    form = TotpForm()
    status = 200
    if form.validate_on_submit():
        if two_step.accept_code(account, form.code.data, _now()):
            db.session.commit()
            _start_session(account)
            return redirect(pending["next"])
        _wrong_code(form)
        status = 401
    return render_template("auth/totp_verify.html", form=form), status


@bp.route("/signin/setup-code", methods=["GET", "POST"])
@public
@limiter.limit(_account_limit, key_func=_two_step_key, methods=["POST"], deduct_when=_failed_sign_in)
def setup_totp():
    """Set up an authenticator app: during an admin's first sign-in, or later from the account page."""
    if current_user.is_authenticated and not current_user.is_student:
        account, pending = signed_in_user(), None
    else:
        account, pending = _pending_account()
        if account is None:
            return redirect(url_for("auth.signin"))
        if not _first_enrolment(account, pending):
            return redirect(url_for("auth.verify_totp"))
    nonce = session.get("totp_setup_nonce") or secrets.token_urlsafe(16)
    session["totp_setup_nonce"] = nonce
    secret = totp.setup_secret(current_app.config["SECRET_KEY"], account.id, nonce)
    form = TotpSetupForm()
    if pending is not None:
        del form.current_password  # the password was given a moment ago, and there is no secret to replace
    status = 200
    if form.validate_on_submit():
        if pending is None and not verify_password(account.password_hash, form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
            status = 401
        elif (codes := two_step.enrol(account, secret, form.code.data, _now())) is None:
            _wrong_code(form)
            status = 401
        else:
            session.pop("totp_setup_nonce", None)
            db.session.commit()
            _start_session(account)
            target = pending["next"] if pending is not None else url_for("auth.account_security")
            return render_template("auth/recovery_codes.html", codes=codes, target=target)
    elif form.errors:
        status = 422
    return render_template("auth/totp_setup.html", form=form, secret=secret,
                           uri=totp.provisioning_uri(secret, account.email),
                           required=account.role == "admin", replacing=bool(account.totp_secret)), status


@bp.route("/account/security", methods=["GET", "POST"])
@roles("teacher", "author", "admin")
@limiter.limit(_account_limit, key_func=_two_step_key, methods=["POST"], deduct_when=_failed_sign_in)
def account_security():
    """Turning two-step sign-in off, or making new recovery codes, asks for the current password again."""
    account = signed_in_user()
    form = ConfirmPasswordForm()
    status = 200
    if form.validate_on_submit():
        action = request.form.get("action")
        if action not in ("disable", "recovery-codes") or not account.totp_secret:
            abort(400)
        if action == "disable" and account.role == "admin":
            abort(400)  # required for admins
        if not verify_password(account.password_hash, form.current_password.data):
            form.current_password.errors.append(_("That is not your current password."))
            status = 401
        elif action == "disable":
            two_step.turn_off(account)  # every other device signs in again
            db.session.commit()
            _start_session(account)
            flash(_("Two-step sign-in is off."), "success")
            return redirect(url_for("auth.account_security"))
        else:
            codes = two_step.replace_recovery_codes(account)
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes,
                                   target=url_for("auth.account_security"))
    elif form.errors:
        status = 422
    remaining = two_step.unused_recovery_codes(account) if account.totp_secret else 0
    return render_template("auth/account_security.html", form=form, remaining=remaining), status


@bp.route("/account/password", methods=["GET", "POST"])
@roles("teacher", "author", "admin")
@limiter.limit(_account_limit, key_func=_password_change_key, methods=["POST"], deduct_when=_failed_sign_in)
@limiter.limit(_ip_limit, methods=["POST"], deduct_when=_failed_sign_in)
def change_password():
    """A new password ends every other session; this browser stays signed in."""
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        with _outside_write_lock():  # two argon2 runs
            new_hash = services.new_password_hash(current_user, form.current_password.data, form.new_password.data)
        if new_hash is None:
            form.current_password.errors.append(_("That is not your current password."))
            status = 401
        else:
            services.store_new_password(current_user, new_hash)
            db.session.commit()
            _start_session(current_user)
            flash(_("Your password is changed. You are signed out everywhere else."), "success")
            return redirect(url_for("auth.account_security"))
    elif form.errors:
        status = 422
    return render_template("auth/change_password.html", form=form), status
