"""The school's forms: how it is set up (at sign-up, and by its admin later), its policies, its staff."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from edu.forms_common import strip_filter
from edu.school.rules import LANGUAGES, RETENTION_MAX, RETENTION_MIN, check_public_url, timezones
from edu.school.services import Policies, SchoolSetup
from edu.teach.forms import country_choices

LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}
MONTHS = tuple(range(1, 13))


class SchoolSetupForm(FlaskForm):
    """Name, country, time zone, languages and retention: at sign-up, and on the admin's settings page."""

    school_name = StringField(
        _l("Name of your school"), filters=[strip_filter],
        validators=[InputRequired(_l("Enter the name of your school.")), Length(max=200)],
    )
    country = SelectField(_l("Country"))
    timezone = SelectField(_l("Time zone"), description=_l("Dates and due dates are shown in this time zone."))
    languages = SelectMultipleField(
        _l("Languages your classes are taught in"), choices=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        validators=[InputRequired(_l("Choose at least one language."))],
    )
    retention_days = IntegerField(
        _l("Days an archived class is kept before it is deleted"),
        validators=[InputRequired(_l("Enter a number of days.")),
                    NumberRange(RETENTION_MIN, RETENTION_MAX, _l("Enter a number from %(min)d to %(max)d.",
                                                                 min=RETENTION_MIN, max=RETENTION_MAX))],
    )

    def fill_choices(self, locale: str) -> None:
        self.country.choices = country_choices(locale)
        self.timezone.choices = [(zone, zone.replace("_", " ")) for zone in timezones()]

    def setup(self) -> SchoolSetup:
        return SchoolSetup(self.school_name.data, self.country.data, self.timezone.data, tuple(self.languages.data),
                           self.retention_days.data)


def month_choices(locale: str) -> list[tuple[str, str]]:
    from babel.dates import get_month_names

    names = get_month_names("wide", locale=locale)
    return [(str(month), names[month]) for month in MONTHS]


class SchoolSettingsForm(SchoolSetupForm):
    guardian_consent_required = BooleanField(
        _l("Middle-school classes open only once guardian consent is recorded (students under 14)"),
    )
    guardian_consent_on = DateField(_l("Guardian consent collected on"), validators=[Optional()])
    guardian_consent_method = StringField(
        _l("How consent was collected"), filters=[strip_filter], validators=[Length(max=200)],
        description=_l("For example: paper forms sent home, the school's online form."),
    )
    own_terms = BooleanField(_l("Our terms start in other months than the country's usual ones"))
    first_term = SelectField(_l("First term starts in"), default="3")
    second_term = SelectField(_l("Second term starts in"), default="9")
    public_url = StringField(
        _l("The address students' phones open the app at"), filters=[strip_filter],
        validators=[Length(max=200)],
        description=_l("Shown with a QR code during live lessons. Leave it empty to use the address set by whoever "
                       "runs the app."),
    )

    def fill_choices(self, locale: str) -> None:
        super().fill_choices(locale)
        self.first_term.choices = self.second_term.choices = month_choices(locale)

    def validate_guardian_consent_method(self, field):
        if bool(field.data) != bool(self.guardian_consent_on.data):
            raise ValidationError(_l("Enter both the date and how consent was collected, or neither."))

    def validate_second_term(self, field):
        first, second = self.first_term.data or "", field.data or ""
        if self.own_terms.data and first.isdigit() and second.isdigit() and int(second) <= int(first):
            raise ValidationError(_l("The second term starts later in the year than the first."))

    def validate_public_url(self, field):
        if not field.data:
            return
        try:
            field.data = check_public_url(field.data, current_app.config.get("EDU_ENV") == "production")
        except ValueError as error:
            raise ValidationError({
                "https": _l("Use an address that starts with https://."),
                "loopback": _l("Phones cannot reach this address (it means the computer itself). Use the address "
                               "students' phones open."),
            }.get(str(error), _l("Enter an address like https://boundaries.school.kr."))) from error

    def policies(self) -> Policies:
        terms = (int(self.first_term.data), int(self.second_term.data)) if self.own_terms.data else None
        return Policies(bool(self.guardian_consent_required.data), self.guardian_consent_on.data,
                        self.guardian_consent_method.data or "", terms, self.public_url.data or None)


class InviteForm(FlaskForm):
    role = SelectField(_l("Invite as"), choices=[("teacher", _l("Teacher")), ("admin", _l("School admin"))])


class RoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[("teacher", _l("Teacher")), ("admin", _l("School admin"))])


class RemoveForm(FlaskForm):
    successor = SelectField(_l("Their classes go to"), validate_choice=False)
