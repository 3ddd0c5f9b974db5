"""The public self-help path ("it happened to me", "to a friend", "I did something I regret"): its steps, the
opaque address of each step and which help services and laws each ending shows. Pure: no Flask, no storage.

A step is the tuple of choices made so far: ``()`` asks what happened, ``("me",)`` asks the age,
``("me", "under-18")`` the country and ``("me", "under-18", "KR")`` is an ending. Each step has one address per
language, a short token made from a keyed hash, so a browser's history shows ``/help/p/k3v9q2xa`` and never a
word of the situation or the language. Services and laws are named by their keys in ``content/help`` and
``content/legal``; their names, numbers and wording come from those files (a test checks every key exists).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache

SITUATIONS = ("me", "friend", "did")
AGES = ("under-18", "18-plus")
COUNTRIES = ("KR", "GB", "AU", "US", "other")
LEVELS = (SITUATIONS, AGES, COUNTRIES)
KINDS = ("situation", "age", "country", "ending")  # what a step with 0, 1, 2 or 3 choices shows
TOKEN_SALT = b"boundaries self-help v1"


@dataclass(frozen=True)
class Service:
    """A help resource to show: its help file (KR or INTL) and its key there."""

    region: str
    key: str


@dataclass(frozen=True)
class Ending:
    """What an ending shows: help services in order, the crisis line (always last), laws (legal file, keys)."""

    services: tuple[Service, ...]
    crisis: Service
    legal_region: str
    legal_keys: tuple[str, ...]


def kind(step: tuple[str, ...]) -> str:
    return KINDS[len(step)]


def is_step(step: tuple[str, ...]) -> bool:
    return len(step) <= len(LEVELS) and all(choice in LEVELS[i] for i, choice in enumerate(step))


def choices(step: tuple[str, ...]) -> tuple[str, ...]:
    """The choices offered at ``step`` (none at an ending)."""
    return LEVELS[len(step)] if len(step) < len(LEVELS) else ()


def all_steps() -> list[tuple[str, ...]]:
    steps: list[tuple[str, ...]] = [()]
    frontier: list[tuple[str, ...]] = [()]
    for level in LEVELS:
        frontier = [step + (choice,) for step in frontier for choice in level]
        steps += frontier
    return steps


def token(locale: str, step: tuple[str, ...]) -> str:
    """The step's address in ``locale``: 8 lower-case letters and digits, the same on every server."""
    digest = hashlib.sha256(TOKEN_SALT + "|".join((locale, *step)).encode()).digest()
    return base64.b32encode(digest[:5]).decode().lower()


@cache
def _addresses(locales: tuple[str, ...]) -> dict[str, tuple[str, tuple[str, ...]]]:
    table = {token(locale, step): (locale, step) for locale in locales for step in all_steps()}
    if len(table) != len(locales) * len(all_steps()):  # a collision would send someone to the wrong page
        raise ValueError("two self-help steps share a token; change TOKEN_SALT")
    return table


def find(address: str, locales: tuple[str, ...]) -> tuple[str, tuple[str, ...]] | None:
    """The (locale, step) an address stands for, or None."""
    return _addresses(tuple(locales)).get(address)


# ---- what each ending shows ---------------------------------------------------------------------------------
HASH_TOOL = {"under-18": Service("INTL", "take-it-down"), "18-plus": Service("INTL", "stopncii")}
CRISIS = {
    "KR": Service("KR", "suicide-109"),
    "GB": Service("INTL", "samaritans-uk"),
    "AU": Service("INTL", "lifeline-au"),
    "US": Service("INTL", "lifeline-988-us"),
    "other": Service("INTL", "crisis-local"),
}
TRUSTED_ADULT = Service("INTL", "trusted-adult")
LOCAL_POLICE = Service("INTL", "police-local")
KR_SERVICES = {
    # ACOSAV (reached through 1366) finds and deletes the material; 1377 blocks it; the police; then youth lines.
    "me": ("acosav", "kcsc-1377", "police-112", "police-ecrm"),
    # A friend notes where and when and tells: ACOSAV and the police's online system take tips from non-victims.
    "friend": ("acosav", "police-ecrm", "police-112"),
    "did": (),
}
KR_YOUNG = {"me": ("school-117", "youth-1388"), "friend": ("school-117", "youth-1388"), "did": ("youth-1388",)}
ABROAD = {  # services of one country, by age (a UK child's image: Report Remove and CEOP, the UK police's own)
    ("GB", "under-18"): ("report-remove", "ceop"),
    ("GB", "18-plus"): ("police-local",),
    ("AU", "under-18"): ("esafety", "police-local"),
    ("AU", "18-plus"): ("esafety", "police-local"),
}
# Laws an ending names: why a friend never keeps the image, and what someone who did it faces and must do.
KR_LAW = {"me": ("art14-2-deepfake",), "friend": ("art14-2-viewing",),
          "did": ("art14-2-viewing", "art34-duty")}
COUNTRY_LAW = {"GB": "uk-intimate-images", "AU": "au-deepfake-act", "US": "us-take-it-down"}


def ending(step: tuple[str, ...]) -> Ending:
    """The services and laws of an ending (``step`` has all three choices)."""
    if kind(step) != "ending" or not is_step(step):
        raise ValueError(f"not an ending: {step!r}")
    situation, age, country = step
    young = age == "under-18"
    services: list[Service] = []
    if country == "KR":
        services += [Service("KR", key) for key in KR_SERVICES[situation]]
        if young:
            services += [Service("KR", key) for key in KR_YOUNG[situation]]
        if situation == "did":
            services.append(TRUSTED_ADULT)
        legal_region, legal = "KR", KR_LAW[situation]
    else:
        if situation != "did":
            services += [Service("INTL", key) for key in ABROAD.get((country, age), ("police-local",))]
        if young or situation == "did":
            services.append(TRUSTED_ADULT)
        legal_region, legal = "INTL", _laws_abroad(situation, young, country)
    if situation != "did":
        services.append(HASH_TOOL[age])  # on the targeted person's own device: the page says so to a friend
    return Ending(tuple(services), CRISIS[country], legal_region, legal)


def _laws_abroad(situation: str, young: bool, country: str) -> tuple[str, ...]:
    """The country's own law, and for a friend of someone under 18 or someone who did it, the rule that holds
    almost everywhere (never shown to the person targeted: keeping evidence of one's own case is no crime)."""
    law = (COUNTRY_LAW[country],) if country in COUNTRY_LAW else ()
    if situation == "did" or (situation == "friend" and young):
        return ("csam-everywhere",) + law
    return law


def referenced_services() -> set[Service]:
    """Every help resource some ending shows (a test checks each exists in the help files)."""
    found: set[Service] = set()
    for step in all_steps():
        if kind(step) == "ending":
            result = ending(step)
            found.update(result.services + (result.crisis,))
    return found


def referenced_laws() -> set[tuple[str, str]]:
    return {(ending(s).legal_region, key) for s in all_steps() if kind(s) == "ending" for key in ending(s).legal_keys}
