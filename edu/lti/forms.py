from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from edu.forms_common import strip_filter
from edu.teach.forms import ClassroomForm

LOOPBACK = {"localhost", "127.0.0.1", "::1"}


def platform_address(_form, field) -> None:
    """An https address (http only on this machine's own loopback, for a test platform)."""
    parts = urlsplit(field.data or "")
    if not parts.hostname or not (parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)):
        raise ValidationError(_l("Enter the full https:// address your LMS administrator gave you."))


def _address(label):
    return StringField(label, filters=[strip_filter], validators=[InputRequired(), Length(max=500), platform_address])


class PlatformForm(FlaskForm):
    issuer = StringField(_l("Platform issuer"), filters=[strip_filter],
                         validators=[InputRequired(), Length(max=255), platform_address],
                         description=_l("For Canvas Cloud: https://canvas.instructure.com. For Moodle: the site's address."))
    client_id = StringField(_l("Client ID"), filters=[strip_filter], validators=[InputRequired(), Length(max=255)])
    deployment_ids = TextAreaField(_l("Deployment IDs"), filters=[strip_filter],
                                   validators=[InputRequired(), Length(max=2000)],
                                   description=_l("One a line."))
    auth_login_url = _address(_l("Platform authentication request URL"))
    auth_token_url = _address(_l("Platform access token URL"))
    key_set_url = _address(_l("Platform public keyset (JWKS) URL"))


class LinkClassForm(FlaskForm):
    classroom = SelectField(_l("Your class"), coerce=int, choices=[])


class NewClassForm(ClassroomForm):
    pass


class PickForm(FlaskForm):
    module = SelectField(_l("Module"), choices=[])
