"""Validators and helpers shared by the feature forms."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


class EmailAddress:
    def __call__(self, form, field):
        if field.data and not _EMAIL.match(field.data.strip()):
            raise ValidationError(_l("Enter an email address like name@school.kr."))


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value
