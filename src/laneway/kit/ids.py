"""Opaque ids: 26 characters, lower-case, sortable by creation time (ULID layout)."""

from __future__ import annotations

import os
import time

_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def _encode(number: int, length: int) -> str:
    chars = []
    for _ in range(length):
        number, rest = divmod(number, 32)
        chars.append(_ALPHABET[rest])
    return "".join(reversed(chars))


def new_id() -> str:
    """48 bits of milliseconds then 80 random bits: unique, and index-friendly."""
    millis = time.time_ns() // 1_000_000
    return _encode(millis, 10) + _encode(int.from_bytes(os.urandom(10), "big"), 16)
