"""Dates as a school reads them: in the school's time zone, in the page's language with the school's country
conventions (an English page for a UK school writes 7 Dec 2026, for a US school Dec 7, 2026), never with seconds,
and ISO week codes ("2026-W49") as the Monday they begin."""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel import Locale, localedata
from babel.dates import format_date, format_time
from flask_babel import get_locale, get_timezone

from edu.identity import signed_in_user


def date_locale() -> Locale:
    """The page's language with the school's country, when Babel knows that pair (en_GB, ko_KR), else the language."""
    user = signed_in_user()
    school = None
    if user.is_authenticated:
        school = user.classroom.school if user.is_student else user.school
    code = get_locale().language  # the page's language, or the one a part of it is forced to (in_locale)
    if school is not None and localedata.exists(f"{code}_{school.country}"):
        code = f"{code}_{school.country}"
    return Locale.parse(code)


def local(moment: datetime) -> datetime:
    """A naive UTC time in the school's time zone."""
    return moment.replace(tzinfo=UTC).astimezone(get_timezone())


def format_day(value: date | datetime | None, width: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return format_date(value, width, locale=date_locale())


def format_moment(value: datetime | None, width: str = "medium") -> str:
    """Date and time of day, without seconds."""
    if value is None:
        return ""
    moment, locale = local(value), date_locale()
    return f"{format_date(moment.date(), width, locale=locale)} {format_time(moment, 'short', locale=locale)}"


def week_start(code: str) -> date | None:
    """The Monday of an ISO week code such as 2026-W49."""
    try:
        year, week = code.split("-W")
        return date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return None


def format_week(code: str) -> str:
    start = week_start(code)
    return format_day(start) if start else code
