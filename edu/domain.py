"""The few facts of the domain that several features share, in one place.

Pure: no Flask, no database session. The curriculum's own rules (what a lesson or a survey item is) live in
edu/content/; who may see which page lives in edu/access.py.
"""

from __future__ import annotations

from sqlalchemy import case

SURVEY_ID = "prepost"  # the one pre/post survey every class can be assigned (content/surveys/<locale>/prepost.yaml)
LIKERT_VALUES = ("1", "2", "3", "4", "5")  # the answers an attitude item accepts; knowledge items have options
RATING_VALUES = tuple(str(v) for v in range(0, 101, 10))  # a 0-100 confidence rating, in steps of 10
LOCALES = ("ko", "en")  # the languages content is written in and classes are taught in
REGIONS = ("KR", "INTL")  # Korea has its own laws, helplines and lessons; every other country shares INTL


def region_of(country: str | None) -> str:
    """The content region of a class or school in ``country``: KR, else INTL."""
    return "KR" if country == "KR" else "INTL"


def region_column(country_column):
    """The same rule in SQL, for a query that groups classes by region."""
    return case((country_column == "KR", "KR"), else_="INTL")
