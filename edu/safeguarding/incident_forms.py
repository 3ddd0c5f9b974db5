"""Forms of the incident playbook: opening an incident and one evidence-log line. The rule on what they may hold
(no images, no real names, numbers) is the service's (edu/safeguarding/incidents.py); the view shows its refusal
on the field it concerns."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from edu.forms_common import strip_filter
from edu.safeguarding.incidents import FIELD_MAX, TITLE_MAX

ROLE_LABELS = {
    "targeted": _l("Person targeted"),
    "reporter": _l("Reporter"),
    "witness": _l("Witness"),
    "responsible": _l("Student who did it"),
    "staff": _l("Staff member"),
}


class OpenIncidentForm(FlaskForm):
    title = StringField(
        _l("Short title, without names"), filters=[strip_filter],
        description=_l("For example \"Deepfake in a year 2 group chat\". Never a name, class list or phone number."),
        validators=[DataRequired(_l("Write a short title.")),
                    Length(max=TITLE_MAX, message=_l("Keep it under %(max)d characters.", max=TITLE_MAX))])
    happened_on = DateField(_l("When it came to light"), validators=[InputRequired(_l("Choose the date."))])


class LogEntryForm(FlaskForm):
    role = SelectField(_l("Who (a role, never a name)"), choices=list(ROLE_LABELS.items()),
                       validators=[InputRequired()])
    role_number = IntegerField(_l("Number (optional, e.g. 1 for \"reporter 1\")"),
                               validators=[Optional(), NumberRange(1, 99, message=_l("Use a number from 1 to 99."))])
    room = StringField(_l("Room or chat name"), filters=[strip_filter],
                       validators=[Length(max=FIELD_MAX["room"])])
    handles = StringField(_l("User names (online handles)"), filters=[strip_filter],
                          validators=[Length(max=FIELD_MAX["handles"])])
    links = TextAreaField(_l("Links (addresses only, never an image)"), filters=[strip_filter],
                          validators=[Length(max=FIELD_MAX["links"])])
    seen_at = StringField(_l("When (date and time)"), filters=[strip_filter],
                          validators=[Length(max=FIELD_MAX["seen_at"])])
    action = TextAreaField(_l("What was done"), filters=[strip_filter],
                           validators=[Length(max=FIELD_MAX["action"])])
