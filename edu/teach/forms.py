from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import InputRequired, Length

from edu.forms_common import strip_filter

COUNTRY_CODES = ("KR", "US", "GB", "AU", "CA", "NZ", "IE", "SG", "JP", "ZZ")


def country_choices(locale: str) -> list[tuple[str, str]]:
    from babel import Locale

    names = Locale.parse(locale).territories
    other = str(_l("Another country"))
    return [(code, other if code == "ZZ" else names.get(code, code)) for code in COUNTRY_CODES]


class ClassroomForm(FlaskForm):
    name = StringField(
        _l("Class name"), filters=[strip_filter],
        validators=[InputRequired(_l("Give the class a name, such as 2-3 or Year 9 Blue.")), Length(max=100)],
        description=_l("Use a class or group name, never a student's name."),
    )
    locale = SelectField(_l("Language of the lessons"), choices=[("ko", "한국어"), ("en", "English")])
    age_band = SelectField(
        _l("Age band"),
        choices=[("middle", _l("Middle school")), ("high", _l("High school")), ("university", _l("University"))],
    )
    country = SelectField(
        _l("Country"), choices=[],
        description=_l("Chooses the law lesson and the help lines your students see."),
    )
