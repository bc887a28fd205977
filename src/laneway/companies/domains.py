"""Company domains: bare, lower-case host names; Unicode names are matched by their IDNA form."""

from __future__ import annotations

import re
from dataclasses import dataclass

import idna

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


@dataclass(frozen=True, slots=True)
class Domain:
    name: str  # as the company shows it
    ascii: str  # IDNA form, what email domains are compared with


def parse_domain(text: str) -> Domain:
    """Validate a bare domain such as `acme.com` or `bücher.example`; ValueError if not one."""
    if text != text.strip() or not text:
        raise ValueError("must be a bare domain without spaces, like acme.com")
    if text != text.lower():
        raise ValueError("must be lower case, like acme.com")
    if any(c in text for c in "/:@?#\\ ") or text.startswith("."):
        raise ValueError("must be a bare domain (no scheme, path, port or @), like acme.com")
    name = text.rstrip(".")
    try:
        ascii_name = idna.encode(name, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise ValueError(f"is not a valid domain name: {exc}") from None
    labels = ascii_name.split(".")
    if len(labels) < 2 or len(ascii_name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValueError("is not a valid domain name, like acme.com")
    if labels[-1].isdigit():
        raise ValueError("must be a domain name, not an IP address")
    # One spelling per domain: invisible characters (zero-width spaces, soft hyphens), full-width
    # letters, ideographic full stops and the like are refused, not stored beside the real one.
    canonical = idna.decode(ascii_name)
    if name not in (canonical, ascii_name):
        raise ValueError(f"must be written in its normal form, {canonical!r}")
    return Domain(name=name, ascii=ascii_name)
