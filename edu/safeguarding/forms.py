from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from edu.forms_common import strip_filter
from edu.safeguarding.services import ANSWER_MAX, QUESTION_MAX


class QuestionForm(FlaskForm):
    text = TextAreaField(
        _l("Your question"), filters=[strip_filter],
        validators=[DataRequired(_l("Write your question first.")),
                    Length(max=QUESTION_MAX, message=_l("Keep it under %(max)d characters.", max=QUESTION_MAX))],
    )


class AnswerForm(FlaskForm):
    public_text = TextAreaField(
        _l("The question as the class will see it"), filters=[strip_filter],
        validators=[Length(max=QUESTION_MAX, message=_l("Keep it under %(max)d characters.", max=QUESTION_MAX))],
    )
    verbatim = BooleanField(_l("Publish the student's words unchanged instead"))
    text = TextAreaField(
        _l("Answer for the whole class"), filters=[strip_filter],
        validators=[DataRequired(_l("Write an answer first.")),
                    Length(max=ANSWER_MAX, message=_l("Keep it under %(max)d characters.", max=ANSWER_MAX))],
    )
