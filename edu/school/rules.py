"""The rules a school's settings follow, as pure functions: time zones, languages, terms, retention and the address
phones reach the app at (the live lesson's join address and QR code)."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit
from zoneinfo import available_timezones

LANGUAGES = ("ko", "en")  # the class languages a school can offer (the content is written in these)
RETENTION_MIN, RETENTION_MAX = 7, 730  # days an archived class is kept before it is deleted
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
# The usual terms (design.md §4): Korean schools start them in March and September, others in January and July.
USUAL_TERM_STARTS = {"KR": (3, 9)}
OTHER_TERM_STARTS = (1, 7)


@lru_cache(maxsize=1)
def timezones() -> tuple[str, ...]:
    """Region/City zones (Asia/Seoul, Europe/London), sorted; not the old aliases (US/Pacific, Etc/GMT+3)."""
    regions = ("Africa/", "America/", "Antarctica/", "Asia/", "Atlantic/", "Australia/", "Europe/", "Indian/",
               "Pacific/")
    return tuple(sorted(zone for zone in available_timezones() if zone.startswith(regions)))


def parse_languages(value: str | None) -> list[str]:
    """The offered class languages stored as "ko,en", in the order of LANGUAGES; unknown codes are dropped."""
    chosen = {code.strip() for code in (value or "").split(",")}
    return [code for code in LANGUAGES if code in chosen]


def join_languages(codes) -> str:
    return ",".join(code for code in LANGUAGES if code in set(codes))


def term_starts(stored: str | None, country: str) -> tuple[int, int]:
    """The months the school's two terms start in: its own setting ("3,9") or its country's usual ones."""
    if stored:
        first, _sep, second = stored.partition(",")
        if first.isdigit() and second.isdigit() and 1 <= int(first) < int(second) <= 12:
            return int(first), int(second)
    return USUAL_TERM_STARTS.get(country, OTHER_TERM_STARTS)


def check_public_url(value: str, production: bool) -> str:
    """The address as stored (no trailing slash), or ValueError with the reason: https (http only outside
    production, for a development machine on the school network), a host phones can reach (never a loopback
    address such as 127.0.0.1, which the live lesson would not show: edu/live/pages.py), nothing after the host
    but a path."""
    address = value.strip().rstrip("/")
    try:
        parts = urlsplit(address)
        hostname = parts.hostname
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError as error:
        raise ValueError("malformed") from error
    if parts.scheme not in ("https", "http") or not hostname:
        raise ValueError("scheme")
    if parts.scheme == "http" and production:
        raise ValueError("https")
    if hostname in LOOPBACK_HOSTS or hostname.startswith("127."):
        raise ValueError("loopback")
    if parts.query or parts.fragment or parts.username or parts.password or " " in address:
        raise ValueError("malformed")
    return address
