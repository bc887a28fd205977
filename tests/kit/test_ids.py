"""Ids: 26 Crockford base32 digits, 48 bits of milliseconds then 80 random bits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from laneway.kit.ids import encode, new_id, new_ids

ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"


def reference(millis: int, randomness: bytes) -> str:
    """The ULID layout digit by digit: a 130-bit number, five bits a digit."""
    number = millis << 80 | int.from_bytes(randomness, "big")
    return "".join(ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(26)))


@given(st.integers(0, 2**48 - 1), st.binary(min_size=10, max_size=10))
def test_an_id_is_the_ulid_layout_of_its_time_and_randomness(millis: int, randomness: bytes) -> None:
    assert encode(millis, randomness) == reference(millis, randomness)


@given(st.integers(0, 2**48 - 2), st.binary(min_size=10, max_size=10), st.binary(min_size=10, max_size=10))
def test_a_later_millisecond_sorts_after(millis: int, first: bytes, second: bytes) -> None:
    assert encode(millis, first) < encode(millis + 1, second)


def test_new_ids_are_distinct_and_well_formed() -> None:
    ids = [new_id() for _ in range(1000)] + new_ids(1000)
    assert len(set(ids)) == 2000
    assert all(len(i) == 26 and set(i) <= set(ALPHABET) for i in ids)
