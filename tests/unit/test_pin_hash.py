"""The keyed PIN hash (edu/auth/secrets.py): a PIN verifies under its key and salt only; the same PIN hashes
differently each time; a hash made under another key, a damaged hash or another PIN never verifies; argon2id
hashes from before still verify and ask to be replaced."""

from __future__ import annotations

from argon2 import PasswordHasher
from hypothesis import given, settings
from hypothesis import strategies as st

from edu.auth import secrets

KEY = b"a test PIN key"
pins = st.text(alphabet="0123456789", min_size=6, max_size=6)


@settings(max_examples=200)
@given(pin=pins, other=pins)
def test_a_pin_verifies_under_its_key_and_no_other_pin_does(pin, other):
    stored = secrets.hash_pin(pin, key=KEY)
    assert secrets.verify_pin(stored, pin, key=KEY)
    assert secrets.verify_pin(stored, other, key=KEY) == (other == pin)
    assert not secrets.verify_pin(stored, pin, key=b"another key")
    assert pin not in stored.split("$", 3)[3]


@given(pin=pins)
def test_the_same_pin_hashes_differently_each_time(pin):
    assert secrets.hash_pin(pin, key=KEY) != secrets.hash_pin(pin, key=KEY)


@given(damage=st.text(max_size=40))
def test_a_damaged_hash_never_verifies_and_never_raises(damage):
    stored = secrets.hash_pin("123456", key=KEY)
    for broken in (stored[:-4] + damage, secrets.KEYED_PIN_PREFIX + damage, stored.rsplit("$", 1)[0]):
        if broken != stored:
            assert not secrets.verify_pin(broken, "123456", key=KEY)


def test_a_keyed_hash_under_the_current_key_needs_no_rehash_and_argon2_does():
    assert not secrets.pin_needs_rehash(secrets.hash_pin("123456", key=KEY), key=KEY)
    assert secrets.pin_needs_rehash(secrets.hash_pin("123456", key=b"old key"), key=KEY)
    old = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("123456")
    assert secrets.verify_pin(old, "123456", key=KEY) and not secrets.verify_pin(old, "654321", key=KEY)
    assert secrets.pin_needs_rehash(old, key=KEY)
