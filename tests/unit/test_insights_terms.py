"""Terms (design.md §4): the privacy budget is counted per student per term."""

from __future__ import annotations

from datetime import date, datetime

from edu.insights.terms import term_of, term_of_day


def test_korean_terms_start_in_march_and_september():
    assert term_of_day(date(2026, 3, 1), "KR").key == "2026-1"
    assert term_of_day(date(2026, 8, 31), "KR").key == "2026-1"
    autumn = term_of_day(date(2026, 9, 1), "KR")
    assert autumn.key == "2026-2" and autumn.ends == date(2027, 2, 28)
    assert term_of_day(date(2028, 2, 29), "KR").key == "2027-2"  # the term runs to the end of February


def test_other_countries_split_the_calendar_year():
    assert term_of_day(date(2026, 6, 30), "US").key == "2026-1"
    assert term_of_day(date(2026, 7, 1), "GB").key == "2026-2"
    assert term_of_day(date(2026, 12, 31), "AU").ends == date(2026, 12, 31)


def test_the_school_time_zone_decides_the_day():
    # 28 Feb 2027 20:00 UTC is already 1 March in Seoul: the spring term.
    assert term_of(datetime(2027, 2, 28, 20, 0), "KR", "Asia/Seoul").key == "2027-1"
    start, end = term_of(datetime(2027, 3, 10), "KR", "Asia/Seoul").bounds_utc("Asia/Seoul")
    assert start == datetime(2027, 2, 28, 15, 0) and end == datetime(2027, 8, 31, 15, 0)
