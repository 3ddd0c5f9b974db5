from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from edu.forms_common import EmailAddress, strip_filter
from edu.school.forms import SchoolSetupForm

PASSWORD_MIN = 8
PASSWORD_MAX = 128
_COMMON = Path(__file__).parent / "data" / "common-passwords.txt"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    lines = _COMMON.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


class NotCommon:
    """Refuses passwords from the bundled list of common passwords (both languages' favourites)."""

    def __call__(self, form, field):
        if field.data and field.data.strip().lower() in common_passwords():
            raise ValidationError(_l("This password is too common and easy to guess. Choose another one."))


def new_password_validators(required_message) -> list:
    """The rules for every new password: sign-up and password change."""
    return [
        InputRequired(required_message),
        Length(min=PASSWORD_MIN, max=PASSWORD_MAX,
               message=_l("Use between %(min)d and %(max)d characters.", min=PASSWORD_MIN, max=PASSWORD_MAX)),
        NotCommon(),
    ]


class TotpForm(FlaskForm):
    code = StringField(
        _l("6-digit code from your authenticator app"), filters=[strip_filter],
        validators=[InputRequired(_l("Enter the code from your authenticator app.")), Length(max=20)],
    )


class ConfirmPasswordForm(FlaskForm):
    """The current password again, before a change to how the account signs in."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password.")), Length(max=PASSWORD_MAX)],
    )


class TotpSetupForm(ConfirmPasswordForm, TotpForm):
    """Setting up an authenticator: the code it shows, and (when signed in) the current password."""


class JoinSchoolForm(FlaskForm):
    """A new staff account in the school whose invitation link this is."""

    email = StringField(
        _l("Email"), filters=[strip_filter],
        validators=[InputRequired(_l("Enter your email address.")), Length(max=254), EmailAddress()],
    )
    password = PasswordField(_l("Password"), validators=new_password_validators(_l("Choose a password.")))


class SignupForm(SchoolSetupForm):
    """A new school, with the person signing up as its admin."""

    email = StringField(
        _l("Email"), filters=[strip_filter],
        validators=[InputRequired(_l("Enter your email address.")), Length(max=254), EmailAddress()],
    )
    password = PasswordField(_l("Password"), validators=new_password_validators(_l("Choose a password.")))


class SigninForm(FlaskForm):
    email = StringField(
        _l("Email"), filters=[strip_filter],
        validators=[InputRequired(_l("Enter your email address.")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"), validators=[InputRequired(_l("Enter your password.")), Length(max=PASSWORD_MAX)]
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password.")), Length(max=PASSWORD_MAX)],
    )
    new_password = PasswordField(
        _l("New password"), description=_l("At least %(min)d characters.", min=PASSWORD_MIN),
        validators=new_password_validators(_l("Choose a new password.")),
    )
    new_password_again = PasswordField(
        _l("New password again"),
        validators=[InputRequired(_l("Type the new password again.")), Length(max=PASSWORD_MAX),
                    EqualTo("new_password", _l("The two new passwords are not the same."))],
    )

    def validate_new_password(self, field):
        if field.data and field.data == self.current_password.data:
            raise ValidationError(_l("Choose a password that is different from your current one."))


class JoinForm(FlaskForm):
    code = StringField(
        _l("Class code"), filters=[strip_filter],
        validators=[InputRequired(_l("Enter the class code your teacher gave you.")), Length(max=20)],
    )


class StudentSigninForm(FlaskForm):
    code = StringField(
        _l("Class code"), filters=[strip_filter],
        validators=[InputRequired(_l("Enter your class code.")), Length(max=20)],
    )
    pseudonym = StringField(
        _l("Your nickname (from your login card)"), filters=[strip_filter],
        validators=[InputRequired(_l("Enter the nickname on your login card.")), Length(max=64)],
    )
    pin = PasswordField(
        _l("PIN"), validators=[InputRequired(_l("Enter your PIN.")), Length(max=12)]
    )
