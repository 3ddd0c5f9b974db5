"""School terms (design.md §4): 1 Mar-31 Aug and 1 Sep-end of Feb for Korean schools, Jan-Jun and Jul-Dec
elsewhere, until a school's admin sets the months its terms start in. The privacy budget is counted per student per term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from edu.school.rules import term_starts


@dataclass(frozen=True)
class Term:
    key: str  # e.g. "2026-2"
    starts: date
    ends: date  # last day, inclusive

    def bounds_utc(self, timezone: str) -> tuple[datetime, datetime]:
        """[start, end) of the term as naive UTC datetimes."""
        zone = ZoneInfo(timezone)
        start = datetime.combine(self.starts, time.min, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
        after = date.fromordinal(self.ends.toordinal() + 1)
        end = datetime.combine(after, time.min, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)
        return start, end


def _day_before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


def term_of_day(day: date, country: str, starts: tuple[int, int] | None = None) -> Term:
    """The term of a calendar day. ``starts``: the months the two terms begin in (a school's own setting, first
    < second); None: the country's usual ones (edu/school/rules.py). The key is the first term's year and 1 or 2,
    so whatever the months, a year has two terms' keys and never a third."""
    first, second = starts or term_starts(None, country)
    if first <= day.month < second:
        return Term(f"{day.year}-1", date(day.year, first, 1), _day_before(date(day.year, second, 1)))
    year = day.year if day.month >= second else day.year - 1
    return Term(f"{year}-2", date(year, second, 1), _day_before(date(year + 1, first, 1)))


def term_of(moment_utc: datetime, country: str, timezone: str, starts: tuple[int, int] | None = None) -> Term:
    """The term a naive-UTC moment falls in, by the school's calendar day."""
    local = moment_utc.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    return term_of_day(local.date(), country, starts)


def school_term_of(moment_utc: datetime, school) -> Term:
    """The term of a moment at this school: its time zone and its own term months, or its country's."""
    return term_of(moment_utc, school.country, school.timezone, term_starts(school.term_starts, school.country))
