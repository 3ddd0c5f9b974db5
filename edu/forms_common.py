"""Validators and helpers shared by the feature forms."""

from __future__ import annotations

import re

from flask import current_app, g
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


class EmailAddress:
    def __call__(self, form, field):
        if field.data and not _EMAIL.match(field.data.strip()):
            raise ValidationError(_l("Enter an email address like name@school.kr."))


def id_from_form(value: str | None) -> int | None:
    """A row id a form sent (a select's value): ASCII digits of a size an id can have, else None."""
    value = value or ""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 12 else None


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def forget_csrf_token() -> None:
    """After the session is replaced (a sign-in), a page rendered in the same request (the welcome page after
    joining) must carry the new session's CSRF token, not the one Flask-WTF cached for this request from the old
    session: drop it from its documented ``g`` slot, so the next ``csrf_token()`` makes a new one."""
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
