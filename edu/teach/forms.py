from __future__ import annotations

from babel import Locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from edu.forms_common import strip_filter

COUNTRY_CODES = ("KR", "US", "GB", "AU", "CA", "NZ", "IE", "SG", "JP", "ZZ")


def country_choices(locale: str) -> list[tuple[str, str]]:

    names = Locale.parse(locale).territories
    other = str(_l("Another country"))
    return [(code, other if code == "ZZ" else names.get(code, code)) for code in COUNTRY_CODES]


def offered_languages(school, choices, keep: str | None = None) -> list:
    """The class languages the school offers (its admin's setting), plus the class's own if it is no longer one."""
    offered = set((school.languages if school is not None else "ko,en").split(",")) | {keep}
    return [choice for choice in choices if choice[0] in offered] or list(choices)


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


class DatesForm(FlaskForm):
    opens_on = DateField(_l("Opens on (optional)"), validators=[Optional()])
    due_on = DateField(_l("Due on (optional)"), validators=[Optional()])

    def validate_due_on(self, field):
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The due date must be on or after the opening date."))


class AssignForm(DatesForm):
    target = SelectField(_l("Module"), choices=[])


class SettingsForm(ClassroomForm):
    quiz_policy = SelectField(
        _l("Which quiz attempt counts"),
        choices=[("best", _l("The best attempt")), ("latest", _l("The latest attempt"))],
    )
    quiz_review = SelectField(
        _l("When students see the quiz answers and explanations"),
        choices=[("now", _l("Right after they submit")),
                 ("after_due", _l("After the due date (they see their score at once)"))],
    )


class AddStudentsForm(FlaskForm):
    count = IntegerField(
        _l("How many students to add"),
        validators=[InputRequired(_l("Enter a number from 1 to 60.")),
                    NumberRange(min=1, max=60, message=_l("Enter a number from 1 to 60."))],
    )


class ConsentForm(FlaskForm):
    consent_on = DateField(_l("Date consent was collected"), validators=[InputRequired(_l("Enter a date."))])
    method = StringField(
        _l("How it was collected"), filters=[strip_filter],
        validators=[InputRequired(_l("Say how, e.g. a signed paper form.")), Length(max=200)],
        description=_l("For example: paper forms signed by parents, kept in the school office."),
    )


def band_names() -> dict[str, str]:
    return {key: str(label) for key, label in ClassroomForm.age_band.kwargs["choices"]}


class ExtensionForm(FlaskForm):
    student = SelectField(_l("Student"), coerce=int, choices=[])
    due_on = DateField(_l("New due date for this student"), validators=[InputRequired(_l("Enter a date."))])


class SequenceForm(FlaskForm):
    year = SelectField(_l("Which year"), coerce=int, choices=[])
    start_on = DateField(_l("The first module opens on"), validators=[InputRequired(_l("Enter a date."))])
    spacing = IntegerField(
        _l("Weeks between modules"), default=1,
        validators=[InputRequired(_l("Enter a number from 0 to 8.")),
                    NumberRange(min=0, max=8, message=_l("Enter a number from 0 to 8."))],
        description=_l("Each module opens this many weeks after the one before and is due the day before the next "
                       "one opens. 0 opens every module on the start date, with no due dates."),
    )
