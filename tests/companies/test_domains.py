from __future__ import annotations

import pytest

from laneway.companies.domains import parse_domain
from laneway.contacts.emails import parse_email


@pytest.mark.parametrize(
    "text", ["acme.com", "sub.acme.co.uk", "bücher.example", "xn--bcher-kva.example", "a-b.io"]
)
def test_bare_lower_case_domains_are_accepted(text: str) -> None:
    assert parse_domain(text).name == text


def test_a_unicode_domain_matches_its_email_domain() -> None:
    assert parse_domain("bücher.example").ascii == parse_email("kim@BÜCHER.example").domain


@pytest.mark.parametrize(
    "text",
    [
        "Acme.com",
        "https://acme.com",
        "acme.com/path",
        "acme.com:443",
        "me@acme.com",
        " acme.com",
        "acme",
        "-acme.com",
        "acme..com",
        "10.0.0.1",
        "",
        "a" * 64 + ".com",
    ],
)
def test_anything_but_a_bare_lower_case_domain_is_rejected(text: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_domain(text)


@pytest.mark.parametrize(
    "text",
    [
        "acme\u200b.example",
        "a\u00adb.example",
        "\uff41\uff43\uff4d\uff45.example",
        "acme\u3002example",
        "\ufb03.example",
    ],
)
def test_a_domain_in_a_look_alike_spelling_is_rejected_with_its_normal_form(text: str) -> None:
    """Invisible and compatibility characters would store a second spelling of one domain."""
    with pytest.raises(ValueError, match=r"normal form, '[a-z.]+'"):
        parse_domain(text)
