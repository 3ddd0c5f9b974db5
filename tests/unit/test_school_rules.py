"""The school settings' pure rules: the address phones open, terms by the school's own months, languages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edu.insights.terms import term_of_day
from edu.school.rules import check_public_url, join_languages, parse_languages, term_starts, timezones


@pytest.mark.parametrize("address, production, expected", [
    ("https://boundaries.school.kr/", True, "https://boundaries.school.kr"),
    ("https://school.example:8443/boundaries", True, "https://school.example:8443/boundaries"),
    ("http://192.168.0.10:5000", False, "http://192.168.0.10:5000"),
])
def test_addresses_phones_can_open_are_kept(address, production, expected):
    assert check_public_url(address, production) == expected


@pytest.mark.parametrize("address, production, reason", [
    ("http://192.168.0.10:5000", True, "https"),
    ("http://127.0.0.1:5000", False, "loopback"), ("https://localhost", False, "loopback"),
    ("https://127.8.0.1", True, "loopback"), ("https://[::1]:5000", True, "loopback"),
    ("ftp://school.example", False, "scheme"), ("school.example", False, "scheme"), ("https://", False, "scheme"),
    ("https://school.example/?next=x", False, "malformed"), ("https://user:pw@school.example", False, "malformed"),
    ("https://school.example:port", False, "malformed"), ("https://[bad", False, "malformed"),
])
def test_other_addresses_are_refused_with_a_reason(address, production, reason):
    with pytest.raises(ValueError, match=reason):
        check_public_url(address, production)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)), st.sampled_from(["KR", "GB", "US"]))
def test_the_usual_terms_are_the_design_briefs(day, country):
    term = term_of_day(day, country)
    assert term.starts <= day <= term.ends
    if country == "KR":
        assert (term.starts.month, term.starts.day) in ((3, 1), (9, 1))
        assert term.ends.month in (8, 2)
    else:
        assert (term.starts.month, term.ends.month) in ((1, 6), (7, 12))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
       st.tuples(st.integers(1, 12), st.integers(1, 12)).filter(lambda pair: pair[0] < pair[1]))
def test_a_schools_own_terms_cover_every_day_once_with_two_keys_a_year(day, starts):
    term = term_of_day(day, "GB", starts)
    assert term.starts <= day <= term.ends
    assert term.starts.day == 1 and term.starts.month in starts
    following = term_of_day(date.fromordinal(term.ends.toordinal() + 1), "GB", starts)
    assert following.starts == date.fromordinal(term.ends.toordinal() + 1) and following.key != term.key
    assert term.key.split("-")[1] in ("1", "2") and int(term.key.split("-")[0]) == term.starts.year


def test_stored_term_months_and_languages_are_read_safely():
    assert term_starts("4,10", "KR") == (4, 10)
    assert term_starts(None, "KR") == (3, 9) and term_starts(None, "GB") == (1, 7)
    assert term_starts("10,4", "GB") == (1, 7) and term_starts("x", "KR") == (3, 9)
    assert parse_languages("en,ko,fr") == ["ko", "en"] and join_languages(["en", "xx"]) == "en"
    assert "Europe/London" in timezones() and "US/Pacific" not in timezones() and "Etc/GMT+3" not in timezones()
