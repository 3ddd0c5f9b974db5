"""Two-step sign-in (TOTP: optional for teachers and authors, required for admins) and the account pages.

A pending sign-in (password accepted, code not yet given) may only answer a code of the secret the account
already has. Setting up is for a signed-in user (who gives the password again), or for an admin's very first
enrolment while the account has no secret yet (docs/decisions.md, "Two-step sign-in").
"""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from edu.access import public, roles
from edu.auth import services, totp, two_step
from edu.auth.forms import ChangePasswordForm, ConfirmPasswordForm, TotpForm, TotpSetupForm
from edu.auth.limits import account_limit, failed_sign_in, ip_limit, password_change_key, two_step_key
from edu.auth.secrets import verify_password
from edu.auth.signing_in import outside_write_lock, start_session
from edu.extensions import db, limiter
from edu.identity import signed_in_user
from edu.models import Account

bp = Blueprint("account", __name__)


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




def _now() -> float:
    return current_app.config["EDU_CLOCK"]()


def _wrong_code(form) -> None:
    form.code.errors.append(_("That code is not right. Check the time on your phone and try the newest code."))


@bp.route("/signin/code", methods=["GET", "POST"])
@public
@limiter.limit(account_limit, key_func=two_step_key, methods=["POST"], deduct_when=failed_sign_in)
def verify_totp():
    account, pending = _pending_account()
    if account is None or not account.totp_secret:
        return redirect(url_for("auth.signin"))
    form = TotpForm()
    status = 200
    if form.validate_on_submit():
        if two_step.accept_code(account, form.code.data, _now()):
            db.session.commit()
            start_session(account)
            return redirect(pending["next"])
        _wrong_code(form)
        status = 401
    return render_template("auth/totp_verify.html", form=form), status


@bp.route("/signin/setup-code", methods=["GET", "POST"])
@public
@limiter.limit(account_limit, key_func=two_step_key, methods=["POST"], deduct_when=failed_sign_in)
def setup_totp():
    """Set up an authenticator app: during an admin's first sign-in, or later from the account page."""
    if current_user.is_authenticated and not current_user.is_student:
        account, pending = signed_in_user(), None
    else:
        account, pending = _pending_account()
        if account is None:
            return redirect(url_for("auth.signin"))
        if not _first_enrolment(account, pending):
            return redirect(url_for("account.verify_totp"))
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
            start_session(account)
            target = pending["next"] if pending is not None else url_for("account.account_security")
            return render_template("auth/recovery_codes.html", codes=codes, target=target)
    elif form.errors:
        status = 422
    return render_template("auth/totp_setup.html", form=form, secret=secret,
                           uri=totp.provisioning_uri(secret, account.email),
                           required=account.role == "admin", replacing=bool(account.totp_secret)), status


@bp.route("/account/security", methods=["GET", "POST"])
@roles("teacher", "author", "admin")
@limiter.limit(account_limit, key_func=two_step_key, methods=["POST"], deduct_when=failed_sign_in)
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
            start_session(account)
            flash(_("Two-step sign-in is off."), "success")
            return redirect(url_for("account.account_security"))
        else:
            codes = two_step.replace_recovery_codes(account)
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes,
                                   target=url_for("account.account_security"))
    elif form.errors:
        status = 422
    remaining = two_step.unused_recovery_codes(account) if account.totp_secret else 0
    return render_template("auth/account_security.html", form=form, remaining=remaining), status


@bp.route("/account/password", methods=["GET", "POST"])
@roles("teacher", "author", "admin")
@limiter.limit(account_limit, key_func=password_change_key, methods=["POST"], deduct_when=failed_sign_in)
@limiter.limit(ip_limit, methods=["POST"], deduct_when=failed_sign_in)
def change_password():
    """A new password ends every other session; this browser stays signed in."""
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        with outside_write_lock():  # two argon2 runs
            new_hash = services.new_password_hash(current_user, form.current_password.data, form.new_password.data)
        if new_hash is None:
            form.current_password.errors.append(_("That is not your current password."))
            status = 401
        else:
            services.store_new_password(current_user, new_hash)
            db.session.commit()
            start_session(current_user)
            flash(_("Your password is changed. You are signed out everywhere else."), "success")
            return redirect(url_for("account.account_security"))
    elif form.errors:
        status = 422
    return render_template("auth/change_password.html", form=form), status
