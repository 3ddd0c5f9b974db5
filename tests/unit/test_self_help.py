"""The self-help path's rules: its steps, their opaque addresses and which services and laws each ending shows."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edu.content import load_catalog
from edu.content import self_help as rules

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ("ko", "en")
ENDINGS = [step for step in rules.all_steps() if rules.kind(step) == "ending"]


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(ROOT / "content")


def keys(step) -> list[str]:
    return [service.key for service in rules.ending(step).services]


def test_the_steps_are_every_combination_of_choices():
    assert len(rules.all_steps()) == 1 + 3 + 3 * 2 + 3 * 2 * 5
    assert len(ENDINGS) == 30 and len(set(rules.all_steps())) == len(rules.all_steps())
    assert rules.choices(()) == rules.SITUATIONS and rules.choices(("me",)) == rules.AGES
    assert rules.choices(("me", "18-plus")) == rules.COUNTRIES and rules.choices(ENDINGS[0]) == ()


def test_addresses_are_short_opaque_and_distinct():
    tokens = {rules.token(locale, step) for locale in LOCALES for step in rules.all_steps()}
    assert len(tokens) == 2 * len(rules.all_steps())
    words = [*rules.SITUATIONS, *rules.AGES, *rules.COUNTRIES, *LOCALES, "help", "friend", "did", "me"]
    for token in tokens:
        assert re.fullmatch(r"[a-z2-7]{8}", token)
        assert not any(word.lower() in token for word in words if len(word) > 2), token


@given(st.sampled_from(LOCALES), st.sampled_from(rules.all_steps()))
def test_an_address_finds_its_step_and_language(locale, step):
    assert rules.find(rules.token(locale, step), LOCALES) == (locale, step)
    assert rules.find(rules.token(locale, step), ("en",)) == ((locale, step) if locale == "en" else None)


@given(st.text(max_size=12))
def test_any_other_address_finds_nothing(address):
    known = {rules.token(locale, step) for locale in LOCALES for step in rules.all_steps()}
    assert (rules.find(address, LOCALES) is not None) == (address in known)


def test_a_step_that_is_not_an_ending_has_no_services():
    for step in ((), ("me",), ("me", "under-18"), ("me", "teen", "KR")):
        with pytest.raises(ValueError):
            rules.ending(step)


@pytest.mark.parametrize("step", ENDINGS, ids="/".join)
def test_hash_tools_follow_age_and_never_go_to_someone_who_did_it(step):
    situation, age, _country = step
    found = keys(step)
    if situation == "did":
        assert "take-it-down" not in found and "stopncii" not in found
    elif age == "under-18":
        assert "take-it-down" in found and "stopncii" not in found
    else:
        assert "stopncii" in found and "take-it-down" not in found


@pytest.mark.parametrize("step", ENDINGS, ids="/".join)
def test_every_ending_has_the_countrys_crisis_line(step):
    expected = {"KR": "suicide-109", "GB": "samaritans-uk", "AU": "lifeline-au", "US": "lifeline-988-us",
                "other": "crisis-local"}
    assert rules.ending(step).crisis.key == expected[step[2]]


def test_korea_routes_to_acosav_and_the_police_and_young_people_to_117_and_1388():
    for situation in ("me", "friend"):
        for age in rules.AGES:
            found = keys((situation, age, "KR"))
            assert found[0] == "acosav" and "police-ecrm" in found and "police-112" in found
            assert ("youth-1388" in found) == (age == "under-18") and ("school-117" in found) == (age == "under-18")
    assert "kcsc-1377" in keys(("me", "18-plus", "KR"))
    assert keys(("did", "under-18", "KR")) == ["youth-1388", "trusted-adult"]
    assert keys(("did", "18-plus", "KR")) == ["trusted-adult"]


def test_other_countries_route_to_their_own_services_and_the_police():
    assert keys(("me", "under-18", "GB"))[:2] == ["report-remove", "ceop"]
    assert "report-remove" not in keys(("me", "18-plus", "GB")) and "police-local" in keys(("me", "18-plus", "GB"))
    for age in rules.AGES:
        assert "esafety" in keys(("me", age, "AU")) and "esafety" in keys(("friend", age, "AU"))
        for country in ("US", "other"):
            assert "police-local" in keys(("me", age, country)) and "esafety" not in keys(("me", age, country))
            assert "report-remove" not in keys(("friend", age, country))


def test_laws_never_tell_the_targeted_person_that_keeping_evidence_is_a_crime():
    for country in rules.COUNTRIES:
        for age in rules.AGES:
            assert "csam-everywhere" not in rules.ending(("me", age, country)).legal_keys
            assert "csam-everywhere" in rules.ending(("did", age, country)).legal_keys or country == "KR"
    assert rules.ending(("did", "under-18", "KR")).legal_keys == ("art14-2-viewing", "art34-duty")
    assert rules.ending(("friend", "18-plus", "KR")).legal_keys == ("art14-2-viewing",)


def test_every_service_and_law_named_exists_and_is_verified_in_both_languages(catalog):
    for service in rules.referenced_services():
        for locale in LOCALES:
            found = catalog.help_for(service.region, locale, keys=[service.key])
            assert [r.key for r in found] == [service.key], service
    for region, key in rules.referenced_laws():
        for locale in LOCALES:
            assert [f.key for f in catalog.legal_facts(region, [key], locale)] == [key], (region, key)


def test_help_for_ones_own_behaviour_is_what_the_help_files_mark_for_it(catalog):
    for country in rules.COUNTRIES:
        for age in rules.AGES:
            for service in rules.ending(("did", age, country)).services:
                [resource] = catalog.help_for(service.region, "en", keys=[service.key])
                assert "own-behaviour" in resource.topics, service
