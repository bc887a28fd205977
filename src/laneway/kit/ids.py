"""Opaque ids: 26 characters, lower-case, sortable by creation time (ULID layout)."""

from __future__ import annotations

import os
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case
_PAIRS = [a + b for a in _ALPHABET for b in _ALPHABET]  # every 10-bit value as two characters


def _encode(number: int, pairs: int) -> str:
    chars = [""] * pairs
    for i in range(pairs - 1, -1, -1):
        chars[i] = _PAIRS[number & 1023]
        number >>= 10
    return "".join(chars)


def new_id() -> str:
    """48 bits of milliseconds then 80 random bits: unique, and index-friendly."""
    millis = time.time_ns() // 1_000_000
    return _encode(millis, 5) + _encode(int.from_bytes(os.urandom(10), "big"), 8)
