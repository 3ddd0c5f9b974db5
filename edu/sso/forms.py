"""Forms for signing in with a school account, linking one, and the admin's provider settings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, PasswordField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from edu.forms_common import EmailAddress, strip_filter
from edu.sso.services import normalise_domains


class SchoolEmailForm(FlaskForm):
    email = StringField(_l("Your school email address"), filters=[strip_filter],
                        description=_l("Only the part after @ is used, to find your school's sign-in service."),
                        validators=[InputRequired(_l("Enter your school email address.")), Length(max=254),
                                    EmailAddress()])


class ProviderChoiceForm(FlaskForm):
    provider = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    email = HiddenField(filters=[strip_filter], validators=[Optional(), Length(max=254)])


class Domains:
    def __call__(self, form, field):
        domains = normalise_domains(field.data or "")
        if not domains or any("." not in d or "/" in d or "@" in d or len(d) > 100 for d in domains):
            raise ValidationError(_l("Enter one or more domains like school.kr, separated by spaces or commas."))


class ProviderForm(FlaskForm):
    name = StringField(_l("Name on the sign-in button"), filters=[strip_filter],
                       description=_l("For example: Hanbit High School Google account"),
                       validators=[InputRequired(_l("Enter a name.")), Length(max=80)])
    issuer = StringField(_l("Issuer URL"), filters=[strip_filter],
                         description=_l("The provider's issuer, exactly: see docs/integrations.md for Google and "
                                        "Microsoft."),
                         validators=[InputRequired(_l("Enter the issuer URL.")), Length(max=300)])
    client_id = StringField(_l("Client ID"), filters=[strip_filter],
                            validators=[InputRequired(_l("Enter the client ID.")), Length(max=300)])
    client_secret = PasswordField(_l("Client secret"),
                                  description=_l("Stored encrypted and never shown again."),
                                  validators=[InputRequired(_l("Enter the client secret.")), Length(max=500)])
    domains = StringField(_l("Allowed email domains"), filters=[strip_filter],
                          description=_l("Only staff whose verified address ends in one of these can sign in."),
                          validators=[InputRequired(_l("Enter at least one domain.")), Length(max=500), Domains()])
