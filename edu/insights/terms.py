"""School terms (design.md §4): 1 Mar-31 Aug and 1 Sep-end of Feb for Korean schools, Jan-Jun and Jul-Dec
elsewhere. The privacy budget is counted per student per term."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


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


def _last_of_february(year: int) -> date:
    return date.fromordinal(date(year, 3, 1).toordinal() - 1)


def term_of_day(day: date, country: str) -> Term:
    if country == "KR":
        if 3 <= day.month <= 8:
            return Term(f"{day.year}-1", date(day.year, 3, 1), date(day.year, 8, 31))
        first = day.year if day.month >= 9 else day.year - 1
        return Term(f"{first}-2", date(first, 9, 1), _last_of_february(first + 1))
    if day.month <= 6:
        return Term(f"{day.year}-1", date(day.year, 1, 1), date(day.year, 6, 30))
    return Term(f"{day.year}-2", date(day.year, 7, 1), date(day.year, 12, 31))


def term_of(moment_utc: datetime, country: str, timezone: str) -> Term:
    """The term a naive-UTC moment falls in, by the school's calendar day."""
    local = moment_utc.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone))
    return term_of_day(local.date(), country)
