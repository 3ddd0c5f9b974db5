"""Staff sign-in with the school's account (OpenID Connect), and linking one to a Boundaries account.

Signing in never creates an account: the person the provider names must already be linked, by (issuer,
subject), from a password sign-in. After the provider, the usual next step follows: an account with two-step
sign-in (every admin) still gives its code (edu/auth/signing_in.py, `second_factor_or_home`)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from edu.access import HOME_BY_ROLE, public, roles
from edu.auth.forms import ConfirmPasswordForm
from edu.auth.limits import account_limit, failed_sign_in, ip_limit, two_step_key
from edu.auth.secrets import verify_password
from edu.auth.signing_in import outside_write_lock, safe_next, second_factor_or_home
from edu.database import writing
from edu.extensions import db, limiter
from edu.identity import signed_in_user
from edu.models import OidcProvider
from edu.sso import client, sending, services
from edu.sso.forms import ProviderChoiceForm, SchoolEmailForm
from edu.sso.sealing import unseal
from edu.sso.wording import refusal

bp = Blueprint("sso", __name__)


def refused(response) -> bool:
    return response.status_code >= 400


def _refusal_page(reason: str, status: int):
    return render_template("sso/refused.html", message=refusal(reason)), status


def _now() -> float:
    return current_app.config["EDU_CLOCK"]()


@bp.route("/signin/school", methods=["GET", "POST"])
@public
@limiter.limit(ip_limit, methods=["POST"], deduct_when=refused)
def start():
    """The staff member's school email address finds the providers that accept its domain (any school's: the
    answer depends on the domain only, never on whether an account exists)."""
    form = SchoolEmailForm()
    status = 200
    if form.validate_on_submit():
        email = form.email.data
        with outside_write_lock():  # the provider's discovery document is fetched without the write lock
            providers = services.providers_for_email(email)
            if len(providers) == 1:
                try:
                    metadata = client.discover(providers[0].issuer)
                except client.ProviderError:
                    return _refusal_page("provider", 502)
        if not providers:
            form.email.errors.append(_("No school sign-in is set up for addresses at this domain. Sign in with "
                                       "your email and password."))
            return render_template("sso/start.html", form=form), 404
        if len(providers) > 1:
            return render_template("sso/choose.html", providers=providers, email=email,
                                   form=ProviderChoiceForm(email=email))
        return sending.to_provider(providers[0], metadata, "signin", next_url=safe_next(""), login_hint=email)
    elif form.errors:
        status = 422
    return render_template("sso/start.html", form=form), status


@bp.route("/signin/school/choose", methods=["POST"])
@public
@limiter.limit(ip_limit, methods=["POST"], deduct_when=refused)
def choose():
    """One of several providers for the same domain (schools of one district sharing a domain)."""
    form = ProviderChoiceForm()
    if not form.validate_on_submit():
        return redirect(url_for("sso.start"))
    email = form.email.data or ""
    with outside_write_lock():
        provider = db.session.get(OidcProvider, form.provider.data)
        if provider is None or (email and provider not in services.providers_for_email(email)):
            return redirect(url_for("sso.start"))
        try:
            metadata = client.discover(provider.issuer)
        except client.ProviderError:
            return _refusal_page("provider", 502)
    return sending.to_provider(provider, metadata, "signin", login_hint=email or None)


@bp.route("/signin/school/return")
@public
@limiter.limit(ip_limit, deduct_when=refused)
def back():
    """Where the provider sends the browser back: check the state (this browser's, once), trade the code for the
    ID token at the token endpoint, check the token, then sign in or link."""
    state = request.args.get("state", "")[:200]
    if not state:
        return redirect(url_for("sso.start"))
    own_browser = sending.state_of_this_browser(state)
    try:
        with writing():
            flow = services.take_flow(state)
    except services.Refused:
        return _refusal_page("state", 401)
    if not own_browser:
        return _refusal_page("state", 401)
    if request.args.get("error") or not request.args.get("code"):
        return _refusal_page("cancelled", 401)
    provider = flow.provider
    secret = unseal(provider.client_secret_sealed)
    if secret is None:
        return _refusal_page("secret", 502)
    try:
        metadata = client.discover(provider.issuer)
        identity = client.exchange_code(metadata, provider.client_id, secret, sending.redirect_uri(provider.school),
                                        request.args["code"][:2000], flow.code_verifier, flow.nonce, _now())
    except client.ProviderError:
        current_app.logger.warning("school sign-in: provider %s unreachable", provider.id)
        return _refusal_page("provider", 502)
    except client.TokenRefused as error:
        current_app.logger.warning("school sign-in: provider %s token refused: %s", provider.id, error)
        return _refusal_page("token", 401)
    if flow.purpose == "link":
        return _finish_link(flow, provider, identity)
    try:
        with writing():
            account = services.linked_account(provider, identity)
            target = flow.next_url or url_for(HOME_BY_ROLE[account.role])
            return second_factor_or_home(account, target)
    except services.Refused as refusal_:
        return _refusal_page(refusal_.reason, 401)


def _finish_link(flow, provider, identity):
    user = signed_in_user()
    if not user.is_authenticated or user.is_student or user.id != flow.account_id:
        return _refusal_page("account", 401)
    try:
        with writing():
            services.link(user, provider, identity)
    except services.Refused as refusal_:
        return _refusal_page(refusal_.reason, 401)
    flash(_("Your school account is linked. Next time, choose \"Sign in with your school account\"."), "success")
    return redirect(url_for("sso.account_links"))


@bp.route("/account/school-sign-in", methods=["GET", "POST"])
@roles("teacher", "author", "admin")
@limiter.limit(account_limit, key_func=two_step_key, methods=["POST"], deduct_when=failed_sign_in)
def account_links():
    """Link (or unlink) a school account: the current password first, then the provider."""
    account = signed_in_user()
    providers = services.providers_of(account.school_id) if account.school_id else []
    form = ConfirmPasswordForm()
    status = 200
    if form.validate_on_submit():
        action, _sep, provider_id = request.form.get("action", "").partition(":")
        try:
            if action not in ("link", "unlink") or not provider_id.isdecimal() or len(provider_id) > 9:
                raise services.NotFound(provider_id)
            provider = services.provider_of_school(account.school_id, int(provider_id))
        except services.NotFound:
            return render_template("sso/account.html", form=form, providers=providers,
                                   linked=services.linked_provider_ids(account)), 404
        with outside_write_lock():  # argon2, then the provider's discovery document
            password_ok = verify_password(account.password_hash, form.current_password.data)
            metadata = None
            if password_ok and action == "link":
                try:
                    metadata = client.discover(provider.issuer)
                except client.ProviderError:
                    return _refusal_page("provider", 502)
        if not password_ok:
            form.current_password.errors.append(_("That is not your current password."))
            status = 401
        elif action == "link":
            return sending.to_provider(provider, metadata, "link", account)
        elif action == "unlink" and account.school.sso_required and account.role == "teacher":
            form.form_errors.append(_("Your school requires signing in with the school account. Ask your school "
                                      "admin to change the link."))
            status = 409
        else:  # unlink
            services.unlink(account, provider)
            db.session.commit()
            flash(_("Your school account is no longer linked. Sign in with your email and password."), "success")
            return redirect(url_for("sso.account_links"))
    elif form.errors:
        status = 422
    return render_template("sso/account.html", form=form, providers=providers,
                           linked=services.linked_provider_ids(account)), status
