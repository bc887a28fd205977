from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from laneway.contacts.emails import parse_email

local = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,20}[A-Za-z0-9]", fullmatch=True).filter(
    lambda s: ".." not in s
)
# Labels with "--" in their third and fourth places are reserved for IDNA ("xn--") and refused.
domain = st.from_regex(r"[a-z][a-z0-9-]{0,10}[a-z0-9]\.(example|com|de|test|local)", fullmatch=True).filter(
    lambda s: s[2:4] != "--"
)


@given(local, domain)
def test_parsing_is_idempotent_and_case_blind(user: str, host: str) -> None:
    parsed = parse_email(f"  {user}@{host.upper()} ")
    assert parse_email(parsed.address) == parsed
    assert parse_email(f"{user.upper()}@{host}").key == parsed.key
    assert parsed.address == f"{user}@{host}".lower()


@pytest.mark.parametrize(
    "address",
    [
        "login@github.local",
        "a@b.test",
        "x@foo.example",
        "y@bar.invalid",
        "用户@例子.广告",
        "o'brien+tag@company.co.uk",
    ],
)
def test_special_use_and_international_addresses_are_valid(address: str) -> None:
    assert parse_email(address).address == address.lower()


def test_idna_and_unicode_domains_are_one_address() -> None:
    unicode_form = parse_email("Kim@Bücher.Example")
    ascii_form = parse_email("kim@xn--bcher-kva.example")
    assert unicode_form.key == ascii_form.key == "kim@xn--bcher-kva.example"
    assert unicode_form.address == "kim@bücher.example"
    assert unicode_form.domain == "xn--bcher-kva.example"


@pytest.mark.parametrize(
    "address",
    [
        "",
        "   ",
        "plain",
        "a@b@c.example",
        "@b.example",
        "a@",
        "a@localhost",
        "Name <a@b.example>",
        "a b@c.example",
        "a@[127.0.0.1]",
        "x" * 65 + "@b.example",
        "a@" + "b" * 250 + ".example",
    ],
)
def test_invalid_addresses_are_rejected(address: str) -> None:
    with pytest.raises(ValueError, match=r"."):
        parse_email(address)


def test_a_wider_cache_parses_the_same_and_keeps_more_addresses() -> None:
    from laneway.contacts import emails

    before = emails._cached_parse
    try:
        emails.cache_addresses(50_000)
        for n in range(10_000):
            assert parse_email(f"User{n}@Widen.Example") == before.__wrapped__(f"user{n}@widen.example")
        info = emails._cached_parse.cache_info()
        assert (info.maxsize, info.currsize) == (50_000, 10_000)
        with pytest.raises(ValueError, match="not a valid email"):
            parse_email("not an address")
    finally:
        emails._cached_parse = before
