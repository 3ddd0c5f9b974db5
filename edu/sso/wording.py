"""What a person is told when a school sign-in or a link is refused."""

from __future__ import annotations

from flask_babel import gettext as _


def refusal(reason: str) -> str:
    messages = {
        "state": _("This sign-in has expired or was already used. Start again."),
        "domain": _("Your school does not accept sign-in with this account's email address. Use the account your "
                    "school gave you, or sign in with your email and password."),
        "unverified": _("Your school's sign-in service did not confirm this email address, so it cannot be used. "
                        "Ask your school admin."),
        "unlinked": _("This school account is not linked to a Boundaries account. Sign in once with your email "
                      "and password, then link it on your Sign-in security page. Accounts are never created "
                      "this way."),
        "taken": _("This school account is already linked to another Boundaries account."),
        "account": _("Linking was started by another account. Sign in as yourself and start again."),
        "token": _("Your school's sign-in service did not confirm who you are. Try again; if it keeps happening, "
                   "tell your school admin."),
        "provider": _("We could not reach your school's sign-in service. Try again in a moment, or sign in with "
                      "your email and password."),
        "cancelled": _("Signing in with your school account was cancelled."),
        "secret": _("Your school's sign-in settings need to be entered again. Tell your school admin."),
    }
    return messages.get(reason, messages["token"])


def sso_required_message() -> str:
    return _("Your school asks staff to sign in with the school account. Choose \"Sign in with your school "
             "account\" below.")
