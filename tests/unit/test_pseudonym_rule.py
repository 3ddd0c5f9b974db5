"""Pseudonyms in a class are never near-duplicates: not the same adjective and animal (in either language), and
never numbers whose digits are a permutation of each other's (47 and 74), as long as the class is within the rule's
capacity (264 students); a larger class still gets a pseudonym for every student, never the same one twice."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given, settings
from hypothesis import strategies as st

from edu.auth.codes import (
    ADJECTIVES,
    ANIMALS,
    near_duplicates,
    new_pseudonym,
    normalise_pseudonym,
    pseudonym_parts,
)

FAST = settings(max_examples=60, deadline=None)


def test_the_examples_of_the_issue():
    assert near_duplicates("Blue Otter 47", "Red Fox 74")
    assert near_duplicates("Blue Otter 47", "Blue Otter 12")
    assert near_duplicates("파란 수달 47", "Blue Otter 12")  # the same name in the other language
    assert not near_duplicates("Blue Otter 47", "Blue Fox 48")


@FAST
@given(st.lists(st.sampled_from(["ko", "en"]), min_size=1, max_size=120))
def test_a_class_built_one_student_at_a_time_has_no_near_duplicates(locales):
    names: list[str] = []
    for locale in locales:
        names.append(new_pseudonym(locale, names))
    for first, second in combinations(names, 2):
        assert not near_duplicates(first, second), (first, second)


@FAST
@given(st.integers(0, len(ADJECTIVES) - 1), st.integers(0, len(ANIMALS) - 1), st.integers(10, 999),
       st.integers(0, len(ADJECTIVES) - 1), st.integers(0, len(ANIMALS) - 1), st.sampled_from([0, 1]))
def test_near_duplicates_is_exactly_the_rule(a1, b1, number, a2, b2, index):
    first = f"{ADJECTIVES[a1][index]} {ANIMALS[b1][index]} {number}"
    permuted = int("".join(reversed(str(number)))) if not str(number).endswith("0") else number
    second = f"{ADJECTIVES[a2][1 - index]} {ANIMALS[b2][1 - index]} {permuted}"
    assert near_duplicates(first, second)  # digits permuted, whatever the names
    other = f"{ADJECTIVES[a1][1 - index]} {ANIMALS[b1][1 - index]} {number + 1 if number % 10 != 9 else number}"
    assert near_duplicates(first, other)  # the same adjective and animal, whatever the number


def test_the_rule_holds_up_to_its_capacity():
    names: list[str] = []
    for number in range(264):
        names.append(new_pseudonym("ko" if number % 2 else "en", names))
    for first, second in combinations(names, 2):
        assert not near_duplicates(first, second), (first, second)


def test_a_lecture_hall_of_two_thousand_always_gets_pseudonyms_never_the_same_twice():
    names: list[str] = []
    for number in range(2000):
        names.append(new_pseudonym("en" if number % 3 else "ko", names))
    assert len({normalise_pseudonym(name) for name in names}) == 2000
    assert len({pseudonym_parts(name) for name in names}) == 2000  # never the same name with permuted digits
