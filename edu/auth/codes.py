"""Join codes, pseudonyms and PINs: easy to read aloud, type on a phone, and never a real name."""

from __future__ import annotations

import re
import secrets

# No 0/O, 1/I/L: nothing that can be mistaken for something else when read aloud or typed.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6

# (English, Korean) pairs, so a pseudonym reads naturally in the class language.
ADJECTIVES = [
    ("Blue", "파란"), ("Red", "빨간"), ("Yellow", "노란"), ("Green", "초록"), ("White", "하얀"),
    ("Purple", "보라"), ("Pink", "분홍"), ("Orange", "주황"), ("Brave", "용감한"), ("Quiet", "조용한"),
    ("Bright", "밝은"), ("Swift", "빠른"), ("Kind", "친절한"), ("Gentle", "다정한"), ("Bold", "씩씩한"),
    ("Calm", "느긋한"), ("Cheerful", "신나는"), ("Friendly", "상냥한"), ("Clever", "똑똑한"), ("Happy", "즐거운"),
    ("Warm", "따뜻한"), ("Shiny", "반짝이는"), ("Little", "작은"), ("Big", "커다란"),
]
ANIMALS = [
    ("Otter", "수달"), ("Fox", "여우"), ("Tiger", "호랑이"), ("Rabbit", "토끼"), ("Panda", "판다"),
    ("Whale", "고래"), ("Dolphin", "돌고래"), ("Owl", "부엉이"), ("Penguin", "펭귄"), ("Koala", "코알라"),
    ("Deer", "사슴"), ("Squirrel", "다람쥐"), ("Turtle", "거북이"), ("Swan", "백조"), ("Bear", "곰"),
    ("Cat", "고양이"), ("Puppy", "강아지"), ("Hedgehog", "고슴도치"), ("Seal", "물범"), ("Crane", "두루미"),
    ("Sparrow", "참새"), ("Magpie", "까치"), ("Lion", "사자"), ("Giraffe", "기린"),
]


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text: str) -> str:
    """Accept lower case, spaces and dashes, as people type a code read aloud."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def format_join_code(code: str) -> str:
    return f"{code[:3]}-{code[3:]}" if len(code) == JOIN_CODE_LENGTH else code


def pseudonym_parts(pseudonym: str) -> tuple[str, str]:
    """(name, digits) of a pseudonym: the adjective and animal as one key whatever the language
    ("Blue Otter" and "파란 수달" are the same name), and its digits sorted (47 and 74 read alike)."""
    words = (pseudonym or "").split()
    digits = "".join(sorted("".join(w for w in words if w.isdigit())))
    names = [w for w in words if not w.isdigit()]
    keys = []
    for word, table in zip(names, (ADJECTIVES, ANIMALS), strict=False):
        index = next((i for i, pair in enumerate(table) if word.casefold() in (pair[0].casefold(), pair[1])), None)
        keys.append(str(index) if index is not None else word.casefold())
    return " ".join(keys) if len(names) == 2 else "".join(names).casefold(), digits


def near_duplicates(first: str, second: str) -> bool:
    """Two pseudonyms a class could mix up: the same adjective and animal, or numbers that are a permutation of
    each other's digits (47 and 74, or 47 and 47)."""
    name_a, digits_a = pseudonym_parts(first)
    name_b, digits_b = pseudonym_parts(second)
    return name_a == name_b or (bool(digits_a) and digits_a == digits_b)


# Two-digit numbers first; once every two-digit digit set is taken (54 of them), three digits, then four.
_NUMBERS = (range(10, 100), range(100, 1000), range(1000, 10000))


def _free_number(used_digits: set[str]) -> int | None:
    for numbers in _NUMBERS:
        free = [n for n in numbers if "".join(sorted(str(n))) not in used_digits]
        if free:
            return secrets.choice(free)
    return None


def new_pseudonym(locale: str, taken: list[str] | tuple[str, ...] = ()) -> str:
    """A pseudonym that is no near-duplicate of any taken one (the class's pseudonyms).

    The rule holds for the first 264 students of a class (the digit sets of 10-999); a larger class (a lecture hall,
    a whole year group) still gets a name at once: first the digit rule gives way (the adjective and animal stay
    unique, 576 of them), then the name rule (a name comes back with digits no holder of that name has), so
    joining never fails and no two pseudonyms are ever the same or the same name with permuted digits."""
    index = 1 if locale == "ko" else 0
    parts = [pseudonym_parts(name) for name in taken]
    used_names = {name for name, _digits in parts}
    pairs = [(a, b) for a in range(len(ADJECTIVES)) for b in range(len(ANIMALS))]
    free_pairs = [pair for pair in pairs if f"{pair[0]} {pair[1]}" not in used_names]
    if free_pairs:
        adjective, animal = secrets.choice(free_pairs)
        number = _free_number({digits for _name, digits in parts}) or _free_number(set())
    else:
        adjective, animal = secrets.choice(pairs)
        number = _free_number({digits for name, digits in parts if name == f"{adjective} {animal}"})
    if number is None:
        raise RuntimeError("no free pseudonym")
    return f"{ADJECTIVES[adjective][index]} {ANIMALS[animal][index]} {number}"


def normalise_pseudonym(text: str) -> str:
    """A pseudonym as typed, in any case and with or without spaces ("주황부엉이47" is "주황 부엉이 47"): no two
    generated pseudonyms are the same without their spaces (tests/unit check every pair of words)."""
    return "".join((text or "").split()).casefold()


def new_pin() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"
