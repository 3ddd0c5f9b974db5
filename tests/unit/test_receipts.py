"""Receipt codes: typed forgivingly, shown in groups, hashed under a key (edu/safeguarding/receipts.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from edu.safeguarding import receipts

codes = st.text(alphabet=receipts.ALPHABET, min_size=receipts.LENGTH, max_size=receipts.LENGTH)


@given(codes)
def test_a_displayed_code_typed_any_way_reads_back(code):
    shown = receipts.display(code)
    assert receipts.normalise(shown) == code
    assert receipts.normalise(f"  {shown.lower().replace('-', ' ')} ") == code


@given(st.text(max_size=30))
def test_normalise_returns_a_code_or_none(typed):
    code = receipts.normalise(typed)
    assert code is None or (len(code) == receipts.LENGTH and set(code) <= set(receipts.ALPHABET))


def test_new_codes_are_long_random_base32():
    drawn = {receipts.new_code() for _ in range(200)}
    assert len(drawn) == 200 and all(len(c) >= 10 and set(c) <= set(receipts.ALPHABET) for c in drawn)


def test_lookalike_digits_are_read_as_letters():
    assert receipts.normalise("0000-1111-8888") == "OOOOIIIIBBBB"
    assert receipts.normalise("AAAA-AAAA-AAA9") is None


def test_the_hash_needs_the_key():
    assert receipts.code_hash("key-1", "A" * 12) != receipts.code_hash("key-2", "A" * 12)
    assert "A" * 12 not in receipts.code_hash("key-1", "A" * 12)
