"""Opaque ids: 26 characters, lower-case, sortable by creation time (ULID layout)."""

from __future__ import annotations

import os
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]  # every 10-bit value as two digits


def encode(millis: int, randomness: bytes) -> str:
    """The id of `millis` (48 bits) and 10 random bytes: a 130-bit number (two zero bits first)
    as 26 base32 digits, ten bits at a time (imports make a million of them)."""
    n = millis << 80 | int.from_bytes(randomness, "big")
    p = _PAIRS
    return (
        p[n >> 120 & 1023] + p[n >> 110 & 1023] + p[n >> 100 & 1023] + p[n >> 90 & 1023]
        + p[n >> 80 & 1023] + p[n >> 70 & 1023] + p[n >> 60 & 1023] + p[n >> 50 & 1023]
        + p[n >> 40 & 1023] + p[n >> 30 & 1023] + p[n >> 20 & 1023] + p[n >> 10 & 1023] + p[n & 1023]
    )  # fmt: skip


def new_id() -> str:
    """48 bits of milliseconds then 80 random bits: unique, and index-friendly."""
    return encode(time.time_ns() // 1_000_000, os.urandom(10))


def new_ids(n: int) -> list[str]:
    """`n` new ids at once (one read of the random source), for bulk imports."""
    millis = time.time_ns() // 1_000_000
    randomness = os.urandom(10 * n)
    return [encode(millis, randomness[10 * i : 10 * i + 10]) for i in range(n)]
