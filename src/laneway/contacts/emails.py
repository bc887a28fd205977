"""Email addresses: syntax per RFC 5321/5322 (internationalised allowed), no DNS, and the
normal form that decides when two spellings are one contact."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import email_validator
from email_validator import EmailNotValidError

MAX_LENGTH = 254

# Special-use names (.local, .test, .example, .invalid) are real addresses to our users: a
# published workflow sends <login>@github.local. The library documents editing this list.
email_validator.SPECIAL_USE_DOMAIN_NAMES.clear()


@dataclass(frozen=True, slots=True)
class Email:
    address: str  # as shown: trimmed, lower case, domain as sent (Unicode or ASCII)
    key: str  # what uniqueness compares: lower case, domain in IDNA (ASCII) form
    domain: str  # the IDNA domain, for matching companies


CACHED = 8192  # addresses a server process keeps parsed: a busy inbox hears from the same ones


def parse_email(raw: str) -> Email:
    """The normal form of `raw`, or ValueError saying what is wrong with it. Cached: parsing
    is costly, and a busy inbox hears from the same addresses again and again."""
    return _cached_parse(raw)


def cache_addresses(maxsize: int) -> None:
    """Keep up to `maxsize` parsed addresses in this process from now on (an import, whose
    contacts write again and again over a whole history, wants far more than a server)."""
    global _cached_parse
    _cached_parse = lru_cache(maxsize=maxsize)(_parse)


def _parse(raw: str) -> Email:
    text = raw.strip()
    if not text:
        raise ValueError("must not be blank")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"must be at most {MAX_LENGTH} characters")
    try:
        valid = email_validator.validate_email(
            text,
            check_deliverability=False,
            allow_display_name=False,
            allow_domain_literal=False,
            allow_quoted_local=True,
            strict=True,  # RFC 5321 limits, such as 64 characters before the @
        )
    except EmailNotValidError as exc:
        raise ValueError(f"is not a valid email address: {exc}") from None
    local = valid.local_part.lower()
    return Email(
        address=f"{local}@{valid.domain.lower()}",
        key=f"{local}@{valid.ascii_domain.lower()}",
        domain=valid.ascii_domain.lower(),
    )


_cached_parse = lru_cache(maxsize=CACHED)(_parse)


def email_key(raw: str) -> str | None:
    """The comparison key of `raw`, or None when it is not an address at all."""
    try:
        return parse_email(raw).key
    except ValueError:
        return None
